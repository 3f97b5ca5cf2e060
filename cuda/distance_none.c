/* Pairwise distances for builds without CUDA: the CPU reference in cluster/ is used instead. */
#include "cuda/distance.h"

pr_status pr_cuda_pairwise_distance(int metric, const float *a, int na, const float *b, int nb,
                                    int dim, float *out)
{
    (void)metric;
    (void)a;
    (void)na;
    (void)b;
    (void)nb;
    (void)dim;
    (void)out;
    return pr_set_error(PR_ERR_UNSUPPORTED, "this personrec was built without CUDA");
}

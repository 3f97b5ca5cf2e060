/* GPU Felzenszwalb-Huttenlocher for builds without CUDA: every call says so; segment/dispatch.c then
 * uses the CPU reference. */
#include "cuda/fh.h"

static pr_status not_built(void)
{
    return pr_set_error(PR_ERR_UNSUPPORTED, "this personrec was built without CUDA");
}

pr_status pr_cuda_fh_new(pr_cuda_fh **out)
{
    if (out)
        *out = NULL;
    return not_built();
}

void pr_cuda_fh_delete(pr_cuda_fh *ctx) { (void)ctx; }

pr_status pr_cuda_fh_segment(pr_cuda_fh *ctx, const pr_image *rgb, const pr_cuda_fh_args *args,
                             int32_t *labels, int *segments, pr_cuda_fh_timing *timing)
{
    (void)ctx;
    (void)rgb;
    (void)args;
    (void)labels;
    (void)segments;
    (void)timing;
    return not_built();
}

pr_status pr_cuda_fh_stages(pr_cuda_fh *ctx, const pr_image *rgb, const float *mask, int mask_len,
                            float *planes, uint64_t *sorted, size_t sorted_count)
{
    (void)ctx;
    (void)rgb;
    (void)mask;
    (void)mask_len;
    (void)planes;
    (void)sorted;
    (void)sorted_count;
    return not_built();
}

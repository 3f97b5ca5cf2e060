/* Pairwise distances between feature vectors on the GPU (launchers callable from C).
 *
 * The specification is the CPU reference in cluster/distance.c; the kernels reproduce it bit for
 * bit (same per-pair summation order over the dimensions, no FMA contraction, IEEE division and
 * square root), so the parity test compares exactly:
 *   PR_CUDA_DIST_L2    sqrtf(sum_k (a_k - b_k)^2)
 *   PR_CUDA_DIST_CHI2  0.5f * sum over k with a_k + b_k > 0 of (a_k - b_k)^2 / (a_k + b_k)
 * with the sum a float accumulated in k = 0, 1, ..., dim - 1 order. */
#ifndef PR_CUDA_DISTANCE_H
#define PR_CUDA_DISTANCE_H

#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

enum { PR_CUDA_DIST_L2 = 0, PR_CUDA_DIST_CHI2 = 1 };

/* out[i * nb + j] = distance(a row i, b row j). a (na x dim), b (nb x dim) and out (na x nb) are
 * host memory, row-major; a and b are borrowed for the call, out is the caller's. Device memory is
 * allocated and freed inside (rows of out are computed in chunks so big outputs fit). Returns
 * PR_ERR_UNSUPPORTED in a build without CUDA, PR_ERR_CUDA when no GPU is usable or a CUDA call
 * fails (the message names it). */
pr_status pr_cuda_pairwise_distance(int metric, const float *a, int na, const float *b, int nb,
                                    int dim, float *out);

#ifdef __cplusplus
}
#endif
#endif

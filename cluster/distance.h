/* Pairwise distances between feature vectors: the CPU reference (threaded) and the dispatcher that
 * picks the GPU kernel (cuda/distance.cu) when one is usable.
 *
 * Definitions (the specification the GPU reproduces bit for bit), with the sum a float accumulated
 * in dimension order k = 0 .. dim - 1 and no fused multiply-add:
 *   PR_DISTANCE_L2    sqrtf(sum_k (a_k - b_k)^2)                       eigenface coefficients
 *   PR_DISTANCE_CHI2  0.5f * sum_{k: a_k + b_k > 0} (a_k - b_k)^2 / (a_k + b_k)
 *                     (in [0, 1] for L1-normalised non-negative histograms) colour histograms */
#ifndef PR_CLUSTER_DISTANCE_H
#define PR_CLUSTER_DISTANCE_H

#include "core/device.h"
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_distance_metric {
    PR_DISTANCE_L2 = 0,
    PR_DISTANCE_CHI2 = 1,
} pr_distance_metric;

/* The device is core/device.h's pr_device (auto: the GPU when one is usable, else the CPU; gpu:
 * the GPU or an error). The old names below stay until every caller says pr_device / PR_DEVICE_*. */
typedef pr_device pr_distance_device;
#define PR_DISTANCE_AUTO PR_DEVICE_AUTO
#define PR_DISTANCE_CPU PR_DEVICE_CPU
#define PR_DISTANCE_GPU PR_DEVICE_GPU

typedef struct pr_distance_params {
    pr_distance_metric metric; /* default L2 */
    pr_device device;          /* default AUTO */
    int threads;               /* CPU threads; <= 0 = all online CPUs (default 0) */
} pr_distance_params;

pr_distance_params pr_distance_params_default(void);

/* out[i * nb + j] = distance(a_i, b_j); a is na x dim, b is nb x dim, out na x nb, all row-major.
 * a and b are borrowed for the call; out is the caller's. When b == a and nb == na the CPU computes
 * one triangle and mirrors it (the metrics are exactly symmetric). *used_gpu (may be NULL) tells
 * which path ran. */
pr_status pr_distance_pairwise(const pr_distance_params *params, const float *a, int na,
                               const float *b, int nb, int dim, float *out, int *used_gpu);

/* The CPU reference for one pair (the definition above). */
float pr_distance_one(pr_distance_metric metric, const float *a, const float *b, int dim);

#ifdef __cplusplus
}
#endif
#endif

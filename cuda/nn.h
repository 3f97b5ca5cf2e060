/* A network plan (nn/plan.h) run on the GPU over a batch of inputs (launchers callable from C).
 *
 * The specification is the CPU runner nn/run.h; nn/dispatch.h is the entry point most callers
 * want. A context uploads the plan's weights once, keeps one stream, one cuBLAS handle and the
 * device activation buffers (grown to the largest batch seen, up to max_batch, and reused), so
 * describing thousands of faces costs one upload. Every value is stored batch-major
 * ([n, h, w, c], NHWC per input), so a convolution is one im2col over the batch plus one sgemm
 * with the batch folded into M.
 *
 * Convolutions and fully connected layers sum in cuBLAS's order, not the CPU sgemm's, so outputs
 * agree to rounding (the parity test bounds the relative error by 1e-4); pooling, residual
 * addition and the global mean follow the CPU loops and round the same way.
 *
 * A context is used by one thread at a time. In a build without CUDA every call returns
 * PR_ERR_UNSUPPORTED; on a machine without a usable GPU, pr_cuda_nn_new returns PR_ERR_CUDA. */
#ifndef PR_CUDA_NN_H
#define PR_CUDA_NN_H

#include "core/status.h"
#include "nn/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_cuda_nn pr_cuda_nn;

typedef struct pr_cuda_nn_params {
    int max_batch; /* inputs per device pass; larger calls run in chunks. Default 256 */
    int tf32;      /* 1: let cuBLAS use TF32 tensor cores (faster, ~1e-3 relative error);
                      default 0, full FP32 (CUBLAS_DEFAULT_MATH) as the parity test needs */
} pr_cuda_nn_params;

pr_cuda_nn_params pr_cuda_nn_params_default(void);

/* plan: finished (pr_nn_plan_finish), borrowed until pr_cuda_nn_delete (its weights are copied to
 * the device here, its shapes read on every run). params NULL = defaults. *out caller-owned. */
pr_status pr_cuda_nn_new(const pr_nn_plan *plan, const pr_cuda_nn_params *params,
                         pr_cuda_nn **out);
void pr_cuda_nn_delete(pr_cuda_nn *ctx); /* accepts NULL */

/* inputs: n inputs of value 0's shape, back to back (n * h*w*c floats, host memory, borrowed for
 * the call); outputs: n outputs of the plan's output shape (host memory, the caller's). */
pr_status pr_cuda_nn_run(pr_cuda_nn *ctx, const float *inputs, int n, float *outputs);

/* Device milliseconds of the last pr_cuda_nn_run from upload start to download end (CUDA events
 * on the context's stream); 0 before any run. */
double pr_cuda_nn_last_ms(const pr_cuda_nn *ctx);

#ifdef __cplusplus
}
#endif
#endif

/* One entry point for running a plan (nn/plan.h) over a batch of inputs on the GPU or the CPU.
 *
 * PR_DEVICE_AUTO uses the GPU when pr_gpu_available() (cuda/gpu.h) and the GPU context can be set
 * up, else the CPU fast path (pr_nn_run, im2col + sgemm) after printing one notice per process on
 * stderr. PR_DEVICE_GPU without a usable GPU fails with PR_ERR_UNSUPPORTED (no CUDA in the build)
 * or PR_ERR_CUDA and the reason. On the CPU the outputs are exactly pr_nn_run's (PR_NN_MODE_FAST);
 * on the GPU they agree with them to rounding (cuda/nn.h). */
#ifndef PR_NN_DISPATCH_H
#define PR_NN_DISPATCH_H

#include "nn/plan.h"

#include "core/device.h"
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* A reusable runner: keeps the GPU context (weights on the device, buffers reused across batches)
 * or the CPU workspace. Not thread-safe: one per thread. */
typedef struct pr_nn_runner pr_nn_runner;

/* plan: finished, borrowed until pr_nn_runner_delete. max_batch: inputs per GPU pass (0 = the
 * default, 256); larger batches run in chunks. *out caller-owned. */
pr_status pr_nn_runner_new(const pr_nn_plan *plan, pr_device device, int max_batch,
                           pr_nn_runner **out);
void pr_nn_runner_delete(pr_nn_runner *r); /* accepts NULL */
/* The device the runner uses: PR_DEVICE_CPU or PR_DEVICE_GPU. */
pr_device pr_nn_runner_device(const pr_nn_runner *r);

/* inputs: n inputs of value 0's shape back to back (borrowed for the call); outputs: n outputs of
 * the plan's output shape (the caller's). */
pr_status pr_nn_runner_run(pr_nn_runner *r, const float *inputs, int n, float *outputs);

/* One-shot convenience: runner new + run + delete (uploads the weights every call: keep a runner
 * for repeated batches). */
pr_status pr_nn_run_batch(const pr_nn_plan *plan, pr_device device, const float *inputs, int n,
                          float *outputs);

#ifdef __cplusplus
}
#endif
#endif

/* Runs a plan (nn/plan.h) on the CPU, one input at a time, in a caller-owned workspace (one per
 * thread; plans are read-only while running, so threads share them). */
#ifndef PR_NN_RUN_H
#define PR_NN_RUN_H

#include "nn/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_nn_mode {
    PR_NN_MODE_FAST = 0,      /* im2col + sgemm */
    PR_NN_MODE_REFERENCE = 1  /* direct loops, double accumulation */
} pr_nn_mode;

/* Floats a workspace needs (all values + the im2col scratch). */
size_t pr_nn_workspace_floats(const pr_nn_plan *plan);
/* pr_malloc'd workspace for plan (caller-owned, pr_free). NULL when out of memory. */
float *pr_nn_workspace_new(const pr_nn_plan *plan);

/* input: h*w*c floats of value 0's shape; output: the output value's floats. pr_nn_value points at
 * value v in the workspace: after a run only the output is sure to be intact (the floats of values
 * no later op reads are reused). */
void pr_nn_run(const pr_nn_plan *plan, pr_nn_mode mode, const float *input, float *output,
               float *workspace);
const float *pr_nn_value(const pr_nn_plan *plan, const float *workspace, int v);

/* Batches: n inputs back to back -> n outputs back to back, op by op over the whole batch, so each
 * convolution is one sgemm with n times the rows (what pays in the small deep layers, whose
 * weights dominate at batch 1). Results equal n calls of pr_nn_run up to sgemm rounding. The
 * workspace (pr_nn_workspace_floats_n floats) holds every value of all n inputs. */
size_t pr_nn_workspace_floats_n(const pr_nn_plan *plan, int n);
float *pr_nn_workspace_new_n(const pr_nn_plan *plan, int n);
void pr_nn_run_n(const pr_nn_plan *plan, pr_nn_mode mode, int n, const float *inputs,
                 float *outputs, float *workspace);

#ifdef __cplusplus
}
#endif
#endif

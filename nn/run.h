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

/* input: h*w*c floats of value 0's shape; output: the output value's floats. Returns a pointer to
 * value v inside the workspace after a run (for tests and profiles). */
void pr_nn_run(const pr_nn_plan *plan, pr_nn_mode mode, const float *input, float *output,
               float *workspace);
const float *pr_nn_value(const pr_nn_plan *plan, const float *workspace, int v);

#ifdef __cplusplus
}
#endif
#endif

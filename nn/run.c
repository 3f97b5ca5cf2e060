#include "nn/run.h"

#include "core/alloc.h"
#include "nn/ops.h"

#include <string.h>

size_t pr_nn_workspace_floats(const pr_nn_plan *plan)
{
    return plan->value_floats + plan->col_floats;
}

float *pr_nn_workspace_new(const pr_nn_plan *plan)
{
    return pr_malloc_array(pr_nn_workspace_floats(plan) + 16, sizeof(float));
}

const float *pr_nn_value(const pr_nn_plan *plan, const float *workspace, int v)
{
    return workspace + plan->offsets[v];
}

static void run_op(const pr_nn_plan *plan, const pr_nn_op *op, pr_nn_mode mode, float *ws)
{
    pr_nn_shape xs = plan->values[op->in0], ys = plan->values[op->out];
    const float *x = ws + plan->offsets[op->in0];
    float *y = ws + plan->offsets[op->out];
    int ref = mode == PR_NN_MODE_REFERENCE;
    switch (op->kind) {
    case PR_NN_CONV:
        if (ref)
            pr_nn_conv_ref(op, xs, x, ys, y);
        else
            pr_nn_conv_fast(op, xs, x, ys, y, ws + plan->value_floats);
        break;
    case PR_NN_DWCONV:
        (ref ? pr_nn_dwconv_ref : pr_nn_dwconv_fast)(op, xs, x, ys, y);
        break;
    case PR_NN_MAXPOOL:
    case PR_NN_AVGPOOL:
        pr_nn_pool(op, xs, x, ys, y);
        break;
    case PR_NN_ADD:
        pr_nn_add(op, xs, x, plan->values[op->in1], ws + plan->offsets[op->in1], ys, y);
        break;
    case PR_NN_MEAN:
        pr_nn_mean(xs, x, y);
        break;
    case PR_NN_FC:
        (ref ? pr_nn_fc_ref : pr_nn_fc_fast)(op, xs, x, ys, y);
        break;
    }
}

void pr_nn_run(const pr_nn_plan *plan, pr_nn_mode mode, const float *input, float *output,
               float *workspace)
{
    pr_nn_shape in = plan->values[0];
    memcpy(workspace + plan->offsets[0], input, (size_t)in.h * in.w * in.c * sizeof(float));
    for (int i = 0; i < plan->n_ops; i++)
        run_op(plan, &plan->ops[i], mode, workspace);
    pr_nn_shape out = plan->values[plan->output];
    memcpy(output, workspace + plan->offsets[plan->output],
           (size_t)out.h * out.w * out.c * sizeof(float));
}

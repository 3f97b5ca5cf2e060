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

static size_t shape_floats(pr_nn_shape s) { return (size_t)s.h * s.w * s.c; }

size_t pr_nn_workspace_floats_n(const pr_nn_plan *plan, int n)
{
    if (n <= 1)
        return pr_nn_workspace_floats(plan);
    size_t col = 0;
    for (int i = 0; i < plan->n_ops; i++) {
        const pr_nn_op *op = &plan->ops[i];
        if (op->kind != PR_NN_CONV)
            continue;
        size_t c = pr_nn_conv_col_floats(op, plan->values[op->in0], plan->values[op->out], n);
        col = c > col ? c : col;
    }
    return (size_t)n * plan->value_floats + col;
}

float *pr_nn_workspace_new_n(const pr_nn_plan *plan, int n)
{
    return pr_malloc_array(pr_nn_workspace_floats_n(plan, n) + 16, sizeof(float));
}

/* Value v of all n inputs: n back-to-back tensors at n times the single-input offset. */
static float *value_n(const pr_nn_plan *plan, float *ws, int v, int n)
{
    return ws + (size_t)n * plan->offsets[v];
}

/* Runs op on inputs [b0, b0 + cnt) of the n in the workspace (all of them today; the range keeps
 * per-input scheduling possible). */
static void run_op_n(const pr_nn_plan *plan, const pr_nn_op *op, pr_nn_mode mode, int n, int b0,
                     int cnt, float *ws)
{
    pr_nn_shape xs = plan->values[op->in0], ys = plan->values[op->out];
    size_t xn = shape_floats(xs), yn = shape_floats(ys);
    const float *x = value_n(plan, ws, op->in0, n) + b0 * xn;
    float *y = value_n(plan, ws, op->out, n) + b0 * yn;
    if (op->kind == PR_NN_CONV && mode == PR_NN_MODE_FAST) {
        pr_nn_conv_fast_n(op, xs, x, ys, y, ws + (size_t)n * plan->value_floats, cnt);
        return;
    }
    for (int b = 0; b < cnt; b++) {
        const float *xb = x + b * xn;
        float *yb = y + b * yn;
        switch (op->kind) {
        case PR_NN_CONV:
            pr_nn_conv_ref(op, xs, xb, ys, yb);
            break;
        case PR_NN_DWCONV:
            (mode == PR_NN_MODE_REFERENCE ? pr_nn_dwconv_ref : pr_nn_dwconv_fast)(op, xs, xb, ys, yb);
            break;
        case PR_NN_MAXPOOL:
        case PR_NN_AVGPOOL:
            pr_nn_pool(op, xs, xb, ys, yb);
            break;
        case PR_NN_ADD: {
            pr_nn_shape bs = plan->values[op->in1];
            size_t bn = shape_floats(bs);
            pr_nn_add(op, xs, xb, bs, value_n(plan, ws, op->in1, n) + (b0 + b) * bn, ys, yb);
            break;
        }
        case PR_NN_MEAN:
            pr_nn_mean(xs, xb, yb);
            break;
        case PR_NN_FC:
            (mode == PR_NN_MODE_REFERENCE ? pr_nn_fc_ref : pr_nn_fc_fast)(op, xs, xb, ys, yb);
            break;
        case PR_NN_CONCAT: {
            size_t bn = shape_floats(plan->values[op->in1]);
            pr_nn_concat(xb, xn, value_n(plan, ws, op->in1, n) + (b0 + b) * bn, bn, yb);
            break;
        }
        }
    }
}

void pr_nn_run_n(const pr_nn_plan *plan, pr_nn_mode mode, int n, const float *inputs,
                 float *outputs, float *workspace)
{
    memcpy(value_n(plan, workspace, 0, n), inputs, (size_t)n * shape_floats(plan->values[0]) *
           sizeof(float));
    for (int i = 0; i < plan->n_ops; i++)
        run_op_n(plan, &plan->ops[i], mode, n, 0, n, workspace);
    memcpy(outputs, value_n(plan, workspace, plan->output, n),
           (size_t)n * shape_floats(plan->values[plan->output]) * sizeof(float));
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
    case PR_NN_CONCAT: {
        pr_nn_shape bs = plan->values[op->in1];
        pr_nn_concat(x, (size_t)xs.h * xs.w * xs.c, ws + plan->offsets[op->in1],
                     (size_t)bs.h * bs.w * bs.c, y);
        break;
    }
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

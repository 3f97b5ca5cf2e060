#include "nn/plan.h"

#include "core/alloc.h"

#include <stdio.h>
#include <string.h>

pr_status pr_nn_plan_new(pr_nn_shape input, pr_nn_plan **out)
{
    *out = NULL;
    if (input.h <= 0 || input.w <= 0 || input.c <= 0)
        return pr_set_error(PR_ERR_ARG, "nn plan: bad input shape %dx%dx%d", input.h, input.w,
                            input.c);
    pr_nn_plan *p = pr_calloc(1, sizeof *p);
    if (!p)
        return pr_set_error(PR_ERR_NOMEM, "nn plan: out of memory");
    p->cap_values = 16;
    p->values = pr_malloc_array((size_t)p->cap_values, sizeof *p->values);
    if (!p->values) {
        pr_free(p);
        return pr_set_error(PR_ERR_NOMEM, "nn plan: out of memory");
    }
    p->values[0] = input;
    p->n_values = 1;
    p->output = -1;
    *out = p;
    return PR_OK;
}

void pr_nn_plan_delete(pr_nn_plan *plan)
{
    if (!plan)
        return;
    for (int i = 0; i < plan->n_ops; i++) {
        pr_free(plan->ops[i].weights);
        pr_free(plan->ops[i].bias);
    }
    pr_free(plan->ops);
    pr_free(plan->values);
    pr_free(plan->offsets);
    pr_free(plan);
}

/* Appends op (taking its arrays) producing a value of shape s; frees the arrays on failure. */
static pr_status push(pr_nn_plan *p, pr_nn_op op, pr_nn_shape s, int *out)
{
    if (s.h <= 0 || s.w <= 0 || s.c <= 0) {
        pr_free(op.weights);
        pr_free(op.bias);
        return pr_set_error(PR_ERR_ARG, "nn plan: %s gives an empty %dx%dx%d output",
                            op.name[0] ? op.name : "op", s.h, s.w, s.c);
    }
    if (p->n_ops == p->cap_ops) {
        int cap = p->cap_ops ? 2 * p->cap_ops : 32;
        pr_nn_op *o = pr_realloc(p->ops, (size_t)cap * sizeof *o);
        if (!o)
            goto nomem;
        p->ops = o;
        p->cap_ops = cap;
    }
    if (p->n_values == p->cap_values) {
        int cap = 2 * p->cap_values;
        pr_nn_shape *v = pr_realloc(p->values, (size_t)cap * sizeof *v);
        if (!v)
            goto nomem;
        p->values = v;
        p->cap_values = cap;
    }
    op.out = p->n_values;
    p->values[p->n_values++] = s;
    p->ops[p->n_ops++] = op;
    *out = op.out;
    return PR_OK;
nomem:
    pr_free(op.weights);
    pr_free(op.bias);
    return pr_set_error(PR_ERR_NOMEM, "nn plan: out of memory");
}

static int check_in(const pr_nn_plan *p, int v) { return v >= 0 && v < p->n_values; }

/* Output size and leading padding along one axis (TensorFlow's rules). */
static void out_size(int in, int k, int stride, pr_nn_padding pad, int *n, int *before)
{
    if (pad == PR_NN_VALID) {
        *n = in >= k ? (in - k) / stride + 1 : 0;
        *before = 0;
        return;
    }
    *n = (in + stride - 1) / stride;
    int total = (*n - 1) * stride + k - in;
    *before = total > 0 ? total / 2 : 0;
}

static pr_nn_op new_op(pr_nn_op_kind kind, const char *name, int in, int k, int stride)
{
    pr_nn_op op;
    memset(&op, 0, sizeof op);
    op.kind = kind;
    op.in0 = in;
    op.in1 = -1;
    op.kh = op.kw = k;
    op.stride = stride;
    if (name)
        snprintf(op.name, sizeof op.name, "%s", name);
    return op;
}

pr_status pr_nn_plan_conv(pr_nn_plan *plan, const char *name, int in, int k, int stride,
                          pr_nn_padding pad, int cout, float *weights, float *bias, int relu,
                          int *out)
{
    pr_nn_op op = new_op(PR_NN_CONV, name, in, k, stride);
    op.weights = weights;
    op.bias = bias;
    op.relu = relu;
    if (!check_in(plan, in) || k <= 0 || stride <= 0 || cout <= 0 || !weights)
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    pr_nn_shape x = plan->values[in], y = {0, 0, cout};
    out_size(x.h, k, stride, pad, &y.h, &op.pad_top);
    out_size(x.w, k, stride, pad, &y.w, &op.pad_left);
    return push(plan, op, y, out);
}

pr_status pr_nn_plan_dwconv(pr_nn_plan *plan, const char *name, int in, int k, int stride,
                            pr_nn_padding pad, float *weights, int *out)
{
    pr_nn_op op = new_op(PR_NN_DWCONV, name, in, k, stride);
    op.weights = weights;
    if (!check_in(plan, in) || k <= 0 || stride <= 0 || !weights)
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    pr_nn_shape x = plan->values[in], y = {0, 0, x.c};
    out_size(x.h, k, stride, pad, &y.h, &op.pad_top);
    out_size(x.w, k, stride, pad, &y.w, &op.pad_left);
    return push(plan, op, y, out);
}

pr_status pr_nn_plan_dwconv_bias(pr_nn_plan *plan, const char *name, int in, int k, int stride,
                                 pr_nn_padding pad, float *weights, float *bias, int relu,
                                 int *out)
{
    pr_nn_op op = new_op(PR_NN_DWCONV, name, in, k, stride);
    op.weights = weights;
    op.bias = bias;
    op.relu = relu;
    if (!check_in(plan, in) || k <= 0 || stride <= 0 || !weights)
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    pr_nn_shape x = plan->values[in], y = {0, 0, x.c};
    out_size(x.h, k, stride, pad, &y.h, &op.pad_top);
    out_size(x.w, k, stride, pad, &y.w, &op.pad_left);
    return push(plan, op, y, out);
}

pr_status pr_nn_plan_concat(pr_nn_plan *plan, int a, int b, int *out)
{
    pr_nn_op op = new_op(PR_NN_CONCAT, "concat", a, 1, 1);
    op.in1 = b;
    if (!check_in(plan, a) || !check_in(plan, b))
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    pr_nn_shape x = plan->values[a], y = plan->values[b];
    size_t n = (size_t)x.h * x.w * x.c + (size_t)y.h * y.w * y.c;
    if (n > (size_t)1 << 30)
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    return push(plan, op, (pr_nn_shape){1, 1, (int)n}, out);
}

pr_status pr_nn_plan_pool(pr_nn_plan *plan, pr_nn_op_kind kind, int in, int k, int stride,
                          int *out)
{
    pr_nn_op op = new_op(kind, kind == PR_NN_MAXPOOL ? "maxpool" : "avgpool", in, k, stride);
    if (!check_in(plan, in) || (kind != PR_NN_MAXPOOL && kind != PR_NN_AVGPOOL) || k <= 0 ||
        stride <= 0)
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    pr_nn_shape x = plan->values[in], y = {0, 0, x.c};
    int unused;
    out_size(x.h, k, stride, PR_NN_VALID, &y.h, &unused);
    out_size(x.w, k, stride, PR_NN_VALID, &y.w, &unused);
    return push(plan, op, y, out);
}

static int imax(int a, int b) { return a > b ? a : b; }

pr_status pr_nn_plan_add(pr_nn_plan *plan, int a, int b, int relu, int *out)
{
    pr_nn_op op = new_op(PR_NN_ADD, "add", a, 1, 1);
    op.in1 = b;
    op.relu = relu;
    if (!check_in(plan, a) || !check_in(plan, b))
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    pr_nn_shape x = plan->values[a], z = plan->values[b];
    pr_nn_shape y = {imax(x.h, z.h), imax(x.w, z.w), imax(x.c, z.c)};
    return push(plan, op, y, out);
}

pr_status pr_nn_plan_mean(pr_nn_plan *plan, int in, int *out)
{
    pr_nn_op op = new_op(PR_NN_MEAN, "mean", in, 1, 1);
    if (!check_in(plan, in))
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    return push(plan, op, (pr_nn_shape){1, 1, plan->values[in].c}, out);
}

pr_status pr_nn_plan_fc(pr_nn_plan *plan, const char *name, int in, int cout, float *weights,
                        float *bias, int *out)
{
    pr_nn_op op = new_op(PR_NN_FC, name, in, 1, 1);
    op.weights = weights;
    op.bias = bias;
    if (!check_in(plan, in) || cout <= 0 || !weights)
        return push(plan, op, (pr_nn_shape){0, 0, 0}, out);
    return push(plan, op, (pr_nn_shape){1, 1, cout}, out);
}

static size_t shape_floats(pr_nn_shape s) { return (size_t)s.h * (size_t)s.w * (size_t)s.c; }

static size_t slot_floats(pr_nn_shape s) { return (shape_floats(s) + 15) & ~(size_t)15; }

/* Lowest offset where `size` floats fit between the live values (first fit). */
static size_t first_fit(const pr_nn_plan *p, const int *live, int n_live, size_t size)
{
    size_t at = 0;
    for (;;) {
        int moved = 0;
        for (int i = 0; i < n_live; i++) {
            size_t o = p->offsets[live[i]], e = o + slot_floats(p->values[live[i]]);
            if (at < e && o < at + size) {
                at = e;
                moved = 1;
            }
        }
        if (!moved)
            return at;
    }
}

/* Workspace layout by liveness: a value's floats are reused once its last reader has run, so the
 * working set stays near the largest few activations rather than the sum of all (the CPU runs
 * faster from cache, a batch needs less memory). An op's output never overlaps its inputs. Valid
 * for any runner that executes the ops in list order. */
static pr_status lay_out(pr_nn_plan *p)
{
    int *last = pr_malloc_array((size_t)p->n_values, sizeof *last);
    int *live = pr_malloc_array((size_t)p->n_values, sizeof *live);
    if (!last || !live) {
        pr_free(last);
        pr_free(live);
        return pr_set_error(PR_ERR_NOMEM, "nn plan: out of memory");
    }
    for (int v = 0; v < p->n_values; v++)
        last[v] = v == p->output ? p->n_ops : -1;
    for (int i = 0; i < p->n_ops; i++) {
        last[p->ops[i].in0] = i;
        if (p->ops[i].in1 >= 0)
            last[p->ops[i].in1] = i;
    }
    int n_live = 1;
    size_t end = slot_floats(p->values[0]);
    p->offsets[0] = 0;
    live[0] = 0;
    for (int i = 0; i < p->n_ops; i++) {
        int v = p->ops[i].out;
        p->offsets[v] = first_fit(p, live, n_live, slot_floats(p->values[v]));
        if (p->offsets[v] + slot_floats(p->values[v]) > end)
            end = p->offsets[v] + slot_floats(p->values[v]);
        live[n_live++] = v;
        for (int k = 0; k < n_live; k++)
            if (last[live[k]] <= i)
                live[k--] = live[--n_live];
    }
    p->value_floats = end;
    pr_free(last);
    pr_free(live);
    return PR_OK;
}

pr_status pr_nn_plan_finish(pr_nn_plan *plan, int value)
{
    if (!check_in(plan, value))
        return pr_set_error(PR_ERR_ARG, "nn plan: output value %d does not exist", value);
    pr_free(plan->offsets);
    plan->offsets = pr_malloc_array((size_t)plan->n_values, sizeof *plan->offsets);
    if (!plan->offsets)
        return pr_set_error(PR_ERR_NOMEM, "nn plan: out of memory");
    plan->output = value;
    pr_status st = lay_out(plan);
    if (st != PR_OK)
        return st;
    plan->col_floats = 0;
    for (int i = 0; i < plan->n_ops; i++) {
        const pr_nn_op *op = &plan->ops[i];
        if (op->kind != PR_NN_CONV)
            continue;
        pr_nn_shape x = plan->values[op->in0], y = plan->values[op->out];
        size_t col = (size_t)y.h * y.w * op->kh * op->kw * x.c;
        if (col > plan->col_floats)
            plan->col_floats = col;
    }
    return PR_OK;
}

double pr_nn_plan_macs(const pr_nn_plan *plan)
{
    double macs = 0;
    for (int i = 0; i < plan->n_ops; i++) {
        const pr_nn_op *op = &plan->ops[i];
        pr_nn_shape x = plan->values[op->in0], y = plan->values[op->out];
        if (op->kind == PR_NN_CONV)
            macs += (double)y.h * y.w * y.c * op->kh * op->kw * x.c;
        else if (op->kind == PR_NN_DWCONV)
            macs += (double)y.h * y.w * y.c * op->kh * op->kw;
        else if (op->kind == PR_NN_FC)
            macs += (double)shape_floats(x) * y.c;
    }
    return macs;
}

/* A network as data: a list of operations over numbered values (NHWC float32 tensors, batch 1),
 * with batch-norm/scale already folded into the convolution weights. The CPU runner (nn/run.h) and
 * a GPU runner walk the same list, so both execute the same net.
 *
 * Values are single-assignment: value 0 is the input, every op writes one new value. */
#ifndef PR_NN_PLAN_H
#define PR_NN_PLAN_H

#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_nn_shape {
    int h, w, c;
} pr_nn_shape;

typedef enum pr_nn_op_kind {
    PR_NN_CONV,    /* y = conv2d(x, W[kh,kw,cin,cout]) + b, optional ReLU (1x1 = pointwise) */
    PR_NN_DWCONV,  /* depthwise: y[c] = conv2d(x[c], W[kh,kw,c]), no bias, no ReLU */
    PR_NN_MAXPOOL, /* kh x kw window, stride, valid */
    PR_NN_AVGPOOL, /* kh x kw window, stride, valid */
    PR_NN_ADD,     /* y = a + b, each zero-extended to the larger H, W, C (rows/cols at the
                      bottom/right, channels at the end: face-api's residualDown), optional ReLU */
    PR_NN_MEAN,    /* global mean over H, W: 1 x 1 x C */
    PR_NN_FC,      /* y[o] = sum_c x[c] W[c, o] (+ b[o]); x flattened HWC */
    PR_NN_CONCAT   /* y = flatten(a) followed by flatten(b): 1 x 1 x (|a| + |b|) (SSD heads) */
} pr_nn_op_kind;

/* pr_nn_op.relu: 0 = none, 1 = ReLU, PR_NN_RELU6 = clamp to [0, 6] (MobileNet's ReLU6). */
#define PR_NN_RELU6 6

typedef enum pr_nn_padding {
    PR_NN_VALID, /* no padding */
    PR_NN_SAME   /* TensorFlow 'same': out = ceil(in/stride), extra pixel after (bottom/right) */
} pr_nn_padding;

typedef struct pr_nn_op {
    pr_nn_op_kind kind;
    int in0, in1;          /* value ids (in1 only for ADD, else -1) */
    int out;               /* value id written */
    int kh, kw, stride;
    int pad_top, pad_left; /* zero pixels before the input (bottom/right follow from the shapes) */
    int relu;              /* activation: 0, 1 (ReLU) or PR_NN_RELU6 */
    float *weights;        /* owned. CONV [kh,kw,cin,cout]; DWCONV [kh,kw,c]; FC [in,out] */
    float *bias;           /* owned, [cout] or NULL */
    char name[48];         /* the weights' prefix in the manifest, for messages and profiles */
} pr_nn_op;

typedef struct pr_nn_plan {
    pr_nn_op *ops;
    int n_ops, cap_ops;
    pr_nn_shape *values;   /* shape of every value */
    size_t *offsets;       /* float offset of every value in a workspace (after finish); values
                              whose last reader has run share floats with later ones */
    int n_values, cap_values;
    size_t value_floats;   /* floats of all values as laid out (liveness-based reuse) */
    size_t col_floats;     /* largest im2col matrix of the fast path */
    int output;            /* value id of the result */
} pr_nn_plan;

pr_status pr_nn_plan_new(pr_nn_shape input, pr_nn_plan **out);
void pr_nn_plan_delete(pr_nn_plan *plan); /* accepts NULL */

/* Builders: each appends one op reading value `in` and stores the new value id in *out.
 * weights and bias are pr_malloc'd arrays whose ownership passes to the plan, also on failure. */
pr_status pr_nn_plan_conv(pr_nn_plan *plan, const char *name, int in, int k, int stride,
                          pr_nn_padding pad, int cout, float *weights, float *bias, int relu,
                          int *out);
pr_status pr_nn_plan_dwconv(pr_nn_plan *plan, const char *name, int in, int k, int stride,
                            pr_nn_padding pad, float *weights, int *out);
/* Depthwise with a per-channel bias and an activation (batch norm folded in: SSD MobileNet). */
pr_status pr_nn_plan_dwconv_bias(pr_nn_plan *plan, const char *name, int in, int k, int stride,
                                 pr_nn_padding pad, float *weights, float *bias, int relu,
                                 int *out);
/* y = a's floats then b's, as one 1 x 1 x (|a| + |b|) value. */
pr_status pr_nn_plan_concat(pr_nn_plan *plan, int a, int b, int *out);
pr_status pr_nn_plan_pool(pr_nn_plan *plan, pr_nn_op_kind kind, int in, int k, int stride,
                          int *out);
pr_status pr_nn_plan_add(pr_nn_plan *plan, int a, int b, int relu, int *out);
pr_status pr_nn_plan_mean(pr_nn_plan *plan, int in, int *out);
pr_status pr_nn_plan_fc(pr_nn_plan *plan, const char *name, int in, int cout, float *weights,
                        float *bias, int *out);
/* Marks `value` as the output and lays out the workspace: each value gets an offset, reusing the
 * floats of values no later op reads, never overlapping the inputs of the op that writes it. A
 * batch of n inputs uses the same layout scaled by n (value v of input b at n*offset + b*size). */
pr_status pr_nn_plan_finish(pr_nn_plan *plan, int value);

/* Multiply-adds of one run (conv, depthwise, fc), for rooflines. */
double pr_nn_plan_macs(const pr_nn_plan *plan);

#ifdef __cplusplus
}
#endif
#endif

/* The kernels behind one op of a plan (nn/plan.h), batch 1, NHWC float32.
 * *_ref: the plain direct loops (the specification, double accumulation); *_fast: im2col +
 * pr_nn_sgemm (nn/gemm.h) and vectorised loops. Tests hold fast = ref within 1e-5 relative. */
#ifndef PR_NN_OPS_H
#define PR_NN_OPS_H

#include "nn/plan.h"

#ifdef __cplusplus
extern "C" {
#endif

void pr_nn_conv_ref(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y);
/* im2col block size of the fast path: rows of the im2col matrix are made and multiplied this many
 * floats at a time (at least 16 rows). */
#ifndef PR_NN_COL_BLOCK_FLOATS
#define PR_NN_COL_BLOCK_FLOATS 65536
#endif
/* Output block of the pointwise (1x1) path: its bias, product and activation are done this many
 * floats at a time (at least 4 * cout rows). */
#ifndef PR_NN_OUT_BLOCK_FLOATS
#define PR_NN_OUT_BLOCK_FLOATS 65536
#endif
/* col: scratch of min(ys.h*ys.w, max(16, PR_NN_COL_BLOCK_FLOATS / K)) * K floats, K = kh*kw*xs.c
 * (unused for 1x1 stride-1 convolutions). */
void pr_nn_conv_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y,
                     float *col);
/* The same over n images stored back to back (x: n inputs, y: n outputs): one sgemm with n times
 * the rows. col: pr_nn_conv_col_floats(op, xs, ys, n) floats. */
void pr_nn_conv_fast_n(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                       float *y, float *col, int n);
size_t pr_nn_conv_col_floats(const pr_nn_op *op, pr_nn_shape xs, pr_nn_shape ys, int n);
void pr_nn_dwconv_ref(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                      float *y);
void pr_nn_dwconv_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                       float *y);
/* Vector widths of the fast depthwise kernel; AUTO = the widest the CPU has. All give the same
 * bits (same float operations per channel); tests run each one the CPU supports. */
typedef enum pr_nn_isa {
    PR_NN_ISA_AUTO,
    PR_NN_ISA_SCALAR, /* one channel at a time */
    PR_NN_ISA_BASE,   /* 4 floats (the build's baseline: SSE2 on x86-64) */
    PR_NN_ISA_AVX2,   /* 8 floats */
    PR_NN_ISA_AVX512  /* 16 floats */
} pr_nn_isa;
int pr_nn_isa_supported(pr_nn_isa isa);
/* pr_nn_dwconv_fast with the given width (an unsupported one falls back to AUTO). */
void pr_nn_dwconv_fast_isa(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                           float *y, pr_nn_isa isa);
void pr_nn_fc_ref(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y);
void pr_nn_fc_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y);
/* Shared by both paths (no arithmetic worth a second version). */
void pr_nn_pool(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y);
void pr_nn_add(const pr_nn_op *op, pr_nn_shape as, const float *a, pr_nn_shape bs, const float *b,
               pr_nn_shape ys, float *y);
void pr_nn_mean(pr_nn_shape xs, const float *x, float *y);
/* y = the na floats of a, then the nb of b. */
void pr_nn_concat(const float *a, size_t na, const float *b, size_t nb, float *y);

/* The op's activation (pr_nn_op.relu) on one value. */
static inline float pr_nn_act(float v, int relu)
{
    if (relu && v < 0)
        return 0.0f;
    return relu == PR_NN_RELU6 && v > 6.0f ? 6.0f : v;
}

#ifdef __cplusplus
}
#endif
#endif

/* Fast kernels: convolution as im2col + pr_nn_sgemm (nn/gemm.h: output pixels x input taps
 * times taps x output channels) in cache-sized blocks of output rows, the bias preloaded into
 * each block so the GEMM adds onto it (C += A B) and the activation applied while the block is
 * in cache; depthwise convolution in vector registers (one kernel per vector width, chosen at
 * run time). */
#include "nn/ops.h"

#include "nn/gemm.h"

#include <cblas.h>
#include <string.h>

/* Rows [p0, p1) of the im2col matrix of n images back to back (row = output pixel of an image,
 * columns = (ky, kx, ci) in the filters' HWIO order; zeros for padding), stored from col[0]. A
 * filter row inside the input is kw * cin contiguous floats: one copy. */
static void im2col(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, int p0,
                   int p1, float *col)
{
    int cin = xs.c, hw = ys.h * ys.w;
    size_t row_len = (size_t)op->kh * op->kw * cin, in_size = (size_t)xs.h * xs.w * cin;
    size_t span = (size_t)op->kw * cin;
    for (int p = p0; p < p1; p++) {
        int q = p % hw, oy = q / ys.w, ox = q % ys.w;
        const float *xb = x + (size_t)(p / hw) * in_size;
        float *r = col + (size_t)(p - p0) * row_len;
        int ix0 = ox * op->stride - op->pad_left;
        int inside = ix0 >= 0 && ix0 + op->kw <= xs.w;
        for (int ky = 0; ky < op->kh; ky++, r += span) {
            int iy = oy * op->stride + ky - op->pad_top;
            if (iy < 0 || iy >= xs.h) {
                memset(r, 0, span * sizeof *r);
                continue;
            }
            /* Pointers only to pixels that exist: ix0 may be left of the row (padding). */
            const float *xrow = xb + (size_t)iy * xs.w * cin;
            if (inside) {
                memcpy(r, xrow + (size_t)ix0 * cin, span * sizeof *r);
                continue;
            }
            for (int kx = 0; kx < op->kw; kx++) {
                int ix = ix0 + kx;
                if (ix < 0 || ix >= xs.w)
                    memset(r + (size_t)kx * cin, 0, (size_t)cin * sizeof *r);
                else
                    memcpy(r + (size_t)kx * cin, xrow + (size_t)ix * cin, (size_t)cin * sizeof *r);
            }
        }
    }
}

static int col_block_rows(int k)
{
    int block = PR_NN_COL_BLOCK_FLOATS / k;
    return block < 16 ? 16 : block;
}

size_t pr_nn_conv_col_floats(const pr_nn_op *op, pr_nn_shape xs, pr_nn_shape ys, int n)
{
    int k = op->kh * op->kw * xs.c, m = n * ys.h * ys.w, rows = col_block_rows(k);
    return (size_t)(rows < m ? rows : m) * (size_t)k;
}

/* The activation pass after each sgemm block is vectorised by the compiler and, on x86-64, cloned
 * for AVX2 and AVX-512 (chosen by the loader; the build itself targets baseline x86-64). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(PR_NN_NO_CLONES)
#define PR_NN_CLONES __attribute__((target_clones("avx512f", "avx2", "default")))
#else
#define PR_NN_CLONES
#endif

/* pr_nn_act over n floats, written so that it vectorises (pr_nn_act's early return does not):
 * negative -> 0 (-0 and NaN stay as they are), then above 6 -> 6 for ReLU6; one pass. */
PR_NN_CLONES static void act_n(float *restrict y, size_t n, int relu)
{
    if (relu == PR_NN_RELU6)
        for (size_t i = 0; i < n; i++) {
            float v = y[i] < 0.0f ? 0.0f : y[i];
            y[i] = v > 6.0f ? 6.0f : v;
        }
    else if (relu)
        for (size_t i = 0; i < n; i++)
            y[i] = y[i] < 0.0f ? 0.0f : y[i];
}

static void bias_rows(const float *bias, int rows, int n, float *y)
{
    for (int r = 0; r < rows; r++)
        if (bias)
            memcpy(y + (size_t)r * n, bias, (size_t)n * sizeof *y);
        else
            memset(y + (size_t)r * n, 0, (size_t)n * sizeof *y);
}

/* Rows of one output block of the pointwise path: the block's bias preload, product and
 * activation run while it is in cache (the whole output of an early SSD layer is 16 MB). At
 * least 4 * cout rows, so that re-packing the weights for each block (cin x cout floats) stays
 * small against the block's own product. */
static int out_block_rows(int cout)
{
    int rows = PR_NN_OUT_BLOCK_FLOATS / cout;
    return rows > 4 * cout ? rows : 4 * cout;
}

/* y[rows x cout] = bias + a[rows x k] w[k x cout], then the activation, for one block. The bias
 * is preloaded and the sgemm adds onto it (C += A B): every element is one chain over k from its
 * bias, whatever the blocking (nn/gemm.h). */
static void gemm_block(const pr_nn_op *op, int rows, int cout, int k, const float *a,
                       const float *w, float *y)
{
    bias_rows(op->bias, rows, cout, y);
    pr_nn_sgemm(rows, cout, k, a, k, w, cout, y, cout);
    if (op->relu)
        act_n(y, (size_t)rows * cout, op->relu);
}

void pr_nn_conv_fast_n(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                       float *y, float *col, int n)
{
    int m = n * ys.h * ys.w, cout = ys.c, k = op->kh * op->kw * xs.c;
    if (xs.h == 1 && xs.w == 1 && ys.h == 1 && ys.w == 1 && op->pad_top < op->kh &&
        op->pad_left < op->kw) {
        /* 1x1 maps (the recognition net's last block): only the tap over the pixel is non-zero. */
        const float *w = op->weights + (size_t)(op->pad_top * op->kw + op->pad_left) * xs.c * cout;
        gemm_block(op, n, cout, xs.c, x, w, y);
    } else if (op->kh == 1 && op->kw == 1 && op->stride == 1 && op->pad_top == 0 &&
               op->pad_left == 0 && ys.h == xs.h && ys.w == xs.w) {
        int block = out_block_rows(cout);
        for (int p0 = 0; p0 < m; p0 += block) {
            int p1 = p0 + block < m ? p0 + block : m;
            gemm_block(op, p1 - p0, cout, k, x + (size_t)p0 * k, op->weights,
                       y + (size_t)p0 * cout);
        }
    } else {
        /* im2col in blocks of rows that stay in cache rather than the whole matrix. */
        int block = col_block_rows(k);
        for (int p0 = 0; p0 < m; p0 += block) {
            int p1 = p0 + block < m ? p0 + block : m;
            im2col(op, xs, x, ys, p0, p1, col);
            gemm_block(op, p1 - p0, cout, k, col, op->weights, y + (size_t)p0 * cout);
        }
    }
}

void pr_nn_conv_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y,
                     float *col)
{
    pr_nn_conv_fast_n(op, xs, x, ys, y, col, 1);
}

/* Depthwise convolution, channels innermost. Channels go W at a time (one vector register)
 * through all taps in a register, with bias and activation applied there before the single store;
 * the old loop read and wrote the output once per tap and once more for the activation. Pixels
 * whose 3 x 3 window lies inside the input take the taps without bounds checks. Channels go
 * DW_CHUNK at a time over each output row, so that the chunk's weights stay in L1 and each
 * pixel's reads are whole cache lines. The kernel is compiled once per vector width (SSE, AVX2,
 * AVX-512: the build itself targets baseline x86-64) and chosen at run time; every lane does the
 * same float operations in the same order (bias, then the taps in (ky, kx) order, no fused
 * multiply-add), so all widths give the same bits, and the same as the scalar tail. */
#define DW_CHUNK 64

/* pr_nn_act on a vector: negative -> 0 (-0 and NaN stay), then above 6 -> 6 for ReLU6. */
#define DW_ACT(V, IV, acc, relu)                                                                  \
    do {                                                                                          \
        if (relu) {                                                                               \
            IV neg_ = acc < (V){0};                                                               \
            acc = (V)((IV)acc & ~neg_);                                                           \
        }                                                                                         \
        if (relu == PR_NN_RELU6) {                                                                \
            V six_ = (V){0} + 6.0f;                                                               \
            IV big_ = acc > six_;                                                                 \
            acc = (V)(((IV)acc & ~big_) | ((IV)six_ & big_));                                     \
        }                                                                                         \
    } while (0)

/* NAME: channels [0, cblocks) (a multiple of W) of every output pixel. */
#define DW_KERNEL(NAME, W, ATTR)                                                                  \
    typedef float NAME##_v __attribute__((vector_size((W) * sizeof(float))));                     \
    typedef int NAME##_iv __attribute__((vector_size((W) * sizeof(int))));                        \
    ATTR static void NAME(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,     \
                          float *y, int cblocks)                                                  \
    {                                                                                             \
        int c = xs.c, s = op->stride, relu = op->relu;                                            \
        size_t rs = (size_t)xs.w * c;                                                             \
        int ox0, ox1, k3 = op->kh == 3 && op->kw == 3;                                            \
        dw_inner_columns(op, xs, ys, &ox0, &ox1);                                                 \
        for (int oy = 0; oy < ys.h; oy++) {                                                       \
            float *yrow = y + (size_t)oy * ys.w * c;                                              \
            int iy0 = oy * s - op->pad_top, inner_row = k3 && iy0 >= 0 && iy0 + 3 <= xs.h;        \
            for (int c0 = 0; c0 < cblocks; c0 += DW_CHUNK) {                                      \
                int c1 = c0 + DW_CHUNK < cblocks ? c0 + DW_CHUNK : cblocks;                       \
                for (int ox = 0; ox < ys.w; ox++) {                                               \
                    int ix0 = ox * s - op->pad_left;                                              \
                    if (inner_row && ox >= ox0 && ox < ox1) {                                     \
                        const float *p0 = x + (size_t)iy0 * rs + (size_t)ix0 * c;                 \
                        for (int cb = c0; cb < c1; cb += (W)) {                                   \
                            NAME##_v acc = {0}, a, w;                                             \
                            if (op->bias)                                                         \
                                memcpy(&acc, op->bias + cb, sizeof acc);                          \
                            for (int ky = 0; ky < 3; ky++)                                        \
                                for (int kx = 0; kx < 3; kx++) {                                  \
                                    memcpy(&a, p0 + ky * rs + (size_t)kx * c + cb, sizeof a);     \
                                    memcpy(&w, op->weights + (size_t)(ky * 3 + kx) * c + cb,      \
                                           sizeof w);                                             \
                                    acc += a * w;                                                 \
                                }                                                                 \
                            DW_ACT(NAME##_v, NAME##_iv, acc, relu);                               \
                            memcpy(yrow + (size_t)ox * c + cb, &acc, sizeof acc);                 \
                        }                                                                         \
                        continue;                                                                 \
                    }                                                                             \
                    for (int cb = c0; cb < c1; cb += (W)) {                                       \
                        NAME##_v acc = {0}, a, w;                                                 \
                        if (op->bias)                                                             \
                            memcpy(&acc, op->bias + cb, sizeof acc);                              \
                        for (int ky = 0; ky < op->kh; ky++) {                                     \
                            int iy = iy0 + ky;                                                    \
                            if (iy < 0 || iy >= xs.h)                                             \
                                continue;                                                         \
                            for (int kx = 0; kx < op->kw; kx++) {                                 \
                                int ix = ix0 + kx;                                                \
                                if (ix < 0 || ix >= xs.w)                                         \
                                    continue;                                                     \
                                memcpy(&a, x + ((size_t)iy * xs.w + ix) * c + cb, sizeof a);      \
                                memcpy(&w, op->weights + (size_t)(ky * op->kw + kx) * c + cb,     \
                                       sizeof w);                                                 \
                                acc += a * w;                                                     \
                            }                                                                     \
                        }                                                                         \
                        DW_ACT(NAME##_v, NAME##_iv, acc, relu);                                   \
                        memcpy(yrow + (size_t)ox * c + cb, &acc, sizeof acc);                     \
                    }                                                                             \
                }                                                                                 \
            }                                                                                     \
        }                                                                                         \
    }

/* Output columns whose 3-wide window lies inside the input: ox * stride - pad_left in
 * [0, w - 3], as [*ox0, *ox1). */
static void dw_inner_columns(const pr_nn_op *op, pr_nn_shape xs, pr_nn_shape ys, int *ox0,
                             int *ox1)
{
    int s = op->stride;
    *ox0 = (op->pad_left + s - 1) / s;
    *ox1 = xs.w >= 3 ? (xs.w - 3 + op->pad_left) / s + 1 : 0;
    *ox1 = *ox1 < ys.w ? *ox1 : ys.w;
}

DW_KERNEL(dw_base, 4, )
#if defined(__x86_64__) && defined(__GNUC__)
#define PR_DW_X86 1
DW_KERNEL(dw_avx2, 8, __attribute__((target("avx2"))))
DW_KERNEL(dw_avx512, 16, __attribute__((target("avx512f"))))
#endif

/* Channels [c0, c) of every output pixel, one at a time with bounds checks (the channels left
 * over by the vector width), in the same order of operations. */
static void dw_scalar(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                      float *y, int c0)
{
    int c = xs.c;
    for (int oy = 0; oy < ys.h; oy++)
        for (int ox = 0; ox < ys.w; ox++)
            for (int ch = c0; ch < c; ch++) {
                float acc = op->bias ? op->bias[ch] : 0.0f;
                for (int ky = 0; ky < op->kh; ky++) {
                    int iy = oy * op->stride + ky - op->pad_top;
                    if (iy < 0 || iy >= xs.h)
                        continue;
                    for (int kx = 0; kx < op->kw; kx++) {
                        int ix = ox * op->stride + kx - op->pad_left;
                        if (ix < 0 || ix >= xs.w)
                            continue;
                        acc += x[((size_t)iy * xs.w + ix) * c + ch] *
                               op->weights[(ky * op->kw + kx) * c + ch];
                    }
                }
                y[((size_t)oy * ys.w + ox) * c + ch] = pr_nn_act(acc, op->relu);
            }
}

/* nn/ picks kernels by CPU in three ways on purpose. gemm.c's kernels need more than these widths
 * (FMA, and AVX-512 VL/BW/DQ besides F), so one shared level would change a choice (AVX-512F
 * alone: Knights Landing); it caches its choice because $PERSONREC_SGEMM is read once. act_n is a
 * plain loop the compiler clones, with the same bits at every width, so the loader picks. Tests
 * name a kernel per call (pr_nn_sgemm_with, pr_nn_dwconv_fast_isa), every width in one process.
 * A shared feature header with act_n under it came to 37 more lines and the same choices. */
int pr_nn_isa_supported(pr_nn_isa isa)
{
    switch (isa) {
    case PR_NN_ISA_AUTO:
    case PR_NN_ISA_SCALAR:
    case PR_NN_ISA_BASE:
        return 1;
#ifdef PR_DW_X86
    case PR_NN_ISA_AVX2:
        return __builtin_cpu_supports("avx2");
    case PR_NN_ISA_AVX512:
        return __builtin_cpu_supports("avx512f");
#endif
    default:
        return 0;
    }
}

/* No cache: __builtin_cpu_supports only reads what libgcc found at start-up. */
static pr_nn_isa best_isa(void)
{
    return pr_nn_isa_supported(PR_NN_ISA_AVX512) ? PR_NN_ISA_AVX512
           : pr_nn_isa_supported(PR_NN_ISA_AVX2) ? PR_NN_ISA_AVX2
                                                 : PR_NN_ISA_BASE;
}

void pr_nn_dwconv_fast_isa(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                           float *y, pr_nn_isa isa)
{
    if (isa == PR_NN_ISA_AUTO || !pr_nn_isa_supported(isa))
        isa = best_isa();
    int w = isa == PR_NN_ISA_AVX512 ? 16
            : isa == PR_NN_ISA_AVX2 ? 8
            : isa == PR_NN_ISA_BASE ? 4
                                    : 1;
    int cblocks = w > 1 ? xs.c / w * w : 0;
    if (cblocks > 0) {
#ifdef PR_DW_X86
        if (isa == PR_NN_ISA_AVX512)
            dw_avx512(op, xs, x, ys, y, cblocks);
        else if (isa == PR_NN_ISA_AVX2)
            dw_avx2(op, xs, x, ys, y, cblocks);
        else
#endif
            dw_base(op, xs, x, ys, y, cblocks);
    }
    if (cblocks < xs.c)
        dw_scalar(op, xs, x, ys, y, cblocks);
}

void pr_nn_dwconv_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                       float *y)
{
    pr_nn_dwconv_fast_isa(op, xs, x, ys, y, PR_NN_ISA_AUTO);
}

void pr_nn_fc_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y)
{
    int n = xs.h * xs.w * xs.c;
    bias_rows(op->bias, 1, ys.c, y);
    cblas_sgemv(CblasRowMajor, CblasTrans, n, ys.c, 1.0f, op->weights, ys.c, x, 1, 1.0f, y, 1);
    if (op->relu)
        act_n(y, (size_t)ys.c, op->relu);
}

/* Fast kernels: convolution as im2col + one cblas_sgemm (output pixels x input taps times taps x
 * output channels), the bias preloaded into the output so the GEMM adds onto it (beta = 1). */
#include "nn/ops.h"

#include <cblas.h>
#include <string.h>

/* Rows [p0, p1) of the im2col matrix of n images back to back (row = output pixel of an image,
 * columns = (ky, kx, ci) in the filters' HWIO order; zeros for padding), stored from col[0]. */
static void im2col(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, int p0,
                   int p1, float *col)
{
    int cin = xs.c, hw = ys.h * ys.w;
    size_t row_len = (size_t)op->kh * op->kw * cin, in_size = (size_t)xs.h * xs.w * cin;
    for (int p = p0; p < p1; p++) {
        int q = p % hw, oy = q / ys.w, ox = q % ys.w;
        const float *xb = x + (size_t)(p / hw) * in_size;
        float *r = col + (size_t)(p - p0) * row_len;
        for (int ky = 0; ky < op->kh; ky++) {
            int iy = oy * op->stride + ky - op->pad_top;
            for (int kx = 0; kx < op->kw; kx++, r += cin) {
                int ix = ox * op->stride + kx - op->pad_left;
                if (iy < 0 || iy >= xs.h || ix < 0 || ix >= xs.w)
                    memset(r, 0, (size_t)cin * sizeof *r);
                else
                    memcpy(r, xb + ((size_t)iy * xs.w + ix) * cin, (size_t)cin * sizeof *r);
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

static void bias_rows(const float *bias, int rows, int n, float *y)
{
    for (int r = 0; r < rows; r++)
        if (bias)
            memcpy(y + (size_t)r * n, bias, (size_t)n * sizeof *y);
        else
            memset(y + (size_t)r * n, 0, (size_t)n * sizeof *y);
}

static void relu(float *y, size_t n, int mode)
{
    for (size_t i = 0; i < n; i++)
        y[i] = pr_nn_act(y[i], mode);
}

void pr_nn_conv_fast_n(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                       float *y, float *col, int n)
{
    int m = n * ys.h * ys.w, cout = ys.c, k = op->kh * op->kw * xs.c;
    bias_rows(op->bias, m, cout, y);
    if (xs.h == 1 && xs.w == 1 && ys.h == 1 && ys.w == 1 && op->pad_top < op->kh &&
        op->pad_left < op->kw) {
        /* 1x1 maps (the recognition net's last block): only the tap over the pixel is non-zero. */
        const float *w = op->weights + (size_t)(op->pad_top * op->kw + op->pad_left) * xs.c * cout;
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, n, cout, xs.c, 1.0f, x, xs.c, w,
                    cout, 1.0f, y, cout);
    } else if (op->kh == 1 && op->kw == 1 && op->stride == 1 && op->pad_top == 0 &&
               op->pad_left == 0 && ys.h == xs.h && ys.w == xs.w) {
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, cout, k, 1.0f, x, k, op->weights,
                    cout, 1.0f, y, cout);
    } else {
        /* im2col in blocks of rows that stay in cache rather than the whole matrix. */
        int block = col_block_rows(k);
        for (int p0 = 0; p0 < m; p0 += block) {
            int p1 = p0 + block < m ? p0 + block : m;
            im2col(op, xs, x, ys, p0, p1, col);
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, p1 - p0, cout, k, 1.0f, col, k,
                        op->weights, cout, 1.0f, y + (size_t)p0 * cout, cout);
        }
    }
    if (op->relu)
        relu(y, (size_t)m * cout, op->relu);
}

void pr_nn_conv_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y,
                     float *col)
{
    pr_nn_conv_fast_n(op, xs, x, ys, y, col, 1);
}

/* y += x * w over n channels (restrict: the compiler vectorises it without alias checks). */
static void madd(float *restrict y, const float *restrict x, const float *restrict w, int n)
{
    for (int i = 0; i < n; i++)
        y[i] += x[i] * w[i];
}

/* One output pixel's channels of a depthwise convolution (channel loop innermost: vectorises). */
void pr_nn_dwconv_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                       float *y)
{
    int c = xs.c;
    for (int oy = 0; oy < ys.h; oy++)
        for (int ox = 0; ox < ys.w; ox++) {
            float *yp = y + ((size_t)oy * ys.w + ox) * c;
            for (int ch = 0; ch < c; ch++)
                yp[ch] = op->bias ? op->bias[ch] : 0.0f;
            for (int ky = 0; ky < op->kh; ky++) {
                int iy = oy * op->stride + ky - op->pad_top;
                if (iy < 0 || iy >= xs.h)
                    continue;
                for (int kx = 0; kx < op->kw; kx++) {
                    int ix = ox * op->stride + kx - op->pad_left;
                    if (ix < 0 || ix >= xs.w)
                        continue;
                    madd(yp, x + ((size_t)iy * xs.w + ix) * c,
                         op->weights + (size_t)(ky * op->kw + kx) * c, c);
                }
            }
            if (op->relu)
                relu(yp, (size_t)c, op->relu);
        }
}

void pr_nn_fc_fast(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y)
{
    int n = xs.h * xs.w * xs.c;
    bias_rows(op->bias, 1, ys.c, y);
    cblas_sgemv(CblasRowMajor, CblasTrans, n, ys.c, 1.0f, op->weights, ys.c, x, 1, 1.0f, y, 1);
    if (op->relu)
        relu(y, (size_t)ys.c, op->relu);
}

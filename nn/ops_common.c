/* Pooling, residual addition and the global mean: one implementation for both paths. */
#include "nn/ops.h"

#include <float.h>
#include <string.h>

void pr_nn_pool(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y)
{
    int c = xs.c, is_max = op->kind == PR_NN_MAXPOOL;
    float inv = 1.0f / (float)(op->kh * op->kw);
    for (int oy = 0; oy < ys.h; oy++)
        for (int ox = 0; ox < ys.w; ox++)
            for (int ch = 0; ch < c; ch++) {
                float acc = is_max ? -FLT_MAX : 0.0f;
                for (int ky = 0; ky < op->kh; ky++)
                    for (int kx = 0; kx < op->kw; kx++) {
                        float v = x[(((size_t)oy * op->stride + ky) * xs.w + (size_t)ox * op->stride +
                                     kx) * c + ch];
                        if (is_max)
                            acc = v > acc ? v : acc;
                        else
                            acc += v;
                    }
                y[((size_t)oy * ys.w + ox) * c + ch] = is_max ? acc : acc * inv;
            }
}

/* Element of a value read as zero outside its own extent (the residualDown zero padding). */
static float at(pr_nn_shape s, const float *v, int yy, int xx, int ch)
{
    if (yy >= s.h || xx >= s.w || ch >= s.c)
        return 0.0f;
    return v[((size_t)yy * s.w + xx) * s.c + ch];
}

void pr_nn_add(const pr_nn_op *op, pr_nn_shape as, const float *a, pr_nn_shape bs, const float *b,
               pr_nn_shape ys, float *y)
{
    int same = as.h == bs.h && as.w == bs.w && as.c == bs.c;
    size_t n = (size_t)ys.h * ys.w * ys.c;
    if (same) {
        for (size_t i = 0; i < n; i++) {
            float v = a[i] + b[i];
            y[i] = pr_nn_act(v, op->relu);
        }
        return;
    }
    for (int yy = 0; yy < ys.h; yy++)
        for (int xx = 0; xx < ys.w; xx++)
            for (int ch = 0; ch < ys.c; ch++) {
                float v = at(as, a, yy, xx, ch) + at(bs, b, yy, xx, ch);
                y[((size_t)yy * ys.w + xx) * ys.c + ch] = pr_nn_act(v, op->relu);
            }
}

void pr_nn_mean(pr_nn_shape xs, const float *x, float *y)
{
    size_t pixels = (size_t)xs.h * xs.w;
    for (int ch = 0; ch < xs.c; ch++) {
        float acc = 0;
        for (size_t p = 0; p < pixels; p++)
            acc += x[p * xs.c + ch];
        y[ch] = acc / (float)pixels;
    }
}

void pr_nn_concat(const float *a, size_t na, const float *b, size_t nb, float *y)
{
    memmove(y, a, na * sizeof *y);
    memmove(y + na, b, nb * sizeof *y);
}

/* Reference kernels: direct loops straight from the definitions, accumulating in double. */
#include "nn/ops.h"

static float finish(double acc, const pr_nn_op *op, int co)
{
    if (op->bias)
        acc += op->bias[co];
    float v = (float)acc;
    return pr_nn_act(v, op->relu);
}

void pr_nn_conv_ref(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y)
{
    int cin = xs.c, cout = ys.c;
    for (int oy = 0; oy < ys.h; oy++)
        for (int ox = 0; ox < ys.w; ox++)
            for (int co = 0; co < cout; co++) {
                double acc = 0;
                for (int ky = 0; ky < op->kh; ky++) {
                    int iy = oy * op->stride + ky - op->pad_top;
                    if (iy < 0 || iy >= xs.h)
                        continue;
                    for (int kx = 0; kx < op->kw; kx++) {
                        int ix = ox * op->stride + kx - op->pad_left;
                        if (ix < 0 || ix >= xs.w)
                            continue;
                        const float *xp = x + ((long)iy * xs.w + ix) * cin;
                        const float *wp = op->weights + ((long)(ky * op->kw + kx) * cin) * cout + co;
                        for (int ci = 0; ci < cin; ci++)
                            acc += (double)xp[ci] * wp[(long)ci * cout];
                    }
                }
                y[((long)oy * ys.w + ox) * cout + co] = finish(acc, op, co);
            }
}

void pr_nn_dwconv_ref(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys,
                      float *y)
{
    int c = xs.c;
    for (int oy = 0; oy < ys.h; oy++)
        for (int ox = 0; ox < ys.w; ox++)
            for (int ch = 0; ch < c; ch++) {
                double acc = 0;
                for (int ky = 0; ky < op->kh; ky++) {
                    int iy = oy * op->stride + ky - op->pad_top;
                    for (int kx = 0; kx < op->kw; kx++) {
                        int ix = ox * op->stride + kx - op->pad_left;
                        if (iy < 0 || iy >= xs.h || ix < 0 || ix >= xs.w)
                            continue;
                        acc += (double)x[((long)iy * xs.w + ix) * c + ch] *
                               op->weights[(ky * op->kw + kx) * c + ch];
                    }
                }
                y[((long)oy * ys.w + ox) * c + ch] = finish(acc, op, ch);
            }
}

void pr_nn_fc_ref(const pr_nn_op *op, pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y)
{
    long n = (long)xs.h * xs.w * xs.c;
    for (int o = 0; o < ys.c; o++) {
        double acc = 0;
        for (long i = 0; i < n; i++)
            acc += (double)x[i] * op->weights[i * ys.c + o];
        y[o] = finish(acc, op, o);
    }
}

/* Fast kernels (im2col + sgemm) against the direct-loop reference on random tensors of awkward
 * shapes, through whole small plans: fast = reference within 1e-5 relative. */
#include "core/alloc.h"
#include "nn/ops.h"
#include "nn/plan.h"
#include "nn/run.h"
#include "tests/test.h"

#include <math.h>
#include <stdint.h>
#include <string.h>

static uint64_t state = 12345;

static float frand(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float)((state >> 40) / (double)(1 << 24)) * 2.0f - 1.0f;
}

static float *rand_array(size_t n)
{
    float *a = pr_malloc_array(n, sizeof *a);
    for (size_t i = 0; a && i < n; i++)
        a[i] = frand();
    return a;
}

/* Runs plan both ways on one random input; returns max |fast - ref| / max |ref|. */
static double compare(pr_nn_plan *plan)
{
    pr_nn_shape in = plan->values[0], out = plan->values[plan->output];
    size_t nin = (size_t)in.h * in.w * in.c, nout = (size_t)out.h * out.w * out.c;
    float *x = rand_array(nin), *a = pr_malloc_array(nout, sizeof(float)),
          *b = pr_malloc_array(nout, sizeof(float));
    float *ws = pr_nn_workspace_new(plan);
    pr_nn_run(plan, PR_NN_MODE_FAST, x, a, ws);
    pr_nn_run(plan, PR_NN_MODE_REFERENCE, x, b, ws);
    double maxd = 0, maxv = 0;
    for (size_t i = 0; i < nout; i++) {
        maxd = fmax(maxd, fabs((double)a[i] - b[i]));
        maxv = fmax(maxv, fabs((double)b[i]));
    }
    PR_CHECK_MSG(maxv > 0, "output all zero");
    /* A batch of 3 (the first input again, then two more) equals one-at-a-time runs. */
    float *xs3 = rand_array(3 * nin), *y3 = pr_malloc_array(3 * nout, sizeof(float));
    float *one = pr_malloc_array(nout, sizeof(float)), *ws3 = pr_nn_workspace_new_n(plan, 3);
    memcpy(xs3, x, nin * sizeof(float));
    pr_nn_run_n(plan, PR_NN_MODE_FAST, 3, xs3, y3, ws3);
    for (int k = 0; k < 3; k++) {
        pr_nn_run(plan, PR_NN_MODE_FAST, xs3 + k * nin, one, ws);
        for (size_t i = 0; i < nout; i++)
            maxd = fmax(maxd, fabs((double)y3[k * nout + i] - one[i]));
    }
    pr_free(xs3);
    pr_free(y3);
    pr_free(one);
    pr_free(ws3);
    pr_free(x);
    pr_free(a);
    pr_free(b);
    pr_free(ws);
    return maxv > 0 ? maxd / maxv : 1;
}

static void conv_case(int h, int w, int cin, int cout, int k, int stride, pr_nn_padding pad,
                      int relu)
{
    pr_nn_plan *plan;
    int v;
    PR_CHECK_OK(pr_nn_plan_new((pr_nn_shape){h, w, cin}, &plan));
    PR_CHECK_OK(pr_nn_plan_conv(plan, "c", 0, k, stride, pad, cout,
                                rand_array((size_t)k * k * cin * cout), rand_array((size_t)cout),
                                relu, &v));
    PR_CHECK_OK(pr_nn_plan_finish(plan, v));
    double rel = compare(plan);
    PR_CHECK_MSG(rel < 1e-5, "conv %dx%dx%d k%d s%d pad%d -> %d: rel %.3g", h, w, cin, k, stride,
                 (int)pad, cout, rel);
    pr_nn_plan_delete(plan);
}

/* Depthwise with bias and activation, through the runner and through every vector width the CPU
 * has: each width gives the same bits (same float operations per channel), all equal the
 * reference within 1e-5. Inputs span [-4, 4] so that ReLU6 clamps at both ends. */
static void dw_case(int h, int w, int c, int stride, pr_nn_padding pad, int relu, int bias)
{
    pr_nn_plan *plan;
    int v;
    float *wt = rand_array((size_t)9 * c), *b = bias ? rand_array((size_t)c) : NULL;
    PR_CHECK_OK(pr_nn_plan_new((pr_nn_shape){h, w, c}, &plan));
    PR_CHECK_OK(pr_nn_plan_dwconv_bias(plan, "dw", 0, 3, stride, pad, wt, b, relu, &v));
    PR_CHECK_OK(pr_nn_plan_finish(plan, v));
    double rel = compare(plan);
    PR_CHECK_MSG(rel < 1e-5, "dw %dx%dx%d s%d pad%d relu%d: rel %.3g", h, w, c, stride, (int)pad,
                 relu, rel);
    const pr_nn_op *op = &plan->ops[0];
    pr_nn_shape xs = plan->values[0], ys = plan->values[v];
    size_t nin = (size_t)h * w * c, nout = (size_t)ys.h * ys.w * ys.c;
    float *x = rand_array(nin), *ref = pr_malloc_array(nout, sizeof(float));
    float *first = pr_malloc_array(nout, sizeof(float)), *y = pr_malloc_array(nout, sizeof(float));
    for (size_t i = 0; i < nin; i++)
        x[i] *= 4.0f;
    pr_nn_dwconv_ref(op, xs, x, ys, ref);
    int n_isa = 0;
    for (int isa = PR_NN_ISA_SCALAR; isa <= PR_NN_ISA_AVX512; isa++) {
        if (!pr_nn_isa_supported((pr_nn_isa)isa))
            continue;
        float *out = n_isa++ ? y : first;
        memset(out, 0xff, nout * sizeof(float)); /* NaN: a pixel left unwritten fails */
        pr_nn_dwconv_fast_isa(op, xs, x, ys, out, (pr_nn_isa)isa);
        double maxd = 0, maxv = 0;
        for (size_t i = 0; i < nout; i++) {
            double d = fabs((double)out[i] - ref[i]);
            if (!(d <= maxd)) /* NaN too (fmax would drop it) */
                maxd = d;
            maxv = fmax(maxv, fabs((double)ref[i]));
        }
        PR_CHECK_MSG(maxd <= 1e-5 * fmax(maxv, 1e-30) && maxv > 0,
                     "dw isa %d %dx%dx%d s%d relu%d: max diff %.3g of %.3g", isa, h, w, c, stride,
                     relu, maxd, maxv);
        PR_CHECK_MSG(out == first || memcmp(out, first, nout * sizeof(float)) == 0,
                     "dw isa %d %dx%dx%d s%d: bits differ from the scalar kernel", isa, h, w, c,
                     stride);
        if (relu == PR_NN_RELU6)
            for (size_t i = 0; i < nout; i++)
                PR_CHECK_MSG(out[i] >= 0.0f && out[i] <= 6.0f, "dw relu6 out of range: %g",
                             (double)out[i]);
    }
    PR_CHECK(n_isa == 2 + !!pr_nn_isa_supported(PR_NN_ISA_AVX2) +
                          !!pr_nn_isa_supported(PR_NN_ISA_AVX512));
    pr_free(x);
    pr_free(ref);
    pr_free(first);
    pr_free(y);
    pr_nn_plan_delete(plan);
}

/* Separable conv + residual zero-extended add + pools + mean + fc, awkward sizes. */
static void mixed_case(int h, int w, int c)
{
    pr_nn_plan *plan;
    int d, p, y, s, m, f, mp;
    PR_CHECK_OK(pr_nn_plan_new((pr_nn_shape){h, w, c}, &plan));
    PR_CHECK_OK(pr_nn_plan_dwconv(plan, "dw", 0, 3, 2, PR_NN_SAME, rand_array((size_t)9 * c), &d));
    PR_CHECK_OK(pr_nn_plan_conv(plan, "pw", d, 1, 1, PR_NN_VALID, 2 * c,
                                rand_array((size_t)c * 2 * c), rand_array((size_t)2 * c), 0, &y));
    PR_CHECK_OK(pr_nn_plan_conv(plan, "down", 0, 3, 2, PR_NN_VALID, 2 * c,
                                rand_array((size_t)9 * c * 2 * c), NULL, 1, &s));
    PR_CHECK_OK(pr_nn_plan_pool(plan, PR_NN_AVGPOOL, 0, 2, 2, &p));
    PR_CHECK_OK(pr_nn_plan_add(plan, p, s, 1, &s));   /* channels and rows zero-extended */
    PR_CHECK_OK(pr_nn_plan_add(plan, y, s, 0, &s));
    PR_CHECK_OK(pr_nn_plan_pool(plan, PR_NN_MAXPOOL, s, 2, 1, &mp));
    PR_CHECK_OK(pr_nn_plan_mean(plan, mp, &m));
    PR_CHECK_OK(pr_nn_plan_fc(plan, "fc", m, 7, rand_array((size_t)2 * c * 7), rand_array(7), &f));
    PR_CHECK_OK(pr_nn_plan_finish(plan, f));
    double rel = compare(plan);
    PR_CHECK_MSG(rel < 1e-5, "mixed %dx%dx%d: rel %.3g", h, w, c, rel);
    pr_nn_plan_delete(plan);
}

/* The residualDown zero extension, checked by value on a tiny case. */
static void add_extension_case(void)
{
    pr_nn_plan *plan;
    int a, sum;
    PR_CHECK_OK(pr_nn_plan_new((pr_nn_shape){2, 2, 2}, &plan));
    PR_CHECK_OK(pr_nn_plan_pool(plan, PR_NN_AVGPOOL, 0, 2, 2, &a)); /* 1x1x2 */
    PR_CHECK_OK(pr_nn_plan_add(plan, 0, a, 0, &sum));               /* 2x2x2 */
    PR_CHECK_OK(pr_nn_plan_finish(plan, sum));
    PR_CHECK_EQ_INT(plan->values[sum].h, 2);
    PR_CHECK_EQ_INT(plan->values[sum].c, 2);
    float x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, y[8];
    float *ws = pr_nn_workspace_new(plan);
    pr_nn_run(plan, PR_NN_MODE_FAST, x, y, ws);
    /* mean of channel 0 = 4, channel 1 = 5; only pixel (0,0) gets it */
    PR_CHECK_NEAR(y[0], 5.0, 1e-6);
    PR_CHECK_NEAR(y[1], 7.0, 1e-6);
    PR_CHECK_NEAR(y[2], 3.0, 1e-6);
    PR_CHECK_NEAR(y[7], 8.0, 1e-6);
    pr_free(ws);
    pr_nn_plan_delete(plan);
}

int main(void)
{
    conv_case(13, 7, 3, 5, 3, 1, PR_NN_SAME, 1);
    conv_case(13, 7, 3, 5, 3, 2, PR_NN_SAME, 0);
    conv_case(11, 9, 4, 6, 3, 2, PR_NN_VALID, 1);
    conv_case(21, 17, 3, 8, 7, 2, PR_NN_VALID, 1);
    conv_case(6, 5, 17, 9, 1, 1, PR_NN_VALID, 0);
    conv_case(1, 1, 33, 12, 3, 1, PR_NN_SAME, 0);
    conv_case(4, 3, 40, 24, 3, 1, PR_NN_SAME, 1);
    conv_case(2, 9, 5, 3, 3, 2, PR_NN_SAME, 1);
    /* Pointwise outputs of more than one cache block (65536 / 64 = 1024 rows of 1600), ReLU6. */
    conv_case(40, 40, 5, 64, 1, 1, PR_NN_SAME, PR_NN_RELU6);
    conv_case(37, 29, 3, 32, 3, 2, PR_NN_SAME, PR_NN_RELU6);
    conv_case(1, 1, 19, 7, 1, 1, PR_NN_VALID, PR_NN_RELU6);
    /* Depthwise: strides 1 and 2, odd sizes, channel counts off every vector width, maps with no
     * interior pixel (1x1, 2x2, one row), VALID padding, no bias, each activation. */
    static const int channels[] = {1, 3, 4, 5, 8, 16, 17, 33, 40, 64, 69, 130};
    for (size_t i = 0; i < sizeof channels / sizeof *channels; i++) {
        int c = channels[i];
        dw_case(13, 11, c, 1, PR_NN_SAME, PR_NN_RELU6, 1);
        dw_case(13, 11, c, 2, PR_NN_SAME, PR_NN_RELU6, 1);
        dw_case(10, 7, c, 2, PR_NN_SAME, 1, 0);
        dw_case(9, 12, c, 1, PR_NN_VALID, 0, 1);
        dw_case(8, 9, c, 2, PR_NN_VALID, PR_NN_RELU6, 0);
    }
    dw_case(1, 1, 35, 1, PR_NN_SAME, PR_NN_RELU6, 1);
    dw_case(2, 2, 48, 2, PR_NN_SAME, 0, 1);
    dw_case(1, 9, 21, 1, PR_NN_SAME, 1, 1);
    dw_case(5, 1, 16, 2, PR_NN_SAME, PR_NN_RELU6, 1);
    dw_case(3, 3, 80, 1, PR_NN_VALID, PR_NN_RELU6, 1);
    mixed_case(9, 9, 4);
    mixed_case(12, 10, 6);
    mixed_case(7, 15, 3);
    add_extension_case();
    /* A shape that gives an empty output is refused. */
    pr_nn_plan *plan;
    int v;
    PR_CHECK_OK(pr_nn_plan_new((pr_nn_shape){2, 2, 1}, &plan));
    PR_CHECK(pr_nn_plan_conv(plan, "big", 0, 3, 1, PR_NN_VALID, 1, rand_array(9), NULL, 0, &v) ==
             PR_ERR_ARG);
    pr_nn_plan_delete(plan);
    return pr_test_finish();
}

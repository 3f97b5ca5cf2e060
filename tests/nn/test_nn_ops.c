/* Fast kernels (im2col + sgemm) against the direct-loop reference on random tensors of awkward
 * shapes, through whole small plans: fast = reference within 1e-5 relative. */
#include "core/alloc.h"
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

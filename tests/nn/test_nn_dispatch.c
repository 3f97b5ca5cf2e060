/* nn/dispatch.h: on a machine without a usable GPU (or a build without CUDA), AUTO falls back to
 * the CPU and gives exactly pr_nn_run's floats, and GPU is a clear error. Where a GPU is usable,
 * AUTO must pick it (the numbers are test_nn_gpu's business). Uses a small plan built here with
 * every op kind, so it needs no model files. */
#include "cuda/gpu.h"
#include "nn/dispatch.h"
#include "nn/run.h"
#include "tests/test.h"

#include "core/alloc.h"
#include "core/rng.h"

static float *random_array(pr_rng *rng, size_t n)
{
    float *a = pr_malloc_array(n, sizeof *a);
    for (size_t i = 0; a && i < n; i++)
        a[i] = (float)(pr_rng_uniform(rng) - 0.5);
    return a;
}

/* 9x9x3 -> conv 3x3/2 same (8, ReLU) -> depthwise 3x3 -> maxpool 2 ... a residual add with
 * zero-extension, mean, fc 5: every op kind once. */
static pr_nn_plan *small_plan(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 7);
    pr_nn_plan *p = NULL;
    int v1, v2, v3, v4, v5, v6, v7;
    if (pr_nn_plan_new((pr_nn_shape){9, 9, 3}, &p) != PR_OK)
        return NULL;
    pr_status st = pr_nn_plan_conv(p, "c1", 0, 3, 2, PR_NN_SAME, 8, random_array(&rng, 216),
                                   random_array(&rng, 8), 1, &v1);
    if (st == PR_OK)
        st = pr_nn_plan_dwconv(p, "dw", v1, 3, 1, PR_NN_SAME, random_array(&rng, 72), &v2);
    if (st == PR_OK)
        st = pr_nn_plan_pool(p, PR_NN_MAXPOOL, v2, 2, 2, &v3);
    if (st == PR_OK)
        st = pr_nn_plan_conv(p, "c2", v3, 1, 1, PR_NN_VALID, 12, random_array(&rng, 96), NULL, 0,
                             &v4);
    if (st == PR_OK)
        st = pr_nn_plan_add(p, v4, v2, 1, &v5); /* 2x2x12 + 5x5x8 -> 5x5x12 */
    if (st == PR_OK)
        st = pr_nn_plan_mean(p, v5, &v6);
    if (st == PR_OK)
        st = pr_nn_plan_fc(p, "fc", v6, 5, random_array(&rng, 60), random_array(&rng, 5), &v7);
    if (st == PR_OK)
        st = pr_nn_plan_finish(p, v7);
    if (st != PR_OK) {
        fprintf(stderr, "small plan: %s\n", pr_last_error());
        pr_nn_plan_delete(p);
        return NULL;
    }
    return p;
}

int main(void)
{
    pr_nn_plan *plan = small_plan();
    PR_CHECK(plan != NULL);
    if (!plan)
        return pr_test_finish();
    enum { N = 4, IN = 9 * 9 * 3, OUT = 5 };
    pr_rng rng;
    pr_rng_seed(&rng, 11);
    float *x = random_array(&rng, N * IN), want[N * OUT], got[N * OUT];
    float *ws = pr_nn_workspace_new(plan);
    PR_CHECK(x && ws);
    for (int b = 0; x && ws && b < N; b++)
        pr_nn_run(plan, PR_NN_MODE_FAST, x + b * IN, want + b * OUT, ws);

    pr_nn_runner *r = NULL;
    PR_CHECK_OK(pr_nn_runner_new(plan, PR_DEVICE_AUTO, 0, &r));
    int gpu = pr_gpu_available();
    PR_CHECK_EQ_INT(pr_nn_runner_device(r), gpu ? PR_DEVICE_GPU : PR_DEVICE_CPU);
    memset(got, 0, sizeof got);
    PR_CHECK_OK(pr_nn_runner_run(r, x, N, got));
    if (!gpu)
        PR_CHECK(memcmp(got, want, sizeof got) == 0);
    pr_nn_runner_delete(r);

    memset(got, 0, sizeof got);
    PR_CHECK_OK(pr_nn_run_batch(plan, PR_DEVICE_CPU, x, N, got));
    PR_CHECK(memcmp(got, want, sizeof got) == 0);

    r = NULL;
    pr_status st = pr_nn_runner_new(plan, PR_DEVICE_GPU, 0, &r);
    if (gpu) {
        PR_CHECK_OK(st);
    } else {
        PR_CHECK(st == PR_ERR_UNSUPPORTED || st == PR_ERR_CUDA);
        PR_CHECK(r == NULL);
        PR_CHECK(strstr(pr_last_error(), "GPU requested") != NULL);
        fprintf(stderr, "GPU requested without a GPU: %s\n", pr_last_error());
    }
    pr_nn_runner_delete(r);
    PR_CHECK(pr_nn_run_batch(plan, PR_DEVICE_AUTO, x, 0, got) == PR_OK);
    PR_CHECK(pr_nn_runner_new(plan, (pr_device)9, 0, &r) == PR_ERR_ARG);
    pr_free(ws);
    pr_free(x);
    pr_nn_plan_delete(plan);
    return pr_test_finish();
}

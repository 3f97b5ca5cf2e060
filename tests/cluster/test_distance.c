/* CPU pairwise distances: the tiled, vectorised, threaded path equals the scalar definition bit for
 * bit, for both metrics, odd sizes, the symmetric shortcut and any thread count; AUTO falls back
 * to the CPU on a machine without a GPU; known values. */
#include "cluster/distance.h"
#include "cuda/gpu.h"
#include "helpers.h"
#include "tests/test.h"

static void fill_hist(pr_rng *rng, float *x, int n, int dim)
{
    for (int i = 0; i < n; i++) {
        double sum = 0;
        for (int k = 0; k < dim; k++) {
            /* sparse, like colour histograms: about a third of the bins empty */
            double v = pr_rng_uniform(rng) < 0.35 ? 0.0 : pr_rng_uniform(rng);
            x[(size_t)i * dim + k] = (float)v;
            sum += v;
        }
        for (int k = 0; k < dim && sum > 0; k++)
            x[(size_t)i * dim + k] = (float)(x[(size_t)i * dim + k] / sum);
    }
}

int main(void)
{
    /* Known values. */
    {
        float a[3] = {0.5f, 0.5f, 0.0f}, b[3] = {0.0f, 0.5f, 0.5f};
        PR_CHECK_NEAR(pr_distance_one(PR_DISTANCE_L2, a, b, 3), sqrt(0.5), 1e-7);
        PR_CHECK_NEAR(pr_distance_one(PR_DISTANCE_CHI2, a, b, 3), 0.5 * (0.5 + 0.5), 1e-7);
        PR_CHECK(pr_distance_one(PR_DISTANCE_CHI2, a, a, 3) == 0.0f);
    }
    pr_rng rng;
    pr_rng_seed(&rng, 17);
    const int sizes[][3] = {{1, 1, 1}, {37, 37, 5}, {100, 53, 17}, {257, 257, 64}, {33, 290, 96}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int na = sizes[s][0], nb = sizes[s][1], dim = sizes[s][2];
        float *a = malloc((size_t)na * dim * sizeof *a);
        float *b = malloc((size_t)nb * dim * sizeof *b);
        float *out = malloc((size_t)na * nb * sizeof *out);
        float *sym = malloc((size_t)na * na * sizeof *sym);
        fill_hist(&rng, a, na, dim);
        fill_hist(&rng, b, nb, dim);
        for (int metric = 0; metric < 2; metric++) {
            for (int threads = 1; threads <= 3; threads += 2) {
                pr_distance_params p = pr_distance_params_default();
                p.metric = (pr_distance_metric)metric;
                p.device = PR_DISTANCE_CPU;
                p.threads = threads;
                int gpu = -1;
                PR_CHECK_OK(pr_distance_pairwise(&p, a, na, b, nb, dim, out, &gpu));
                PR_CHECK_EQ_INT(gpu, 0);
                int same = 1;
                for (int i = 0; i < na; i++)
                    for (int j = 0; j < nb; j++)
                        same &= out[(size_t)i * nb + j] ==
                                pr_distance_one(p.metric, a + (size_t)i * dim,
                                                b + (size_t)j * dim, dim);
                PR_CHECK_MSG(same, "metric %d, %d x %d x %d, %d threads", metric, na, nb, dim,
                             threads);
                /* symmetric shortcut */
                PR_CHECK_OK(pr_distance_pairwise(&p, a, na, a, na, dim, sym, NULL));
                same = 1;
                for (int i = 0; i < na; i++)
                    for (int j = 0; j < na; j++)
                        same &= sym[(size_t)i * na + j] ==
                                pr_distance_one(p.metric, a + (size_t)i * dim,
                                                a + (size_t)j * dim, dim);
                PR_CHECK_MSG(same, "symmetric, metric %d, n %d", metric, na);
            }
        }
        /* AUTO without a usable GPU runs on the CPU and succeeds. */
        if (!pr_gpu_available()) {
            pr_distance_params p = pr_distance_params_default();
            int gpu = -1;
            PR_CHECK_OK(pr_distance_pairwise(&p, a, na, b, nb, dim, out, &gpu));
            PR_CHECK_EQ_INT(gpu, 0);
            p.device = PR_DISTANCE_GPU;
            PR_CHECK(pr_distance_pairwise(&p, a, na, b, nb, dim, out, &gpu) != PR_OK);
        }
        free(a);
        free(b);
        free(out);
        free(sym);
    }
    {
        float x[2] = {0, 0}, o[1];
        pr_distance_params p = pr_distance_params_default();
        PR_CHECK_EQ_INT(pr_distance_pairwise(&p, x, 1, x, 1, 0, o, NULL), PR_ERR_ARG);
        p.metric = (pr_distance_metric)7;
        PR_CHECK_EQ_INT(pr_distance_pairwise(&p, x, 1, x, 1, 2, o, NULL), PR_ERR_ARG);
    }
    return pr_test_finish();
}

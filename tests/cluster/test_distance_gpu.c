/* GPU parity: the CUDA pairwise kernels give exactly the CPU reference's floats, on random
 * histograms (with empty bins) and random signed vectors, at sizes that are not multiples of the
 * tile, including a request large enough to be cut into several row chunks. Skipped (77) without
 * a usable GPU. */
#include "cluster/distance.h"
#include "cuda/gpu.h"
#include "helpers.h"
#include "tests/test.h"

int main(void)
{
    pr_gpu_info info;
    if (pr_gpu_probe(&info) != PR_OK) {
        fprintf(stderr, "skipped: %s\n", pr_last_error());
        return PR_TEST_SKIP;
    }
    fprintf(stderr, "GPU: %s (sm_%d%d)\n", info.name, info.major, info.minor);
    pr_rng rng;
    pr_rng_seed(&rng, 23);
    const int sizes[][3] = {{1, 1, 1}, {65, 63, 17}, {300, 1000, 96}, {1500, 1500, 64},
                            {100, 70000, 8}};
    for (size_t s = 0; s < sizeof sizes / sizeof sizes[0]; s++) {
        int na = sizes[s][0], nb = sizes[s][1], dim = sizes[s][2];
        float *a = malloc((size_t)na * dim * sizeof *a);
        float *b = malloc((size_t)nb * dim * sizeof *b);
        float *cpu = malloc((size_t)na * nb * sizeof *cpu);
        float *gpu = malloc((size_t)na * nb * sizeof *gpu);
        for (int signed_values = 0; signed_values < 2; signed_values++) {
            for (size_t e = 0; e < (size_t)na * dim; e++)
                a[e] = signed_values ? (float)pr_rng_normal(&rng)
                                     : (pr_rng_uniform(&rng) < 0.3 ? 0.0f
                                                                   : (float)pr_rng_uniform(&rng));
            for (size_t e = 0; e < (size_t)nb * dim; e++)
                b[e] = signed_values ? (float)pr_rng_normal(&rng)
                                     : (pr_rng_uniform(&rng) < 0.3 ? 0.0f
                                                                   : (float)pr_rng_uniform(&rng));
            for (int metric = 0; metric < 2; metric++) {
                pr_distance_params p = pr_distance_params_default();
                p.metric = (pr_distance_metric)metric;
                p.device = PR_DISTANCE_CPU;
                PR_CHECK_OK(pr_distance_pairwise(&p, a, na, b, nb, dim, cpu, NULL));
                p.device = PR_DISTANCE_GPU;
                int used = 0;
                PR_CHECK_OK(pr_distance_pairwise(&p, a, na, b, nb, dim, gpu, &used));
                PR_CHECK_EQ_INT(used, 1);
                size_t diff = 0;
                for (size_t e = 0; e < (size_t)na * nb; e++)
                    diff += memcmp(&cpu[e], &gpu[e], sizeof(float)) != 0;
                PR_CHECK_MSG(diff == 0, "%zu of %zu differ (metric %d, %d x %d x %d, %s)", diff,
                             (size_t)na * nb, metric, na, nb, dim,
                             signed_values ? "signed" : "histograms");
            }
        }
        free(a);
        free(b);
        free(cpu);
        free(gpu);
    }
    return pr_test_finish();
}

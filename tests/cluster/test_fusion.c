/* Distance fusion: exact mid-ranks, sampled ranks close to exact, missing cues drop out with the
 * weights renormalised, same-event-only cues, the z-score scale, and argument errors. */
#include "cluster/fusion.h"
#include "helpers.h"
#include "tests/test.h"

int main(void)
{
    /* Three instances, pairs (0,1) = 1, (0,2) = 3, (1,2) = 2: ranks 1/6, 5/6, 3/6. */
    {
        float a[9] = {0, 1, 3, 1, 0, 2, 3, 2, 0};
        pr_cue_matrix cue = {"a", a, 1.0, 0};
        float out[9];
        pr_fusion_params p = pr_fusion_params_default();
        PR_CHECK_OK(pr_fuse_distances(&p, &cue, 1, 3, out));
        PR_CHECK_NEAR(out[1], 1.0 / 6, 1e-6);
        PR_CHECK_NEAR(out[2], 5.0 / 6, 1e-6);
        PR_CHECK_NEAR(out[5], 3.0 / 6, 1e-6);
        PR_CHECK(out[0] == 0 && out[4] == 0 && out[8] == 0);
        PR_CHECK(out[3] == out[1] && out[6] == out[2]);

        /* A second cue with the opposite order and NaN on (0,2): there only cue a counts. */
        float b[9] = {0, 3, NAN, 3, 0, 1, NAN, 1, 0};
        pr_cue_matrix cues[2] = {{"a", a, 1.0, 0}, {"b", b, 3.0, 0}};
        PR_CHECK_OK(pr_fuse_distances(&p, cues, 2, 3, out));
        /* b ranks over its two pairs: (0,1) = 3 -> 3/4, (1,2) = 1 -> 1/4. */
        PR_CHECK_NEAR(out[1], (1.0 / 6 + 3 * 0.75) / 4, 1e-6);
        PR_CHECK_NEAR(out[5], (3.0 / 6 + 3 * 0.25) / 4, 1e-6);
        PR_CHECK_NEAR(out[2], 5.0 / 6, 1e-6);

        /* Same-event-only: instances 0 and 1 share event 7, instance 2 is elsewhere. */
        int32_t event[3] = {7, 7, 8};
        cues[1].same_event_only = 1;
        cues[1].d = a;
        p.event = event;
        PR_CHECK_OK(pr_fuse_distances(&p, cues, 2, 3, out));
        /* cue b (= a's values) applies only to (0,1), alone in its distribution: rank 1/2. */
        PR_CHECK_NEAR(out[1], (1.0 / 6 + 3 * 0.5) / 4, 1e-6);
        PR_CHECK_NEAR(out[2], 5.0 / 6, 1e-6);
        PR_CHECK_NEAR(out[5], 3.0 / 6, 1e-6);

        /* No cue at all for a pair: params.missing. */
        float c[9] = {0, NAN, 1, NAN, 0, 2, 1, 2, 0};
        pr_cue_matrix only = {"c", c, 1.0, 0};
        p.missing = 0.75f;
        PR_CHECK_OK(pr_fuse_distances(&p, &only, 1, 3, out));
        PR_CHECK(out[1] == 0.75f && out[3] == 0.75f);

        /* Errors. */
        p = pr_fusion_params_default();
        cues[1].same_event_only = 1;
        PR_CHECK_EQ_INT(pr_fuse_distances(&p, cues, 2, 3, out), PR_ERR_ARG); /* no events */
        cues[1].same_event_only = 0;
        cues[1].weight = -1;
        PR_CHECK_EQ_INT(pr_fuse_distances(&p, cues, 2, 3, out), PR_ERR_ARG);
        PR_CHECK_EQ_INT(pr_fuse_distances(&p, cues, 0, 3, out), PR_ERR_ARG);
    }

    /* Bigger: sampled ranks stay within a few hundredths of the exact ones; a monotone transform
     * of a cue changes nothing under ranks; the z-score scale is in [0, 1] and symmetric. */
    {
        pr_rng rng;
        pr_rng_seed(&rng, 3);
        int n = 400;
        float *d = random_points_matrix(&rng, n, 3, 0, 0, NULL);
        float *sq = malloc((size_t)n * n * sizeof *sq);
        for (size_t e = 0; e < (size_t)n * n; e++)
            sq[e] = d[e] * d[e] * 7.0f;
        float *exact = malloc((size_t)n * n * sizeof *exact);
        float *sampled = malloc((size_t)n * n * sizeof *sampled);
        float *mono = malloc((size_t)n * n * sizeof *mono);
        pr_cue_matrix cue = {"d", d, 1.0, 0};
        pr_fusion_params p = pr_fusion_params_default();
        p.threads = 2;
        PR_CHECK_OK(pr_fuse_distances(&p, &cue, 1, n, exact));
        cue.d = sq;
        PR_CHECK_OK(pr_fuse_distances(&p, &cue, 1, n, mono));
        p.max_samples = 5000;
        cue.d = d;
        PR_CHECK_OK(pr_fuse_distances(&p, &cue, 1, n, sampled));
        double worst = 0, worst_mono = 0;
        for (size_t e = 0; e < (size_t)n * n; e++) {
            worst = fmax(worst, fabs(exact[e] - sampled[e]));
            worst_mono = fmax(worst_mono, fabs(exact[e] - mono[e]));
        }
        fprintf(stderr, "rank: exact vs 5000 samples max diff %.4f, monotone transform %.2g\n",
                worst, worst_mono);
        PR_CHECK(worst < 0.03);
        PR_CHECK(worst_mono < 1e-4); /* float rounding of d^2 can merge near-ties */
        /* Threads do not change the answer. */
        p.max_samples = 1 << 20;
        p.threads = 1;
        PR_CHECK_OK(pr_fuse_distances(&p, &cue, 1, n, sampled));
        PR_CHECK(memcmp(sampled, exact, (size_t)n * n * sizeof *exact) == 0);

        p.scale = PR_FUSION_ZSCORE;
        PR_CHECK_OK(pr_fuse_distances(&p, &cue, 1, n, sampled));
        int in_range = 1, symmetric = 1;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                float v = sampled[(size_t)i * n + j];
                in_range &= v >= 0 && v <= 1;
                symmetric &= v == sampled[(size_t)j * n + i];
            }
        PR_CHECK(in_range);
        PR_CHECK(symmetric);
        free(d);
        free(sq);
        free(exact);
        free(sampled);
        free(mono);
    }
    /* An infinite cue value has no rank: it is a missing value like NaN (it once made the rank
     * CDF index its grid with (long)NaN, and under z-scores spoilt the cue for every pair). */
    {
        enum { N = 6 };
        float a[N * N], b[N * N], out[N * N];
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                a[i * N + j] = i == j ? 0.0f : (float)(0.1 * (i + j));
                b[i * N + j] = i == j ? 0.0f : (float)(0.2 * abs(i - j));
            }
        a[0 * N + 1] = a[1 * N + 0] = INFINITY;
        a[2 * N + 3] = a[3 * N + 2] = -INFINITY;
        pr_cue_matrix cues[2] = {{"a", a, 1.0, 0}, {"b", b, 1.0, 0}};
        float only_b[N * N];
        pr_fusion_params p = pr_fusion_params_default();
        for (int scale = 0; scale < 2; scale++)
            for (int ms = 2; ms <= 1000; ms += 998) {
                p.scale = (pr_fusion_scale)scale;
                p.max_samples = ms; /* 2: the sampled CDF path */
                PR_CHECK_OK(pr_fuse_distances(&p, cues, 2, N, out));
                PR_CHECK_OK(pr_fuse_distances(&p, &cues[1], 1, N, only_b));
                int finite = 1;
                for (int e = 0; e < N * N; e++)
                    finite &= out[e] >= 0 && out[e] <= 1;
                PR_CHECK(finite);
                PR_CHECK_MSG(out[1] == only_b[1] && out[2 * N + 3] == only_b[2 * N + 3],
                             "scale %d samples %d: %g %g", scale, ms, out[1], out[2 * N + 3]);
            }
    }
    return pr_test_finish();
}

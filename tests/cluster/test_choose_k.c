/* Choosing k: well separated blobs give back their number under the medoid silhouette and under
 * the radius; with a far-away stranger the radius keeps it a singleton; the constraint floor. */
#include "cluster/choose_k.h"
#include "helpers.h"
#include "tests/test.h"

static int purity_ok(int n, const int *labels, const int *truth)
{
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if ((labels[i] == labels[j]) != (truth[i] == truth[j]))
                return 0;
    return 1;
}

int main(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 11);
    int n = 120, truth[121];
    float *d = random_points_matrix(&rng, n, 4, 6, 0.15, truth);
    for (int alg = 0; alg < 2; alg++) {
        pr_choose_k_params p = pr_choose_k_params_default();
        p.kmedoids.algorithm = alg ? PR_KMEDOIDS_PARKJUN : PR_KMEDOIDS_FASTERPAM;
        p.k_max = 12;
        pr_kmedoids_result r;
        double s = 0;
        PR_CHECK_OK(pr_kmedoids_auto(d, n, &p, &r, &s));
        fprintf(stderr, "silhouette (%s): k %d, score %.3f\n", alg ? "parkjun" : "fasterpam", r.k,
                s);
        if (alg == 0) { /* Park-Jun's central start can merge blobs; FasterPAM must not */
            PR_CHECK_EQ_INT(r.k, 6);
            PR_CHECK(purity_ok(n, r.labels, truth));
        }
        PR_CHECK(s > 0.5);
        pr_kmedoids_result_free(&r);

        p.method = PR_CHOOSE_K_RADIUS;
        p.radius = 1.5;
        PR_CHECK_OK(pr_kmedoids_auto(d, n, &p, &r, &s));
        fprintf(stderr, "radius (%s): k %d\n", alg ? "parkjun" : "fasterpam", r.k);
        PR_CHECK_EQ_INT(r.k, 6);
        PR_CHECK(purity_ok(n, r.labels, truth));
        pr_kmedoids_result_free(&r);
    }

    /* A stranger far from everybody: the radius leaves it alone. */
    {
        int m = n + 1;
        float *e = calloc((size_t)m * m, sizeof *e);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++)
                e[(size_t)i * m + j] = d[(size_t)i * n + j];
        for (int i = 0; i < n; i++)
            e[(size_t)i * m + n] = e[(size_t)n * m + i] = 50.0f;
        truth[n] = 99;
        pr_choose_k_params p = pr_choose_k_params_default();
        p.method = PR_CHOOSE_K_RADIUS;
        p.radius = 1.5;
        pr_kmedoids_result r;
        PR_CHECK_OK(pr_kmedoids_auto(e, m, &p, &r, NULL));
        PR_CHECK_EQ_INT(r.k, 7);
        PR_CHECK(purity_ok(m, r.labels, truth));
        pr_kmedoids_result_free(&r);

        /* The constraint raises k to the largest photo: 8 faces in photo 0. */
        int32_t *group = malloc((size_t)m * sizeof *group);
        for (int i = 0; i < m; i++)
            group[i] = i < 8 ? 0 : i;
        p.kmedoids.group = group;
        PR_CHECK_OK(pr_kmedoids_auto(e, m, &p, &r, NULL));
        PR_CHECK(r.k >= 8);
        PR_CHECK(pr_kmedoids_constraint_ok(m, group, r.labels));
        pr_kmedoids_result_free(&r);
        p.method = PR_CHOOSE_K_SILHOUETTE;
        p.k_max = 10;
        PR_CHECK_OK(pr_kmedoids_auto(e, m, &p, &r, NULL));
        PR_CHECK(r.k >= 8);
        PR_CHECK(pr_kmedoids_constraint_ok(m, group, r.labels));
        pr_kmedoids_result_free(&r);
        free(group);
        free(e);
    }
    /* Radius + constraint: x and y of one photo are both nearest to A; the constraint gives A to
     * x and denies it to y; y is within the radius of B but leaves as a singleton (default) or
     * joins B (detach_displaced = 0). */
    {
        enum { M = 10, X = 8, Y = 9 };
        float e[M * M];
        int32_t group[M];
        for (int i = 0; i < M; i++) {
            group[i] = i >= X ? 0 : 1 + i;
            for (int j = 0; j < M; j++) {
                float v = i == j ? 0.0f : (i < 4) == (j < 4) ? 0.05f : 0.9f;
                if (i >= X || j >= X) {
                    int f = i >= X ? i : j, o = i >= X ? j : i;
                    v = i == j ? 0.0f : o >= X ? 0.3f : o < 4 ? (f == X ? 0.10f : 0.12f) : 0.20f;
                }
                e[i * M + j] = v;
            }
        }
        pr_choose_k_params p = pr_choose_k_params_default();
        p.method = PR_CHOOSE_K_RADIUS;
        p.kmedoids.group = group;
        pr_kmedoids_result r;
        PR_CHECK_OK(pr_kmedoids_auto(e, M, &p, &r, NULL));
        PR_CHECK(pr_kmedoids_constraint_ok(M, group, r.labels));
        PR_CHECK_EQ_INT(r.labels[X], r.labels[0]);
        PR_CHECK(r.labels[r.medoids[r.labels[Y]]] == r.labels[Y] && r.medoids[r.labels[Y]] == Y);
        PR_CHECK_EQ_INT(r.k, 3);
        pr_kmedoids_result_free(&r);
        p.detach_displaced = 0;
        PR_CHECK_OK(pr_kmedoids_auto(e, M, &p, &r, NULL));
        PR_CHECK_EQ_INT(r.k, 2);
        PR_CHECK_EQ_INT(r.labels[Y], r.labels[4]);
        pr_kmedoids_result_free(&r);
    }
    free(d);
    return pr_test_finish();
}

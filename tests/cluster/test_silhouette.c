/* Rousseeuw's silhouette: equals a naive reference on random instances (also with empty clusters
 * and singletons), does not depend on the threads, a singleton scores 0, k = n scores 0 (the medoid
 * silhouette scores 1 there: the degeneracy that made the scan drift to k_max), and the scan with
 * it no longer ends at k = n on data without structure. */
#include "cluster/choose_k.h"
#include "cluster/kmedoids.h"
#include "helpers.h"
#include "tests/test.h"

#include <math.h>
#include <stdio.h>

static double naive(const float *d, int n, const int *labels, int k)
{
    double total = 0;
    for (int i = 0; i < n; i++) {
        double a = 0, b = INFINITY;
        int own = 0;
        for (int j = 0; j < n; j++)
            if (j != i && labels[j] == labels[i]) {
                a += d[(size_t)i * n + j];
                own++;
            }
        if (own == 0)
            continue; /* singleton: 0 */
        a /= own;
        for (int c = 0; c < k; c++) {
            if (c == labels[i])
                continue;
            double s = 0;
            int m = 0;
            for (int j = 0; j < n; j++)
                if (labels[j] == c) {
                    s += d[(size_t)i * n + j];
                    m++;
                }
            if (m > 0 && s / m < b)
                b = s / m;
        }
        if (isinf(b))
            continue;
        double mx = a > b ? a : b;
        total += mx > 0 ? (b - a) / mx : 0;
    }
    return total / n;
}

int main(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 5);
    for (int t = 0; t < 200; t++) {
        int n = 2 + (int)pr_rng_below(&rng, 30), k = 1 + (int)pr_rng_below(&rng, (uint64_t)n);
        float *d = random_points_matrix(&rng, n, 3, 0, 0, NULL);
        int labels[32];
        for (int i = 0; i < n; i++)
            labels[i] = (int)pr_rng_below(&rng, (uint64_t)k); /* empty clusters happen */
        double s1 = 0, s2 = 0, per[32];
        PR_CHECK_OK(pr_silhouette(d, n, labels, k, 1, &s1, per));
        PR_CHECK_OK(pr_silhouette(d, n, labels, k, 3, &s2, NULL));
        PR_CHECK(s1 == s2);
        PR_CHECK_NEAR(s1, naive(d, n, labels, k), 1e-9);
        for (int i = 0; i < n; i++)
            PR_CHECK(per[i] >= -1 - 1e-12 && per[i] <= 1 + 1e-12);
        free(d);
    }

    /* k = n: every face alone. Rousseeuw: 0; the medoid silhouette: 1. */
    {
        int n = 12, labels[12], medoids[12];
        float *d = random_points_matrix(&rng, n, 2, 0, 0, NULL);
        for (int i = 0; i < n; i++)
            labels[i] = medoids[i] = i;
        double s = -1;
        PR_CHECK_OK(pr_silhouette(d, n, labels, n, 1, &s, NULL));
        PR_CHECK_NEAR(s, 0, 0);
        PR_CHECK_NEAR(pr_medoid_silhouette(d, n, medoids, n, labels), 1, 1e-12);
        free(d);
    }

    /* Uniform noise, no clusters: the medoid-silhouette scan ends at k_max = n, Rousseeuw's not. */
    {
        int n = 40;
        float *d = random_points_matrix(&rng, n, 2, 0, 0, NULL);
        pr_choose_k_params p = pr_choose_k_params_default();
        p.k_max = n;
        p.kmedoids.threads = 1;
        pr_kmedoids_result r;
        p.criterion = PR_SILHOUETTE_MEDOID;
        PR_CHECK_OK(pr_kmedoids_auto(d, n, &p, &r, NULL));
        int k_medoid = r.k;
        pr_kmedoids_result_free(&r);
        p.criterion = PR_SILHOUETTE_MEAN;
        double s = 0;
        PR_CHECK_OK(pr_kmedoids_auto(d, n, &p, &r, &s));
        fprintf(stderr, "uniform noise, n %d: medoid silhouette picks k %d, Rousseeuw's k %d (%.3f)\n",
                n, k_medoid, r.k, s);
        PR_CHECK_EQ_INT(k_medoid, n);
        PR_CHECK(r.k < n / 2);
        pr_kmedoids_result_free(&r);
        free(d);
    }

    double s;
    int lab[2] = {0, 0};
    float dd[4] = {0, 1, 1, 0};
    PR_CHECK(pr_silhouette(dd, 2, lab, 1, 1, NULL, NULL) == PR_ERR_ARG);
    lab[1] = 2;
    PR_CHECK(pr_silhouette(dd, 2, lab, 2, 1, &s, NULL) == PR_ERR_ARG);
    return pr_test_finish();
}

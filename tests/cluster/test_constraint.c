/* The same-photo cannot-link constraint: never violated, the joint per-photo assignment is the
 * optimum over all feasible assignments (brute force), it beats greedy where greedy strands a face,
 * the refinement never raises the loss, and impossible requests are refused. */
#include "cluster/choose_k.h"
#include "cluster/kmedoids.h"
#include "helpers.h"
#include "tests/test.h"

/* Brute force: the cheapest assignment of every instance to a cluster (medoids fixed in their own
 * cluster) with no two instances of one photo in one cluster. */
static double best_feasible(const float *d, int n, const int *med, int k, const int32_t *group,
                            int *labels, int i, double acc, double best)
{
    if (acc >= best)
        return best;
    if (i == n)
        return acc;
    for (int c = 0; c < k; c++) {
        int fixed = -1;
        for (int e = 0; e < k; e++)
            if (med[e] == i)
                fixed = e;
        if (fixed >= 0 && fixed != c)
            continue;
        int ok = 1;
        for (int j = 0; j < i && ok; j++)
            if (group[j] >= 0 && group[j] == group[i] && labels[j] == c)
                ok = 0;
        /* a later medoid of the same photo owns its cluster */
        for (int e = 0; e < k && ok; e++)
            if (e == c && med[e] > i && group[med[e]] >= 0 && group[med[e]] == group[i])
                ok = 0;
        if (!ok)
            continue;
        labels[i] = c;
        double r = best_feasible(d, n, med, k, group, labels, i + 1,
                                 acc + d[(size_t)i * n + med[c]], best);
        if (r < best)
            best = r;
    }
    return best;
}

int main(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 7);

    /* Greedy would fail: faces 0 and 1 share photo 5; both are nearest medoid A (index 2), face 0
     * only slightly, face 1 by far, and face 0 is far from B (index 3) ... */
    {
        enum { N = 4 };
        /* rows: 0, 1 = photo faces; 2 = medoid A; 3 = medoid B */
        float d[N * N] = {
            0.0f, 0.5f, 1.0f, 1.2f, /* face 0: A 1.0, B 1.2 */
            0.5f, 0.0f, 0.1f, 5.0f, /* face 1: A 0.1, B 5.0 */
            1.0f, 0.1f, 0.0f, 3.0f, /* A */
            1.2f, 5.0f, 3.0f, 0.0f, /* B */
        };
        int32_t group[N] = {5, 5, -1, -1};
        int med[2] = {2, 3}, labels[N];
        double loss;
        PR_CHECK_OK(pr_kmedoids_assign(d, N, med, 2, group, labels, &loss));
        /* Greedy in index order: face 0 takes A (1.0), face 1 gets B (5.0): 6.0. Joint: face 0 -> B
         * (1.2), face 1 -> A (0.1): 1.3. */
        PR_CHECK_EQ_INT(labels[0], 1);
        PR_CHECK_EQ_INT(labels[1], 0);
        PR_CHECK_NEAR(loss, 1.3, 1e-6);
    }

    /* Random instances: photos of 1..4 faces. */
    int violations = 0, suboptimal = 0, rose = 0, runs = 0;
    for (int t = 0; t < 300; t++) {
        int n = 6 + (int)pr_rng_below(&rng, 5); /* 6..10 */
        int k = 3 + (int)pr_rng_below(&rng, 2); /* 3..4 */
        float *d = (t % 2) ? random_dissimilarity(&rng, n)
                           : random_points_matrix(&rng, n, 2, 3, 0.3, NULL);
        int32_t group[16];
        int photo = 0, left = 0;
        for (int i = 0; i < n; i++) {
            if (left == 0) {
                photo++;
                left = 1 + (int)pr_rng_below(&rng, 3); /* 1..3 (k >= 3) */
            }
            group[i] = photo;
            left--;
        }
        for (int alg = 0; alg < 2; alg++) {
            pr_kmedoids_params p = pr_kmedoids_params_default();
            p.k = k;
            p.seed = (uint64_t)t;
            p.algorithm = alg ? PR_KMEDOIDS_PARKJUN : PR_KMEDOIDS_FASTERPAM;
            p.group = group;
            pr_kmedoids_result r;
            PR_CHECK_OK(pr_kmedoids(d, n, &p, &r));
            if (!r.labels)
                continue;
            runs++;
            violations += !pr_kmedoids_constraint_ok(n, group, r.labels);
            for (int c = 0; c < k; c++)
                PR_CHECK_EQ_INT(r.labels[r.medoids[c]], c);
            /* Exact: the final labels are the optimum for the final medoids. */
            int scratch[16];
            double bf = best_feasible(d, n, r.medoids, k, group, scratch, 0, 0.0, INFINITY);
            suboptimal += r.loss > bf + 1e-6;
            /* The refinement starts from the constrained assignment of the unconstrained medoids
             * and never goes above it. */
            int labels0[16];
            double l0;
            pr_kmedoids_result u;
            p.group = NULL;
            PR_CHECK_OK(pr_kmedoids(d, n, &p, &u));
            PR_CHECK_OK(pr_kmedoids_assign(d, n, u.medoids, k, group, labels0, &l0));
            rose += r.loss > l0 + 1e-6;
            pr_kmedoids_result_free(&u);
            pr_kmedoids_result_free(&r);
        }
        free(d);
    }
    fprintf(stderr, "%d constrained runs: %d violations, %d not optimal for their medoids, %d rose\n",
            runs, violations, suboptimal, rose);
    PR_CHECK(runs == 600);
    PR_CHECK_EQ_INT(violations, 0);
    PR_CHECK_EQ_INT(suboptimal, 0);
    PR_CHECK_EQ_INT(rose, 0);

    /* k smaller than the largest photo is refused with a message. */
    {
        int n = 6;
        float *d = random_dissimilarity(&rng, n);
        int32_t group[6] = {1, 1, 1, 2, 3, 4};
        pr_kmedoids_params p = pr_kmedoids_params_default();
        p.k = 2;
        p.group = group;
        pr_kmedoids_result r;
        PR_CHECK_EQ_INT(pr_kmedoids(d, n, &p, &r), PR_ERR_ARG);
        PR_CHECK(strstr(pr_last_error(), "k >= 3") != NULL);
        PR_CHECK_EQ_INT(pr_group_max_size(group, n), 3);
        p.k = 3;
        PR_CHECK_OK(pr_kmedoids(d, n, &p, &r));
        PR_CHECK(pr_kmedoids_constraint_ok(n, group, r.labels));
        pr_kmedoids_result_free(&r);
        free(d);
    }
    return pr_test_finish();
}

/* Every allocation failure in the cluster module returns PR_ERR_NOMEM (or succeeds when the failing
 * allocation was optional) and never crashes; the ASan build checks for leaks. */
#include "cluster/choose_k.h"
#include "cluster/cooccur.h"
#include "cluster/distance.h"
#include "cluster/fusion.h"
#include "cluster/kmedoids.h"
#include "cluster/naming.h"
#include "helpers.h"
#include "tests/test.h"

int main(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 29);
    int n = 40;
    float *d = random_points_matrix(&rng, n, 3, 4, 0.2, NULL);
    int32_t group[40];
    for (int i = 0; i < n; i++)
        group[i] = i / 3;
    float *fused = malloc((size_t)n * n * sizeof *fused);
    int seeds[40], names[40];
    double conf[40];
    for (int i = 0; i < n; i++)
        seeds[i] = i < 4 ? i : -1;
    int nomem = 0, other = 0;
    for (long fail = 1; fail < 200; fail++) {
        pr_status st;
        pr_kmedoids_result r;
        pr_kmedoids_params kp = pr_kmedoids_params_default();
        kp.k = 4;
        kp.group = group;
        for (int alg = 0; alg < 2; alg++) {
            kp.algorithm = (pr_kmedoids_algorithm)alg;
            pr_alloc_fail_at(fail);
            st = pr_kmedoids(d, n, &kp, &r);
            pr_alloc_fail_at(0);
            nomem += st == PR_ERR_NOMEM;
            other += st != PR_OK && st != PR_ERR_NOMEM;
            pr_kmedoids_result_free(&r);
        }
        pr_choose_k_params cp = pr_choose_k_params_default();
        cp.kmedoids.group = group;
        cp.k_max = 6;
        for (int m = 0; m < 2; m++) {
            cp.method = (pr_choose_k_method)m;
            cp.radius = 1.0;
            pr_alloc_fail_at(fail);
            st = pr_kmedoids_auto(d, n, &cp, &r, NULL);
            pr_alloc_fail_at(0);
            nomem += st == PR_ERR_NOMEM;
            other += st != PR_OK && st != PR_ERR_NOMEM;
            pr_kmedoids_result_free(&r);
        }
        pr_cue_matrix cue = {"d", d, 1.0, 0};
        pr_fusion_params fp = pr_fusion_params_default();
        fp.threads = 2;
        pr_alloc_fail_at(fail);
        st = pr_fuse_distances(&fp, &cue, 1, n, fused);
        pr_alloc_fail_at(0);
        nomem += st == PR_ERR_NOMEM;
        other += st != PR_OK && st != PR_ERR_NOMEM && st != PR_ERR_INTERNAL;

        pr_distance_params dp = pr_distance_params_default();
        dp.device = PR_DISTANCE_CPU;
        dp.threads = 2;
        pr_alloc_fail_at(fail);
        st = pr_distance_pairwise(&dp, d, 8, d, 8, 5, fused, NULL);
        pr_alloc_fail_at(0);
        nomem += st == PR_ERR_NOMEM;

        kp.algorithm = PR_KMEDOIDS_FASTERPAM;
        if (pr_kmedoids(d, n, &kp, &r) == PR_OK) {
            int lab[40];
            for (int i = 0; i < n; i++)
                lab[i] = r.labels[i];
            pr_alloc_fail_at(fail);
            st = pr_cooccur_refine(d, n, group, r.medoids, r.k, NULL, lab, NULL);
            pr_alloc_fail_at(0);
            nomem += st == PR_ERR_NOMEM;
            other += st != PR_OK && st != PR_ERR_NOMEM;
            double sil;
            pr_alloc_fail_at(fail);
            st = pr_silhouette(d, n, r.labels, r.k, 2, &sil, NULL);
            pr_alloc_fail_at(0);
            nomem += st == PR_ERR_NOMEM;
            other += st != PR_OK && st != PR_ERR_NOMEM;
        }
        pr_kmedoids_result_free(&r);

        int labels[40];
        for (int i = 0; i < n; i++)
            labels[i] = i % 4;
        pr_alloc_fail_at(fail);
        st = pr_suggest_names(d, n, labels, 4, seeds, NULL, names, conf, NULL);
        pr_alloc_fail_at(0);
        nomem += st == PR_ERR_NOMEM;
    }
    fprintf(stderr, "%d injected failures reported as PR_ERR_NOMEM\n", nomem);
    PR_CHECK(nomem > 20);
    PR_CHECK_EQ_INT(other, 0);
    free(d);
    free(fused);
    return pr_test_finish();
}

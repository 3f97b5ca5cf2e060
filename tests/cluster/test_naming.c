/* Naming suggestions: unanimous clusters name their members, mixed clusters lose confidence,
 * clusters without seeds suggest nothing, seeds keep their names, the threshold cuts. */
#include "cluster/naming.h"
#include "helpers.h"
#include "tests/test.h"

int main(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 5);
    int n = 60, truth[60];
    float *d = random_points_matrix(&rng, n, 3, 3, 0.1, truth);
    int labels[60], seeds[60], name[60], cname[3];
    double conf[60];
    for (int i = 0; i < n; i++) {
        labels[i] = truth[i];
        seeds[i] = -1;
    }
    /* Blob 0: two seeds named 0; blob 1: one seed named 1; blob 2: none. */
    seeds[0] = 0;
    seeds[3] = 0;
    seeds[1] = 1;
    pr_suggest_params p = pr_suggest_params_default();
    PR_CHECK_OK(pr_suggest_names(d, n, labels, 3, seeds, &p, name, conf, cname));
    PR_CHECK_EQ_INT(cname[0], 0);
    PR_CHECK_EQ_INT(cname[1], 1);
    PR_CHECK_EQ_INT(cname[2], -1);
    int right = 0, wrong = 0, none = 0;
    for (int i = 0; i < n; i++) {
        if (seeds[i] >= 0) {
            PR_CHECK_EQ_INT(name[i], seeds[i]);
            PR_CHECK(conf[i] == 1.0);
            continue;
        }
        if (truth[i] == 2) {
            PR_CHECK_EQ_INT(name[i], -1);
            PR_CHECK(conf[i] == 0.0);
        } else {
            right += name[i] == truth[i];
            wrong += name[i] >= 0 && name[i] != truth[i];
            none += name[i] < 0;
        }
    }
    PR_CHECK_EQ_INT(wrong, 0);
    PR_CHECK_EQ_INT(right, 37); /* 40 instances in blobs 0 and 1, 3 of them seeds */

    /* A wrongly named seed in blob 0 halves the purity: confidence drops below the threshold. */
    seeds[6] = 1;
    PR_CHECK_OK(pr_suggest_names(d, n, labels, 3, seeds, &p, name, conf, cname));
    PR_CHECK_EQ_INT(cname[0], 0); /* 2 votes against 1 */
    int suggested0 = 0;
    for (int i = 0; i < n; i++)
        if (truth[i] == 0 && seeds[i] < 0) {
            PR_CHECK(conf[i] <= 2.0 / 3 + 1e-9);
            suggested0 += name[i] >= 0;
        }
    PR_CHECK_EQ_INT(suggested0, 0);
    p.threshold = 0.3;
    PR_CHECK_OK(pr_suggest_names(d, n, labels, 3, seeds, &p, name, conf, cname));
    suggested0 = 0;
    for (int i = 0; i < n; i++)
        if (truth[i] == 0 && seeds[i] < 0)
            suggested0 += name[i] == 0;
    PR_CHECK(suggested0 > 0);

    labels[5] = 3;
    PR_CHECK_EQ_INT(pr_suggest_names(d, n, labels, 3, seeds, &p, name, conf, cname), PR_ERR_ARG);
    free(d);
    return pr_test_finish();
}

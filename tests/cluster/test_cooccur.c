/* Co-occurrence refinement: an ambiguous face photographed with Bert moves from a stranger's
 * cluster to Ernie's, because Ernie and Bert appear together in the other photos; weight 0 moves
 * nothing; medoids never move; the constraint holds; a photo cannot vote for itself. */
#include "cluster/cooccur.h"
#include "cluster/kmedoids.h"
#include "tests/test.h"

#include <stdlib.h>

enum { BERT = 0, ERNIE = 1, OTHER = 2 };

int main(void)
{
    /* Photos 0..3: Bert + Ernie. Photos 4..6: Other alone. Photo 7: Bert + x (ambiguous). */
    int who[] = {BERT, ERNIE, BERT, ERNIE, BERT, ERNIE, BERT, ERNIE, OTHER, OTHER, OTHER, BERT, -1};
    int32_t group[] = {0, 0, 1, 1, 2, 2, 3, 3, 4, 5, 6, 7, 7};
    const int n = 13, x = 12;
    float *d = calloc((size_t)n * n, sizeof *d);
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++)
            if (i != j)
                d[(size_t)i * n + j] = who[i] == who[j] ? 0.1f : 0.9f;
    for (int j = 0; j < x; j++) {
        float v = who[j] == ERNIE ? 0.50f : who[j] == OTHER ? 0.48f : 0.9f;
        d[(size_t)x * n + j] = d[(size_t)j * n + x] = v;
    }
    int medoids[3] = {0, 1, 8}; /* Bert, Ernie, Other */
    int labels[13];
    PR_CHECK_OK(pr_kmedoids_assign(d, n, medoids, 3, group, labels, NULL));
    PR_CHECK_EQ_INT(labels[x], OTHER); /* by distance alone: the stranger's cluster */

    pr_cooccur_params p = pr_cooccur_params_default();
    int moved = -1, before[13];
    for (int i = 0; i < n; i++)
        before[i] = labels[i];
    p.weight = 0;
    PR_CHECK_OK(pr_cooccur_refine(d, n, group, medoids, 3, &p, labels, &moved));
    PR_CHECK_EQ_INT(moved, 0);
    p.weight = 0.1;
    PR_CHECK_OK(pr_cooccur_refine(d, n, group, medoids, 3, &p, labels, &moved));
    PR_CHECK_EQ_INT(moved, 1);
    PR_CHECK_EQ_INT(labels[x], ERNIE);
    for (int i = 0; i < x; i++)
        PR_CHECK_EQ_INT(labels[i], before[i]);
    for (int c = 0; c < 3; c++)
        PR_CHECK_EQ_INT(labels[medoids[c]], c);
    PR_CHECK(pr_kmedoids_constraint_ok(n, group, labels));

    /* Leave-one-out: if Bert and Ernie meet only in x's own photo... they never do here; so make
     * the Bert/Ernie photos single-face photos: no evidence, x stays with the stranger. */
    int32_t lonely[13];
    for (int i = 0; i < n; i++)
        lonely[i] = i < 11 ? 100 + i : 7;
    PR_CHECK_OK(pr_kmedoids_assign(d, n, medoids, 3, lonely, labels, NULL));
    PR_CHECK_OK(pr_cooccur_refine(d, n, lonely, medoids, 3, &p, labels, &moved));
    PR_CHECK_EQ_INT(moved, 0);
    PR_CHECK_EQ_INT(labels[x], OTHER);

    PR_CHECK(pr_cooccur_refine(NULL, n, group, medoids, 3, &p, labels, &moved) == PR_ERR_ARG);
    p.weight = -1;
    PR_CHECK(pr_cooccur_refine(d, n, group, medoids, 3, &p, labels, &moved) == PR_ERR_ARG);
    free(d);
    return pr_test_finish();
}

/* Clustering metrics against published worked examples and hand-computed degenerate cases.
 *
 * - Manning, Raghavan & Schuetze, "Introduction to Information Retrieval" (2008), section 16.3,
 *   figure 16.4: 17 items (x, o, diamond) in three clusters: purity 0.71, NMI 0.36, TP 20,
 *   FP 20, FN 24, so pairwise P = 0.5, R = 0.455. BCubed and ARI for the same table worked by hand:
 *   BCubed P = (26/6 + 18/6 + 13/5) / 17, R = (30/8 + 17/5 + 10/4) / 17;
 *   ARI = (20 - 40*44/136) / (42 - 40*44/136) = 0.242915.
 * - scikit-learn user guide (2.3.11): ARI([0,0,0,1,1,1], [0,0,1,1,2,2]) = 0.24242...,
 *   ARI([0,0,1,2], [0,0,1,1]) = 0.57142..., ARI([0,0,0,0], [0,1,2,3]) = 0, and
 *   NMI([0,0,0,0], [0,1,2,3]) = 0. */
#include "eval/cluster_metrics.h"
#include "tests/test.h"

static pr_cluster_scores run(const int *t, const int *p, size_t n)
{
    pr_cluster_scores s;
    PR_CHECK_OK(pr_cluster_scores_compute(t, p, n, &s));
    return s;
}

int main(void)
{
    /* x = 0, o = 1, diamond = 2 */
    const int t17[17] = {0, 0, 0, 0, 0, 1, 0, 1, 1, 1, 1, 2, 0, 0, 2, 2, 2};
    const int p17[17] = {1, 1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 2, 3, 3, 3, 3, 3};
    pr_cluster_scores s = run(t17, p17, 17);
    PR_CHECK_NEAR(s.pairwise_precision, 0.5, 1e-12);
    PR_CHECK_NEAR(s.pairwise_recall, 20.0 / 44.0, 1e-12);
    PR_CHECK_NEAR(s.pairwise_f1, 2 * 0.5 * (20.0 / 44) / (0.5 + 20.0 / 44), 1e-12);
    PR_CHECK_NEAR(s.nmi, 0.36, 0.005); /* the book's rounded value */
    PR_CHECK_NEAR(s.nmi, 0.36456177185718985, 1e-9);
    PR_CHECK_NEAR(s.bcubed_precision, (26.0 / 6 + 18.0 / 6 + 13.0 / 5) / 17, 1e-12);
    PR_CHECK_NEAR(s.bcubed_recall, (30.0 / 8 + 17.0 / 5 + 10.0 / 4) / 17, 1e-12);
    PR_CHECK_NEAR(s.ari, (20 - 40.0 * 44 / 136) / (42 - 40.0 * 44 / 136), 1e-12);
    PR_CHECK_EQ_INT(s.classes, 3);
    PR_CHECK_EQ_INT(s.clusters, 3);

    const int a6[6] = {0, 0, 0, 1, 1, 1}, b6[6] = {0, 0, 1, 1, 2, 2};
    s = run(a6, b6, 6);
    PR_CHECK_NEAR(s.ari, 0.24242424242424246, 1e-12);
    PR_CHECK_NEAR(s.nmi, 0.5158037429793888, 1e-9);
    const int a4[4] = {0, 0, 1, 2}, b4[4] = {0, 0, 1, 1};
    s = run(a4, b4, 4);
    PR_CHECK_NEAR(s.ari, 4.0 / 7.0, 1e-12);
    /* Label values do not matter, only the partition. */
    const int c4[4] = {7, 7, 100, 3}, d4[4] = {5, 5, 9, 9};
    pr_cluster_scores s2 = run(c4, d4, 4);
    PR_CHECK_NEAR(s2.ari, s.ari, 0);
    PR_CHECK_NEAR(s2.nmi, s.nmi, 0);

    /* One true class split into singletons: ARI 0, NMI 0 (sklearn), pairwise P 1 (no pairs
     * proposed), R 0; BCubed P 1, R 1/4. */
    const int one[4] = {0, 0, 0, 0}, single[4] = {0, 1, 2, 3};
    s = run(one, single, 4);
    PR_CHECK_NEAR(s.ari, 0, 1e-12);
    PR_CHECK_NEAR(s.nmi, 0, 1e-12);
    PR_CHECK_NEAR(s.pairwise_precision, 1, 0);
    PR_CHECK_NEAR(s.pairwise_recall, 0, 0);
    PR_CHECK_NEAR(s.pairwise_f1, 0, 0);
    PR_CHECK_NEAR(s.bcubed_precision, 1, 1e-12);
    PR_CHECK_NEAR(s.bcubed_recall, 0.25, 1e-12);

    /* Everything in one predicted cluster, two true people of 2 and 2: pairwise P = 2/6, R = 1,
     * BCubed P = 0.5, R = 1, NMI 0, ARI = (2 - 2*6/6) / (4 - 2) = 0. */
    const int two[4] = {0, 0, 1, 1};
    s = run(two, one, 4);
    PR_CHECK_NEAR(s.pairwise_precision, 2.0 / 6.0, 1e-12);
    PR_CHECK_NEAR(s.pairwise_recall, 1, 0);
    PR_CHECK_NEAR(s.bcubed_precision, 0.5, 1e-12);
    PR_CHECK_NEAR(s.bcubed_recall, 1, 1e-12);
    PR_CHECK_NEAR(s.nmi, 0, 1e-12);
    PR_CHECK_NEAR(s.ari, 0, 1e-12);

    /* Perfect (up to renaming), all singletons on both sides, one cluster on both sides. */
    const int two_r[4] = {5, 5, 2, 2};
    s = run(two, two_r, 4);
    PR_CHECK_NEAR(s.ari, 1, 1e-12);
    PR_CHECK_NEAR(s.nmi, 1, 1e-12);
    PR_CHECK_NEAR(s.pairwise_f1, 1, 1e-12);
    PR_CHECK_NEAR(s.bcubed_f1, 1, 1e-12);
    s = run(single, single, 4);
    PR_CHECK_NEAR(s.ari, 1, 0);
    PR_CHECK_NEAR(s.nmi, 1, 1e-12);
    PR_CHECK_NEAR(s.pairwise_f1, 1, 0);
    s = run(one, one, 4);
    PR_CHECK_NEAR(s.ari, 1, 0);
    PR_CHECK_NEAR(s.nmi, 1, 0);
    /* Empty input: nothing wrong. */
    s = run(NULL, NULL, 0);
    PR_CHECK_NEAR(s.ari, 1, 0);
    PR_CHECK_EQ_INT(s.items, 0);
    /* Negative labels are refused. */
    const int neg[2] = {-1, 0};
    PR_CHECK_EQ_INT(pr_cluster_scores_compute(neg, neg, 2, &s), PR_ERR_ARG);

    /* Face sets: 4 truth faces of 2 people + 1 unknown; predictions: one per face (two on the
     * same person share a cluster), one on the unknown face (ignored), one on empty wall
     * (unmatched, clustered with A's cluster). */
    pr_face_labels *t = NULL, *p = NULL;
    PR_CHECK_OK(pr_face_labels_new("", &t));
    PR_CHECK_OK(pr_face_labels_new("", &p));
    pr_box b0 = {0, 0, 10, 10}, b1 = {20, 0, 10, 10}, b2 = {40, 0, 10, 10}, b3 = {60, 0, 10, 10};
    pr_box wall = {100, 100, 10, 10};
    pr_face_labels_add(t, "1.jpg", b0, "ann", NULL, 0);
    pr_face_labels_add(t, "1.jpg", b1, "bob", NULL, 0);
    pr_face_labels_add(t, "2.jpg", b0, "ann", NULL, 0);
    pr_face_labels_add(t, "2.jpg", b1, "bob", NULL, 0);
    pr_face_labels_add(t, "2.jpg", b2, "unknown", NULL, 0);
    pr_face_labels_add(t, "3.jpg", b3, "carl", NULL, 0); /* missed */
    pr_box shifted = {1, 1, 10, 10};
    pr_face_labels_add(p, "./1.jpg", shifted, "c1", NULL, 0);
    pr_face_labels_add(p, "album/1.jpg", b1, "c2", NULL, 0);
    pr_face_labels_add(p, "2.jpg", b0, "c1", NULL, 0);
    pr_face_labels_add(p, "2.jpg", b1, "c1", NULL, 0);
    pr_face_labels_add(p, "2.jpg", b2, "c3", NULL, 0);
    pr_face_labels_add(p, "2.jpg", wall, "c1", NULL, 0);
    pr_cluster_eval_result r;
    PR_CHECK_OK(pr_cluster_eval(t, p, NULL, &r));
    PR_CHECK_EQ_INT(r.matched, 4);
    PR_CHECK_EQ_INT(r.ignored_pred, 1);
    PR_CHECK_EQ_INT(r.unmatched_pred, 1);
    PR_CHECK_EQ_INT(r.unmatched_truth, 1);
    PR_CHECK_EQ_INT(r.people, 3);
    PR_CHECK_EQ_INT(r.clusters, 2);
    /* items: (ann,c1) (bob,c2) (ann,c1) (bob,c1) (noise,c1): c1 has 4 items -> 6 pairs, of which
     * (ann,ann) is the only true one; true pairs: ann-ann, bob-bob = 2; TP = 1. */
    PR_CHECK_NEAR(r.scores.pairwise_precision, 1.0 / 6.0, 1e-12);
    PR_CHECK_NEAR(r.scores.pairwise_recall, 1.0 / 2.0, 1e-12);
    PR_CHECK_EQ_INT(r.scores.items, 5);
    pr_cluster_eval_params ep = pr_cluster_eval_params_default();
    ep.unmatched_pred_as_errors = 0;
    PR_CHECK_OK(pr_cluster_eval(t, p, &ep, &r));
    PR_CHECK_EQ_INT(r.scores.items, 4);
    PR_CHECK_NEAR(r.scores.pairwise_precision, 1.0 / 3.0, 1e-12);
    /* Empty prediction. */
    pr_face_labels *e = NULL;
    PR_CHECK_OK(pr_face_labels_new("", &e));
    PR_CHECK_OK(pr_cluster_eval(t, e, NULL, &r));
    PR_CHECK_EQ_INT(r.matched, 0);
    PR_CHECK_EQ_INT(r.unmatched_truth, 5);
    PR_CHECK_EQ_INT(r.clusters, 0);
    PR_CHECK_EQ_INT(r.scores.items, 0);
    pr_face_labels_delete(e);
    pr_face_labels_delete(t);
    pr_face_labels_delete(p);
    return pr_test_finish();
}

/* Picasa-style naming on hand-computed cases: perfect clusters, a merged cluster, splits,
 * unmatched predictions, determinism per seed. */
#include "eval/naming.h"
#include "tests/test.h"

#include <stdio.h>

static void add(pr_face_labels *s, int img, int slot, const char *who)
{
    char name[32];
    snprintf(name, sizeof name, "%d.jpg", img);
    pr_box b = {slot * 20.0, 0, 10, 10};
    PR_CHECK_OK(pr_face_labels_add(s, name, b, who, NULL, 0));
}

int main(void)
{
    pr_face_labels *t = NULL, *p = NULL;
    PR_CHECK_OK(pr_face_labels_new("", &t));
    PR_CHECK_OK(pr_face_labels_new("", &p));
    /* ann: 4 faces, bob: 3 faces, one per photo slot. */
    for (int i = 0; i < 4; i++)
        add(t, i, 0, "ann");
    for (int i = 0; i < 3; i++)
        add(t, i, 1, "bob");
    /* Perfect clusters. */
    for (int i = 0; i < 4; i++)
        add(p, i, 0, "A");
    for (int i = 0; i < 3; i++)
        add(p, i, 1, "B");
    pr_naming_params np = pr_naming_params_default();
    np.seeds = 5;
    pr_naming_result r;
    PR_CHECK_OK(pr_naming_eval(t, p, &np, &r));
    /* n = 1: named 2, unnamed 5, all suggested and right. */
    PR_CHECK_NEAR(r.named, 2, 0);
    PR_CHECK_NEAR(r.suggested, 5, 0);
    PR_CHECK_NEAR(r.correct, 5, 0);
    PR_CHECK_NEAR(r.precision, 1, 0);
    PR_CHECK_NEAR(r.recall, 1, 0);
    PR_CHECK_NEAR(r.precision_std, 0, 0);
    PR_CHECK_NEAR(r.unsuggested, 0, 0);
    np.named_per_person = 3;
    PR_CHECK_OK(pr_naming_eval(t, p, &np, &r));
    PR_CHECK_NEAR(r.named, 6, 0); /* 3 of ann's, all 3 of bob's */
    PR_CHECK_NEAR(r.unnamed_truth, 1, 0);
    PR_CHECK_NEAR(r.correct, 1, 0);

    /* Everything in one cluster: with n = 1 the cluster gets "ann" or "bob" with one vote each;
     * the tie goes to "ann" (name order). Suggestions: 5, correct: 3 (ann's other faces). */
    pr_face_labels_delete(p);
    PR_CHECK_OK(pr_face_labels_new("", &p));
    for (int i = 0; i < 4; i++)
        add(p, i, 0, "X");
    for (int i = 0; i < 3; i++)
        add(p, i, 1, "X");
    np.named_per_person = 1;
    PR_CHECK_OK(pr_naming_eval(t, p, &np, &r));
    PR_CHECK_NEAR(r.suggested, 5, 0);
    PR_CHECK_NEAR(r.correct, 3, 0);
    PR_CHECK_NEAR(r.precision, 3.0 / 5.0, 1e-12);
    PR_CHECK_NEAR(r.recall, 3.0 / 5.0, 1e-12);

    /* All singletons (no person field): nothing to suggest. */
    pr_face_labels_delete(p);
    PR_CHECK_OK(pr_face_labels_new("", &p));
    for (int i = 0; i < 4; i++)
        add(p, i, 0, NULL);
    PR_CHECK_OK(pr_naming_eval(t, p, &np, &r));
    PR_CHECK_NEAR(r.suggested, 0, 0);
    PR_CHECK_NEAR(r.precision, 0, 0);
    PR_CHECK_NEAR(r.recall, 0, 0);
    PR_CHECK_NEAR(r.unsuggested, 1, 0);

    /* ann split in two clusters (2 + 2), bob perfect, plus a false detection in ann's first
     * cluster. n = 1: one of ann's clusters is named; per seed: suggested = 1 (same cluster) +
     * the false detection if it is in the named cluster + 2 (bob); correct = 1 + 2. Recall is
     * 3/5 in every seed; precision is 3/4 or 3/3 depending on which ann cluster was named. */
    pr_face_labels_delete(p);
    PR_CHECK_OK(pr_face_labels_new("", &p));
    add(p, 0, 0, "A1");
    add(p, 1, 0, "A1");
    add(p, 2, 0, "A2");
    add(p, 3, 0, "A2");
    for (int i = 0; i < 3; i++)
        add(p, i, 1, "B");
    add(p, 0, 3, "A1"); /* false detection at slot 3 */
    np.seeds = 40;
    PR_CHECK_OK(pr_naming_eval(t, p, &np, &r));
    PR_CHECK_NEAR(r.recall, 3.0 / 5.0, 1e-12);
    PR_CHECK_NEAR(r.correct, 3, 0);
    PR_CHECK(r.precision > 0.75 && r.precision < 1.0);
    PR_CHECK(r.precision_std > 0);
    PR_CHECK_EQ_INT(r.unmatched_pred, 1);
    /* Same seed, same answer. */
    pr_face_match m;
    PR_CHECK_OK(pr_face_match_compute(t, p, NULL, &m));
    pr_naming_run a, b;
    PR_CHECK_OK(pr_naming_eval_seed(t, p, &m, &np, 17, &a));
    PR_CHECK_OK(pr_naming_eval_seed(t, p, &m, &np, 17, &b));
    PR_CHECK(a.suggested == b.suggested && a.correct == b.correct);
    pr_face_match_free(&m);
    /* Bad parameters. */
    np.seeds = 0;
    PR_CHECK_EQ_INT(pr_naming_eval(t, p, &np, &r), PR_ERR_ARG);
    pr_face_labels_delete(t);
    pr_face_labels_delete(p);
    return pr_test_finish();
}

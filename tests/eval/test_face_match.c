/* Face matching: IoU threshold, greedy best-first, eyes-in-box, ignore faces, path suffixes. */
#include "eval/face_match.h"
#include "tests/test.h"

int main(void)
{
    pr_face_labels *t = NULL, *p = NULL;
    PR_CHECK_OK(pr_face_labels_new("", &t));
    PR_CHECK_OK(pr_face_labels_new("", &p));
    pr_box a = {0, 0, 10, 10}, b = {8, 0, 10, 10};
    pr_face_labels_add(t, "x.jpg", a, "ann", NULL, 0);
    pr_face_labels_add(t, "x.jpg", b, "bob", NULL, 0);
    /* p0 overlaps a with IoU 0.667 and b with 0.25; p1 is exactly b. */
    pr_box p0 = {2, 0, 10, 10};
    pr_face_labels_add(p, "sub/x.jpg", p0, NULL, NULL, 0);
    pr_face_labels_add(p, "sub/x.jpg", b, NULL, NULL, 0);
    pr_face_labels_add(p, "y.jpg", a, NULL, NULL, 0); /* no such truth photo */
    pr_face_labels_add(p, "subx.jpg", a, NULL, NULL, 0); /* not a folder suffix */
    pr_face_match m;
    PR_CHECK_OK(pr_face_match_compute(t, p, NULL, &m));
    PR_CHECK_EQ_INT(m.pred_to_truth[0], 0);
    PR_CHECK_EQ_INT(m.pred_to_truth[1], 1);
    PR_CHECK_EQ_INT(m.pred_to_truth[2], PR_MATCH_NONE);
    PR_CHECK_EQ_INT(m.pred_to_truth[3], PR_MATCH_NONE);
    PR_CHECK_EQ_INT(m.matched, 2);
    PR_CHECK_EQ_INT(m.unmatched_pred, 2);
    PR_CHECK_EQ_INT(m.unmatched_truth, 0);
    pr_face_match_free(&m);
    /* IoU threshold: at 0.7 p0 (0.667) no longer matches. */
    pr_face_match_params mp = pr_face_match_params_default();
    mp.iou = 0.7;
    PR_CHECK_OK(pr_face_match_compute(t, p, &mp, &m));
    PR_CHECK_EQ_INT(m.pred_to_truth[0], PR_MATCH_NONE);
    PR_CHECK_EQ_INT(m.truth_to_pred[0], PR_MATCH_NONE);
    PR_CHECK_EQ_INT(m.unmatched_truth, 1);
    pr_face_match_free(&m);

    /* Eyes: a truth face with eyes matches a box holding both, whatever the IoU. */
    pr_face_labels_delete(t);
    pr_face_labels_delete(p);
    PR_CHECK_OK(pr_face_labels_new("", &t));
    PR_CHECK_OK(pr_face_labels_new("", &p));
    pr_face_labels_add(t, "g.jpg", a, "7", NULL, 0);
    t->items[0].has_eyes = 1;
    t->items[0].eyes[0] = 103;
    t->items[0].eyes[1] = 104;
    t->items[0].eyes[2] = 107;
    t->items[0].eyes[3] = 104;
    pr_box big = {100, 100, 40, 40}, miss = {105, 100, 40, 40};
    pr_face_labels_add(p, "g.jpg", miss, NULL, NULL, 0);
    pr_face_labels_add(p, "g.jpg", big, NULL, NULL, 0);
    PR_CHECK_OK(pr_face_match_compute(t, p, NULL, &m));
    PR_CHECK_EQ_INT(m.pred_to_truth[0], PR_MATCH_NONE);
    PR_CHECK_EQ_INT(m.pred_to_truth[1], 0);
    pr_face_match_free(&m);

    /* Ignore faces absorb detections; unnamed truth counts as ignore. */
    pr_face_labels_delete(t);
    pr_face_labels_delete(p);
    PR_CHECK_OK(pr_face_labels_new("", &t));
    PR_CHECK_OK(pr_face_labels_new("", &p));
    pr_face_labels_add(t, "u.jpg", a, "unknown", NULL, 0);
    pr_face_labels_add(t, "u.jpg", b, NULL, NULL, 0);
    pr_face_labels_add(p, "u.jpg", a, "c", NULL, 0);
    pr_face_labels_add(p, "u.jpg", a, "c", NULL, 0);
    pr_face_labels_add(p, "u.jpg", b, "c", NULL, 0);
    PR_CHECK_OK(pr_face_match_compute(t, p, NULL, &m));
    PR_CHECK_EQ_INT(m.ignored_pred, 3);
    PR_CHECK_EQ_INT(m.matched, 0);
    PR_CHECK_EQ_INT(m.unmatched_truth, 0);
    pr_face_match_free(&m);
    pr_face_labels_delete(t);
    pr_face_labels_delete(p);
    return pr_test_finish();
}

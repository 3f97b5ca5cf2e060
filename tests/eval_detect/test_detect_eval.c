/* Detection matching and P/R/F1/AP on hand-built cases whose answers are worked out by hand. */
#include "eval/detect_eval.h"

#include "core/alloc.h"
#include "tests/test.h"

static pr_box B(double x, double y, double w, double h)
{
    pr_box b = {x, y, w, h};
    return b;
}

static pr_detect_eval *make(double iou)
{
    pr_detect_eval_params p = pr_detect_eval_params_default();
    p.iou = iou;
    pr_detect_eval *ev = NULL;
    PR_CHECK_OK(pr_detect_eval_new(&p, &ev));
    return ev;
}

/* Two faces, three detections: one hit, one duplicate of the same face (FP), one on nothing. */
static void test_basic(void)
{
    pr_box truth[2] = {B(0, 0, 10, 10), B(100, 100, 10, 10)};
    pr_box det[3] = {B(1, 1, 10, 10), B(0, 0, 10, 10), B(50, 50, 10, 10)};
    double score[3] = {0.5, 0.9, 0.7};
    pr_detect_eval *ev = make(0.5);
    PR_CHECK_OK(pr_detect_eval_add_image(ev, truth, NULL, 2, det, score, 3));
    pr_detect_eval_result r;
    PR_CHECK_OK(pr_detect_eval_summary(ev, &r));
    /* Greedy by score: the 0.9 box (exact) takes face 0; the 0.5 box is a duplicate. */
    PR_CHECK_EQ_INT(r.tp, 1);
    PR_CHECK_EQ_INT(r.fp, 2);
    PR_CHECK_EQ_INT(r.fn, 1);
    PR_CHECK_NEAR(r.precision, 1.0 / 3, 1e-12);
    PR_CHECK_NEAR(r.recall, 0.5, 1e-12);
    PR_CHECK_NEAR(r.f1, 2 * (1.0 / 3) * 0.5 / (1.0 / 3 + 0.5), 1e-12);
    /* Curve: 0.9 -> P 1 R .5; 0.7 -> P .5; 0.5 -> P 1/3. AP = 0.5 * 1. */
    PR_CHECK_NEAR(r.ap, 0.5, 1e-12);
    pr_detect_eval_delete(ev);
}

/* Greedy by score, best IoU: the higher-scored detection chooses first. */
static void test_greedy_best_iou(void)
{
    pr_box truth[2] = {B(0, 0, 10, 10), B(4, 0, 10, 10)};
    /* At IoU 0.3 each detection overlaps both faces (IoU 1 with its own, 60/140 with the other);
     * det 1 (score 2) chooses first and takes its best, truth 0, leaving truth 1 to det 0. */
    pr_box det[2] = {B(4, 0, 10, 10), B(0, 0, 10, 10)};
    double score[2] = {1, 2};
    pr_detect_eval *ev = make(0.3);
    PR_CHECK_OK(pr_detect_eval_add_image(ev, truth, NULL, 2, det, score, 2));
    pr_detect_eval_result r;
    PR_CHECK_OK(pr_detect_eval_summary(ev, &r));
    PR_CHECK_EQ_INT(r.tp, 2);
    PR_CHECK_EQ_INT(r.fp, 0);
    PR_CHECK_NEAR(r.ap, 1.0, 1e-12);
    pr_detect_eval_delete(ev);
}

/* Ignore regions: a miss does not count, a hit is neither TP nor FP. A real face wins over an
 * ignore box that overlaps the same detection. */
static void test_ignore(void)
{
    pr_box truth[3] = {B(0, 0, 10, 10), B(100, 0, 10, 10), B(200, 0, 10, 10)};
    unsigned char ignore[3] = {0, 1, 1};
    pr_box det[2] = {B(0, 0, 10, 10), B(100, 0, 10, 10)};
    double score[2] = {1, 1};
    pr_detect_eval *ev = make(0.5);
    PR_CHECK_OK(pr_detect_eval_add_image(ev, truth, ignore, 3, det, score, 2));
    pr_detect_eval_result r;
    PR_CHECK_OK(pr_detect_eval_summary(ev, &r));
    PR_CHECK_EQ_INT(r.tp, 1);
    PR_CHECK_EQ_INT(r.fp, 0);
    PR_CHECK_EQ_INT(r.fn, 0);
    PR_CHECK_EQ_INT(r.ignored, 1);
    PR_CHECK_EQ_INT(r.truth, 1);
    PR_CHECK_NEAR(r.f1, 1.0, 1e-12);
    pr_detect_eval_delete(ev);
}

/* AP over two images with interleaved scores: TP .9, FP .8, TP .7, FP .6 with 3 faces.
 * Points: (R 1/3, P 1), (1/3, 1/2), (2/3, 2/3), (2/3, 1/2). Envelope: P 1 up to R 1/3, 2/3 to
 * R 2/3. AP = 1/3 * 1 + 1/3 * 2/3 = 5/9. */
static void test_ap_two_images(void)
{
    pr_box t1[2] = {B(0, 0, 10, 10), B(50, 0, 10, 10)};
    pr_box d1[2] = {B(0, 0, 10, 10), B(200, 0, 10, 10)};
    double s1[2] = {0.9, 0.6};
    pr_box t2[1] = {B(0, 0, 20, 20)};
    pr_box d2[2] = {B(0, 0, 20, 20), B(300, 300, 5, 5)};
    double s2[2] = {0.7, 0.8};
    pr_detect_eval *ev = make(0.5);
    PR_CHECK_OK(pr_detect_eval_add_image(ev, t1, NULL, 2, d1, s1, 2));
    PR_CHECK_OK(pr_detect_eval_add_image(ev, t2, NULL, 1, d2, s2, 2));
    pr_detect_eval_result r;
    PR_CHECK_OK(pr_detect_eval_summary(ev, &r));
    PR_CHECK_EQ_INT(r.images, 2);
    PR_CHECK_EQ_INT(r.tp, 2);
    PR_CHECK_EQ_INT(r.fp, 2);
    PR_CHECK_EQ_INT(r.fn, 1);
    PR_CHECK_NEAR(r.ap, 5.0 / 9, 1e-12);
    FILE *f = tmpfile();
    PR_CHECK(f != NULL);
    if (f) {
        PR_CHECK_OK(pr_detect_eval_write_curve(ev, f));
        rewind(f);
        char line[256];
        int rows = 0;
        while (fgets(line, sizeof line, f))
            rows++;
        PR_CHECK_EQ_INT(rows, 5); /* header + 4 distinct scores */
        fclose(f);
    }
    pr_detect_eval_delete(ev);
}

/* IoU threshold: a loose box matches at 0.3 but not at 0.5. */
static void test_threshold(void)
{
    pr_box truth[1] = {B(0, 0, 10, 10)};
    pr_box det[1] = {B(3, 3, 10, 10)}; /* IoU 49 / 151 = 0.3245 */
    double score[1] = {1};
    for (int k = 0; k < 2; k++) {
        pr_detect_eval *ev = make(k ? 0.5 : 0.3);
        PR_CHECK_OK(pr_detect_eval_add_image(ev, truth, NULL, 1, det, score, 1));
        pr_detect_eval_result r;
        PR_CHECK_OK(pr_detect_eval_summary(ev, &r));
        PR_CHECK_EQ_INT(r.tp, k ? 0 : 1);
        pr_detect_eval_delete(ev);
    }
}

/* Label sets: images are matched by path; "unknown" truth is ignored; no detections at all. */
static void test_labels(void)
{
    pr_face_labels *truth = NULL, *pred = NULL;
    PR_CHECK_OK(pr_face_labels_new("", &truth));
    PR_CHECK_OK(pr_face_labels_new("", &pred));
    if (!truth || !pred)
        return;
    PR_CHECK_OK(pr_face_labels_add(truth, "a.jpg", B(0, 0, 10, 10), "ann", NULL, 0));
    PR_CHECK_OK(pr_face_labels_add(truth, "b.jpg", B(0, 0, 10, 10), "bob", NULL, 0));
    PR_CHECK_OK(pr_face_labels_add(truth, "a.jpg", B(50, 50, 10, 10), "unknown", NULL, 0));
    PR_CHECK_OK(pr_face_labels_add(truth, "c.jpg", B(0, 0, 10, 10), NULL, NULL, 0));
    PR_CHECK_OK(pr_face_labels_add(pred, "b.jpg", B(0, 0, 10, 10), NULL, NULL, 3));
    PR_CHECK_OK(pr_face_labels_add(pred, "a.jpg", B(50, 50, 10, 10), NULL, NULL, 2));
    PR_CHECK_OK(pr_face_labels_add(pred, "a.jpg", B(0, 1, 10, 10), NULL, NULL, 1));
    PR_CHECK_OK(pr_face_labels_add(pred, "zzz.jpg", B(0, 0, 10, 10), NULL, NULL, 9));
    pr_detect_eval *ev = make(0.5);
    PR_CHECK_OK(pr_detect_eval_add_labels(ev, truth, pred));
    pr_detect_eval_result r;
    PR_CHECK_OK(pr_detect_eval_summary(ev, &r));
    PR_CHECK_EQ_INT(r.images, 3);
    PR_CHECK_EQ_INT(r.truth, 3);
    PR_CHECK_EQ_INT(r.tp, 2);
    PR_CHECK_EQ_INT(r.fp, 0);
    PR_CHECK_EQ_INT(r.fn, 1);
    PR_CHECK_EQ_INT(r.ignored, 1);
    pr_detect_eval_delete(ev);

    /* An empty prediction set: recall 0, precision 0 (undefined reported as 0), AP 0. */
    pr_face_labels *none = NULL;
    PR_CHECK_OK(pr_face_labels_new("", &none));
    ev = make(0.5);
    PR_CHECK_OK(pr_detect_eval_add_labels(ev, truth, none));
    PR_CHECK_OK(pr_detect_eval_summary(ev, &r));
    PR_CHECK_EQ_INT(r.fn, 3);
    PR_CHECK_NEAR(r.ap, 0, 0);
    pr_detect_eval_delete(ev);
    pr_face_labels_delete(none);
    pr_face_labels_delete(truth);
    pr_face_labels_delete(pred);
}

/* Every allocation failure is reported as PR_ERR_NOMEM, never a crash. */
static void test_nomem(void)
{
    pr_box truth[1] = {B(0, 0, 10, 10)};
    pr_box det[2] = {B(0, 0, 10, 10), B(5, 5, 10, 10)};
    double score[2] = {1, 2};
    int failures = 0;
    for (long n = 1; n < 10; n++) {
        pr_detect_eval *ev = make(0.5);
        pr_alloc_fail_at(n);
        pr_status st = pr_detect_eval_add_image(ev, truth, NULL, 1, det, score, 2);
        pr_detect_eval_result r;
        if (st == PR_OK)
            st = pr_detect_eval_summary(ev, &r);
        pr_alloc_fail_at(0);
        PR_CHECK(st == PR_OK || st == PR_ERR_NOMEM);
        failures += st == PR_ERR_NOMEM;
        pr_detect_eval_delete(ev);
    }
    PR_CHECK(failures > 0);
    PR_CHECK_EQ_INT(pr_detect_eval_new(NULL, NULL), PR_ERR_ARG);
    pr_detect_eval_params bad = pr_detect_eval_params_default();
    bad.iou = 0;
    pr_detect_eval *ev = NULL;
    PR_CHECK_EQ_INT(pr_detect_eval_new(&bad, &ev), PR_ERR_ARG);
}

int main(void)
{
    test_basic();
    test_greedy_best_iou();
    test_ignore();
    test_ap_two_images();
    test_threshold();
    test_labels();
    test_nomem();
    return pr_test_finish();
}

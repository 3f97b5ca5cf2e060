/* Fusion of cascade boxes on hand-built candidates, and parameter / cascade-list validation. */
#include "detect/detect.h"

#include "core/alloc.h"
#include "tests/test.h"

static pr_face cand(double x, double y, double w, int cascade, double neighbors)
{
    pr_face f;
    memset(&f, 0, sizeof f);
    f.box.x = x;
    f.box.y = y;
    f.box.w = w;
    f.box.h = w;
    f.score = neighbors;
    f.votes = 1;
    f.cascades_mask = 1u << cascade;
    return f;
}

static void test_groups(void)
{
    pr_face in[6] = {
        cand(100, 100, 40, PR_CASCADE_ALT, 5),
        cand(102, 98, 42, PR_CASCADE_ALT2, 3),
        cand(101, 101, 40, PR_CASCADE_ALT2, 1), /* second box of alt2 on the same face */
        cand(300, 100, 40, PR_CASCADE_PROFILE_MIRROR, 4),
        cand(500, 500, 30, PR_CASCADE_DEFAULT, 2),
        cand(296, 104, 36, PR_CASCADE_PROFILE, 1),
    };
    pr_faces out = {0};
    PR_CHECK_OK(pr_detect_fuse(in, 6, 0.3, &out));
    PR_CHECK_EQ_INT(out.count, 3);
    if (out.count == 3) {
        /* Groups come in anchor order (strongest first). */
        const pr_face *a = &out.items[0], *p = &out.items[1], *d = &out.items[2];
        PR_CHECK_EQ_INT(a->votes, 2);
        PR_CHECK_NEAR(a->score, 5 + 3, 1e-12); /* best member per cascade, not the sum of all */
        PR_CHECK_EQ_INT(a->cascades_mask, (1u << PR_CASCADE_ALT) | (1u << PR_CASCADE_ALT2));
        PR_CHECK_EQ_INT(a->pose, PR_POSE_FRONTAL);
        /* Score-weighted mean box: x = (5*100 + 3*102 + 1*101) / 9. */
        PR_CHECK_NEAR(a->box.x, (500.0 + 306 + 101) / 9, 1e-9);
        PR_CHECK_EQ_INT(p->votes, 2);
        PR_CHECK_EQ_INT(p->pose, PR_POSE_RIGHT); /* the mirrored scan was the stronger side */
        PR_CHECK_EQ_INT(d->votes, 1);
        PR_CHECK_NEAR(d->score, 2, 1e-12);
        PR_CHECK_EQ_INT(d->pose, PR_POSE_FRONTAL);
    }
    /* Appends: a second call keeps the first results. */
    PR_CHECK_OK(pr_detect_fuse(in, 1, 0.3, &out));
    PR_CHECK_EQ_INT(out.count, 4);
    PR_CHECK_OK(pr_detect_fuse(NULL, 0, 0.3, &out));
    PR_CHECK_EQ_INT(out.count, 4);
    pr_faces_free(&out);
    PR_CHECK(out.items == NULL && out.count == 0);
}

/* Same result whatever the input order (ties broken by box, never by position in the array). */
static void test_order_independent(void)
{
    pr_face in[4] = {cand(10, 10, 30, PR_CASCADE_ALT, 2), cand(12, 10, 30, PR_CASCADE_DEFAULT, 2),
                     cand(80, 10, 30, PR_CASCADE_ALT2, 2), cand(81, 11, 30, PR_CASCADE_ALT, 2)};
    pr_face rev[4] = {in[3], in[2], in[1], in[0]};
    pr_faces a = {0}, b = {0};
    PR_CHECK_OK(pr_detect_fuse(in, 4, 0.3, &a));
    PR_CHECK_OK(pr_detect_fuse(rev, 4, 0.3, &b));
    PR_CHECK_EQ_INT(a.count, b.count);
    for (size_t i = 0; i < a.count && i < b.count; i++) {
        PR_CHECK_NEAR(a.items[i].box.x, b.items[i].box.x, 0);
        PR_CHECK_EQ_INT(a.items[i].cascades_mask, b.items[i].cascades_mask);
    }
    pr_faces_free(&a);
    pr_faces_free(&b);
}

static void test_nomem(void)
{
    pr_face in[3] = {cand(0, 0, 30, PR_CASCADE_ALT, 2), cand(100, 0, 30, PR_CASCADE_ALT, 2),
                     cand(200, 0, 30, PR_CASCADE_ALT, 2)};
    /* Allocation n fails, n = 1, 2, ... until the first run that succeeds. */
    int nomem = 0;
    pr_status st = PR_ERR_NOMEM;
    for (long n = 1; st != PR_OK && n <= 100000; n++) {
        pr_faces out = {0};
        pr_alloc_fail_at(n);
        st = pr_detect_fuse(in, 3, 0.3, &out);
        pr_alloc_fail_at(0);
        PR_CHECK(st == PR_OK || (st == PR_ERR_NOMEM && out.count == 0));
        nomem += st == PR_ERR_NOMEM;
        pr_faces_free(&out);
    }
    PR_CHECK_EQ_INT(st, PR_OK);
    PR_CHECK(nomem >= 3);
}

static void test_params(void)
{
    pr_detector *det = NULL;
    pr_detector_params p = pr_detector_params_default();
    p.cascades = "alt,nosuch";
    PR_CHECK_EQ_INT(pr_detector_new(&p, &det), PR_ERR_ARG);
    PR_CHECK(det == NULL);
    PR_CHECK(strstr(pr_last_error(), "nosuch") != NULL);
    p = pr_detector_params_default();
    p.scale_factor = 1.0;
    PR_CHECK_EQ_INT(pr_detector_new(&p, &det), PR_ERR_ARG);
    p = pr_detector_params_default();
    p.cascade_dir = "/nonexistent/cascades";
    PR_CHECK(pr_detector_new(&p, &det) != PR_OK);
    PR_CHECK(det == NULL);
    PR_CHECK_STR(pr_cascade_name(PR_CASCADE_ALT2), "alt2");
    PR_CHECK_STR(pr_pose_name(PR_POSE_LEFT), "left");
    pr_detector_delete(NULL);
}

int main(void)
{
    test_groups();
    test_order_independent();
    test_nomem();
    test_params();
    return pr_test_finish();
}

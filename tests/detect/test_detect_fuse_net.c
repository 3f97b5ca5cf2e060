/* The cascades + network fusion (pr_detect_fuse_network) on hand-built faces, the SSD -> Haar
 * square mapping, and the detector-kind names. */
#include "detect/detect.h"

#include "core/alloc.h"
#include "tests/test.h"

#include <math.h>
#include <string.h>

static pr_face face(double x, double y, double w, int votes, double score, double net)
{
    pr_face f;
    memset(&f, 0, sizeof f);
    f.box = (pr_box){x, y, w, w};
    f.votes = votes;
    f.cascades_mask = votes ? 1u << PR_CASCADE_ALT : 0;
    f.score = net > 0 && !votes ? 100 * net : score;
    f.net_score = net;
    return f;
}

static const pr_face *find(const pr_faces *f, double x)
{
    for (size_t i = 0; i < f->count; i++)
        if (fabs(f->items[i].box.x - x) < 1e-9)
            return &f->items[i];
    return NULL;
}

static void test_rules(void)
{
    pr_detector_params p = pr_detector_params_default();
    p.net_alone_score = 0.6;
    p.cascade_alone_votes = 3;
    p.cascade_alone_min_rel = 0; /* any size, until the size rule below */
    p.match_iou = 0.3;
    pr_face c[3] = {face(100, 100, 40, 2, 20, 0),  /* matched by the network */
                    face(300, 100, 40, 2, 30, 0),  /* cascades alone, 2 votes: dropped */
                    face(500, 100, 40, 3, 40, 0)}; /* cascades alone, 3 votes: kept */
    pr_face n[3] = {face(104, 102, 38, 0, 0, 0.9),  /* matches c[0] */
                    face(700, 100, 40, 0, 0, 0.65), /* network alone, above 0.6: kept */
                    face(900, 100, 40, 0, 0, 0.3)}; /* network alone, weak: dropped */
    pr_faces cf = {c, 3, 3}, nf = {n, 3, 3}, out = {0};
    PR_CHECK_OK(pr_detect_fuse_network(&cf, &nf, &p, 1000, &out));
    PR_CHECK_EQ_INT(out.count, 3);
    const pr_face *m = find(&out, 100), *a = find(&out, 700), *v = find(&out, 500);
    PR_CHECK(m && a && v && !find(&out, 300) && !find(&out, 900));
    if (m) { /* the cascade's box, both scores */
        PR_CHECK_NEAR(m->net_score, 0.9, 1e-12);
        PR_CHECK_NEAR(m->score, 90 + 20, 1e-9);
        PR_CHECK_EQ_INT(m->votes, 2);
    }
    if (a)
        PR_CHECK_NEAR(a->score, 65, 1e-9);
    pr_faces_free(&out);
    /* A minimum size relative to the photo: the 40 px cascade face is 4 % of a 1000 px side. */
    p.cascade_alone_min_rel = 0.05;
    PR_CHECK_OK(pr_detect_fuse_network(&cf, &nf, &p, 1000, &out));
    PR_CHECK_EQ_INT(out.count, 2);
    PR_CHECK(!find(&out, 500));
    pr_faces_free(&out);
    PR_CHECK_OK(pr_detect_fuse_network(&cf, &nf, &p, 700, &out)); /* 40 / 700 >= 0.05: kept */
    PR_CHECK_EQ_INT(out.count, 3);
    pr_faces_free(&out);
    p.cascade_alone_min_rel = 0;
    /* 0 = cascade-only faces are never kept, however many cascades agree. */
    p.cascade_alone_votes = 0;
    PR_CHECK_OK(pr_detect_fuse_network(&cf, &nf, &p, 1000, &out));
    PR_CHECK_EQ_INT(out.count, 2);
    PR_CHECK(!find(&out, 500));
    pr_faces_free(&out);
}

static void test_square_and_names(void)
{
    pr_box s = pr_ssd_to_haar_square((pr_box){100, 50, 40, 60});
    PR_CHECK_NEAR(s.w, s.h, 1e-12);
    PR_CHECK_NEAR(s.w, PR_SSD_HAAR_SIDE * sqrt(40.0 * 60.0), 1e-9);
    PR_CHECK_NEAR(s.x + s.w / 2, 120 + PR_SSD_HAAR_DX * 40, 1e-9);
    PR_CHECK_NEAR(s.y + s.h / 2, 80 + PR_SSD_HAAR_DY * 60, 1e-9);
    PR_CHECK_EQ_INT(pr_detector_kind_parse("both"), PR_DETECTOR_BOTH);
    PR_CHECK_EQ_INT(pr_detector_kind_parse("network"), PR_DETECTOR_NETWORK);
    PR_CHECK_EQ_INT(pr_detector_kind_parse("nets"), -1);
    PR_CHECK(strcmp(pr_detector_kind_name(PR_DETECTOR_CASCADES), "cascades") == 0);
    pr_detector_params p = pr_detector_params_default();
    p.detector = (pr_detector_kind)-1;
    pr_detector *d = NULL;
    PR_CHECK(pr_detector_new(&p, &d) == PR_ERR_ARG && d == NULL);
}

/* The default is `both`; without the SSD model it runs as the cascades alone (and says so), while
 * `network` alone cannot run without it. */
static void test_missing_model(void)
{
    pr_detector_params p = pr_detector_params_default();
    PR_CHECK_EQ_INT(p.detector, PR_DETECTOR_BOTH);
    PR_CHECK_EQ_INT(p.cascade_alone_votes, 2);
    PR_CHECK_NEAR(p.cascade_alone_min_rel, 0.5, 1e-12);
    PR_CHECK_EQ_INT(p.cascade_full_scan, 0);
    p.models_dir = "/nonexistent/faceapi-models";
    pr_detector *d = NULL;
    pr_status st = pr_detector_new(&p, &d);
    if (st == PR_OK) {
        PR_CHECK(pr_detector_network_missing(d) == 1);
        pr_image *img = NULL;
        PR_CHECK_OK(pr_image_new(64, 48, 1, &img));
        pr_faces faces = {0};
        if (img)
            PR_CHECK_OK(pr_detector_run(d, img, &faces));
        pr_faces_free(&faces);
        pr_image_delete(img);
    } else {
        /* No cascades installed either: then nothing can run, which is not this test's point. */
        PR_CHECK_MSG(strstr(pr_last_error(), "cascade") != NULL, "%s", pr_last_error());
    }
    pr_detector_delete(d);
    p.detector = PR_DETECTOR_NETWORK;
    d = NULL;
    PR_CHECK(pr_detector_new(&p, &d) != PR_OK && d == NULL);
    PR_CHECK(pr_detector_network_missing(NULL) == 0);
}

int main(void)
{
    test_rules();
    test_square_and_names();
    test_missing_model();
    return pr_test_finish();
}

/* eval/detect_run: the detector options map onto the detector's params; the CSV writer quotes a
 * photo path with a comma and a quote so the label reader gets the same path back (the old
 * `personrec detect` CSV did not quote); and on dlib's 9 photos the detector run finds the faces
 * of every photo, sorted and without duplicates. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include "eval/detect_run.h"
#include "core/alloc.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>

static void check_options(void)
{
    pr_detect_options o = pr_detect_options_default();
    pr_detector_params d = pr_detect_options_params(&o), def = pr_detector_params_default();
    PR_CHECK(d.min_neighbors == def.min_neighbors && d.working_long_side == def.working_long_side);
    o.min_neighbors = 7;
    o.working_long_side = 0;
    o.eye_check = 1;
    d = pr_detect_options_params(&o);
    PR_CHECK_EQ_INT(d.min_neighbors, 7);
    PR_CHECK_EQ_INT(d.working_long_side, 0);
    PR_CHECK_EQ_INT(d.eye_check, 1);
    o = pr_detect_options_default();
    o.cascades = "alt2";
    d = pr_detect_options_params(&o);
    PR_CHECK_STR(d.cascades, "alt2");
    PR_CHECK(d.verifiers == NULL);
}

static void check_csv_quoting(void)
{
    pr_detect_item it;
    memset(&it, 0, sizeof it);
    it.path = "odd, \"name\".jpg";
    pr_face f;
    memset(&f, 0, sizeof f);
    f.box.x = 10;
    f.box.y = 20;
    f.box.w = 30;
    f.box.h = 30;
    f.score = 42;
    PR_CHECK_OK(pr_faces_push(&it.faces, &f));
    char dir[] = "/tmp/evalh_predXXXXXX", path[64];
    PR_CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/pred.csv", dir); /* the reader goes by the extension */
    FILE *out = fopen(path, "w");
    PR_CHECK(out != NULL);
    if (!out)
        return;
    pr_detect_csv_params cp = {1, 2, 0};
    PR_CHECK_OK(pr_detect_write_csv(out, &it, 1, &cp));
    fclose(out);
    pr_face_labels *back = NULL;
    PR_CHECK_OK(pr_face_labels_load(path, &back));
    PR_CHECK(back && back->count == 1);
    if (back && back->count == 1) {
        PR_CHECK_STR(back->items[0].image, "odd, \"name\".jpg");
        PR_CHECK_NEAR(back->items[0].box.w, 30, 0);
        PR_CHECK_NEAR(back->items[0].score, 42, 0);
    }
    pr_face_labels_delete(back);
    remove(path);
    remove(dir);
    pr_faces_free(&it.faces);
}

int main(void)
{
    check_options();
    check_csv_quoting();
    const char *root = pr_test_data_dir("dlib_faces");
    char truth_path[4200];
    snprintf(truth_path, sizeof truth_path, "%s/boxes.csv", root);
    pr_face_labels *truth = NULL;
    PR_CHECK_OK(pr_face_labels_load(truth_path, &truth));
    if (!truth)
        return pr_test_finish();
    pr_detector_params dp = pr_detector_params_default();
    pr_detect_run run;
    PR_CHECK_OK(pr_detect_run_truth(&dp, 2, truth, &run));
    PR_CHECK_EQ_INT(run.n, 9);
    for (size_t i = 1; i < run.n; i++)
        PR_CHECK(strcmp(run.items[i - 1].path, run.items[i].path) < 0);
    PR_CHECK_EQ_INT(pr_detect_report_skipped("test", run.items, run.n), 0);
    PR_CHECK(run.pred && run.pred->count >= 30);
    PR_CHECK(run.megapixels > 1 && run.seconds > 0);
    pr_detect_run_free(&run);
    pr_face_labels_delete(truth);
    return pr_test_finish();
}

#define _DEFAULT_SOURCE
/* eval/truth_pred: the options eval cluster and eval naming share are checked with their usage
 * messages, both files load (the prediction's photos sized from the truth's folder), and a missing
 * prediction file is named as the one that failed, with nothing left allocated. */
#include "eval/truth_pred.h"
#include "core/status.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int calls;

static pr_status count_faces(const pr_face_labels *truth, const pr_face_labels *pred, void *ctx)
{
    calls++;
    *(size_t *)ctx = truth->count + pred->count;
    return PR_OK;
}

static pr_status refuse(const pr_face_labels *truth, const pr_face_labels *pred, void *ctx)
{
    (void)truth;
    (void)pred;
    (void)ctx;
    return pr_set_error(PR_ERR_FORMAT, "refused");
}

int main(void)
{
    pr_truth_pred_params p = pr_truth_pred_params_default();
    PR_CHECK(pr_truth_pred_check(&p) == PR_ERR_ARG);
    PR_CHECK(strstr(pr_last_error(), "--truth and --pred are required") != NULL);
    p.truth = "t.csv";
    p.pred = "p.csv";
    p.iou = 1.5;
    PR_CHECK(pr_truth_pred_check(&p) == PR_ERR_ARG);
    PR_CHECK(strstr(pr_last_error(), "--iou must be in (0, 1]") != NULL);
    p.iou = 0.4;
    PR_CHECK_OK(pr_truth_pred_check(&p));
    pr_face_match_params m;
    pr_truth_pred_match(&p, &m);
    PR_CHECK_NEAR(m.iou, 0.4, 0);
    PR_CHECK_STR(m.ignore_name, "unknown");
    p.ignore = "";
    pr_truth_pred_match(&p, &m);
    PR_CHECK(m.ignore_name == NULL);

    const char *root = pr_test_data_dir("album");
    char truth[4200];
    snprintf(truth, sizeof truth, "%s/truth.csv", root);
    p = pr_truth_pred_params_default();
    p.truth = truth;
    p.pred = truth;
    pr_face_labels *t = NULL, *pr = NULL;
    const char *failed = "x";
    PR_CHECK_OK(pr_truth_pred_load(&p, &t, &pr, &failed));
    PR_CHECK(failed == NULL);
    PR_CHECK(t && pr && t->count == pr->count && t->count > 200);
    pr_face_labels_delete(t);
    pr_face_labels_delete(pr);

    /* run: both loaded, the evaluation called once, its failure returned with no file named */
    size_t both = 0;
    PR_CHECK_OK(pr_truth_pred_run(&p, count_faces, &both, &failed));
    PR_CHECK_EQ_INT(calls, 1);
    PR_CHECK(both > 400);
    PR_CHECK(pr_truth_pred_run(&p, refuse, NULL, &failed) == PR_ERR_FORMAT);
    PR_CHECK(failed == NULL);

    /* A prediction none of whose faces matches a truth face (its photo paths do not meet the
     * truth's: here each has a prefix) leaves nothing to score: an error naming the prediction
     * and both files' photos, not an evaluation (eval cluster --ignore-unmatched printed a perfect
     * 1.0000 for it, exit 0). A truth with no named face is refused the same way. */
    char dir[] = "/tmp/pr_test_truth_pred_XXXXXX", mism[64], empty[64];
    PR_CHECK(mkdtemp(dir) != NULL);
    snprintf(mism, sizeof mism, "%s/pred.csv", dir);
    snprintf(empty, sizeof empty, "%s/truth.csv", dir);
    FILE *in = fopen(truth, "r"), *out = fopen(mism, "w"), *e = fopen(empty, "w");
    char line[1024];
    for (int i = 0; in && out && fgets(line, sizeof line, in); i++)
        fprintf(out, "%s%s", i ? "zz_" : "", line);
    if (e)
        fputs("image,x,y,w,h,person\n", e);
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    if (e)
        fclose(e);
    p.pred = mism;
    calls = 0;
    PR_CHECK(pr_truth_pred_run(&p, count_faces, &both, &failed) == PR_ERR_FORMAT);
    PR_CHECK_EQ_INT(calls, 0);
    PR_CHECK(failed == p.pred);
    PR_CHECK_MSG(strstr(pr_last_error(), "matches no") && strstr(pr_last_error(), "zz_"), "%s",
                 pr_last_error());
    p.truth = empty;
    p.pred = truth;
    PR_CHECK(pr_truth_pred_run(&p, count_faces, &both, &failed) == PR_ERR_FORMAT);
    PR_CHECK_EQ_INT(calls, 0);
    PR_CHECK(failed == p.truth);
    remove(mism);
    remove(empty);
    remove(dir);
    p.truth = truth;

    p.pred = "/nonexistent-evalh/pred.csv";
    PR_CHECK(pr_truth_pred_run(&p, count_faces, &both, &failed) != PR_OK);
    PR_CHECK_EQ_INT(calls, 0);
    PR_CHECK(pr_truth_pred_load(&p, &t, &pr, &failed) != PR_OK);
    PR_CHECK(failed == p.pred);
    PR_CHECK(t == NULL && pr == NULL);
    p.truth = "/nonexistent-evalh/truth.csv";
    PR_CHECK(pr_truth_pred_load(&p, &t, &pr, &failed) != PR_OK);
    PR_CHECK(failed == p.truth);
    return pr_test_finish();
}

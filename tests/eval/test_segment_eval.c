/* eval/segment_eval on the first BSDS500 images: the figures are in range, do not depend on the
 * thread count, and the JSON writer keeps the keys thesis/results/segment.md reads; bad k lists and
 * a missing folder are errors. */
#include "eval/segment_eval.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>

static void check_parse(void)
{
    pr_segment_eval_params p = pr_segment_eval_params_default();
    PR_CHECK_EQ_INT(p.n_k, 4);
    PR_CHECK_OK(pr_segment_eval_parse_ks("50,300", &p));
    PR_CHECK_EQ_INT(p.n_k, 2);
    PR_CHECK_NEAR(p.ks[1], 300, 0);
    PR_CHECK(pr_segment_eval_parse_ks("", &p) == PR_ERR_ARG);
    PR_CHECK(pr_segment_eval_parse_ks("100,x", &p) == PR_ERR_ARG);
    PR_CHECK(pr_segment_eval_parse_ks("-5", &p) == PR_ERR_ARG);
    p.tolerance = 30;
    PR_CHECK(pr_segment_eval_params_check(&p) == PR_ERR_ARG);
}

int main(void)
{
    check_parse();
    const char *root = pr_test_data_dir("bsds500");
    char images[4200], truth[4200];
    snprintf(images, sizeof images, "%s/images", root);
    snprintf(truth, sizeof truth, "%s/groundtruth", root);
    pr_segment_eval_params p = pr_segment_eval_params_default();
    PR_CHECK_OK(pr_segment_eval_parse_ks("100,300", &p));
    p.limit = 3;
    p.threads = 1;
    pr_segment_eval_result one, two;
    PR_CHECK_OK(pr_segment_eval_run(images, truth, &p, &one));
    p.threads = 2;
    PR_CHECK_OK(pr_segment_eval_run(images, truth, &p, &two));
    PR_CHECK_EQ_INT(one.images, 3);
    PR_CHECK_EQ_INT(one.failed, 0);
    PR_CHECK_EQ_INT(one.n_rows, 2);
    for (int k = 0; k < one.n_rows; k++) {
        const pr_segment_eval_row *a = &one.rows[k], *b = &two.rows[k];
        PR_CHECK_EQ_INT(a->images, 3);
        PR_CHECK(a->asa > 0.8 && a->asa <= 1);
        PR_CHECK(a->asa_mean <= a->asa);
        PR_CHECK(a->boundary_recall > 0.3 && a->boundary_recall <= 1);
        PR_CHECK(a->ue >= 0 && a->ue < 1);
        /* same partitions whatever the thread count: every figure but the time */
        PR_CHECK(a->segments == b->segments && a->asa == b->asa && a->asa_mean == b->asa_mean &&
                 a->ue == b->ue && a->boundary_recall == b->boundary_recall);
    }
    /* a larger k merges more: fewer segments */
    PR_CHECK(one.rows[1].segments < one.rows[0].segments);

    char buf[4096] = {0};
    FILE *f = tmpfile();
    PR_CHECK(f != NULL);
    if (f) {
        PR_CHECK_OK(pr_segment_eval_write_json(f, &p, &one));
        rewind(f);
        size_t n = fread(buf, 1, sizeof buf - 1, f);
        buf[n] = 0;
        fclose(f);
    }
    const char *keys[] = {"\"k\":100,", "\"sigma\":", "\"min_size\":20", "\"images\":3",
                          "\"segments\":", "\"asa\":", "\"asa_mean\":", "\"ue\":",
                          "\"boundary_recall\":", "\"ms\":"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        PR_CHECK_MSG(strstr(buf, keys[i]) != NULL, "%s in %s", keys[i], buf);
    PR_CHECK(strchr(buf, '\n') && strchr(strchr(buf, '\n') + 1, '\n')); /* one line per k */

    pr_segment_eval_result none;
    PR_CHECK(pr_segment_eval_run("/nonexistent-evalh", truth, &p, &none) != PR_OK);
    return pr_test_finish();
}

/* eval/eigenface_eval on AT&T/ORL: 5 training images per person, 1-NN in face space. The rates
 * are those of thesis/results/features.md (cos, 40 components: 0.91); the sweep ends at the
 * model's size; a skip at or above a count leaves that count out; a malformed label file and a
 * bad distance are errors. */
#define _POSIX_C_SOURCE 200809L /* mkstemp, fdopen, setenv */

#include "eval/eigenface_eval.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>

int main(void)
{
    pr_eigenface_eval_params p = pr_eigenface_eval_params_default();
    p.distance = "manhattan";
    PR_CHECK(pr_eigenface_eval_params_check(&p) == PR_ERR_ARG);
    p = pr_eigenface_eval_params_default();
    p.width = 4;
    PR_CHECK(pr_eigenface_eval_params_check(&p) == PR_ERR_ARG);

    char bad[] = "/tmp/evalh_bad_labelsXXXXXX";
    FILE *bf = fdopen(mkstemp(bad), "w");
    PR_CHECK(bf != NULL);
    if (bf) {
        fputs("path,person\nno-comma-here\n", bf);
        fclose(bf);
        pr_eigenface_eval_result r;
        p = pr_eigenface_eval_params_default();
        PR_CHECK(pr_eigenface_eval_run(bad, &p, &r) == PR_ERR_FORMAT);
        remove(bad);
    }

    const char *root = pr_test_data_dir("att_orl");
    char labels[4200];
    snprintf(labels, sizeof labels, "%s/labels.csv", root);
    p = pr_eigenface_eval_params_default();
    p.distance = "cos";
    p.components = 40;
    pr_eigenface_eval_result r;
    PR_CHECK_OK(pr_eigenface_eval_run(labels, &p, &r));
    PR_CHECK_EQ_INT(r.train, 200);
    PR_CHECK_EQ_INT(r.test, 200);
    PR_CHECK_EQ_INT(r.people, 40);
    PR_CHECK_EQ_INT(r.n_rows, 1);
    PR_CHECK_EQ_INT(r.rows[0].components, 40);
    PR_CHECK_EQ_INT(r.rows[0].correct, 182);
    PR_CHECK_NEAR(r.rows[0].rate, 0.91, 1e-12);

    /* the sweep: 5, 10, ... below the model's size (199 components from 200 rows), then 199 */
    p.components = 0;
    p.skip = 5;
    PR_CHECK_OK(pr_eigenface_eval_run(labels, &p, &r));
    PR_CHECK(r.n_rows >= 2);
    PR_CHECK(r.rows[0].components == 10); /* 5 <= skip is left out */
    PR_CHECK(r.rows[r.n_rows - 1].components > 150);
    for (int i = 0; i < r.n_rows; i++)
        PR_CHECK(r.rows[i].rate > 0 && r.rows[i].rate <= 1);
    PR_CHECK(r.rows[r.n_rows - 1].rate > 0.8); /* lighting left out, the rest kept */

    char buf[2048] = {0};
    FILE *f = tmpfile();
    PR_CHECK(f != NULL);
    if (f) {
        PR_CHECK_OK(pr_eigenface_eval_write_json(f, &p, &r));
        rewind(f);
        buf[fread(buf, 1, sizeof buf - 1, f)] = 0;
        fclose(f);
    }
    const char *keys[] = {"{\"recognition_rate\":", "\"components\":10,", "\"skip\":5",
                          "\"distance\":\"cos\"", "\"train\":200", "\"test\":200", "\"people\":40",
                          "\"width\":64", "\"height\":64", "\"equalize\":false",
                          "\"train_seconds\":"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        PR_CHECK_MSG(strstr(buf, keys[i]) != NULL, "%s in %s", keys[i], buf);
    return pr_test_finish();
}

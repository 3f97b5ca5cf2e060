#include "eval/roc.h"

#include "tests/test.h"

int main(void)
{
    pr_roc_result r;
    double s1[] = {0.9, 0.8, 0.7, 0.3, 0.2, 0.1};
    int l1[] = {1, 1, 1, 0, 0, 0};
    PR_CHECK_OK(pr_roc_compute(s1, l1, 6, &r));
    PR_CHECK_NEAR(r.auc, 1.0, 1e-12);
    PR_CHECK_NEAR(r.eer, 0.0, 1e-12);
    PR_CHECK_EQ_INT(r.positives, 3);
    PR_CHECK_EQ_INT(r.negatives, 3);

    int l2[] = {0, 0, 0, 1, 1, 1}; /* perfectly wrong */
    PR_CHECK_OK(pr_roc_compute(s1, l2, 6, &r));
    PR_CHECK_NEAR(r.auc, 0.0, 1e-12);
    PR_CHECK_NEAR(r.eer, 1.0, 1e-12);

    double s3[] = {0.5, 0.5, 0.5, 0.5}; /* all tied: chance */
    int l3[] = {1, 0, 1, 0};
    PR_CHECK_OK(pr_roc_compute(s3, l3, 4, &r));
    PR_CHECK_NEAR(r.auc, 0.5, 1e-12);
    PR_CHECK_NEAR(r.eer, 0.5, 1e-12);

    /* Hand-counted: positives {0.9, 0.6, 0.4}, negatives {0.8, 0.5, 0.3, 0.2}: of the 12 pairs the
     * positive wins 4 + 3 + 2 = 9 -> AUC 0.75. NaN is skipped. */
    double s4[] = {0.9, 0.8, 0.6, 0.5, 0.4, 0.3, 0.2, NAN};
    int l4[] = {1, 0, 1, 0, 1, 0, 0, 1};
    PR_CHECK_OK(pr_roc_compute(s4, l4, 8, &r));
    PR_CHECK_NEAR(r.auc, 0.75, 1e-12);
    PR_CHECK_EQ_INT(r.skipped, 1);
    PR_CHECK(r.eer > 0.2 && r.eer < 0.5);

    int l5[] = {1, 1};
    PR_CHECK(pr_roc_compute(s1, l5, 2, &r) == PR_ERR_ARG);
    PR_CHECK(isnan(r.auc));
    return pr_test_finish();
}

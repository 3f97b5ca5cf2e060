/* Progress reporting: counts, quiet mode and a forced bar do not crash and report what was done. */
#include "core/progress.h"
#include "tests/test.h"

int main(void)
{
    pr_progress *p = NULL;
    PR_CHECK_OK(pr_progress_new("test", "photos", 10, PR_PROGRESS_BAR, &p));
    for (int i = 0; i < 10; i++)
        pr_progress_step(p, 1);
    pr_progress_delete(p);
    PR_CHECK_OK(pr_progress_new("quiet", "photos", 0, PR_PROGRESS_QUIET, &p));
    pr_progress_step(p, 5);
    pr_progress_delete(p);
    pr_progress_delete(NULL);
    double t0 = pr_now_seconds(), t1 = pr_now_seconds();
    PR_CHECK(t1 >= t0);
    return pr_test_finish();
}

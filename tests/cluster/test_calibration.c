/* Cue calibration: the shipped descriptor calibration exists, is finite and non-increasing over
 * every distance (NaN = no evidence = 0), says "same person" well below the customary 0.6 cut and
 * "different" well above it; the parser finds the right line and refuses malformed ones. */
#include "cluster/calibration.h"
#include "tests/test.h"

#include <math.h>

static void check_shipped(void)
{
    pr_calibration cal;
    PR_CHECK_OK(pr_calibration_shipped("descriptor", &cal));
    PR_CHECK(cal.b < 0 && cal.lo < cal.hi);
    double prev = INFINITY;
    for (double d = -1.0; d <= 3.0; d += 0.01) {
        double v = pr_calibration_llr(&cal, d);
        PR_CHECK_MSG(isfinite(v) && v <= prev, "LLR(%g) = %g after %g", d, v, prev);
        prev = v;
    }
    PR_CHECK(pr_calibration_llr(&cal, 0.35) > 2.0);  /* typical same-person distance */
    PR_CHECK(pr_calibration_llr(&cal, 0.85) < -2.0); /* typical different-person distance */
    PR_CHECK(isfinite(pr_calibration_llr(&cal, INFINITY)));
    PR_CHECK_NEAR(pr_calibration_llr(&cal, NAN), 0.0, 0.0);
    PR_CHECK(pr_calibration_shipped("no-such-cue", &cal) == PR_ERR_ARG);
}

static void check_parse(void)
{
    const char *text = "# comment descriptor 1 -1 0 1\n"
                       "descriptorx 9 -9 0 1\n"
                       "  descriptor 2.5 -5 0.25 1.5 more text\n"
                       "body 1 -2 0 1\n";
    pr_calibration cal;
    PR_CHECK_OK(pr_calibration_parse(text, "t", "descriptor", &cal));
    PR_CHECK_NEAR(cal.a, 2.5, 0);
    PR_CHECK_NEAR(cal.b, -5, 0);
    PR_CHECK_NEAR(pr_calibration_llr(&cal, 0.0), 2.5 - 5 * 0.25, 1e-12); /* clamped to lo */
    PR_CHECK_NEAR(pr_calibration_llr(&cal, 9.0), 2.5 - 5 * 1.5, 1e-12);  /* clamped to hi */
    PR_CHECK_OK(pr_calibration_parse(text, "t", "body", &cal));
    PR_CHECK_NEAR(cal.b, -2, 0);
    PR_CHECK(pr_calibration_parse("descriptor 1 2 0 1\n", "t", "descriptor", &cal) ==
             PR_ERR_FORMAT); /* b >= 0 would reward distance */
    PR_CHECK(pr_calibration_parse("descriptor 1 -2 1 0\n", "t", "descriptor", &cal) ==
             PR_ERR_FORMAT); /* lo >= hi */
    PR_CHECK(pr_calibration_parse("descriptor 1 -2 0\n", "t", "descriptor", &cal) ==
             PR_ERR_FORMAT);
    PR_CHECK(pr_calibration_parse("descriptor 1 -2x 0 1\n", "t", "descriptor", &cal) ==
             PR_ERR_FORMAT);
    PR_CHECK(pr_calibration_parse("descriptor nan -2 0 1\n", "t", "descriptor", &cal) ==
             PR_ERR_FORMAT);
    PR_CHECK(pr_calibration_parse("", "t", "descriptor", &cal) == PR_ERR_ARG);
}

int main(void)
{
    check_shipped();
    check_parse();
    return pr_test_finish();
}

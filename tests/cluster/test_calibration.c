/* Cue calibration: the shipped descriptor calibration exists, is finite and non-increasing over
 * every distance (NaN = no evidence = 0), says "same person" well below the customary 0.6 cut and
 * "different" well above it; the parser finds the right line and refuses malformed ones. The
 * shipped stranger model asks more of a single face's best match the more faces it met, and the
 * shipped clothing calibration is weaker than the descriptor's. */
#include "cluster/calibrated.h"
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

static void check_models(void)
{
    pr_stranger_model sm;
    PR_CHECK_OK(pr_stranger_shipped(&sm));
    PR_CHECK(sm.c1 > 0 && sm.c2 < 0);
    /* 4 faces with a descriptor in photos 0, 0, 1, 2: face 0 meets 2 candidates, face 2 meets 3. */
    static const float v[PR_CALIBRATED_DIM];
    const float *desc[5] = {v, v, v, v, NULL};
    int32_t group[5] = {0, 0, 1, 2, 3};
    float min[5];
    pr_stranger_min_scores(&sm, desc, group, 5, min);
    PR_CHECK(isfinite(min[0]) && min[0] < min[2] && min[2] == min[3] && isinf(min[4]));
    PR_CHECK_NEAR(min[2], -(sm.c0 + sm.c2 * log(3.0)) / sm.c1, 1e-5);
    double vals[3];
    PR_CHECK(pr_calibration_parse_line("stranger 1 2\n", "t", "stranger", 3, vals) ==
             PR_ERR_FORMAT);
    PR_CHECK(pr_calibration_parse_line("x 1 2 3\n", "t", "stranger", 3, vals) == PR_ERR_ARG);
    PR_CHECK_OK(pr_calibration_parse_line("# stranger 9 9 9\nstranger 1 2 -3 x\n", "t",
                                          "stranger", 3, vals));
    PR_CHECK(vals[0] == 1 && vals[1] == 2 && vals[2] == -3);
    pr_calibration body, desc_cal;
    PR_CHECK_OK(pr_calibration_shipped("body", &body));
    PR_CHECK_OK(pr_calibration_shipped("descriptor", &desc_cal));
    PR_CHECK(body.b < 0);
    /* Over its whole range clothing moves the LLR less than the descriptor does. */
    PR_CHECK(fabs(body.b) * (body.hi - body.lo) < fabs(desc_cal.b) * (desc_cal.hi - desc_cal.lo));
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
    check_models();
    return pr_test_finish();
}

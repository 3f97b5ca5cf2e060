/* calibration: a cue's distance -> the log-likelihood ratio that two faces are one person.
 *
 *     LLR(d) = a + b * clamp(d, lo, hi)        (b < 0: a larger distance is less likely one person)
 *
 * a and b come from a class-balanced logistic regression of "same person" on the distance over
 * labelled pairs (scripts/fit-calibration; never the photos being labelled), so with equal class
 * weights the fitted log-odds IS the log-likelihood ratio: 0 = the distance is as likely between
 * two faces of one person as between two people. The clamp to the distances seen in the fit keeps
 * the value finite and stops one extreme distance from outvoting the other cues.
 *
 * LLRs of independent cues add. The shipped parameters (cluster/params/calibration.txt) are
 * compiled in (the build embeds the text file), so a binary needs no data file at run time. */
#ifndef PR_CLUSTER_CALIBRATION_H
#define PR_CLUSTER_CALIBRATION_H

#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_calibration {
    double a, b;   /* LLR = a + b * clamp(d, lo, hi); b < 0 */
    double lo, hi; /* distance range of the fit, lo < hi */
} pr_calibration;

/* The LLR of a distance: finite for every input (NaN = no evidence = 0). Non-increasing in d. */
double pr_calibration_llr(const pr_calibration *cal, double distance);

/* Parses the text format of cluster/params/calibration.txt: one cue per line,
 *     <cue> <a> <b> <lo> <hi> [anything else]
 * '#' starts a comment. Finds the line whose first word is cue. PR_ERR_FORMAT (with the line) for a
 * malformed line, b >= 0, lo >= hi or a non-finite value; PR_ERR_ARG when the cue is absent. */
pr_status pr_calibration_parse(const char *text, const char *name, const char *cue,
                               pr_calibration *out);

/* Any other line of the same text, "<key> v1 .. v<count>" (models that are not a distance
 * calibration, e.g. the stranger model of cluster/calibrated.h). PR_ERR_FORMAT for fewer or
 * non-finite values, PR_ERR_ARG when the key is absent. */
pr_status pr_calibration_parse_line(const char *text, const char *name, const char *key,
                                    int count, double *values);
pr_status pr_calibration_shipped_line(const char *key, int count, double *values);

/* The shipped parameters of a cue (e.g. "descriptor"). PR_ERR_ARG when none are shipped. */
pr_status pr_calibration_shipped(const char *cue, pr_calibration *out);

/* The shipped text itself (for `--help`-style listings and tests). */
const char *pr_calibration_shipped_text(void);

#ifdef __cplusplus
}
#endif
#endif

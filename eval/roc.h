/* ROC analysis of a score that should be high for positives (e.g. -distance for "same person"):
 * area under the curve and equal error rate. */
#ifndef PR_EVAL_ROC_H
#define PR_EVAL_ROC_H

#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_roc_result {
    double auc;           /* P(score of a random positive > random negative), ties count 1/2 */
    double eer;           /* equal error rate: where false accept rate = false reject rate */
    double eer_threshold; /* score at the EER (accept when score >= threshold) */
    long positives;       /* pairs used (non-NaN scores) */
    long negatives;
    long skipped;         /* NaN scores (no cue) left out */
} pr_roc_result;

/* scores[i] with labels[i] (non-zero = positive), n entries, both borrowed. NaN scores are
 * skipped. Needs at least one positive and one negative: else PR_ERR_ARG, with auc and eer NAN. */
pr_status pr_roc_compute(const double *scores, const int *labels, size_t n, pr_roc_result *out);

#ifdef __cplusplus
}
#endif
#endif

/* Picasa-style naming evaluation: a user names n faces of every person, the system suggests names
 * for the rest.
 *
 * Protocol (one seed): faces are matched (eval/face_match). For every true person, in name order,
 * n of their matched faces are drawn without replacement by a pr_rng seeded with the seed (all of
 * them when the person has n or fewer). A named face names its predicted cluster; a cluster named
 * with several names takes the most frequent one (ties: the alphabetically first). Every other
 * prediction in a named cluster gets that cluster's name as its suggestion, including predictions
 * that match no truth face (they are wrong suggestions); predictions on ignore faces are skipped.
 *   precision   = correct / suggested
 *   recall      = correct / unnamed truth faces (every named, non-ignore truth face the user did
 *                 not name, detected or not)
 *   unsuggested = share of those unnamed truth faces that got no suggestion at all.
 * precision is 0 when nothing was suggested. The figures are averaged over `seeds` seeds
 * (first_seed, first_seed + 1, ...) and reported with their standard deviation (n - 1 in the
 * denominator; 0 for one seed). */
#ifndef PR_EVAL_NAMING_H
#define PR_EVAL_NAMING_H

#include "core/status.h"
#include "datasets/face_labels.h"
#include "eval/face_match.h"

#include <stdint.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_naming_params {
    pr_face_match_params match;
    int named_per_person; /* n (default 1) */
    int seeds;            /* default 10 */
    uint64_t first_seed;  /* default 1 */
} pr_naming_params;

pr_naming_params pr_naming_params_default(void);

typedef struct pr_naming_run {
    double precision, recall, unsuggested;
    long suggested, correct, named, unnamed_truth;
} pr_naming_run;

typedef struct pr_naming_result {
    double precision, recall, unsuggested;             /* means over seeds */
    double precision_std, recall_std, unsuggested_std; /* sample standard deviations */
    double suggested, correct, named, unnamed_truth;   /* means over seeds */
    int seeds;
    int named_per_person;
    size_t matched, unmatched_pred, unmatched_truth;
} pr_naming_result;

/* One seed. */
pr_status pr_naming_eval_seed(const pr_face_labels *truth, const pr_face_labels *pred,
                              const pr_face_match *match, const pr_naming_params *params,
                              uint64_t seed, pr_naming_run *out);

pr_status pr_naming_eval(const pr_face_labels *truth, const pr_face_labels *pred,
                         const pr_naming_params *params, pr_naming_result *out);

/* JSON object with precision, recall, suggested, correct (means) plus precision_std, recall_std,
 * unsuggested, unsuggested_std, named, unnamed_truth, named_per_person, seeds, matched,
 * unmatched_pred, unmatched_truth. */
void pr_naming_write_json(FILE *f, const pr_naming_result *r);
/* The same for people: the parameters, then precision/recall with their deviations, the mean
 * counts per seed and the match counts. */
void pr_naming_write_text(FILE *f, const pr_naming_params *params, const pr_naming_result *r);

#ifdef __cplusplus
}
#endif
#endif

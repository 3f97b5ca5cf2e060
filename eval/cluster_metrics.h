/* Clustering quality: predicted clusters against true identities.
 *
 * Label-array metrics (pr_cluster_scores): over n items with a true class and a predicted
 * cluster each,
 *   pairwise precision / recall / F1 over item pairs (a pair is "together" in truth or
 *     prediction); with no predicted pair precision is 1, with no true pair recall is 1;
 *   BCubed precision / recall / F1 (Bagga & Baldwin 1998; Amigo et al., Inf. Retrieval 2009):
 *     per-item share of its cluster that is its class, and of its class that is in its cluster;
 *   NMI with the arithmetic-mean normalisation I(T;P) / ((H(T) + H(P)) / 2) (Manning et al.,
 *     "Introduction to Information Retrieval" 16.3; scikit-learn's default); 1 when both
 *     entropies are 0;
 *   ARI (Hubert & Arabie 1985); 1 when the expected index equals its maximum (e.g. both
 *     labelings put everything together, or both keep everything apart).
 *
 * Face-set evaluation (pr_cluster_eval): truth and prediction face labels are matched
 * (eval/face_match, IoU >= 0.3 by default); `unknown` truth faces are left out; each matched
 * prediction is an item with its truth person as class and its `person` field (a cluster id or a
 * name; empty = a cluster of its own) as cluster. Unmatched predictions count as errors by
 * default: each joins the items as a class of its own, so grouping it with anyone costs
 * precision. Unmatched truth faces are reported, not scored (detection recall measures them). */
#ifndef PR_EVAL_CLUSTER_METRICS_H
#define PR_EVAL_CLUSTER_METRICS_H

#include "core/status.h"
#include "datasets/face_labels.h"
#include "eval/face_match.h"

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_cluster_scores {
    double pairwise_precision, pairwise_recall, pairwise_f1;
    double bcubed_precision, bcubed_recall, bcubed_f1;
    double nmi, ari;
    size_t items;    /* n */
    size_t classes;  /* distinct true classes among the items */
    size_t clusters; /* distinct predicted clusters among the items */
} pr_cluster_scores;

/* truth[i], pred[i]: any non-negative ints (need not be dense). n = 0 gives all metrics 1 except
 * F... = 1 too (nothing was wrong), counts 0. */
pr_status pr_cluster_scores_compute(const int *truth, const int *pred, size_t n,
                                    pr_cluster_scores *out);

typedef struct pr_cluster_eval_params {
    pr_face_match_params match;
    int unmatched_pred_as_errors; /* default 1 */
} pr_cluster_eval_params;

pr_cluster_eval_params pr_cluster_eval_params_default(void);

typedef struct pr_cluster_eval_result {
    pr_cluster_scores scores;
    size_t clusters;        /* distinct predicted clusters among the predictions that count
                               (matched or unmatched, not ignored) */
    size_t people;          /* distinct named truth people (ignore name left out) */
    size_t matched, unmatched_pred, unmatched_truth, ignored_pred;
} pr_cluster_eval_result;

pr_status pr_cluster_eval(const pr_face_labels *truth, const pr_face_labels *pred,
                          const pr_cluster_eval_params *params, pr_cluster_eval_result *out);

/* Writes the result as one JSON object with the keys pairwise_precision, pairwise_recall,
 * pairwise_f1, bcubed_precision, bcubed_recall, bcubed_f1, nmi, ari, clusters, people, matched,
 * unmatched_pred, unmatched_truth, ignored_pred. */
void pr_cluster_eval_write_json(FILE *f, const pr_cluster_eval_result *r);
/* The same for people: pairwise and BCubed P/R/F1, NMI, ARI and the counts. */
void pr_cluster_eval_write_text(FILE *f, const pr_cluster_eval_result *r);

/* Dense ids for strings: ids[i] = index of the first equal string (NULL strings get ids of their
 * own). Used to turn names into class / cluster labels. */
pr_status pr_cluster_string_ids(const char *const *strings, size_t n, int *ids, size_t *distinct);

#ifdef __cplusplus
}
#endif
#endif

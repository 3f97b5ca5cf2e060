/* agglomerative: average-linkage clustering on a calibrated same-person score that knows when to
 * stop.
 *
 * Input: an n x n matrix of pairwise scores on the log-likelihood-ratio scale (cluster/
 * calibration.h; higher = more likely one person, 0 = no evidence either way). Every face starts
 * alone; the two clusters with the highest average pairwise score are merged, again and again,
 * while that average is above the threshold. So the number of people comes out of the evidence,
 * and a face that matches nobody well enough (a stranger) stays a singleton.
 *
 * Same-photo cannot-link: two clusters holding faces of one photo are never merged (one photo
 * shows a person once). A merge that the support guard or the singles' minimum refuses is never
 * proposed again (those two groups stay apart, as under the cannot-link); the next best merge is
 * taken instead. Ties are broken by the lower cluster index, so the result depends only on
 * the matrix and the order of the faces. Time O(n^2) per merge at worst (usually O(n) rows are
 * rescanned), memory one n x n float matrix. */
#ifndef PR_CLUSTER_AGGLOMERATIVE_H
#define PR_CLUSTER_AGGLOMERATIVE_H

#include "core/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_agglomerative_params {
    double threshold; /* merge while the best average score is above this (default 0: the
                         calibration's equal-odds point) */
    int constraint;   /* 1 = the same-photo cannot-link (default 1) */
    int support;      /* 1 = a merge also needs more than half of its cross pairs above the
                         threshold, so one bridging face cannot join two groups that otherwise
                         disagree (default 1; measured in thesis/results/recognition.md) */
    const float *single_min; /* n per-face scores (borrowed; NULL = none, the default): two
                                single faces merge only when their score exceeds both faces'
                                value (the stranger model, cluster/calibrated.h) */
} pr_agglomerative_params;

pr_agglomerative_params pr_agglomerative_params_default(void);

/* score: n x n row-major (borrowed; symmetric, the diagonal is ignored; NaN = no evidence = 0).
 * group: n photo ids (borrowed; NULL = no constraint). labels: n caller-owned, receives cluster
 * ids 0..k-1 numbered by each cluster's first face. *k receives the number of clusters. */
pr_status pr_agglomerate(const float *score, int n, const int32_t *group,
                         const pr_agglomerative_params *params, int *labels, int *k);

/* Average linkage continued from a partition that stays as it is (incremental labelling: the
 * people already found plus the faces of new photos). m fixed clusters are given by fixed_label
 * (n_fixed faces, ids 0..m-1) and q free faces start alone. The loop is pr_agglomerate's, on the
 * same scale with the same threshold, guards and tie rule, except that two clusters that both hold
 * a fixed face never merge: a fixed cluster is never split or joined to another, it only gains free
 * faces, and free faces may also form new clusters among themselves.
 *
 * Only the scores that involve a free face are read, so the cost is O(q * n_fixed) for the input
 * plus O((m + q)^2) memory, never O(n_fixed^2):
 *   cross: q x n_fixed, row f = free face f's score to every fixed face (NaN = no evidence = 0);
 *   free_score: q x q among the free faces (symmetric; diagonal ignored; may be NULL when q <= 1);
 *   fixed_group (n_fixed), free_group (q): photo ids for the cannot-link (both NULL = none);
 *   params->single_min, when set, holds n_fixed + q values: the fixed faces', then the free ones'.
 * labels: q caller-owned, receives each free face's cluster: < m = the fixed cluster it joined,
 * >= m = a new cluster, numbered m, m+1, ... by each one's first free face. *k = m + new ones.
 * q = 0 is allowed (nothing to place: *k = m). */
pr_status pr_agglomerate_extend(const float *cross, const float *free_score, int q,
                                const int *fixed_label, const int32_t *fixed_group, int n_fixed,
                                int m, const int32_t *free_group,
                                const pr_agglomerative_params *params, int *labels, int *k);

#ifdef __cplusplus
}
#endif
#endif

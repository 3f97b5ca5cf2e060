/* calibrated: who-is-who from the face descriptor on the calibrated scale, the default path of
 * `personrec label` / `cluster` when descriptors exist (pipeline/people.c).
 *
 *     descriptor distances -> same-person LLR (cluster/calibration.h, shipped parameters)
 *       -> average linkage stopped at the threshold, same-photo cannot-link (cluster/agglomerative.h)
 *       -> a medoid per cluster (the face with the highest summed LLR to its cluster)
 *       -> distances 1 - P(same) = 1 / (1 + e^LLR) for naming and confidence (equal priors)
 *
 * A face without a descriptor has no evidence (LLR 0) to anyone: it stays a singleton. The result
 * has the k-medoids shape so the naming stage does not care which clustering ran. */
#ifndef PR_CLUSTER_CALIBRATED_H
#define PR_CLUSTER_CALIBRATED_H

#include "cluster/agglomerative.h"
#include "cluster/calibration.h"
#include "cluster/kmedoids.h"
#include "core/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Length of the descriptors (= PR_FACE_DESCRIPTOR_DIM). */
#define PR_CALIBRATED_DIM 128

/* The descriptor LLR of one pair (0 when either is NULL): the value
 * pr_calibrated_descriptor_scores puts in the matrix, for callers that need a few rows of it
 * (incremental labelling, pipeline/people.h). */
float pr_calibrated_descriptor_llr(const pr_calibration *cal, const float *a, const float *b);

/* score: n x n caller-owned, receives the descriptor LLR of every pair (0 on the diagonal and
 * where either descriptor is NULL). descriptors: n entries of PR_CALIBRATED_DIM floats or NULL. */
void pr_calibrated_descriptor_scores(const pr_calibration *cal, const float *const *descriptors,
                                     int n, float *score);

/* The stranger model: how likely a face is someone seen before rather than nobody yet, from its
 * best pair LLR x among the M candidate faces it meets (faces of other photos):
 *     log-odds(seen before) = c0 + c1 * x + c2 * ln M        (c2 < 0: more candidates, more
 *                                                             chances of a stranger's lucky match)
 * fitted off-album (bench/calibration/fit_stranger.py: faces of the calibration sets given one
 * earlier face of their person among M - 1 others, or none; equal class weights), shipped as the
 * line "stranger c0 c1 c2" of cluster/params/calibration.txt. */
typedef struct pr_stranger_model {
    double c0, c1, c2; /* c1 > 0 */
} pr_stranger_model;

pr_status pr_stranger_shipped(pr_stranger_model *out);

/* The least pair LLR of a face that meets `candidates` faces of other photos (the formula of
 * pr_stranger_min_scores with M = candidates, at least 1). */
float pr_stranger_min_score(const pr_stranger_model *model, int candidates);

/* out: n caller-owned values, the least pair LLR at which each face is taken to be seen before
 * (log-odds 0): -(c0 + c2 ln M) / c1, M = faces with a descriptor in other photos than the face's
 * (group NULL = all others). For pr_agglomerative_params.single_min. Faces without a descriptor
 * get +inf. */
void pr_stranger_min_scores(const pr_stranger_model *model, const float *const *descriptors,
                            const int32_t *group, int n, float *out);

/* Clusters n faces. cal NULL = the shipped "descriptor" calibration. group: n photo ids (for the
 * cannot-link). distance: n x n caller-owned, receives 1 - P(same) in [0, 1]. *out as
 * pr_kmedoids (caller frees with pr_kmedoids_result_free; loss = summed distance to the medoids). */
pr_status pr_calibrated_cluster(const pr_calibration *cal, const float *const *descriptors, int n,
                                const int32_t *group, const pr_agglomerative_params *params,
                                float *distance, pr_kmedoids_result *out);

/* The partition from a filled n x n LLR matrix (e.g. descriptor scores plus other cues): average
 * linkage with params (cluster/agglomerative.h), medoids, then score_distance is turned into
 * 1 - P(same) in place. *out as pr_calibrated_cluster. */
pr_status pr_calibrated_partition(float *score_distance, int n, const int32_t *group,
                                  const pr_agglomerative_params *params, pr_kmedoids_result *out);

#ifdef __cplusplus
}
#endif
#endif

/* Person instances -> per-cue distance matrices -> fused distance -> k-medoids: the partition
 * stage of the pipeline (pipeline/people.h runs it for `personrec label` and `personrec cluster`).
 * The records come with their album cues already set (eigenface coefficients:
 * features/eigen_album.h; events: features/events.h).
 *
 *   pr_instances_distances   one N x N matrix per cue (eigenface L2, face SIFT, face/hair band,
 *                            clothing, body SIFT, background), fused by cluster/fusion.h
 *   pr_instances_cluster     k-medoids over the fused matrix with the same-photo cannot-link,
 *                            k fixed or chosen (cluster/choose_k.h), optional co-occurrence
 *
 * The defaults are the configuration measured in thesis/results/cluster.md (cues eigen, sift,
 * band, body, background weighted 1, 1, 1, 1, 0.5; rank scale; k by Rousseeuw's silhouette). */
#ifndef PR_CLUSTER_INSTANCES_H
#define PR_CLUSTER_INSTANCES_H

#include "cluster/choose_k.h"
#include "cluster/distance.h"
#include "cluster/fusion.h"
#include "cluster/kmedoids.h"
#include "core/status.h"
#include "features/person.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Length of the descriptor cue's vectors (= PR_FACE_DESCRIPTOR_DIM). */
#define PR_INSTANCES_DESCRIPTOR_DIM 128

typedef enum pr_instance_cue {
    PR_CUE_EIGEN = 0,  /* eigenface coefficients, L2 */
    PR_CUE_SIFT,       /* face SIFT, 1 - ratio-test match share */
    PR_CUE_BAND,       /* face + hair band colour, chi-square */
    PR_CUE_BODY,       /* clothing colour, chi-square; same event only */
    PR_CUE_SIFT_BODY,  /* body SIFT; same event only */
    PR_CUE_BACKGROUND, /* background colour, chi-square; same event only */
    PR_CUE_DESCRIPTOR, /* 128-d face descriptor (features/face_descriptor.h), L2 */
    PR_CUE_COUNT
} pr_instance_cue;

/* "eigen", "sift", "band", "body", "siftbody", "background", "descriptor" (NULL outside the
 * range). */
const char *pr_instance_cue_name(int cue);
/* 1 for the cues that only say something within one event (same day, same clothes). */
int pr_instance_cue_same_event(int cue);

typedef struct pr_instances_params {
    double weights[PR_CUE_COUNT]; /* >= 0, 0 = off (default eigen 1, sift 1, band 1, body 1,
                                     siftbody 0, background 0.5, descriptor 0: not yet measured) */
    pr_fusion_scale scale;        /* default RANK */
    int clothing_everywhere;      /* 1: the same-event cues count between all instances (albums
                                     without capture times); default 0 */
    pr_distance_device device;    /* vector cues (eigen, colour) on auto (default), cpu or gpu */
    int threads;                  /* <= 0 = all CPUs (default 0); results do not depend on it */
} pr_instances_params;

pr_instances_params pr_instances_params_default(void);

/* Parses "name=weight,name=weight,..." (a bare name = weight 1) into weights; cues not named get
 * 0. PR_ERR_ARG for an unknown name, a bad or negative weight, or all weights 0. */
pr_status pr_instances_parse_cues(const char *text, double weights[PR_CUE_COUNT]);

/* The fused distance matrix. persons: n records, borrowed (a NULL entry has every cue missing);
 * their eigen field is the eigen cue. descriptors: NULL, or n entries each
 * PR_INSTANCES_DESCRIPTOR_DIM floats or NULL (no descriptor cue for that face); borrowed. event: n event ids (negative = unknown), borrowed; ignored
 * with clothing_everywhere. fused: n x n caller-owned (e.g. pr_matrix_alloc), receives values in
 * [0, 1] (see cluster/fusion.h). Sets OpenBLAS to one thread (process-wide; features/blas.h):
 * SIFT matching runs sgemm inside our pool. Peak extra memory: one n x n float matrix per enabled
 * cue. */
pr_status pr_instances_distances(const pr_instances_params *params, const pr_person *const *persons,
                                 const float *const *descriptors, int n, const int32_t *event,
                                 float *fused);

typedef struct pr_instances_cluster_params {
    int k;                      /* number of people; 0 = chosen by choose (default 0). A fixed k is
                                   clipped to [largest photo, n] under the constraint. */
    pr_choose_k_params choose;  /* method (default Rousseeuw's silhouette), k range, radius,
                                   criterion, detach_displaced, and kmedoids (algorithm, seed,
                                   restarts, threads); its group field is ignored */
    int constraint;             /* two instances of one photo are never one person (default 1) */
    double cooccurrence;        /* cluster/cooccur.h weight, with the constraint; 0 = off
                                   (default) */
} pr_instances_cluster_params;

pr_instances_cluster_params pr_instances_cluster_params_default(void);

/* Clusters the fused matrix (n x n, borrowed). group: n photo ids (borrowed). *out as pr_kmedoids
 * (caller frees with pr_kmedoids_result_free); n == 1 gives one cluster. *moved (may be NULL)
 * receives the faces the co-occurrence refinement moved. */
pr_status pr_instances_cluster(const float *fused, int n, const int32_t *group,
                               const pr_instances_cluster_params *params, pr_kmedoids_result *out,
                               int *moved);

#ifdef __cplusplus
}
#endif
#endif

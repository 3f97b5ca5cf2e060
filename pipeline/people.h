/* people: THE back end from stored face records to named people, behind `personrec label`,
 * `personrec cluster` (which labels into a store) and `personrec cluster --features` (a store
 * clustered again with other settings):
 *
 *     events from the photos' capture times -> eigenfaces learnt from the faces' grey crops (or a
 *     given model) and projected -> one distance matrix per cue, fused by rank -> k-medoids with
 *     the same-photo cannot-link (k fixed or from the silhouette) -> each cluster named by its
 *     seeds' majority (cluster/naming.h) -> a confidence per face
 *
 * With face descriptors (method AUTO or CALIBRATED) the partition comes instead from the
 * descriptor's calibrated same-person LLR (plus, on request, the calibrated clothing LLR within
 * one event), average linkage stopped at LLR 0 with the support guard and the same cannot-link
 * (cluster/calibrated.h); its "fused distance" is then 1 - P(same person).
 *
 * Confidence: the naming confidence when the cluster is named, else 1 - the fused distance to the
 * cluster's medoid (clipped to [0, 1]).
 *
 * Deterministic: the faces are taken in the caller's order (the store gives them by photo path
 * and position), every seed is fixed, and the threads change the time, not the answer. */
#ifndef PR_PIPELINE_PEOPLE_H
#define PR_PIPELINE_PEOPLE_H

#include "cluster/agglomerative.h"
#include "cluster/instances.h"
#include "cluster/naming.h"
#include "core/status.h"
#include "features/eigen_album.h"
#include "features/eigenfaces.h"
#include "features/person.h"
#include "pipeline/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* IoU at which a named box (Picasa, XMP, a --names label file) is taken to be a stored face. */
#define PR_PEOPLE_SEED_IOU 0.3

/* Which clustering runs (issue 14). */
typedef enum pr_people_method {
    PR_PEOPLE_AUTO = 0,   /* CALIBRATED when a face has a descriptor, else KMEDOIDS (default) */
    PR_PEOPLE_CALIBRATED, /* descriptor LLR, average linkage to a threshold (cluster/calibrated.h) */
    PR_PEOPLE_KMEDOIDS    /* the thesis method: fused cues, k-medoids, k chosen (instances.h) */
} pr_people_method;

typedef struct pr_people_params {
    pr_people_method method;             /* default PR_PEOPLE_AUTO */
    pr_agglomerative_params agglomerative; /* CALIBRATED: threshold (LLR, default 0), support guard
                                            (default on); its constraint is replaced by
                                            cluster.constraint, its single_min by stranger */
    int stranger;  /* CALIBRATED: the stranger model gates merges of two single faces
                      (cluster/calibrated.h; default 0: measured, it did not help) */
    const char *calibration; /* CALIBRATED: the text of a calibration file (cluster/params/
                                calibration.txt's format) to use instead of the shipped one;
                                borrowed; NULL = shipped (default) */
    int clothing;  /* CALIBRATED: add the clothing colour LLR (shipped "body" calibration) between
                      faces of one event, or of any two photos with cues.clothing_everywhere
                      (default 0: measured, see thesis/results/recognition.md) */
    pr_instances_params cues;            /* cue weights, scale, device, threads */
    pr_instances_cluster_params cluster; /* k, choose (method, radius, k range, k-medoids seed),
                                            constraint, co-occurrence */
    pr_eigen_album_params eigen;     /* crop size (must match the stored crops) */
    const pr_eigenfaces *model;          /* borrowed; NULL = learnt from the album's crops */
    pr_suggest_params naming;            /* naming threshold etc. */
} pr_people_params;

pr_people_params pr_people_params_default(void);

/* Sets every thread count of params (cues, k-medoids). */
void pr_people_params_threads(pr_people_params *params, int threads);

/* A text naming every setting that changes the partition (e.g. to know when a stored
 * clustering is out of date). */
void pr_people_params_key(const pr_people_params *params, char *buf, size_t size);

typedef struct pr_people_face {
    pr_person *person;     /* borrowed; NULL = every cue missing. Its eigen field is replaced. */
    const uint8_t *crop;   /* eigen.width * eigen.height grey bytes, or NULL; borrowed */
    int photo;             /* photo index: same-photo constraint, events */
    double time;           /* the photo's capture time (seconds), NAN = unknown */
    int seed;              /* seed name index, -1 = none */
    const float *descriptor; /* PR_INSTANCES_DESCRIPTOR_DIM floats or NULL; borrowed */
} pr_people_face;

typedef struct pr_people_result {
    int n, k;
    int *cluster;          /* n: cluster of each face */
    int *medoid;           /* k: face index of each cluster's medoid */
    int *name;             /* n: seed name index given to the face's cluster, -1 = unnamed */
    double *confidence;    /* n, in [0, 1] */
    double loss;           /* k-medoids loss */
} pr_people_result;

/* The first stage alone: what the records get from the whole album. Sets each record's event_id
 * and time (events over the photos holding the faces) and, with the eigen cue on, its eigenface
 * coefficients (learnt from the crops or params->model). group and event (n each, caller-owned)
 * receive the photo and event ids. */
pr_status pr_people_prepare(const pr_people_params *params, pr_people_face *faces, int n,
                            int32_t *group, int32_t *event);

/* faces: n inputs (n >= 1). *out is caller-owned (pr_people_result_free). */
pr_status pr_people_cluster(const pr_people_params *params, pr_people_face *faces, int n,
                            pr_people_result *out);
void pr_people_result_free(pr_people_result *result);

/* The store version: every stored face (in the store's path, position order), seed and manual
 * names kept, automatic assignments replaced in one transaction ("person_<face id of the medoid>"
 * for an unnamed cluster). */
pr_status pr_people_store(const pr_people_params *params, pr_store *store);

#ifdef __cplusplus
}
#endif
#endif

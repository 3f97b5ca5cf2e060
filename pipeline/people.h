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
 * New photos alone (pr_people_place, pr_people_store's place mode): the people stay as they are
 * and only the new faces are placed, by the same average linkage continued from them.
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

/* Incremental placement (issue 14): faces with fixed[i] >= 0 stay in person fixed[i] (0..m-1;
 * never split, never merged with another person); the new faces (fixed[i] = -1) are placed by
 * average linkage continued from that partition (cluster/agglomerative.h pr_agglomerate_extend)
 * on pr_people_cluster's calibrated scale: the descriptor LLR (+ clothing within an event with
 * params->clothing), the same threshold, support guard, stranger gate and same-photo cannot-link.
 * Only the scores of new faces are computed (new x all faces), plus a working matrix of
 * (people + new faces)^2, never all faces^2. The calibrated path only:
 * params->method KMEDOIDS is PR_ERR_ARG. A new face without a descriptor has no descriptor
 * evidence: it becomes a person of its own, as in pr_people_cluster, unless the clothing cue
 * (params->clothing) joins it to someone.
 *
 * person_name: m seed name indices (-1 = an unnamed person; faces[].seed as in
 * pr_people_cluster). *out (caller frees with pr_people_result_free), n entries:
 *   cluster: fixed[i] for a kept face; for a new face the person it joined (< m) or a new person
 *            (>= m, numbered by first face); k = m + the new people;
 *   medoid:  k entries, for a new person the face with the highest summed LLR within it, -1 for
 *            the m kept people;
 *   name, confidence: for a new face pr_people_cluster's rules: one joining a named person takes
 *            that name with the naming confidence (cluster/naming.h; its seeds are the faces with
 *            a seed index; the purity is 1, a kept person being the faces of one name), else
 *            1 - the distance to its person's medoid (over the person's faces, old and new).
 *            A kept face gets person_name[fixed[i]] and confidence -1: its stored assignment
 *            is not touched. */
pr_status pr_people_place(const pr_people_params *params, pr_people_face *faces, int n,
                          const int *fixed, int m, const int *person_name, pr_people_result *out);

/* What pr_people_store did. */
typedef struct pr_people_store_info {
    int placed;        /* 1: only the new faces were placed; 0: everything was clustered */
    int new_faces;     /* faces placed (placed = 1) */
    int joined;        /* of which joined a person already known */
    int new_people;    /* people made of the others */
    const char *full_because; /* placed = 0 although asked to place: why (static text) */
} pr_people_store_info;

/* Meta key: a fingerprint of every face's assignment and descriptor (face id, source, name,
 * descriptor bytes, in the store's order) as the last clustering left them. Equal to the
 * fingerprint of the faces that have an assignment now means: nothing but new faces since (no
 * correction, rename, forget, new seed, dropped, moved or edited photo). */
#define PR_PEOPLE_META_FACES "cluster_faces"

/* The store version: every stored face (in the store's path, position order), seed and manual
 * names kept, automatic assignments replaced in one transaction ("person_<face id of the medoid>"
 * for an unnamed cluster).
 *
 * place = 1 asks for the incremental path instead: when the store's assignments are exactly what
 * the last clustering left (PR_PEOPLE_META_FACES) and that clustering was the calibrated one,
 * every stored face keeps its assignment byte for byte and only the faces without one (those of
 * new photos) are placed with pr_people_place, people being the faces of one name. A face joining
 * a person takes its name (automatic, as a full clustering names it); the others become new
 * people, numbered as the full clustering numbers a new cluster. Otherwise (a k-medoids album, no
 * or another fingerprint) everything is clustered and info->full_because says why. The caller
 * decides whether the settings allow it (the same pr_people_params_key as last time). info may be
 * NULL. */
pr_status pr_people_store(const pr_people_params *params, pr_store *store, int place,
                          pr_people_store_info *info);

#ifdef __cplusplus
}
#endif
#endif

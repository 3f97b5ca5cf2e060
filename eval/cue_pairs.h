/* The cue-pair ROC harness: how well each cue tells two people apart. Every named face of a truth
 * file (not `unknown`) is one instance; its face box is the truth box (no detection), its body the
 * segmentation mask below the face or the prior box. Each cue's distance is scored over all pairs
 * of instances (same person = positive) as ROC AUC and equal error rate, over all pairs and over
 * pairs from different photos only; the clothing cue is also scored over same-event pairs.
 * Eigenfaces are trained on the instances' own faces (unsupervised, as in the album). The harness
 * also times each cue's extraction (instances per second). The face descriptor cue (Euclidean
 * distance of face-api's 128-d descriptors, landmarks on the truth box then the product's front
 * end, pr_face_net_params_default: dlib's similarity chip with test-time flip) is
 * scored beside the classic cues when the model files are found. */
#ifndef PR_EVAL_CUE_PAIRS_H
#define PR_EVAL_CUE_PAIRS_H

#include "core/status.h"
#include "datasets/face_labels.h"
#include "eval/roc.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_cue_pairs_params {
    int body_mask;  /* 1 = segmentation masks (needs segment/), 0 = prior boxes */
    int threads;    /* workers; 0 = all cores */
    int components; /* eigenfaces kept (default 50) */
    int equalize;   /* histogram-equalise the eigenface crops (default 0) */
    int descriptor; /* 1 (default) = the face descriptor cue (features/face_descriptor.h) */
    const char *models_dir; /* face-api model folder; NULL = pr_face_net_find_models */
} pr_cue_pairs_params;

/* body_mask as pr_person_params_default where the build can segment. */
pr_cue_pairs_params pr_cue_pairs_params_default(void);

/* What the extraction of each cue cost (see timing_names in cue_pairs.c). */
enum { PR_CUE_TIMINGS = 9 };

typedef struct pr_cue_pairs_cue {
    char name[64];   /* e.g. "eigenface_l2", "body_hsv_chi2" */
    pr_roc_result all;          /* over every pair */
    pr_roc_result cross_photo;  /* over pairs from different photos */
} pr_cue_pairs_cue;

typedef struct pr_cue_pairs_result {
    int photos, photos_with_time, instances;
    size_t pairs;
    long same_pairs, same_photo_pairs;
    int eigen_components;       /* kept by the model (0 = no model) */
    int threads;
    pr_cue_pairs_cue *cues;     /* owned */
    int n_cues;
    double extract_seconds, eigen_train_seconds, pairs_seconds;
    double per_second[PR_CUE_TIMINGS]; /* instances (photos for image_load) per second */
} pr_cue_pairs_result;

/* Runs the harness over truth (borrowed). A photo that cannot be read or segmented is reported
 * on stderr and fails the run (PR_ERR_IO). *out is caller-owned (pr_cue_pairs_result_delete). */
pr_status pr_cue_pairs_run(const pr_face_labels *truth, const pr_cue_pairs_params *params,
                           pr_cue_pairs_result **out);
void pr_cue_pairs_result_delete(pr_cue_pairs_result *result); /* accepts NULL */

/* One JSON object: truth, photos, photos_with_time, instances, pairs, same_pairs,
 * same_photo_pairs, face_boxes, body, eigen_components, eigen_equalize, threads, cues [{cue, auc,
 * eer, positives, negatives, no_cue, cross_photo_auc, cross_photo_eer, cross_photo_pairs}],
 * timing {extract_seconds, eigen_train_seconds, pairs_seconds, <cue>_per_second...}. */
pr_status pr_cue_pairs_write_json(FILE *out, const char *truth_name,
                                  const pr_cue_pairs_params *params,
                                  const pr_cue_pairs_result *result);
/* The same as a table and a speed summary. */
void pr_cue_pairs_write_text(FILE *out, const char *truth_name, const pr_cue_pairs_params *params,
                             const pr_cue_pairs_result *result);

#ifdef __cplusplus
}
#endif
#endif

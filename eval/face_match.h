/* Matching predicted faces to truth faces, photo by photo.
 *
 * A prediction and a truth face can match when their boxes overlap with IoU >= params.iou, or,
 * when the truth face has eye positions (Gallagher), when both eyes lie inside the predicted box.
 * Pairs are taken greedily, best first (IoU, ties by index), each face at most once. A prediction
 * left over that overlaps an "ignore" truth face (person == params.ignore_name, e.g. `unknown`)
 * with IoU >= params.iou is ignored: neither a match nor an error. Image paths match when equal,
 * or when one is the other with leading folders (so "album/a.jpg" meets "a.jpg"'s set when the
 * base folders differ). */
#ifndef PR_EVAL_FACE_MATCH_H
#define PR_EVAL_FACE_MATCH_H

#include "core/status.h"
#include "datasets/face_labels.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_face_match_params {
    double iou;              /* default 0.3 (clustering/naming protocol) */
    const char *ignore_name; /* default "unknown"; NULL = no ignore faces. Borrowed */
} pr_face_match_params;

pr_face_match_params pr_face_match_params_default(void);

enum { PR_MATCH_NONE = -1, PR_MATCH_IGNORED = -2 };

typedef struct pr_face_match {
    long *pred_to_truth;   /* per prediction: truth index, PR_MATCH_NONE or PR_MATCH_IGNORED */
    long *truth_to_pred;   /* per truth face: prediction index, PR_MATCH_NONE, or
                              PR_MATCH_IGNORED for ignore faces (and unnamed truth) */
    size_t pred_count, truth_count;
    size_t matched;        /* pairs */
    size_t unmatched_pred; /* predictions matching nothing (not counting ignored ones) */
    size_t ignored_pred;   /* predictions on ignore faces */
    size_t unmatched_truth; /* truth faces that count (named, not ignore) with no prediction */
} pr_face_match;

/* Fills *out (arrays owned by it; free with pr_face_match_free). Truth faces with no person are
 * treated like ignore faces: they cannot be scored. */
pr_status pr_face_match_compute(const pr_face_labels *truth, const pr_face_labels *pred,
                                const pr_face_match_params *params, pr_face_match *out);
void pr_face_match_free(pr_face_match *m); /* accepts a zeroed struct */

/* 1 when truth face t counts for scoring (named and not the ignore name). */
int pr_face_match_truth_counts(const pr_face_labels *truth, size_t t, const char *ignore_name);

#ifdef __cplusplus
}
#endif
#endif

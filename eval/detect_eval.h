/* Detection evaluation: matching detections to truth boxes, precision / recall / F1, average
 * precision and the P/R curve over score (PASCAL VOC protocol, Everingham et al., IJCV 2010).
 *
 * Per image, detections are taken in descending score; each matches the unmatched truth box it
 * overlaps most, if that IoU >= iou (true positive); otherwise a detection on an "ignore" truth
 * box (a visible face nobody named, `unknown`) is dropped, neither hit nor false detection, and
 * any other detection is a false positive (also a second detection of an already-matched face).
 * Ignore boxes that are missed do not count against recall.
 *
 *     pr_detect_eval *ev;  pr_detect_eval_new(&params, &ev);
 *     pr_detect_eval_add_image(ev, truth, ignore, nt, dets, scores, nd);   // per image
 *     pr_detect_eval_result r;  pr_detect_eval_summary(ev, &r);
 *     pr_detect_eval_delete(ev); */
#ifndef PR_EVAL_DETECT_EVAL_H
#define PR_EVAL_DETECT_EVAL_H

#include "core/box.h"
#include "core/status.h"
#include "datasets/face_labels.h"

#include <stddef.h>
#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_detect_eval_params {
    double iou;              /* match threshold (default 0.5) */
    const char *ignore_name; /* truth person meaning "ignore region" (default "unknown"); borrowed
                                for the evaluator's life; NULL = none */
} pr_detect_eval_params;

pr_detect_eval_params pr_detect_eval_params_default(void);

typedef struct pr_detect_eval_result {
    long tp, fp, fn;   /* at the detector's own operating point (every detection given) */
    long ignored;      /* detections dropped on ignore boxes */
    long truth;        /* truth faces that count (tp + fn) */
    long images;
    double precision, recall, f1; /* 0 when undefined (no detections / no truth) */
    double ap;         /* area under the interpolated P/R curve (VOC 2010+ all-point) */
} pr_detect_eval_result;

typedef struct pr_detect_eval pr_detect_eval;

pr_status pr_detect_eval_new(const pr_detect_eval_params *params, pr_detect_eval **out);
void pr_detect_eval_delete(pr_detect_eval *ev); /* accepts NULL */

/* One image: truth boxes (ignore[i] != 0 marks ignore regions; ignore may be NULL) and
 * detections with scores (all borrowed for the call). */
pr_status pr_detect_eval_add_image(pr_detect_eval *ev, const pr_box *truth,
                                   const unsigned char *ignore, size_t ntruth, const pr_box *det,
                                   const double *score, size_t ndet);

/* Adds every image of truth: predictions are the labels of pred whose image path names the same
 * file (compared after joining each set's base_dir). Predictions on images absent from truth are
 * ignored (they cannot be judged). Truth labels whose person equals params.ignore_name are ignore
 * regions. Scores come from pr_face_label.score. */
pr_status pr_detect_eval_add_labels(pr_detect_eval *ev, const pr_face_labels *truth,
                                    const pr_face_labels *pred);

pr_status pr_detect_eval_summary(const pr_detect_eval *ev, pr_detect_eval_result *out);

/* Writes the P/R curve as CSV "score,precision,recall,tp,fp" with one row per distinct score,
 * from the highest score down. */
pr_status pr_detect_eval_write_curve(const pr_detect_eval *ev, FILE *out);
/* The same into a file, written atomically. */
pr_status pr_detect_eval_save_curve(const pr_detect_eval *ev, const char *path);

/* The detector's speed over the photos it read: CPU seconds and megapixels. */
typedef struct pr_detect_speed {
    double seconds, megapixels;
} pr_detect_speed;

double pr_detect_speed_ms_per_mp(const pr_detect_speed *speed); /* 0 without pixels */

/* The result as one JSON object (precision, recall, f1, ap, tp, fp, fn, ignored, truth, images,
 * iou, and ms_per_mp, megapixels when speed is given), or as text; speed NULL = predictions were
 * read, not detected. */
void pr_detect_eval_write_json(FILE *out, const pr_detect_eval_result *r, double iou,
                               const pr_detect_speed *speed);
void pr_detect_eval_write_text(FILE *out, const pr_detect_eval_result *r, double iou,
                               const pr_detect_speed *speed);

#ifdef __cplusplus
}
#endif
#endif

/* The face detector run over a set of photos, shared by `personrec detect` and `personrec eval
 * detect`: the detector choice from their common options, the distinct photos of a truth file,
 * the detections as prediction labels (with the detector's speed), the skipped-photo report, and
 * the detections' CSV and JSON-lines writers. */
#ifndef PR_EVAL_DETECT_RUN_H
#define PR_EVAL_DETECT_RUN_H

#include "core/status.h"
#include "datasets/face_labels.h"
#include "detect/batch.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The detector options of the commands; negative numbers and NULL strings keep the default. */
typedef struct pr_detect_options {
    const char *cascades;  /* one name = that cascade as OpenCV runs it; a list = fusion of those */
    const char *verifiers; /* fused: cascades run only around found faces */
    double min_score, scale_factor;
    int min_votes, fuse_min_neighbors, min_neighbors, min_face_px, working_long_side;
    int eye_check;         /* 1 = drop large frontal faces without an eye */
    const char *detector;  /* "cascades", "network" or "both" (detect.h); unknown -> new fails */
    const char *models;    /* network: ssd_mobilenetv1_model* folder */
    double net_score, net_alone, net_support; /* network thresholds (detect.h) */
    int alone_votes;       /* both: votes a cascade-only face needs */
    int full_scan;         /* both: 1 = cascades over the whole photo, 0 = around the network's
                              faces (detect.h cascade_full_scan); -1 = default */
    double alone_min_rel;  /* both: size a cascade-only face needs (detect.h); < 0 = default */
} pr_detect_options;

pr_detect_options pr_detect_options_default(void);
pr_detector_params pr_detect_options_params(const pr_detect_options *options);

/* Detections over the distinct photos of a truth file (sorted by path). */
typedef struct pr_detect_run {
    pr_detect_item *items; /* n; item paths are owned by the run */
    size_t n;
    pr_face_labels *pred;  /* the detections of the photos that loaded (person empty, score and
                              pose set) */
    double seconds;        /* detector CPU time over the photos that loaded */
    double megapixels;
    int detector_failed;   /* 1 = no detector could be made (bad options, missing cascade) */
} pr_detect_run;

/* Runs the detector with `threads` workers over every photo named in truth. Photos that fail are
 * left in items with their status (see pr_detect_report_skipped). */
pr_status pr_detect_run_truth(const pr_detector_params *params, int threads,
                              const pr_face_labels *truth, pr_detect_run *out);
void pr_detect_run_free(pr_detect_run *run); /* accepts a zeroed run */

/* Prints "personrec <command>: <message> (skipped)" for every failed item; returns their count. */
size_t pr_detect_report_skipped(const char *command, const pr_detect_item *items, size_t n);

typedef struct pr_detect_csv_params {
    int person_column;  /* 1 = "image,x,y,w,h,person,score,pose" (readable by eval detect --pred),
                           0 = "image,x,y,w,h,score,pose" */
    int box_decimals;   /* decimals of the box coordinates */
    int absolute_paths; /* 1 = realpath of each photo */
} pr_detect_csv_params;

/* The header and one row per face of every item that loaded, through the one CSV writer. */
pr_status pr_detect_write_csv(FILE *out, const pr_detect_item *items, size_t n,
                              const pr_detect_csv_params *params);
/* Same, into a file (atomically). */
pr_status pr_detect_save_csv(const char *path, const pr_detect_item *items, size_t n,
                             const pr_detect_csv_params *params);
/* One JSON object per face: image, x, y, w, h, score, votes, pose, cascades. */
pr_status pr_detect_write_json_lines(FILE *out, const pr_detect_item *items, size_t n);

#ifdef __cplusplus
}
#endif
#endif

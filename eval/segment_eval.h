/* Segmentation quality against human segmentations (BSDS500): every image of a folder is
 * segmented (Felzenszwalb-Huttenlocher, CPU reference) at each k and compared with each of its
 * human segmentations TRUTH/<id>_<n>.png (16-bit label maps, n = 0, 1, ...). Per k, averaged over
 * the images: mean segment count, achievable segmentation accuracy (ASA; best truth per image, and
 * the mean over truths), undersegmentation error (UE) and boundary recall (BR), both means over
 * truths (segment/quality.h). */
#ifndef PR_EVAL_SEGMENT_EVAL_H
#define PR_EVAL_SEGMENT_EVAL_H

#include "core/status.h"
#include "segment/felzenszwalb.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { PR_SEGMENT_EVAL_MAX_K = 32 };

typedef struct pr_segment_eval_params {
    double ks[PR_SEGMENT_EVAL_MAX_K]; /* default 100, 300, 500, 1000 */
    int n_k;
    pr_fh_params fh;                  /* sigma and min_size (k is taken from ks) */
    double tolerance;                 /* boundary recall tolerance in pixels (default 2) */
    int limit;                        /* only the first N images by name; 0 = all */
    int threads;                      /* images in parallel; 0 = all CPUs */
} pr_segment_eval_params;

pr_segment_eval_params pr_segment_eval_params_default(void);

/* Parses "100,300,500" into params->ks / n_k: positive numbers, at most PR_SEGMENT_EVAL_MAX_K.
 * PR_ERR_ARG with a message otherwise. */
pr_status pr_segment_eval_parse_ks(const char *text, pr_segment_eval_params *params);

/* Checks ranges (fh params, tolerance in [0, 20], limit and threads >= 0). */
pr_status pr_segment_eval_params_check(const pr_segment_eval_params *params);

typedef struct pr_segment_eval_row {
    double k;
    int images;       /* images scored at this k (0 = none: the row is left out of outputs) */
    double segments, asa, asa_mean, ue, boundary_recall, ms;
} pr_segment_eval_row;

typedef struct pr_segment_eval_result {
    int images;       /* images evaluated (after limit) */
    int failed;       /* 1 when some image could not be scored at some k (reported on stderr) */
    pr_segment_eval_row rows[PR_SEGMENT_EVAL_MAX_K];
    int n_rows;       /* = params->n_k */
} pr_segment_eval_result;

/* Evaluates the images of images_dir against truth_dir. Problems with one image (no truth, a
 * decode error, a size mismatch) are printed on stderr as "personrec eval segment: ..." and set
 * result->failed; an unreadable or empty folder is an error. */
pr_status pr_segment_eval_run(const char *images_dir, const char *truth_dir,
                              const pr_segment_eval_params *params,
                              pr_segment_eval_result *result);

/* One JSON object per k (with images > 0) per line: k, sigma, min_size, images, segments, asa,
 * asa_mean, ue, boundary_recall, ms. */
pr_status pr_segment_eval_write_json(FILE *out, const pr_segment_eval_params *params,
                                     const pr_segment_eval_result *result);
/* The same as a table. */
void pr_segment_eval_write_text(FILE *out, const pr_segment_eval_params *params,
                                const pr_segment_eval_result *result);

#ifdef __cplusplus
}
#endif
#endif

/* The inputs every clustering/naming evaluation starts from: a truth label file and a prediction
 * label file, loaded the same way for `eval cluster` and `eval naming` (Picasa/XMP boxes of the
 * prediction are sized from the photos in `images`, default the truth file's folder), and the
 * options they share. */
#ifndef PR_EVAL_TRUTH_PRED_H
#define PR_EVAL_TRUTH_PRED_H

#include "core/status.h"
#include "datasets/face_labels.h"
#include "eval/face_match.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_truth_pred_params {
    const char *truth;  /* label file or folder (required); borrowed */
    const char *pred;   /* label file or folder (required); borrowed */
    const char *images; /* folder of the photos for Picasa/XMP sizes; NULL = the truth's folder */
    const char *ignore; /* truth name marking faces to leave out (default "unknown"; "" = none) */
    double iou;         /* match threshold (default 0.3) */
} pr_truth_pred_params;

pr_truth_pred_params pr_truth_pred_params_default(void);

/* PR_ERR_ARG with the usage message ("--truth and --pred are required", "--iou must be in
 * (0, 1]") when the options are not usable. */
pr_status pr_truth_pred_check(const pr_truth_pred_params *params);

/* The face-match options the params imply (iou, ignore name). */
void pr_truth_pred_match(const pr_truth_pred_params *params, pr_face_match_params *match);

/* Loads both files. On failure both outputs are NULL and *failed names the file that failed
 * (borrowed from params). Outputs are caller-owned (pr_face_labels_delete). */
pr_status pr_truth_pred_load(const pr_truth_pred_params *params, pr_face_labels **truth,
                             pr_face_labels **pred, const char **failed);

/* Loads both files, calls evaluate(truth, pred, ctx) and frees them: the whole body of a
 * truth-against-prediction command. *failed names the file that did not load, or is NULL when
 * evaluate failed (its status is returned). Nothing to score is PR_ERR_FORMAT before evaluate:
 * a truth with no named face (*failed = the truth) or a prediction none of whose faces matches
 * a truth face (*failed = the prediction; the message shows a photo path of each). */
typedef pr_status (*pr_truth_pred_fn)(const pr_face_labels *truth, const pr_face_labels *pred,
                                      void *ctx);
pr_status pr_truth_pred_run(const pr_truth_pred_params *params, pr_truth_pred_fn evaluate,
                            void *ctx, const char **failed);

#ifdef __cplusplus
}
#endif
#endif

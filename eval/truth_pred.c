/* Truth + prediction loading shared by the clustering and naming evaluations (eval/truth_pred.h). */
#include "eval/truth_pred.h"

#include <stddef.h>

pr_truth_pred_params pr_truth_pred_params_default(void)
{
    pr_truth_pred_params p = {NULL, NULL, NULL, "unknown", 0.3};
    return p;
}

pr_status pr_truth_pred_check(const pr_truth_pred_params *p)
{
    if (!p->truth || !p->pred)
        return pr_set_error(PR_ERR_ARG, "--truth and --pred are required");
    if (!(p->iou > 0 && p->iou <= 1))
        return pr_set_error(PR_ERR_ARG, "--iou must be in (0, 1]");
    return PR_OK;
}

void pr_truth_pred_match(const pr_truth_pred_params *p, pr_face_match_params *match)
{
    match->iou = p->iou;
    match->ignore_name = p->ignore && p->ignore[0] ? p->ignore : NULL;
}

pr_status pr_truth_pred_load(const pr_truth_pred_params *p, pr_face_labels **truth,
                             pr_face_labels **pred, const char **failed)
{
    pr_face_labels_load_params lp = pr_face_labels_load_params_default();
    *truth = *pred = NULL;
    *failed = p->truth;
    pr_status st = pr_face_labels_load_ex(p->truth, &lp, truth);
    if (st != PR_OK)
        return st;
    lp.image_dir = p->images ? p->images : (*truth)->base_dir;
    *failed = p->pred;
    st = pr_face_labels_load_ex(p->pred, &lp, pred);
    if (st != PR_OK) {
        pr_face_labels_delete(*truth);
        *truth = NULL;
        return st;
    }
    *failed = NULL;
    return PR_OK;
}

pr_status pr_truth_pred_run(const pr_truth_pred_params *params, pr_truth_pred_fn evaluate,
                            void *ctx, const char **failed)
{
    pr_face_labels *truth = NULL, *pred = NULL;
    pr_status st = pr_truth_pred_load(params, &truth, &pred, failed);
    if (st == PR_OK)
        st = evaluate(truth, pred, ctx);
    pr_face_labels_delete(truth);
    pr_face_labels_delete(pred);
    return st;
}

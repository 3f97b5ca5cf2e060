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

/* Nothing to score is an error, not a result: with no truth face to score, or no prediction
 * matching one (mostly photo paths that do not meet: another base folder, another album), every
 * measure is vacuous (eval cluster --ignore-unmatched printed a perfect 1.0000). */
static pr_status check_scorable(const pr_truth_pred_params *params, const pr_face_labels *truth,
                                const pr_face_labels *pred, const char **failed)
{
    pr_face_match_params mp = pr_face_match_params_default();
    pr_truth_pred_match(params, &mp);
    size_t counted = 0;
    for (size_t t = 0; t < truth->count; t++)
        counted += (size_t)pr_face_match_truth_counts(truth, t, mp.ignore_name);
    if (counted == 0) {
        *failed = params->truth;
        if (truth->count == 0)
            return pr_set_error(PR_ERR_FORMAT, "no face: nothing to score against");
        return pr_set_error(PR_ERR_FORMAT,
                            "none of its %zu faces is named (other than '%s'): nothing to score "
                            "against",
                            truth->count, mp.ignore_name ? mp.ignore_name : "");
    }
    pr_face_match m = {0};
    pr_status st = pr_face_match_compute(truth, pred, &mp, &m);
    size_t matched = m.matched;
    pr_face_match_free(&m);
    if (st != PR_OK || matched > 0)
        return st;
    *failed = params->pred;
    if (pred->count == 0)
        return pr_set_error(PR_ERR_FORMAT, "no face: nothing to score");
    return pr_set_error(PR_ERR_FORMAT,
                        "matches no truth face (IoU >= %g): nothing to score; do the photo "
                        "paths agree? the truth has '%s', the prediction '%s'",
                        mp.iou, truth->items[0].image, pred->items[0].image);
}

pr_status pr_truth_pred_run(const pr_truth_pred_params *params, pr_truth_pred_fn evaluate,
                            void *ctx, const char **failed)
{
    pr_face_labels *truth = NULL, *pred = NULL;
    pr_status st = pr_truth_pred_load(params, &truth, &pred, failed);
    if (st == PR_OK)
        st = check_scorable(params, truth, pred, failed);
    if (st == PR_OK)
        st = evaluate(truth, pred, ctx);
    pr_face_labels_delete(truth);
    pr_face_labels_delete(pred);
    return st;
}

/* requires: core datasets eval
 * personrec eval cluster: clustering quality of predicted face labels against truth labels. */
#include "cli/cli.h"
#include "datasets/face_labels.h"
#include "eval/cluster_metrics.h"

#include <stdio.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_cluster = {
    "eval cluster",
    "pairwise/BCubed P/R/F, NMI and ARI of predicted clusters against truth labels",
    "usage: personrec eval cluster --truth T --pred P [--json] [--iou X] [--images DIR]\n"
    "                              [--ignore NAME] [--ignore-unmatched]\n"
    "\n"
    "T and P are face-label files: CSV (image,x,y,w,h,person), dlib XML, a .picasa.ini, an XMP\n"
    "sidecar, or a folder holding .picasa.ini/XMP files. In P, person is a cluster id or a name.\n"
    "Predictions are matched to truth faces in the same photo by IoU; truth faces named 'unknown'\n"
    "are left out. Unmatched predictions count as errors (each is its own true class).\n"
    "\n"
    "options:\n"
    "  --json               one JSON object\n"
    "  --iou X              match threshold (default 0.3)\n"
    "  --images DIR         folder of the photos, for the sizes that Picasa/XMP boxes need\n"
    "                       (default: the truth file's folder)\n"
    "  --ignore NAME        truth name marking faces to leave out (default unknown)\n"
    "  --ignore-unmatched   score matched predictions only\n",
    run,
};

static int run(int argc, char **argv)
{
    const char *truth_path = NULL, *pred_path = NULL, *images = NULL, *ignore = "unknown";
    int json = 0, ignore_unmatched = 0;
    double iou = 0.3;
    const pr_option opts[] = {
        {"truth", PR_OPT_STRING, &truth_path},
        {"pred", PR_OPT_STRING, &pred_path},
        {"json", PR_OPT_FLAG, &json},
        {"iou", PR_OPT_DOUBLE, &iou},
        {"images", PR_OPT_STRING, &images},
        {"ignore", PR_OPT_STRING, &ignore},
        {"ignore-unmatched", PR_OPT_FLAG, &ignore_unmatched},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_eval_cluster, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n > 0)
        return pr_cli_usage_error(&pr_cmd_eval_cluster, "unexpected argument '%s'", argv[1]);
    if (!truth_path || !pred_path)
        return pr_cli_usage_error(&pr_cmd_eval_cluster, "--truth and --pred are required");
    if (!(iou > 0 && iou <= 1))
        return pr_cli_usage_error(&pr_cmd_eval_cluster, "--iou must be in (0, 1]");

    pr_face_labels *truth = NULL, *pred = NULL;
    int status = PR_EXIT_FAIL;
    pr_face_labels_load_params lp = pr_face_labels_load_params_default();
    if (pr_face_labels_load_ex(truth_path, &lp, &truth) != PR_OK) {
        pr_cli_report_error(truth_path);
        goto done;
    }
    lp.image_dir = images ? images : truth->base_dir;
    if (pr_face_labels_load_ex(pred_path, &lp, &pred) != PR_OK) {
        pr_cli_report_error(pred_path);
        goto done;
    }
    pr_cluster_eval_params ep = pr_cluster_eval_params_default();
    ep.match.iou = iou;
    ep.match.ignore_name = ignore[0] ? ignore : NULL;
    ep.unmatched_pred_as_errors = !ignore_unmatched;
    pr_cluster_eval_result r;
    if (pr_cluster_eval(truth, pred, &ep, &r) != PR_OK) {
        pr_cli_report_error("eval cluster");
        goto done;
    }
    if (json) {
        pr_cluster_eval_write_json(stdout, &r);
    } else {
        const pr_cluster_scores *s = &r.scores;
        printf("pairwise  precision %.4f  recall %.4f  F1 %.4f\n", s->pairwise_precision,
               s->pairwise_recall, s->pairwise_f1);
        printf("BCubed    precision %.4f  recall %.4f  F1 %.4f\n", s->bcubed_precision,
               s->bcubed_recall, s->bcubed_f1);
        printf("NMI %.4f  ARI %.4f\n", s->nmi, s->ari);
        printf("clusters %zu  people %zu\n", r.clusters, r.people);
        printf("matched %zu  unmatched predictions %zu  unmatched truth %zu  ignored %zu\n",
               r.matched, r.unmatched_pred, r.unmatched_truth, r.ignored_pred);
    }
    status = PR_EXIT_OK;
done:
    pr_face_labels_delete(truth);
    pr_face_labels_delete(pred);
    return status;
}

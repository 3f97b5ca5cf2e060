/* personrec eval cluster: clustering quality of predicted face labels against truth labels. */
#include "cli/cli.h"
#include "datasets/face_labels.h"
#include "eval/cluster_metrics.h"
#include "eval/truth_pred.h"

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

typedef struct job {
    pr_cluster_eval_params params;
    int json;
} job;

static pr_status evaluate(const pr_face_labels *truth, const pr_face_labels *pred, void *ctx)
{
    const job *j = (const job *)ctx;
    pr_cluster_eval_result r;
    pr_status st = pr_cluster_eval(truth, pred, &j->params, &r);
    if (st == PR_OK && j->json)
        pr_cluster_eval_write_json(stdout, &r);
    else if (st == PR_OK)
        pr_cluster_eval_write_text(stdout, &r);
    return st;
}

static int run(int argc, char **argv)
{
    pr_truth_pred_params tp = pr_truth_pred_params_default();
    job j = {pr_cluster_eval_params_default(), 0};
    int ignore_unmatched = 0;
    const pr_option opts[] = {
        {"truth", PR_OPT_STRING, &tp.truth},
        {"pred", PR_OPT_STRING, &tp.pred},
        {"json", PR_OPT_FLAG, &j.json},
        {"iou", PR_OPT_DOUBLE, &tp.iou},
        {"images", PR_OPT_STRING, &tp.images},
        {"ignore", PR_OPT_STRING, &tp.ignore},
        {"ignore-unmatched", PR_OPT_FLAG, &ignore_unmatched},
        {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_eval_cluster;
    int n = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n > 0)
        return pr_cli_usage_error(cmd, "unexpected argument '%s'", argv[1]);
    if (pr_truth_pred_check(&tp) != PR_OK)
        return pr_cli_usage_error(cmd, "%s", pr_last_error());
    pr_truth_pred_match(&tp, &j.params.match);
    j.params.unmatched_pred_as_errors = !ignore_unmatched;
    const char *failed = NULL;
    if (pr_truth_pred_run(&tp, evaluate, &j, &failed) != PR_OK) {
        pr_cli_report_error(failed ? failed : "eval cluster");
        return PR_EXIT_FAIL;
    }
    return PR_EXIT_OK;
}

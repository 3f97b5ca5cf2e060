/* personrec eval pairs: how well each cue tells two people apart, as ROC AUC and EER over all
 * same-person / different-person pairs of the truth's named face instances (the harness is
 * eval/cue_pairs.h). */
#include "cli/cli.h"
#include "datasets/face_labels.h"
#include "eval/cue_pairs.h"
#include "features/body.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_pairs = {
    "eval pairs",
    "per-cue ROC AUC / EER over same- vs different-person pairs of a truth file",
    "usage: personrec eval pairs --truth FILE [options]\n"
    "\n"
    "Every named face of the truth file (not `unknown`) is one instance; its face box is the\n"
    "truth box (no detection), its body the segmentation mask below the face (--body mask, the\n"
    "default where segment/ is built) or the prior box (--body prior). Each cue's distance is\n"
    "scored over all pairs of instances (same person = positive) and reported as ROC AUC and\n"
    "equal error rate; the clothing cue is also scored over same-event pairs only. Eigenfaces are\n"
    "trained on the instances' own faces (unsupervised, as in the album). Also prints how many\n"
    "instances per second each cue is extracted at.\n"
    "\n"
    "options:\n"
    "  --truth FILE      face labels with names (CSV, XML, .picasa.ini, folder)\n"
    "  --body SOURCE     prior | mask: the body region (default: as pr_person_params_default)\n"
    "  --threads N       worker threads (default: all cores)\n"
    "  --components N    eigenfaces kept (default 50)\n"
    "  --equalize        histogram-equalise the eigenface crops\n"
    "  --models DIR      face landmark + descriptor model files (default: see README)\n"
    "  --no-descriptor   leave out the face descriptor cue\n"
    "  --json            one JSON object\n",
    run,
};

static int run(int argc, char **argv)
{
    const char *truth = NULL, *body = NULL;
    int json = 0, no_descriptor = 0;
    pr_cue_pairs_params p = pr_cue_pairs_params_default();
    const pr_option opts[] = {
        {"truth", PR_OPT_STRING, &truth},
        {"body", PR_OPT_STRING, &body},
        {"threads", PR_OPT_INT, &p.threads},
        {"components", PR_OPT_INT, &p.components},
        {"equalize", PR_OPT_FLAG, &p.equalize},
        {"models", PR_OPT_STRING, &p.models_dir},
        {"no-descriptor", PR_OPT_FLAG, &no_descriptor},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_eval_pairs;
    int npos = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (!truth)
        return pr_cli_usage_error(cmd, "--truth is required");
    if (npos > 0)
        return pr_cli_usage_error(cmd, "unexpected argument %s", argv[1]);
    if (p.components < 1 || p.threads < 0)
        return pr_cli_usage_error(cmd, "option out of range");
    p.descriptor = !no_descriptor;
    if (body && strcmp(body, "prior") == 0)
        p.body_mask = 0;
    else if (body && strcmp(body, "mask") == 0)
        p.body_mask = 1;
    else if (body)
        return pr_cli_usage_error(cmd, "--body must be prior or mask");
    if (p.body_mask && !pr_body_segment_available()) {
        fprintf(stderr, "personrec eval pairs: --body mask: built without segment/\n");
        return PR_EXIT_FAIL;
    }

    pr_face_labels *set = NULL;
    pr_cue_pairs_result *r = NULL;
    if (pr_face_labels_load(truth, &set) != PR_OK) {
        pr_cli_report_error(truth);
        return PR_EXIT_FAIL;
    }
    int status = PR_EXIT_OK;
    if (pr_cue_pairs_run(set, &p, &r) != PR_OK) {
        pr_cli_report_error("eval pairs");
        status = PR_EXIT_FAIL;
    } else if (json) {
        pr_cue_pairs_write_json(stdout, truth, &p, r);
    } else {
        pr_cue_pairs_write_text(stdout, truth, &p, r);
    }
    pr_cue_pairs_result_delete(r);
    pr_face_labels_delete(set);
    return status;
}

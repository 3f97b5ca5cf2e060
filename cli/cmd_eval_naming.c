/* personrec eval naming: Picasa-style name suggestion precision/recall from predicted clusters. */
#include "cli/cli.h"
#include "datasets/face_labels.h"
#include "eval/naming.h"
#include "eval/truth_pred.h"

#include <stdio.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_naming = {
    "eval naming",
    "Picasa-style naming: name n faces per person, score the suggested names for the rest",
    "usage: personrec eval naming --truth T --pred P [--json] [--named N] [--seeds K]\n"
    "                             [--seed S] [--iou X] [--images DIR] [--ignore NAME]\n"
    "\n"
    "T and P as for 'eval cluster' (P's person field is the cluster). For each seed, N matched\n"
    "faces of every true person are named at random; each named face names its cluster, and the\n"
    "other faces of named clusters get that name as a suggestion.\n"
    "precision = correct / suggested; recall = correct / unnamed truth faces. Figures are\n"
    "means over the seeds, with their standard deviation.\n"
    "\n"
    "options:\n"
    "  --json          one JSON object\n"
    "  --named N       faces named per person (default 1)\n"
    "  --seeds K       number of seeds averaged (default 10)\n"
    "  --seed S        first seed (default 1)\n"
    "  --iou X         match threshold (default 0.3)\n"
    "  --images DIR    folder of the photos (for Picasa/XMP box sizes)\n"
    "  --ignore NAME   truth name marking faces to leave out (default unknown)\n",
    run,
};

typedef struct job {
    pr_naming_params params;
    int json;
} job;

static pr_status evaluate(const pr_face_labels *truth, const pr_face_labels *pred, void *ctx)
{
    const job *j = (const job *)ctx;
    pr_naming_result r;
    pr_status st = pr_naming_eval(truth, pred, &j->params, &r);
    if (st == PR_OK && j->json)
        pr_naming_write_json(stdout, &r);
    else if (st == PR_OK)
        pr_naming_write_text(stdout, &j->params, &r);
    return st;
}

static int run(int argc, char **argv)
{
    pr_truth_pred_params tp = pr_truth_pred_params_default();
    job j = {pr_naming_params_default(), 0};
    int named = 1, seeds = 10, seed = 1;
    const pr_option opts[] = {
        {"truth", PR_OPT_STRING, &tp.truth},   {"pred", PR_OPT_STRING, &tp.pred},
        {"json", PR_OPT_FLAG, &j.json},        {"named", PR_OPT_INT, &named},
        {"seeds", PR_OPT_INT, &seeds},         {"seed", PR_OPT_INT, &seed},
        {"iou", PR_OPT_DOUBLE, &tp.iou},       {"images", PR_OPT_STRING, &tp.images},
        {"ignore", PR_OPT_STRING, &tp.ignore}, {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_eval_naming;
    int n = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n > 0)
        return pr_cli_usage_error(cmd, "unexpected argument '%s'", argv[1]);
    if (pr_truth_pred_check(&tp) != PR_OK)
        return pr_cli_usage_error(cmd, "%s", pr_last_error());
    if (named < 1 || seeds < 1 || seeds > 100000 || seed < 0)
        return pr_cli_usage_error(cmd, "--named must be >= 1, --seeds 1..100000, --seed >= 0");
    pr_truth_pred_match(&tp, &j.params.match);
    j.params.named_per_person = named;
    j.params.seeds = seeds;
    j.params.first_seed = (uint64_t)seed;
    const char *failed = NULL;
    if (pr_truth_pred_run(&tp, evaluate, &j, &failed) != PR_OK) {
        pr_cli_report_error(failed ? failed : "eval naming");
        return PR_EXIT_FAIL;
    }
    return PR_EXIT_OK;
}

/* requires: core datasets eval
 * personrec eval naming: Picasa-style name suggestion precision/recall from predicted clusters. */
#include "cli/cli.h"
#include "datasets/face_labels.h"
#include "eval/naming.h"

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

static int run(int argc, char **argv)
{
    const char *truth_path = NULL, *pred_path = NULL, *images = NULL, *ignore = "unknown";
    int json = 0, named = 1, seeds = 10, seed = 1;
    double iou = 0.3;
    const pr_option opts[] = {
        {"truth", PR_OPT_STRING, &truth_path},
        {"pred", PR_OPT_STRING, &pred_path},
        {"json", PR_OPT_FLAG, &json},
        {"named", PR_OPT_INT, &named},
        {"seeds", PR_OPT_INT, &seeds},
        {"seed", PR_OPT_INT, &seed},
        {"iou", PR_OPT_DOUBLE, &iou},
        {"images", PR_OPT_STRING, &images},
        {"ignore", PR_OPT_STRING, &ignore},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_eval_naming, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n > 0)
        return pr_cli_usage_error(&pr_cmd_eval_naming, "unexpected argument '%s'", argv[1]);
    if (!truth_path || !pred_path)
        return pr_cli_usage_error(&pr_cmd_eval_naming, "--truth and --pred are required");
    if (!(iou > 0 && iou <= 1))
        return pr_cli_usage_error(&pr_cmd_eval_naming, "--iou must be in (0, 1]");
    if (named < 1 || seeds < 1 || seeds > 100000 || seed < 0)
        return pr_cli_usage_error(&pr_cmd_eval_naming,
                                  "--named must be >= 1, --seeds 1..100000, --seed >= 0");

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
    pr_naming_params np = pr_naming_params_default();
    np.match.iou = iou;
    np.match.ignore_name = ignore[0] ? ignore : NULL;
    np.named_per_person = named;
    np.seeds = seeds;
    np.first_seed = (uint64_t)seed;
    pr_naming_result r;
    if (pr_naming_eval(truth, pred, &np, &r) != PR_OK) {
        pr_cli_report_error("eval naming");
        goto done;
    }
    if (json) {
        pr_naming_write_json(stdout, &r);
    } else {
        printf("named %d per person, %d seeds from %d\n", named, seeds, seed);
        printf("precision %.4f (sd %.4f)  recall %.4f (sd %.4f)  unsuggested %.4f (sd %.4f)\n",
               r.precision, r.precision_std, r.recall, r.recall_std, r.unsuggested,
               r.unsuggested_std);
        printf("mean per seed: named %.1f  suggested %.1f  correct %.1f  unnamed truth %.1f\n",
               r.named, r.suggested, r.correct, r.unnamed_truth);
        printf("matched %zu  unmatched predictions %zu  unmatched truth %zu\n", r.matched,
               r.unmatched_pred, r.unmatched_truth);
    }
    status = PR_EXIT_OK;
done:
    pr_face_labels_delete(truth);
    pr_face_labels_delete(pred);
    return status;
}

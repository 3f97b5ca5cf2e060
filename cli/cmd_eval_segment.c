/* personrec eval segment: Felzenszwalb-Huttenlocher against BSDS500 human segmentations (the
 * harness is eval/segment_eval.h). */
#include "cli/cli.h"
#include "eval/segment_eval.h"

#include <stdio.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_segment = {
    "eval segment",
    "segmentation quality against human segmentations (BSDS500)",
    "usage: personrec eval segment --images DIR --truth DIR [options]\n"
    "\n"
    "Segments every image in DIR and compares it with each human segmentation TRUTH/<id>_<n>.png\n"
    "(16-bit label maps). Per k: mean segment count, achievable segmentation accuracy (ASA, best\n"
    "truth per image, and the mean over truths), undersegmentation error (UE, mean over truths)\n"
    "and boundary recall (BR, tolerance 2 px, mean over truths), averaged over the images.\n"
    "\n"
    "options:\n"
    "  --images DIR       the photos (e.g. ../shared/datasets/bsds500/images)\n"
    "  --truth DIR        the label maps (e.g. ../shared/datasets/bsds500/groundtruth)\n"
    "  --k LIST           comma-separated k values (default 100,300,500,1000)\n"
    "  --sigma S          pre-smoothing (default 0.8)\n"
    "  --min-size N       smallest segment (default 20)\n"
    "  --tolerance T      boundary recall tolerance in pixels (default 2)\n"
    "  --limit N          only the first N images (sorted by name)\n"
    "  --threads N        images in parallel (default: all CPUs)\n"
    "  --json             one JSON object per k\n",
    run,
};

static int run(int argc, char **argv)
{
    const char *images = NULL, *truth = NULL, *klist = NULL;
    int json = 0;
    pr_segment_eval_params p = pr_segment_eval_params_default();
    const pr_option opts[] = {
        {"images", PR_OPT_STRING, &images},
        {"truth", PR_OPT_STRING, &truth},
        {"k", PR_OPT_STRING, &klist},
        {"sigma", PR_OPT_DOUBLE, &p.fh.sigma},
        {"min-size", PR_OPT_INT, &p.fh.min_size},
        {"tolerance", PR_OPT_DOUBLE, &p.tolerance},
        {"limit", PR_OPT_INT, &p.limit},
        {"threads", PR_OPT_INT, &p.threads},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_eval_segment;
    int npos = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (npos != 0)
        return pr_cli_usage_error(cmd, "unexpected argument %s", argv[1]);
    if (!images || !truth)
        return pr_cli_usage_error(cmd, "--images and --truth are required");
    if ((klist && pr_segment_eval_parse_ks(klist, &p) != PR_OK) ||
        pr_segment_eval_params_check(&p) != PR_OK)
        return pr_cli_usage_error(cmd, "%s", pr_last_error());

    pr_segment_eval_result r;
    if (pr_segment_eval_run(images, truth, &p, &r) != PR_OK) {
        pr_cli_report_error("eval segment");
        return PR_EXIT_FAIL;
    }
    if (json)
        pr_segment_eval_write_json(stdout, &p, &r);
    else
        pr_segment_eval_write_text(stdout, &p, &r);
    return r.failed ? PR_EXIT_FAIL : PR_EXIT_OK;
}

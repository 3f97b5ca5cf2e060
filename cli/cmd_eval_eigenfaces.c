/* personrec eval eigenfaces: recognition rate of eigenfaces + 1-NN on a labelled face-crop set
 * (the harness is eval/eigenface_eval.h). */
#include "cli/cli.h"
#include "eval/eigenface_eval.h"

#include <stdio.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_eigenfaces = {
    "eval eigenfaces",
    "eigenface recognition rate on a labelled face set (e.g. AT&T/ORL)",
    "usage: personrec eval eigenfaces --labels LABELS.csv [options]\n"
    "\n"
    "LABELS.csv has lines `path,person[,...]` (an optional header line, '#' comments); paths are\n"
    "relative to the CSV's folder. Each image is taken whole as the face, made grey and resized\n"
    "(optionally equalised). The first --train-per-person images of every person (file order)\n"
    "train the PCA; every other image is classified by its nearest training image in face space. Prints one\n"
    "result per component count: with --components N just N, else a sweep.\n"
    "\n"
    "options:\n"
    "  --labels FILE            the labelled set (required)\n"
    "  --train-per-person N     training images per person (default 5)\n"
    "  --components N           number of eigenfaces (default: sweep 5..all)\n"
    "  --skip N                 leave out the first N components (lighting; default 0)\n"
    "  --distance NAME          l2 (default), cos, or wcos (whitened cosine)\n"
    "  --size N                 preprocessed side in pixels (default 64)\n"
    "  --width N, --height N    preprocessed size when not square (override --size)\n"
    "  --equalize               histogram-equalise the crops (helps on Yale B only)\n"
    "  --save FILE              write the trained model (all components)\n"
    "  --json                   one JSON object per line\n",
    run,
};

static int run(int argc, char **argv)
{
    pr_eigenface_eval_params p = pr_eigenface_eval_params_default();
    const char *labels = NULL;
    int size = 64, json = 0;
    p.width = p.height = 0;
    const pr_option opts[] = {
        {"labels", PR_OPT_STRING, &labels},
        {"train-per-person", PR_OPT_INT, &p.train_per_person},
        {"components", PR_OPT_INT, &p.components},
        {"skip", PR_OPT_INT, &p.skip},
        {"distance", PR_OPT_STRING, &p.distance},
        {"size", PR_OPT_INT, &size},
        {"width", PR_OPT_INT, &p.width},
        {"height", PR_OPT_INT, &p.height},
        {"equalize", PR_OPT_FLAG, &p.equalize},
        {"save", PR_OPT_STRING, &p.save},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_eval_eigenfaces;
    int npos = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (!labels)
        return pr_cli_usage_error(cmd, "--labels is required");
    if (npos > 0)
        return pr_cli_usage_error(cmd, "unexpected argument %s", argv[1]);
    if (!p.width)
        p.width = size;
    if (!p.height)
        p.height = size;
    if (pr_eigenface_eval_params_check(&p) != PR_OK)
        return pr_cli_usage_error(cmd, "%s", pr_last_error());

    pr_eigenface_eval_result r;
    if (pr_eigenface_eval_run(labels, &p, &r) != PR_OK) {
        pr_cli_report_error("eval eigenfaces");
        return PR_EXIT_FAIL;
    }
    if (json)
        pr_eigenface_eval_write_json(stdout, &p, &r);
    else
        pr_eigenface_eval_write_text(stdout, &p, &r);
    return PR_EXIT_OK;
}

/* personrec eval detect: face detection precision / recall / F1 / AP against a truth file (the
 * detector run is eval/detect_run.h's, the metrics eval/detect_eval.h's). */
#include "cli/cli.h"
#include "datasets/face_labels.h"
#include "eval/detect_eval.h"
#include "eval/detect_run.h"

#include <stdio.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_detect = {
    "eval detect",
    "face detection precision/recall/F1/AP against truth boxes",
    "usage: personrec eval detect --truth FILE [options]\n"
    "\n"
    "Runs the detector over every image named in the truth file (CSV image,x,y,w,h[,person] or\n"
    "dlib XML), or reads predictions with --pred, and matches each detection to at most one truth\n"
    "box (best IoU >= --iou, greedy by score). Truth faces named 'unknown' are ignore regions: a\n"
    "miss does not count, a detection on one is neither hit nor false. Prints precision, recall,\n"
    "F1, average precision, counts and the detector's milliseconds per megapixel. An image that\n"
    "cannot be read is reported and skipped (exit status 1); its truth faces count as missed.\n"
    "\n"
    "options:\n"
    "  --truth FILE          truth boxes (required)\n"
    "  --pred FILE           predictions (CSV with a header naming a 'score' column) instead of\n"
    "                        running the detector\n"
    "  --iou T               match threshold (default 0.5)\n"
    "  --json                one JSON object\n"
    "  --pr-curve OUT.csv    write the P/R curve over score\n"
    "  --save-pred OUT.csv   write the detections (absolute image paths), for a later --pred\n"
    "  --cascades LIST       the cascades detector with these full-image cascades: default,alt,\n"
    "                        alt2,alt_tree,profile (one name = that cascade alone, as OpenCV runs\n"
    "                        it); default: the fused cascades\n"
    "  --verifiers LIST      cascades run only around found faces (fused mode)\n"
    "  --min-score S         fused: minimum score     --min-votes N   fused: minimum votes\n"
    "  --fuse-neighbors N    fused: per-cascade neighbour threshold before fusion\n"
    "  --min-neighbors N     single cascade: OpenCV minNeighbors (default 3)\n"
    "  --scale-factor F      pyramid step (default 1.1)\n"
    "  --min-size PX         smallest face side in working pixels\n"
    "  --long-side PX        working resolution (default 1600; 0 = native)\n"
    "  --eye-check           drop large frontal faces without an eye\n"
    "  --detector KIND       cascades, network (SSD MobileNet v1) or both (default: the network\n"
    "                        fused with the cascades, thesis/results/detect.md)\n"
    "  --models DIR          network: face-api model folder\n"
    "  --net-score S         network: minimum SSD score (default 0.5)\n"
    "  --net-alone S         both: SSD score a network-only face needs (default 0.5)\n"
    "  --net-support S       both: SSD score that confirms a cascade face (default 0.2)\n"
    "  --alone-votes N       both: votes a cascade-only face needs (0 = dropped)\n"
    "  --alone-min-rel R     both: ... and its side as a fraction of the photo's shorter side\n"
    "  --full-scan           both: cascades over the whole photo, not only around the network's\n"
    "                        faces (same faces up to window edges when cascade-only faces are\n"
    "                        dropped; slower)\n"
    "  --threads N           photos in parallel (default: all CPUs)\n",
    run,
};

/* The predictions: read from --pred, else the detector over the truth's photos. Returns an exit
 * status (PR_EXIT_FAIL for skipped photos, the run still usable). */
static int predict(const char *pred_path, const char *save_path, const pr_detect_options *o,
                   int threads, const pr_face_labels *truth, pr_detect_run *run,
                   pr_face_labels **pred)
{
    if (pred_path) {
        if (pr_face_labels_load(pred_path, pred) == PR_OK)
            return PR_EXIT_OK;
        pr_cli_report_error(pred_path);
        return -PR_EXIT_FAIL;
    }
    pr_detector_params dp = pr_detect_options_params(o);
    if (pr_detect_run_truth(&dp, threads, truth, run) != PR_OK) {
        pr_cli_report_error(run->detector_failed ? "detector" : "eval detect");
        return run->detector_failed ? -PR_EXIT_USAGE : -PR_EXIT_FAIL;
    }
    *pred = run->pred;
    int status = pr_detect_report_skipped("eval detect", run->items, run->n) ? PR_EXIT_FAIL
                                                                               : PR_EXIT_OK;
    pr_detect_csv_params cp = {1, 2, 1};
    if (save_path && pr_detect_save_csv(save_path, run->items, run->n, &cp) != PR_OK) {
        fprintf(stderr, "personrec eval detect: cannot write %s\n", save_path);
        status = PR_EXIT_FAIL;
    }
    return status;
}

/* Matches, summarises and prints. */
static int evaluate(const pr_face_labels *truth, const pr_face_labels *pred, double iou,
                    const char *curve_path, int json, const pr_detect_speed *speed)
{
    pr_detect_eval_params ep = pr_detect_eval_params_default();
    ep.iou = iou;
    pr_detect_eval *ev = NULL;
    pr_detect_eval_result r;
    int status = PR_EXIT_OK;
    if (pr_detect_eval_new(&ep, &ev) != PR_OK || pr_detect_eval_add_labels(ev, truth, pred) != PR_OK ||
        pr_detect_eval_summary(ev, &r) != PR_OK) {
        pr_cli_report_error("evaluation");
        pr_detect_eval_delete(ev);
        return PR_EXIT_FAIL;
    }
    if (curve_path && pr_detect_eval_save_curve(ev, curve_path) != PR_OK) {
        fprintf(stderr, "personrec eval detect: cannot write %s\n", curve_path);
        status = PR_EXIT_FAIL;
    }
    if (json)
        pr_detect_eval_write_json(stdout, &r, iou, speed);
    else
        pr_detect_eval_write_text(stdout, &r, iou, speed);
    pr_detect_eval_delete(ev);
    return status;
}

static int run(int argc, char **argv)
{
    const char *truth_path = NULL, *pred_path = NULL, *curve_path = NULL, *save_path = NULL;
    int json = 0, threads = 0;
    double iou = 0.5;
    pr_detect_options o = pr_detect_options_default();
    const pr_option opts[] = {
        {"truth", PR_OPT_STRING, &truth_path},
        {"pred", PR_OPT_STRING, &pred_path},
        {"iou", PR_OPT_DOUBLE, &iou},
        {"json", PR_OPT_FLAG, &json},
        {"pr-curve", PR_OPT_STRING, &curve_path},
        {"save-pred", PR_OPT_STRING, &save_path},
        {"cascades", PR_OPT_STRING, &o.cascades},
        {"verifiers", PR_OPT_STRING, &o.verifiers},
        {"min-score", PR_OPT_DOUBLE, &o.min_score},
        {"min-votes", PR_OPT_INT, &o.min_votes},
        {"fuse-neighbors", PR_OPT_INT, &o.fuse_min_neighbors},
        {"min-neighbors", PR_OPT_INT, &o.min_neighbors},
        {"scale-factor", PR_OPT_DOUBLE, &o.scale_factor},
        {"min-size", PR_OPT_INT, &o.min_face_px},
        {"long-side", PR_OPT_INT, &o.working_long_side},
        {"eye-check", PR_OPT_FLAG, &o.eye_check},
        {"detector", PR_OPT_STRING, &o.detector},
        {"models", PR_OPT_STRING, &o.models},
        {"net-score", PR_OPT_DOUBLE, &o.net_score},
        {"net-alone", PR_OPT_DOUBLE, &o.net_alone},
        {"net-support", PR_OPT_DOUBLE, &o.net_support},
        {"alone-votes", PR_OPT_INT, &o.alone_votes},
        {"full-scan", PR_OPT_FLAG, &o.full_scan},
        {"alone-min-rel", PR_OPT_DOUBLE, &o.alone_min_rel},
        {"threads", PR_OPT_INT, &threads},
        {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_eval_detect;
    int npos = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (npos)
        return pr_cli_usage_error(cmd, "unexpected argument '%s'", argv[1]);
    if (!truth_path)
        return pr_cli_usage_error(cmd, "--truth FILE is required");
    if (!(iou > 0 && iou <= 1))
        return pr_cli_usage_error(cmd, "--iou must be in (0, 1]");

    pr_face_labels *truth = NULL, *pred = NULL;
    pr_detect_run dr = {0};
    if (pr_face_labels_load(truth_path, &truth) != PR_OK) {
        pr_cli_report_error(truth_path);
        return PR_EXIT_FAIL;
    }
    int status = predict(pred_path, save_path, &o, threads, truth, &dr, &pred);
    if (status >= 0) {
        pr_detect_speed speed = {dr.seconds, dr.megapixels};
        int ev = evaluate(truth, pred, iou, curve_path, json, pred_path ? NULL : &speed);
        status = ev ? ev : status;
    }
    if (pred != dr.pred)
        pr_face_labels_delete(pred);
    pr_detect_run_free(&dr);
    pr_face_labels_delete(truth);
    return status < 0 ? -status : status;
}

/* requires: core detect datasets eval
 * personrec eval detect: face detection precision / recall / F1 / AP against a truth file. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/json.h"
#include "datasets/face_labels.h"
#include "detect/batch.h"
#include "eval/detect_eval.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    "  --cascades LIST       full-image cascades: default,alt,alt2,alt_tree,profile (one name =\n"
    "                        that cascade alone, as OpenCV runs it); default: the fused detector\n"
    "  --verifiers LIST      cascades run only around found faces (fused mode)\n"
    "  --min-score S         fused: minimum score     --min-votes N   fused: minimum votes\n"
    "  --fuse-neighbors N    fused: per-cascade neighbour threshold before fusion\n"
    "  --min-neighbors N     single cascade: OpenCV minNeighbors (default 3)\n"
    "  --scale-factor F      pyramid step (default 1.1)\n"
    "  --min-size PX         smallest face side in working pixels\n"
    "  --long-side PX        working resolution (default 1600; 0 = native)\n"
    "  --eye-check           drop large frontal faces without an eye\n"
    "  --threads N           photos in parallel (default: all CPUs)\n",
    run,
};

static int same_str(const char *a, const char *b)
{
    return strcmp(a, b) == 0;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Predictions as CSV with a header, readable by pr_face_labels_load (score column by name). */
static int write_pred(const char *path, const pr_detect_item *items, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "image,x,y,w,h,person,score,pose\n");
    for (size_t i = 0; i < n; i++) {
        if (items[i].status != PR_OK)
            continue;
        char *real = realpath(items[i].path, NULL);
        for (size_t k = 0; k < items[i].faces.count; k++) {
            const pr_face *face = &items[i].faces.items[k];
            fprintf(f, "%s,%.2f,%.2f,%.2f,%.2f,,%.6g,%s\n", real ? real : items[i].path,
                    face->box.x, face->box.y, face->box.w, face->box.h, face->score,
                    pr_pose_name(face->pose));
        }
        free(real); /* realpath allocates with malloc */
    }
    int bad = ferror(f);
    if (fclose(f) != 0)
        bad = 1;
    return bad ? -1 : 0;
}

static int run(int argc, char **argv)
{
    const char *truth_path = NULL, *pred_path = NULL, *curve_path = NULL, *save_path = NULL;
    const char *cascades = NULL, *verifiers = NULL;
    int json = 0, eye = 0, threads = 0, min_votes = -1, fuse_nb = -1, min_nb = -1, min_size = -1;
    int long_side = -1;
    double iou = 0.5, min_score = -1, scale = -1;
    const pr_option opts[] = {
        {"truth", PR_OPT_STRING, &truth_path},
        {"pred", PR_OPT_STRING, &pred_path},
        {"iou", PR_OPT_DOUBLE, &iou},
        {"json", PR_OPT_FLAG, &json},
        {"pr-curve", PR_OPT_STRING, &curve_path},
        {"save-pred", PR_OPT_STRING, &save_path},
        {"cascades", PR_OPT_STRING, &cascades},
        {"verifiers", PR_OPT_STRING, &verifiers},
        {"min-score", PR_OPT_DOUBLE, &min_score},
        {"min-votes", PR_OPT_INT, &min_votes},
        {"fuse-neighbors", PR_OPT_INT, &fuse_nb},
        {"min-neighbors", PR_OPT_INT, &min_nb},
        {"scale-factor", PR_OPT_DOUBLE, &scale},
        {"min-size", PR_OPT_INT, &min_size},
        {"long-side", PR_OPT_INT, &long_side},
        {"eye-check", PR_OPT_FLAG, &eye},
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

    pr_detector_params dp = pr_detector_params_default();
    if (cascades) {
        /* One name means that cascade as OpenCV runs it; a list means fusion of those alone. */
        if (!strchr(cascades, ','))
            dp = pr_detector_params_single(cascades);
        dp.cascades = cascades;
        dp.verifiers = NULL;
    }
    if (verifiers)
        dp.verifiers = verifiers;
    if (min_score >= 0)
        dp.min_score = min_score;
    if (min_votes >= 0)
        dp.min_votes = min_votes;
    if (fuse_nb >= 0)
        dp.fuse_min_neighbors = fuse_nb;
    if (min_nb >= 0)
        dp.min_neighbors = min_nb;
    if (scale >= 0)
        dp.scale_factor = scale;
    if (min_size >= 0)
        dp.min_face_px = min_size;
    if (long_side >= 0)
        dp.working_long_side = long_side;
    dp.eye_check = eye;

    int status = PR_EXIT_OK;
    pr_face_labels *truth = NULL, *pred = NULL;
    pr_detect_eval *ev = NULL;
    pr_detect_item *items = NULL;
    char **paths = NULL;
    size_t npaths = 0;
    double seconds = 0, megapixels = 0;
    if (pr_face_labels_load(truth_path, &truth) != PR_OK) {
        pr_cli_report_error(truth_path);
        return PR_EXIT_FAIL;
    }
    if (pred_path) {
        if (pr_face_labels_load(pred_path, &pred) != PR_OK) {
            pr_cli_report_error(pred_path);
            status = PR_EXIT_FAIL;
            goto done;
        }
    } else {
        /* The distinct images of the truth, in a fixed order. */
        paths = (char **)pr_calloc(truth->count + 1, sizeof *paths);
        if (!paths)
            goto nomem;
        char buf[4096];
        for (size_t i = 0; i < truth->count; i++) {
            if (pr_face_labels_image_path(truth, i, buf, sizeof buf) != PR_OK) {
                pr_cli_report_error(truth_path);
                status = PR_EXIT_FAIL;
                goto done;
            }
            if (!(paths[npaths++] = pr_strdup(buf)))
                goto nomem;
        }
        if (npaths)
            qsort(paths, npaths, sizeof *paths, by_str);
        size_t k = 0;
        for (size_t i = 0; i < npaths; i++) {
            if (k && same_str(paths[k - 1], paths[i])) {
                pr_free(paths[i]);
                continue;
            }
            paths[k++] = paths[i];
        }
        npaths = k;
        items = (pr_detect_item *)pr_calloc(npaths + 1, sizeof *items);
        if (!items)
            goto nomem;
        for (size_t i = 0; i < npaths; i++)
            items[i].path = paths[i];
        if (pr_detect_batch(&dp, threads, items, npaths, NULL, NULL) != PR_OK) {
            pr_cli_report_error("detector");
            status = PR_EXIT_USAGE;
            goto done;
        }
        if (pr_face_labels_new("", &pred) != PR_OK)
            goto nomem;
        for (size_t i = 0; i < npaths; i++) {
            if (items[i].status != PR_OK) {
                fprintf(stderr, "personrec eval detect: %s (skipped)\n",
                        items[i].error ? items[i].error : items[i].path);
                status = PR_EXIT_FAIL;
                continue;
            }
            seconds += items[i].seconds;
            megapixels += (double)items[i].width * items[i].height / 1e6;
            for (size_t f = 0; f < items[i].faces.count; f++) {
                const pr_face *face = &items[i].faces.items[f];
                if (pr_face_labels_add(pred, items[i].path, face->box, NULL,
                                       pr_pose_name(face->pose), face->score) != PR_OK)
                    goto nomem;
            }
        }
    }

    if (save_path && !pred_path && write_pred(save_path, items, npaths) != 0) {
        fprintf(stderr, "personrec eval detect: cannot write %s\n", save_path);
        status = PR_EXIT_FAIL;
    }

    pr_detect_eval_params ep = pr_detect_eval_params_default();
    ep.iou = iou;
    pr_detect_eval_result r;
    if (pr_detect_eval_new(&ep, &ev) != PR_OK || pr_detect_eval_add_labels(ev, truth, pred) != PR_OK ||
        pr_detect_eval_summary(ev, &r) != PR_OK) {
        pr_cli_report_error("evaluation");
        status = PR_EXIT_FAIL;
        goto done;
    }
    double ms_per_mp = megapixels > 0 ? 1000.0 * seconds / megapixels : 0;
    if (curve_path) {
        FILE *f = fopen(curve_path, "w");
        if (!f || pr_detect_eval_write_curve(ev, f) != PR_OK) {
            fprintf(stderr, "personrec eval detect: cannot write %s\n", curve_path);
            status = PR_EXIT_FAIL;
        }
        if (f && fclose(f) != 0) {
            fprintf(stderr, "personrec eval detect: cannot write %s\n", curve_path);
            status = PR_EXIT_FAIL;
        }
    }
    if (json) {
        printf("{\"precision\":");
        pr_json_number(stdout, r.precision);
        printf(",\"recall\":");
        pr_json_number(stdout, r.recall);
        printf(",\"f1\":");
        pr_json_number(stdout, r.f1);
        printf(",\"ap\":");
        pr_json_number(stdout, r.ap);
        printf(",\"tp\":%ld,\"fp\":%ld,\"fn\":%ld,\"ignored\":%ld,\"truth\":%ld,\"images\":%ld,"
               "\"iou\":",
               r.tp, r.fp, r.fn, r.ignored, r.truth, r.images);
        pr_json_number(stdout, iou);
        if (!pred_path) {
            printf(",\"ms_per_mp\":");
            pr_json_number(stdout, ms_per_mp);
            printf(",\"megapixels\":");
            pr_json_number(stdout, megapixels);
        }
        printf("}\n");
    } else {
        printf("images %ld, truth faces %ld, IoU >= %g\n", r.images, r.truth, iou);
        printf("precision %.4f  recall %.4f  F1 %.4f  AP %.4f\n", r.precision, r.recall, r.f1,
               r.ap);
        printf("tp %ld  fp %ld  fn %ld  ignored %ld\n", r.tp, r.fp, r.fn, r.ignored);
        if (!pred_path)
            printf("detector: %.1f ms per megapixel (%.2f MP in %.3f s)\n", ms_per_mp, megapixels,
                   seconds);
    }
    goto done;
nomem:
    fprintf(stderr, "personrec eval detect: out of memory\n");
    status = PR_EXIT_FAIL;
done:
    pr_detect_items_free(items, npaths);
    pr_free(items);
    for (size_t i = 0; i < npaths; i++)
        pr_free(paths[i]);
    pr_free(paths);
    pr_detect_eval_delete(ev);
    pr_face_labels_delete(truth);
    pr_face_labels_delete(pred);
    return status;
}

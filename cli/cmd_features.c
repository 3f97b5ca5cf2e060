/* personrec features: the cues of every face in some photos (box, body, colour, SIFT, eigenface
 * coefficients, event, landmarks, descriptor), from the pipeline's front end (describe) and its
 * album stage (events, eigenfaces); the writers are pipeline/features_output.h. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/threadpool.h"
#include "datasets/face_labels.h"
#include "features/body.h"
#include "features/eigenfaces.h"
#include "pipeline/describe.h"
#include "pipeline/features_output.h"

#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_features = {
    "features",
    "describe every face of some photos by its cues",
    "usage: personrec features [--json] [--labels FILE] [--model FILE] [--body SOURCE]\n"
    "                          [--models DIR] [--no-descriptor] [--faceapi] [--threads N]\n"
    "                          [IMAGE...]\n"
    "\n"
    "For each face prints its box, the body region's area in pixels (the segmentation mask below\n"
    "the face, or the prior box with --body prior) and its bounding box, the top\n"
    "bins of the body's colour histogram (HSV 16x4x4), SIFT counts of face and body, the first\n"
    "eigenface coefficients, the event id (from DateTimeOriginal over the photos given), and the\n"
    "68 face landmarks and the 128-d face descriptor (face-api's nets, run by personrec).\n"
    "Faces and cues come from the pipeline's front end, as `personrec label` computes them\n"
    "(pipeline/describe.h). Faces come from the detector, or from a label file (rows naming the\n"
    "same photo as the IMAGE argument; with no IMAGE, every photo of the label file, paths\n"
    "relative to it). Eigenfaces come from --model, else are trained on the\n"
    "faces found (needs 3 or more). A photo that cannot be read is reported and skipped (exit 1).\n"
    "\n"
    "options:\n"
    "  --labels FILE   face boxes from this label file instead of detection\n"
    "  --model FILE    eigenface model (from `personrec eval eigenfaces --save`)\n"
    "  --body SOURCE   mask (segmentation, the default where built) | prior (fixed box)\n"
    "  --models DIR    face landmark + descriptor models (default: see README); without\n"
    "                  them the descriptor is left out, with a notice\n"
    "  --no-descriptor leave out landmarks and descriptor\n"
    "  --faceapi       the descriptor exactly as face-api 1.7.15 computes it (its square\n"
    "                  from the landmarks, no flip), to compare with face-api's own; the\n"
    "                  default is dlib's aligned chip and its mirror image, which personrec's\n"
    "                  calibration is for\n"
    "  --threads N     worker threads, 1 to 256 (default: all cores)\n"
    "  --json          one JSON object per face: image, x, y, w, h, box, body_source,\n"
    "                  body_area, body_box, body_hist_top, sift_face, sift_body, eigen, event,\n"
    "                  landmarks (68 [x, y] in photo pixels, or null), descriptor (128, or null)\n",
    run,
};

/* Prints every face of the described photos; 1 when some photo was skipped (named on stderr). */
static int print_photos(const pr_described_photo *photos, const char *const *names, int n,
                        int json, pr_status *st)
{
    int failed = 0;
    for (int i = 0; i < n && *st == PR_OK; i++) {
        if (photos[i].skip_reason) {
            pr_cli_report_message(names[i], photos[i].skip_reason);
            failed = 1;
        }
        for (int f = 0; f < photos[i].nfaces && *st == PR_OK; f++) {
            const pr_described_face *face = &photos[i].faces[f];
            *st = (json ? pr_described_face_write_json
                        : pr_described_face_write_text)(stdout, names[i], face);
        }
    }
    return failed;
}

static int run(int argc, char **argv)
{
    const char *labels_file = NULL, *model_file = NULL, *body = NULL, *models_dir = NULL;
    int json = 0, no_descriptor = 0, faceapi = 0, threads = 0;
    const pr_option opts[] = {
        {"labels", PR_OPT_STRING, &labels_file},  {"model", PR_OPT_STRING, &model_file},
        {"body", PR_OPT_STRING, &body},           {"json", PR_OPT_FLAG, &json},
        {"models", PR_OPT_STRING, &models_dir},   {"no-descriptor", PR_OPT_FLAG, &no_descriptor},
        {"faceapi", PR_OPT_FLAG, &faceapi},
        {"threads", PR_OPT_INT, &threads},        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_features, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n == 0 && !labels_file)
        return pr_cli_usage_error(&pr_cmd_features, "missing IMAGE (or --labels FILE)");
    pr_describe_params dp = pr_describe_params_default();
    if (body && strcmp(body, "prior") == 0)
        dp.person.body_segment = 0;
    else if (body && strcmp(body, "mask") == 0)
        dp.person.body_segment = 1;
    else if (body)
        return pr_cli_usage_error(&pr_cmd_features, "--body must be mask or prior");
    if (dp.person.body_segment && !pr_body_segment_available()) {
        if (body) {
            fprintf(stderr, "personrec features: --body mask: built without segment/\n");
            return PR_EXIT_FAIL;
        }
        dp.person.body_segment = 0;
    }
    dp.descriptor = !no_descriptor && pr_face_net_models_available(models_dir, "features");
    dp.models_dir = models_dir;
    if (faceapi) {
        dp.align = PR_FACE_ALIGN_DLIB_SQUARE;
        dp.flip = 0;
    }
    dp.threads = threads;

    int status = PR_EXIT_FAIL, nl = 0;
    pr_status st = PR_OK;
    pr_face_labels *labels = NULL;
    pr_eigenfaces *model = NULL;
    pr_described_photo *photos = NULL;
    char **own_paths = NULL;
    const char **keys = NULL;
    if (labels_file && pr_face_labels_load(labels_file, &labels) != PR_OK) {
        pr_cli_report_error(labels_file);
        goto done;
    }
    if (model_file && pr_eigenfaces_load(model_file, &model) != PR_OK) {
        pr_cli_report_error(model_file);
        goto done;
    }
    if (model) /* crops of the model's size */
        dp.crop_side = pr_eigenfaces_model_params(model).width;
    if (n == 0 && (st = pr_label_file_photos(labels, &own_paths, &keys, &nl)) != PR_OK) {
        pr_cli_report_error(labels_file);
        goto done;
    }
    const char *const *paths = n ? (const char *const *)argv + 1 : (const char *const *)own_paths;
    const char *const *names = n ? paths : (const char *const *)keys;
    int count = n ? n : nl;
    dp.labels = labels;
    /* never more workers than photos: each holds a detector and a face net */
    int workers = threads > 0 ? threads : pr_cpu_count();
    dp.threads = workers < count ? workers : count > 0 ? count : 1;
    photos = pr_calloc((size_t)(count ? count : 1), sizeof *photos);
    if (!photos || pr_describe_photos(&dp, paths, n ? NULL : keys, (size_t)count, photos) != PR_OK ||
        pr_described_prepare(photos, count, model) != PR_OK) {
        pr_cli_report_error("features");
        goto done;
    }
    int failed = print_photos(photos, names, count, json, &st);
    if (st != PR_OK)
        pr_cli_report_error("features");
    else
        status = failed ? PR_EXIT_FAIL : PR_EXIT_OK;
done:
    for (int i = 0; photos && i < (n ? n : nl); i++)
        pr_described_photo_clear(&photos[i]);
    pr_free(photos);
    for (int i = 0; own_paths && i < nl; i++)
        pr_free(own_paths[i]);
    pr_free(own_paths);
    pr_free(keys);
    pr_eigenfaces_delete(model);
    pr_face_labels_delete(labels);
    return status;
}

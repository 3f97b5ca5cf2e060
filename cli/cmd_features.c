/* requires: core features detect datasets cluster pipeline
 * personrec features: the cues of every face in some photos (box, body, colour, SIFT, eigenface
 * coefficients, event), from the pipeline's front end (describe) and its album stage (events,
 * eigenfaces; pipeline/people.h). */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/exif_time.h"
#include "core/json.h"
#include "datasets/face_labels.h"
#include "features/body.h"
#include "features/eigenfaces.h"
#include "pipeline/describe.h"
#include "pipeline/people.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_features = {
    "features",
    "describe every face of some photos by its cues",
    "usage: personrec features [--json] [--labels FILE] [--model FILE] [--body SOURCE] IMAGE...\n"
    "\n"
    "For each face prints its box, the body region's area in pixels (the segmentation mask below\n"
    "the face, or the prior box with --body prior) and its bounding box, the top\n"
    "bins of the body's colour histogram (HSV 16x4x4), SIFT counts of face and body, the first\n"
    "eigenface coefficients and the event id (from DateTimeOriginal over the photos given).\n"
    "Faces and cues come from the pipeline's front end, as `personrec label` computes them\n"
    "(pipeline/describe.h). Faces come from the detector, or from a label file (rows naming the\n"
    "same photo as the IMAGE argument). Eigenfaces come from --model, else are trained on the\n"
    "faces found (needs 3 or more). A photo that cannot be read is reported and skipped (exit 1).\n"
    "\n"
    "options:\n"
    "  --labels FILE   face boxes from this label file instead of detection\n"
    "  --model FILE    eigenface model (from `personrec eval eigenfaces --save`)\n"
    "  --body SOURCE   mask (segmentation, the default where built) | prior (fixed box)\n"
    "  --json          one JSON object per face\n",
    run,
};

static void print_box(const pr_box *b)
{
    printf("[");
    pr_json_number(stdout, b->x);
    putchar(',');
    pr_json_number(stdout, b->y);
    putchar(',');
    pr_json_number(stdout, b->w);
    putchar(',');
    pr_json_number(stdout, b->h);
    putchar(']');
}

static void print_json(const char *image, const pr_person *p, const int *top, int nt, int ne)
{
    printf("{\"image\":");
    pr_json_string(stdout, image);
    printf(",\"box\":");
    print_box(&p->face);
    printf(",\"body_source\":\"%s\",\"body_area\":", p->body_from_mask ? "mask" : "prior");
    pr_json_number(stdout, p->body_area);
    printf(",\"body_box\":");
    print_box(&p->body);
    printf(",\"body_hist_top\":[");
    for (int t = 0; t < nt; t++) {
        printf("%s{\"bin\":%d,\"weight\":", t ? "," : "", top[t]);
        pr_json_number(stdout, p->body_hist.h[top[t]]);
        putchar('}');
    }
    printf("],\"sift_face\":%d,\"sift_body\":%d,\"eigen\":[", p->sift_face->count,
           p->sift_body->count);
    for (int e = 0; e < ne; e++) {
        if (e)
            putchar(',');
        pr_json_number(stdout, p->eigen[e]);
    }
    printf("],\"event\":%d}\n", p->event_id);
}

static void print_text(const char *image, const pr_person *p, const int *top, int nt, int ne)
{
    printf("%s: face %.0f,%.0f %.0fx%.0f  body %s %.0f px in %.0f,%.0f %.0fx%.0f  colour", image,
           p->face.x, p->face.y, p->face.w, p->face.h, p->body_from_mask ? "mask" : "prior",
           p->body_area, p->body.x, p->body.y, p->body.w, p->body.h);
    if (!nt)
        printf(" none");
    for (int t = 0; t < nt; t++)
        printf(" %d:%.2f", top[t], p->body_hist.h[top[t]]);
    printf("  sift %d/%d  eigen", p->sift_face->count, p->sift_body->count);
    if (!ne)
        printf(" none");
    for (int e = 0; e < ne; e++)
        printf(" %.3f", p->eigen[e]);
    printf("  event %d\n", p->event_id);
}

/* Events and eigenfaces over every face found (the people back end's first stage). */
static pr_status album_stage(pr_described_photo *photos, int n, const pr_eigenfaces *model)
{
    int nf = 0;
    for (int i = 0; i < n; i++)
        nf += photos[i].nfaces;
    if (nf == 0)
        return PR_OK;
    pr_people_face *faces = pr_calloc((size_t)nf, sizeof *faces);
    int32_t *group = pr_calloc((size_t)nf, sizeof *group);
    int32_t *event = pr_calloc((size_t)nf, sizeof *event);
    pr_status st = faces && group && event ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
    for (int i = 0, k = 0; st == PR_OK && i < n; i++) {
        double t = NAN, secs;
        if (photos[i].has_time && pr_exif_time_seconds(photos[i].exif_time, &secs) == 0)
            t = secs;
        for (int f = 0; f < photos[i].nfaces; f++)
            faces[k++] = (pr_people_face){photos[i].faces[f].person, photos[i].faces[f].crop, i,
                                          t, -1, photos[i].faces[f].descriptor};
    }
    pr_people_params pp = pr_people_params_default();
    pp.model = model;
    if (model) {
        pr_eigenfaces_params mp = pr_eigenfaces_model_params(model);
        pp.eigen.width = mp.width;
        pp.eigen.height = mp.height;
        pp.eigen.equalize = mp.equalize;
    }
    if (st == PR_OK)
        st = pr_people_prepare(&pp, faces, nf, group, event);
    pr_free(faces);
    pr_free(group);
    pr_free(event);
    return st;
}

static int run(int argc, char **argv)
{
    const char *labels_file = NULL, *model_file = NULL, *body = NULL;
    int json = 0;
    const pr_option opts[] = {
        {"labels", PR_OPT_STRING, &labels_file},
        {"model", PR_OPT_STRING, &model_file},
        {"body", PR_OPT_STRING, &body},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_features, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n == 0)
        return pr_cli_usage_error(&pr_cmd_features, "missing IMAGE");
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
    if (model_file) { /* crops of the model's size */
        pr_eigenfaces *m = NULL;
        if (pr_eigenfaces_load(model_file, &m) != PR_OK) {
            pr_cli_report_error(model_file);
            return PR_EXIT_FAIL;
        }
        dp.crop_side = pr_eigenfaces_model_params(m).width;
        pr_eigenfaces_delete(m);
    }

    int status = PR_EXIT_FAIL, failed = 0;
    pr_face_labels *labels = NULL;
    pr_eigenfaces *model = NULL;
    const char *const *paths = (const char *const *)argv + 1;
    pr_described_photo *photos = pr_calloc((size_t)n, sizeof *photos);
    if (!photos)
        goto done;
    if (labels_file && pr_face_labels_load(labels_file, &labels) != PR_OK) {
        pr_cli_report_error(labels_file);
        goto done;
    }
    if (model_file && pr_eigenfaces_load(model_file, &model) != PR_OK) {
        pr_cli_report_error(model_file);
        goto done;
    }
    dp.labels = labels;
    dp.threads = 1; /* a few photos: one detector, output in argument order anyway */
    if (pr_describe_photos(&dp, paths, NULL, (size_t)n, photos) != PR_OK ||
        album_stage(photos, n, model) != PR_OK) {
        pr_cli_report_error("features");
        goto done;
    }
    for (int i = 0; i < n; i++) {
        if (photos[i].skip_reason) {
            fprintf(stderr, "personrec: %s: %s\n", paths[i], photos[i].skip_reason);
            failed = 1;
        }
        for (int f = 0; f < photos[i].nfaces; f++) {
            const pr_person *p = photos[i].faces[f].person;
            int top[3], nt = pr_color_hist_top_bins(&p->body_hist, 3, top);
            int ne = p->n_eigen < 5 ? p->n_eigen : 5;
            (json ? print_json : print_text)(paths[i], p, top, nt, ne);
        }
    }
    status = failed ? PR_EXIT_FAIL : PR_EXIT_OK;
done:
    for (int i = 0; photos && i < n; i++)
        pr_described_photo_clear(&photos[i]);
    pr_free(photos);
    pr_eigenfaces_delete(model);
    pr_face_labels_delete(labels);
    return status;
}

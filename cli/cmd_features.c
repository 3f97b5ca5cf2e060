/* requires: core features detect datasets
 * personrec features: the cues of every face in some photos (box, body, colour, SIFT, eigenface
 * coefficients, event). */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/image.h"
#include "core/json.h"
#include "datasets/face_labels.h"
#include "detect/detect.h"
#include "features/body.h"
#include "features/context.h"
#include "features/eigenfaces.h"
#include "features/person.h"

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
    "Faces come from the detector, or from a label file (boxes of rows whose image path ends\n"
    "with the IMAGE argument's file name). Eigenfaces come from --model, else are trained on the\n"
    "faces found (needs 3 or more). A photo that cannot be read is reported and skipped (exit 1).\n"
    "\n"
    "options:\n"
    "  --labels FILE   face boxes from this label file instead of detection\n"
    "  --model FILE    eigenface model (from `personrec eval eigenfaces --save`)\n"
    "  --body SOURCE   mask (segmentation, the default where built) | prior (fixed box)\n"
    "  --json          one JSON object per face\n",
    run,
};

typedef struct face_out {
    int image;
    pr_person *person;
    float *row;
} face_out;

static int ends_with_name(const char *path, const char *arg)
{
    const char *base = strrchr(arg, '/');
    base = base ? base + 1 : arg;
    size_t lp = strlen(path), lb = strlen(base);
    return lp >= lb && strcmp(path + lp - lb, base) == 0 && (lp == lb || path[lp - lb - 1] == '/');
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
    pr_person_params pp = pr_person_params_default();
    if (body && strcmp(body, "prior") == 0)
        pp.body_segment = 0;
    else if (body && strcmp(body, "mask") == 0)
        pp.body_segment = 1;
    else if (body)
        return pr_cli_usage_error(&pr_cmd_features, "--body must be mask or prior");
    if (pp.body_segment && !pr_body_segment_available()) {
        if (body) {
            fprintf(stderr, "personrec features: --body mask: built without segment/\n");
            return PR_EXIT_FAIL;
        }
        pp.body_segment = 0;
    }

    int status = PR_EXIT_FAIL, failed = 0;
    pr_face_labels *labels = NULL;
    pr_detector *det = NULL;
    pr_eigenfaces *model = NULL;
    face_out *faces = NULL;
    int nfaces = 0, capfaces = 0;
    double *times = (double *)pr_malloc_array((size_t)n, sizeof(double));
    int *events = (int *)pr_malloc_array((size_t)n, sizeof(int));
    pr_faces det_faces = {0};
    pr_box *boxes = NULL;
    pr_person **persons = NULL;
    if (!times || !events)
        goto done;
    if (labels_file && pr_face_labels_load(labels_file, &labels) != PR_OK) {
        pr_cli_report_error(labels_file);
        goto done;
    }
    if (!labels) {
        pr_detector_params dp = pr_detector_params_default();
        if (pr_detector_new(&dp, &det) != PR_OK) {
            pr_cli_report_error("face detector");
            goto done;
        }
    }
    if (model_file && pr_eigenfaces_load(model_file, &model) != PR_OK) {
        pr_cli_report_error(model_file);
        goto done;
    }
    pr_eigenfaces_params ep = model ? pr_eigenfaces_model_params(model)
                                    : pr_eigenfaces_params_default();
    for (int i = 0; i < n; i++) {
        const char *path = argv[i + 1];
        times[i] = NAN;
        pr_image *img = NULL;
        pr_image_info info;
        pr_image_load_params lp = pr_image_load_params_default();
        lp.channels = 3;
        if (pr_image_load(path, &lp, &img, &info) != PR_OK) {
            pr_cli_report_error(path);
            failed = 1;
            continue;
        }
        double secs;
        if (info.has_datetime && pr_exif_time_seconds(info.datetime, &secs) == 0)
            times[i] = secs;
        int nb = 0;
        pr_free(boxes);
        boxes = NULL;
        if (labels) {
            boxes = (pr_box *)pr_malloc_array(labels->count ? labels->count : 1, sizeof(pr_box));
            for (size_t k = 0; boxes && k < labels->count; k++)
                if (ends_with_name(labels->items[k].image, path))
                    boxes[nb++] = labels->items[k].box;
        } else if (pr_detector_run(det, img, &det_faces) == PR_OK) {
            boxes = (pr_box *)pr_malloc_array(det_faces.count ? det_faces.count : 1,
                                              sizeof(pr_box));
            for (size_t k = 0; boxes && k < det_faces.count; k++)
                boxes[nb++] = det_faces.items[k].box;
        } else {
            pr_cli_report_error(path);
            failed = 1;
        }
        persons = (pr_person **)pr_calloc((size_t)(nb ? nb : 1), sizeof *persons);
        if (!boxes || !persons ||
            pr_person_extract_photo(img, boxes, nb, NULL, 0, &pp, NULL, persons) != PR_OK) {
            pr_cli_report_error(path);
            pr_image_delete(img);
            pr_free(persons);
            persons = NULL;
            goto done;
        }
        for (int k = 0; k < nb; k++) {
            if (nfaces == capfaces) {
                capfaces = capfaces ? 2 * capfaces : 16;
                face_out *nf = (face_out *)pr_realloc(faces, sizeof *faces * (size_t)capfaces);
                if (!nf) {
                    for (int q = k; q < nb; q++)
                        pr_person_delete(persons[q]);
                    pr_image_delete(img);
                    goto done;
                }
                faces = nf;
            }
            face_out *fo = &faces[nfaces++];
            fo->image = i;
            fo->person = persons[k];
            fo->person->photo_index = i;
            fo->row = (float *)pr_malloc_array((size_t)ep.width * ep.height, sizeof(float));
            if (fo->row && pr_eigenfaces_preprocess(img, &boxes[k], &ep, fo->row) != PR_OK) {
                pr_free(fo->row);
                fo->row = NULL;
            }
        }
        pr_free(persons);
        persons = NULL;
        pr_image_delete(img);
    }
    /* Eigenfaces from the faces found, when no model was given. */
    if (!model) {
        int dim = ep.width * ep.height, nr = 0;
        float *rows = (float *)pr_malloc_array((size_t)(nfaces ? nfaces : 1) * dim, sizeof(float));
        for (int k = 0; rows && k < nfaces; k++)
            if (faces[k].row)
                memcpy(rows + (size_t)nr++ * dim, faces[k].row, sizeof(float) * dim);
        ep.components = 20;
        if (rows && nr >= 3)
            pr_eigenfaces_train(&ep, rows, nr, dim, &model);
        pr_free(rows);
    }
    for (int k = 0; model && k < nfaces; k++) {
        pr_person *p = faces[k].person;
        int kc = pr_eigenfaces_components(model);
        if (faces[k].row && (p->eigen = (float *)pr_malloc_array((size_t)kc, sizeof(float)))) {
            pr_eigenfaces_project(model, faces[k].row, p->eigen);
            p->n_eigen = kc;
        }
    }
    pr_events_from_times(times, n, NULL, events, NULL);
    for (int k = 0; k < nfaces; k++) {
        pr_person *p = faces[k].person;
        p->event_id = events[faces[k].image];
        p->time = times[faces[k].image];
        int top[3], nt = pr_color_hist_top_bins(&p->body_hist, 3, top);
        int ne = p->n_eigen < 5 ? p->n_eigen : 5;
        if (json) {
            printf("{\"image\":");
            pr_json_string(stdout, argv[faces[k].image + 1]);
            printf(",\"box\":[");
            pr_json_number(stdout, p->face.x);
            putchar(',');
            pr_json_number(stdout, p->face.y);
            putchar(',');
            pr_json_number(stdout, p->face.w);
            putchar(',');
            pr_json_number(stdout, p->face.h);
            printf("],\"body_source\":\"%s\",\"body_area\":", p->body_from_mask ? "mask" : "prior");
            pr_json_number(stdout, p->body_area);
            printf(",\"body_box\":[");
            pr_json_number(stdout, p->body.x);
            putchar(',');
            pr_json_number(stdout, p->body.y);
            putchar(',');
            pr_json_number(stdout, p->body.w);
            putchar(',');
            pr_json_number(stdout, p->body.h);
            putchar(']');
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
        } else {
            printf("%s: face %.0f,%.0f %.0fx%.0f  body %s %.0f px in %.0f,%.0f %.0fx%.0f  colour",
                   argv[faces[k].image + 1], p->face.x, p->face.y, p->face.w, p->face.h,
                   p->body_from_mask ? "mask" : "prior", p->body_area, p->body.x, p->body.y,
                   p->body.w, p->body.h);
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
    }
    status = failed ? PR_EXIT_FAIL : PR_EXIT_OK;
done:
    for (int k = 0; k < nfaces; k++) {
        pr_person_delete(faces[k].person);
        pr_free(faces[k].row);
    }
    pr_free(faces);
    pr_free(boxes);
    pr_free(times);
    pr_free(events);
    pr_faces_free(&det_faces);
    pr_detector_delete(det);
    pr_eigenfaces_delete(model);
    pr_face_labels_delete(labels);
    return status;
}

/* requires: core features detect datasets cluster pipeline
 * personrec features: the cues of every face in some photos (box, body, colour, SIFT, eigenface
 * coefficients, event), from the pipeline's front end (describe) and its album stage (events,
 * eigenfaces; pipeline/people.h). */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/exif_time.h"
#include "core/json.h"
#include "core/status.h"
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
    "usage: personrec features [--json] [--labels FILE] [--model FILE] [--body SOURCE]\n"
    "                          [--models DIR] [--no-descriptor] [--threads N] [IMAGE...]\n"
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
    "  --threads N     worker threads (default: all cores)\n"
    "  --json          one JSON object per face: image, x, y, w, h, box, body_source,\n"
    "                  body_area, body_box, body_hist_top, sift_face, sift_body, eigen, event,\n"
    "                  landmarks (68 [x, y] in photo pixels, or null), descriptor (128, or null)\n",
    run,
};

static void json_box(pr_json *w, const char *key, const pr_box *b)
{
    pr_json_key(w, key);
    pr_json_array(w);
    pr_json_num(w, b->x);
    pr_json_num(w, b->y);
    pr_json_num(w, b->w);
    pr_json_num(w, b->h);
    pr_json_end(w);
}

static void json_floats(pr_json *w, const char *key, const float *v, int n)
{
    pr_json_key(w, key);
    if (!v) {
        pr_json_null(w);
        return;
    }
    pr_json_array(w);
    for (int i = 0; i < n; i++)
        pr_json_num_exact(w, v[i]);
    pr_json_end(w);
}

/* 68 [x, y] pairs in photo pixels, or null. */
static void json_landmarks(pr_json *w, const float *lm)
{
    pr_json_key(w, "landmarks");
    if (!lm) {
        pr_json_null(w);
        return;
    }
    pr_json_array(w);
    for (int i = 0; i < PR_FACE_LANDMARKS; i++) {
        pr_json_array(w);
        pr_json_num(w, lm[2 * i]);
        pr_json_num(w, lm[2 * i + 1]);
        pr_json_end(w);
    }
    pr_json_end(w);
}

static pr_status print_json(const char *image, const pr_described_face *f, const int *top, int nt,
                            int ne)
{
    const pr_person *p = f->person;
    pr_json w = pr_json_begin(stdout, 0);
    pr_json_object(&w);
    pr_json_kv_str(&w, "image", image);
    pr_json_kv_num(&w, "x", p->face.x);
    pr_json_kv_num(&w, "y", p->face.y);
    pr_json_kv_num(&w, "w", p->face.w);
    pr_json_kv_num(&w, "h", p->face.h);
    json_box(&w, "box", &p->face);
    pr_json_kv_str(&w, "body_source", p->body_from_mask ? "mask" : "prior");
    pr_json_kv_num(&w, "body_area", p->body_area);
    json_box(&w, "body_box", &p->body);
    pr_json_key(&w, "body_hist_top");
    pr_json_array(&w);
    for (int t = 0; t < nt; t++) {
        pr_json_object(&w);
        pr_json_kv_int(&w, "bin", top[t]);
        pr_json_kv_num(&w, "weight", p->body_hist.h[top[t]]);
        pr_json_end(&w);
    }
    pr_json_end(&w);
    pr_json_kv_int(&w, "sift_face", p->sift_face->count);
    pr_json_kv_int(&w, "sift_body", p->sift_body->count);
    json_floats(&w, "eigen", p->eigen, ne);
    pr_json_kv_int(&w, "event", p->event_id);
    json_landmarks(&w, f->landmarks);
    json_floats(&w, "descriptor", f->descriptor, PR_FACE_DESCRIPTOR_DIM);
    pr_json_end(&w);
    return pr_json_finish(&w);
}

static pr_status print_text(const char *image, const pr_described_face *f, const int *top, int nt,
                            int ne)
{
    const pr_person *p = f->person;
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
    printf("  event %d", p->event_id);
    if (f->descriptor)
        printf("  descriptor %.3f %.3f %.3f ...", f->descriptor[0], f->descriptor[1],
               f->descriptor[2]);
    printf("\n");
    return ferror(stdout) ? pr_set_error(PR_ERR_IO, "standard output: write error") : PR_OK;
}

/* The photos of a label file (each once, in file order): paths joined to the file's folder, keys
 * as the file names them. Arrays and paths are caller-owned (pr_free). */
static pr_status label_photos(const pr_face_labels *set, char ***paths, const char ***keys, int *n)
{
    *n = 0;
    *paths = pr_calloc(set->count ? set->count : 1, sizeof **paths);
    *keys = pr_calloc(set->count ? set->count : 1, sizeof **keys);
    if (!*paths || !*keys)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    char buf[4096];
    for (size_t i = 0; i < set->count; i++) {
        int seen = 0;
        for (int k = 0; k < *n && !seen; k++)
            seen = strcmp((*keys)[k], set->items[i].image) == 0;
        if (seen)
            continue;
        pr_status st = pr_face_labels_image_path(set, i, buf, sizeof buf);
        if (st != PR_OK)
            return st;
        if (!((*paths)[*n] = pr_strdup(buf)))
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        (*keys)[(*n)++] = set->items[i].image;
    }
    return PR_OK;
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

/* Prints every face of the described photos; 1 when some photo was skipped (named on stderr). */
static int print_photos(const pr_described_photo *photos, const char *const *names, int n,
                        int json, pr_status *st)
{
    int failed = 0;
    for (int i = 0; i < n && *st == PR_OK; i++) {
        if (photos[i].skip_reason) {
            fprintf(stderr, "personrec: %s: %s\n", names[i], photos[i].skip_reason);
            failed = 1;
        }
        for (int f = 0; f < photos[i].nfaces && *st == PR_OK; f++) {
            const pr_described_face *face = &photos[i].faces[f];
            int top[3], nt = pr_color_hist_top_bins(&face->person->body_hist, 3, top);
            int ne = face->person->n_eigen < 5 ? face->person->n_eigen : 5;
            *st = (json ? print_json : print_text)(names[i], face, top, nt, ne);
        }
    }
    return failed;
}

static int run(int argc, char **argv)
{
    const char *labels_file = NULL, *model_file = NULL, *body = NULL, *models_dir = NULL;
    int json = 0, no_descriptor = 0, threads = 0;
    const pr_option opts[] = {
        {"labels", PR_OPT_STRING, &labels_file},  {"model", PR_OPT_STRING, &model_file},
        {"body", PR_OPT_STRING, &body},           {"json", PR_OPT_FLAG, &json},
        {"models", PR_OPT_STRING, &models_dir},   {"no-descriptor", PR_OPT_FLAG, &no_descriptor},
        {"threads", PR_OPT_INT, &threads},        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_features, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n == 0 && !labels_file)
        return pr_cli_usage_error(&pr_cmd_features, "missing IMAGE (or --labels FILE)");
    if (threads < 0)
        return pr_cli_usage_error(&pr_cmd_features, "--threads must be 0 or more");
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
    if (n == 0 && (st = label_photos(labels, &own_paths, &keys, &nl)) != PR_OK) {
        pr_cli_report_error(labels_file);
        goto done;
    }
    const char *const *paths = n ? (const char *const *)argv + 1 : (const char *const *)own_paths;
    const char *const *names = n ? paths : (const char *const *)keys;
    int count = n ? n : nl;
    dp.labels = labels;
    photos = pr_calloc((size_t)(count ? count : 1), sizeof *photos);
    if (!photos || pr_describe_photos(&dp, paths, n ? NULL : keys, (size_t)count, photos) != PR_OK ||
        album_stage(photos, count, model) != PR_OK) {
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

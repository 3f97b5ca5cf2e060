/* Writers and helpers of `personrec features` (pipeline/features_output.h). */
#include "pipeline/features_output.h"

#include "core/alloc.h"
#include "core/exif_time.h"
#include "core/json.h"
#include "pipeline/people.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

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

pr_status pr_described_face_write_json(FILE *out, const char *image, const pr_described_face *f)
{
    const pr_person *p = f->person;
    int top[3], nt = pr_color_hist_top_bins(&p->body_hist, 3, top);
    int ne = p->n_eigen < 5 ? p->n_eigen : 5;
    pr_json w = pr_json_begin(out, 0);
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

pr_status pr_described_face_write_text(FILE *out, const char *image, const pr_described_face *f)
{
    const pr_person *p = f->person;
    int top[3], nt = pr_color_hist_top_bins(&p->body_hist, 3, top);
    int ne = p->n_eigen < 5 ? p->n_eigen : 5;
    fprintf(out, "%s: face %.0f,%.0f %.0fx%.0f  body %s %.0f px in %.0f,%.0f %.0fx%.0f  colour", image,
           p->face.x, p->face.y, p->face.w, p->face.h, p->body_from_mask ? "mask" : "prior",
           p->body_area, p->body.x, p->body.y, p->body.w, p->body.h);
    if (!nt)
        fprintf(out, " none");
    for (int t = 0; t < nt; t++)
        fprintf(out, " %d:%.2f", top[t], p->body_hist.h[top[t]]);
    fprintf(out, "  sift %d/%d  eigen", p->sift_face->count, p->sift_body->count);
    if (!ne)
        fprintf(out, " none");
    for (int e = 0; e < ne; e++)
        fprintf(out, " %.3f", p->eigen[e]);
    fprintf(out, "  event %d", p->event_id);
    if (f->descriptor)
        fprintf(out, "  descriptor %.3f %.3f %.3f ...", f->descriptor[0], f->descriptor[1],
               f->descriptor[2]);
    fprintf(out, "\n");
    return ferror(out) ? pr_set_error(PR_ERR_IO, "write error") : PR_OK;
}

/* The photos of a label file (each once, in file order): paths joined to the file's folder, keys
 * as the file names them. Arrays and paths are caller-owned (pr_free). */
pr_status pr_label_file_photos(const pr_face_labels *set, char ***paths, const char ***keys, int *n)
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
pr_status pr_described_prepare(pr_described_photo *photos, int n, const pr_eigenfaces *model)
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


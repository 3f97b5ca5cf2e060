/* The detector over a set of photos, and its writers (eval/detect_run.h). */
#define _XOPEN_SOURCE 700 /* realpath */

#include "eval/detect_run.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/fileio.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

pr_detect_options pr_detect_options_default(void)
{
    pr_detect_options o = {NULL, NULL, -1, -1, -1, -1, -1, -1, -1, 0, NULL, NULL, -1, -1, -1, -1, -1, -1};
    return o;
}

pr_detector_params pr_detect_options_params(const pr_detect_options *o)
{
    pr_detector_params dp = pr_detector_params_default();
    if (o->cascades) {
        /* One name means that cascade as OpenCV runs it; a list means fusion of those alone. Either
         * way the cascades detector, unless --detector says otherwise. */
        if (!strchr(o->cascades, ','))
            dp = pr_detector_params_single(o->cascades);
        dp.cascades = o->cascades;
        dp.verifiers = NULL;
        dp.detector = PR_DETECTOR_CASCADES;
    }
    if (o->verifiers)
        dp.verifiers = o->verifiers;
    if (o->min_score >= 0)
        dp.min_score = o->min_score;
    if (o->min_votes >= 0)
        dp.min_votes = o->min_votes;
    if (o->fuse_min_neighbors >= 0)
        dp.fuse_min_neighbors = o->fuse_min_neighbors;
    if (o->min_neighbors >= 0)
        dp.min_neighbors = o->min_neighbors;
    if (o->scale_factor >= 0)
        dp.scale_factor = o->scale_factor;
    if (o->min_face_px >= 0)
        dp.min_face_px = o->min_face_px;
    if (o->working_long_side >= 0)
        dp.working_long_side = o->working_long_side;
    if (o->eye_check)
        dp.eye_check = 1;
    if (o->detector) /* an unknown name makes pr_detector_new fail with PR_ERR_ARG */
        dp.detector = (pr_detector_kind)pr_detector_kind_parse(o->detector);
    dp.models_dir = o->models;
    if (o->net_score >= 0)
        dp.net_min_score = o->net_score;
    if (o->net_alone >= 0)
        dp.net_alone_score = o->net_alone;
    if (o->net_support >= 0)
        dp.net_support = o->net_support;
    if (o->alone_votes >= 0)
        dp.cascade_alone_votes = o->alone_votes;
    if (o->full_scan >= 0)
        dp.cascade_full_scan = o->full_scan;
    if (o->alone_min_rel >= 0)
        dp.cascade_alone_min_rel = o->alone_min_rel;
    return dp;
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The distinct photos of truth, sorted, as the items' (owned) paths. */
static pr_status truth_items(const pr_face_labels *truth, pr_detect_run *out)
{
    char buf[4096];
    out->items = (pr_detect_item *)pr_calloc(truth->count + 1, sizeof *out->items);
    char **paths = (char **)pr_calloc(truth->count + 1, sizeof *paths);
    pr_status st = out->items && paths ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
    size_t n = 0;
    for (size_t i = 0; i < truth->count && st == PR_OK; i++) {
        st = pr_face_labels_image_path(truth, i, buf, sizeof buf);
        if (st == PR_OK && !(paths[n++] = pr_strdup(buf)))
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    if (st == PR_OK && n)
        qsort(paths, n, sizeof *paths, by_str);
    for (size_t i = 0; i < n; i++) {
        if (st == PR_OK && (out->n == 0 || strcmp(out->items[out->n - 1].path, paths[i]) != 0))
            out->items[out->n++].path = paths[i];
        else
            pr_free(paths[i]);
    }
    pr_free(paths);
    return st;
}

/* The detections of the photos that loaded, as labels, and the detector's time and area. */
static pr_status collect(pr_detect_run *out)
{
    pr_status st = pr_face_labels_new("", &out->pred);
    for (size_t i = 0; i < out->n && st == PR_OK; i++) {
        const pr_detect_item *it = &out->items[i];
        if (it->status != PR_OK)
            continue;
        out->seconds += it->seconds;
        out->megapixels += (double)it->width * it->height / 1e6;
        for (size_t f = 0; f < it->faces.count && st == PR_OK; f++) {
            const pr_face *face = &it->faces.items[f];
            st = pr_face_labels_add(out->pred, it->path, face->box, NULL, pr_pose_name(face->pose),
                                    face->score);
        }
    }
    return st;
}

pr_status pr_detect_run_truth(const pr_detector_params *params, int threads,
                              const pr_face_labels *truth, pr_detect_run *out)
{
    memset(out, 0, sizeof *out);
    pr_status st = truth_items(truth, out);
    if (st != PR_OK)
        return st;
    st = pr_detect_batch(params, threads, out->items, out->n, NULL, NULL);
    if (st != PR_OK) {
        out->detector_failed = 1;
        return st;
    }
    return collect(out);
}

void pr_detect_run_free(pr_detect_run *run)
{
    if (run->items) {
        pr_detect_items_free(run->items, run->n);
        for (size_t i = 0; i < run->n; i++)
            pr_free((char *)run->items[i].path);
    }
    pr_free(run->items);
    pr_face_labels_delete(run->pred);
    memset(run, 0, sizeof *run);
}

size_t pr_detect_report_skipped(const char *command, const pr_detect_item *items, size_t n)
{
    size_t skipped = 0;
    for (size_t i = 0; i < n; i++) {
        if (items[i].status == PR_OK)
            continue;
        fprintf(stderr, "personrec %s: %s (skipped)\n",
                command, items[i].error ? items[i].error : items[i].path);
        skipped++;
    }
    return skipped;
}

static void csv_item(pr_csv *w, const pr_detect_item *it, const pr_detect_csv_params *p)
{
    char *real = p->absolute_paths ? realpath(it->path, NULL) : NULL;
    for (size_t k = 0; k < it->faces.count; k++) {
        const pr_face *face = &it->faces.items[k];
        pr_csv_field(w, real ? real : it->path);
        pr_csv_fixed(w, face->box.x, p->box_decimals);
        pr_csv_fixed(w, face->box.y, p->box_decimals);
        pr_csv_fixed(w, face->box.w, p->box_decimals);
        pr_csv_fixed(w, face->box.h, p->box_decimals);
        if (p->person_column)
            pr_csv_field(w, "");
        pr_csv_fieldf(w, "%g", face->score);
        pr_csv_field(w, pr_pose_name(face->pose));
        pr_csv_end_row(w);
    }
    free(real); /* realpath allocates with malloc */
}

pr_status pr_detect_write_csv(FILE *out, const pr_detect_item *items, size_t n,
                              const pr_detect_csv_params *params)
{
    static const char *const head[] = {"image", "x", "y", "w", "h", "person", "score", "pose"};
    static const char *const head_np[] = {"image", "x", "y", "w", "h", "score", "pose"};
    pr_csv w = pr_csv_to_file(out);
    if (params->person_column)
        pr_csv_row(&w, head, 8);
    else
        pr_csv_row(&w, head_np, 7);
    for (size_t i = 0; i < n; i++)
        if (items[i].status == PR_OK)
            csv_item(&w, &items[i], params);
    return pr_csv_status(&w);
}

typedef struct csv_job {
    const pr_detect_item *items;
    size_t n;
    const pr_detect_csv_params *params;
} csv_job;

static pr_status write_csv_job(FILE *f, const void *ctx, const char *name)
{
    const csv_job *j = (const csv_job *)ctx;
    (void)name;
    return pr_detect_write_csv(f, j->items, j->n, j->params);
}

pr_status pr_detect_save_csv(const char *path, const pr_detect_item *items, size_t n,
                             const pr_detect_csv_params *params)
{
    csv_job j = {items, n, params};
    return pr_file_write_atomic_stream(path, write_csv_job, &j);
}

/* v as printf's "%.1f" prints it (the precision the CSV has), as a number for the JSON writer. */
static double one_decimal(double v)
{
    char text[64];
    snprintf(text, sizeof text, "%.1f", v);
    return strtod(text, NULL);
}

static void json_face(pr_json *w, const char *path, const pr_face *f)
{
    pr_json_object(w);
    pr_json_kv_str(w, "image", path);
    pr_json_kv_num(w, "x", one_decimal(f->box.x));
    pr_json_kv_num(w, "y", one_decimal(f->box.y));
    pr_json_kv_num(w, "w", one_decimal(f->box.w));
    pr_json_kv_num(w, "h", one_decimal(f->box.h));
    pr_json_kv_num(w, "score", f->score);
    pr_json_kv_int(w, "votes", f->votes);
    pr_json_kv_num(w, "net_score", f->net_score);
    pr_json_kv_str(w, "pose", pr_pose_name(f->pose));
    pr_json_key(w, "cascades");
    pr_json_array(w);
    for (int b = 0; b < PR_CASCADE_COUNT; b++)
        if (f->cascades_mask & (1u << b))
            pr_json_str(w, pr_cascade_name((pr_cascade_id)b));
    pr_json_end(w);
    pr_json_end(w);
}

pr_status pr_detect_write_json_lines(FILE *out, const pr_detect_item *items, size_t n)
{
    pr_status st = PR_OK;
    for (size_t i = 0; i < n && st == PR_OK; i++) {
        if (items[i].status != PR_OK)
            continue;
        for (size_t f = 0; f < items[i].faces.count && st == PR_OK; f++) {
            pr_json w = pr_json_begin(out, 0);
            json_face(&w, items[i].path, &items[i].faces.items[f]);
            st = pr_json_finish(&w);
        }
    }
    return st;
}

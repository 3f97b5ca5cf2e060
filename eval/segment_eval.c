/* Segmentation evaluation over BSDS500 (eval/segment_eval.h). Images run in parallel on the pool;
 * each worker writes only its image's rows, and the means are taken afterwards in image order, so
 * the figures do not depend on the thread count. */
#define _POSIX_C_SOURCE 200809L

#include "eval/segment_eval.h"

#include "core/alloc.h"
#include "core/files.h"
#include "core/image.h"
#include "core/json.h"
#include "core/labels.h"
#include "core/path.h"
#include "core/threadpool.h"
#include "segment/quality.h"

#include <stdlib.h>
#include <string.h>

enum { MAX_TRUTHS = 64 };

pr_segment_eval_params pr_segment_eval_params_default(void)
{
    pr_segment_eval_params p;
    memset(&p, 0, sizeof p);
    pr_segment_eval_parse_ks("100,300,500,1000", &p);
    p.fh = pr_fh_params_default();
    p.tolerance = 2.0;
    return p;
}

pr_status pr_segment_eval_parse_ks(const char *text, pr_segment_eval_params *params)
{
    int n = 0;
    const char *p = text;
    while (*p) {
        char *end = NULL;
        double v = strtod(p, &end);
        if (end == p || !(v > 0) || n >= PR_SEGMENT_EVAL_MAX_K)
            break;
        params->ks[n++] = v;
        p = end;
        if (*p == ',')
            p++;
        else if (*p)
            break;
    }
    if (*p || n == 0)
        return pr_set_error(PR_ERR_ARG, "--k must be positive numbers separated by commas (at most %d)",
                            PR_SEGMENT_EVAL_MAX_K);
    params->n_k = n;
    return PR_OK;
}

pr_status pr_segment_eval_params_check(const pr_segment_eval_params *p)
{
    if (pr_fh_params_check(&p->fh) != PR_OK)
        return PR_ERR_ARG;
    if (!(p->tolerance >= 0 && p->tolerance <= 20))
        return pr_set_error(PR_ERR_ARG, "--tolerance must be in [0, 20]");
    if (p->limit < 0 || p->threads < 0)
        return pr_set_error(PR_ERR_ARG, "--limit and --threads must be >= 0");
    if (p->n_k < 1 || p->n_k > PR_SEGMENT_EVAL_MAX_K)
        return pr_set_error(PR_ERR_ARG, "segment eval: 1 to %d k values", PR_SEGMENT_EVAL_MAX_K);
    return PR_OK;
}

typedef struct image_result {
    int ok;
    double asa_best, asa_mean, ue, br, segments, ms;
} image_result;

typedef struct job {
    char **images;
    const char *truth_dir;
    const pr_segment_eval_params *p;
    image_result *res; /* n_images * n_k */
} job;

/* TRUTH/<id>_0.png, _1.png, ... until one is missing. Returns the count loaded. */
static int load_truths(const char *truth_dir, const char *path, pr_labels **truths)
{
    char id[1024], tpath[4096];
    snprintf(id, sizeof id, "%s", pr_path_basename(path));
    char *dot = strrchr(id, '.');
    if (dot)
        *dot = '\0';
    int nt = 0;
    for (int t = 0; t < MAX_TRUTHS; t++) {
        snprintf(tpath, sizeof tpath, "%s/%s_%d.png", truth_dir, id, t);
        FILE *probe = fopen(tpath, "rb");
        if (!probe)
            break;
        fclose(probe);
        if (pr_labels_load(tpath, &truths[nt]) != PR_OK) {
            fprintf(stderr, "personrec eval segment: %s: %s\n", tpath, pr_last_error());
            break;
        }
        nt++;
    }
    if (nt == 0)
        fprintf(stderr, "personrec eval segment: %s: no truth %s/%s_0.png\n", path, truth_dir, id);
    return nt;
}

/* Segments img at k and scores it against every truth of the right size. */
static void score_k(const job *j, const char *path, const pr_image *img, pr_labels **truths, int nt,
                    double k, image_result *r)
{
    pr_fh_params p = j->p->fh;
    p.k = k;
    pr_labels *seg = NULL;
    pr_fh_stats st;
    if (pr_fh_segment(img, &p, &seg, &st) != PR_OK) {
        fprintf(stderr, "personrec eval segment: %s: %s\n", path, pr_last_error());
        return;
    }
    double best = 0, asa = 0, ue = 0, br = 0;
    int used = 0;
    for (int t = 0; t < nt; t++) {
        pr_seg_quality q;
        if (truths[t]->width != img->width || truths[t]->height != img->height) {
            fprintf(stderr, "personrec eval segment: %s: truth %d is %dx%d, image %dx%d\n", path, t,
                    truths[t]->width, truths[t]->height, img->width, img->height);
            continue;
        }
        if (pr_seg_quality_compute(seg, truths[t], j->p->tolerance, &q) != PR_OK) {
            fprintf(stderr, "personrec eval segment: %s: %s\n", path, pr_last_error());
            continue;
        }
        best = q.asa > best ? q.asa : best;
        asa += q.asa;
        ue += q.ue;
        br += q.boundary_recall;
        used++;
    }
    if (used) {
        r->ok = 1;
        r->asa_best = best;
        r->asa_mean = asa / used;
        r->ue = ue / used;
        r->br = br / used;
        r->segments = st.segments;
        r->ms = st.ms_total;
    }
    pr_labels_delete(seg);
}

static void do_image(void *ctx, long index, int worker)
{
    job *j = ctx;
    const char *path = j->images[index];
    pr_labels *truths[MAX_TRUTHS];
    pr_image *img = NULL;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    const int nt = load_truths(j->truth_dir, path, truths);
    if (nt > 0 && pr_image_load(path, &lp, &img, NULL) != PR_OK)
        fprintf(stderr, "personrec eval segment: %s: %s\n", path, pr_last_error());
    for (int ki = 0; img && ki < j->p->n_k; ki++)
        score_k(j, path, img, truths, nt, j->p->ks[ki], &j->res[(size_t)index * j->p->n_k + ki]);
    pr_image_delete(img);
    for (int t = 0; t < nt; t++)
        pr_labels_delete(truths[t]);
    (void)worker;
}

/* Means over the images scored at each k. */
static void summarise(const job *j, int n_images, pr_segment_eval_result *out)
{
    const int n_k = j->p->n_k;
    out->n_rows = n_k;
    for (int ki = 0; ki < n_k; ki++) {
        pr_segment_eval_row *row = &out->rows[ki];
        memset(row, 0, sizeof *row);
        row->k = j->p->ks[ki];
        for (int i = 0; i < n_images; i++) {
            const image_result *r = &j->res[(size_t)i * n_k + ki];
            if (!r->ok)
                continue;
            row->asa += r->asa_best;
            row->asa_mean += r->asa_mean;
            row->ue += r->ue;
            row->boundary_recall += r->br;
            row->segments += r->segments;
            row->ms += r->ms;
            row->images++;
        }
        if (row->images < n_images)
            out->failed = 1;
        if (!row->images)
            continue;
        row->asa /= row->images;
        row->asa_mean /= row->images;
        row->ue /= row->images;
        row->boundary_recall /= row->images;
        row->segments /= row->images;
        row->ms /= row->images;
    }
}

pr_status pr_segment_eval_run(const char *images_dir, const char *truth_dir,
                              const pr_segment_eval_params *params,
                              pr_segment_eval_result *result)
{
    pr_file_list files = {0};
    pr_pool *pool = NULL;
    job j = {NULL, truth_dir, params, NULL};
    memset(result, 0, sizeof *result);
    pr_status st = pr_segment_eval_params_check(params);
    if (st == PR_OK)
        st = pr_list_images(images_dir, &files);
    if (st == PR_OK && files.count == 0)
        st = pr_set_error(PR_ERR_IO, "%s: no images", images_dir);
    if (st != PR_OK)
        goto done;
    result->images = (int)files.count;
    if (params->limit > 0 && params->limit < result->images)
        result->images = params->limit;
    j.images = files.paths;
    j.res = pr_calloc((size_t)result->images * (size_t)params->n_k, sizeof(image_result));
    if (!j.res) {
        st = pr_set_error(PR_ERR_NOMEM, "eval segment: out of memory");
        goto done;
    }
    st = pr_pool_new(params->threads, &pool);
    if (st != PR_OK)
        goto done;
    pr_pool_for(pool, result->images, do_image, &j);
    summarise(&j, result->images, result);
done:
    pr_pool_delete(pool);
    pr_free(j.res);
    pr_file_list_clear(&files);
    return st;
}

pr_status pr_segment_eval_write_json(FILE *out, const pr_segment_eval_params *params,
                                     const pr_segment_eval_result *result)
{
    pr_status st = PR_OK;
    for (int ki = 0; ki < result->n_rows && st == PR_OK; ki++) {
        const pr_segment_eval_row *r = &result->rows[ki];
        if (!r->images)
            continue;
        pr_json w = pr_json_begin(out, 0);
        pr_json_object(&w);
        pr_json_kv_num(&w, "k", r->k);
        pr_json_kv_num(&w, "sigma", params->fh.sigma);
        pr_json_kv_int(&w, "min_size", params->fh.min_size);
        pr_json_kv_int(&w, "images", r->images);
        pr_json_kv_num(&w, "segments", r->segments);
        pr_json_kv_num(&w, "asa", r->asa);
        pr_json_kv_num(&w, "asa_mean", r->asa_mean);
        pr_json_kv_num(&w, "ue", r->ue);
        pr_json_kv_num(&w, "boundary_recall", r->boundary_recall);
        pr_json_kv_num(&w, "ms", r->ms);
        pr_json_end(&w);
        st = pr_json_finish(&w);
    }
    return st;
}

void pr_segment_eval_write_text(FILE *out, const pr_segment_eval_params *params,
                                const pr_segment_eval_result *result)
{
    fprintf(out, "%d images, sigma %g, min_size %d, boundary tolerance %g px\n"
                 "%8s %9s %9s %9s %8s %8s %9s\n",
            result->images, params->fh.sigma, params->fh.min_size, params->tolerance, "k",
            "segments", "ASA-best", "ASA-mean", "UE", "BR", "ms/image");
    for (int ki = 0; ki < result->n_rows; ki++) {
        const pr_segment_eval_row *r = &result->rows[ki];
        if (r->images)
            fprintf(out, "%8g %9.1f %9.4f %9.4f %8.4f %8.4f %9.1f\n", r->k, r->segments, r->asa,
                    r->asa_mean, r->ue, r->boundary_recall, r->ms);
    }
}

/* The cue-pair ROC harness (eval/cue_pairs.h): events from capture times, eigenfaces trained on
 * the instances' own faces, every pair scored on every cue (rows of pairs split over the pool;
 * each pair has its own slot, so the scores do not depend on the thread count), then ROC per cue.
 * The per-photo front end is eval/cue_pairs_describe.c. */
#include "eval/cue_pairs_internal.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "core/json.h"
#include "core/threadpool.h"
#include "features/blas.h"
#include "features/body.h"
#include "features/context.h"
#include "features/person.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const timing_names[T_COUNT] = {"body_hist_3spaces", "band_hist_3spaces",
                                                  "background_hist", "sift_face", "sift_body",
                                                  "eigen_preprocess", "body_mask", "image_load",
                                                  "face_descriptor"};

pr_cue_pairs_params pr_cue_pairs_params_default(void)
{
    pr_cue_pairs_params p;
    p.body_mask = pr_person_params_default().body_segment && pr_body_segment_available();
    p.threads = 0;
    p.components = 50;
    p.equalize = 0;
    p.descriptor = 1;
    p.models_dir = NULL;
    return p;
}

/* Cues scored over pairs. */
enum { C_EIGEN_L2, C_EIGEN_COS, C_EIGEN_WCOS, C_SIFT_FACE, C_SIFT_BODY, C_SAME_EVENT,
       C_BACKGROUND, C_DESCRIPTOR, C_BAND0, /* + space */
       C_BODY0 = C_BAND0 + H_SPACES, /* + space * 3 + metric */
       C_BODY_SAME_EVENT0 = C_BODY0 + H_SPACES * PR_HIST_DISTANCE_COUNT, /* + space (chi2) */
       C_COUNT = C_BODY_SAME_EVENT0 + H_SPACES };

typedef struct pair_ctx {
    const pr_cue_inst *insts;
    const pr_cue_photo *photos;
    int n;
    const pr_eigenfaces *model;
    int k;
    double *scores; /* C_COUNT x npairs */
    int *labels;
    unsigned char *same_photo; /* npairs */
    size_t npairs;
} pair_ctx;

static size_t pair_index(int i, int j, int n)
{
    /* pairs (i, j), i < j, row by row */
    return (size_t)i * (size_t)(2 * n - i - 1) / 2 + (size_t)(j - i - 1);
}

static void pair_job(void *vctx, long i, int worker)
{
    pair_ctx *c = (pair_ctx *)vctx;
    const pr_cue_inst *a = &c->insts[i];
    for (int j = (int)i + 1; j < c->n; j++) {
        const pr_cue_inst *b = &c->insts[j];
        size_t p = pair_index((int)i, j, c->n);
        double *s = c->scores;
        size_t np = c->npairs;
        c->labels[p] = strcmp(a->person, b->person) == 0;
        c->same_photo[p] = a->photo == b->photo;
        int have = a->coeff && b->coeff;
        s[C_EIGEN_L2 * np + p] = have ? -pr_eigenfaces_distance_l2(a->coeff, b->coeff, 0, c->k) : NAN;
        s[C_EIGEN_COS * np + p] = have ? -pr_eigenfaces_distance_cos(a->coeff, b->coeff, 0, c->k) : NAN;
        s[C_EIGEN_WCOS * np + p] =
            have ? -pr_eigenfaces_distance_wcos(c->model, a->coeff, b->coeff, 0, c->k) : NAN;
        s[C_SIFT_FACE * np + p] = pr_sift_similarity(a->sift_face, b->sift_face, 0.8);
        s[C_SIFT_BODY * np + p] = pr_sift_similarity(a->sift_body, b->sift_body, 0.8);
        int ea = c->photos[a->photo].event, eb = c->photos[b->photo].event;
        int same_event = ea >= 0 && eb >= 0 && ea == eb;
        s[C_SAME_EVENT * np + p] = ea >= 0 && eb >= 0 ? (double)same_event : NAN;
        s[C_BACKGROUND * np + p] = -pr_color_hist_distance(&a->background, &b->background, PR_HIST_CHI2);
        s[C_DESCRIPTOR * np + p] = a->descriptor && b->descriptor
                                       ? -pr_face_descriptor_distance(a->descriptor, b->descriptor)
                                       : NAN;
        for (int sp = 0; sp < H_SPACES; sp++) {
            s[(C_BAND0 + sp) * np + p] = -pr_color_hist_distance(&a->band[sp], &b->band[sp], PR_HIST_CHI2);
            for (int m = 0; m < PR_HIST_DISTANCE_COUNT; m++)
                s[(C_BODY0 + sp * PR_HIST_DISTANCE_COUNT + m) * np + p] =
                    -pr_color_hist_distance(&a->body[sp], &b->body[sp], (pr_hist_distance)m);
            s[(C_BODY_SAME_EVENT0 + sp) * np + p] =
                same_event ? s[(C_BODY0 + sp * PR_HIST_DISTANCE_COUNT) * np + p] : NAN;
        }
    }
}

static void cue_name(int c, char *buf, size_t size)
{
    static const char *const fixed[] = {"eigenface_l2", "eigenface_cos", "eigenface_wcos",
                                        "sift_face",    "sift_body",     "same_event",
                                        "background_hsv_chi2", "face_descriptor_l2"};
    if (c < C_BAND0)
        snprintf(buf, size, "%s", fixed[c]);
    else if (c < C_BODY0)
        snprintf(buf, size, "band_%s_chi2", pr_color_space_name((pr_color_space)(c - C_BAND0)));
    else if (c < C_BODY_SAME_EVENT0)
        snprintf(buf, size, "body_%s_%s",
                 pr_color_space_name((pr_color_space)((c - C_BODY0) / PR_HIST_DISTANCE_COUNT)),
                 pr_hist_distance_name((pr_hist_distance)((c - C_BODY0) % PR_HIST_DISTANCE_COUNT)));
    else
        snprintf(buf, size, "body_%s_chi2_same_event",
                 pr_color_space_name((pr_color_space)(c - C_BODY_SAME_EVENT0)));
}

/* Events over the photos' capture times. */
static pr_status events(pr_cue_ctx *c)
{
    const size_t np = (size_t)(c->nphotos ? c->nphotos : 1);
    double *times = (double *)pr_malloc_array(np, sizeof(double));
    int *ev = (int *)pr_malloc_array(np, sizeof(int));
    if (!times || !ev) {
        pr_free(times);
        pr_free(ev);
        return pr_set_error(PR_ERR_NOMEM, "eval pairs: out of memory");
    }
    for (int p = 0; p < c->nphotos; p++)
        times[p] = c->photos[p].time;
    pr_events_from_times(times, c->nphotos, NULL, ev, NULL);
    for (int p = 0; p < c->nphotos; p++)
        c->photos[p].event = ev[p];
    pr_free(times);
    pr_free(ev);
    return PR_OK;
}

/* Eigenfaces from the instances' own faces; each instance with a row gets its coefficients.
 * Fewer than two faces, or a failed training, leave the eigenface cues empty (k = 0). */
static pr_status eigenfaces(pr_cue_ctx *c, int components, pr_eigenfaces **model, int *k)
{
    const int dim = c->ep.width * c->ep.height;
    int nrows = 0;
    float *rows = (float *)pr_malloc_array((size_t)(c->n ? c->n : 1) * dim, sizeof(float));
    if (!rows)
        return pr_set_error(PR_ERR_NOMEM, "eval pairs: out of memory");
    for (int i = 0; i < c->n; i++)
        if (c->insts[i].row)
            memcpy(rows + (size_t)nrows++ * dim, c->insts[i].row, sizeof(float) * dim);
    pr_eigenfaces_params tp = c->ep;
    tp.components = components;
    *k = 0;
    if (nrows >= 2 && pr_eigenfaces_train(&tp, rows, nrows, dim, model) == PR_OK) {
        *k = pr_eigenfaces_components(*model);
        for (int i = 0; i < c->n; i++)
            if (c->insts[i].row) {
                c->insts[i].coeff = (float *)pr_malloc_array((size_t)*k, sizeof(float));
                if (c->insts[i].coeff)
                    pr_eigenfaces_project(*model, c->insts[i].row, c->insts[i].coeff);
            }
    }
    pr_free(rows);
    return PR_OK;
}

/* ROC of every cue over all pairs and over the pairs from different photos. */
static pr_status score_cues(const pair_ctx *pc, pr_cue_pairs_result *r)
{
    double *masked = (double *)pr_malloc_array(pc->npairs ? pc->npairs : 1, sizeof(double));
    r->cues = (pr_cue_pairs_cue *)pr_calloc(C_COUNT, sizeof *r->cues);
    if (!masked || !r->cues) {
        pr_free(masked);
        return pr_set_error(PR_ERR_NOMEM, "eval pairs: out of memory");
    }
    r->n_cues = C_COUNT;
    for (int cu = 0; cu < C_COUNT; cu++) {
        pr_cue_pairs_cue *q = &r->cues[cu];
        cue_name(cu, q->name, sizeof q->name);
        const double *sc = pc->scores + (size_t)cu * pc->npairs;
        pr_roc_compute(sc, pc->labels, pc->npairs, &q->all);
        for (size_t p = 0; p < pc->npairs; p++)
            masked[p] = pc->same_photo[p] ? NAN : sc[p];
        pr_roc_compute(masked, pc->labels, pc->npairs, &q->cross_photo);
    }
    for (size_t p = 0; p < pc->npairs; p++) {
        r->same_pairs += pc->labels[p];
        r->same_photo_pairs += pc->same_photo[p];
    }
    pr_free(masked);
    return PR_OK;
}

/* Every pair on every cue, then ROC. */
static pr_status score_pairs(pr_cue_ctx *c, pr_pool *pool, const pr_eigenfaces *model, int k,
                             pr_cue_pairs_result *r)
{
    pair_ctx pc;
    memset(&pc, 0, sizeof pc);
    pc.insts = c->insts;
    pc.photos = c->photos;
    pc.n = c->n;
    pc.model = model;
    pc.k = k;
    pc.npairs = c->n > 1 ? (size_t)c->n * (size_t)(c->n - 1) / 2 : 0;
    pc.scores = (double *)pr_malloc_array((pc.npairs ? pc.npairs : 1) * C_COUNT, sizeof(double));
    pc.labels = (int *)pr_malloc_array(pc.npairs ? pc.npairs : 1, sizeof(int));
    pc.same_photo = (unsigned char *)pr_malloc(pc.npairs ? pc.npairs : 1);
    pr_status st = PR_OK;
    if (!pc.scores || !pc.labels || !pc.same_photo) {
        st = pr_set_error(PR_ERR_NOMEM, "eval pairs: out of memory");
    } else {
        const double t0 = pr_now_seconds();
        pr_pool_for(pool, c->n, pair_job, &pc);
        r->pairs_seconds = pr_now_seconds() - t0;
        r->pairs = pc.npairs;
        st = score_cues(&pc, r);
    }
    pr_free(pc.scores);
    pr_free(pc.labels);
    pr_free(pc.same_photo);
    return st;
}

/* Instances per second for each cue on the pool's workers: per-worker time summed, spread back
 * over the workers. */
static void rates(const pr_cue_ctx *c, int nthreads, pr_cue_pairs_result *r)
{
    double tsum[T_COUNT] = {0};
    for (int w = 0; w < nthreads; w++)
        for (int t = 0; t < T_COUNT; t++)
            tsum[t] += c->timing[w][t];
    for (int t = 0; t < T_COUNT; t++)
        r->per_second[t] =
            tsum[t] > 0 ? (t == T_LOAD ? c->nphotos : c->n) * nthreads / tsum[t] : NAN;
}

static pr_status ctx_alloc(pr_cue_ctx *c, const pr_face_labels *set, int nthreads)
{
    const size_t nl = set->count ? set->count : 1;
    c->set = set;
    c->order = (size_t *)pr_malloc_array(nl, sizeof(size_t));
    c->photos = (pr_cue_photo *)pr_calloc(nl, sizeof(pr_cue_photo));
    c->inst_of_label = (int *)pr_malloc_array(nl, sizeof(int));
    c->insts = (pr_cue_inst *)pr_calloc(nl, sizeof(pr_cue_inst));
    c->failed = (int *)pr_calloc(nl, sizeof(int));
    c->timing = (double (*)[T_COUNT])pr_calloc((size_t)nthreads, sizeof *c->timing);
    if (!c->order || !c->photos || !c->inst_of_label || !c->insts || !c->failed || !c->timing ||
        pr_cue_pairs_index_labels(c) != 0)
        return pr_set_error(PR_ERR_NOMEM, "eval pairs: out of memory");
    return PR_OK;
}

static void ctx_free(pr_cue_ctx *c)
{
    for (int i = 0; c->insts && i < c->n; i++) {
        pr_sift_set_delete(c->insts[i].sift_face);
        pr_sift_set_delete(c->insts[i].sift_body);
        pr_free(c->insts[i].row);
        pr_free(c->insts[i].coeff);
        pr_free(c->insts[i].descriptor);
    }
    for (int w = 0; w < c->n_nets; w++)
        pr_face_net_delete(c->nets[w]);
    pr_free(c->nets);
    pr_free(c->insts);
    pr_free(c->order);
    pr_free(c->photos);
    pr_free(c->inst_of_label);
    pr_free(c->failed);
    pr_free(c->timing);
}

/* One face net per worker (a net's single-face call uses one workspace). Missing model files are
 * not an error: the descriptor cue is left out with one notice, as the pipeline does. */
static pr_status open_nets(pr_cue_ctx *c, const pr_cue_pairs_params *params, int nthreads)
{
    if (!params->descriptor)
        return PR_OK;
    c->nets = (pr_face_net **)pr_calloc((size_t)nthreads, sizeof *c->nets);
    if (!c->nets)
        return pr_set_error(PR_ERR_NOMEM, "eval pairs: out of memory");
    c->n_nets = nthreads;
    pr_face_net_params fp = pr_face_net_params_default();
    fp.models_dir = params->models_dir;
    fp.threads = 1;
    for (int w = 0; w < nthreads; w++) {
        pr_status st = pr_face_net_new(&fp, &c->nets[w]);
        if (st == PR_ERR_IO && w == 0 && !params->models_dir) {
            fprintf(stderr, "personrec eval pairs: %s\n", pr_last_error());
            pr_free(c->nets);
            c->nets = NULL;
            c->n_nets = 0;
            return PR_OK;
        }
        if (st != PR_OK)
            return st;
    }
    return PR_OK;
}

/* The front end over every photo; PR_ERR_IO when some photo failed (already reported). */
static pr_status extract(pr_cue_ctx *c, pr_pool *pool, pr_cue_pairs_result *r)
{
    const double t0 = pr_now_seconds();
    pr_progress_new("eval pairs: photos", "photos", c->nphotos, PR_PROGRESS_AUTO, &c->progress);
    pr_pool_for(pool, c->nphotos, pr_cue_pairs_describe_photo, c);
    pr_progress_delete(c->progress);
    c->progress = NULL;
    r->extract_seconds = pr_now_seconds() - t0;
    for (int p = 0; p < c->nphotos; p++)
        if (c->failed[p])
            return pr_set_error(PR_ERR_IO, "eval pairs: some photos could not be described");
    for (int p = 0; p < c->nphotos; p++)
        r->photos_with_time += isfinite(c->photos[p].time);
    return PR_OK;
}

pr_status pr_cue_pairs_run(const pr_face_labels *truth, const pr_cue_pairs_params *params,
                           pr_cue_pairs_result **out)
{
    pr_pool *pool = NULL;
    pr_eigenfaces *model = NULL;
    pr_cue_ctx c;
    memset(&c, 0, sizeof c);
    c.ep = pr_eigenfaces_params_default();
    c.ep.equalize = params->equalize;
    c.body_mask = params->body_mask;
    pr_cue_pairs_result *r = (pr_cue_pairs_result *)pr_calloc(1, sizeof *r);
    pr_status st = r ? pr_pool_new(params->threads, &pool)
                     : pr_set_error(PR_ERR_NOMEM, "eval pairs: out of memory");
    if (st == PR_OK) {
        r->threads = pr_pool_size(pool);
        pr_blas_set_threads(1); /* the pool parallelises over photos and pairs */
        st = ctx_alloc(&c, truth, r->threads);
    }
    if (st == PR_OK)
        st = open_nets(&c, params, r->threads);
    if (st == PR_OK)
        st = extract(&c, pool, r);
    if (st == PR_OK)
        st = events(&c);
    const double t0 = pr_now_seconds();
    if (st == PR_OK)
        st = eigenfaces(&c, params->components, &model, &r->eigen_components);
    r->eigen_train_seconds = pr_now_seconds() - t0;
    if (st == PR_OK)
        st = score_pairs(&c, pool, model, r->eigen_components, r);
    if (st == PR_OK) {
        r->photos = c.nphotos;
        r->instances = c.n;
        rates(&c, r->threads, r);
    }
    ctx_free(&c);
    pr_eigenfaces_delete(model);
    pr_pool_delete(pool);
    if (st != PR_OK) {
        pr_cue_pairs_result_delete(r);
        r = NULL;
    }
    *out = r;
    return st;
}

void pr_cue_pairs_result_delete(pr_cue_pairs_result *result)
{
    if (!result)
        return;
    pr_free(result->cues);
    pr_free(result);
}

pr_status pr_cue_pairs_write_json(FILE *out, const char *truth_name,
                                  const pr_cue_pairs_params *params,
                                  const pr_cue_pairs_result *r)
{
    pr_json w = pr_json_begin(out, 0);
    pr_json_object(&w);
    pr_json_kv_str(&w, "truth", truth_name);
    pr_json_kv_int(&w, "photos", r->photos);
    pr_json_kv_int(&w, "photos_with_time", r->photos_with_time);
    pr_json_kv_int(&w, "instances", r->instances);
    pr_json_kv_int(&w, "pairs", (long long)r->pairs);
    pr_json_kv_int(&w, "same_pairs", r->same_pairs);
    pr_json_kv_int(&w, "same_photo_pairs", r->same_photo_pairs);
    pr_json_kv_str(&w, "face_boxes", "truth");
    pr_json_kv_str(&w, "body", params->body_mask ? "mask" : "prior");
    pr_json_kv_int(&w, "eigen_components", r->eigen_components);
    pr_json_kv_bool(&w, "eigen_equalize", params->equalize);
    pr_json_kv_int(&w, "threads", r->threads);
    pr_json_key(&w, "cues");
    pr_json_array(&w);
    for (int cu = 0; cu < r->n_cues; cu++) {
        const pr_cue_pairs_cue *q = &r->cues[cu];
        pr_json_object(&w);
        pr_json_kv_str(&w, "cue", q->name);
        pr_json_kv_num(&w, "auc", q->all.auc);
        pr_json_kv_num(&w, "eer", q->all.eer);
        pr_json_kv_int(&w, "positives", q->all.positives);
        pr_json_kv_int(&w, "negatives", q->all.negatives);
        pr_json_kv_int(&w, "no_cue", q->all.skipped);
        pr_json_kv_num(&w, "cross_photo_auc", q->cross_photo.auc);
        pr_json_kv_num(&w, "cross_photo_eer", q->cross_photo.eer);
        pr_json_kv_int(&w, "cross_photo_pairs", q->cross_photo.positives + q->cross_photo.negatives);
        pr_json_end(&w);
    }
    pr_json_end(&w);
    pr_json_key(&w, "timing");
    pr_json_object(&w);
    pr_json_kv_num(&w, "extract_seconds", r->extract_seconds);
    pr_json_kv_num(&w, "eigen_train_seconds", r->eigen_train_seconds);
    pr_json_kv_num(&w, "pairs_seconds", r->pairs_seconds);
    for (int t = 0; t < T_COUNT; t++) {
        char key[64];
        snprintf(key, sizeof key, "%s_per_second", timing_names[t]);
        pr_json_kv_num(&w, key, r->per_second[t]);
    }
    pr_json_end(&w);
    pr_json_end(&w);
    return pr_json_finish(&w);
}

void pr_cue_pairs_write_text(FILE *out, const char *truth_name, const pr_cue_pairs_params *params,
                             const pr_cue_pairs_result *r)
{
    fprintf(out,
            "truth %s: %d photos (%d with capture time), %d named instances, %zu pairs (%ld "
            "same person, %ld within one photo)\nface boxes: truth; body: %s; eigenfaces: %d "
            "components trained on these faces\n\n"
            "%-30s %8s %8s %9s %8s %8s %8s\n"
            "(-x: only pairs from different photos; same-photo pairs are always different\n"
            "people and clustering settles them with the cannot-link constraint)\n",
            truth_name, r->photos, r->photos_with_time, r->instances, r->pairs, r->same_pairs,
            r->same_photo_pairs,
            params->body_mask ? "segmentation mask (segment/body.h)"
                              : "prior box (3 face widths x 4 face heights below the face)",
            r->eigen_components, "cue", "AUC", "EER", "pairs", "no-cue", "AUC-x", "EER-x");
    for (int cu = 0; cu < r->n_cues; cu++) {
        const pr_cue_pairs_cue *q = &r->cues[cu];
        fprintf(out, "%-30s %8.4f %8.4f %9ld %8ld %8.4f %8.4f\n", q->name, q->all.auc, q->all.eer,
                q->all.positives + q->all.negatives, q->all.skipped, q->cross_photo.auc,
                q->cross_photo.eer);
    }
    fprintf(out,
            "\nspeed (%d threads): extraction %.2f s for %d photos, eigen training %.2f s, "
            "%zu pairs scored in %.2f s\n",
            r->threads, r->extract_seconds, r->photos, r->eigen_train_seconds, r->pairs,
            r->pairs_seconds);
    for (int t = 0; t < T_COUNT; t++)
        fprintf(out, "  %-20s %10.1f %s/s\n", timing_names[t], r->per_second[t],
                t == T_LOAD ? "photos" : "instances");
}

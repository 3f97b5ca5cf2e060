/* requires: core features datasets eval
 * personrec eval pairs: how well each cue tells two people apart, as ROC AUC and EER over all
 * same-person / different-person pairs of the truth's named face instances. */
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/image.h"
#include "core/json.h"
#include "core/progress.h"
#include "core/threadpool.h"
#include "datasets/face_labels.h"
#include "eval/roc.h"
#include "features/blas.h"
#include "features/body.h"
#include "features/color_hist.h"
#include "features/context.h"
#include "features/eigenfaces.h"
#include "features/person.h"
#include "features/sift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_pairs = {
    "eval pairs",
    "per-cue ROC AUC / EER over same- vs different-person pairs of a truth file",
    "usage: personrec eval pairs --truth FILE [options]\n"
    "\n"
    "Every named face of the truth file (not `unknown`) is one instance; its face box is the\n"
    "truth box (no detection), its body the segmentation mask below the face (--body mask, the\n"
    "default where segment/ is built) or the prior box (--body prior). Each cue's distance is\n"
    "scored over all pairs of instances (same person = positive) and reported as ROC AUC and\n"
    "equal error rate; the clothing cue is also scored over same-event pairs only. Eigenfaces are\n"
    "trained on the instances' own faces (unsupervised, as in the album). Also prints how many\n"
    "instances per second each cue is extracted at.\n"
    "\n"
    "options:\n"
    "  --truth FILE      face labels with names (CSV, XML, .picasa.ini, folder)\n"
    "  --body SOURCE     prior | mask: the body region (default: as pr_person_params_default)\n"
    "  --threads N       worker threads (default: all cores)\n"
    "  --components N    eigenfaces kept (default 50)\n"
    "  --equalize        histogram-equalise the eigenface crops\n"
    "  --json            one JSON object\n",
    run,
};

enum {
    H_SPACES = PR_COLOR_SPACE_COUNT,
};

typedef struct inst {
    size_t label;       /* index in the label set */
    int photo;          /* index into photos */
    const char *person; /* borrowed from the label set */
    pr_color_hist body[H_SPACES];
    pr_color_hist band[H_SPACES];
    pr_color_hist background;
    pr_sift_set *sift_face, *sift_body;
    float *row;         /* eigenface input, NULL = too small */
    float *coeff;
} inst;

typedef struct photo {
    size_t first_label; /* labels of this photo: sorted order [first, first + count) */
    int count;
    double time;
    int event;
} photo;

enum { T_BODY, T_BAND, T_BACKGROUND, T_SIFT_FACE, T_SIFT_BODY, T_EIGEN, T_MASK, T_LOAD, T_COUNT };
static const char *const timing_names[T_COUNT] = {"body_hist_3spaces", "band_hist_3spaces",
                                                  "background_hist", "sift_face", "sift_body",
                                                  "eigen_preprocess", "body_mask", "image_load"};

typedef struct ctx {
    const pr_face_labels *set;
    size_t *order;   /* label indices sorted by image */
    photo *photos;
    inst *insts;
    int *inst_of_label; /* -1 = not an instance */
    pr_eigenfaces_params ep;
    int body_mask;   /* 1 = segmentation masks, 0 = prior boxes */
    double (*timing)[T_COUNT]; /* per worker */
    int *failed;     /* per photo: 1 = could not load */
    pr_progress *progress;
} ctx;

static int is_instance(const pr_face_label *l)
{
    return l->person && *l->person && strcmp(l->person, "unknown") != 0;
}

static void photo_job(void *vctx, long index, int worker)
{
    ctx *c = (ctx *)vctx;
    photo *ph = &c->photos[index];
    double *tm = c->timing[worker];
    char path[4096];
    size_t first = c->order[ph->first_label];
    pr_image *img = NULL;
    pr_image_info info;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    double t0 = pr_now_seconds();
    if (pr_face_labels_image_path(c->set, first, path, sizeof path) != PR_OK ||
        pr_image_load(path, &lp, &img, &info) != PR_OK) {
        fprintf(stderr, "personrec eval pairs: %s\n", pr_last_error());
        c->failed[index] = 1;
        pr_progress_step(c->progress, 1);
        return;
    }
    tm[T_LOAD] += pr_now_seconds() - t0;
    double secs;
    ph->time = info.has_datetime && pr_exif_time_seconds(info.datetime, &secs) == 0 ? secs : NAN;
    /* Body masks of every face (named or not) of the photo, so neighbours split overlaps. */
    enum { MAXF = 64 };
    int nf = ph->count < MAXF ? ph->count : MAXF;
    pr_box fboxes[MAXF];
    pr_image *masks[MAXF] = {NULL};
    const uint8_t *mdata[MAXF] = {NULL};
    size_t mstride[MAXF] = {0};
    for (int k = 0; k < nf; k++)
        fboxes[k] = c->set->items[c->order[ph->first_label + k]].box;
    if (c->body_mask) {
        t0 = pr_now_seconds();
        if (pr_body_segment_masks(img, fboxes, nf, masks) != PR_OK) {
            fprintf(stderr, "personrec eval pairs: %s: %s\n", path, pr_last_error());
            c->failed[index] = 1;
            pr_image_delete(img);
            pr_progress_step(c->progress, 1);
            return;
        }
        for (int k = 0; k < nf; k++) {
            mdata[k] = masks[k]->data;
            mstride[k] = masks[k]->stride;
        }
        tm[T_MASK] += pr_now_seconds() - t0;
    }
    /* Background: outside every face band of the photo, every prior box and every mask (as
     * pr_person_extract_photo does). */
    pr_box exclude[2 * MAXF];
    int nex = 0;
    for (int k = 0; k < nf; k++) {
        exclude[nex++] = pr_face_band_box(fboxes[k], img->width, img->height);
        exclude[nex++] = pr_body_prior_box(fboxes[k], img->width, img->height, NULL);
    }
    pr_color_hist bg;
    pr_color_hist_params hsv = pr_color_hist_params_for(PR_COLOR_HSV);
    t0 = pr_now_seconds();
    pr_background_hist_masks(img, exclude, nex, mdata, mstride, c->body_mask ? nf : 0, &hsv, &bg);
    tm[T_BACKGROUND] += pr_now_seconds() - t0;
    pr_sift_params sf = pr_sift_params_default(), sb = pr_sift_params_default();
    sb.target_size = 256;
    for (int k = 0; k < ph->count; k++) {
        size_t li = c->order[ph->first_label + k];
        int ii = c->inst_of_label[li];
        if (ii < 0)
            continue;
        inst *in = &c->insts[ii];
        pr_box face = c->set->items[li].box;
        pr_box body = pr_body_prior_box(face, img->width, img->height, NULL);
        const uint8_t *bm = k < nf ? mdata[k] : NULL;
        size_t bs = k < nf ? mstride[k] : 0;
        if (bm)
            body = pr_mask_bounds(bm, bs, img->width, img->height, NULL);
        pr_box band = pr_face_band_box(face, img->width, img->height);
        in->background = bg;
        t0 = pr_now_seconds();
        for (int s = 0; s < H_SPACES; s++) {
            pr_color_hist_params hp = pr_color_hist_params_for((pr_color_space)s);
            pr_color_hist_compute(img, body, bm, bs, &hp, &in->body[s]);
        }
        double t1 = pr_now_seconds();
        tm[T_BODY] += t1 - t0;
        for (int s = 0; s < H_SPACES; s++) {
            pr_color_hist_params hp = pr_color_hist_params_for((pr_color_space)s);
            pr_color_hist_compute(img, band, NULL, 0, &hp, &in->band[s]);
        }
        double t2 = pr_now_seconds();
        tm[T_BAND] += t2 - t1;
        if (pr_sift_extract(img, face, NULL, 0, &sf, &in->sift_face) != PR_OK)
            in->sift_face = NULL;
        double t3 = pr_now_seconds();
        tm[T_SIFT_FACE] += t3 - t2;
        if (pr_sift_extract(img, body, bm, bs, &sb, &in->sift_body) != PR_OK)
            in->sift_body = NULL;
        double t4 = pr_now_seconds();
        tm[T_SIFT_BODY] += t4 - t3;
        in->row = (float *)pr_malloc_array((size_t)c->ep.width * c->ep.height, sizeof(float));
        if (in->row && pr_eigenfaces_preprocess(img, &face, &c->ep, in->row) != PR_OK) {
            pr_free(in->row);
            in->row = NULL;
        }
        tm[T_EIGEN] += pr_now_seconds() - t4;
    }
    for (int k = 0; k < nf; k++)
        pr_image_delete(masks[k]);
    pr_image_delete(img);
    pr_progress_step(c->progress, 1);
}

/* Cues scored over pairs. */
enum { C_EIGEN_L2, C_EIGEN_COS, C_EIGEN_WCOS, C_SIFT_FACE, C_SIFT_BODY, C_SAME_EVENT,
       C_BACKGROUND, C_BAND0, /* + space */
       C_BODY0 = C_BAND0 + H_SPACES, /* + space * 3 + metric */
       C_BODY_SAME_EVENT0 = C_BODY0 + H_SPACES * PR_HIST_DISTANCE_COUNT, /* + space (chi2) */
       C_COUNT = C_BODY_SAME_EVENT0 + H_SPACES };

typedef struct pair_ctx {
    const inst *insts;
    const photo *photos;
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
    const inst *a = &c->insts[i];
    for (int j = (int)i + 1; j < c->n; j++) {
        const inst *b = &c->insts[j];
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
                                        "background_hsv_chi2"};
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

static const pr_face_labels *sort_set;
static int by_image(const void *pa, const void *pb)
{
    size_t a = *(const size_t *)pa, b = *(const size_t *)pb;
    int r = strcmp(sort_set->items[a].image, sort_set->items[b].image);
    if (r)
        return r;
    return a < b ? -1 : a > b;
}

static int run(int argc, char **argv)
{
    const char *truth = NULL, *body = NULL;
    int threads = 0, components = 50, eq = 0, json = 0;
    const pr_option opts[] = {
        {"truth", PR_OPT_STRING, &truth},
        {"body", PR_OPT_STRING, &body},
        {"threads", PR_OPT_INT, &threads},
        {"components", PR_OPT_INT, &components},
        {"equalize", PR_OPT_FLAG, &eq},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int npos = 0;
    int rc = pr_cli_parse(&pr_cmd_eval_pairs, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (!truth)
        return pr_cli_usage_error(&pr_cmd_eval_pairs, "--truth is required");
    if (npos > 0)
        return pr_cli_usage_error(&pr_cmd_eval_pairs, "unexpected argument %s", argv[1]);
    if (components < 1 || threads < 0)
        return pr_cli_usage_error(&pr_cmd_eval_pairs, "option out of range");
    int body_mask = pr_person_params_default().body_segment && pr_body_segment_available();
    if (body && strcmp(body, "prior") == 0)
        body_mask = 0;
    else if (body && strcmp(body, "mask") == 0)
        body_mask = 1;
    else if (body)
        return pr_cli_usage_error(&pr_cmd_eval_pairs, "--body must be prior or mask");
    if (body_mask && !pr_body_segment_available()) {
        fprintf(stderr, "personrec eval pairs: --body mask: built without segment/\n");
        return PR_EXIT_FAIL;
    }

    int status = PR_EXIT_FAIL;
    pr_face_labels *set = NULL;
    pr_pool *pool = NULL;
    ctx c;
    memset(&c, 0, sizeof c);
    int nphotos = 0, n = 0, nrows = 0;
    float *rows = NULL;
    pr_eigenfaces *model = NULL;
    pair_ctx pc;
    memset(&pc, 0, sizeof pc);
    double *masked = NULL;
    if (pr_face_labels_load(truth, &set) != PR_OK) {
        pr_cli_report_error(truth);
        return PR_EXIT_FAIL;
    }
    size_t nl = set->count;
    c.set = set;
    c.ep = pr_eigenfaces_params_default();
    c.ep.equalize = eq;
    c.body_mask = body_mask;
    c.order = (size_t *)pr_malloc_array(nl ? nl : 1, sizeof(size_t));
    c.photos = (photo *)pr_calloc(nl ? nl : 1, sizeof(photo));
    c.inst_of_label = (int *)pr_malloc_array(nl ? nl : 1, sizeof(int));
    c.insts = (inst *)pr_calloc(nl ? nl : 1, sizeof(inst));
    c.failed = (int *)pr_calloc(nl ? nl : 1, sizeof(int));
    if (!c.order || !c.photos || !c.inst_of_label || !c.insts || !c.failed ||
        pr_pool_new(threads, &pool) != PR_OK) {
        fprintf(stderr, "personrec eval pairs: out of memory\n");
        goto done;
    }
    int nthreads = pr_pool_size(pool);
    pr_blas_set_threads(1); /* the pool parallelises over photos and pairs */
    c.timing = (double (*)[T_COUNT])pr_calloc((size_t)nthreads, sizeof *c.timing);
    if (!c.timing)
        goto done;
    for (size_t i = 0; i < nl; i++)
        c.order[i] = i;
    sort_set = set;
    qsort(c.order, nl, sizeof *c.order, by_image);
    for (size_t r = 0; r < nl; r++) {
        size_t li = c.order[r];
        if (r == 0 || strcmp(set->items[li].image, set->items[c.order[r - 1]].image) != 0) {
            c.photos[nphotos].first_label = r;
            c.photos[nphotos].time = NAN;
            nphotos++;
        }
        c.photos[nphotos - 1].count++;
        c.inst_of_label[li] = -1;
        if (is_instance(&set->items[li])) {
            c.inst_of_label[li] = n;
            c.insts[n].label = li;
            c.insts[n].photo = nphotos - 1;
            c.insts[n].person = set->items[li].person;
            n++;
        }
    }
    double t_start = pr_now_seconds();
    pr_progress_new("eval pairs: photos", "photos", nphotos, PR_PROGRESS_AUTO, &c.progress);
    pr_pool_for(pool, nphotos, photo_job, &c);
    pr_progress_delete(c.progress);
    c.progress = NULL;
    double t_extract = pr_now_seconds() - t_start;
    for (int p = 0; p < nphotos; p++)
        if (c.failed[p])
            goto done;
    /* Events over the photos' capture times. */
    {
        double *times = (double *)pr_malloc_array((size_t)(nphotos ? nphotos : 1), sizeof(double));
        int *ev = (int *)pr_malloc_array((size_t)(nphotos ? nphotos : 1), sizeof(int));
        if (!times || !ev) {
            pr_free(times);
            pr_free(ev);
            goto done;
        }
        for (int p = 0; p < nphotos; p++)
            times[p] = c.photos[p].time;
        pr_events_from_times(times, nphotos, NULL, ev, NULL);
        for (int p = 0; p < nphotos; p++)
            c.photos[p].event = ev[p];
        pr_free(times);
        pr_free(ev);
    }
    /* Eigenfaces from the instances' own faces. */
    int dim = c.ep.width * c.ep.height;
    rows = (float *)pr_malloc_array((size_t)(n ? n : 1) * dim, sizeof(float));
    if (!rows)
        goto done;
    for (int i = 0; i < n; i++)
        if (c.insts[i].row)
            memcpy(rows + (size_t)nrows++ * dim, c.insts[i].row, sizeof(float) * dim);
    double t_eig = pr_now_seconds();
    pr_eigenfaces_params tp = c.ep;
    tp.components = components;
    if (nrows >= 2 && pr_eigenfaces_train(&tp, rows, nrows, dim, &model) == PR_OK) {
        pc.k = pr_eigenfaces_components(model);
        for (int i = 0; i < n; i++)
            if (c.insts[i].row) {
                c.insts[i].coeff = (float *)pr_malloc_array((size_t)pc.k, sizeof(float));
                if (c.insts[i].coeff)
                    pr_eigenfaces_project(model, c.insts[i].row, c.insts[i].coeff);
            }
    }
    t_eig = pr_now_seconds() - t_eig;
    /* Pairs. */
    pc.insts = c.insts;
    pc.photos = c.photos;
    pc.n = n;
    pc.model = model;
    pc.npairs = n > 1 ? (size_t)n * (size_t)(n - 1) / 2 : 0;
    pc.scores = (double *)pr_malloc_array((pc.npairs ? pc.npairs : 1) * C_COUNT, sizeof(double));
    pc.labels = (int *)pr_malloc_array(pc.npairs ? pc.npairs : 1, sizeof(int));
    pc.same_photo = (unsigned char *)pr_malloc(pc.npairs ? pc.npairs : 1);
    masked = (double *)pr_malloc_array(pc.npairs ? pc.npairs : 1, sizeof(double));
    if (!pc.scores || !pc.labels || !pc.same_photo || !masked)
        goto done;
    double t_pairs = pr_now_seconds();
    pr_pool_for(pool, n, pair_job, &pc);
    t_pairs = pr_now_seconds() - t_pairs;
    long same = 0, with_time = 0, same_photo = 0;
    for (size_t p = 0; p < pc.npairs; p++) {
        same += pc.labels[p];
        same_photo += pc.same_photo[p];
    }
    for (int p = 0; p < nphotos; p++)
        with_time += isfinite(c.photos[p].time);
    if (json) {
        printf("{\"truth\":");
        pr_json_string(stdout, truth);
        printf(",\"photos\":%d,\"photos_with_time\":%ld,\"instances\":%d,\"pairs\":%zu,"
               "\"same_pairs\":%ld,\"same_photo_pairs\":%ld,\"face_boxes\":\"truth\",\"body\":\"%s\","
               "\"eigen_components\":%d,\"eigen_equalize\":%s,\"threads\":%d,\"cues\":[",
               nphotos, with_time, n, pc.npairs, same, same_photo, body_mask ? "mask" : "prior",
               pc.k, eq ? "true" : "false", nthreads);
    } else {
        printf("truth %s: %d photos (%ld with capture time), %d named instances, %zu pairs (%ld "
               "same person, %ld within one photo)\nface boxes: truth; body: %s; eigenfaces: %d "
               "components trained on these faces\n\n"
               "%-30s %8s %8s %9s %8s %8s %8s\n"
               "(-x: only pairs from different photos; same-photo pairs are always different\n"
               "people and clustering settles them with the cannot-link constraint)\n",
               truth, nphotos, with_time, n, pc.npairs, same, same_photo,
               body_mask ? "segmentation mask (segment/body.h)"
                         : "prior box (3 face widths x 4 face heights below the face)",
               pc.k, "cue", "AUC",
               "EER", "pairs", "no-cue", "AUC-x", "EER-x");
    }
    for (int cu = 0; cu < C_COUNT; cu++) {
        char name[64];
        cue_name(cu, name, sizeof name);
        pr_roc_result r, x;
        const double *sc = pc.scores + (size_t)cu * pc.npairs;
        pr_roc_compute(sc, pc.labels, pc.npairs, &r);
        for (size_t p = 0; p < pc.npairs; p++)
            masked[p] = pc.same_photo[p] ? NAN : sc[p];
        pr_roc_compute(masked, pc.labels, pc.npairs, &x);
        if (json) {
            printf("%s{\"cue\":\"%s\",\"auc\":", cu ? "," : "", name);
            pr_json_number(stdout, r.auc);
            printf(",\"eer\":");
            pr_json_number(stdout, r.eer);
            printf(",\"positives\":%ld,\"negatives\":%ld,\"no_cue\":%ld,\"cross_photo_auc\":",
                   r.positives, r.negatives, r.skipped);
            pr_json_number(stdout, x.auc);
            printf(",\"cross_photo_eer\":");
            pr_json_number(stdout, x.eer);
            printf(",\"cross_photo_pairs\":%ld}", x.positives + x.negatives);
        } else {
            printf("%-30s %8.4f %8.4f %9ld %8ld %8.4f %8.4f\n", name, r.auc, r.eer,
                   r.positives + r.negatives, r.skipped, x.auc, x.eer);
        }
    }
    double tsum[T_COUNT] = {0};
    for (int w = 0; w < nthreads; w++)
        for (int t = 0; t < T_COUNT; t++)
            tsum[t] += c.timing[w][t];
    /* Instances per second for each cue on `nthreads` workers: per-worker time summed, spread
     * back over the workers. */
    if (json) {
        printf("],\"timing\":{\"extract_seconds\":");
        pr_json_number(stdout, t_extract);
        printf(",\"eigen_train_seconds\":");
        pr_json_number(stdout, t_eig);
        printf(",\"pairs_seconds\":");
        pr_json_number(stdout, t_pairs);
        for (int t = 0; t < T_COUNT; t++) {
            printf(",\"%s_per_second\":", timing_names[t]);
            pr_json_number(stdout, tsum[t] > 0 ? (t == T_LOAD ? nphotos : n) * nthreads / tsum[t]
                                               : NAN);
        }
        printf("}}\n");
    } else {
        printf("\nspeed (%d threads): extraction %.2f s for %d photos, eigen training %.2f s, "
               "%zu pairs scored in %.2f s\n",
               nthreads, t_extract, nphotos, t_eig, pc.npairs, t_pairs);
        for (int t = 0; t < T_COUNT; t++)
            printf("  %-20s %10.1f %s/s\n", timing_names[t],
                   tsum[t] > 0 ? (t == T_LOAD ? nphotos : n) * nthreads / tsum[t] : NAN,
                   t == T_LOAD ? "photos" : "instances");
    }
    status = PR_EXIT_OK;
done:
    if (c.insts)
        for (int i = 0; i < n; i++) {
            pr_sift_set_delete(c.insts[i].sift_face);
            pr_sift_set_delete(c.insts[i].sift_body);
            pr_free(c.insts[i].row);
            pr_free(c.insts[i].coeff);
        }
    pr_free(c.insts);
    pr_free(c.order);
    pr_free(c.photos);
    pr_free(c.inst_of_label);
    pr_free(c.failed);
    pr_free(c.timing);
    pr_free(rows);
    pr_free(pc.scores);
    pr_free(pc.labels);
    pr_free(pc.same_photo);
    pr_free(masked);
    pr_eigenfaces_delete(model);
    pr_pool_delete(pool);
    pr_face_labels_delete(set);
    return status;
}

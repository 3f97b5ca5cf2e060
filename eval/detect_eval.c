/* Detection P/R/AP (see detect_eval.h for the protocol). Average precision follows PASCAL VOC
 * 2010+ (Everingham et al., "The PASCAL Visual Object Classes Challenge", IJCV 2010): precision
 * made monotone from the right, then summed over the recall steps, no 11-point sampling, so small
 * truth sets (dlib_faces has 43 faces) are not quantised. Detections with equal scores are taken
 * as one threshold step: a curve point between them would depend on input order. */
#define _XOPEN_SOURCE 700 /* realpath */
#include "eval/detect_eval.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/fileio.h"
#include "core/json.h"

#include <stdlib.h>
#include <string.h>

typedef struct scored {
    double score;
    int tp; /* 1 true positive, 0 false positive */
} scored;

struct pr_detect_eval {
    pr_detect_eval_params params;
    scored *dets; /* every judged (non-ignored) detection of every image */
    size_t ndets, capdets;
    long truth, ignored, images;
};

pr_detect_eval_params pr_detect_eval_params_default(void)
{
    pr_detect_eval_params p = {0.5, "unknown"};
    return p;
}

pr_status pr_detect_eval_new(const pr_detect_eval_params *params, pr_detect_eval **out)
{
    if (!params || !out)
        return pr_set_error(PR_ERR_ARG, "pr_detect_eval_new: NULL argument");
    *out = NULL;
    if (!(params->iou > 0 && params->iou <= 1))
        return pr_set_error(PR_ERR_ARG, "IoU threshold %g outside (0, 1]", params->iou);
    pr_detect_eval *ev = (pr_detect_eval *)pr_calloc(1, sizeof *ev);
    if (!ev)
        return pr_set_error(PR_ERR_NOMEM, "out of memory for an evaluator");
    ev->params = *params;
    *out = ev;
    return PR_OK;
}

void pr_detect_eval_delete(pr_detect_eval *ev)
{
    if (!ev)
        return;
    pr_free(ev->dets);
    pr_free(ev);
}

typedef struct order_item {
    double score;
    size_t index;
} order_item;

static int by_score_desc(const void *a, const void *b)
{
    const order_item *x = (const order_item *)a, *y = (const order_item *)b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return x->index < y->index ? -1 : (x->index > y->index);
}

pr_status pr_detect_eval_add_image(pr_detect_eval *ev, const pr_box *truth,
                                   const unsigned char *ignore, size_t ntruth, const pr_box *det,
                                   const double *score, size_t ndet)
{
    if (!ev || (ntruth && !truth) || (ndet && (!det || !score)))
        return pr_set_error(PR_ERR_ARG, "pr_detect_eval_add_image: NULL argument");
    pr_status st = PR_OK;
    order_item *order = NULL;
    unsigned char *taken = NULL;
    if (ndet) {
        order = (order_item *)pr_malloc_array(ndet, sizeof *order);
        taken = (unsigned char *)pr_calloc(ntruth ? ntruth : 1, 1);
        if (!order || !taken) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory matching %zu detections", ndet);
            goto fail;
        }
        if (ev->ndets + ndet > ev->capdets) {
            size_t cap = ev->capdets ? ev->capdets : 256;
            while (cap < ev->ndets + ndet)
                cap *= 2;
            scored *d = (scored *)pr_realloc(ev->dets, cap * sizeof *d);
            if (!d) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory for %zu detections", cap);
                goto fail;
            }
            ev->dets = d;
            ev->capdets = cap;
        }
    }
    for (size_t i = 0; i < ndet; i++) {
        order[i].score = score[i];
        order[i].index = i;
    }
    if (ndet > 1)
        qsort(order, ndet, sizeof *order, by_score_desc);
    for (size_t k = 0; k < ndet; k++) {
        pr_box d = det[order[k].index];
        double best = 0;
        size_t best_t = (size_t)-1;
        int on_ignore = 0;
        for (size_t t = 0; t < ntruth; t++) {
            double iou = pr_box_iou(d, truth[t]);
            if (iou < ev->params.iou)
                continue;
            if (ignore && ignore[t]) {
                on_ignore = 1;
                continue;
            }
            if (!taken[t] && iou > best) {
                best = iou;
                best_t = t;
            }
        }
        if (best_t != (size_t)-1) {
            taken[best_t] = 1;
            ev->dets[ev->ndets].score = order[k].score;
            ev->dets[ev->ndets++].tp = 1;
        } else if (on_ignore) {
            ev->ignored++;
        } else {
            ev->dets[ev->ndets].score = order[k].score;
            ev->dets[ev->ndets++].tp = 0;
        }
    }
    for (size_t t = 0; t < ntruth; t++)
        if (!(ignore && ignore[t]))
            ev->truth++;
    ev->images++;
fail:
    pr_free(order);
    pr_free(taken);
    return st;
}

/* Image path of label i joined with its set's base_dir, into buf. */
static pr_status label_path(const pr_face_labels *set, size_t i, char *buf, size_t size)
{
    return pr_face_labels_image_path(set, i, buf, size);
}

typedef struct path_index {
    char *path;
    size_t label;
} path_index;

static int by_path(const void *a, const void *b)
{
    const path_index *x = (const path_index *)a, *y = (const path_index *)b;
    int c = strcmp(x->path, y->path);
    if (c)
        return c;
    return x->label < y->label ? -1 : (x->label > y->label);
}

/* All labels of a set, sorted by resolved image path (caller frees with free_index). */
static pr_status build_index(const pr_face_labels *set, path_index **out)
{
    *out = NULL;
    if (!set->count)
        return PR_OK;
    path_index *idx = (path_index *)pr_calloc(set->count, sizeof *idx);
    if (!idx)
        return pr_set_error(PR_ERR_NOMEM, "out of memory indexing %zu labels", set->count);
    char buf[4096], *real = NULL;
    for (size_t i = 0; i < set->count; i++) {
        pr_status st = label_path(set, i, buf, sizeof buf);
        /* Truth and predictions may spell one file differently ("a/./b.jpg", relative to other
         * folders): compare canonical paths where the file exists. */
        if (st == PR_OK && (real = realpath(buf, NULL)) != NULL) {
            if (strlen(real) < sizeof buf)
                memcpy(buf, real, strlen(real) + 1);
            free(real); /* realpath allocates with malloc */
        }
        if (st == PR_OK && !(idx[i].path = pr_strdup(buf)))
            st = pr_set_error(PR_ERR_NOMEM, "out of memory indexing labels");
        if (st != PR_OK) {
            for (size_t k = 0; k < i; k++)
                pr_free(idx[k].path);
            pr_free(idx);
            return st;
        }
        idx[i].label = i;
    }
    qsort(idx, set->count, sizeof *idx, by_path);
    *out = idx;
    return PR_OK;
}

static void free_index(path_index *idx, size_t n)
{
    if (!idx)
        return;
    for (size_t i = 0; i < n; i++)
        pr_free(idx[i].path);
    pr_free(idx);
}

pr_status pr_detect_eval_add_labels(pr_detect_eval *ev, const pr_face_labels *truth,
                                    const pr_face_labels *pred)
{
    if (!ev || !truth || !pred)
        return pr_set_error(PR_ERR_ARG, "pr_detect_eval_add_labels: NULL argument");
    path_index *ti = NULL, *pi = NULL;
    pr_box *tb = NULL, *pb = NULL;
    unsigned char *tig = NULL;
    double *ps = NULL;
    pr_status st;
    if ((st = build_index(truth, &ti)) != PR_OK || (st = build_index(pred, &pi)) != PR_OK)
        goto fail;
    tb = (pr_box *)pr_malloc_array(truth->count + 1, sizeof *tb);
    tig = (unsigned char *)pr_malloc(truth->count + 1);
    pb = (pr_box *)pr_malloc_array(pred->count + 1, sizeof *pb);
    ps = (double *)pr_malloc_array(pred->count + 1, sizeof *ps);
    if (!tb || !tig || !pb || !ps) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory for labels");
        goto fail;
    }
    size_t p = 0;
    for (size_t t = 0; t < truth->count;) {
        const char *image = ti[t].path;
        size_t nt = 0, np = 0;
        for (; t < truth->count && strcmp(ti[t].path, image) == 0; t++, nt++) {
            const pr_face_label *l = &truth->items[ti[t].label];
            tb[nt] = l->box;
            tig[nt] = ev->params.ignore_name && l->person &&
                      strcmp(l->person, ev->params.ignore_name) == 0;
        }
        while (p < pred->count && strcmp(pi[p].path, image) < 0)
            p++;
        for (; p < pred->count && strcmp(pi[p].path, image) == 0; p++, np++) {
            const pr_face_label *l = &pred->items[pi[p].label];
            pb[np] = l->box;
            ps[np] = l->score;
        }
        if ((st = pr_detect_eval_add_image(ev, tb, tig, nt, pb, ps, np)) != PR_OK)
            goto fail;
    }
fail:
    free_index(ti, truth->count);
    free_index(pi, pred->count);
    pr_free(tb);
    pr_free(tig);
    pr_free(pb);
    pr_free(ps);
    return st;
}

static int scored_desc(const void *a, const void *b)
{
    const scored *x = (const scored *)a, *y = (const scored *)b;
    if (x->score != y->score)
        return x->score < y->score ? 1 : -1;
    return y->tp - x->tp;
}

/* Sorted copy of the judged detections (caller frees). */
static pr_status sorted_dets(const pr_detect_eval *ev, scored **out)
{
    *out = NULL;
    if (!ev->ndets)
        return PR_OK;
    scored *s = (scored *)pr_malloc_array(ev->ndets, sizeof *s);
    if (!s)
        return pr_set_error(PR_ERR_NOMEM, "out of memory sorting detections");
    memcpy(s, ev->dets, ev->ndets * sizeof *s);
    qsort(s, ev->ndets, sizeof *s, scored_desc);
    *out = s;
    return PR_OK;
}

/* One point of the P/R curve per distinct score (ties form one step), highest score first. */
typedef struct curve_point {
    double score;
    long tp, fp;
} curve_point;

static pr_status curve_points(const pr_detect_eval *ev, curve_point **out, size_t *n)
{
    scored *s = NULL;
    *out = NULL;
    *n = 0;
    pr_status st = sorted_dets(ev, &s);
    if (st != PR_OK)
        return st;
    curve_point *pts = (curve_point *)pr_malloc_array(ev->ndets ? ev->ndets : 1, sizeof *pts);
    if (!pts) {
        pr_free(s);
        return pr_set_error(PR_ERR_NOMEM, "out of memory for the P/R curve");
    }
    long tp = 0, fp = 0;
    for (size_t i = 0; i < ev->ndets; i++) {
        if (s[i].tp)
            tp++;
        else
            fp++;
        if (i + 1 < ev->ndets && s[i + 1].score == s[i].score)
            continue;
        pts[*n].score = s[i].score;
        pts[*n].tp = tp;
        pts[*n].fp = fp;
        (*n)++;
    }
    pr_free(s);
    *out = pts;
    return PR_OK;
}

/* Area under the interpolated curve: the monotone precision envelope over recall. */
static pr_status average_precision(const pr_detect_eval *ev, double *ap)
{
    curve_point *pts = NULL;
    size_t npts = 0;
    *ap = 0;
    if (!ev->truth || !ev->ndets)
        return PR_OK;
    pr_status st = curve_points(ev, &pts, &npts);
    double *prec = st == PR_OK ? (double *)pr_malloc_array(npts, sizeof *prec) : NULL;
    if (st == PR_OK && !prec)
        st = pr_set_error(PR_ERR_NOMEM, "out of memory for the P/R curve");
    if (st != PR_OK) {
        pr_free(pts);
        return st;
    }
    for (size_t i = 0; i < npts; i++)
        prec[i] = (double)pts[i].tp / (double)(pts[i].tp + pts[i].fp);
    for (size_t i = npts - 1; i > 0; i--)
        if (prec[i - 1] < prec[i])
            prec[i - 1] = prec[i];
    double last_rec = 0;
    for (size_t i = 0; i < npts; i++) {
        const double rec = (double)pts[i].tp / (double)ev->truth;
        *ap += (rec - last_rec) * prec[i];
        last_rec = rec;
    }
    pr_free(prec);
    pr_free(pts);
    return PR_OK;
}

pr_status pr_detect_eval_summary(const pr_detect_eval *ev, pr_detect_eval_result *out)
{
    if (!ev || !out)
        return pr_set_error(PR_ERR_ARG, "pr_detect_eval_summary: NULL argument");
    memset(out, 0, sizeof *out);
    for (size_t i = 0; i < ev->ndets; i++) {
        if (ev->dets[i].tp)
            out->tp++;
        else
            out->fp++;
    }
    out->truth = ev->truth;
    out->fn = ev->truth - out->tp;
    out->ignored = ev->ignored;
    out->images = ev->images;
    out->precision = out->tp + out->fp ? (double)out->tp / (double)(out->tp + out->fp) : 0;
    out->recall = ev->truth ? (double)out->tp / (double)ev->truth : 0;
    out->f1 = out->precision + out->recall > 0
                  ? 2 * out->precision * out->recall / (out->precision + out->recall)
                  : 0;
    return average_precision(ev, &out->ap);
}

pr_status pr_detect_eval_write_curve(const pr_detect_eval *ev, FILE *out)
{
    if (!ev || !out)
        return pr_set_error(PR_ERR_ARG, "pr_detect_eval_write_curve: NULL argument");
    curve_point *pts = NULL;
    size_t npts = 0;
    pr_status st = curve_points(ev, &pts, &npts);
    if (st != PR_OK)
        return st;
    static const char *const head[] = {"score", "precision", "recall", "tp", "fp"};
    pr_csv w = pr_csv_to_file(out);
    pr_csv_row(&w, head, 5);
    for (size_t i = 0; i < npts; i++) {
        pr_csv_fieldf(&w, "%.6g", pts[i].score);
        pr_csv_fixed(&w, (double)pts[i].tp / (double)(pts[i].tp + pts[i].fp), 6);
        pr_csv_fixed(&w, ev->truth ? (double)pts[i].tp / (double)ev->truth : 0.0, 6);
        pr_csv_int(&w, pts[i].tp);
        pr_csv_int(&w, pts[i].fp);
        pr_csv_end_row(&w);
    }
    pr_free(pts);
    if (pr_csv_status(&w) != PR_OK)
        return pr_set_error(PR_ERR_IO, "writing the P/R curve failed");
    return PR_OK;
}

static pr_status write_curve_job(FILE *f, const void *ctx, const char *name)
{
    (void)name;
    return pr_detect_eval_write_curve((const pr_detect_eval *)ctx, f);
}

pr_status pr_detect_eval_save_curve(const pr_detect_eval *ev, const char *path)
{
    return pr_file_write_atomic_stream(path, write_curve_job, ev);
}

void pr_detect_eval_write_json(FILE *out, const pr_detect_eval_result *r, double iou,
                               const pr_detect_speed *speed)
{
    pr_json w = pr_json_begin(out, 0);
    pr_json_object(&w);
    pr_json_kv_num(&w, "precision", r->precision);
    pr_json_kv_num(&w, "recall", r->recall);
    pr_json_kv_num(&w, "f1", r->f1);
    pr_json_kv_num(&w, "ap", r->ap);
    pr_json_kv_int(&w, "tp", r->tp);
    pr_json_kv_int(&w, "fp", r->fp);
    pr_json_kv_int(&w, "fn", r->fn);
    pr_json_kv_int(&w, "ignored", r->ignored);
    pr_json_kv_int(&w, "truth", r->truth);
    pr_json_kv_int(&w, "images", r->images);
    pr_json_kv_num(&w, "iou", iou);
    if (speed) {
        pr_json_kv_num(&w, "ms_per_mp", pr_detect_speed_ms_per_mp(speed));
        pr_json_kv_num(&w, "megapixels", speed->megapixels);
    }
    pr_json_end(&w);
    pr_json_finish(&w);
}

void pr_detect_eval_write_text(FILE *out, const pr_detect_eval_result *r, double iou,
                               const pr_detect_speed *speed)
{
    fprintf(out, "images %ld, truth faces %ld, IoU >= %g\n", r->images, r->truth, iou);
    fprintf(out, "precision %.4f  recall %.4f  F1 %.4f  AP %.4f\n", r->precision, r->recall,
            r->f1, r->ap);
    fprintf(out, "tp %ld  fp %ld  fn %ld  ignored %ld\n", r->tp, r->fp, r->fn, r->ignored);
    if (speed)
        fprintf(out, "detector: %.1f ms per megapixel (%.2f MP in %.3f s)\n",
                pr_detect_speed_ms_per_mp(speed), speed->megapixels, speed->seconds);
}

double pr_detect_speed_ms_per_mp(const pr_detect_speed *speed)
{
    return speed->megapixels > 0 ? 1000.0 * speed->seconds / speed->megapixels : 0;
}

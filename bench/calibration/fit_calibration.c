/* fit_calibration: fits the face descriptor's distance -> same-person log-likelihood ratio
 * (cluster/calibration.h) on labelled face sets that are NOT the album being labelled.
 *
 *     fit_calibration [--models DIR] [--align A] [--flip 0|1] [--roll DEG] [--pairs OUT.csv]
 *                     [--descriptors OUT.csv] --out FILE SET...
 *     SET = --boxes LABELS.csv   image,x,y,w,h,person (a box per face, e.g. faceapi_bbt)
 *         | --crops LABELS.csv   path,person (one face per image: the network detector's largest
 *                                face, the whole image where it finds none)
 *
 * Pairs are formed within each set only (two sets may share people under other names). The fit is
 * a logistic regression of "same person" on the Euclidean distance, with each set and each class
 * given equal total weight, so the fitted log-odds is the likelihood ratio at equal priors and no
 * one large set decides it. Written: `descriptor a b lo hi` plus the per-set figures as comments.
 * scripts/fit-calibration runs it over ../shared/datasets. --align (square = face-api's chain;
 * rotated, unclipped, similarity, box) and --flip choose the descriptor's front end
 * (features/face_descriptor.h; default: the product's, pr_face_net_params_default), since the
 * calibration belongs to the descriptor. Printed only
 * (not written): per set, the pair AUC and the balanced log-loss of the fit without that set
 * (leave-one-set-out), to compare front ends (thesis/results/alignment.md). --roll DEG (a test,
 * never for the shipped fit) turns each crop by a fixed pseudo-random angle up to DEG degrees
 * first: the posed sets' faces are level, the album's are not.
 *
 *     fit_calibration --clothing STORE TRUTH.csv --out FILE
 * fits the clothing colour cue ("body": chi-square distance of the clothing histograms) instead.
 * No labelled set other than the album has clothing, so this is fitted on the album's own faces
 * (a store made by `personrec cluster --album DIR --labels TRUTH.csv --save-features STORE`),
 * pairs of two photos within one source folder (the first path component; never across folders),
 * and reported leave-one-source-out: for each folder, the fit on the other folders and its
 * balanced log-loss on the held-out folder (0.693 = no information). The line written is the fit
 * on all folders; the other lines of FILE are kept. */
#define _POSIX_C_SOURCE 200809L
#include "cluster/calibration.h"
#include "core/alloc.h"
#include "core/fileio.h"
#include "core/image.h"
#include "core/path.h"
#include "core/strbuf.h"
#include "datasets/face_labels.h"
#include "detect/detect.h"
#include "features/color_hist.h"
#include "features/face_descriptor.h"
#include "features/person.h"
#include "pipeline/store.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_SETS 16
#define DIM PR_FACE_DESCRIPTOR_DIM

typedef struct face_rec {
    int set;
    char *person; /* owned */
    float desc[DIM];
} face_rec;

typedef struct fit_state {
    pr_face_align align;
    int flip;
    double roll;    /* > 0: each crop turned by a fixed pseudo-random angle in [-roll, roll] deg */
    unsigned rolls; /* crops turned so far (the angle sequence) */
    face_rec *faces;
    int n, cap;
    const char *set_name[MAX_SETS];
    int nsets, fallback[MAX_SETS];
    pr_face_net *net;
    pr_detector *det;
} fit_state;

static int push_face(fit_state *s, int set, const char *person, const float *desc)
{
    if (s->n == s->cap) {
        int cap = s->cap ? 2 * s->cap : 256;
        face_rec *f = realloc(s->faces, sizeof *f * (size_t)cap);
        if (!f)
            return -1;
        s->faces = f;
        s->cap = cap;
    }
    face_rec *r = &s->faces[s->n];
    r->set = set;
    r->person = strdup(person);
    if (!r->person)
        return -1;
    memcpy(r->desc, desc, sizeof r->desc);
    s->n++;
    return 0;
}

/* The largest face the detector finds, or the whole image. */
static pr_box crop_box(fit_state *s, const pr_image *img, int set)
{
    pr_box whole = {0, 0, img->width, img->height};
    pr_faces found;
    memset(&found, 0, sizeof found);
    if (pr_detector_run(s->det, img, &found) != PR_OK || found.count == 0) {
        pr_faces_free(&found);
        s->fallback[set]++;
        return whole;
    }
    pr_box best = found.items[0].box;
    for (size_t i = 1; i < found.count; i++)
        if (found.items[i].box.w * found.items[i].box.h > best.w * best.h)
            best = found.items[i].box;
    pr_faces_free(&found);
    return best;
}

/* --roll: the crop turned in the image plane about its centre (bilinear, black outside), the
 * tilt of faces in real photos that the posed, level calibration sets lack. The angles are a
 * fixed sequence (same faces, same angles, whatever the front end). */
static pr_image *rolled(fit_state *s, const pr_image *img)
{
    s->rolls = s->rolls * 1103515245u + 12345u;
    double t = ((s->rolls >> 8) & 0xffff) / 65535.0; /* 0..1 */
    double a = (2 * t - 1) * s->roll * 3.14159265358979323846 / 180, ca = cos(a), sa = sin(a);
    pr_image *out = NULL;
    if (pr_image_new(img->width, img->height, 3, &out) != PR_OK)
        return NULL;
    double cx = 0.5 * (img->width - 1), cy = 0.5 * (img->height - 1);
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++) {
            double u = x - cx, v = y - cy, sx = ca * u + sa * v + cx, sy = -sa * u + ca * v + cy;
            int x0 = (int)floor(sx), y0 = (int)floor(sy);
            double fx = sx - x0, fy = sy - y0;
            for (int c = 0; c < 3; c++) {
                double acc = 0;
                for (int k = 0; k < 4; k++) {
                    int xx = x0 + (k & 1), yy = y0 + (k >> 1);
                    if (xx >= 0 && yy >= 0 && xx < img->width && yy < img->height)
                        acc += ((k & 1) ? fx : 1 - fx) * ((k >> 1) ? fy : 1 - fy) *
                               pr_image_row(img, yy)[3 * xx + c];
                }
                pr_image_row(out, y)[3 * x + c] = (uint8_t)(acc + 0.5);
            }
        }
    return out;
}

/* Describes one face of an image file (box NULL = crop set). Unreadable images are reported and
 * passed over. */
static int describe_one(fit_state *s, int set, const char *path, const pr_box *box,
                        const char *person)
{
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    pr_image *img = NULL;
    if (pr_image_load(path, &lp, &img, NULL) != PR_OK) {
        fprintf(stderr, "fit_calibration: %s: %s (passed over)\n", path, pr_last_error());
        return 0;
    }
    if (!box && s->roll > 0) {
        pr_image *r = rolled(s, img);
        pr_image_delete(img);
        img = r;
        if (!img) {
            fprintf(stderr, "fit_calibration: %s: out of memory\n", path);
            return -1;
        }
    }
    pr_box b = box ? *box : crop_box(s, img, set);
    float desc[DIM];
    int rc = 0;
    if (pr_face_net_describe(s->net, img, b, NULL, desc) != PR_OK)
        fprintf(stderr, "fit_calibration: %s: %s (passed over)\n", path, pr_last_error());
    else
        rc = push_face(s, set, person, desc);
    pr_image_delete(img);
    return rc;
}

static int load_boxes(fit_state *s, int set, const char *file)
{
    pr_face_labels *labels = NULL;
    if (pr_face_labels_load(file, &labels) != PR_OK) {
        fprintf(stderr, "fit_calibration: %s\n", pr_last_error());
        return -1;
    }
    int rc = 0;
    for (size_t i = 0; i < labels->count && rc == 0; i++) {
        const pr_face_label *l = &labels->items[i];
        if (!l->person || !*l->person || strcmp(l->person, "unknown") == 0)
            continue;
        char *path = pr_path_join_new(labels->base_dir, l->image);
        rc = path ? describe_one(s, set, path, &l->box, l->person) : -1;
        pr_free(path);
    }
    pr_face_labels_delete(labels);
    return rc;
}

/* path,person[,...] with a header line. */
static int load_crops(fit_state *s, int set, const char *file)
{
    char *data = NULL;
    size_t size = 0;
    if (pr_file_read_all(file, 0, &data, &size) != PR_OK) {
        fprintf(stderr, "fit_calibration: %s\n", pr_last_error());
        return -1;
    }
    char *dir = pr_path_dirname(file);
    int rc = dir ? 0 : -1, line = 0;
    for (char *p = data, *next; rc == 0 && p && *p; p = next) {
        next = strchr(p, '\n');
        if (next)
            *next++ = '\0';
        if (line++ == 0 || *p == '#' || !*p)
            continue;
        char *c1 = strchr(p, ',');
        if (!c1)
            continue;
        *c1 = '\0';
        char *person = c1 + 1, *c2 = strpbrk(person, ",\r");
        if (c2)
            *c2 = '\0';
        char *path = pr_path_join_new(dir, p);
        rc = path ? describe_one(s, set, path, NULL, person) : -1;
        pr_free(path);
    }
    pr_free(dir);
    pr_free(data);
    return rc;
}

typedef struct pair_rec {
    float d;
    unsigned char same;
    unsigned char set;
} pair_rec;

static float l2(const float *a, const float *b)
{
    double s = 0;
    for (int i = 0; i < DIM; i++) {
        double t = (double)a[i] - b[i];
        s += t * t;
    }
    return (float)sqrt(s);
}

static pair_rec *make_pairs(const fit_state *s, size_t *count)
{
    size_t cap = (size_t)s->n * (size_t)(s->n - 1) / 2 + 1, k = 0;
    pair_rec *p = pr_malloc_array(cap, sizeof *p);
    if (!p)
        return NULL;
    for (int i = 0; i < s->n; i++)
        for (int j = i + 1; j < s->n; j++) {
            if (s->faces[i].set != s->faces[j].set)
                continue;
            p[k].d = l2(s->faces[i].desc, s->faces[j].desc);
            p[k].same = strcmp(s->faces[i].person, s->faces[j].person) == 0;
            p[k].set = (unsigned char)s->faces[i].set;
            k++;
        }
    *count = k;
    return p;
}

/* Class- and set-balanced logistic regression of same on d (Newton, a tiny ridge on b so a
 * separable set still converges). The weights sum to 2, so the ridge must stay far below the data
 * term: 1e-4 (before) shrank the descriptor's slope by 17 % (-24.1 for the unbiased -29.2) and
 * made every LLR, and the confidences computed from it, too timid. */
static void fit_logistic(const pair_rec *p, size_t n, int nsets, double *a, double *b)
{
    double cnt[MAX_SETS][2] = {{0}};
    int used = 0;
    for (size_t i = 0; i < n; i++)
        cnt[p[i].set][p[i].same] += 1;
    for (int s = 0; s < nsets; s++)
        used += cnt[s][0] > 0 && cnt[s][1] > 0;
    double x0 = 0, x1 = 0, ridge = 1e-7;
    for (int it = 0; it < 100; it++) {
        double g0 = 0, g1 = -ridge * x1, h00 = 0, h01 = 0, h11 = ridge;
        for (size_t i = 0; i < n; i++) {
            const double *c = cnt[p[i].set];
            if (c[0] == 0 || c[1] == 0)
                continue;
            double w = 1.0 / (c[p[i].same] * used), d = p[i].d;
            double q = 1.0 / (1.0 + exp(-(x0 + x1 * d)));
            double r = p[i].same - q, v = q * (1 - q);
            g0 += w * r;
            g1 += w * r * d;
            h00 += w * v;
            h01 += w * v * d;
            h11 += w * v * d * d;
        }
        double det = h00 * h11 - h01 * h01;
        if (!(det > 0))
            break;
        double s0 = (h11 * g0 - h01 * g1) / det, s1 = (h00 * g1 - h01 * g0) / det;
        x0 += s0;
        x1 += s1;
        if (fabs(s0) + fabs(s1) < 1e-10)
            break;
    }
    *a = x0;
    *b = x1;
}

static int cmp_float(const void *x, const void *y)
{
    float a = *(const float *)x, b = *(const float *)y;
    return (a > b) - (a < b);
}

/* q-quantile of the distances of pairs with same == want. */
static double quantile(const pair_rec *p, size_t n, int want, double q)
{
    float *v = pr_malloc_array(n ? n : 1, sizeof *v);
    size_t m = 0;
    if (!v)
        return NAN;
    for (size_t i = 0; i < n; i++)
        if (p[i].same == want)
            v[m++] = p[i].d;
    double r = NAN;
    if (m) {
        qsort(v, m, sizeof *v, cmp_float);
        r = v[(size_t)(q * (double)(m - 1) + 0.5)];
    }
    pr_free(v);
    return r;
}

static void report(pr_strbuf *out, const fit_state *s, const pair_rec *p, size_t n,
                   const pr_calibration *cal)
{
    for (int set = 0; set < s->nsets; set++) {
        long faces = 0, same = 0, diff = 0, same_ok = 0, diff_ok = 0;
        for (int i = 0; i < s->n; i++)
            faces += s->faces[i].set == set;
        for (size_t i = 0; i < n; i++) {
            if (p[i].set != set)
                continue;
            int pos = pr_calibration_llr(cal, p[i].d) > 0;
            if (p[i].same) {
                same++;
                same_ok += pos;
            } else {
                diff++;
                diff_ok += !pos;
            }
        }
        pr_strbuf_printf(out,
                         "# set %s: %ld faces (%d without a detected face: whole image), %ld same "
                         "pairs (%.4f with LLR > 0), %ld different (%.4f with LLR <= 0)\n",
                         s->set_name[set], faces, s->fallback[set], same,
                         same ? (double)same_ok / same : 0.0, diff,
                         diff ? (double)diff_ok / diff : 0.0);
    }
    pr_strbuf_printf(out, "# LLR(0.4) %.3f, LLR(0.5) %.3f, LLR(0.6) %.3f, LLR(0.7) %.3f; "
                          "equal odds at d = %.4f\n",
                     pr_calibration_llr(cal, 0.4), pr_calibration_llr(cal, 0.5),
                     pr_calibration_llr(cal, 0.6), pr_calibration_llr(cal, 0.7),
                     -cal->a / cal->b);
}

static int cmp_pair(const void *x, const void *y)
{
    float a = ((const pair_rec *)x)->d, b = ((const pair_rec *)y)->d;
    return (a > b) - (a < b);
}

/* Share of (same, different) pairs of one set ranked right: P(d_same < d_diff), ties count half. */
static double set_auc(const pair_rec *p, size_t n, int set)
{
    pair_rec *v = pr_malloc_array(n ? n : 1, sizeof *v);
    size_t m = 0;
    if (!v)
        return NAN;
    for (size_t i = 0; i < n; i++)
        if (p[i].set == set)
            v[m++] = p[i];
    qsort(v, m, sizeof *v, cmp_pair);
    double same = 0, diff = 0, below = 0, sum = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        double ts = 0, td = 0;
        for (; j < m && v[j].d == v[i].d; j++)
            v[j].same ? ts++ : td++;
        sum += td * (below + 0.5 * ts); /* different pairs above every same pair seen so far */
        below += ts;
        same += ts;
        diff += td;
        i = j;
    }
    pr_free(v);
    return same > 0 && diff > 0 ? sum / (same * diff) : NAN;
}

static double held_out_loss(const pair_rec *p, size_t n, int set, const pr_calibration *cal);
static void fit_on(const pair_rec *p, size_t n, int nsets, int skip, pr_calibration *cal);

/* Per set: pair AUC, the balanced log-loss of the fit on all sets and of the fit without this set
 * (leave-one-set-out), and that fit's equal-odds distance. Printed, not written to the file. */
static void evaluate(const fit_state *s, const pair_rec *p, size_t n)
{
    pr_calibration all;
    fit_on(p, n, s->nsets, -1, &all);
    printf("# evaluation (printed only): set, pair AUC, balanced log-loss of the fit on all sets, "
           "of the fit without the set, its equal-odds distance\n");
    double sum_auc = 0, sum_loso = 0;
    for (int set = 0; set < s->nsets; set++) {
        pr_calibration cal;
        fit_on(p, n, s->nsets, set, &cal);
        double auc = set_auc(p, n, set), loso = held_out_loss(p, n, set, &cal);
        sum_auc += auc;
        sum_loso += loso;
        printf("# eval %s auc %.5f loss_all %.4f loss_loso %.4f eq_odds_loso %.4f\n",
               s->set_name[set], auc, held_out_loss(p, n, set, &all), loso, -cal.a / cal.b);
    }
    printf("# eval mean auc %.5f loss_loso %.4f\n", sum_auc / s->nsets, sum_loso / s->nsets);
}

static int write_pairs(const char *path, const fit_state *s, const pair_rec *p, size_t n)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    fprintf(f, "set,distance,same\n");
    for (size_t i = 0; i < n; i++)
        fprintf(f, "%s,%.6f,%d\n", s->set_name[p[i].set], p[i].d, p[i].same);
    return fclose(f) == 0 ? 0 : -1;
}

/* One line per face: set,person,128 descriptor values (for fitting models of more than a pair,
 * e.g. the stranger model, in scripts). */
static int write_descriptors(const char *path, const fit_state *s)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return -1;
    for (int i = 0; i < s->n; i++) {
        fprintf(f, "%s,%s", s->set_name[s->faces[i].set], s->faces[i].person);
        for (int c = 0; c < DIM; c++)
            fprintf(f, ",%.7g", (double)s->faces[i].desc[c]);
        fputc('\n', f);
    }
    return fclose(f) == 0 ? 0 : -1;
}

/* --- clothing (body colour) from an album store -------------------------------------------- */

typedef struct cloth_face {
    int folder, photo;
    char *person;     /* owned */
    pr_color_hist hist;
} cloth_face;

typedef struct cloth_state {
    const pr_face_labels *truth;
    cloth_face *faces;
    int n, cap;
    char *folders[MAX_SETS];
    int nfolders;
    int64_t last_photo;
    int photo;
    int failed;
} cloth_state;

static int folder_index(cloth_state *c, const char *path)
{
    size_t len = strcspn(path, "/");
    for (int i = 0; i < c->nfolders; i++)
        if (strlen(c->folders[i]) == len && strncmp(c->folders[i], path, len) == 0)
            return i;
    if (c->nfolders == MAX_SETS)
        return -1;
    c->folders[c->nfolders] = strndup(path, len);
    return c->folders[c->nfolders] ? c->nfolders++ : -1;
}

/* The truth name of a stored face (same photo, IoU >= 0.5), or NULL. */
static const char *truth_name(const pr_face_labels *t, const char *path, pr_box box)
{
    const char *best = NULL;
    double bv = 0.5;
    for (size_t i = 0; i < t->count; i++) {
        if (!t->items[i].person || !pr_path_same_photo(t->items[i].image, path))
            continue;
        double v = pr_box_iou(t->items[i].box, box);
        if (v >= bv) {
            bv = v;
            best = t->items[i].person;
        }
    }
    return best;
}

static int cloth_row(void *vctx, const pr_store_face_row *row)
{
    cloth_state *c = vctx;
    if (row->photo_id != c->last_photo) {
        c->last_photo = row->photo_id;
        c->photo++;
    }
    const char *name = truth_name(c->truth, row->path, row->box);
    if (!name || strcmp(name, "unknown") == 0 || !row->features)
        return 0;
    pr_person *p = NULL;
    if (pr_person_deserialize(row->features, row->features_size, &p) != PR_OK) {
        fprintf(stderr, "fit_calibration: %s: %s\n", row->path, pr_last_error());
        c->failed = 1;
        return 1;
    }
    int keep = p->body_hist.n > 0, folder = folder_index(c, row->path);
    if (keep && folder >= 0 && c->n == c->cap) {
        int cap = c->cap ? 2 * c->cap : 256;
        cloth_face *f = realloc(c->faces, sizeof *f * (size_t)cap);
        if (!f)
            keep = 0;
        else {
            c->faces = f;
            c->cap = cap;
        }
    }
    if (keep && folder >= 0 && (c->faces[c->n].person = strdup(name)) != NULL) {
        c->faces[c->n].folder = folder;
        c->faces[c->n].photo = c->photo;
        c->faces[c->n].hist = p->body_hist;
        c->n++;
    }
    pr_person_delete(p);
    return 0;
}

/* Balanced log-loss of cal on the pairs of one set (each class weighted 1/2). */
static double held_out_loss(const pair_rec *p, size_t n, int set, const pr_calibration *cal)
{
    double loss[2] = {0, 0}, cnt[2] = {0, 0};
    for (size_t i = 0; i < n; i++) {
        if (p[i].set != set)
            continue;
        double q = 1.0 / (1.0 + exp(-pr_calibration_llr(cal, p[i].d)));
        q = q < 1e-12 ? 1e-12 : q > 1 - 1e-12 ? 1 - 1e-12 : q;
        loss[p[i].same] -= p[i].same ? log(q) : log(1 - q);
        cnt[p[i].same] += 1;
    }
    return cnt[0] > 0 && cnt[1] > 0 ? 0.5 * (loss[0] / cnt[0] + loss[1] / cnt[1]) : NAN;
}

static void fit_on(const pair_rec *p, size_t n, int nsets, int skip, pr_calibration *cal)
{
    pair_rec *sub = pr_malloc_array(n ? n : 1, sizeof *sub);
    size_t m = 0;
    if (!sub) {
        memset(cal, 0, sizeof *cal);
        return;
    }
    for (size_t i = 0; i < n; i++)
        if (p[i].set != skip)
            sub[m++] = p[i];
    fit_logistic(sub, m, nsets, &cal->a, &cal->b);
    cal->lo = quantile(sub, m, 1, 0.01);
    cal->hi = quantile(sub, m, 0, 0.99);
    pr_free(sub);
}

static int fit_clothing(const char *store_path, const char *truth_path, const char *out_path)
{
    cloth_state c;
    memset(&c, 0, sizeof c);
    c.last_photo = -1;
    pr_face_labels *truth = NULL;
    pr_store *store = NULL;
    if (pr_face_labels_load(truth_path, &truth) != PR_OK || pr_store_open(store_path, &store) != PR_OK) {
        fprintf(stderr, "fit_calibration: %s\n", pr_last_error());
        pr_face_labels_delete(truth);
        return -1;
    }
    c.truth = truth;
    int rc = pr_store_each_face(store, cloth_row, &c) == PR_OK && !c.failed ? 0 : -1;
    pr_store_close(store);
    size_t cap = (size_t)c.n * (size_t)(c.n > 0 ? c.n - 1 : 0) / 2 + 1, np = 0;
    pair_rec *pairs = rc == 0 ? pr_malloc_array(cap, sizeof *pairs) : NULL;
    if (!pairs)
        rc = -1;
    for (int i = 0; rc == 0 && i < c.n; i++)
        for (int j = i + 1; j < c.n; j++) {
            if (c.faces[i].folder != c.faces[j].folder || c.faces[i].photo == c.faces[j].photo)
                continue;
            double d = pr_color_hist_distance(&c.faces[i].hist, &c.faces[j].hist, PR_HIST_CHI2);
            if (isnan(d))
                continue;
            pairs[np].d = (float)d;
            pairs[np].same = strcmp(c.faces[i].person, c.faces[j].person) == 0;
            pairs[np].set = (unsigned char)c.faces[i].folder;
            np++;
        }
    pr_strbuf out;
    memset(&out, 0, sizeof out);
    pr_calibration all;
    if (rc == 0) {
        fit_on(pairs, np, c.nfolders, -1, &all);
        /* The store's path is a scratch folder of whoever ran it: not recorded. */
        pr_strbuf_printf(&out, "# body (clothing colour, chi-square): fit_calibration --clothing "
                               "<truth-box store of the album> %s: %d named faces with clothing, "
                               "%zu pairs of two photos within one source folder; "
                               "leave-one-source-out:\n",
                         truth_path, c.n, np);
        for (int s = 0; s < c.nfolders; s++) {
            pr_calibration cal;
            fit_on(pairs, np, c.nfolders, s, &cal);
            long same = 0, diff = 0;
            for (size_t i = 0; i < np; i++)
                if (pairs[i].set == s)
                    pairs[i].same ? same++ : diff++;
            pr_strbuf_printf(&out, "#   without %s: a %.4f b %.4f, held-out log-loss %.4f (%ld same, "
                                   "%ld different pairs)\n",
                             c.folders[s], cal.a, cal.b, held_out_loss(pairs, np, s, &cal), same, diff);
        }
        pr_strbuf_printf(&out, "body %.6f %.6f %.4f %.4f\n", all.a, all.b, all.lo, all.hi);
    }
    /* Keep every other line of the file (the descriptor and stranger models). */
    char *old = NULL;
    size_t old_size = 0;
    pr_strbuf merged;
    memset(&merged, 0, sizeof merged);
    if (rc == 0 && pr_file_read_all(out_path, 0, &old, &old_size) == PR_OK) {
        for (char *p = old, *next; p && *p; p = next) {
            next = strchr(p, '\n');
            if (next)
                *next++ = '\0';
            if (strncmp(p, "body ", 5) != 0 && strncmp(p, "# body ", 7) != 0 &&
                strncmp(p, "#   without ", 12) != 0)
                pr_strbuf_printf(&merged, "%s\n", p);
        }
    }
    pr_strbuf_puts(&merged, pr_strbuf_str(&out));
    if (rc == 0 && (pr_strbuf_status(&merged) != PR_OK ||
                    pr_file_write_atomic(out_path, pr_strbuf_str(&merged), merged.len) != PR_OK))
        rc = -1;
    if (rc == 0)
        fputs(pr_strbuf_str(&out), stdout);
    pr_free(old);
    pr_strbuf_free(&merged);
    pr_strbuf_free(&out);
    pr_free(pairs);
    for (int i = 0; i < c.n; i++)
        free(c.faces[i].person);
    free(c.faces);
    for (int i = 0; i < c.nfolders; i++)
        free(c.folders[i]);
    pr_face_labels_delete(truth);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: fit_calibration [--models DIR] [--align square|rotated|unclipped|"
                    "similarity|box] [--flip 0|1] [--roll DEG] [--pairs OUT.csv]"
                    " [--descriptors OUT.csv]"
                    " --out FILE (--boxes LABELS.csv | --crops LABELS.csv)...\n"
                    "       fit_calibration --clothing STORE TRUTH.csv --out FILE\n");
    return 2;
}

static int setup(fit_state *s, const char *models)
{
    pr_face_net_params np = pr_face_net_params_default();
    np.models_dir = models;
    np.threads = 1;
    np.align = s->align;
    np.flip = s->flip;
    pr_detector_params dp = pr_detector_params_default();
    dp.detector = PR_DETECTOR_NETWORK;
    dp.models_dir = models;
    if (pr_face_net_new(&np, &s->net) != PR_OK || pr_detector_new(&dp, &s->det) != PR_OK) {
        fprintf(stderr, "fit_calibration: %s\n", pr_last_error());
        return -1;
    }
    return 0;
}

static int fit_and_write(fit_state *s, const char *out_path, const char *pairs_path,
                         const char *desc_path, int argc, char **argv)
{
    size_t np = 0;
    pair_rec *pairs = make_pairs(s, &np);
    if (!pairs)
        return -1;
    pr_calibration cal;
    fit_logistic(pairs, np, s->nsets, &cal.a, &cal.b);
    cal.lo = quantile(pairs, np, 1, 0.01);
    cal.hi = quantile(pairs, np, 0, 0.99);
    pr_strbuf out;
    memset(&out, 0, sizeof out);
    pr_strbuf_puts(&out, "# personrec cue calibration: LLR(d) = a + b * clamp(d, lo, hi), "
                         "same person vs not (cluster/calibration.h)\n# written by "
                         "scripts/fit-calibration:");
    for (int i = 1; i < argc; i++) {
        if ((!strcmp(argv[i], "--pairs") || !strcmp(argv[i], "--descriptors")) && i + 1 < argc) {
            i++; /* where the pairs went is not part of the fit */
            continue;
        }
        pr_strbuf_printf(&out, " %s", argv[i]);
    }
    /* The descriptor line belongs to the front end it was fitted on: said in the file, and
     * tests/cluster/test_calibration_front_end checks that it is the product's default. */
    pr_face_net_params fe = pr_face_net_params_default();
    fe.align = s->align;
    fe.flip = s->flip;
    char front_end[96];
    pr_face_net_front_end(&fe, front_end, sizeof front_end);
    pr_strbuf_printf(&out, "\n# front end: %s", front_end);
    pr_strbuf_puts(&out, "\n# cue a b lo hi\n");
    pr_strbuf_printf(&out, "descriptor %.6f %.6f %.4f %.4f\n", cal.a, cal.b, cal.lo, cal.hi);
    report(&out, s, pairs, np, &cal);
    int rc = 0;
    if (pr_strbuf_status(&out) != PR_OK ||
        pr_file_write_atomic(out_path, pr_strbuf_str(&out), out.len) != PR_OK)
        rc = -1;
    fputs(pr_strbuf_str(&out), stdout);
    evaluate(s, pairs, np);
    if (rc == 0 && pairs_path)
        rc = write_pairs(pairs_path, s, pairs, np);
    if (rc == 0 && desc_path)
        rc = write_descriptors(desc_path, s);
    pr_strbuf_free(&out);
    pr_free(pairs);
    return rc;
}

int main(int argc, char **argv)
{
    const char *models = NULL, *out = NULL, *pairs = NULL, *descs = NULL;
    for (int i = 1; i + 1 < argc; i++) {
        if (strcmp(argv[i], "--models") == 0)
            models = argv[++i];
        else if (strcmp(argv[i], "--out") == 0)
            out = argv[++i];
        else if (strcmp(argv[i], "--pairs") == 0)
            pairs = argv[++i];
        else if (strcmp(argv[i], "--descriptors") == 0)
            descs = argv[++i];
        else if (strcmp(argv[i], "--align") == 0 || strcmp(argv[i], "--flip") == 0 ||
                 strcmp(argv[i], "--roll") == 0)
            i++; /* read below, once the state exists */
        else if (strcmp(argv[i], "--clothing") == 0)
            i += 2; /* STORE TRUTH.csv */
        else
            i++;
    }
    if (!out)
        return usage();
    for (int i = 1; i + 2 < argc; i++)
        if (strcmp(argv[i], "--clothing") == 0)
            return fit_clothing(argv[i + 1], argv[i + 2], out) == 0 ? 0 : 1;
    fit_state s;
    memset(&s, 0, sizeof s);
    pr_face_net_params def = pr_face_net_params_default(); /* the product's front end */
    s.align = def.align;
    s.flip = def.flip;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (strcmp(argv[i], "--flip") == 0)
            s.flip = atoi(argv[i + 1]) != 0;
        if (strcmp(argv[i], "--roll") == 0)
            s.roll = atof(argv[i + 1]);
        if (strcmp(argv[i], "--align") != 0)
            continue;
        if (pr_face_align_parse(argv[i + 1], &s.align) != 0)
            return usage();
    }
    int rc = setup(&s, models);
    for (int i = 1; rc == 0 && i + 1 < argc; i += 2) {
        int boxes = strcmp(argv[i], "--boxes") == 0, crops = strcmp(argv[i], "--crops") == 0;
        if (!boxes && !crops)
            continue;
        if (s.nsets == MAX_SETS)
            return usage();
        s.set_name[s.nsets] = argv[i + 1];
        rc = boxes ? load_boxes(&s, s.nsets, argv[i + 1]) : load_crops(&s, s.nsets, argv[i + 1]);
        s.nsets++;
        fprintf(stderr, "fit_calibration: %s: %d faces so far\n", argv[i + 1], s.n);
    }
    if (rc == 0 && s.nsets == 0)
        rc = usage();
    if (rc == 0)
        rc = fit_and_write(&s, out, pairs, descs, argc, argv);
    for (int i = 0; i < s.n; i++)
        free(s.faces[i].person);
    free(s.faces);
    pr_face_net_delete(s.net);
    pr_detector_delete(s.det);
    return rc == 0 ? 0 : 1;
}

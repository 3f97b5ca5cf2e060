/* The per-photo front end of the cue-pair harness (eval/cue_pairs_internal.h says why it is
 * its own): the photo at full size, body masks of every face of the photo (named or not, so
 * neighbours split overlaps), the background outside every person region, and per named instance
 * the body and face-band histograms in every colour space, SIFT of face and body, and the
 * eigenface input row, and the face descriptor (landmarks + aligned square on the truth box). Each
 * cue's extraction time is summed per worker. */
#include "eval/cue_pairs_internal.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "core/image.h"
#include "features/body.h"
#include "features/context.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int is_instance(const pr_face_label *l)
{
    return l->person && *l->person && strcmp(l->person, "unknown") != 0;
}

typedef struct sort_key {
    const char *image;
    size_t index;
} sort_key;

static int by_image(const void *pa, const void *pb)
{
    const sort_key *a = (const sort_key *)pa, *b = (const sort_key *)pb;
    int r = strcmp(a->image, b->image);
    if (r)
        return r;
    return a->index < b->index ? -1 : a->index > b->index;
}

/* Label indices in photo order (ties in file order). */
static int sort_labels(const pr_face_labels *set, size_t *order)
{
    sort_key *keys = (sort_key *)pr_malloc_array(set->count ? set->count : 1, sizeof *keys);
    if (!keys)
        return -1;
    for (size_t i = 0; i < set->count; i++) {
        keys[i].image = set->items[i].image;
        keys[i].index = i;
    }
    qsort(keys, set->count, sizeof *keys, by_image);
    for (size_t i = 0; i < set->count; i++)
        order[i] = keys[i].index;
    pr_free(keys);
    return 0;
}

int pr_cue_pairs_index_labels(pr_cue_ctx *c)
{
    const pr_face_labels *set = c->set;
    if (sort_labels(set, c->order) != 0)
        return -1;
    for (size_t r = 0; r < set->count; r++) {
        size_t li = c->order[r];
        if (r == 0 || strcmp(set->items[li].image, set->items[c->order[r - 1]].image) != 0) {
            c->photos[c->nphotos].first_label = r;
            c->photos[c->nphotos].time = NAN;
            c->nphotos++;
        }
        c->photos[c->nphotos - 1].count++;
        c->inst_of_label[li] = -1;
        if (is_instance(&set->items[li])) {
            c->inst_of_label[li] = c->n;
            c->insts[c->n].label = li;
            c->insts[c->n].photo = c->nphotos - 1;
            c->insts[c->n].person = set->items[li].person;
            c->n++;
        }
    }
    return 0;
}

enum { MAXF = 64 };

/* One photo's faces and their body masks (mdata[k] NULL = the prior box). */
typedef struct photo_faces {
    int nf;
    pr_box boxes[MAXF];
    pr_image *masks[MAXF];
    const uint8_t *mdata[MAXF];
    size_t mstride[MAXF];
} photo_faces;

/* Body masks of every face (named or not) of the photo, so neighbours split overlaps. */
static pr_status body_masks(const pr_cue_ctx *c, const pr_cue_photo *ph, const pr_image *img,
                            photo_faces *pf, double *tm)
{
    pf->nf = ph->count < MAXF ? ph->count : MAXF;
    for (int k = 0; k < pf->nf; k++)
        pf->boxes[k] = c->set->items[c->order[ph->first_label + k]].box;
    if (!c->body_mask)
        return PR_OK;
    const double t0 = pr_now_seconds();
    pr_status st = pr_body_segment_masks(img, pf->boxes, pf->nf, pf->masks);
    if (st != PR_OK)
        return st;
    for (int k = 0; k < pf->nf; k++) {
        pf->mdata[k] = pf->masks[k]->data;
        pf->mstride[k] = pf->masks[k]->stride;
    }
    tm[T_MASK] += pr_now_seconds() - t0;
    return PR_OK;
}

/* Background: outside every face band of the photo, every prior box and every mask (as
 * pr_person_extract_photo does). */
static void background(const pr_cue_ctx *c, const pr_image *img, const photo_faces *pf,
                       pr_color_hist *bg, double *tm)
{
    pr_box exclude[2 * MAXF];
    int nex = 0;
    for (int k = 0; k < pf->nf; k++) {
        exclude[nex++] = pr_face_band_box(pf->boxes[k], img->width, img->height);
        exclude[nex++] = pr_body_prior_box(pf->boxes[k], img->width, img->height, NULL);
    }
    pr_color_hist_params hsv = pr_color_hist_params_for(PR_COLOR_HSV);
    const double t0 = pr_now_seconds();
    pr_background_hist_masks(img, exclude, nex, pf->mdata, pf->mstride, c->body_mask ? pf->nf : 0,
                             &hsv, bg);
    tm[T_BACKGROUND] += pr_now_seconds() - t0;
}

/* Histograms of a region in every colour space. */
static void hists(const pr_image *img, pr_box box, const uint8_t *mask, size_t stride,
                  pr_color_hist *out)
{
    for (int s = 0; s < H_SPACES; s++) {
        pr_color_hist_params hp = pr_color_hist_params_for((pr_color_space)s);
        pr_color_hist_compute(img, box, mask, stride, &hp, &out[s]);
    }
}

/* Every cue of one instance: face k of the photo. */
static void describe_instance(const pr_cue_ctx *c, const pr_image *img, const photo_faces *pf, int k,
                              pr_box face, pr_face_net *net, pr_cue_inst *in, double *tm)
{
    pr_sift_params sf = pr_sift_params_default(), sb = pr_sift_params_default();
    sb.target_size = 256;
    pr_box body = pr_body_prior_box(face, img->width, img->height, NULL);
    const uint8_t *bm = k < pf->nf ? pf->mdata[k] : NULL;
    size_t bs = k < pf->nf ? pf->mstride[k] : 0;
    if (bm)
        body = pr_mask_bounds(bm, bs, img->width, img->height, NULL);
    double t0 = pr_now_seconds();
    hists(img, body, bm, bs, in->body);
    double t1 = pr_now_seconds();
    tm[T_BODY] += t1 - t0;
    hists(img, pr_face_band_box(face, img->width, img->height), NULL, 0, in->band);
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
    double t5 = pr_now_seconds();
    tm[T_EIGEN] += t5 - t4;
    if (net) {
        in->descriptor = (float *)pr_malloc_array(PR_FACE_DESCRIPTOR_DIM, sizeof(float));
        if (in->descriptor && pr_face_net_describe(net, img, face, NULL, in->descriptor) != PR_OK) {
            pr_free(in->descriptor);
            in->descriptor = NULL;
        }
        tm[T_DESCRIPTOR] += pr_now_seconds() - t5;
    }
}

/* The photo at full size (RGB) and its capture time. */
static pr_status load_photo(pr_cue_ctx *c, pr_cue_photo *ph, char *path, size_t size, pr_image **img,
                            double *tm)
{
    pr_image_info info;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    const double t0 = pr_now_seconds();
    pr_status st = pr_face_labels_image_path(c->set, c->order[ph->first_label], path, size);
    if (st == PR_OK)
        st = pr_image_load(path, &lp, img, &info);
    if (st != PR_OK)
        return st;
    tm[T_LOAD] += pr_now_seconds() - t0;
    double secs;
    ph->time = info.has_datetime && pr_exif_time_seconds(info.datetime, &secs) == 0 ? secs : NAN;
    return PR_OK;
}

void pr_cue_pairs_describe_photo(void *vctx, long index, int worker)
{
    pr_cue_ctx *c = (pr_cue_ctx *)vctx;
    pr_cue_photo *ph = &c->photos[index];
    double *tm = c->timing[worker];
    char path[4096];
    pr_image *img = NULL;
    photo_faces pf;
    memset(&pf, 0, sizeof pf);
    if (load_photo(c, ph, path, sizeof path, &img, tm) != PR_OK) {
        fprintf(stderr, "personrec eval pairs: %s\n", pr_last_error());
        c->failed[index] = 1;
    } else if (body_masks(c, ph, img, &pf, tm) != PR_OK) {
        fprintf(stderr, "personrec eval pairs: %s: %s\n", path, pr_last_error());
        c->failed[index] = 1;
    } else {
        pr_color_hist bg;
        background(c, img, &pf, &bg, tm);
        for (int k = 0; k < ph->count; k++) {
            size_t li = c->order[ph->first_label + k];
            int ii = c->inst_of_label[li];
            if (ii < 0)
                continue;
            c->insts[ii].background = bg;
            describe_instance(c, img, &pf, k, c->set->items[li].box,
                              c->nets ? c->nets[worker] : NULL, &c->insts[ii], tm);
        }
    }
    for (int k = 0; k < pf.nf; k++)
        pr_image_delete(pf.masks[k]);
    pr_image_delete(img);
    pr_progress_step(c->progress, 1);
}

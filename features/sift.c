/* SIFT on person regions with VLFeat.
 *
 * Lowe, "Distinctive image features from scale-invariant keypoints", IJCV 60(2), 2004: difference-
 * of-Gaussian extrema, up to 4 dominant orientations each, 4x4x8 gradient histograms. VLFeat's
 * vl_sift_* does the detection and description (on a float image in 0..255). RootSIFT
 * (Arandjelovic & Zisserman, CVPR 2012) replaces each descriptor by the square root of its
 * L1-normalised self, which makes Euclidean distance behave like the Hellinger kernel.
 *
 * Matching: descriptors have unit L2 norm, so |a-b|^2 = 2 - 2 a.b and all dot products of two sets
 * come from one OpenBLAS sgemm. Lowe's test accepts the nearest neighbour when its distance is
 * below ratio x the second nearest. */
#include "features/sift.h"

#include "core/alloc.h"

#include <cblas.h>
#include <vl/sift.h>

#include <math.h>
#include <stdlib.h>
#include <string.h>

pr_sift_params pr_sift_params_default(void)
{
    pr_sift_params p;
    p.target_size = 128;
    p.min_size = 12;
    p.root_sift = 1;
    p.peak_thresh = 1.0;
    p.edge_thresh = 10.0;
    p.max_keypoints = 300;
    p.ratio = 0.8;
    return p;
}

pr_status pr_sift_set_new(int count, pr_sift_set **out)
{
    if (!out || count < 0)
        return pr_set_error(PR_ERR_ARG, "sift set: bad arguments");
    pr_sift_set *s = (pr_sift_set *)pr_calloc(1, sizeof *s);
    if (!s)
        return pr_set_error(PR_ERR_NOMEM, "sift set: out of memory");
    if (count > 0) {
        s->frames = (float *)pr_calloc((size_t)count * 4, sizeof(float));
        s->desc = (float *)pr_calloc((size_t)count * PR_SIFT_DIM, sizeof(float));
        if (!s->frames || !s->desc) {
            pr_sift_set_delete(s);
            return pr_set_error(PR_ERR_NOMEM, "sift set: out of memory");
        }
    }
    s->count = count;
    *out = s;
    return PR_OK;
}

void pr_sift_set_delete(pr_sift_set *set)
{
    if (!set)
        return;
    pr_free(set->frames);
    pr_free(set->desc);
    pr_free(set);
}

typedef struct kp_rec {
    float frame[4];
    float desc[PR_SIFT_DIM];
    int order; /* detection order: tie-break so the kept subset does not depend on qsort */
} kp_rec;

static int by_scale_desc(const void *pa, const void *pb)
{
    const kp_rec *a = (const kp_rec *)pa, *b = (const kp_rec *)pb;
    if (a->frame[2] != b->frame[2])
        return a->frame[2] > b->frame[2] ? -1 : 1;
    return a->order - b->order;
}

pr_status pr_sift_extract(const pr_image *img, pr_box roi, const uint8_t *mask, size_t mask_stride,
                          const pr_sift_params *params, pr_sift_set **out)
{
    if (!img || !out)
        return pr_set_error(PR_ERR_ARG, "sift: NULL argument");
    *out = NULL;
    pr_sift_params p = params ? *params : pr_sift_params_default();
    const pr_pixel_rect area = pr_box_pixels(roi, img->width, img->height); /* empty for NaN boxes */
    const int x0 = area.x0, y0 = area.y0, x1 = area.x1, y1 = area.y1;
    int w = x1 - x0, h = y1 - y0;
    int min_size = p.min_size > 0 ? p.min_size : 1;
    if (w < min_size || h < min_size)
        return pr_sift_set_new(0, out); /* tiny or empty region: no cue */

    pr_status st = PR_OK;
    pr_image *crop = NULL, *grey = NULL, *scaled = NULL;
    float *pix = NULL;
    kp_rec *recs = NULL;
    VlSiftFilt *filt = NULL;
    int nrec = 0, caprec = 0;
    if ((st = pr_image_crop(img, x0, y0, w, h, &crop)) != PR_OK)
        goto fail;
    if ((st = pr_image_to_gray(crop, &grey)) != PR_OK)
        goto fail;
    double scale = 1.0; /* photo pixels per working pixel */
    int sw = w, sh = h;
    if (p.target_size > 0) {
        int longer = w > h ? w : h;
        scale = (double)longer / p.target_size;
        sw = (int)lround(w / scale);
        sh = (int)lround(h / scale);
        if (sw < 1)
            sw = 1;
        if (sh < 1)
            sh = 1;
        if ((st = pr_image_resize(grey, sw, sh, &scaled)) != PR_OK)
            goto fail;
        scale = (double)w / sw;
    }
    const pr_image *work = scaled ? scaled : grey;
    pix = (float *)pr_malloc_array((size_t)sw * sh, sizeof(float));
    if (!pix) {
        st = pr_set_error(PR_ERR_NOMEM, "sift: out of memory");
        goto fail;
    }
    for (int y = 0; y < sh; y++) {
        const uint8_t *row = pr_image_row(work, y);
        for (int x = 0; x < sw; x++)
            pix[(size_t)y * sw + x] = row[x];
    }
    filt = vl_sift_new(sw, sh, -1, 3, 0);
    if (!filt) {
        st = pr_set_error(PR_ERR_NOMEM, "sift: vl_sift_new failed (%dx%d)", sw, sh);
        goto fail;
    }
    vl_sift_set_peak_thresh(filt, p.peak_thresh);
    vl_sift_set_edge_thresh(filt, p.edge_thresh);
    int err = vl_sift_process_first_octave(filt, pix);
    int order = 0;
    while (err == VL_ERR_OK) {
        vl_sift_detect(filt);
        const VlSiftKeypoint *kps = vl_sift_get_keypoints(filt);
        int nk = vl_sift_get_nkeypoints(filt);
        for (int i = 0; i < nk; i++) {
            const VlSiftKeypoint *k = &kps[i];
            double px = x0 + (k->x + 0.5) * scale - 0.5, py = y0 + (k->y + 0.5) * scale - 0.5;
            int ix = (int)lround(px), iy = (int)lround(py);
            if (ix < 0 || iy < 0 || ix >= img->width || iy >= img->height)
                continue;
            if (mask && !mask[(size_t)iy * mask_stride + ix])
                continue;
            double angles[4];
            int na = vl_sift_calc_keypoint_orientations(filt, angles, k);
            for (int a = 0; a < na; a++) {
                if (nrec == caprec) {
                    int cap = caprec ? caprec * 2 : 64;
                    kp_rec *nr = (kp_rec *)pr_realloc(recs, (size_t)cap * sizeof *recs);
                    if (!nr) {
                        st = pr_set_error(PR_ERR_NOMEM, "sift: out of memory");
                        goto fail;
                    }
                    recs = nr;
                    caprec = cap;
                }
                kp_rec *r = &recs[nrec];
                r->frame[0] = (float)px;
                r->frame[1] = (float)py;
                r->frame[2] = (float)(k->sigma * scale);
                r->frame[3] = (float)angles[a];
                r->order = order++;
                /* VLFeat leaves the descriptor unwritten for a keypoint too near its octave's
                 * border (vl_sift_calc_keypoint_descriptor returns early). Such a keypoint has no
                 * descriptor and is dropped; keeping it kept whatever the memory held, so the cue
                 * (and the clustering) depended on earlier allocations and thread timing. */
                memset(r->desc, 0, sizeof r->desc);
                vl_sift_calc_keypoint_descriptor(filt, r->desc, k, angles[a]);
                int written = 0;
                for (int j = 0; j < PR_SIFT_DIM && !written; j++)
                    written = r->desc[j] != 0;
                if (written)
                    nrec++;
            }
        }
        err = vl_sift_process_next_octave(filt);
    }
    if (nrec > 1)
        qsort(recs, (size_t)nrec, sizeof *recs, by_scale_desc);
    int keep = nrec;
    if (p.max_keypoints > 0 && keep > p.max_keypoints)
        keep = p.max_keypoints;
    if ((st = pr_sift_set_new(keep, out)) != PR_OK)
        goto fail;
    (*out)->root_sift = p.root_sift ? 1 : 0;
    for (int i = 0; i < keep; i++) {
        memcpy((*out)->frames + (size_t)i * 4, recs[i].frame, sizeof recs[i].frame);
        float *d = (*out)->desc + (size_t)i * PR_SIFT_DIM;
        double l1 = 0, l2 = 0;
        for (int j = 0; j < PR_SIFT_DIM; j++)
            l1 += fabsf(recs[i].desc[j]);
        for (int j = 0; j < PR_SIFT_DIM; j++) {
            double v = recs[i].desc[j];
            if (p.root_sift)
                v = l1 > 0 ? sqrt(fabs(v) / l1) : 0;
            d[j] = (float)v;
            l2 += v * v;
        }
        /* VLFeat's descriptors are unit length up to float rounding; RootSIFT ones are unit
         * length by construction. Renormalise so the 2 - 2 a.b identity holds exactly. */
        if (l2 > 0) {
            float inv = (float)(1.0 / sqrt(l2));
            for (int j = 0; j < PR_SIFT_DIM; j++)
                d[j] *= inv;
        }
    }
fail:
    if (filt)
        vl_sift_delete(filt);
    pr_free(recs);
    pr_free(pix);
    pr_image_delete(crop);
    pr_image_delete(grey);
    pr_image_delete(scaled);
    return st;
}

int pr_sift_match(const pr_sift_set *a, const pr_sift_set *b, double ratio)
{
    if (!a || !b || a->count < 1 || b->count < 1)
        return 0;
    const pr_sift_set *src = a, *dst = b;
    if (b->count < a->count) {
        src = b;
        dst = a;
    }
    int ns = src->count, nd = dst->count;
    float *dots = (float *)pr_malloc_array((size_t)ns * nd, sizeof(float));
    unsigned char *used = (unsigned char *)pr_calloc((size_t)nd, 1);
    if (!dots || !used) {
        pr_free(dots);
        pr_free(used);
        return -1;
    }
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, ns, nd, PR_SIFT_DIM, 1.0f, src->desc,
                PR_SIFT_DIM, dst->desc, PR_SIFT_DIM, 0.0f, dots, nd);
    int matches = 0;
    double r2 = ratio * ratio;
    for (int i = 0; i < ns; i++) {
        const float *row = dots + (size_t)i * nd;
        int best = -1;
        float d1 = INFINITY, d2 = INFINITY;
        for (int j = 0; j < nd; j++) {
            float d = 2.0f - 2.0f * row[j];
            if (d < d1) {
                d2 = d1;
                d1 = d;
                best = j;
            } else if (d < d2) {
                d2 = d;
            }
        }
        if (d1 < 0)
            d1 = 0;
        /* With a single target there is no second neighbour: accept only near-identical ones. */
        int ok = nd > 1 ? (double)d1 < r2 * (double)d2 : d1 < 0.05f;
        if (best >= 0 && ok && !used[best]) {
            used[best] = 1;
            matches++;
        }
    }
    pr_free(dots);
    pr_free(used);
    return matches;
}

double pr_sift_similarity(const pr_sift_set *a, const pr_sift_set *b, double ratio)
{
    if (!a || !b || a->count < 1 || b->count < 1)
        return NAN;
    int m = pr_sift_match(a, b, ratio);
    if (m < 0)
        return NAN;
    int mn = a->count < b->count ? a->count : b->count;
    return (double)m / mn;
}

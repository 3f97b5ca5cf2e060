/* SSD post-processing as face-api's outputLayer + nonMaxSuppression + locateFaces: box decoding in
 * float32 steps (tfjs tensors), sigmoid scores, a stable sort by score, greedy NMS that drops a
 * candidate at its first overlap above the threshold, and the mapping from the 512 x 512 padded
 * square back to photo pixels. */
#include "nn/ssd.h"

#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>

/* Anchor i's box [ymin, xmin, ymax, xmax] in the padded square's unit coordinates. */
static void decode_box(const float *a, const float *e, float box[4])
{
    float s0 = a[2] - a[0], s1 = a[3] - a[1];
    float c0 = a[0] + s0 / 2.0f, c1 = a[1] + s1 / 2.0f;
    float h0 = (float)exp((double)(e[2] / 5.0f)) * s0 / 2.0f;
    float m0 = e[0] / 10.0f * s0 + c0;
    float h1 = (float)exp((double)(e[3] / 5.0f)) * s1 / 2.0f;
    float m1 = e[1] / 10.0f * s1 + c1;
    box[0] = m0 - h0;
    box[1] = m1 - h1;
    box[2] = m0 + h0;
    box[3] = m1 + h1;
}

static double iou(const float *a, const float *b)
{
    double ay0 = fmin(a[0], a[2]), ax0 = fmin(a[1], a[3]), ay1 = fmax(a[0], a[2]),
           ax1 = fmax(a[1], a[3]);
    double by0 = fmin(b[0], b[2]), bx0 = fmin(b[1], b[3]), by1 = fmax(b[0], b[2]),
           bx1 = fmax(b[1], b[3]);
    double area_a = (ay1 - ay0) * (ax1 - ax0), area_b = (by1 - by0) * (bx1 - bx0);
    if (area_a <= 0 || area_b <= 0)
        return 0.0;
    double ih = fmax(fmin(ay1, by1) - fmax(ay0, by0), 0.0);
    double iw = fmax(fmin(ax1, bx1) - fmax(ax0, bx0), 0.0);
    double inter = ih * iw;
    return inter / (area_a + area_b - inter);
}

typedef struct cand {
    float score;
    int index;
} cand;

/* Descending score; ties keep anchor order (JavaScript's sort is stable). */
static int by_score(const void *pa, const void *pb)
{
    const cand *a = pa, *b = pb;
    if (a->score != b->score)
        return a->score > b->score ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static float sigmoid(float v) { return (float)(1.0 / (1.0 + exp(-(double)v))); }

/* The unit box of anchor idx mapped to photo pixels (clip to [0, 1], undo the padding). */
static pr_ssd_box to_photo(const float *b, float score, int width, int height)
{
    double scale = (double)PR_SSD_INPUT / (width > height ? width : height);
    double rw = floor(width * scale + 0.5), rh = floor(height * scale + 0.5); /* Math.round */
    double pad_x = PR_SSD_INPUT / rw, pad_y = PR_SSD_INPUT / rh;
    double top = fmax(0.0, b[0]) * pad_y, bottom = fmin(1.0, b[2]) * pad_y;
    double left = fmax(0.0, b[1]) * pad_x, right = fmin(1.0, b[3]) * pad_x;
    pr_ssd_box r = {left * width, top * height, (right - left) * width, (bottom - top) * height,
                    score};
    return r;
}

pr_status pr_ssd_decode(const float *net_out, const float *anchors, int width, int height,
                        const pr_ssd_params *params, pr_ssd_box *boxes, size_t *n)
{
    pr_status st = PR_OK;
    const float *enc = net_out, *logits = net_out + 4 * PR_SSD_ANCHORS;
    cand *c = pr_malloc_array(PR_SSD_ANCHORS, sizeof *c);
    float(*dec)[4] = pr_malloc_array(PR_SSD_ANCHORS, sizeof *dec);
    int *kept = pr_malloc_array(PR_SSD_ANCHORS, sizeof *kept);
    size_t nc = 0, nk = 0, limit = params->max_results > 0 ? (size_t)params->max_results : 0;
    if (!c || !dec || !kept) {
        st = pr_set_error(PR_ERR_NOMEM, "ssd: out of memory");
        goto done;
    }
    /* Boxes only for the anchors that pass the score threshold (the others are never read). */
    for (int i = 0; i < PR_SSD_ANCHORS; i++) {
        float s = sigmoid(logits[3 * i + 1]);
        if (s > params->min_confidence) {
            c[nc++] = (cand){s, i};
            decode_box(anchors + 4 * i, enc + 4 * i, dec[i]);
        }
    }
    qsort(c, nc, sizeof *c, by_score);
    for (size_t k = 0; k < nc && nk < limit; k++) {
        int keep = 1;
        for (size_t j = nk; j-- > 0;)
            if (iou(dec[c[k].index], dec[kept[j]]) > params->iou) {
                keep = 0;
                break;
            }
        if (keep) {
            kept[nk] = c[k].index;
            boxes[nk++] = to_photo(dec[c[k].index], c[k].score, width, height);
        }
    }
done:
    pr_free(c);
    pr_free(dec);
    pr_free(kept);
    *n = nk;
    return st;
}

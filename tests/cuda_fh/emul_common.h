/* Test helpers shared by the cuda_fh tests: images, the CPU stages up to the sorted edge list, and
 * the comparison with pr_fh_segment. */
#ifndef PR_TESTS_CUDA_FH_EMUL_COMMON_H
#define PR_TESTS_CUDA_FH_EMUL_COMMON_H

#include "segment/felzenszwalb.h"
#include "tests/cuda_fh/fh_emul.h"

#include "core/alloc.h"
#include "core/rng.h"

#include <stdio.h>
#include <string.h>

/* Random RGB noise (smooth = 0) or a blocky image with a few grey levels (smooth = 1, many ties). */
static inline pr_image *emul_random_image(pr_rng *rng, int w, int h, int kind)
{
    pr_image *img = NULL;
    if (pr_image_new(w, h, 3, &img) != PR_OK)
        return NULL;
    const int levels = 2 + (int)pr_rng_below(rng, 5);
    for (int y = 0; y < h; y++) {
        uint8_t *row = pr_image_row(img, y);
        for (int x = 0; x < w * 3; x++) {
            if (kind == 0)
                row[x] = (uint8_t)pr_rng_below(rng, 256);
            else if (kind == 1)
                row[x] = (uint8_t)(((x / 3) / 5 + y / 4 + (int)pr_rng_below(rng, 2)) % levels * 60);
            else
                row[x] = 128; /* flat: every weight is 0 */
        }
    }
    return img;
}

/* The CPU stages 1-4: *sorted is caller-owned (pr_free), *count its length. */
static inline pr_status emul_sorted_edges(const pr_image *img, double sigma, uint64_t **sorted,
                                          size_t *count)
{
    const size_t n = (size_t)img->width * (size_t)img->height;
    const size_t m = pr_fh_edge_count(img->width, img->height);
    float *planes = pr_malloc_array(3 * n, sizeof(float));
    uint64_t *e = pr_malloc_array(m ? m : 1, sizeof(uint64_t));
    pr_status st = (planes && e) ? PR_OK : pr_set_error(PR_ERR_NOMEM, "emul: out of memory");
    if (st == PR_OK)
        st = pr_fh_smooth(img, sigma, planes);
    if (st == PR_OK) {
        pr_fh_build_edges(planes, img->width, img->height, e);
        st = pr_fh_sort_edges(e, m, NULL);
    }
    pr_free(planes);
    if (st != PR_OK) {
        pr_free(e);
        return st;
    }
    *sorted = e;
    *count = m;
    return PR_OK;
}

/* 1 when the emulation (mode, window) gives exactly pr_fh_segment's labels; prints the first
 * difference otherwise. stats may be NULL. */
static inline int emul_matches(const pr_image *img, const pr_fh_params *p, int mode, size_t window,
                               pr_emul_stats *stats, int *segments)
{
    pr_labels *ref = NULL;
    uint64_t *sorted = NULL;
    size_t m = 0;
    int32_t *lab = NULL;
    int ok = 0, segs = 0;
    if (pr_fh_segment(img, p, &ref, NULL) != PR_OK ||
        emul_sorted_edges(img, p->sigma, &sorted, &m) != PR_OK) {
        fprintf(stderr, "emul: CPU reference failed: %s\n", pr_last_error());
        goto done;
    }
    lab = pr_malloc_array((size_t)img->width * img->height, sizeof(int32_t));
    if (!lab || pr_emul_merge(sorted, m, img->width, img->height, p->k, p->min_size, mode, window,
                              lab, &segs, stats) != PR_OK) {
        fprintf(stderr, "emul: failed: %s\n", pr_last_error());
        goto done;
    }
    if (segments)
        *segments = segs;
    ok = 1;
    for (size_t i = 0; i < (size_t)img->width * img->height; i++)
        if (lab[i] != ref->data[i]) {
            fprintf(stderr, "emul: %dx%d sigma %g k %g min %d window %zu: pixel %zu label %d, CPU %d\n",
                    img->width, img->height, p->sigma, p->k, p->min_size, window, i, lab[i],
                    ref->data[i]);
            ok = 0;
            break;
        }
done:
    pr_labels_delete(ref);
    pr_free(sorted);
    pr_free(lab);
    return ok;
}

/* Achievable segmentation accuracy of labels `a` against the partition `ref` (both canonical,
 * n pixels): each segment of a counts its largest overlap with one ref segment; the sum over n.
 * 1.0 when a refines ref. -1 on allocation failure. */
static inline double emul_asa(const int32_t *a, const int32_t *ref, size_t n)
{
    int32_t na = 0, nr = 0;
    for (size_t i = 0; i < n; i++) {
        if (a[i] + 1 > na)
            na = a[i] + 1;
        if (ref[i] + 1 > nr)
            nr = ref[i] + 1;
    }
    /* sparse overlap counting: sort pixel pairs (a, ref) packed in 64 bits */
    uint64_t *pairs = pr_malloc_array(n ? n : 1, sizeof(uint64_t));
    int32_t *best = pr_calloc((size_t)na + 1, sizeof(int32_t));
    if (!pairs || !best) {
        pr_free(pairs);
        pr_free(best);
        return -1.0;
    }
    for (size_t i = 0; i < n; i++)
        pairs[i] = (uint64_t)(uint32_t)a[i] << 32 | (uint32_t)ref[i];
    pr_fh_sort_edges(pairs, n, NULL); /* sorts by the high 32 bits (a), stable */
    /* within one a-segment the ref labels are not sorted: count with a small open hash per run */
    size_t i = 0, total = 0;
    int32_t *cnt = pr_calloc((size_t)nr + 1, sizeof(int32_t));
    if (!cnt) {
        pr_free(pairs);
        pr_free(best);
        return -1.0;
    }
    while (i < n) {
        size_t j = i;
        int32_t mx = 0;
        while (j < n && pairs[j] >> 32 == pairs[i] >> 32) {
            const int32_t c = ++cnt[(uint32_t)pairs[j]];
            if (c > mx)
                mx = c;
            j++;
        }
        for (size_t q = i; q < j; q++)
            cnt[(uint32_t)pairs[q]] = 0;
        total += (size_t)mx;
        i = j;
    }
    pr_free(cnt);
    pr_free(pairs);
    pr_free(best);
    return n ? (double)total / (double)n : 1.0;
}

#endif

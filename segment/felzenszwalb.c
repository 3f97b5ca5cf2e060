/* Felzenszwalb–Huttenlocher segmentation (IJCV 2004), exact CPU reference and fast CPU path.
 *
 * Algorithm notes. The graph is the 8-connected pixel grid weighted by the RGB distance of the
 * Gaussian-smoothed image. Kruskal-style merging in increasing weight joins two components when
 * the edge is no heavier than either component's internal difference plus k/|C| (the authors'
 * Int(C) + tau(C), kept as one float "threshold" per root). A final pass joins components below
 * min_size along the same edge order. The exact rules (float order, tie-breaks) are in the header;
 * this file is their one implementation, so the stage functions and pr_fh_segment cannot drift.
 *
 * Speed without changing the result:
 * - Smoothing works on clamp-padded rows so the inner loops have no branches and vectorise; every
 *   output element still sees the same float operations in the same order (no FMA: the target is
 *   compiled with -ffp-contract=off), so vectorising does not change a bit.
 * - An edge is one uint64 (weight bits << 32 | raster slot): the sort key and the tie-break are the
 *   same integer, sorted by an LSD radix sort (3 passes of 11/11/10 bits over the weight bits;
 *   passes whose digit is the same for every edge are skipped). LSD is stable and the input is in
 *   raster order, so ties keep raster order, as the specification demands.
 * - The forest is one int32 per pixel (parent, or minus the size at a root) plus a float
 *   threshold read only at roots: 8 bytes per pixel touched in random order. Edges arrive in weight
 *   order, i.e. spatially random, so the merge loop prefetches the endpoints of an edge a few
 *   iterations ahead; find uses path halving.
 * - The min_size pass stops as soon as no component is below min_size (nothing could join). */
#define _DEFAULT_SOURCE /* madvise */

#include "segment/felzenszwalb.h"

#include "core/alloc.h"
#include "core/clock.h"

#include <math.h>
#include <stdint.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

/* pr_malloc_array for the large per-image buffers. Fresh pages cost a fault each on first touch,
 * which in a VM is a large share of the whole run at 7.5 MP; transparent huge pages cut the
 * faults 512-fold where the system allows them (a hint only: nothing changes if it is refused). */
static void *big_alloc(size_t count, size_t size)
{
    void *p = pr_malloc_array(count, size);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    const size_t huge = (size_t)2 << 20;
    if (p && count * size >= 4 * huge) {
        uintptr_t lo = ((uintptr_t)p + huge - 1) & ~(uintptr_t)(huge - 1);
        uintptr_t hi = ((uintptr_t)p + count * size) & ~(uintptr_t)(huge - 1);
        if (hi > lo)
            (void)madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
    }
#endif
    return p;
}

pr_fh_params pr_fh_params_default(void)
{
    pr_fh_params p;
    p.sigma = 0.8;
    p.k = 300.0;
    p.min_size = 20;
    return p;
}

pr_status pr_fh_params_check(const pr_fh_params *p)
{
    if (!p)
        return pr_set_error(PR_ERR_ARG, "felzenszwalb: params is NULL");
    if (!isfinite(p->sigma) || p->sigma < 0.0)
        return pr_set_error(PR_ERR_ARG, "felzenszwalb: sigma must be >= 0 (got %g)", p->sigma);
    if (p->sigma > 15.5)
        return pr_set_error(PR_ERR_ARG, "felzenszwalb: sigma must be <= 15.5 (got %g)", p->sigma);
    if (!isfinite(p->k) || p->k <= 0.0)
        return pr_set_error(PR_ERR_ARG, "felzenszwalb: k must be > 0 (got %g)", p->k);
    if (p->min_size < 0)
        return pr_set_error(PR_ERR_ARG, "felzenszwalb: min_size must be >= 0 (got %d)",
                            p->min_size);
    return PR_OK;
}

/* ---- stage 1: mask ---- */

pr_status pr_fh_gauss_mask(double sigma, float *mask, int *len)
{
    if (!mask || !len)
        return pr_set_error(PR_ERR_ARG, "pr_fh_gauss_mask: NULL argument");
    if (!isfinite(sigma) || sigma < 0.0 || sigma > 15.5)
        return pr_set_error(PR_ERR_ARG, "felzenszwalb: sigma must be in [0, 15.5] (got %g)",
                            sigma);
    float s = (float)sigma;
    if (s < 0.01f)
        s = 0.01f;
    int n = (int)ceil((double)s * 4.0) + 1;
    if (n > PR_FH_MAX_MASK)
        return pr_set_error(PR_ERR_ARG, "felzenszwalb: sigma %g too large", sigma);
    for (int i = 0; i < n; i++) {
        float q = (float)i / s;
        mask[i] = (float)exp(-0.5 * (double)(q * q));
    }
    float sum = 0.0f;
    for (int i = 1; i < n; i++)
        sum += fabsf(mask[i]);
    sum = 2.0f * sum + fabsf(mask[0]);
    for (int i = 0; i < n; i++)
        mask[i] /= sum;
    *len = n;
    return PR_OK;
}

/* ---- stage 2: smoothing ---- */

/* out[x] for x in [0, n) from a row padded by len-1 clamped values on each side. */
static void convolve_padded(const float *restrict pad, int n, const float *mask, int len,
                            float *restrict out)
{
    const float *c = pad + (len - 1);
    const float m0 = mask[0];
    for (int x = 0; x < n; x++)
        out[x] = m0 * c[x];
    for (int i = 1; i < len; i++) {
        const float mi = mask[i];
        const float *l = c - i, *r = c + i;
        for (int x = 0; x < n; x++)
            out[x] += mi * (l[x] + r[x]);
    }
}

/* tmp_buf: width*height floats of scratch, or NULL to allocate them here. */
static pr_status smooth_impl(const pr_image *rgb, double sigma, float *planes, float *tmp_buf)
{
    if (!rgb || !planes || !rgb->data || rgb->width <= 0 || rgb->height <= 0 ||
        (rgb->channels != 1 && rgb->channels != 3))
        return pr_set_error(PR_ERR_ARG, "pr_fh_smooth: need a non-empty grey or RGB image");
    float mask[PR_FH_MAX_MASK];
    int len = 0;
    pr_status st = pr_fh_gauss_mask(sigma, mask, &len);
    if (st != PR_OK)
        return st;
    const int w = rgb->width, h = rgb->height, ch = rgb->channels;
    const size_t n = (size_t)w * (size_t)h;
    const int padn = (w > h ? w : h) + 2 * (len - 1);
    float *pad = pr_malloc_array((size_t)padn, sizeof(float));
    float *own = tmp_buf ? NULL : big_alloc(n, sizeof(float));
    float *tmp = tmp_buf ? tmp_buf : own;
    if (!pad || !tmp) {
        pr_free(pad);
        pr_free(own);
        return pr_set_error(PR_ERR_NOMEM, "pr_fh_smooth: out of memory (%dx%d)", w, h);
    }
    for (int c = 0; c < 3; c++) {
        const int src_c = ch == 3 ? c : 0;
        /* x pass: row into the padded buffer, convolved into tmp. */
        for (int y = 0; y < h; y++) {
            const uint8_t *row = pr_image_row(rgb, y);
            float *pc = pad + (len - 1);
            for (int x = 0; x < w; x++)
                pc[x] = (float)row[(size_t)x * ch + src_c];
            for (int i = 1; i < len; i++) {
                pc[-i] = pc[0];
                pc[w - 1 + i] = pc[w - 1];
            }
            convolve_padded(pad, w, mask, len, tmp + (size_t)y * w);
        }
        /* y pass, a whole row at a time so the inner loop runs along x (contiguous). */
        float *plane = planes + (size_t)c * n;
        for (int y = 0; y < h; y++) {
            float *restrict o = plane + (size_t)y * w;
            const float *t0 = tmp + (size_t)y * w;
            const float m0 = mask[0];
            for (int x = 0; x < w; x++)
                o[x] = m0 * t0[x];
            for (int i = 1; i < len; i++) {
                const int yl = y - i < 0 ? 0 : y - i;
                const int yr = y + i > h - 1 ? h - 1 : y + i;
                const float *restrict l = tmp + (size_t)yl * w;
                const float *restrict r = tmp + (size_t)yr * w;
                const float mi = mask[i];
                for (int x = 0; x < w; x++)
                    o[x] += mi * (l[x] + r[x]);
            }
        }
    }
    pr_free(pad);
    pr_free(own);
    return PR_OK;
}

pr_status pr_fh_smooth(const pr_image *rgb, double sigma, float *planes)
{
    return smooth_impl(rgb, sigma, planes, NULL);
}

/* ---- stage 3: edges ---- */

size_t pr_fh_edge_count(int width, int height)
{
    if (width <= 0 || height <= 0)
        return 0;
    size_t w = (size_t)width, h = (size_t)height;
    /* right: (w-1)h, down: w(h-1), down-right and up-right: (w-1)(h-1) each. */
    return (w - 1) * h + w * (h - 1) + 2 * (w - 1) * (h - 1);
}

static inline uint32_t float_bits(float f)
{
    union { float f; uint32_t u; } v;
    v.f = f;
    return v.u;
}

/* Weights from pixel row (r0,g0,b0) to the row (r1,g1,b1) shifted by dx, for x in [0, n). */
static void row_weights(const float *restrict r0, const float *restrict g0,
                        const float *restrict b0, const float *restrict r1,
                        const float *restrict g1, const float *restrict b1, int n,
                        float *restrict out)
{
    for (int x = 0; x < n; x++) {
        const float dr = r0[x] - r1[x], dg = g0[x] - g1[x], db = b0[x] - b1[x];
        out[x] = sqrtf((dr * dr + dg * dg) + db * db);
    }
}

void pr_fh_build_edges(const float *planes, int width, int height, uint64_t *edges)
{
    const int w = width, h = height;
    const size_t n = (size_t)w * (size_t)h;
    const float *R = planes, *G = planes + n, *B = planes + 2 * n;
    /* Weights are computed a row chunk at a time (vectorised), then interleaved into slots. */
    enum { CHUNK = 1024 };
    float wr[CHUNK], wd[CHUNK], wdr[CHUNK], wur[CHUNK];
    size_t e = 0;
    for (int y = 0; y < h; y++) {
        const size_t row = (size_t)y * w;
        const int has_down = y + 1 < h, has_up = y > 0;
        for (int x0 = 0; x0 < w; x0 += CHUNK) {
            const int cn = w - x0 < CHUNK ? w - x0 : CHUNK;
            /* neighbours to the right exist for x < w-1 */
            const int nr = x0 + cn < w ? cn : cn - 1;
            const size_t p0 = row + (size_t)x0;
            row_weights(R + p0, G + p0, B + p0, R + p0 + 1, G + p0 + 1, B + p0 + 1, nr, wr);
            if (has_down) {
                row_weights(R + p0, G + p0, B + p0, R + p0 + w, G + p0 + w, B + p0 + w, cn, wd);
                row_weights(R + p0, G + p0, B + p0, R + p0 + w + 1, G + p0 + w + 1,
                            B + p0 + w + 1, nr, wdr);
            }
            if (has_up)
                row_weights(R + p0, G + p0, B + p0, R + p0 - w + 1, G + p0 - w + 1,
                            B + p0 - w + 1, nr, wur);
            for (int i = 0; i < cn; i++) {
                const uint64_t slot = (uint64_t)(p0 + (size_t)i) * 4u;
                const int right = i < nr;
                if (right)
                    edges[e++] = (uint64_t)float_bits(wr[i]) << 32 | slot;
                if (has_down) {
                    edges[e++] = (uint64_t)float_bits(wd[i]) << 32 | (slot + 1);
                    if (right)
                        edges[e++] = (uint64_t)float_bits(wdr[i]) << 32 | (slot + 2);
                }
                if (has_up && right)
                    edges[e++] = (uint64_t)float_bits(wur[i]) << 32 | (slot + 3);
            }
        }
    }
}

/* ---- stage 4: sort ---- */

pr_status pr_fh_sort_edges(uint64_t *edges, size_t count, uint64_t *scratch)
{
    enum { BITS0 = 11, BITS1 = 11, BITS2 = 10 };
    static const int shift[3] = {32, 32 + BITS0, 32 + BITS0 + BITS1};
    static const uint64_t dmask[3] = {(1u << BITS0) - 1, (1u << BITS1) - 1, (1u << BITS2) - 1};
    if (count < 2)
        return PR_OK;
    if (!edges)
        return pr_set_error(PR_ERR_ARG, "pr_fh_sort_edges: edges is NULL");
    uint64_t *own = NULL;
    if (!scratch) {
        own = scratch = big_alloc(count, sizeof(uint64_t));
        if (!scratch)
            return pr_set_error(PR_ERR_NOMEM, "pr_fh_sort_edges: out of memory (%zu edges)",
                                count);
    }
    size_t *hist = pr_calloc(3u << 11, sizeof(size_t));
    if (!hist) {
        pr_free(own);
        return pr_set_error(PR_ERR_NOMEM, "pr_fh_sort_edges: out of memory");
    }
    size_t *h0 = hist, *h1 = hist + 2048, *h2 = hist + 4096;
    for (size_t i = 0; i < count; i++) {
        const uint64_t v = edges[i];
        h0[(v >> shift[0]) & dmask[0]]++;
        h1[(v >> shift[1]) & dmask[1]]++;
        h2[(v >> shift[2]) & dmask[2]]++;
    }
    uint64_t *src = edges, *dst = scratch;
    for (int pass = 0; pass < 3; pass++) {
        size_t *hp = hist + (size_t)pass * 2048;
        const size_t buckets = (size_t)dmask[pass] + 1;
        /* A digit shared by every edge would only copy the array: skip the pass. */
        const size_t d0 = (size_t)((src[0] >> shift[pass]) & dmask[pass]);
        if (hp[d0] == count)
            continue;
        size_t sum = 0;
        for (size_t b = 0; b < buckets; b++) {
            const size_t c = hp[b];
            hp[b] = sum;
            sum += c;
        }
        const int sh = shift[pass];
        const uint64_t m = dmask[pass];
        for (size_t i = 0; i < count; i++) {
            const uint64_t v = src[i];
            dst[hp[(v >> sh) & m]++] = v;
        }
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != edges)
        memcpy(edges, src, count * sizeof(uint64_t));
    pr_free(hist);
    pr_free(own);
    return PR_OK;
}

/* ---- stages 5-7: forest ---- */

static inline int32_t find_inline(pr_fh_node *restrict f, int32_t p)
{
    for (;;) {
        const int32_t q = f[p].parent;
        if (q < 0)
            return p;
        const int32_t g = f[q].parent;
        if (g < 0)
            return q;
        f[p].parent = g; /* path halving */
        p = g;
    }
}

int32_t pr_fh_find(pr_fh_node *forest, int32_t p)
{
    return find_inline(forest, p);
}

static inline void endpoints(uint64_t e, const int32_t off[4], int32_t *a, int32_t *b)
{
    const uint32_t slot = (uint32_t)e;
    *a = (int32_t)(slot >> 2);
    *b = *a + off[slot & 3];
}

/* Two-stage prefetch: the endpoints' nodes FAR edges ahead, then (once those lines have arrived)
 * their parents' nodes NEAR edges ahead. Only hints: the result is the same without them. */
#ifndef PR_FH_PF_FAR
#define PR_FH_PF_FAR 24
#define PR_FH_PF_NEAR 10
#endif
enum { PREFETCH_FAR = PR_FH_PF_FAR, PREFETCH_NEAR = PR_FH_PF_NEAR };

static inline void prefetch_edges(const uint64_t *sorted, size_t i, size_t count,
                                  const int32_t off[4], const pr_fh_node *f)
{
    int32_t pa, pb;
    if (i + PREFETCH_FAR < count) {
        endpoints(sorted[i + PREFETCH_FAR], off, &pa, &pb);
        __builtin_prefetch(&f[pa], 1);
        __builtin_prefetch(&f[pb], 1);
    }
    if (i + PREFETCH_NEAR < count) {
        endpoints(sorted[i + PREFETCH_NEAR], off, &pa, &pb);
        const int32_t qa = f[pa].parent, qb = f[pb].parent;
        if (qa >= 0)
            __builtin_prefetch(&f[qa], 1);
        if (qb >= 0)
            __builtin_prefetch(&f[qb], 1);
    }
}

void pr_fh_merge(const uint64_t *sorted, size_t count, int width, int height, double k,
                 pr_fh_node *forest)
{
    const size_t n = (size_t)width * (size_t)height;
    const float kf = (float)k;
    const int32_t off[4] = {1, width, width + 1, -width + 1};
    pr_fh_node *restrict f = forest;
    for (size_t i = 0; i < n; i++) {
        f[i].parent = -1;
        f[i].thr = kf;
    }
    for (size_t i = 0; i < count; i++) {
        prefetch_edges(sorted, i, count, off, f);
        const uint64_t e = sorted[i];
        int32_t a, b;
        endpoints(e, off, &a, &b);
        a = find_inline(f, a);
        b = find_inline(f, b);
        if (a == b)
            continue;
        const float wgt = pr_fh_edge_weight(e);
        if (wgt <= f[a].thr && wgt <= f[b].thr) {
            /* union by size: the larger root survives (parent is minus the size) */
            if (f[a].parent > f[b].parent) {
                const int32_t t = a;
                a = b;
                b = t;
            }
            f[a].parent += f[b].parent;
            f[b].parent = a;
            f[a].thr = wgt + kf / (float)(-f[a].parent);
        }
    }
}

/* Every node points straight at its root (raster order, so mostly sequential). */
static void flatten(pr_fh_node *f, size_t n)
{
    for (size_t p = 0; p < n; p++) {
        const int32_t q = f[p].parent;
        if (q >= 0 && f[q].parent >= 0)
            f[p].parent = find_inline(f, q);
    }
}

static inline int32_t root_of(const pr_fh_node *f, int32_t p)
{
    return f[p].parent < 0 ? p : f[p].parent;
}

/* cand_buf: width*height/2 + 1 bytes of scratch, or NULL to allocate them here. */
static pr_status min_size_impl(const uint64_t *sorted, size_t count, int width, int height,
                               int min_size, pr_fh_node *forest, uint8_t *cand_buf)
{
    if (min_size <= 1 || count == 0)
        return PR_OK;
    const int w = width, h = height;
    const size_t n = (size_t)w * (size_t)h;
    const int32_t off[4] = {1, w, w + 1, -w + 1};
    pr_fh_node *restrict f = forest;
    flatten(f, n);
    /* Components below min_size; when none is left no edge can join anything. */
    size_t small = 0;
    for (size_t p = 0; p < n; p++)
        if (f[p].parent < 0 && -f[p].parent < min_size)
            small++;
    if (small == 0)
        return PR_OK;
    /* Only an edge between two different components, one of them small, can ever join (sizes only
     * grow). Mark those slots in raster order, where the forest is read sequentially, so the pass
     * in weight order (random in space) touches the forest only for them. */
    uint8_t *own = NULL, *cand = cand_buf;
    if (cand)
        memset(cand, 0, n / 2 + 1);
    else if (!(cand = own = pr_calloc(n / 2 + 1, 1)))
        return pr_set_error(PR_ERR_NOMEM, "pr_fh_min_size: out of memory (%dx%d)", w, h);
    for (int y = 0; y < h; y++) {
        for (int x = 0; x < w; x++) {
            const int32_t p = (int32_t)((size_t)y * w + x);
            const int32_t rp = root_of(f, p);
            const int sp = -f[rp].parent < min_size;
            for (int d = 0; d < 4; d++) {
                if ((d != 1 && x + 1 >= w) || (d == 1 && y + 1 >= h) || (d == 2 && y + 1 >= h) ||
                    (d == 3 && y == 0))
                    continue;
                const int32_t rq = root_of(f, p + off[d]);
                if (rq != rp && (sp || -f[rq].parent < min_size)) {
                    const uint32_t slot = (uint32_t)p * 4u + (uint32_t)d;
                    cand[slot >> 3] |= (uint8_t)(1u << (slot & 7));
                }
            }
        }
    }
    for (size_t i = 0; i < count && small > 0; i++) {
        const uint32_t slot = (uint32_t)sorted[i];
        if (!(cand[slot >> 3] & (1u << (slot & 7))))
            continue;
        int32_t a, b;
        endpoints(sorted[i], off, &a, &b);
        a = find_inline(f, a);
        b = find_inline(f, b);
        if (a == b)
            continue;
        const int32_t sa = -f[a].parent, sb = -f[b].parent;
        if (sa >= min_size && sb >= min_size)
            continue;
        small -= (size_t)(sa < min_size) + (size_t)(sb < min_size);
        if (sa + sb < min_size)
            small++;
        if (sa < sb) {
            const int32_t t = a;
            a = b;
            b = t;
        }
        f[a].parent += f[b].parent;
        f[b].parent = a;
    }
    pr_free(own);
    return PR_OK;
}

pr_status pr_fh_min_size(const uint64_t *sorted, size_t count, int width, int height,
                         int min_size, pr_fh_node *forest)
{
    return min_size_impl(sorted, count, width, height, min_size, forest, NULL);
}

void pr_fh_relabel(pr_fh_node *forest, pr_labels *labels, int *count)
{
    const size_t n = (size_t)labels->width * (size_t)labels->height;
    int32_t *lab = labels->data;
    for (size_t p = 0; p < n; p++)
        lab[p] = find_inline(forest, (int32_t)p);
    /* The forest is no longer needed: reuse its parent fields as the root -> label map. */
    for (size_t p = 0; p < n; p++)
        forest[p].parent = -1;
    int32_t next = 0;
    for (size_t p = 0; p < n; p++) {
        const int32_t r = lab[p];
        if (forest[r].parent < 0)
            forest[r].parent = next++;
        lab[p] = forest[r].parent;
    }
    if (count)
        *count = (int)next;
}

/* ---- the whole thing ---- */

pr_status pr_fh_segment(const pr_image *rgb, const pr_fh_params *params, pr_labels **out,
                        pr_fh_stats *stats)
{
    pr_fh_params def = pr_fh_params_default();
    const pr_fh_params *p = params ? params : &def;
    uint64_t *edges = NULL, *scratch = NULL;
    pr_labels *labels = NULL;
    pr_status st;
    pr_fh_stats s;
    memset(&s, 0, sizeof s);

    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_fh_segment: out is NULL");
    *out = NULL;
    if ((st = pr_fh_params_check(p)) != PR_OK)
        return st;
    if (!rgb || !rgb->data || rgb->width <= 0 || rgb->height <= 0 ||
        (rgb->channels != 1 && rgb->channels != 3))
        return pr_set_error(PR_ERR_ARG, "pr_fh_segment: need a non-empty grey or RGB image");
    const int w = rgb->width, h = rgb->height;
    const size_t n = (size_t)w * (size_t)h;
    if ((int64_t)n > PR_FH_MAX_PIXELS)
        return pr_set_error(PR_ERR_LIMIT, "pr_fh_segment: %dx%d is above the %lld-pixel limit", w,
                            h, (long long)PR_FH_MAX_PIXELS);
    const size_t m = pr_fh_edge_count(w, h);
    const double t0 = pr_clock_ms();

    /* Two big buffers for the whole run: the edges, and one scratch area that holds in turn the
     * smoothed planes (16 bytes a pixel), the radix sort's second array (8 bytes an edge, about
     * 32 a pixel) and the forest plus the min-size bitmap (8.5 bytes a pixel). Fresh pages are
     * expensive (a fault each, and in a VM a host fault too), so they are not asked for twice. */
    const size_t scratch_count = m > 2 * n + 2 ? m : 2 * n + 2;
    edges = big_alloc(m ? m : 1, sizeof(uint64_t));
    scratch = big_alloc(scratch_count, sizeof(uint64_t));
    if (!edges || !scratch) {
        st = pr_set_error(PR_ERR_NOMEM, "pr_fh_segment: out of memory (%dx%d)", w, h);
        goto fail;
    }
    float *planes = (float *)(void *)scratch;
    if ((st = smooth_impl(rgb, p->sigma, planes, planes + 3 * n)) != PR_OK)
        goto fail;
    const double t1 = pr_clock_ms();
    pr_fh_build_edges(planes, w, h, edges);
    const double t2 = pr_clock_ms();
    if ((st = pr_fh_sort_edges(edges, m, scratch)) != PR_OK)
        goto fail;
    const double t3 = pr_clock_ms();
    if ((st = pr_labels_new(w, h, &labels)) != PR_OK)
        goto fail;
    pr_fh_node *forest = (pr_fh_node *)(void *)scratch;
    pr_fh_merge(edges, m, w, h, p->k, forest);
    if ((st = min_size_impl(edges, m, w, h, p->min_size, forest, (uint8_t *)(forest + n))) !=
        PR_OK)
        goto fail;
    pr_fh_relabel(forest, labels, &s.segments);
    const double t4 = pr_clock_ms();

    s.ms_smooth = t1 - t0;
    s.ms_edges = t2 - t1;
    s.ms_sort = t3 - t2;
    s.ms_merge = t4 - t3;
    s.ms_total = t4 - t0;
    s.edges = m;
    if (stats)
        *stats = s;
    pr_free(edges);
    pr_free(scratch);
    *out = labels;
    return PR_OK;

fail:
    pr_free(edges);
    pr_free(scratch);
    pr_labels_delete(labels);
    return st;
}

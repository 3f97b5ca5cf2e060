/* Felzenszwalb–Huttenlocher graph-based segmentation, exact CPU reference.
 *
 * P. F. Felzenszwalb, D. P. Huttenlocher, "Efficient Graph-Based Image Segmentation", IJCV 59(2),
 * 2004. This is both the fast CPU path and the specification the CUDA kernels must reproduce bit
 * for bit. The result is fully defined by the rules below; every float operation is single
 * precision, in the order written, with no fused multiply-add (segment/ is compiled with
 * -ffp-contract=off; CUDA code must use __fmul_rn/__fadd_rn or -fmad=false, and keep the
 * IEEE-rounded sqrtf and division, i.e. -prec-sqrt=true -prec-div=true, no --use_fast_math).
 * The Gaussian mask involves exp() in double, whose last bit may differ between libms: a GPU
 * implementation should take the mask computed on the host by pr_fh_gauss_mask.
 *
 * Stages (each a public function, so a GPU implementation can replace any of them and be checked
 * against the others):
 *
 * 1. pr_fh_gauss_mask: sigma_f = max((float)sigma, 0.01f); len = (int)ceil(sigma_f * 4.0) + 1
 *    (the product in double). mask[i] = (float)exp(-0.5 * (double)(q * q)) with the float
 *    q = (float)i / sigma_f. Then s = sum_{i=1..len-1} mask[i] (float, in increasing i),
 *    s = 2.0f * s + mask[0], and mask[i] = mask[i] / s for every i.
 *
 * 2. pr_fh_smooth: each channel (8-bit value converted to float 0..255) is convolved along x and
 *    then along y (the x-pass result, in float, is the y-pass input) with
 *        out[x] = mask[0] * in[x];  for i = 1..len-1: out[x] += mask[i] * (in[xl] + in[xr])
 *    where xl = max(x - i, 0), xr = min(x + i, n - 1) (borders clamped). Output: three float
 *    planes R, G, B of width*height each, row-major, in one buffer of 3 * width * height floats.
 *
 * 3. pr_fh_build_edges: the 8-connected graph. For each pixel p = y * width + x in raster order the
 *    edges, in this order, to: dir 0 (x+1, y), dir 1 (x, y+1), dir 2 (x+1, y+1), dir 3 (x+1, y-1),
 *    each only where that neighbour exists. Weight w = sqrtf((dr*dr + dg*dg) + db*db), d = this
 *    pixel's smoothed value minus the neighbour's. An edge is stored as one uint64_t:
 *        (uint64_t)float_bits(w) << 32 | (p * 4 + dir)
 *    (the low 32 bits are the "slot"). Edges are written in raster order, which is ascending slot.
 *    Because w >= +0.0f and never NaN, comparing float bits as unsigned integers orders weights.
 *
 * 4. pr_fh_sort_edges: ascending as unsigned 64-bit integers, i.e. by weight, ties by raster
 *    position. (An LSD radix sort on the high 32 bits of an array in raster order gives the same
 *    order, because it is stable.)
 *
 * 5. pr_fh_merge: a forest over the pixels, every pixel its own component of size 1 with threshold
 *    thr = kf, kf = (float)k. For each edge in sorted order with endpoints a, b: ra = find(a),
 *    rb = find(b); if ra != rb and w <= thr[ra] and w <= thr[rb], join them; the joined root gets
 *    thr = w + kf / (float)size (size of the joined component). The partition does not depend on
 *    which root survives a join.
 *
 * 6. pr_fh_min_size: for each edge in the same sorted order: if find(a) != find(b) and either
 *    component has fewer than min_size pixels, join them (thresholds no longer matter).
 *
 * 7. pr_fh_relabel: labels numbered 0, 1, 2, ... in order of first appearance in raster order
 *    (canonical), so two implementations can be compared byte for byte.
 *
 * The forest is an array of width*height pr_fh_node: parent >= 0 is the pixel's parent, parent < 0
 * marks a root whose component has -parent pixels; thr is meaningful at roots only. Parent and
 * threshold share one 8-byte node so that visiting a root costs one cache line. */
#ifndef PR_SEGMENT_FELZENSZWALB_H
#define PR_SEGMENT_FELZENSZWALB_H

#include "core/image.h"
#include "core/labels.h"
#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_fh_params {
    double sigma; /* Gaussian pre-smoothing (>= 0; below 0.01 acts as 0.01), default 0.8 */
    double k;     /* scale of observation: larger k, larger segments (> 0), default 300 */
    int min_size; /* components smaller than this are merged away (>= 0), default 20 */
} pr_fh_params;

pr_fh_params pr_fh_params_default(void);
/* PR_ERR_ARG (with a message) for sigma < 0 or not finite, k <= 0 or not finite, min_size < 0. */
pr_status pr_fh_params_check(const pr_fh_params *params);

/* Timings of one run (milliseconds, wall clock) and the result's segment count. */
typedef struct pr_fh_stats {
    double ms_smooth, ms_edges, ms_sort, ms_merge, ms_total;
    int segments;
    size_t edges;
} pr_fh_stats;

/* Segments an 8-bit RGB image (a grey image is treated as R = G = B). params NULL = defaults;
 * stats may be NULL. *out is caller-owned (pr_labels_delete), canonical labels. PR_ERR_LIMIT for
 * images above PR_FH_MAX_PIXELS. Single-threaded; reentrant. */
pr_status pr_fh_segment(const pr_image *rgb, const pr_fh_params *params, pr_labels **out,
                        pr_fh_stats *stats);

/* The largest image: 4 * pixels must fit the 32-bit slot. */
#define PR_FH_MAX_PIXELS ((int64_t)1 << 30)
#define PR_FH_MAX_MASK 64 /* mask length bound; sigma above 15.5 is refused (PR_ERR_ARG) */

/* ---- stages (see the numbered rules above) ---- */

/* Stage 1. mask has room for PR_FH_MAX_MASK floats; *len receives the length. */
pr_status pr_fh_gauss_mask(double sigma, float *mask, int *len);

/* Stage 2. planes: caller-provided, 3 * width * height floats. rgb has 1 or 3 channels. */
pr_status pr_fh_smooth(const pr_image *rgb, double sigma, float *planes);

/* Number of edges of a width x height 8-connected grid (the length of pr_fh_build_edges' output). */
size_t pr_fh_edge_count(int width, int height);

/* Stage 3. edges: caller-provided, pr_fh_edge_count(width, height) entries. */
void pr_fh_build_edges(const float *planes, int width, int height, uint64_t *edges);

/* Endpoints of an edge's slot (low 32 bits) in a grid of the given width. */
static inline void pr_fh_edge_endpoints(uint64_t edge, int width, int32_t *a, int32_t *b)
{
    uint32_t slot = (uint32_t)edge;
    int32_t p = (int32_t)(slot >> 2);
    static const int dy[4] = {0, 1, 1, -1};
    static const int dx[4] = {1, 0, 1, 1};
    *a = p;
    *b = p + dy[slot & 3] * width + dx[slot & 3];
}

/* The weight of an edge. */
static inline float pr_fh_edge_weight(uint64_t edge)
{
    union { uint32_t u; float f; } v;
    v.u = (uint32_t)(edge >> 32);
    return v.f;
}

/* Stage 4. scratch: caller-provided, count entries (may be NULL: then it is allocated here). */
pr_status pr_fh_sort_edges(uint64_t *edges, size_t count, uint64_t *scratch);

typedef struct pr_fh_node {
    int32_t parent; /* >= 0: parent pixel; < 0: root of a component of -parent pixels */
    float thr;      /* a root's threshold (stage 5) */
} pr_fh_node;

/* Stage 5. forest: caller-provided, width * height nodes; initialised here. */
void pr_fh_merge(const uint64_t *sorted, size_t count, int width, int height, double k,
                 pr_fh_node *forest);

/* Stage 6. Works on the forest left by pr_fh_merge (any forest with correct root sizes). Allocates a
 * small bitmap (width*height/2 bytes): PR_ERR_NOMEM is possible. */
pr_status pr_fh_min_size(const uint64_t *sorted, size_t count, int width, int height,
                         int min_size, pr_fh_node *forest);

/* Stage 7. labels->width * labels->height must be the forest's size; *count (may be NULL) gets the
 * number of segments. The forest is consumed: it is overwritten (reused as the root -> label map). */
void pr_fh_relabel(pr_fh_node *forest, pr_labels *labels, int *count);

/* The root of p (path halving). */
int32_t pr_fh_find(pr_fh_node *forest, int32_t p);

#ifdef __cplusplus
}
#endif
#endif

/* Distance fusion (see fusion.h for the definition).
 *
 * Why a per-album scale: eigenface L2 distances, chi-square histogram distances and SIFT match
 * counts live in unrelated units whose spread also changes from album to album (lighting, camera),
 * so fixed weights on raw values would let the widest cue win. Ranks (the empirical CDF over the
 * album's pairs) make every cue uniform on [0, 1] whatever its units (as in rank-based score fusion,
 * e.g. Ho, Hull & Srihari 1994); the z-score variant keeps the shape of each distribution and maps
 * it through the normal CDF so both variants land on the same [0, 1] scale. Dropping a missing cue
 * and renormalising the weights keeps a pair with only a face comparable to a pair with face and
 * body. Clothing and background say something about identity only within one event (people change
 * clothes between days), hence same_event_only.
 *
 * Rank lookup: the sorted sample of a cue's values plus a 64k-cell grid over its range that gives
 * the sample interval each cell covers, so the per-pair binary search runs over a few values. The
 * answer equals a full binary search. When the sample is a subset anyway, cells holding at most 8
 * sample values are linearly interpolated between their edges instead (error <= 8 / m on top of
 * the sampling's). The default sample (2^17 values, 512 KB) stays in cache and
 * bounds the CDF's sampling error near 1 / sqrt(2^17) = 0.003. The inputs are taken as symmetric:
 * the upper triangle is fused and mirrored tile by tile. Rows are fused in parallel; the result does not depend
 * on the schedule. */
#include "cluster/fusion.h"

#include "core/alloc.h"
#include "core/threadpool.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define GRID 65536
#define FUSE_BLOCK 64

pr_fusion_params pr_fusion_params_default(void)
{
    pr_fusion_params p;
    memset(&p, 0, sizeof p);
    p.scale = PR_FUSION_RANK;
    p.missing = 1.0f;
    p.max_samples = 1 << 17;
    return p;
}

typedef struct cue_scale {
    const pr_cue_matrix *cue;
    float *sample; /* sorted */
    long m;
    double lo, hi;
    int32_t *grid; /* GRID + 1 lower bounds (max_samples fits an int) */
    double to_cell; /* GRID / (hi - lo) */
    int sampled;    /* the sample is a subset: the CDF is approximate anyway */
    float *edge_cdf; /* sampled: GRID + 1 CDF values at the cell edges, for interpolation */
    double mean, sd;
} cue_scale;

static int applies(const pr_cue_matrix *cue, const int32_t *event, int i, int j)
{
    return !cue->same_event_only || (event[i] >= 0 && event[i] == event[j]);
}

static int float_cmp(const void *a_, const void *b_)
{
    float a = *(const float *)a_, b = *(const float *)b_;
    return (a > b) - (a < b);
}

/* First index in [lo, hi) with sample[index] >= v (strict = 0) or > v (strict = 1). */
static long search(const float *sample, long lo, long hi, float v, int strict)
{
    while (lo < hi) {
        long mid = lo + (hi - lo) / 2;
        if (strict ? sample[mid] <= v : sample[mid] < v)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo;
}

static double rank_cdf(const cue_scale *s, float v)
{
    if (v < s->lo)
        return 0.0;
    if (v > s->hi)
        return 1.0;
    long a = 0, b = s->m;
    if (s->hi > s->lo) {
        double x = (v - s->lo) * s->to_cell;
        long g = (long)x;
        /* Sampled CDF (error ~ 1 / sqrt(m) already): interpolate between the cell's edges when the
         * cell holds few sample values, which bounds the extra error by their share. */
        if (s->sampled && g < GRID && s->grid[g + 1] - s->grid[g] <= 8) {
            double f = x - (double)g;
            return s->edge_cdf[g] + f * (s->edge_cdf[g + 1] - s->edge_cdf[g]);
        }
        long g0 = g - 1 < 0 ? 0 : g - 1;
        long g1 = g + 2 > GRID ? GRID : g + 2;
        a = s->grid[g0];
        b = g1 == GRID ? s->m : s->grid[g1];
    }
    /* Branch-free lower bound in [a, b): the comparisons are unpredictable, so a conditional
     * move beats a branch by several times here (this is the fusion's inner loop). */
    long lo = a, len = b - a;
    while (len > 1) {
        long half = len / 2;
        lo = s->sample[lo + half - 1] < v ? lo + half : lo;
        len -= half;
    }
    long less = lo + (len == 1 && s->sample[lo] < v);
    long le = less;
    while (le < s->m && s->sample[le] == v) /* ties are few: scan instead of a second search */
        le++;
    return ((double)less + 0.5 * (double)(le - less)) / (double)s->m;
}

static pr_status build_scale(const pr_fusion_params *p, int n, cue_scale *s)
{
    const float *d = s->cue->d;
    long count = 0;
    double sum = 0, sum2 = 0;
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            float v = d[(size_t)i * n + j];
            if (!isfinite(v) || !applies(s->cue, p->event, i, j))
                continue;
            count++;
            sum += v;
            sum2 += (double)v * v;
        }
    s->m = 0;
    if (count == 0)
        return PR_OK; /* the cue never applies */
    s->mean = sum / (double)count;
    double var = sum2 / (double)count - s->mean * s->mean;
    s->sd = var > 0 ? sqrt(var) : 0;
    if (p->scale != PR_FUSION_RANK) {
        s->m = count;
        return PR_OK;
    }
    long stride = (count + p->max_samples - 1) / p->max_samples;
    long m = (count + stride - 1) / stride;
    s->sample = pr_malloc_array((size_t)m, sizeof *s->sample);
    s->grid = pr_malloc_array(GRID + 1, sizeof *s->grid);
    if (!s->sample || !s->grid)
        return pr_set_error(PR_ERR_NOMEM, "out of memory scaling cue %s", s->cue->name);
    long e = 0, taken = 0;
    for (int i = 0; i < n && taken < m; i++)
        for (int j = i + 1; j < n && taken < m; j++) {
            float v = d[(size_t)i * n + j];
            if (!isfinite(v) || !applies(s->cue, p->event, i, j))
                continue;
            if (e++ % stride == 0)
                s->sample[taken++] = v;
        }
    s->m = taken;
    qsort(s->sample, (size_t)taken, sizeof *s->sample, float_cmp);
    s->lo = s->sample[0];
    s->hi = s->sample[taken - 1];
    s->to_cell = s->hi > s->lo ? GRID / (s->hi - s->lo) : 0;
    for (long g = 0; g <= GRID; g++) {
        double edge = s->lo + (s->hi - s->lo) * (double)g / GRID;
        s->grid[g] = (int32_t)search(s->sample, 0, taken, (float)edge, 0);
    }
    s->sampled = taken < count;
    if (s->sampled) {
        s->edge_cdf = pr_malloc_array(GRID + 1, sizeof *s->edge_cdf);
        if (!s->edge_cdf)
            return pr_set_error(PR_ERR_NOMEM, "out of memory scaling cue %s", s->cue->name);
        for (long g = 0; g <= GRID; g++)
            s->edge_cdf[g] = (float)((double)s->grid[g] / (double)taken);
    }
    return PR_OK;
}

typedef struct fuse_job {
    const pr_fusion_params *p;
    cue_scale *scales;
    int ncues, n;
    float *out;
} fuse_job;

static float fuse_pair(const fuse_job *J, int i, int j)
{
    const int n = J->n;
    double num = 0, den = 0;
    for (int c = 0; c < J->ncues; c++) {
        const cue_scale *s = &J->scales[c];
        if (s->m == 0)
            continue;
        float v = s->cue->d[(size_t)i * n + j];
        if (!isfinite(v) || !applies(s->cue, J->p->event, i, j))
            continue;
        double scaled;
        if (J->p->scale == PR_FUSION_RANK)
            scaled = rank_cdf(s, v);
        else
            scaled = s->sd > 0 ? 0.5 * erfc(-((double)v - s->mean) / (s->sd * 1.4142135623730951))
                               : 0.5;
        num += s->cue->weight * scaled;
        den += s->cue->weight;
    }
    return den > 0 ? (float)(num / den) : J->p->missing;
}

/* One block row of the upper triangle: tiles (I, J >= I), each written to (I, J) and, transposed,
 * to (J, I); whole tiles keep both writes within a few pages (mirroring element by element would
 * touch a new page per element, and page walks are dear in a VM). */
static void fuse_block_row(void *ctx, long bi, int worker)
{
    (void)worker;
    const fuse_job *J = ctx;
    const int n = J->n;
    float tile[FUSE_BLOCK][FUSE_BLOCK];
    int i0 = (int)bi * FUSE_BLOCK, i1 = i0 + FUSE_BLOCK < n ? i0 + FUSE_BLOCK : n;
    for (int j0 = i0; j0 < n; j0 += FUSE_BLOCK) {
        int j1 = j0 + FUSE_BLOCK < n ? j0 + FUSE_BLOCK : n;
        for (int i = i0; i < i1; i++) {
            float *row = J->out + (size_t)i * n;
            for (int j = j0 > i + 1 ? j0 : i + 1; j < j1; j++) {
                float v = fuse_pair(J, i, j);
                row[j] = v;
                tile[j - j0][i - i0] = v;
            }
            if (i >= j0 && i < j1)
                row[i] = 0.0f;
        }
        for (int j = j0; j < j1; j++) {
            float *row = J->out + (size_t)j * n;
            int upto = i1 < j ? i1 : j; /* entries (j, i) with i < j */
            for (int i = i0; i < upto; i++)
                row[i] = tile[j - j0][i - i0];
        }
    }
}

pr_status pr_fuse_distances(const pr_fusion_params *params, const pr_cue_matrix *cues, int ncues,
                            int n, float *out)
{
    pr_fusion_params p = params ? *params : pr_fusion_params_default();
    if (!cues || ncues < 1 || n < 1 || !out)
        return pr_set_error(PR_ERR_ARG, "pr_fuse_distances: no cues or no instances");
    if (p.scale != PR_FUSION_RANK && p.scale != PR_FUSION_ZSCORE)
        return pr_set_error(PR_ERR_ARG, "pr_fuse_distances: unknown scale %d", (int)p.scale);
    if (p.max_samples < 2)
        return pr_set_error(PR_ERR_ARG, "pr_fuse_distances: max_samples must be >= 2");
    for (int c = 0; c < ncues; c++) {
        const char *name = cues[c].name ? cues[c].name : "(unnamed)";
        if (!cues[c].d)
            return pr_set_error(PR_ERR_ARG, "cue %s has no matrix", name);
        if (!(cues[c].weight >= 0) || !isfinite(cues[c].weight))
            return pr_set_error(PR_ERR_ARG, "cue %s: weight %g is not a finite value >= 0", name,
                                cues[c].weight);
        if (cues[c].same_event_only && !p.event)
            return pr_set_error(PR_ERR_ARG, "cue %s counts only within an event, but no event ids "
                                            "were given", name);
    }
    pr_status st = PR_OK;
    pr_pool *pool = NULL;
    cue_scale *scales = pr_calloc((size_t)ncues, sizeof *scales);
    if (!scales)
        return pr_set_error(PR_ERR_NOMEM, "out of memory fusing %d cues", ncues);
    for (int c = 0; c < ncues; c++) {
        scales[c].cue = &cues[c];
        if (cues[c].weight > 0 && (st = build_scale(&p, n, &scales[c])) != PR_OK)
            goto done;
    }
    if ((st = pr_pool_new(p.threads, &pool)) != PR_OK)
        goto done;
    fuse_job J = {&p, scales, ncues, n, out};
    pr_pool_for(pool, (n + FUSE_BLOCK - 1) / FUSE_BLOCK, fuse_block_row, &J);
done:
    pr_pool_delete(pool);
    for (int c = 0; c < ncues; c++) {
        pr_free(scales[c].sample);
        pr_free(scales[c].grid);
        pr_free(scales[c].edge_cdf);
    }
    pr_free(scales);
    return st;
}

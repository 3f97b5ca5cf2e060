/* Sequential emulation of cuda/fh.cu's merge passes: see fh_emul.h.
 *
 * Exact mode is "deterministic reservations keyed by weight" (Blelloch, Fineman, Gibbons, Shun,
 * "Internally deterministic parallel algorithms can be fast", PPoPP 2012, adapted to the FH rule):
 *
 * Merge pass. Pending edges stay in sorted order in a list P; each round looks at the first `window`
 * of them. (1) reserve: an edge whose endpoints share a root, or touch a frozen root, is resolved
 * (rejected); else it writes min(weight bits) into res[] of both roots. (2) decide, with the
 * round-start thr[]: an edge holding a root (its weight is the smallest pending weight there) whose
 * weight exceeds that root's thr freezes the root and is rejected; an edge holding both roots with
 * both thresholds passed is a winner; anything else stays pending. (3) winners hook their roots
 * (larger index under smaller, so a root is always its component's smallest pixel); (4) sizes of
 * hooked roots are added to their final root and thr[final] = w + k/size; (5) reservations are
 * cleared and the pending edges of the window are compacted, in order, against the rest of P.
 *
 * Why it equals the sequential Kruskal order. A root whose every pending edge weighs at least w
 * holds its sequential state at the start of the weight-w group. Within one group the sequential
 * result is order-free: a merge at weight w leaves thr = w + k/size >= w (float rounding is
 * monotone), so a component open for w (thr >= w) stays open, a closed one stays closed (joining
 * needs w <= thr), and the group's joins are exactly the connected components of open roots along
 * its edges, each ending with thr = w + k/final size whatever the order. Hence ties may merge in the
 * same round (concurrent hooking), while a lighter pending edge on a root blocks heavier ones. A
 * frozen root (held by an edge of weight w > thr) can never join again: later edges weigh >= w and
 * its thr cannot change without a join. Every round resolves at least the globally lightest pending
 * edge, so the loop ends.
 *
 * min_size pass. The order inside a tie group matters here (sizes change the decision), so the
 * reservation key is the edge's position in the sorted order, one winner per root; an edge between
 * two roots of >= min_size pixels (sizes only grow) or within one root is resolved at once.
 *
 * Fast mode replaces the merge pass: every edge of a window is decided at once against the
 * window-start thresholds, all accepted edges hook, and thr[final] = (heaviest accepted weight) +
 * k/size. The min_size pass is the exact one. */
#include "tests/cuda_fh/fh_emul.h"

#include "core/alloc.h"

#include <string.h>

static inline uint32_t wbits(uint64_t e) { return (uint32_t)(e >> 32); }

static inline float bits_float(uint32_t u)
{
    union { uint32_t u; float f; } v;
    v.u = u;
    return v.f;
}

static inline void ends(uint64_t e, int width, int32_t *a, int32_t *b)
{
    const uint32_t slot = (uint32_t)e;
    static const int dy[4] = {0, 1, 1, -1};
    static const int dx[4] = {1, 0, 1, 1};
    *a = (int32_t)(slot >> 2);
    *b = *a + dy[slot & 3] * width + dx[slot & 3];
}

static int32_t find(int32_t *parent, int32_t p)
{
    while (parent[p] != p) {
        parent[p] = parent[parent[p]]; /* path halving, as the kernels do */
        p = parent[p];
    }
    return p;
}

/* Larger root under the smaller; returns the root that was hooked, or -1 when already joined. */
static int32_t hook(int32_t *parent, int32_t a, int32_t b)
{
    a = find(parent, a);
    b = find(parent, b);
    if (a == b)
        return -1;
    if (a > b) {
        const int32_t t = a;
        a = b;
        b = t;
    }
    parent[b] = a;
    return b;
}

typedef struct emul {
    size_t n, count, window;
    int width;
    int32_t *parent, *size, *ra, *rb, *hooked;
    uint32_t *res, *pend, *tmp, *hw, *mw;
    float *thr;
    uint8_t *frozen, *flag;
} emul;

/* Step (5): clears the reservations of the window's roots and moves the window's pending entries
 * (flag set) to the end of the window, in order; returns the new head of P. */
static size_t compact(emul *s, size_t lo, size_t nw)
{
    size_t kept = 0;
    for (size_t t = 0; t < nw; t++) {
        s->res[s->ra[t]] = UINT32_MAX;
        s->res[s->rb[t]] = UINT32_MAX;
        if (s->flag[t])
            s->tmp[kept++] = s->pend[lo + t];
    }
    const size_t head = lo + nw - kept;
    memcpy(s->pend + head, s->tmp, kept * sizeof(uint32_t));
    return head;
}

/* Steps (4): sizes and thresholds of the roots that received hooks this round. */
static void fix_roots(emul *s, size_t nhooked, float kf)
{
    for (size_t i = 0; i < nhooked; i++) {
        const int32_t r = s->hooked[i];
        const int32_t R = find(s->parent, r);
        s->size[R] += s->size[r];
        if (s->hw[i] > s->mw[R])
            s->mw[R] = s->hw[i];
    }
    for (size_t i = 0; i < nhooked; i++) {
        const int32_t R = find(s->parent, s->hooked[i]);
        s->thr[R] = bits_float(s->mw[R]) + kf / (float)s->size[R];
    }
    for (size_t i = 0; i < nhooked; i++)
        s->mw[find(s->parent, s->hooked[i])] = 0;
}

static void merge_exact(emul *s, const uint64_t *sorted, float kf, pr_emul_stats *st)
{
    size_t lo = 0;
    while (lo < s->count) {
        const size_t nw = s->count - lo < s->window ? s->count - lo : s->window;
        st->rounds_merge++;
        /* (1) reserve */
        for (size_t t = 0; t < nw; t++) {
            const uint64_t e = sorted[s->pend[lo + t]];
            int32_t a, b;
            ends(e, s->width, &a, &b);
            a = find(s->parent, a);
            b = find(s->parent, b);
            s->ra[t] = a;
            s->rb[t] = b;
            s->flag[t] = !(a == b || s->frozen[a] || s->frozen[b]);
            if (!s->flag[t])
                continue;
            const uint32_t key = wbits(e);
            if (key < s->res[a])
                s->res[a] = key;
            if (key < s->res[b])
                s->res[b] = key;
        }
        /* (2) decide: reads only round-start thr/res; frozen[] written here is read next round */
        size_t nwin = 0;
        for (size_t t = 0; t < nw; t++) {
            if (!s->flag[t])
                continue;
            const uint64_t e = sorted[s->pend[lo + t]];
            const uint32_t key = wbits(e);
            const float w = bits_float(key);
            const int32_t a = s->ra[t], b = s->rb[t];
            const int ha = s->res[a] == key, hb = s->res[b] == key;
            const int fa = ha && w > s->thr[a], fb = hb && w > s->thr[b];
            if (fa || fb) {
                if (fa)
                    s->frozen[a] = 1;
                if (fb)
                    s->frozen[b] = 1;
                s->flag[t] = 0;
            } else if (ha && hb) {
                s->flag[t] = 2; /* winner */
                nwin++;
            }
        }
        /* (3) hook winners */
        size_t nhooked = 0;
        if (nwin) {
            for (size_t t = 0; t < nw; t++) {
                if (s->flag[t] != 2)
                    continue;
                s->flag[t] = 0;
                const int32_t r = hook(s->parent, s->ra[t], s->rb[t]);
                if (r >= 0) {
                    s->hooked[nhooked] = r;
                    s->hw[nhooked++] = wbits(sorted[s->pend[lo + t]]);
                }
            }
            st->hooks += (long)nhooked;
            fix_roots(s, nhooked, kf);
        }
        lo = compact(s, lo, nw);
    }
}

static void merge_fast(emul *s, const uint64_t *sorted, float kf, pr_emul_stats *st)
{
    for (size_t lo = 0; lo < s->count; lo += s->window) {
        const size_t nw = s->count - lo < s->window ? s->count - lo : s->window;
        st->rounds_merge++;
        for (size_t t = 0; t < nw; t++) {
            const uint64_t e = sorted[lo + t];
            int32_t a, b;
            ends(e, s->width, &a, &b);
            s->ra[t] = find(s->parent, a);
            s->rb[t] = find(s->parent, b);
        }
        size_t nhooked = 0;
        for (size_t t = 0; t < nw; t++) {
            const uint64_t e = sorted[lo + t];
            const float w = bits_float(wbits(e));
            const int32_t a = s->ra[t], b = s->rb[t];
            if (a == b || w > s->thr[a] || w > s->thr[b])
                continue;
            const int32_t r = hook(s->parent, a, b);
            if (r >= 0) {
                s->hooked[nhooked] = r;
                s->hw[nhooked++] = wbits(e);
            }
        }
        st->hooks += (long)nhooked;
        fix_roots(s, nhooked, kf);
    }
}

static void min_size_pass(emul *s, const uint64_t *sorted, int min_size, pr_emul_stats *st)
{
    if (min_size <= 1)
        return;
    size_t small = 0;
    for (size_t p = 0; p < s->n; p++)
        if (s->parent[p] == (int32_t)p && s->size[p] < min_size)
            small++;
    if (!small)
        return;
    for (size_t i = 0; i < s->count; i++)
        s->pend[i] = (uint32_t)i;
    size_t lo = 0;
    while (lo < s->count) {
        const size_t nw = s->count - lo < s->window ? s->count - lo : s->window;
        st->rounds_min_size++;
        for (size_t t = 0; t < nw; t++) {
            const uint32_t idx = s->pend[lo + t];
            int32_t a, b;
            ends(sorted[idx], s->width, &a, &b);
            a = find(s->parent, a);
            b = find(s->parent, b);
            s->ra[t] = a;
            s->rb[t] = b;
            s->flag[t] = !(a == b || (s->size[a] >= min_size && s->size[b] >= min_size));
            if (!s->flag[t])
                continue;
            if (idx < s->res[a])
                s->res[a] = idx;
            if (idx < s->res[b])
                s->res[b] = idx;
        }
        /* Winners own both roots, so no two touch the same root: plain writes suffice. */
        for (size_t t = 0; t < nw; t++) {
            if (!s->flag[t])
                continue;
            const uint32_t idx = s->pend[lo + t];
            int32_t a = s->ra[t], b = s->rb[t];
            if (s->res[a] != idx || s->res[b] != idx)
                continue;
            if (a > b) {
                const int32_t x = a;
                a = b;
                b = x;
            }
            s->parent[b] = a;
            s->size[a] += s->size[b];
            s->flag[t] = 0;
            st->hooks++;
        }
        lo = compact(s, lo, nw);
    }
}

pr_status pr_emul_merge(const uint64_t *sorted, size_t count, int width, int height, double k,
                        int min_size, int mode, size_t window, int32_t *labels, int *segments,
                        pr_emul_stats *stats)
{
    emul s;
    memset(&s, 0, sizeof s);
    pr_emul_stats st;
    memset(&st, 0, sizeof st);
    if (width <= 0 || height <= 0 || !labels || (count && !sorted) || window == 0)
        return pr_set_error(PR_ERR_ARG, "pr_emul_merge: bad arguments");
    s.n = (size_t)width * (size_t)height;
    s.count = count;
    s.width = width;
    s.window = window < count ? window : (count ? count : 1);
    const size_t nw = s.window;
    s.parent = pr_malloc_array(s.n, sizeof(int32_t));
    s.size = pr_malloc_array(s.n, sizeof(int32_t));
    s.thr = pr_malloc_array(s.n, sizeof(float));
    s.frozen = pr_calloc(s.n, 1);
    s.res = pr_malloc_array(s.n, sizeof(uint32_t));
    s.mw = pr_calloc(s.n, sizeof(uint32_t));
    s.pend = pr_malloc_array(count ? count : 1, sizeof(uint32_t));
    s.tmp = pr_malloc_array(nw, sizeof(uint32_t));
    s.ra = pr_malloc_array(nw, sizeof(int32_t));
    s.rb = pr_malloc_array(nw, sizeof(int32_t));
    s.hooked = pr_malloc_array(nw, sizeof(int32_t));
    s.hw = pr_malloc_array(nw, sizeof(uint32_t));
    s.flag = pr_malloc_array(nw, 1);
    pr_status status = PR_OK;
    if (!s.parent || !s.size || !s.thr || !s.frozen || !s.res || !s.mw || !s.pend || !s.tmp ||
        !s.ra || !s.rb || !s.hooked || !s.hw || !s.flag) {
        status = pr_set_error(PR_ERR_NOMEM, "pr_emul_merge: out of memory");
        goto done;
    }
    const float kf = (float)k;
    for (size_t p = 0; p < s.n; p++) {
        s.parent[p] = (int32_t)p;
        s.size[p] = 1;
        s.thr[p] = kf;
        s.res[p] = UINT32_MAX;
    }
    for (size_t i = 0; i < count; i++)
        s.pend[i] = (uint32_t)i;
    if (mode == PR_EMUL_FAST)
        merge_fast(&s, sorted, kf, &st);
    else
        merge_exact(&s, sorted, kf, &st);
    min_size_pass(&s, sorted, min_size, &st);
    /* canonical relabel: roots are their component's smallest pixel, so first appearance in
     * raster order is the root itself: label = number of roots before it */
    int32_t next = 0;
    for (size_t p = 0; p < s.n; p++) {
        const int32_t r = find(s.parent, (int32_t)p);
        if (r == (int32_t)p)
            s.res[p] = (uint32_t)next++;
        labels[p] = (int32_t)s.res[r];
    }
    if (segments)
        *segments = next;
    if (stats)
        *stats = st;
done:
    pr_free(s.parent);
    pr_free(s.size);
    pr_free(s.thr);
    pr_free(s.frozen);
    pr_free(s.res);
    pr_free(s.mw);
    pr_free(s.pend);
    pr_free(s.tmp);
    pr_free(s.ra);
    pr_free(s.rb);
    pr_free(s.hooked);
    pr_free(s.hw);
    pr_free(s.flag);
    return status;
}

/* Felzenszwalb–Huttenlocher (IJCV 2004) on the GPU: exact mode and fast mode. See cuda/fh.h.
 *
 * Algorithm notes.
 * - Smoothing and weights: one thread per output element, the CPU reference's float operations in
 *   its order through __fmul_rn/__fadd_rn/__fsub_rn/__fsqrt_rn (and --fmad=false for the rest), so
 *   every plane value and every weight has the same bits as segment/felzenszwalb.c.
 * - Edges are written into an array indexed by slot (4 per pixel; a missing neighbour is the key
 *   ~0, which sorts last) and sorted by CUB's LSD radix sort on bits 32..63 only. LSD radix sort is
 *   stable and the input is in slot order, so ties keep raster order: exactly pr_fh_sort_edges.
 * - Exact merge: deterministic reservations keyed by weight (Blelloch, Fineman, Gibbons, Shun,
 *   PPoPP 2012). Pending edges stay in sorted order in `pend`; each round looks at its first
 *   `window` entries: reserve (atomicMin of the weight bits on both roots; self-loops and edges on
 *   frozen roots are dropped), decide+hook (an edge holding a root whose threshold it exceeds
 *   freezes that root; an edge holding both roots under both thresholds hooks them with atomicCAS,
 *   larger root index under the smaller), fix (hooked roots add their size to the final root, whose
 *   threshold becomes w + k/size), compact (pending entries of the window move, in order, next to
 *   the rest). Ties hook concurrently because within one weight group the sequential result is the
 *   connectivity of the open roots (proof in tests/cuda_fh/fh_emul.c, the emulation that is checked
 *   against the CPU reference byte for byte). min_size: the same loop keyed by sorted position.
 * - Fast merge: windows of the sorted order, every edge decided at once against window-start
 *   thresholds; threshold = heaviest accepted weight + k/size. Then the exact min_size pass.
 * - Roots are always their component's smallest pixel, so the canonical label of a pixel is the
 *   number of roots before its root: a flag per pixel and an exclusive scan.
 * - The round loop keeps its head index on the device; the host enqueues rounds in batches and
 *   reads the head back once per batch, so a round costs kernel launches, not host round trips. */
#include "cuda/fh.h"
#include "cuda/gpu.h"

#include "core/alloc.h"

#include <cub/device/device_radix_sort.cuh>
#include <cub/device/device_scan.cuh>
#include <cub/block/block_scan.cuh>
#include <cuda_runtime.h>

#include <stdio.h>
#include <string.h>

namespace {

constexpr int kThreads = 256;
constexpr int kMaxMask = 64;
constexpr int kBatch = 16; /* rounds enqueued between host checks */
constexpr uint32_t kNone = 0xFFFFFFFFu;

struct MaskArg {
    float v[kMaxMask];
    int len;
};

/* Device-resident loop state. */
struct State {
    unsigned long long lo, count, next_lo, kept;
    unsigned int nhooked;
    unsigned long long rounds;
    int segments;
};

__device__ __forceinline__ void ends(uint64_t e, int width, int32_t *a, int32_t *b)
{
    const uint32_t slot = (uint32_t)e;
    const uint32_t d = slot & 3u;
    *a = (int32_t)(slot >> 2);
    *b = *a + (d == 0 ? 1 : d == 1 ? width : d == 2 ? width + 1 : 1 - width);
}

/* Read-only find; sees concurrent hooks (volatile), used while other threads may hook. */
__device__ __forceinline__ int32_t find_ro(const int32_t *parent, int32_t p)
{
    const volatile int32_t *vp = parent;
    int32_t q = vp[p];
    while (q != p) {
        p = q;
        q = vp[p];
    }
    return p;
}

/* Find with path halving, only where no thread hooks concurrently (writes point to ancestors). */
__device__ __forceinline__ int32_t find_halve(int32_t *parent, int32_t p)
{
    for (;;) {
        const int32_t q = parent[p];
        if (q == p)
            return p;
        const int32_t g = parent[q];
        if (g == q)
            return q;
        parent[p] = g;
        p = g;
    }
}

__device__ __forceinline__ size_t gtid() { return (size_t)blockIdx.x * blockDim.x + threadIdx.x; }
__device__ __forceinline__ size_t gstride() { return (size_t)gridDim.x * blockDim.x; }

/* Lock-free union of the components of a and b: the larger root is hooked under the smaller with a
 * CAS (ties may hook the same roots concurrently, so retry from the new roots), and the hooked root
 * is recorded with the edge key so the host-side rounds can fix its threshold and size. */
__device__ __forceinline__ void hook_roots(int32_t *parent, int32_t a, int32_t b, State *st,
                                           int32_t *hooked, uint32_t *hw, uint32_t key)
{
    for (;;) {
        a = find_ro(parent, a);
        b = find_ro(parent, b);
        if (a == b)
            return;
        if (a > b) {
            const int32_t x = a;
            a = b;
            b = x;
        }
        if (atomicCAS(&parent[b], b, a) == b) {
            const unsigned slot = atomicAdd(&st->nhooked, 1u);
            hooked[slot] = b;
            hw[slot] = key;
            return;
        }
    }
}

/* ---- stage 2: smoothing ---- */

__global__ void k_smooth_x(const uint8_t *__restrict__ img, int w, int h, int ch, int c, MaskArg m,
                           float *__restrict__ out)
{
    const size_t n = (size_t)w * h;
    for (size_t i = gtid(); i < n; i += gstride()) {
        const int x = (int)(i % (size_t)w);
        const uint8_t *row = img + (i - (size_t)x) * ch;
        float acc = __fmul_rn(m.v[0], (float)row[(size_t)x * ch + c]);
        for (int k = 1; k < m.len; k++) {
            const int xl = x - k < 0 ? 0 : x - k;
            const int xr = x + k > w - 1 ? w - 1 : x + k;
            const float s = __fadd_rn((float)row[(size_t)xl * ch + c], (float)row[(size_t)xr * ch + c]);
            acc = __fadd_rn(acc, __fmul_rn(m.v[k], s));
        }
        out[i] = acc;
    }
}

__global__ void k_smooth_y(const float *__restrict__ in, int w, int h, MaskArg m,
                           float *__restrict__ out)
{
    const size_t n = (size_t)w * h;
    for (size_t i = gtid(); i < n; i += gstride()) {
        const int y = (int)(i / (size_t)w);
        const size_t x = i - (size_t)y * w;
        float acc = __fmul_rn(m.v[0], in[i]);
        for (int k = 1; k < m.len; k++) {
            const int yl = y - k < 0 ? 0 : y - k;
            const int yr = y + k > h - 1 ? h - 1 : y + k;
            const float s = __fadd_rn(in[(size_t)yl * w + x], in[(size_t)yr * w + x]);
            acc = __fadd_rn(acc, __fmul_rn(m.v[k], s));
        }
        out[i] = acc;
    }
}

/* ---- stage 3: edge keys by slot ---- */

__device__ __forceinline__ uint64_t edge_key(const float *R, const float *G, const float *B,
                                             size_t p, size_t q, uint64_t slot)
{
    const float dr = __fsub_rn(R[p], R[q]), dg = __fsub_rn(G[p], G[q]), db = __fsub_rn(B[p], B[q]);
    const float s = __fadd_rn(__fadd_rn(__fmul_rn(dr, dr), __fmul_rn(dg, dg)), __fmul_rn(db, db));
    return (uint64_t)__float_as_uint(__fsqrt_rn(s)) << 32 | slot;
}

__global__ void k_edges(const float *__restrict__ planes, int w, int h, uint64_t *__restrict__ keys)
{
    const size_t n = (size_t)w * h;
    const float *R = planes, *G = planes + n, *B = planes + 2 * n;
    for (size_t p = gtid(); p < n; p += gstride()) {
        const int x = (int)(p % (size_t)w), y = (int)(p / (size_t)w);
        const uint64_t s = (uint64_t)p * 4u;
        const bool right = x + 1 < w, down = y + 1 < h, up = y > 0;
        keys[s + 0] = right ? edge_key(R, G, B, p, p + 1, s + 0) : ~0ull;
        keys[s + 1] = down ? edge_key(R, G, B, p, p + w, s + 1) : ~0ull;
        keys[s + 2] = right && down ? edge_key(R, G, B, p, p + w + 1, s + 2) : ~0ull;
        keys[s + 3] = right && up ? edge_key(R, G, B, p, p - w + 1, s + 3) : ~0ull;
    }
}

/* ---- forest ---- */

__global__ void k_init(size_t n, float kf, int32_t *parent, int32_t *size, float *thr,
                       uint8_t *frozen, uint32_t *res, uint32_t *mw)
{
    for (size_t p = gtid(); p < n; p += gstride()) {
        parent[p] = (int32_t)p;
        size[p] = 1;
        thr[p] = kf;
        frozen[p] = 0;
        res[p] = kNone;
        mw[p] = 0;
    }
}

__global__ void k_iota(size_t m, uint32_t *pend)
{
    for (size_t i = gtid(); i < m; i += gstride())
        pend[i] = (uint32_t)i;
}

__global__ void k_state_reset(State *st, unsigned long long count)
{
    st->lo = 0;
    st->count = count;
    st->next_lo = 0;
    st->kept = 0;
    st->nhooked = 0;
    st->rounds = 0;
}

/* Round step 1. phase 0 = merge (key: weight bits), 1 = min_size (key: sorted position). */
__global__ void k_reserve(int phase, const uint64_t *__restrict__ sorted, const uint32_t *pend,
                          State *st, unsigned window, int width, int min_size, int32_t *parent,
                          const int32_t *size, const uint8_t *frozen, uint32_t *res, int32_t *ra,
                          int32_t *rb, uint8_t *flag)
{
    const unsigned long long lo = st->lo, cnt = st->count;
    const size_t nw = cnt - lo < window ? (size_t)(cnt - lo) : window;
    const size_t t = gtid();
    if (t >= nw)
        return;
    const uint32_t idx = pend[lo + t];
    const uint64_t e = sorted[idx];
    int32_t a, b;
    ends(e, width, &a, &b);
    a = find_halve(parent, a);
    b = find_halve(parent, b);
    ra[t] = a;
    rb[t] = b;
    bool live;
    if (phase == 0)
        live = a != b && !frozen[a] && !frozen[b];
    else
        live = a != b && (size[a] < min_size || size[b] < min_size);
    flag[t] = live ? 1 : 0;
    if (!live)
        return;
    const uint32_t key = phase == 0 ? (uint32_t)(e >> 32) : idx;
    atomicMin(&res[a], key);
    atomicMin(&res[b], key);
}

/* Round step 2: decide, hook, and count the block's still-pending edges. */
__global__ void k_decide(int phase, const uint64_t *__restrict__ sorted, const uint32_t *pend,
                         State *st, unsigned window, int32_t *parent, int32_t *size,
                         const float *thr, uint8_t *frozen, const uint32_t *res, const int32_t *ra,
                         const int32_t *rb, uint8_t *flag, int32_t *hooked, uint32_t *hw,
                         unsigned *block_kept)
{
    const unsigned long long lo = st->lo, cnt = st->count;
    const size_t nw = cnt - lo < window ? (size_t)(cnt - lo) : window;
    const size_t t = gtid();
    int pending = 0;
    if (t < nw && flag[t]) {
        pending = 1;
        const uint32_t idx = pend[lo + t];
        const uint64_t e = sorted[idx];
        int32_t a = ra[t], b = rb[t];
        if (phase == 0) {
            const uint32_t key = (uint32_t)(e >> 32);
            const float wgt = __uint_as_float(key);
            const bool ha = res[a] == key, hb = res[b] == key;
            const bool fa = ha && wgt > thr[a], fb = hb && wgt > thr[b];
            if (fa || fb) {
                if (fa)
                    frozen[a] = 1;
                if (fb)
                    frozen[b] = 1;
                pending = 0;
            } else if (ha && hb) {
                pending = 0;
                hook_roots(parent, a, b, st, hooked, hw, key);
            }
        } else if (res[a] == idx && res[b] == idx) {
            /* min_size: a winner owns both roots, no other thread touches them */
            if (a > b) {
                const int32_t x = a;
                a = b;
                b = x;
            }
            parent[b] = a;
            size[a] += size[b];
            pending = 0;
        }
        flag[t] = (uint8_t)pending;
    }
    const int kept = __syncthreads_count(pending);
    if (threadIdx.x == 0)
        block_kept[blockIdx.x] = (unsigned)kept;
}

/* Round step 3 (merge phase): sizes and heaviest weight into the final roots. */
__global__ void k_fix_sizes(State *st, const int32_t *parent, int32_t *size, uint32_t *mw,
                            const int32_t *hooked, const uint32_t *hw)
{
    const unsigned nh = st->nhooked;
    for (size_t i = gtid(); i < nh; i += gstride()) {
        const int32_t r = hooked[i];
        const int32_t R = find_ro(parent, r);
        atomicAdd(&size[R], size[r]);
        atomicMax(&mw[R], hw[i]);
    }
}

__global__ void k_fix_thr(State *st, const int32_t *parent, const int32_t *size, const uint32_t *mw,
                          float kf, float *thr, const int32_t *hooked)
{
    const unsigned nh = st->nhooked;
    for (size_t i = gtid(); i < nh; i += gstride()) {
        const int32_t R = find_ro(parent, hooked[i]);
        thr[R] = __fadd_rn(__uint_as_float(mw[R]), __fdiv_rn(kf, (float)size[R]));
    }
}

/* Round step 4: block offsets of the pending edges (one block). */
__global__ void k_scan_blocks(State *st, unsigned window, unsigned nblocks, unsigned *block_kept)
{
    typedef cub::BlockScan<unsigned, 1024> Scan;
    __shared__ typename Scan::TempStorage tmp;
    __shared__ unsigned carry;
    if (threadIdx.x == 0)
        carry = 0;
    __syncthreads();
    for (unsigned base = 0; base < nblocks; base += 1024) {
        const unsigned i = base + threadIdx.x;
        const unsigned v = i < nblocks ? block_kept[i] : 0u;
        unsigned off, total;
        Scan(tmp).ExclusiveSum(v, off, total);
        if (i < nblocks)
            block_kept[i] = carry + off;
        __syncthreads();
        if (threadIdx.x == 0)
            carry += total;
        __syncthreads();
    }
    if (threadIdx.x == 0) {
        const unsigned long long lo = st->lo, cnt = st->count;
        const unsigned long long nw = cnt - lo < window ? cnt - lo : window;
        st->kept = carry;
        st->next_lo = lo + nw - carry;
        if (nw)
            st->rounds++;
    }
}

/* Round step 5: pending entries to tmp in order; reservations and heaviest weights cleared. */
__global__ void k_scatter(State *st, unsigned window, const uint32_t *pend, const uint8_t *flag,
                          const int32_t *ra, const int32_t *rb, uint32_t *res, uint32_t *mw,
                          const int32_t *parent, const int32_t *hooked, const unsigned *block_off,
                          uint32_t *tmp)
{
    typedef cub::BlockScan<unsigned, kThreads> Scan;
    __shared__ typename Scan::TempStorage scan_tmp;
    const unsigned long long lo = st->lo, cnt = st->count;
    const size_t nw = cnt - lo < window ? (size_t)(cnt - lo) : window;
    const size_t t = gtid();
    const unsigned keep = t < nw ? flag[t] : 0u;
    unsigned rank;
    Scan(scan_tmp).ExclusiveSum(keep, rank);
    if (t < nw) {
        res[ra[t]] = kNone;
        res[rb[t]] = kNone;
        if (keep)
            tmp[block_off[blockIdx.x] + rank] = pend[lo + t];
    }
    const unsigned nh = st->nhooked;
    for (size_t i = t; i < nh; i += gstride())
        mw[find_ro(parent, hooked[i])] = 0;
}

/* Round step 6: tmp back in front of the rest; the head moves on. */
__global__ void k_copy_back(State *st, const uint32_t *tmp, uint32_t *pend)
{
    const unsigned long long kept = st->kept, at = st->next_lo;
    for (size_t i = gtid(); i < kept; i += gstride())
        pend[at + i] = tmp[i];
}

__global__ void k_advance(State *st)
{
    st->lo = st->next_lo;
    st->nhooked = 0;
}

/* Fast mode: one window of the sorted order, decided at window-start roots and thresholds. The
 * roots are found first (no hooks in flight), so the decisions do not depend on thread timing. */
__global__ void k_fast_roots(const uint64_t *__restrict__ sorted, size_t lo, size_t nw, int width,
                             int32_t *parent, int32_t *ra, int32_t *rb)
{
    const size_t t = gtid();
    if (t >= nw)
        return;
    int32_t a, b;
    ends(sorted[lo + t], width, &a, &b);
    ra[t] = find_halve(parent, a);
    rb[t] = find_halve(parent, b);
}

__global__ void k_fast(const uint64_t *__restrict__ sorted, size_t lo, size_t nw, int32_t *parent,
                       const float *thr, const int32_t *ra, const int32_t *rb, State *st,
                       int32_t *hooked, uint32_t *hw)
{
    const size_t t = gtid();
    if (t >= nw)
        return;
    int32_t a = ra[t], b = rb[t];
    const uint32_t key = (uint32_t)(sorted[lo + t] >> 32);
    const float wgt = __uint_as_float(key);
    if (a == b || wgt > thr[a] || wgt > thr[b])
        return;
    hook_roots(parent, a, b, st, hooked, hw, key);
}

__global__ void k_fast_clear(State *st, const int32_t *parent, uint32_t *mw, const int32_t *hooked)
{
    const unsigned nh = st->nhooked;
    for (size_t i = gtid(); i < nh; i += gstride())
        mw[find_ro(parent, hooked[i])] = 0;
}

__global__ void k_zero_hooked(State *st) { st->nhooked = 0; }

__global__ void k_count_small(size_t n, const int32_t *parent, const int32_t *size, int min_size,
                              State *st)
{
    for (size_t p = gtid(); p < n; p += gstride())
        if (parent[p] == (int32_t)p && size[p] < min_size)
            atomicAdd(&st->nhooked, 1u); /* borrowed as a counter; reset before the pass */
}

/* ---- stage 7 ---- */

__global__ void k_roots(size_t n, int32_t *parent, uint32_t *is_root)
{
    for (size_t p = gtid(); p < n; p += gstride()) {
        const int32_t r = find_ro(parent, (int32_t)p);
        is_root[p] = r == (int32_t)p;
    }
}

__global__ void k_labels(size_t n, const int32_t *parent, const uint32_t *is_root,
                         const uint32_t *before, int32_t *labels, State *st)
{
    for (size_t p = gtid(); p < n; p += gstride()) {
        labels[p] = (int32_t)before[find_ro(parent, (int32_t)p)];
        if (p == n - 1)
            st->segments = (int)(before[p] + is_root[p]);
    }
}

unsigned grid_for(size_t items)
{
    size_t b = (items + kThreads - 1) / kThreads;
    if (b < 1)
        b = 1;
    if (b > 65535u * 16u)
        b = 65535u * 16u;
    return (unsigned)b;
}

} // namespace

struct pr_cuda_fh {
    cudaStream_t stream;
    cudaEvent_t ev[9];
    size_t cap_n, cap_ch_bytes, cap_window; /* current allocation */
    int width, height;
    /* device */
    uint8_t *img;
    float *tmp, *planes, *thr;
    uint64_t *keys, *keys_alt;
    int32_t *parent, *size, *ra, *rb, *hooked, *labels;
    uint32_t *res, *mw, *pend, *ptmp, *hw;
    uint8_t *frozen, *flag;
    unsigned *block_kept;
    State *state;
    void *cub_tmp;
    size_t cub_bytes;
    /* pinned host */
    uint8_t *h_img;
    int32_t *h_labels;
    State *h_state;
};

#define CK(call)                                                                                   \
    do {                                                                                           \
        cudaError_t err_ = (call);                                                                 \
        if (err_ != cudaSuccess) {                                                                 \
            st = pr_set_error(PR_ERR_CUDA, "%s: %s", #call, cudaGetErrorString(err_));            \
            goto fail;                                                                             \
        }                                                                                          \
    } while (0)

#define LAUNCHED(name) CK(cudaGetLastError())

static void release_buffers(pr_cuda_fh *c)
{
    void *dev[] = {c->img, c->tmp, c->planes, c->thr, c->keys, c->keys_alt, c->parent, c->size,
                   c->ra, c->rb, c->hooked, c->labels, c->res, c->mw, c->pend, c->ptmp, c->hw,
                   c->frozen, c->flag, c->block_kept, c->cub_tmp};
    for (size_t i = 0; i < sizeof dev / sizeof dev[0]; i++)
        if (dev[i])
            cudaFree(dev[i]);
    if (c->h_img)
        cudaFreeHost(c->h_img);
    if (c->h_labels)
        cudaFreeHost(c->h_labels);
    c->img = NULL;
    c->tmp = c->planes = c->thr = NULL;
    c->keys = c->keys_alt = NULL;
    c->parent = c->size = c->ra = c->rb = c->hooked = c->labels = NULL;
    c->res = c->mw = c->pend = c->ptmp = c->hw = NULL;
    c->frozen = c->flag = NULL;
    c->block_kept = NULL;
    c->cub_tmp = NULL;
    c->h_img = NULL;
    c->h_labels = NULL;
    c->cap_n = c->cap_ch_bytes = c->cap_window = c->cub_bytes = 0;
}

extern "C" void pr_cuda_fh_delete(pr_cuda_fh *ctx)
{
    if (!ctx)
        return;
    cudaStreamSynchronize(ctx->stream);
    release_buffers(ctx);
    if (ctx->state)
        cudaFree(ctx->state);
    if (ctx->h_state)
        cudaFreeHost(ctx->h_state);
    for (int i = 0; i < 9; i++)
        if (ctx->ev[i])
            cudaEventDestroy(ctx->ev[i]);
    if (ctx->stream)
        cudaStreamDestroy(ctx->stream);
    pr_free(ctx);
}

extern "C" pr_status pr_cuda_fh_new(pr_cuda_fh **out)
{
    pr_status st = PR_OK;
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_cuda_fh_new: out is NULL");
    *out = NULL;
    if ((st = pr_gpu_probe(NULL)) != PR_OK)
        return st;
    pr_cuda_fh *c = (pr_cuda_fh *)pr_calloc(1, sizeof *c);
    if (!c)
        return pr_set_error(PR_ERR_NOMEM, "pr_cuda_fh_new: out of memory");
    CK(cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking));
    for (int i = 0; i < 9; i++)
        CK(cudaEventCreate(&c->ev[i]));
    CK(cudaMalloc(&c->state, sizeof(State)));
    CK(cudaMallocHost(&c->h_state, sizeof(State)));
    *out = c;
    return PR_OK;
fail:
    pr_cuda_fh_delete(c);
    return st;
}

static size_t edge_count(int w, int h)
{
    const size_t W = (size_t)w, H = (size_t)h;
    return (W - 1) * H + W * (H - 1) + 2 * (W - 1) * (H - 1);
}

/* Buffers for n pixels, ch channels and a window; kept while they are big enough. */
static pr_status ensure(pr_cuda_fh *c, size_t n, int ch, size_t window)
{
    pr_status st = PR_OK;
    const size_t ch_bytes = n * (size_t)ch;
    if (n <= c->cap_n && ch_bytes <= c->cap_ch_bytes && window <= c->cap_window)
        return PR_OK;
    CK(cudaStreamSynchronize(c->stream));
    release_buffers(c);
    {
        const size_t slots = 4 * n;
        const size_t nblocks = (window + kThreads - 1) / kThreads;
        CK(cudaMalloc(&c->img, ch_bytes ? ch_bytes : 1));
        CK(cudaMalloc(&c->tmp, n * sizeof(float)));
        CK(cudaMalloc(&c->planes, 3 * n * sizeof(float)));
        CK(cudaMalloc(&c->thr, n * sizeof(float)));
        CK(cudaMalloc(&c->keys, slots * sizeof(uint64_t)));
        CK(cudaMalloc(&c->keys_alt, slots * sizeof(uint64_t)));
        CK(cudaMalloc(&c->parent, n * sizeof(int32_t)));
        CK(cudaMalloc(&c->size, n * sizeof(int32_t)));
        CK(cudaMalloc(&c->labels, n * sizeof(int32_t)));
        CK(cudaMalloc(&c->res, n * sizeof(uint32_t)));
        CK(cudaMalloc(&c->mw, n * sizeof(uint32_t)));
        CK(cudaMalloc(&c->frozen, n));
        CK(cudaMalloc(&c->pend, slots * sizeof(uint32_t)));
        CK(cudaMalloc(&c->ptmp, window * sizeof(uint32_t)));
        CK(cudaMalloc(&c->ra, window * sizeof(int32_t)));
        CK(cudaMalloc(&c->rb, window * sizeof(int32_t)));
        CK(cudaMalloc(&c->hooked, window * sizeof(int32_t)));
        CK(cudaMalloc(&c->hw, window * sizeof(uint32_t)));
        CK(cudaMalloc(&c->flag, window));
        CK(cudaMalloc(&c->block_kept, (nblocks + 1) * sizeof(unsigned)));
        size_t sort_bytes = 0, scan_bytes = 0;
        CK(cub::DeviceRadixSort::SortKeys(NULL, sort_bytes, c->keys, c->keys_alt, (int)slots, 32,
                                          64, c->stream));
        CK(cub::DeviceScan::ExclusiveSum(NULL, scan_bytes, c->mw, c->res, (int)n, c->stream));
        c->cub_bytes = sort_bytes > scan_bytes ? sort_bytes : scan_bytes;
        CK(cudaMalloc(&c->cub_tmp, c->cub_bytes));
        CK(cudaMallocHost(&c->h_img, ch_bytes ? ch_bytes : 1));
        CK(cudaMallocHost(&c->h_labels, n * sizeof(int32_t)));
    }
    c->cap_n = n;
    c->cap_ch_bytes = ch_bytes;
    c->cap_window = window;
    return PR_OK;
fail:
    release_buffers(c);
    return st;
}

static pr_status check_image(const pr_image *rgb)
{
    if (!rgb || !rgb->data || rgb->width <= 0 || rgb->height <= 0 ||
        (rgb->channels != 1 && rgb->channels != 3))
        return pr_set_error(PR_ERR_ARG, "pr_cuda_fh: need a non-empty grey or RGB image");
    /* 4 slots per pixel must fit CUB's int item count */
    if ((size_t)rgb->width * (size_t)rgb->height > ((size_t)1 << 29) - 1)
        return pr_set_error(PR_ERR_LIMIT, "pr_cuda_fh: %dx%d is above the GPU limit of 2^29 pixels",
                            rgb->width, rgb->height);
    return PR_OK;
}

/* Upload, smooth, edges, sort; leaves the sorted keys in c->keys. */
static pr_status front(pr_cuda_fh *c, const pr_image *rgb, const float *mask, int mask_len,
                       size_t window, bool timed)
{
    pr_status st = PR_OK;
    const int w = rgb->width, h = rgb->height, ch = rgb->channels;
    const size_t n = (size_t)w * h;
    MaskArg m;
    if (!mask || mask_len < 1 || mask_len > kMaxMask)
        return pr_set_error(PR_ERR_ARG, "pr_cuda_fh: mask length %d outside 1..%d", mask_len,
                            kMaxMask);
    memset(&m, 0, sizeof m);
    memcpy(m.v, mask, (size_t)mask_len * sizeof(float));
    m.len = mask_len;
    if ((st = ensure(c, n, ch, window)) != PR_OK)
        return st;
    c->width = w;
    c->height = h;
    for (int y = 0; y < h; y++)
        memcpy(c->h_img + (size_t)y * w * ch, pr_image_row(rgb, y), (size_t)w * ch);
    if (timed)
        CK(cudaEventRecord(c->ev[0], c->stream));
    CK(cudaMemcpyAsync(c->img, c->h_img, n * ch, cudaMemcpyHostToDevice, c->stream));
    if (timed)
        CK(cudaEventRecord(c->ev[1], c->stream));
    for (int k = 0; k < 3; k++) {
        k_smooth_x<<<grid_for(n), kThreads, 0, c->stream>>>(c->img, w, h, ch, ch == 3 ? k : 0, m,
                                                            c->tmp);
        LAUNCHED(k_smooth_x);
        k_smooth_y<<<grid_for(n), kThreads, 0, c->stream>>>(c->tmp, w, h, m, c->planes + k * n);
        LAUNCHED(k_smooth_y);
    }
    if (timed)
        CK(cudaEventRecord(c->ev[2], c->stream));
    k_edges<<<grid_for(n), kThreads, 0, c->stream>>>(c->planes, w, h, c->keys);
    LAUNCHED(k_edges);
    if (timed)
        CK(cudaEventRecord(c->ev[3], c->stream));
    {
        size_t bytes = c->cub_bytes;
        CK(cub::DeviceRadixSort::SortKeys(c->cub_tmp, bytes, c->keys, c->keys_alt, (int)(4 * n),
                                          32, 64, c->stream));
        /* sorted keys live in keys from here on */
        uint64_t *t = c->keys;
        c->keys = c->keys_alt;
        c->keys_alt = t;
    }
    if (timed)
        CK(cudaEventRecord(c->ev[4], c->stream));
    return PR_OK;
fail:
    return st;
}

/* The window loop of one exact pass (phase 0 merge, 1 min_size) until every edge is resolved. */
static pr_status exact_pass(pr_cuda_fh *c, int phase, size_t m, size_t window, float kf,
                            int min_size, long *rounds)
{
    pr_status st = PR_OK;
    const unsigned nb = (unsigned)((window + kThreads - 1) / kThreads);
    k_iota<<<grid_for(m), kThreads, 0, c->stream>>>(m, c->pend);
    LAUNCHED(k_iota);
    k_state_reset<<<1, 1, 0, c->stream>>>(c->state, (unsigned long long)m);
    LAUNCHED(k_state_reset);
    for (;;) {
        for (int r = 0; r < kBatch; r++) {
            k_reserve<<<nb, kThreads, 0, c->stream>>>(phase, c->keys, c->pend, c->state,
                                                      (unsigned)window, c->width, min_size,
                                                      c->parent, c->size, c->frozen, c->res, c->ra,
                                                      c->rb, c->flag);
            LAUNCHED(k_reserve);
            k_decide<<<nb, kThreads, 0, c->stream>>>(phase, c->keys, c->pend, c->state,
                                                     (unsigned)window, c->parent, c->size, c->thr,
                                                     c->frozen, c->res, c->ra, c->rb, c->flag,
                                                     c->hooked, c->hw, c->block_kept);
            LAUNCHED(k_decide);
            if (phase == 0) {
                k_fix_sizes<<<256, kThreads, 0, c->stream>>>(c->state, c->parent, c->size, c->mw,
                                                             c->hooked, c->hw);
                LAUNCHED(k_fix_sizes);
                k_fix_thr<<<256, kThreads, 0, c->stream>>>(c->state, c->parent, c->size, c->mw, kf,
                                                           c->thr, c->hooked);
                LAUNCHED(k_fix_thr);
            }
            k_scan_blocks<<<1, 1024, 0, c->stream>>>(c->state, (unsigned)window, nb, c->block_kept);
            LAUNCHED(k_scan_blocks);
            k_scatter<<<nb, kThreads, 0, c->stream>>>(c->state, (unsigned)window, c->pend, c->flag,
                                                      c->ra, c->rb, c->res, c->mw, c->parent,
                                                      c->hooked, c->block_kept, c->ptmp);
            LAUNCHED(k_scatter);
            k_copy_back<<<nb, kThreads, 0, c->stream>>>(c->state, c->ptmp, c->pend);
            LAUNCHED(k_copy_back);
            k_advance<<<1, 1, 0, c->stream>>>(c->state);
            LAUNCHED(k_advance);
        }
        CK(cudaMemcpyAsync(c->h_state, c->state, sizeof(State), cudaMemcpyDeviceToHost, c->stream));
        CK(cudaStreamSynchronize(c->stream));
        if (c->h_state->lo >= c->h_state->count)
            break;
    }
    *rounds = (long)c->h_state->rounds;
    return PR_OK;
fail:
    return st;
}

static pr_status fast_pass(pr_cuda_fh *c, size_t m, size_t window, float kf, long *rounds)
{
    pr_status st = PR_OK;
    long r = 0;
    k_zero_hooked<<<1, 1, 0, c->stream>>>(c->state);
    LAUNCHED(k_zero_hooked);
    for (size_t lo = 0; lo < m; lo += window, r++) {
        const size_t nw = m - lo < window ? m - lo : window;
        k_fast_roots<<<(unsigned)((nw + kThreads - 1) / kThreads), kThreads, 0, c->stream>>>(c->keys, lo, nw, c->width,
                                                               c->parent, c->ra, c->rb);
        LAUNCHED(k_fast_roots);
        k_fast<<<(unsigned)((nw + kThreads - 1) / kThreads), kThreads, 0, c->stream>>>(c->keys, lo, nw, c->parent, c->thr, c->ra,
                                                         c->rb, c->state, c->hooked, c->hw);
        LAUNCHED(k_fast);
        k_fix_sizes<<<256, kThreads, 0, c->stream>>>(c->state, c->parent, c->size, c->mw,
                                                     c->hooked, c->hw);
        LAUNCHED(k_fix_sizes);
        k_fix_thr<<<256, kThreads, 0, c->stream>>>(c->state, c->parent, c->size, c->mw, kf, c->thr,
                                                   c->hooked);
        LAUNCHED(k_fix_thr);
        k_fast_clear<<<256, kThreads, 0, c->stream>>>(c->state, c->parent, c->mw, c->hooked);
        LAUNCHED(k_fast_clear);
        k_zero_hooked<<<1, 1, 0, c->stream>>>(c->state);
        LAUNCHED(k_zero_hooked);
    }
    *rounds = r;
    return PR_OK;
fail:
    return st;
}

extern "C" pr_status pr_cuda_fh_segment(pr_cuda_fh *c, const pr_image *rgb,
                                        const pr_cuda_fh_args *args, int32_t *labels,
                                        int *segments, pr_cuda_fh_timing *timing)
{
    pr_status st = PR_OK;
    pr_cuda_fh_timing t;
    memset(&t, 0, sizeof t);
    if (!c || !args || !labels)
        return pr_set_error(PR_ERR_ARG, "pr_cuda_fh_segment: NULL argument");
    if ((st = check_image(rgb)) != PR_OK)
        return st;
    if (!(args->k > 0.0f) || args->min_size < 0)
        return pr_set_error(PR_ERR_ARG, "pr_cuda_fh_segment: need k > 0 and min_size >= 0");
    {
        const size_t n = (size_t)rgb->width * rgb->height;
        const size_t m = edge_count(rgb->width, rgb->height);
        const bool fast = args->mode == PR_CUDA_FH_FAST;
        size_t window = args->window ? args->window : (fast ? (size_t)1 << 16 : (size_t)1 << 20);
        if (window > m)
            window = m ? m : 1;
        /* one allocation covers both modes' windows when the default is used */
        const size_t alloc_window = window < ((size_t)1 << 20) && m > window
                                        ? (m < ((size_t)1 << 20) ? m : (size_t)1 << 20)
                                        : window;
        if ((st = front(c, rgb, args->mask, args->mask_len, alloc_window, true)) != PR_OK)
            return st;
        k_init<<<grid_for(n), kThreads, 0, c->stream>>>(n, args->k, c->parent, c->size, c->thr,
                                                        c->frozen, c->res, c->mw);
        LAUNCHED(k_init);
        if (m) {
            if (fast)
                st = fast_pass(c, m, window, args->k, &t.rounds_merge);
            else
                st = exact_pass(c, 0, m, window, args->k, 0, &t.rounds_merge);
            if (st != PR_OK)
                return st;
        }
        CK(cudaEventRecord(c->ev[5], c->stream));
        if (m && args->min_size > 1) {
            k_zero_hooked<<<1, 1, 0, c->stream>>>(c->state);
            LAUNCHED(k_zero_hooked);
            k_count_small<<<grid_for(n), kThreads, 0, c->stream>>>(n, c->parent, c->size,
                                                                   args->min_size, c->state);
            LAUNCHED(k_count_small);
            CK(cudaMemcpyAsync(c->h_state, c->state, sizeof(State), cudaMemcpyDeviceToHost,
                               c->stream));
            CK(cudaStreamSynchronize(c->stream));
            if (c->h_state->nhooked > 0) {
                const size_t mw = m < ((size_t)1 << 20) ? m : (size_t)1 << 20;
                k_zero_hooked<<<1, 1, 0, c->stream>>>(c->state);
                LAUNCHED(k_zero_hooked);
                if ((st = exact_pass(c, 1, m, mw, args->k, args->min_size, &t.rounds_min_size)) !=
                    PR_OK)
                    return st;
            }
        }
        CK(cudaEventRecord(c->ev[6], c->stream));
        k_roots<<<grid_for(n), kThreads, 0, c->stream>>>(n, c->parent, c->mw);
        LAUNCHED(k_roots);
        {
            size_t bytes = c->cub_bytes;
            CK(cub::DeviceScan::ExclusiveSum(c->cub_tmp, bytes, c->mw, c->res, (int)n, c->stream));
        }
        k_labels<<<grid_for(n), kThreads, 0, c->stream>>>(n, c->parent, c->mw, c->res, c->labels,
                                                          c->state);
        LAUNCHED(k_labels);
        CK(cudaEventRecord(c->ev[7], c->stream));
        CK(cudaMemcpyAsync(c->h_labels, c->labels, n * sizeof(int32_t), cudaMemcpyDeviceToHost,
                           c->stream));
        CK(cudaMemcpyAsync(c->h_state, c->state, sizeof(State), cudaMemcpyDeviceToHost,
                           c->stream));
        CK(cudaEventRecord(c->ev[8], c->stream));
        CK(cudaStreamSynchronize(c->stream));
        memcpy(labels, c->h_labels, n * sizeof(int32_t));
        if (segments)
            *segments = c->h_state->segments;
        float ms[8];
        for (int i = 0; i < 8; i++)
            CK(cudaEventElapsedTime(&ms[i], c->ev[i], c->ev[i + 1]));
        t.ms_upload = ms[0];
        t.ms_smooth = ms[1];
        t.ms_edges = ms[2];
        t.ms_sort = ms[3];
        t.ms_merge = ms[4];
        t.ms_min_size = ms[5];
        t.ms_relabel = ms[6];
        t.ms_download = ms[7];
        CK(cudaEventElapsedTime(&t.ms_kernels, c->ev[1], c->ev[7]));
        CK(cudaEventElapsedTime(&t.ms_total, c->ev[0], c->ev[8]));
        if (timing)
            *timing = t;
    }
    return PR_OK;
fail:
    return st;
}

extern "C" pr_status pr_cuda_fh_stages(pr_cuda_fh *c, const pr_image *rgb, const float *mask,
                                       int mask_len, float *planes, uint64_t *sorted,
                                       size_t sorted_count)
{
    pr_status st = PR_OK;
    if (!c)
        return pr_set_error(PR_ERR_ARG, "pr_cuda_fh_stages: ctx is NULL");
    if ((st = check_image(rgb)) != PR_OK)
        return st;
    {
        const size_t n = (size_t)rgb->width * rgb->height;
        const size_t m = edge_count(rgb->width, rgb->height);
        if (sorted && sorted_count != m)
            return pr_set_error(PR_ERR_ARG, "pr_cuda_fh_stages: sorted needs %zu entries", m);
        const size_t window = m ? (m < ((size_t)1 << 20) ? m : (size_t)1 << 20) : 1;
        if ((st = front(c, rgb, mask, mask_len, window, false)) != PR_OK)
            return st;
        if (planes)
            CK(cudaMemcpyAsync(planes, c->planes, 3 * n * sizeof(float), cudaMemcpyDeviceToHost,
                               c->stream));
        if (sorted && m)
            CK(cudaMemcpyAsync(sorted, c->keys, m * sizeof(uint64_t), cudaMemcpyDeviceToHost,
                               c->stream));
        CK(cudaStreamSynchronize(c->stream));
    }
    return PR_OK;
fail:
    return st;
}

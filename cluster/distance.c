/* Pairwise distances, CPU reference and dispatcher.
 *
 * The CPU path must give the GPU's floats exactly, so it cannot reorder the per-pair sum over
 * dimensions (no ||a||^2 + ||b||^2 - 2ab trick, no tree reductions). It vectorises across pairs
 * instead: a tile of 16 b-rows is transposed so that dimension k of all 16 sits contiguously, and
 * one a-row is compared with the 16 at once; each lane still adds its terms in k order, so the
 * compiler's SIMD code computes the same floats as the scalar definition. Work is split over b-tiles
 * with the thread pool; with a == b only the tiles on or above the diagonal are computed and
 * mirrored (both metrics are exactly symmetric in floating point: (x-y)^2 = (y-x)^2, x+y = y+x). */
#include "cluster/distance.h"

#include "core/alloc.h"
#include "core/threadpool.h"
#include "cuda/distance.h"
#include "cuda/gpu.h"

#include <math.h>
#include <string.h>

_Static_assert((int)PR_DISTANCE_L2 == PR_CUDA_DIST_L2, "metric codes must match cuda/distance.h");
_Static_assert((int)PR_DISTANCE_CHI2 == PR_CUDA_DIST_CHI2, "metric codes must match cuda/distance.h");

#define TILE 16

pr_distance_params pr_distance_params_default(void)
{
    pr_distance_params p;
    memset(&p, 0, sizeof p);
    p.metric = PR_DISTANCE_L2;
    p.device = PR_DEVICE_AUTO;
    p.threads = 0;
    return p;
}

float pr_distance_one(pr_distance_metric metric, const float *a, const float *b, int dim)
{
    float acc = 0.0f;
    if (metric == PR_DISTANCE_L2) {
        for (int k = 0; k < dim; k++) {
            float e = a[k] - b[k];
            acc = acc + e * e;
        }
        return sqrtf(acc);
    }
    for (int k = 0; k < dim; k++) {
        float t = a[k] + b[k];
        float e = a[k] - b[k];
        float q = (e * e) / (t > 0.0f ? t : 1.0f);
        acc = t > 0.0f ? acc + q : acc;
    }
    return 0.5f * acc;
}

typedef struct tile_job {
    pr_distance_metric metric;
    const float *a, *b;
    int na, nb, dim, symmetric, ntiles;
    float *out;
    float **scratch; /* per worker: dim * TILE floats */
} tile_job;

#if defined(__GNUC__)
/* GCC/Clang vector extensions: IEEE per lane, so each lane computes exactly the scalar definition;
 * the auto-vectoriser will not do it by itself (it sees the select and the reduction order). */
typedef float pr_v4 __attribute__((vector_size(16)));
typedef int pr_v4i __attribute__((vector_size(16)));
#define VECS (TILE / 4)

static void tile_rows_l2(const float *restrict ai, const float *restrict bt, int dim,
                         float *restrict out)
{
    pr_v4 acc[VECS];
    for (int v = 0; v < VECS; v++)
        acc[v] = (pr_v4){0.0f, 0.0f, 0.0f, 0.0f};
    for (int k = 0; k < dim; k++) {
        const float x = ai[k];
        const pr_v4 xv = {x, x, x, x};
        const float *bk = bt + (size_t)k * TILE;
        for (int v = 0; v < VECS; v++) {
            pr_v4 bv;
            memcpy(&bv, bk + 4 * v, sizeof bv);
            pr_v4 e = xv - bv;
            acc[v] = acc[v] + e * e;
        }
    }
    float tmp[TILE];
    memcpy(tmp, acc, sizeof tmp);
    for (int jj = 0; jj < TILE; jj++)
        out[jj] = sqrtf(tmp[jj]);
}

static void tile_rows_chi2(const float *restrict ai, const float *restrict bt, int dim,
                           float *restrict out)
{
    const pr_v4 zero = {0.0f, 0.0f, 0.0f, 0.0f}, one = {1.0f, 1.0f, 1.0f, 1.0f};
    pr_v4 acc[VECS];
    for (int v = 0; v < VECS; v++)
        acc[v] = zero;
    for (int k = 0; k < dim; k++) {
        const float x = ai[k];
        const pr_v4 xv = {x, x, x, x};
        const float *bk = bt + (size_t)k * TILE;
        for (int v = 0; v < VECS; v++) {
            pr_v4 bv;
            memcpy(&bv, bk + 4 * v, sizeof bv);
            pr_v4 t = xv + bv, e = xv - bv;
            pr_v4i m = t > zero; /* all ones where the bin is used */
            pr_v4 safe = (pr_v4)(((pr_v4i)t & m) | ((pr_v4i)one & ~m));
            pr_v4 q = (e * e) / safe;
            /* + (+0) where t <= 0: the same float as skipping the term (acc is never -0) */
            acc[v] = acc[v] + (pr_v4)((pr_v4i)q & m);
        }
    }
    float tmp[TILE];
    memcpy(tmp, acc, sizeof tmp);
    for (int jj = 0; jj < TILE; jj++)
        out[jj] = 0.5f * tmp[jj];
}
#else
static void tile_rows_l2(const float *restrict ai, const float *restrict bt, int dim,
                         float *restrict out)
{
    for (int jj = 0; jj < TILE; jj++) {
        float acc = 0.0f;
        for (int k = 0; k < dim; k++) {
            float e = ai[k] - bt[(size_t)k * TILE + jj];
            acc = acc + e * e;
        }
        out[jj] = sqrtf(acc);
    }
}

static void tile_rows_chi2(const float *restrict ai, const float *restrict bt, int dim,
                           float *restrict out)
{
    for (int jj = 0; jj < TILE; jj++) {
        float acc = 0.0f;
        for (int k = 0; k < dim; k++) {
            float t = ai[k] + bt[(size_t)k * TILE + jj], e = ai[k] - bt[(size_t)k * TILE + jj];
            float q = (e * e) / (t > 0.0f ? t : 1.0f);
            acc = t > 0.0f ? acc + q : acc;
        }
        out[jj] = 0.5f * acc;
    }
}
#endif

static void tile_task(void *ctx, long t, int worker)
{
    tile_job *J = ctx;
    /* Symmetric tiles grow with their index; hand out the big ones first so the pool ends level. */
    int jb = J->symmetric ? J->ntiles - 1 - (int)t : (int)t;
    int j0 = jb * TILE, w = J->nb - j0 < TILE ? J->nb - j0 : TILE;
    float *bt = J->scratch[worker];
    for (int k = 0; k < J->dim; k++)
        for (int jj = 0; jj < TILE; jj++)
            bt[(size_t)k * TILE + jj] = jj < w ? J->b[(size_t)(j0 + jj) * J->dim + k] : 0.0f;
    int iend = J->symmetric ? j0 + w : J->na;
    float acc[TILE];
    for (int i = 0; i < iend; i++) {
        const float *ai = J->a + (size_t)i * J->dim;
        if (J->metric == PR_DISTANCE_L2)
            tile_rows_l2(ai, bt, J->dim, acc);
        else
            tile_rows_chi2(ai, bt, J->dim, acc);
        float *row = J->out + (size_t)i * J->nb + j0;
        for (int jj = 0; jj < w; jj++)
            row[jj] = acc[jj];
        if (J->symmetric)
            for (int jj = 0; jj < w; jj++)
                J->out[(size_t)(j0 + jj) * J->nb + i] = acc[jj];
    }
}

static pr_status cpu_pairwise(const pr_distance_params *p, const float *a, int na, const float *b,
                              int nb, int dim, float *out)
{
    pr_pool *pool = NULL;
    pr_status st = pr_pool_new(p->threads, &pool);
    if (st != PR_OK)
        return st;
    int workers = pr_pool_size(pool);
    tile_job J;
    memset(&J, 0, sizeof J);
    J.metric = p->metric;
    J.a = a;
    J.b = b;
    J.na = na;
    J.nb = nb;
    J.dim = dim;
    J.out = out;
    J.symmetric = (a == b && na == nb);
    J.ntiles = (nb + TILE - 1) / TILE;
    J.scratch = pr_calloc((size_t)workers, sizeof *J.scratch);
    if (!J.scratch)
        goto nomem;
    for (int w = 0; w < workers; w++)
        if (!(J.scratch[w] = pr_malloc_array((size_t)dim * TILE, sizeof(float))))
            goto nomem;
    pr_pool_for(pool, J.ntiles, tile_task, &J);
    goto done;
nomem:
    st = pr_set_error(PR_ERR_NOMEM, "out of memory computing %d x %d distances", na, nb);
done:
    if (J.scratch)
        for (int w = 0; w < workers; w++)
            pr_free(J.scratch[w]);
    pr_free(J.scratch);
    pr_pool_delete(pool);
    return st;
}

pr_status pr_distance_pairwise(const pr_distance_params *params, const float *a, int na,
                               const float *b, int nb, int dim, float *out, int *used_gpu)
{
    pr_distance_params p = params ? *params : pr_distance_params_default();
    if (used_gpu)
        *used_gpu = 0;
    if (!a || !b || !out || na < 0 || nb < 0 || dim < 1)
        return pr_set_error(PR_ERR_ARG, "pr_distance_pairwise: bad arguments (%d x %d, dim %d)",
                            na, nb, dim);
    if (p.metric != PR_DISTANCE_L2 && p.metric != PR_DISTANCE_CHI2)
        return pr_set_error(PR_ERR_ARG, "pr_distance_pairwise: unknown metric %d", (int)p.metric);
    if (na == 0 || nb == 0)
        return PR_OK;
    if (p.device == PR_DEVICE_GPU || (p.device == PR_DEVICE_AUTO && pr_gpu_available())) {
        pr_status st = pr_gpu_probe(NULL);
        if (st == PR_OK)
            st = pr_cuda_pairwise_distance((int)p.metric, a, na, b, nb, dim, out);
        if (st == PR_OK) {
            if (used_gpu)
                *used_gpu = 1;
            return PR_OK;
        }
        if (p.device == PR_DEVICE_GPU)
            return st;
        /* AUTO: a GPU that fails mid-way (out of memory, driver error) still leaves the CPU. */
    }
    return cpu_pairwise(&p, a, na, b, nb, dim, out);
}

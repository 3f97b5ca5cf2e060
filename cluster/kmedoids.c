/* k-medoids: FasterPAM and Park-Jun over a precomputed dissimilarity matrix.
 *
 * FasterPAM (E. Schubert, P. J. Rousseeuw, "Fast and eager k-medoids clustering: O(k) runtime
 * improvement of the PAM, CLARA, and CLARANS algorithms", Information Systems 101, 2021), written
 * from the paper. For every instance o we keep the nearest medoid n(o) at distance dn(o) and the
 * distance ds(o) to the second nearest. The "removal loss" of medoid i is
 *     R_i = sum over o with n(o) = i of (ds(o) - dn(o)),
 * the cost of deleting i with nothing added. Swapping medoid i for a non-medoid x changes the loss
 * by R_i + S + T_i, where one scan over o with d = d(o, x) fills
 *     d <  dn(o):           S += d - dn(o);  T_{n(o)} += dn(o) - ds(o)
 *     dn(o) <= d < ds(o):   T_{n(o)} += d - ds(o)
 * (S is shared by every i: o moves to x whichever medoid leaves). So the best of the k swaps for x
 * costs O(n + k) instead of O(nk). The search is eager: the best swap for x is made as soon as it
 * lowers the loss, and the candidates x are visited cyclically until n candidates in a row bring no
 * improvement. The result is a swap-local optimum, as in PAM, not necessarily the global one.
 * Initial medoids: k distinct instances drawn with the seeded RNG (the paper shows FasterPAM
 * needs no expensive BUILD), or the caller's.
 *
 * Park & Jun (H.-S. Park, C.-H. Jun, "A simple and fast algorithm for K-medoids clustering",
 * Expert Systems with Applications 36(2), 2009): initial medoids are the k instances with the
 * smallest v_j = sum_i d_ij / sum_l d_il (the most "central" ones), then alternate: assign every
 * instance to its nearest medoid; replace each medoid by the member of its cluster with the smallest
 * summed distance to the other members; stop when no medoid changes. Each round costs
 * O(nk + sum_c |C_c|^2) and the loss never rises, but the fixed points are weaker than swap optima.
 *
 * Constrained refinement (our addition, see kmedoids.h): constrained assignment (assign.c), then
 * Park-Jun medoid moves under that assignment, alternating. Each step keeps the previous assignment
 * feasible (every medoid is a member of its own cluster), so the constrained loss never rises. */
#include "cluster/kmedoids.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "core/threadpool.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

pr_kmedoids_params pr_kmedoids_params_default(void)
{
    pr_kmedoids_params p;
    memset(&p, 0, sizeof p);
    p.algorithm = PR_KMEDOIDS_FASTERPAM;
    p.k = 2;
    p.seed = 1;
    p.max_passes = 100;
    p.restarts = 3;
    p.parkjun_start = 1;
    return p;
}

void pr_kmedoids_result_free(pr_kmedoids_result *r)
{
    if (!r)
        return;
    pr_free(r->medoids);
    pr_free(r->labels);
    memset(r, 0, sizeof *r);
}

#define ROW(d, n, i) ((d) + (size_t)(i) * (size_t)(n))

/* --- FasterPAM ---------------------------------------------------------------------------- */

typedef struct fp_state {
    const float *d;
    int n, k;
    int *medoids;
    unsigned char *is_medoid;
    int *nearest, *second;   /* medoid slots */
    float *dnear, *dsec;
    double *removal, *dtd;
} fp_state;

/* Nearest and second-nearest medoid of o by a full scan; ties go to the lower slot. */
static void fp_rescan(fp_state *s, int o)
{
    const float *row = ROW(s->d, s->n, o);
    int b1 = -1, b2 = -1;
    float d1 = INFINITY, d2 = INFINITY;
    for (int c = 0; c < s->k; c++) {
        float dc = row[s->medoids[c]];
        if (dc < d1) {
            b2 = b1;
            d2 = d1;
            b1 = c;
            d1 = dc;
        } else if (dc < d2) {
            b2 = c;
            d2 = dc;
        }
    }
    s->nearest[o] = b1;
    s->dnear[o] = d1;
    s->second[o] = b2;
    s->dsec[o] = d2;
}

static void fp_removal(fp_state *s)
{
    for (int c = 0; c < s->k; c++)
        s->removal[c] = 0;
    for (int o = 0; o < s->n; o++)
        s->removal[s->nearest[o]] += (double)s->dsec[o] - (double)s->dnear[o];
}

/* Best swap partner for candidate x: returns the slot, *delta the loss change. */
static int fp_best_swap(fp_state *s, int x, double *delta)
{
    const float *row = ROW(s->d, s->n, x);
    const int n = s->n, k = s->k;
    double *dtd = s->dtd;
    memcpy(dtd, s->removal, (size_t)k * sizeof *dtd);
    double shared = 0;
    for (int o = 0; o < n; o++) {
        float dox = row[o], dn = s->dnear[o];
        if (dox < dn) {
            shared += (double)dox - (double)dn;
            dtd[s->nearest[o]] += (double)dn - (double)s->dsec[o];
        } else if (dox < s->dsec[o]) {
            dtd[s->nearest[o]] += (double)dox - (double)s->dsec[o];
        }
    }
    int best = 0;
    for (int c = 1; c < k; c++)
        if (dtd[c] < dtd[best])
            best = c;
    *delta = dtd[best] + shared;
    return best;
}

static void fp_swap(fp_state *s, int slot, int x)
{
    const float *row = ROW(s->d, s->n, x);
    s->is_medoid[s->medoids[slot]] = 0;
    s->is_medoid[x] = 1;
    s->medoids[slot] = x;
    for (int o = 0; o < s->n; o++) {
        float dox = row[o];
        if (s->nearest[o] == slot) {
            if (dox <= s->dsec[o])
                s->dnear[o] = dox; /* still nearest: the others are no closer than ds */
            else
                fp_rescan(s, o);
        } else if (s->second[o] == slot) {
            if (dox < s->dnear[o]) {
                s->second[o] = s->nearest[o];
                s->dsec[o] = s->dnear[o];
                s->nearest[o] = slot;
                s->dnear[o] = dox;
            } else if (dox <= s->dsec[o]) {
                s->dsec[o] = dox; /* the third is no closer than the old second */
            } else {
                fp_rescan(s, o);
            }
        } else if (dox < s->dnear[o]) {
            s->second[o] = s->nearest[o];
            s->dsec[o] = s->dnear[o];
            s->nearest[o] = slot;
            s->dnear[o] = dox;
        } else if (dox < s->dsec[o]) {
            s->second[o] = slot;
            s->dsec[o] = dox;
        }
    }
    fp_removal(s);
}

static pr_status fasterpam(const float *d, int n, int k, int max_passes, int *medoids,
                           int *passes_out, int *swaps_out)
{
    pr_status st = PR_OK;
    fp_state s;
    memset(&s, 0, sizeof s);
    s.d = d;
    s.n = n;
    s.k = k;
    s.medoids = medoids;
    s.is_medoid = pr_calloc((size_t)n, 1);
    s.nearest = pr_malloc_array((size_t)n, sizeof *s.nearest);
    s.second = pr_malloc_array((size_t)n, sizeof *s.second);
    s.dnear = pr_malloc_array((size_t)n, sizeof *s.dnear);
    s.dsec = pr_malloc_array((size_t)n, sizeof *s.dsec);
    s.removal = pr_malloc_array((size_t)k, sizeof *s.removal);
    s.dtd = pr_malloc_array((size_t)k, sizeof *s.dtd);
    if (!s.is_medoid || !s.nearest || !s.second || !s.dnear || !s.dsec || !s.removal || !s.dtd) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory in FasterPAM (n %d, k %d)", n, k);
        goto done;
    }
    for (int c = 0; c < k; c++)
        s.is_medoid[medoids[c]] = 1;
    for (int o = 0; o < n; o++)
        fp_rescan(&s, o);
    fp_removal(&s);

    /* Current loss, for a scale-aware "is this really an improvement" threshold: rounding in the
     * double accumulators must not make the search cycle between equal-loss configurations. */
    double loss = 0;
    for (int o = 0; o < n; o++)
        loss += s.dnear[o];
    long visited = 0;
    int passes = 0, swaps = 0, since_swap = 0;
    for (int x = 0; since_swap < n && passes < max_passes; visited++) {
        if (!s.is_medoid[x]) {
            double delta;
            int slot = fp_best_swap(&s, x, &delta);
            if (delta < -1e-12 * (loss + 1.0)) {
                fp_swap(&s, slot, x);
                swaps++;
                loss += delta;
                since_swap = 0;
            }
        }
        since_swap++;
        if (++x == n) {
            x = 0;
            passes++;
        }
    }
    *passes_out = (int)((visited + n - 1) / n);
    *swaps_out = swaps;
done:
    pr_free(s.is_medoid);
    pr_free(s.nearest);
    pr_free(s.second);
    pr_free(s.dnear);
    pr_free(s.dsec);
    pr_free(s.removal);
    pr_free(s.dtd);
    return st;
}

/* --- medoid update (Park-Jun step, also used by the constrained refinement) ----------------- */

/* Moves each medoid to the member of its cluster with the smallest summed distance to the others;
 * the current medoid wins ties so the iteration cannot cycle. Returns the number moved, or -1 when
 * out of memory. */
static int update_medoids(const float *d, int n, int k, int *medoids, const int *labels)
{
    int *count = pr_calloc((size_t)k + 1, sizeof *count);
    int *order = pr_malloc_array((size_t)n, sizeof *order);
    if (!count || !order) {
        pr_free(count);
        pr_free(order);
        return -1;
    }
    for (int i = 0; i < n; i++)
        count[labels[i] + 1]++;
    for (int c = 0; c < k; c++)
        count[c + 1] += count[c];
    int *fill = pr_malloc_array((size_t)k, sizeof *fill);
    if (!fill) {
        pr_free(count);
        pr_free(order);
        return -1;
    }
    memcpy(fill, count, (size_t)k * sizeof *fill);
    for (int i = 0; i < n; i++)
        order[fill[labels[i]]++] = i;
    int moved = 0;
    for (int c = 0; c < k; c++) {
        const int *mem = order + count[c];
        int size = count[c + 1] - count[c];
        int best = medoids[c];
        double best_sum = 0;
        for (int b = 0; b < size; b++)
            best_sum += ROW(d, n, best)[mem[b]];
        for (int a = 0; a < size; a++) {
            int x = mem[a];
            if (x == medoids[c])
                continue;
            const float *row = ROW(d, n, x);
            double sum = 0;
            for (int b = 0; b < size && sum < best_sum; b++)
                sum += row[mem[b]];
            if (sum < best_sum) {
                best_sum = sum;
                best = x;
            }
        }
        if (best != medoids[c]) {
            medoids[c] = best;
            moved++;
        }
    }
    pr_free(count);
    pr_free(order);
    pr_free(fill);
    return moved;
}

/* --- Park-Jun --------------------------------------------------------------------------------- */

typedef struct pj_key {
    double v;
    int index;
} pj_key;

static int pj_key_cmp(const void *a_, const void *b_)
{
    const pj_key *a = a_, *b = b_;
    if (a->v != b->v)
        return a->v < b->v ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static pr_status parkjun_init(const float *d, int n, int k, int *medoids)
{
    double *rowsum = pr_malloc_array((size_t)n, sizeof *rowsum);
    pj_key *keys = pr_malloc_array((size_t)n, sizeof *keys);
    if (!rowsum || !keys) {
        pr_free(rowsum);
        pr_free(keys);
        return pr_set_error(PR_ERR_NOMEM, "out of memory in Park-Jun initialisation");
    }
    for (int i = 0; i < n; i++) {
        double sum = 0;
        const float *row = ROW(d, n, i);
        for (int l = 0; l < n; l++)
            sum += row[l];
        rowsum[i] = sum;
        keys[i].v = 0;
        keys[i].index = i;
    }
    /* v_j = sum_i d_ij / rowsum_i, accumulated row by row for cache-friendly access. */
    for (int i = 0; i < n; i++) {
        if (rowsum[i] <= 0)
            continue;
        double inv = 1.0 / rowsum[i];
        const float *row = ROW(d, n, i);
        for (int j = 0; j < n; j++)
            keys[j].v += row[j] * inv;
    }
    qsort(keys, (size_t)n, sizeof *keys, pj_key_cmp);
    for (int c = 0; c < k; c++)
        medoids[c] = keys[c].index;
    pr_free(rowsum);
    pr_free(keys);
    return PR_OK;
}

/* Alternating iterations from the medoids given; labels is n scratch. */
static pr_status parkjun(const float *d, int n, int k, int max_iter, int *medoids, int *labels,
                         int *iterations)
{
    pr_status st;
    for (*iterations = 0; *iterations < max_iter;) {
        if ((st = pr_kmedoids_assign(d, n, medoids, k, NULL, labels, NULL)) != PR_OK)
            return st;
        ++*iterations;
        int moved = update_medoids(d, n, k, medoids, labels);
        if (moved < 0)
            return pr_set_error(PR_ERR_NOMEM, "out of memory in Park-Jun");
        if (moved == 0)
            break;
    }
    return PR_OK;
}

static pr_status random_init(int n, int k, pr_rng *rng, int *medoids)
{
    int *perm = pr_malloc_array((size_t)n, sizeof *perm);
    if (!perm)
        return pr_set_error(PR_ERR_NOMEM, "out of memory choosing initial medoids");
    for (int i = 0; i < n; i++)
        perm[i] = i;
    for (int c = 0; c < k; c++) { /* partial Fisher-Yates: the first k of a uniform shuffle */
        int j = c + (int)pr_rng_below(rng, (uint64_t)(n - c));
        int t = perm[c];
        perm[c] = perm[j];
        perm[j] = t;
        medoids[c] = perm[c];
    }
    pr_free(perm);
    return PR_OK;
}

/* --- FasterPAM from several starts, in parallel -------------------------------------------------- */

typedef struct start_job {
    const float *d;
    int n, k, max_passes, parkjun_last, starts;
    int *medoids;   /* starts x k: initial, then final medoids */
    int *labels;    /* n scratch for the Park-Jun start */
    double *loss;
    int *passes, *swaps;
    pr_status *status;
} start_job;

static void run_start(void *ctx, long r, int worker)
{
    (void)worker;
    start_job *J = ctx;
    const int n = J->n, k = J->k;
    int *med = J->medoids + (size_t)r * k;
    int pj_passes = 0;
    pr_status st = PR_OK;
    if (J->parkjun_last && r == J->starts - 1) {
        /* FasterPAM only descends, so this start guarantees a loss no higher than Park-Jun's. */
        if ((st = parkjun_init(J->d, n, k, med)) == PR_OK)
            st = parkjun(J->d, n, k, J->max_passes, med, J->labels, &pj_passes);
    }
    if (st == PR_OK)
        st = fasterpam(J->d, n, k, J->max_passes, med, &J->passes[r], &J->swaps[r]);
    J->passes[r] += pj_passes;
    J->status[r] = st;
    if (st != PR_OK)
        return;
    double loss = 0;
    for (int i = 0; i < n; i++) {
        const float *row = ROW(J->d, n, i);
        float m = INFINITY;
        for (int c = 0; c < k; c++)
            if (row[med[c]] < m)
                m = row[med[c]];
        loss += m;
    }
    J->loss[r] = loss;
}

/* The random starts are drawn in order from one seeded stream before anything runs, and the
 * lowest loss wins (ties: the earliest start), so threads change the time, not the answer. */
static pr_status fasterpam_starts(const float *d, int n, const pr_kmedoids_params *p,
                                  pr_kmedoids_result *out)
{
    const int k = p->k;
    int randoms = p->restarts < 1 ? 1 : p->restarts;
    int starts = randoms + (p->parkjun_start ? 1 : 0);
    pr_status st = PR_OK;
    pr_pool *pool = NULL;
    start_job J;
    memset(&J, 0, sizeof J);
    J.d = d;
    J.n = n;
    J.k = k;
    J.max_passes = p->max_passes;
    J.parkjun_last = p->parkjun_start != 0;
    J.starts = starts;
    J.medoids = pr_malloc_array((size_t)starts * (size_t)k, sizeof *J.medoids);
    J.labels = pr_malloc_array((size_t)n, sizeof *J.labels);
    J.loss = pr_malloc_array((size_t)starts, sizeof *J.loss);
    J.passes = pr_calloc((size_t)starts, sizeof *J.passes);
    J.swaps = pr_calloc((size_t)starts, sizeof *J.swaps);
    J.status = pr_calloc((size_t)starts, sizeof *J.status);
    if (!J.medoids || !J.labels || !J.loss || !J.passes || !J.swaps || !J.status) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory clustering %d instances", n);
        goto done;
    }
    pr_rng rng;
    pr_rng_seed(&rng, p->seed);
    for (int r = 0; r < randoms; r++)
        if ((st = random_init(n, k, &rng, J.medoids + (size_t)r * k)) != PR_OK)
            goto done;
    int threads = p->threads;
    if (threads <= 0)
        threads = pr_cpu_count();
    if (threads > starts)
        threads = starts;
    if ((st = pr_pool_new(threads, &pool)) != PR_OK)
        goto done;
    pr_pool_for(pool, starts, run_start, &J);
    int best = -1;
    for (int r = 0; r < starts; r++) {
        if (J.status[r] != PR_OK) {
            st = pr_set_error(J.status[r], "FasterPAM start %d failed (out of memory)", r);
            goto done;
        }
        out->passes += J.passes[r];
        out->swaps += J.swaps[r];
        if (best < 0 || J.loss[r] < J.loss[best])
            best = r;
    }
    memcpy(out->medoids, J.medoids + (size_t)best * k, (size_t)k * sizeof *out->medoids);
done:
    pr_pool_delete(pool);
    pr_free(J.medoids);
    pr_free(J.labels);
    pr_free(J.loss);
    pr_free(J.passes);
    pr_free(J.swaps);
    pr_free(J.status);
    return st;
}

/* --- driver ------------------------------------------------------------------------------------ */


pr_status pr_kmedoids(const float *d, int n, const pr_kmedoids_params *params,
                      pr_kmedoids_result *out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_kmedoids: out is NULL");
    memset(out, 0, sizeof *out);
    pr_kmedoids_params p = params ? *params : pr_kmedoids_params_default();
    if (!d || n < 1)
        return pr_set_error(PR_ERR_ARG, "pr_kmedoids: no instances");
    if (p.k < 1 || p.k > n)
        return pr_set_error(PR_ERR_ARG, "pr_kmedoids: k = %d is outside [1, %d]", p.k, n);
    if (p.max_passes < 1)
        return pr_set_error(PR_ERR_ARG, "pr_kmedoids: max_passes must be >= 1");
    if (p.algorithm != PR_KMEDOIDS_FASTERPAM && p.algorithm != PR_KMEDOIDS_PARKJUN)
        return pr_set_error(PR_ERR_ARG, "pr_kmedoids: unknown algorithm %d", (int)p.algorithm);
    for (size_t e = 0, ne = (size_t)n * (size_t)n; e < ne; e++)
        if (!isfinite(d[e]) || d[e] < 0)
            return pr_set_error(PR_ERR_ARG,
                                "pr_kmedoids: d[%zu][%zu] = %g is not a finite distance >= 0",
                                e / (size_t)n, e % (size_t)n, (double)d[e]);
    const int k = p.k;
    pr_status st = PR_OK;
    out->n = n;
    out->k = k;
    out->medoids = pr_malloc_array((size_t)k, sizeof *out->medoids);
    out->labels = pr_malloc_array((size_t)n, sizeof *out->labels);
    if (!out->medoids || !out->labels) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory clustering %d instances", n);
        goto fail;
    }
    if (p.init) {
        unsigned char *seen = pr_calloc((size_t)n, 1);
        if (!seen) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory clustering %d instances", n);
            goto fail;
        }
        for (int c = 0; c < k && st == PR_OK; c++) {
            if (p.init[c] < 0 || p.init[c] >= n || seen[p.init[c]])
                st = pr_set_error(PR_ERR_ARG, "initial medoid %d (%d) is out of range or repeated",
                                  c, p.init[c]);
            else
                seen[p.init[c]] = 1;
            out->medoids[c] = p.init[c];
        }
        pr_free(seen);
        if (st != PR_OK)
            goto fail;
    }

    if (k == 1) {
        /* Exact: the instance with the smallest row sum. */
        double best = INFINITY;
        for (int i = 0; i < n; i++) {
            double sum = 0;
            for (int j = 0; j < n; j++)
                sum += ROW(d, n, i)[j];
            if (sum < best) {
                best = sum;
                out->medoids[0] = i;
            }
        }
        out->passes = 1;
    } else if (p.algorithm == PR_KMEDOIDS_FASTERPAM) {
        if (p.init) {
            if ((st = fasterpam(d, n, k, p.max_passes, out->medoids, &out->passes,
                                &out->swaps)) != PR_OK)
                goto fail;
        } else if ((st = fasterpam_starts(d, n, &p, out)) != PR_OK) {
            goto fail;
        }
    } else {
        if (!p.init && (st = parkjun_init(d, n, k, out->medoids)) != PR_OK)
            goto fail;
        if ((st = parkjun(d, n, k, p.max_passes, out->medoids, out->labels, &out->passes)) !=
            PR_OK)
            goto fail;
    }
    if ((st = pr_kmedoids_assign(d, n, out->medoids, k, NULL, out->labels,
                                 &out->loss_unconstrained)) != PR_OK)
        goto fail;
    out->loss = out->loss_unconstrained;

    if (p.group) {
        if ((st = pr_kmedoids_assign(d, n, out->medoids, k, p.group, out->labels, &out->loss)) !=
            PR_OK)
            goto fail;
        for (int round = 0; round < p.max_passes; round++) {
            int moved = update_medoids(d, n, k, out->medoids, out->labels);
            if (moved < 0) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory in the constrained refinement");
                goto fail;
            }
            if (moved == 0)
                break;
            if ((st = pr_kmedoids_assign(d, n, out->medoids, k, p.group, out->labels,
                                         &out->loss)) != PR_OK)
                goto fail;
        }
    }
    return PR_OK;
fail:
    pr_kmedoids_result_free(out);
    return st;
}

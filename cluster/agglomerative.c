/* agglomerative: average linkage with a stopping threshold and the same-photo cannot-link
 * (cluster/agglomerative.h).
 *
 * The working matrix holds the average score between the current clusters, -inf for a pair that
 * may never merge. Each live cluster keeps its best partner (best, bestv); after a merge only the
 * rows whose best partner took part are rescanned, the others just compare with the new cluster.
 * -inf is absorbing under the size-weighted mean, which is exactly "the merged cluster shares a
 * photo with c when either part did" (and, in pr_agglomerate_extend, "holds a fixed face, as c
 * does").
 *
 * pr_agglomerate's clusters start as the faces; pr_agglomerate_extend's as units (each fixed
 * cluster, each free face) whose averages and support counts (pos: cross pairs above the
 * threshold, additive under a merge) are built from the scores that involve a free face. */
#include "cluster/agglomerative.h"

#include "cluster/matrix.h"
#include "core/alloc.h"

#include <math.h>
#include <string.h>

pr_agglomerative_params pr_agglomerative_params_default(void)
{
    pr_agglomerative_params p;
    memset(&p, 0, sizeof p);
    p.threshold = 0.0;
    p.constraint = 1;
    p.support = 1;
    p.single_min = NULL;
    return p;
}

typedef struct agg_state {
    float *s;       /* n x n current average scores */
    int n;
    char *alive;    /* 1 while the cluster exists */
    int *size;      /* faces per cluster */
    int *owner;     /* cluster a dead cluster was merged into (its own index while alive) */
    int *best;      /* best partner of a live cluster, -1 = none */
    float *bestv;   /* its score (-inf = none) */
    int *first;     /* first member of a live cluster */
    int *next;      /* next member of the same cluster, -1 = last */
    int *last;      /* last member of a live cluster */
    const float *raw;    /* pr_agglomerate: the caller's face x face scores (support, singles) */
    float *pos;          /* pr_agglomerate_extend: n x n cross pairs above the threshold */
    const float *single; /* the singles' minimum of each cluster while it is one face, or NULL */
} agg_state;

static void init_scores(agg_state *g, const float *score, const int32_t *group, int constraint)
{
    int n = g->n;
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            float v = score[(size_t)i * n + j];
            if (isnan(v))
                v = 0.0f;
            if (i == j || (constraint && group && group[i] == group[j]))
                v = -INFINITY;
            g->s[(size_t)i * n + j] = v;
        }
    /* Symmetrise (the caller's matrix should be; a rounding difference must not make the result
     * depend on which row is scanned). */
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++) {
            float *a = &g->s[(size_t)i * n + j], *b = &g->s[(size_t)j * n + i];
            float v = (isinf(*a) || isinf(*b)) ? -INFINITY : 0.5f * (*a + *b);
            *a = *b = v;
        }
}

/* Best live partner of row i: highest score, ties to the lower index. */
static void rescan(agg_state *g, int i)
{
    const float *row = g->s + (size_t)i * g->n;
    int best = -1;
    float bv = -INFINITY;
    for (int j = 0; j < g->n; j++)
        if (j != i && g->alive[j] && row[j] > bv) {
            bv = row[j];
            best = j;
        }
    g->best[i] = best;
    g->bestv[i] = bv;
}

/* Merges b into a (a < b) and refreshes the best partners. */
static void merge(agg_state *g, int a, int b)
{
    int n = g->n;
    double wa = g->size[a], wb = g->size[b];
    for (int c = 0; c < n; c++) {
        if (!g->alive[c] || c == a || c == b)
            continue;
        float sa = g->s[(size_t)a * n + c], sb = g->s[(size_t)b * n + c];
        float v = (isinf(sa) || isinf(sb)) ? -INFINITY : (float)((wa * sa + wb * sb) / (wa + wb));
        g->s[(size_t)a * n + c] = g->s[(size_t)c * n + a] = v;
    }
    if (g->pos)
        for (int c = 0; c < n; c++) {
            if (!g->alive[c] || c == a || c == b)
                continue;
            float v = g->pos[(size_t)a * n + c] + g->pos[(size_t)b * n + c];
            g->pos[(size_t)a * n + c] = g->pos[(size_t)c * n + a] = v;
        }
    g->alive[b] = 0;
    g->owner[b] = a;
    g->size[a] += g->size[b];
    g->next[g->last[a]] = g->first[b];
    g->last[a] = g->last[b];
    rescan(g, a);
    for (int c = 0; c < n; c++) {
        if (!g->alive[c] || c == a)
            continue;
        if (g->best[c] == a || g->best[c] == b) {
            rescan(g, c);
        } else {
            float v = g->s[(size_t)c * n + a];
            if (v > g->bestv[c] || (v == g->bestv[c] && v > -INFINITY && a < g->best[c])) {
                g->best[c] = a;
                g->bestv[c] = v;
            }
        }
    }
}

/* The live cluster whose best pair scores highest (ties: lower index), or -1. */
static int best_row(const agg_state *g)
{
    int row = -1;
    float bv = -INFINITY;
    for (int i = 0; i < g->n; i++)
        if (g->alive[i] && g->best[i] >= 0 && g->bestv[i] > bv) {
            bv = g->bestv[i];
            row = i;
        }
    return row;
}

static void write_labels(agg_state *g, int *labels, int *k)
{
    int n = g->n, count = 0;
    int *id = g->best; /* reused: cluster id of each root, -1 = not numbered yet */
    for (int i = 0; i < n; i++)
        id[i] = -1;
    for (int i = 0; i < n; i++) {
        int r = i;
        while (!g->alive[r])
            r = g->owner[r];
        if (id[r] < 0)
            id[r] = count++;
        labels[i] = id[r];
    }
    *k = count;
}

/* Whether the guards let live clusters a and b merge. */
static int allowed(const agg_state *g, const pr_agglomerative_params *p, int a, int b)
{
    int n = g->n;
    if (g->single && g->size[a] == 1 && g->size[b] == 1) {
        /* Two single faces: their own pair score (a unit's average until it merges). */
        float v = g->raw ? g->raw[(size_t)a * n + b] : g->s[(size_t)a * n + b];
        if (!(v > g->single[a] && v > g->single[b]))
            return 0;
    }
    if (!p->support)
        return 1;
    double pos = 0, all = (double)g->size[a] * g->size[b];
    if (g->pos)
        return 2 * (double)g->pos[(size_t)a * n + b] > all;
    for (int u = g->first[a]; u >= 0; u = g->next[u])
        for (int v = g->first[b]; v >= 0; v = g->next[v])
            pos += g->raw[(size_t)u * n + v] > p->threshold; /* NaN: no evidence, not support */
    return 2 * pos > all;
}

/* A refused merge: a and b never merge (-inf is absorbing), their best partners are found again. */
static void refuse(agg_state *g, int a, int b)
{
    g->s[(size_t)a * g->n + b] = g->s[(size_t)b * g->n + a] = -INFINITY;
    rescan(g, a);
    rescan(g, b);
}

static void agg_free(agg_state *g)
{
    pr_matrix_free(g->s);
    pr_matrix_free(g->pos);
    pr_free(g->alive);
    pr_free(g->size);
    pr_free(g->owner);
    pr_free(g->best);
    pr_free(g->bestv);
    pr_free(g->first);
    pr_free(g->next);
    pr_free(g->last);
}

/* n clusters of one member each (members 0..n-1), the working matrices uninitialised; pos only
 * with_pos. Returns nonzero (all freed) when out of memory. */
static int agg_alloc(agg_state *g, int n, int with_pos)
{
    memset(g, 0, sizeof *g);
    g->n = n;
    g->s = pr_matrix_alloc((size_t)n, (size_t)n);
    g->pos = with_pos ? pr_matrix_alloc((size_t)n, (size_t)n) : NULL;
    g->alive = pr_malloc((size_t)n);
    g->size = pr_malloc_array((size_t)n, sizeof *g->size);
    g->owner = pr_malloc_array((size_t)n, sizeof *g->owner);
    g->best = pr_malloc_array((size_t)n, sizeof *g->best);
    g->bestv = pr_malloc_array((size_t)n, sizeof *g->bestv);
    g->first = pr_malloc_array((size_t)n, sizeof *g->first);
    g->next = pr_malloc_array((size_t)n, sizeof *g->next);
    g->last = pr_malloc_array((size_t)n, sizeof *g->last);
    if (!g->s || (with_pos && !g->pos) || !g->alive || !g->size || !g->owner || !g->best ||
        !g->bestv || !g->first || !g->next || !g->last) {
        agg_free(g);
        return -1;
    }
    for (int i = 0; i < n; i++) {
        g->alive[i] = 1;
        g->size[i] = 1;
        g->owner[i] = i;
        g->first[i] = g->last[i] = i;
        g->next[i] = -1;
    }
    return 0;
}

/* The merge loop: the best pair above the threshold merges unless a guard refuses it. */
static void agg_run(agg_state *g, const pr_agglomerative_params *p)
{
    for (int i = 0; i < g->n; i++)
        rescan(g, i);
    for (;;) {
        int i = best_row(g);
        if (i < 0 || !(g->bestv[i] > p->threshold))
            break;
        int j = g->best[i];
        if (!allowed(g, p, i, j)) {
            refuse(g, i, j);
            continue;
        }
        merge(g, i < j ? i : j, i < j ? j : i);
    }
}

pr_status pr_agglomerate(const float *score, int n, const int32_t *group,
                         const pr_agglomerative_params *params, int *labels, int *k)
{
    if (!score || n < 1 || !labels || !k)
        return pr_set_error(PR_ERR_ARG, "pr_agglomerate: bad arguments");
    pr_agglomerative_params p = params ? *params : pr_agglomerative_params_default();
    if (isnan(p.threshold))
        return pr_set_error(PR_ERR_ARG, "pr_agglomerate: threshold is NaN");
    agg_state g;
    if (agg_alloc(&g, n, 0) != 0)
        return pr_set_error(PR_ERR_NOMEM, "out of memory clustering %d faces", n);
    init_scores(&g, score, group, p.constraint);
    g.raw = score;
    g.single = p.single_min;
    agg_run(&g, &p);
    write_labels(&g, labels, k);
    agg_free(&g);
    return PR_OK;
}

/* Unit u of pr_agglomerate_extend: fixed cluster u (u < m) or free face u - m. Fills the working
 * averages and support counts from the scores that involve a free face. */
static void init_units(agg_state *g, const float *cross, const float *free_score, int q,
                       const int *fixed_label, const int32_t *fixed_group, int n_fixed, int m,
                       const int32_t *free_group, const pr_agglomerative_params *p)
{
    int u = g->n;
    for (size_t i = 0; i < (size_t)u * u; i++) {
        g->s[i] = -INFINITY; /* fixed x fixed: never */
        g->pos[i] = 0.0f;
    }
    for (int a = 0; a < m; a++)
        g->size[a] = 0;
    for (int i = 0; i < n_fixed; i++)
        g->size[fixed_label[i]]++;
    /* Fixed x free: sums first, then the mean; one shared photo makes the pair -inf. */
    for (int f = 0; f < q; f++) {
        int b = m + f;
        for (int a = 0; a < m; a++)
            g->s[(size_t)a * u + b] = 0.0f;
        for (int i = 0; i < n_fixed; i++) { /* (cross may be NULL when n_fixed is 0) */
            const float *row = cross + (size_t)f * n_fixed;
            int a = fixed_label[i];
            float v = row[i];
            float *cell = &g->s[(size_t)a * u + b];
            if (p->constraint && fixed_group && free_group && fixed_group[i] == free_group[f])
                *cell = -INFINITY;
            else if (!isnan(v))
                *cell += v;
            g->pos[(size_t)a * u + b] += v > p->threshold; /* NaN: no evidence, not support */
        }
        for (int a = 0; a < m; a++) {
            float *cell = &g->s[(size_t)a * u + b];
            if (g->size[a] == 0)
                *cell = -INFINITY;
            else if (!isinf(*cell))
                *cell /= (float)g->size[a];
            g->s[(size_t)b * u + a] = *cell;
            g->pos[(size_t)b * u + a] = g->pos[(size_t)a * u + b];
        }
    }
    /* Free x free: as init_scores. */
    for (int f = 0; f < q; f++)
        for (int h = f + 1; h < q; h++) {
            float x = free_score[(size_t)f * q + h], y = free_score[(size_t)h * q + f];
            x = isnan(x) ? 0.0f : x;
            y = isnan(y) ? 0.0f : y;
            float v = 0.5f * (x + y);
            if (p->constraint && free_group && free_group[f] == free_group[h])
                v = -INFINITY;
            size_t fh = (size_t)(m + f) * u + (size_t)(m + h), hf = (size_t)(m + h) * u + (m + f);
            g->s[fh] = g->s[hf] = v;
            g->pos[fh] = g->pos[hf] = (float)(free_score[(size_t)f * q + h] > p->threshold);
        }
}

pr_status pr_agglomerate_extend(const float *cross, const float *free_score, int q,
                                const int *fixed_label, const int32_t *fixed_group, int n_fixed,
                                int m, const int32_t *free_group,
                                const pr_agglomerative_params *params, int *labels, int *k)
{
    if (q < 0 || n_fixed < 0 || m < 0 || !k || (q > 0 && !labels) || (q > 1 && !free_score) ||
        (q > 0 && n_fixed > 0 && !cross) || (n_fixed > 0 && (!fixed_label || m < 1)))
        return pr_set_error(PR_ERR_ARG, "pr_agglomerate_extend: bad arguments");
    for (int i = 0; i < n_fixed; i++)
        if (fixed_label[i] < 0 || fixed_label[i] >= m)
            return pr_set_error(PR_ERR_ARG,
                                "pr_agglomerate_extend: fixed face %d has cluster %d outside "
                                "[0, %d)",
                                i, fixed_label[i], m);
    pr_agglomerative_params p = params ? *params : pr_agglomerative_params_default();
    if (isnan(p.threshold))
        return pr_set_error(PR_ERR_ARG, "pr_agglomerate_extend: threshold is NaN");
    *k = m;
    if (q == 0)
        return PR_OK;
    int u = m + q;
    agg_state g;
    float *single = p.single_min ? pr_malloc_array((size_t)u, sizeof *single) : NULL;
    if ((p.single_min && !single) || agg_alloc(&g, u, 1) != 0) {
        pr_free(single);
        return pr_set_error(PR_ERR_NOMEM, "out of memory placing %d faces", q);
    }
    init_units(&g, cross, free_score, q, fixed_label, fixed_group, n_fixed, m, free_group, &p);
    if (single) {
        /* A fixed cluster of one face is that face: its own minimum; larger ones never use it. */
        for (int a = 0; a < m; a++)
            single[a] = INFINITY;
        for (int i = 0; i < n_fixed; i++)
            single[fixed_label[i]] = p.single_min[i];
        for (int f = 0; f < q; f++)
            single[m + f] = p.single_min[n_fixed + f];
    }
    g.single = single;
    agg_run(&g, &p);
    /* Roots: a fixed cluster keeps its index (the lower one of every merge it takes part in). */
    int *id = g.best; /* reused: new cluster id of a free root, -1 = not numbered yet */
    for (int v = 0; v < u; v++)
        id[v] = -1;
    int count = m;
    for (int f = 0; f < q; f++) {
        int r = m + f;
        while (!g.alive[r])
            r = g.owner[r];
        if (r < m) {
            labels[f] = r;
            continue;
        }
        if (id[r] < 0)
            id[r] = count++;
        labels[f] = id[r];
    }
    *k = count;
    agg_free(&g);
    pr_free(single);
    return PR_OK;
}

/* Co-occurrence refinement (see cooccur.h).
 *
 * The idea is the thesis's (context from the people one is photographed with); the form here is a
 * one-step contextual re-assignment in the spirit of iterated conditional modes (Besag 1986): the
 * unary cost is the fused distance to the medoid, the pairwise term a bonus for clusters that
 * co-occur with the photo-mates' current clusters, estimated from the other photos. A photo's faces
 * are solved jointly with the mates' labels of the previous round (a Jacobi step), which keeps the
 * per-photo problem a plain assignment problem. */
#include "cluster/cooccur.h"

#include "cluster/hungarian.h"
#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

pr_cooccur_params pr_cooccur_params_default(void)
{
    pr_cooccur_params p;
    p.weight = 0.1;
    p.prior = 1.0;
    p.rounds = 5;
    return p;
}

typedef struct entry {
    int32_t group;
    int index;
} entry;

static int entry_cmp(const void *a_, const void *b_)
{
    const entry *a = a_, *b = b_;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

pr_status pr_cooccur_refine(const float *d, int n, const int32_t *group, const int *medoids, int k,
                            const pr_cooccur_params *params, int *labels, int *moved)
{
    pr_cooccur_params p = params ? *params : pr_cooccur_params_default();
    if (moved)
        *moved = 0;
    if (!d || !group || !medoids || !labels || n < 1 || k < 1 || k > n)
        return pr_set_error(PR_ERR_ARG, "pr_cooccur_refine: bad arguments (n %d, k %d)", n, k);
    if (k > 16384)
        return pr_set_error(PR_ERR_ARG, "pr_cooccur_refine: k = %d > 16384", k);
    if (!(p.weight >= 0) || !(p.prior >= 0) || !isfinite(p.weight) || !isfinite(p.prior))
        return pr_set_error(PR_ERR_ARG, "pr_cooccur_refine: weight and prior must be >= 0");
    if (p.weight == 0 || p.rounds < 1)
        return PR_OK;

    pr_status st = PR_OK;
    entry *e = pr_malloc_array((size_t)n, sizeof *e);
    int *together = pr_calloc((size_t)k * (size_t)k, sizeof *together);
    int *photos = pr_calloc((size_t)k, sizeof *photos);
    int *start = pr_malloc_array((size_t)n + 1, sizeof *start);
    int *is_medoid = pr_malloc_array((size_t)n, sizeof *is_medoid);
    int *new_labels = pr_malloc_array((size_t)n, sizeof *new_labels);
    int *entry_labels = pr_malloc_array((size_t)n, sizeof *entry_labels);
    unsigned char *present = pr_calloc((size_t)k, 1);
    double *cost = NULL; /* largest photo x k, allocated once the photos are known */
    double *u = pr_malloc_array((size_t)k + 1, sizeof *u);
    double *v = pr_malloc_array((size_t)k + 1, sizeof *v);
    double *minv = pr_malloc_array((size_t)k + 1, sizeof *minv);
    int *hp = pr_malloc_array((size_t)k + 1, sizeof *hp);
    int *way = pr_malloc_array((size_t)k + 1, sizeof *way);
    int *rows = pr_malloc_array((size_t)k, sizeof *rows);
    int *cols = pr_malloc_array((size_t)k, sizeof *cols);
    int *rowcol = pr_malloc_array((size_t)k, sizeof *rowcol);
    unsigned char *used = pr_malloc((size_t)k + 1);
    unsigned char *closed = pr_calloc((size_t)k, 1);
    if (!e || !together || !photos || !start || !is_medoid || !new_labels || !entry_labels || !present ||
        !u || !v || !minv || !hp || !way || !rows || !cols || !rowcol || !used || !closed) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory in the co-occurrence refinement");
        goto done;
    }
    memcpy(entry_labels, labels, (size_t)n * sizeof *labels);
    for (int i = 0; i < n; i++)
        is_medoid[i] = 0;
    for (int c = 0; c < k; c++)
        is_medoid[medoids[c]] = 1;
    int m = 0;
    for (int i = 0; i < n; i++)
        if (group[i] >= 0)
            e[m++] = (entry){group[i], i};
    qsort(e, (size_t)m, sizeof *e, entry_cmp);
    int nphotos = 0; /* photos as ranges [start[q], start[q + 1]) of e */
    for (int s = 0; s < m;) {
        int t = s + 1;
        while (t < m && e[t].group == e[s].group)
            t++;
        start[nphotos++] = s;
        s = t;
    }
    start[nphotos] = m;
    int largest = 1;
    for (int q = 0; q < nphotos; q++)
        if (start[q + 1] - start[q] > largest)
            largest = start[q + 1] - start[q];
    if (largest > k)
        largest = k; /* larger photos are skipped below */
    if (!(cost = pr_malloc_array((size_t)largest * (size_t)k, sizeof *cost))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory in the co-occurrence refinement");
        goto done;
    }

    for (int round = 0; round < p.rounds; round++) {
        /* Counts over all photos with the current labels (a cluster counts once per photo). */
        memset(together, 0, (size_t)k * (size_t)k * sizeof *together);
        memset(photos, 0, (size_t)k * sizeof *photos);
        for (int q = 0; q < nphotos; q++) {
            int nl = 0; /* the photo's distinct clusters, in rows[] as scratch */
            for (int a = start[q]; a < start[q + 1]; a++) {
                int la = labels[e[a].index];
                if (!present[la]) {
                    present[la] = 1;
                    rows[nl++] = la;
                }
            }
            for (int a = 0; a < nl; a++) {
                photos[rows[a]]++;
                present[rows[a]] = 0;
                for (int b = 0; b < a; b++) {
                    together[(size_t)rows[a] * k + rows[b]]++;
                    together[(size_t)rows[b] * k + rows[a]]++;
                }
            }
        }
        memcpy(new_labels, labels, (size_t)n * sizeof *labels);
        int changed = 0;
        for (int q = 0; q < nphotos; q++) {
            int s = start[q], t = start[q + 1];
            if (t - s < 2 || t - s > k)
                continue;
            int nr = 0, nc = 0;
            for (int a = s; a < t; a++) {
                present[labels[e[a].index]] = 1;
                if (is_medoid[e[a].index])
                    closed[labels[e[a].index]] = 1;
                else
                    rows[nr++] = e[a].index;
            }
            for (int c = 0; c < k; c++)
                if (!closed[c])
                    cols[nc++] = c;
            if (nr > 0 && nr <= nc) {
                for (int r = 0; r < nr; r++) {
                    int i = rows[r];
                    const float *row = d + (size_t)i * (size_t)n;
                    for (int b = 0; b < nc; b++) {
                        int c = cols[b];
                        double aff = 0;
                        for (int a = s; a < t; a++) {
                            int j = e[a].index;
                            if (j == i)
                                continue;
                            int l = labels[j];
                            /* leave photo q out: it holds both c (if present) and l */
                            double tog = together[(size_t)c * k + l] - (present[c] && c != l);
                            double seen = photos[l] - 1;
                            double pc = c == l || seen <= 0 ? 0 : tog / (seen + p.prior);
                            if (pc > aff)
                                aff = pc;
                        }
                        cost[(size_t)r * nc + b] = row[medoids[c]] - p.weight * aff;
                    }
                }
                pr_hungarian_(cost, nr, nc, rowcol, u, v, minv, hp, way, used);
                for (int r = 0; r < nr; r++) {
                    int c = cols[rowcol[r]];
                    if (c != labels[rows[r]]) {
                        new_labels[rows[r]] = c;
                        changed++;
                    }
                }
            }
            for (int a = s; a < t; a++) {
                present[labels[e[a].index]] = 0;
                closed[labels[e[a].index]] = 0;
            }
        }
        memcpy(labels, new_labels, (size_t)n * sizeof *labels);
        if (changed == 0)
            break;
    }
    if (moved)
        for (int i = 0; i < n; i++)
            *moved += labels[i] != entry_labels[i];
done:
    pr_free(e);
    pr_free(together);
    pr_free(photos);
    pr_free(start);
    pr_free(is_medoid);
    pr_free(new_labels);
    pr_free(entry_labels);
    pr_free(present);
    pr_free(cost);
    pr_free(u);
    pr_free(v);
    pr_free(minv);
    pr_free(hp);
    pr_free(way);
    pr_free(rows);
    pr_free(cols);
    pr_free(rowcol);
    pr_free(used);
    pr_free(closed);
    return st;
}

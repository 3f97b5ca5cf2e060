/* Assignment of instances to fixed medoids, with or without the same-photo cannot-link constraint,
 * plus the loss and the medoid silhouette.
 *
 * Constraint: an instance may not join a cluster that already holds another instance of its photo.
 * Assigning one face at a time (greedy) can strand the second face of a photo on a poor cluster
 * because the first took its best one; so a photo's faces are assigned jointly: minimise the summed
 * distance over one-to-one maps from the photo's faces to distinct clusters. That is a rectangular
 * assignment problem (faces x clusters, faces <= clusters), solved exactly by the Hungarian method
 * with potentials (Kuhn 1955; Munkres 1957; the O(r^2 c) shortest-augmenting-path form, e.g.
 * Jonker & Volgenant 1987). A medoid always stays in its own cluster, so its cluster is closed to
 * the other faces of its photo. Photos have a handful of faces, so this costs O(r^2 k) per photo. */
#include "cluster/kmedoids.h"
#include "cluster/hungarian.h"

#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>

double pr_kmedoids_loss(const float *d, int n, const int *medoids, const int *labels)
{
    double loss = 0;
    for (int i = 0; i < n; i++)
        loss += d[(size_t)i * (size_t)n + (size_t)medoids[labels[i]]];
    return loss;
}

int pr_kmedoids_constraint_ok(int n, const int32_t *group, const int *labels)
{
    if (!group)
        return 1;
    for (int i = 0; i < n; i++) {
        if (group[i] < 0)
            continue;
        for (int j = i + 1; j < n; j++)
            if (group[j] == group[i] && labels[j] == labels[i])
                return 0;
    }
    return 1;
}

double pr_medoid_silhouette(const float *d, int n, const int *medoids, int k, const int *labels)
{
    if (k < 2 || n < 1)
        return 0;
    double sum = 0;
    for (int i = 0; i < n; i++) {
        const float *row = d + (size_t)i * (size_t)n;
        double a = row[medoids[labels[i]]];
        double b = INFINITY;
        for (int c = 0; c < k; c++)
            if (c != labels[i] && row[medoids[c]] < b)
                b = row[medoids[c]];
        double m = a > b ? a : b;
        sum += m > 0 ? (b - a) / m : 0;
    }
    return sum / n;
}

/* Hungarian method for r rows <= c columns; cost is r x c row-major. rowcol[i] receives the column
 * of row i. u has r + 1 entries; v, minv, p, way and used have c + 1 (caller's scratch). */
void pr_hungarian_(const double *cost, int r, int c, int *rowcol, double *u, double *v,
                   double *minv, int *p, int *way, unsigned char *used)
{
    for (int i = 0; i <= r; i++)
        u[i] = 0;
    for (int j = 0; j <= c; j++) {
        v[j] = 0;
        p[j] = 0;
        way[j] = 0;
    }
    for (int i = 1; i <= r; i++) {
        p[0] = i;
        int j0 = 0;
        for (int j = 0; j <= c; j++) {
            minv[j] = INFINITY;
            used[j] = 0;
        }
        do {
            used[j0] = 1;
            int i0 = p[j0], j1 = 0;
            double delta = INFINITY;
            for (int j = 1; j <= c; j++) {
                if (used[j])
                    continue;
                double cur = cost[(size_t)(i0 - 1) * (size_t)c + (size_t)(j - 1)] - u[i0] - v[j];
                if (cur < minv[j]) {
                    minv[j] = cur;
                    way[j] = j0;
                }
                if (minv[j] < delta) {
                    delta = minv[j];
                    j1 = j;
                }
            }
            for (int j = 0; j <= c; j++) {
                if (used[j]) {
                    u[p[j]] += delta;
                    v[j] -= delta;
                } else {
                    minv[j] -= delta;
                }
            }
            j0 = j1;
        } while (p[j0] != 0);
        do {
            int j1 = way[j0];
            p[j0] = p[j1];
            j0 = j1;
        } while (j0);
    }
    for (int j = 1; j <= c; j++)
        if (p[j] > 0)
            rowcol[p[j] - 1] = j - 1;
}

typedef struct group_entry {
    int32_t group;
    int index;
} group_entry;

static int group_entry_cmp(const void *a_, const void *b_)
{
    const group_entry *a = a_, *b = b_;
    if (a->group != b->group)
        return a->group < b->group ? -1 : 1;
    return (a->index > b->index) - (a->index < b->index);
}

static int nearest_medoid(const float *row, const int *medoids, int k)
{
    int best = 0;
    float bd = row[medoids[0]];
    for (int c = 1; c < k; c++)
        if (row[medoids[c]] < bd) {
            bd = row[medoids[c]];
            best = c;
        }
    return best;
}

pr_status pr_kmedoids_assign(const float *d, int n, const int *medoids, int k,
                             const int32_t *group, int *labels, double *loss)
{
    if (!d || !medoids || !labels || n < 1 || k < 1 || k > n)
        return pr_set_error(PR_ERR_ARG, "pr_kmedoids_assign: bad arguments (n %d, k %d)", n, k);
    pr_status st = PR_OK;
    int *slot = NULL; /* slot[i] = cluster whose medoid is i, or -1 */
    group_entry *entries = NULL;
    double *cost = NULL, *u = NULL, *v = NULL, *minv = NULL;
    int *p = NULL, *way = NULL, *cols = NULL, *rows = NULL, *rowcol = NULL;
    unsigned char *used = NULL, *closed = NULL;

    slot = pr_malloc_array((size_t)n, sizeof *slot);
    if (!slot)
        goto nomem;
    for (int i = 0; i < n; i++)
        slot[i] = -1;
    for (int c = 0; c < k; c++) {
        if (medoids[c] < 0 || medoids[c] >= n || slot[medoids[c]] >= 0) {
            st = pr_set_error(PR_ERR_ARG, "medoid %d (%d) is out of range or repeated", c,
                              medoids[c]);
            goto fail;
        }
        slot[medoids[c]] = c;
    }
    for (int i = 0; i < n; i++)
        labels[i] = slot[i] >= 0 ? slot[i] : nearest_medoid(d + (size_t)i * (size_t)n, medoids, k);

    if (group) {
        int m = 0;
        entries = pr_malloc_array((size_t)n, sizeof *entries);
        if (!entries)
            goto nomem;
        for (int i = 0; i < n; i++)
            if (group[i] >= 0)
                entries[m++] = (group_entry){group[i], i};
        qsort(entries, (size_t)m, sizeof *entries, group_entry_cmp);
        cost = pr_malloc_array((size_t)k * (size_t)k, sizeof *cost);
        u = pr_malloc_array((size_t)k + 1, sizeof *u);
        v = pr_malloc_array((size_t)k + 1, sizeof *v);
        minv = pr_malloc_array((size_t)k + 1, sizeof *minv);
        p = pr_malloc_array((size_t)k + 1, sizeof *p);
        way = pr_malloc_array((size_t)k + 1, sizeof *way);
        cols = pr_malloc_array((size_t)k, sizeof *cols);
        rows = pr_malloc_array((size_t)k, sizeof *rows);
        rowcol = pr_malloc_array((size_t)k, sizeof *rowcol);
        used = pr_malloc((size_t)k + 1);
        closed = pr_calloc((size_t)k, 1);
        if (!cost || !u || !v || !minv || !p || !way || !cols || !rows || !rowcol || !used ||
            !closed)
            goto nomem;
        for (int s = 0; s < m;) {
            int e = s + 1;
            while (e < m && entries[e].group == entries[s].group)
                e++;
            int size = e - s;
            if (size > 1) {
                if (size > k) {
                    st = pr_set_error(PR_ERR_ARG,
                                      "photo %ld has %d instances but only %d clusters: the "
                                      "cannot-link constraint needs k >= %d",
                                      (long)entries[s].group, size, k, size);
                    goto fail;
                }
                int nr = 0, nc = 0;
                for (int t = s; t < e; t++) {
                    int i = entries[t].index;
                    if (slot[i] >= 0)
                        closed[slot[i]] = 1;
                    else
                        rows[nr++] = i;
                }
                for (int c = 0; c < k; c++)
                    if (!closed[c])
                        cols[nc++] = c;
                if (nr == 1) {
                    const float *row = d + (size_t)rows[0] * (size_t)n;
                    int best = cols[0];
                    for (int t = 1; t < nc; t++)
                        if (row[medoids[cols[t]]] < row[medoids[best]])
                            best = cols[t];
                    labels[rows[0]] = best;
                } else if (nr > 1) {
                    for (int a = 0; a < nr; a++) {
                        const float *row = d + (size_t)rows[a] * (size_t)n;
                        for (int b = 0; b < nc; b++)
                            cost[(size_t)a * (size_t)nc + (size_t)b] = row[medoids[cols[b]]];
                    }
                    pr_hungarian_(cost, nr, nc, rowcol, u, v, minv, p, way, used);
                    for (int a = 0; a < nr; a++)
                        labels[rows[a]] = cols[rowcol[a]];
                }
                for (int t = s; t < e; t++)
                    if (slot[entries[t].index] >= 0)
                        closed[slot[entries[t].index]] = 0;
            }
            s = e;
        }
    }
    if (loss)
        *loss = pr_kmedoids_loss(d, n, medoids, labels);
    goto done;
nomem:
    st = pr_set_error(PR_ERR_NOMEM, "out of memory assigning %d instances", n);
fail:
done:
    pr_free(slot);
    pr_free(entries);
    pr_free(cost);
    pr_free(u);
    pr_free(v);
    pr_free(minv);
    pr_free(p);
    pr_free(way);
    pr_free(cols);
    pr_free(rows);
    pr_free(rowcol);
    pr_free(used);
    pr_free(closed);
    return st;
}

/* Choosing k (see choose_k.h).
 *
 * Silhouette: Rousseeuw (1987), O(n^2) per clustering (silhouette.c); the medoid silhouette of
 * Van der Laan, Pollard & Bryan (2003) and Lenssen & Schubert (SISAP 2022), with distances to the
 * medoids instead of mean distances to all members, O(nk), is selectable but degenerates for
 * choosing k (every medoid scores 1: k = n is a perfect 1).
 * Radius: the greedy set cover (Chvatal 1979) over balls of the radius gives a k and good starting
 * medoids in O(n^2); detaching the members left farther than the radius after k-medoids keeps the
 * radius's promise ("same cluster => within radius of its medoid"), which is what leaves strangers
 * as singletons instead of padding the nearest cluster. */
#include "cluster/choose_k.h"

#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

pr_choose_k_params pr_choose_k_params_default(void)
{
    pr_choose_k_params p;
    memset(&p, 0, sizeof p);
    p.method = PR_CHOOSE_K_SILHOUETTE;
    p.k_min = 2;
    p.k_max = 0;
    p.radius = 0.25;
    p.detach_displaced = 1;
    p.kmedoids = pr_kmedoids_params_default();
    return p;
}

static int int32_cmp(const void *a_, const void *b_)
{
    int32_t a = *(const int32_t *)a_, b = *(const int32_t *)b_;
    return (a > b) - (a < b);
}

int pr_group_max_size(const int32_t *group, int n)
{
    if (!group || n < 1)
        return 0;
    int32_t *copy = pr_malloc_array((size_t)n, sizeof *copy);
    if (!copy)
        return n; /* conservative: callers only use it as a lower bound on k */
    int m = 0;
    for (int i = 0; i < n; i++)
        if (group[i] >= 0)
            copy[m++] = group[i];
    qsort(copy, (size_t)m, sizeof *copy, int32_cmp);
    int best = 1;
    for (int s = 0; s < m;) {
        int e = s + 1;
        while (e < m && copy[e] == copy[s])
            e++;
        if (e - s > best)
            best = e - s;
        s = e;
    }
    pr_free(copy);
    return best;
}

static pr_status by_silhouette(const float *d, int n, const pr_choose_k_params *p, int kfloor,
                               pr_kmedoids_result *out, double *score)
{
    int k_min = p->k_min < 1 ? 1 : p->k_min;
    int k_max = p->k_max <= 0 ? (n < 100 ? n : 100) : p->k_max;
    if (k_min < kfloor)
        k_min = kfloor;
    if (k_max > n)
        k_max = n;
    if (k_max < k_min)
        k_max = k_min;
    if (k_min > n)
        return pr_set_error(PR_ERR_ARG, "cannot choose k: need k >= %d but there are %d instances",
                            k_min, n);
    double best = -INFINITY;
    for (int k = k_min; k <= k_max; k++) {
        pr_kmedoids_params kp = p->kmedoids;
        kp.k = k;
        kp.init = NULL;
        pr_kmedoids_result r;
        pr_status st = pr_kmedoids(d, n, &kp, &r);
        if (st != PR_OK) {
            pr_kmedoids_result_free(out);
            return st;
        }
        double s = 0;
        if (p->criterion == PR_SILHOUETTE_MEDOID)
            s = pr_medoid_silhouette(d, n, r.medoids, r.k, r.labels);
        else if ((st = pr_silhouette(d, n, r.labels, r.k, p->kmedoids.threads, &s, NULL)) != PR_OK) {
            pr_kmedoids_result_free(&r);
            pr_kmedoids_result_free(out);
            return st;
        }
        if (s > best) {
            best = s;
            pr_kmedoids_result_free(out);
            *out = r;
        } else {
            pr_kmedoids_result_free(&r);
        }
    }
    *score = best;
    return PR_OK;
}

static pr_status by_radius(const float *d, int n, const pr_choose_k_params *p, int kfloor,
                           pr_kmedoids_result *out)
{
    pr_status st = PR_OK;
    const float r = (float)p->radius;
    int *count = pr_malloc_array((size_t)n, sizeof *count);
    unsigned char *covered = pr_calloc((size_t)n, 1);
    int *centres = pr_malloc_array((size_t)n, sizeof *centres);
    float *dcentre = pr_malloc_array((size_t)n, sizeof *dcentre);
    if (!count || !covered || !centres || !dcentre) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory choosing k for %d instances", n);
        goto done;
    }
    for (int i = 0; i < n; i++) {
        int c = 0;
        for (int j = 0; j < n; j++)
            c += d[(size_t)i * n + j] <= r;
        count[i] = c;
        dcentre[i] = INFINITY;
    }
    int k = 0, left = n;
    while (left > 0) {
        int best = -1;
        for (int i = 0; i < n; i++)
            if (count[i] > 0 && (best < 0 || count[i] > count[best]))
                best = i;
        centres[k++] = best;
        const float *row = d + (size_t)best * n;
        for (int u = 0; u < n; u++) {
            if (row[u] < dcentre[u])
                dcentre[u] = row[u];
            if (covered[u] || row[u] > r)
                continue;
            covered[u] = 1;
            left--;
            const float *urow = d + (size_t)u * n;
            for (int v = 0; v < n; v++)
                count[v] -= urow[v] <= r;
        }
    }
    /* The constraint needs k >= the largest photo: add the instances farthest from the centres. */
    while (k < kfloor && k < n) {
        memset(covered, 0, (size_t)n); /* reused: 1 = already a centre */
        for (int c = 0; c < k; c++)
            covered[centres[c]] = 1;
        int far = -1;
        for (int i = 0; i < n; i++)
            if (!covered[i] && (far < 0 || dcentre[i] > dcentre[far]))
                far = i;
        centres[k++] = far;
        const float *row = d + (size_t)far * n;
        for (int u = 0; u < n; u++)
            if (row[u] < dcentre[u])
                dcentre[u] = row[u];
    }
    pr_kmedoids_params kp = p->kmedoids;
    kp.k = k;
    kp.init = centres;
    if ((st = pr_kmedoids(d, n, &kp, out)) != PR_OK)
        goto done;

    /* Detach into singletons the members beyond the radius and (detach_displaced) those the
     * constraint kept from their nearest medoid. covered[] is reused: 1 = detach. */
    int extra = 0;
    for (int i = 0; i < n; i++) {
        const float *row = d + (size_t)i * n;
        int own = out->labels[i];
        int leave = row[out->medoids[own]] > r;
        if (!leave && p->detach_displaced && p->kmedoids.group && out->medoids[own] != i)
            for (int c = 0; c < out->k && !leave; c++)
                leave = row[out->medoids[c]] < row[out->medoids[own]];
        covered[i] = (unsigned char)leave;
        extra += leave;
    }
    if (extra > 0) {
        int *medoids = pr_realloc(out->medoids, (size_t)(out->k + extra) * sizeof *medoids);
        if (!medoids) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory detaching strangers");
            pr_kmedoids_result_free(out);
            goto done;
        }
        out->medoids = medoids;
        for (int i = 0; i < n; i++)
            if (covered[i]) {
                out->medoids[out->k] = i;
                out->labels[i] = out->k++;
            }
        out->loss = pr_kmedoids_loss(d, n, out->medoids, out->labels);
    }
done:
    pr_free(count);
    pr_free(covered);
    pr_free(centres);
    pr_free(dcentre);
    return st;
}

pr_status pr_kmedoids_auto(const float *d, int n, const pr_choose_k_params *params,
                           pr_kmedoids_result *out, double *silhouette)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_kmedoids_auto: out is NULL");
    memset(out, 0, sizeof *out);
    pr_choose_k_params p = params ? *params : pr_choose_k_params_default();
    if (!d || n < 1)
        return pr_set_error(PR_ERR_ARG, "pr_kmedoids_auto: no instances");
    int kfloor = pr_group_max_size(p.kmedoids.group, n);
    if (kfloor < 1)
        kfloor = 1;
    pr_status st;
    double score = 0;
    if (p.method == PR_CHOOSE_K_SILHOUETTE) {
        st = by_silhouette(d, n, &p, kfloor, out, &score);
    } else if (p.method == PR_CHOOSE_K_RADIUS) {
        if (!(p.radius >= 0) || !isfinite(p.radius))
            return pr_set_error(PR_ERR_ARG, "radius %g is not a finite value >= 0", p.radius);
        st = by_radius(d, n, &p, kfloor, out);
        if (st == PR_OK && p.criterion == PR_SILHOUETTE_MEDOID)
            score = pr_medoid_silhouette(d, n, out->medoids, out->k, out->labels);
        else if (st == PR_OK &&
                 (st = pr_silhouette(d, n, out->labels, out->k, p.kmedoids.threads, &score,
                                     NULL)) != PR_OK)
            pr_kmedoids_result_free(out);
    } else {
        return pr_set_error(PR_ERR_ARG, "unknown method %d for choosing k", (int)p.method);
    }
    if (st == PR_OK && silhouette)
        *silhouette = score;
    return st;
}

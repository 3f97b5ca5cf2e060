/* The silhouette of Rousseeuw (J. Comput. Appl. Math. 20, 1987), with mean distances to all
 * members, as the criterion for choosing k.
 *
 * Why not the medoid silhouette for choosing k: with a = d(i, own medoid) every medoid scores 1,
 * so k = n scores 1 and a scan over k drifts to the top of its range (91 clusters for 38 people on
 * the album). Rousseeuw's definition gives an instance alone in its cluster s = 0 ("the most
 * neutral choice", section 2 of the paper), and a(i) averages over the other members, so small
 * clusters no longer win by construction. Cost O(n^2) per clustering plus O(nk) scratch per
 * thread; the rows are independent and run on the pool. */
#include "cluster/kmedoids.h"

#include "core/alloc.h"
#include "core/threadpool.h"

#include <math.h>
#include <string.h>

typedef struct sil_job {
    const float *d;
    const int *labels;
    const int *size;
    int n, k;
    double *sum;  /* per worker: k sums */
    double *s;    /* per instance */
} sil_job;

static void sil_row(void *ctx, long i_, int worker)
{
    const sil_job *J = ctx;
    int i = (int)i_, n = J->n, k = J->k, own = J->labels[i];
    if (J->size[own] <= 1) {
        J->s[i] = 0;
        return;
    }
    double *sum = J->sum + (size_t)worker * (size_t)k;
    memset(sum, 0, (size_t)k * sizeof *sum);
    const float *row = J->d + (size_t)i * (size_t)n;
    for (int j = 0; j < n; j++)
        sum[J->labels[j]] += row[j]; /* row[i] = 0 */
    double a = sum[own] / (J->size[own] - 1), b = INFINITY;
    for (int c = 0; c < k; c++)
        if (c != own && J->size[c] > 0 && sum[c] / J->size[c] < b)
            b = sum[c] / J->size[c];
    double m = a > b ? a : b;
    J->s[i] = isinf(b) ? 0 : m > 0 ? (b - a) / m : 0;
}

pr_status pr_silhouette(const float *d, int n, const int *labels, int k, int threads,
                        double *silhouette, double *per_instance)
{
    if (!d || !labels || n < 1 || k < 1 || !silhouette)
        return pr_set_error(PR_ERR_ARG, "pr_silhouette: bad arguments (n %d, k %d)", n, k);
    for (int i = 0; i < n; i++)
        if (labels[i] < 0 || labels[i] >= k)
            return pr_set_error(PR_ERR_ARG, "pr_silhouette: label %d of instance %d not in [0, %d)",
                                labels[i], i, k);
    pr_status st;
    pr_pool *pool = NULL;
    int *size = pr_calloc((size_t)k, sizeof *size);
    double *s = per_instance ? per_instance : pr_malloc_array((size_t)n, sizeof *s);
    double *sum = NULL;
    if (!size || !s)
        goto nomem;
    if ((st = pr_pool_new(threads, &pool)) != PR_OK)
        goto fail;
    if (!(sum = pr_malloc_array((size_t)pr_pool_size(pool) * (size_t)k, sizeof *sum)))
        goto nomem;
    for (int i = 0; i < n; i++)
        size[labels[i]]++;
    sil_job J = {d, labels, size, n, k, sum, s};
    pr_pool_for(pool, n, sil_row, &J);
    double total = 0;
    for (int i = 0; i < n; i++)
        total += s[i]; /* fixed order: the result does not depend on the threads */
    *silhouette = total / n;
    st = PR_OK;
    goto done;
nomem:
    st = pr_set_error(PR_ERR_NOMEM, "out of memory for the silhouette of %d instances", n);
fail:
done:
    pr_pool_delete(pool);
    pr_free(size);
    pr_free(sum);
    if (s != per_instance)
        pr_free(s);
    return st;
}

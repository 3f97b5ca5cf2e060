/* Shared helpers for the cluster tests: random instances with a seeded pr_rng. */
#ifndef PR_TESTS_CLUSTER_HELPERS_H
#define PR_TESTS_CLUSTER_HELPERS_H

#include "core/alloc.h"
#include "core/rng.h"

#include <math.h>
#include <stdlib.h>

/* n points in `dims` dimensions, uniformly in the unit cube (or around `blobs` centres when
 * blobs > 0, spread `spread`); the Euclidean distance matrix, caller frees with free(). */
static inline float *random_points_matrix(pr_rng *rng, int n, int dims, int blobs, double spread,
                                          int *truth)
{
    double *x = calloc((size_t)n * dims, sizeof *x);
    double *centre = calloc((size_t)(blobs > 0 ? blobs : 1) * dims, sizeof *centre);
    float *d = calloc((size_t)n * n, sizeof *d);
    for (int b = 0; b < blobs; b++)
        for (int t = 0; t < dims; t++)
            centre[b * dims + t] = 10.0 * pr_rng_uniform(rng);
    for (int i = 0; i < n; i++) {
        int b = blobs > 0 ? i % blobs : 0;
        if (truth)
            truth[i] = b;
        for (int t = 0; t < dims; t++)
            x[i * dims + t] = blobs > 0 ? centre[b * dims + t] + spread * pr_rng_normal(rng)
                                        : pr_rng_uniform(rng);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < n; j++) {
            double s = 0;
            for (int t = 0; t < dims; t++)
                s += (x[i * dims + t] - x[j * dims + t]) * (x[i * dims + t] - x[j * dims + t]);
            d[(size_t)i * n + j] = (float)sqrt(s);
        }
    free(x);
    free(centre);
    return d;
}

/* A random symmetric dissimilarity (not a metric), zero diagonal. */
static inline float *random_dissimilarity(pr_rng *rng, int n)
{
    float *d = calloc((size_t)n * n, sizeof *d);
    for (int i = 0; i < n; i++)
        for (int j = i + 1; j < n; j++)
            d[(size_t)i * n + j] = d[(size_t)j * n + i] = (float)pr_rng_uniform(rng);
    return d;
}

#endif

/* k-medoids over a precomputed dissimilarity matrix, with the "two faces in one photo are two
 * people" cannot-link constraint.
 *
 * Input: n x n floats, row-major, d[i * n + j] = dissimilarity of instances i and j; symmetric,
 * finite, >= 0, zero diagonal (pr_kmedoids checks finiteness, not symmetry). Borrowed for the call.
 *
 * Algorithms:
 *   PR_KMEDOIDS_FASTERPAM  FasterPAM (Schubert & Rousseeuw, Information Systems 101, 2021): eager
 *                          swaps with shared accumulators, O(n^2) per pass over the candidates,
 *                          random (seeded) initial medoids or caller-given ones. Converges to a
 *                          swap-local optimum: no single medoid/non-medoid exchange lowers the loss.
 *                          Different starts can end in different local optima, hence restarts.
 *   PR_KMEDOIDS_PARKJUN    the alternating algorithm of Park & Jun (Expert Systems with
 *                          Applications 36, 2009): their density-style initial medoids, then
 *                          assign-to-nearest / move-medoid-within-cluster until nothing changes.
 *
 * Constraint: when params.group is given (one photo id per instance), the final assignment puts
 * no two instances of one photo into the same cluster. A photo's faces are assigned jointly (a small
 * assignment problem per photo, solved exactly with the Hungarian method), each medoid stays in its
 * own cluster, and alternating medoid-update / constrained-assignment steps follow until the
 * constrained loss stops falling (it never rises). Needs k >= the largest number of instances in one
 * photo; otherwise PR_ERR_ARG.
 *
 * Determinism: the same matrix, params and seed give the same medoids and labels, bit for bit. */
#ifndef PR_CLUSTER_KMEDOIDS_H
#define PR_CLUSTER_KMEDOIDS_H

#include "core/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_kmedoids_algorithm {
    PR_KMEDOIDS_FASTERPAM = 0,
    PR_KMEDOIDS_PARKJUN,
} pr_kmedoids_algorithm;

typedef struct pr_kmedoids_params {
    pr_kmedoids_algorithm algorithm; /* default FasterPAM */
    int k;                 /* number of clusters, 1 <= k <= n (default 2) */
    uint64_t seed;         /* initial medoids of FasterPAM (default 1) */
    int max_passes;        /* cap on FasterPAM passes / Park-Jun iterations (default 100) */
    int restarts;          /* FasterPAM: independent random starts, the lowest loss wins
                              (default 3; ignored with init) */
    int parkjun_start;     /* FasterPAM: one more start from Park-Jun's solution, so the result
                              is never worse than Park-Jun's (default 1; ignored with init) */
    int threads;           /* FasterPAM starts run in parallel on this many threads (<= 0: all
                              online CPUs; default 0); the result does not depend on it */
    const int32_t *group;  /* n photo ids or NULL (no constraint); a negative id = alone.
                              Borrowed for the call. */
    const int *init;       /* k distinct initial medoids or NULL (FasterPAM only; Park-Jun
                              uses them too when given). Borrowed for the call. */
} pr_kmedoids_params;

pr_kmedoids_params pr_kmedoids_params_default(void);

typedef struct pr_kmedoids_result {
    int n, k;
    int *medoids;     /* k instance indices (caller-owned via pr_kmedoids_result_free) */
    int *labels;      /* n cluster indices in [0, k); labels[medoids[c]] == c */
    double loss;      /* sum over instances of d(instance, its medoid), in double */
    double loss_unconstrained; /* the same before the constrained refinement (== loss without group) */
    int passes;       /* FasterPAM passes (all restarts) or Park-Jun iterations */
    int swaps;        /* FasterPAM swaps performed, all restarts (0 for Park-Jun) */
} pr_kmedoids_result;

/* Clusters; on success *out owns its arrays. On failure *out is zeroed. */
pr_status pr_kmedoids(const float *d, int n, const pr_kmedoids_params *params,
                      pr_kmedoids_result *out);
void pr_kmedoids_result_free(pr_kmedoids_result *r); /* accepts NULL and zeroed results */

/* Sum over instances of d(i, medoids[labels[i]]), in double. */
double pr_kmedoids_loss(const float *d, int n, const int *medoids, const int *labels);

/* Constrained (group != NULL) or nearest-medoid (group == NULL) assignment for fixed medoids:
 * labels (n, caller-owned) receives cluster indices; *loss (may be NULL) the summed distance.
 * PR_ERR_ARG when a photo has more instances than k. */
pr_status pr_kmedoids_assign(const float *d, int n, const int *medoids, int k,
                             const int32_t *group, int *labels, double *loss);

/* 1 when no two instances with the same non-negative group share a label. */
int pr_kmedoids_constraint_ok(int n, const int32_t *group, const int *labels);

/* Average medoid silhouette (Van der Laan et al. 2003; Lenssen & Schubert 2022): for each
 * instance, a = d(i, own medoid), b = d(i, nearest other medoid), s = (b - a) / max(a, b)
 * (0 when both are 0); k = 1 gives 0. */
double pr_medoid_silhouette(const float *d, int n, const int *medoids, int k, const int *labels);

/* Silhouette of Rousseeuw (1987): a = mean distance to the other members of the own cluster, b =
 * the smallest mean distance to another (non-empty) cluster, s = (b - a) / max(a, b); an instance
 * alone in its cluster has s = 0, and so has every instance when only one cluster is non-empty.
 * *silhouette receives the average over the n instances; per_instance (n, may be NULL) each s.
 * threads as in pr_kmedoids_params (the result does not depend on it). O(n^2). */
pr_status pr_silhouette(const float *d, int n, const int *labels, int k, int threads,
                        double *silhouette, double *per_instance);

#ifdef __cplusplus
}
#endif
#endif

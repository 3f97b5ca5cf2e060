/* Choosing the number of people: k-medoids with k found from the data.
 *
 *   PR_CHOOSE_K_SILHOUETTE  run k-medoids for every k in [k_min, k_max] and keep the clustering
 *                           with the highest average silhouette (ties: the smaller k). The
 *                           criterion is Rousseeuw's silhouette (mean distances, a face alone in
 *                           its cluster scores 0) by default; the medoid silhouette (distances to
 *                           the medoids) is kept for comparison, but it scores every medoid 1 and
 *                           k = n perfectly, so its scan drifts to k_max.
 *   PR_CHOOSE_K_RADIUS      "two instances farther apart than radius are not the same person":
 *                           k = the number of centres a greedy cover of all instances by balls
 *                           of that radius needs (each step takes the instance with the most
 *                           uncovered instances within the radius), k-medoids starts from those
 *                           centres, and afterwards every instance farther than radius from its
 *                           medoid leaves as a singleton (a stranger seen once stays alone).
 *                           With the cannot-link constraint, by default a face also leaves as a
 *                           singleton when the constraint denied it its nearest medoid (a
 *                           photo-mate holds that cluster): its second choice is a guess.
 * Which gives the better BCubed F on real albums is an empirical question (thesis/results).
 * With the cannot-link constraint k is never below the largest number of instances in one photo. */
#ifndef PR_CLUSTER_CHOOSE_K_H
#define PR_CLUSTER_CHOOSE_K_H

#include "cluster/kmedoids.h"
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_choose_k_method {
    PR_CHOOSE_K_SILHOUETTE = 0,
    PR_CHOOSE_K_RADIUS,
} pr_choose_k_method;

typedef enum pr_silhouette_kind {
    PR_SILHOUETTE_MEAN = 0, /* Rousseeuw 1987 (pr_silhouette) */
    PR_SILHOUETTE_MEDOID,   /* Van der Laan et al. 2003 (pr_medoid_silhouette) */
} pr_silhouette_kind;

typedef struct pr_choose_k_params {
    pr_choose_k_method method; /* default SILHOUETTE */
    int k_min, k_max;          /* SILHOUETTE range (default 2 and 0 = min(n, 100)), clipped to [1, n] */
    pr_silhouette_kind criterion; /* SILHOUETTE: which silhouette (default MEAN) */
    double radius;             /* RADIUS, in the matrix's units (default 0.25: fused ranks) */
    int detach_displaced;      /* RADIUS with a group: faces denied their nearest medoid by the
                                  constraint become singletons (default 1) */
    pr_kmedoids_params kmedoids; /* algorithm, seed, group, max_passes (k and init are ignored) */
} pr_choose_k_params;

pr_choose_k_params pr_choose_k_params_default(void);

/* Clusters d (n x n, as pr_kmedoids) with k chosen by the method; *out as pr_kmedoids (caller
 * frees with pr_kmedoids_result_free). *silhouette (may be NULL) receives the silhouette of the
 * result (params->criterion's kind, for either method). */
pr_status pr_kmedoids_auto(const float *d, int n, const pr_choose_k_params *params,
                           pr_kmedoids_result *out, double *silhouette);

/* Largest number of instances sharing one non-negative group id (0 when group is NULL, else >= 1). */
int pr_group_max_size(const int32_t *group, int n);

#ifdef __cplusplus
}
#endif
#endif

/* Choosing the number of people: k-medoids with k found from the data.
 *
 *   PR_CHOOSE_K_SILHOUETTE  run k-medoids for every k in [k_min, k_max] and keep the clustering
 *                           with the highest average medoid silhouette (ties: the smaller k).
 *   PR_CHOOSE_K_RADIUS      "two instances farther apart than radius are not the same person":
 *                           k = the number of centres a greedy cover of all instances by balls
 *                           of that radius needs (each step takes the instance with the most
 *                           uncovered instances within the radius), k-medoids starts from those
 *                           centres, and afterwards every instance farther than radius from its
 *                           medoid leaves as a singleton (a stranger seen once stays alone).
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

typedef struct pr_choose_k_params {
    pr_choose_k_method method; /* default SILHOUETTE */
    int k_min, k_max;          /* SILHOUETTE range (default 2 and 0 = min(n, 100)), clipped to [1, n] */
    double radius;             /* RADIUS, in the matrix's units (default 0.25: fused ranks) */
    pr_kmedoids_params kmedoids; /* algorithm, seed, group, max_passes (k and init are ignored) */
} pr_choose_k_params;

pr_choose_k_params pr_choose_k_params_default(void);

/* Clusters d (n x n, as pr_kmedoids) with k chosen by the method; *out as pr_kmedoids (caller
 * frees with pr_kmedoids_result_free). *silhouette (may be NULL) receives the medoid silhouette
 * of the result. */
pr_status pr_kmedoids_auto(const float *d, int n, const pr_choose_k_params *params,
                           pr_kmedoids_result *out, double *silhouette);

/* Largest number of instances sharing one non-negative group id (0 when group is NULL, else >= 1). */
int pr_group_max_size(const int32_t *group, int n);

#ifdef __cplusplus
}
#endif
#endif

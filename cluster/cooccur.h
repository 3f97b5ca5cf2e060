/* Co-occurrence refinement (the thesis's "Ernie is usually with Bert"): after clustering, a face
 * that sits between two clusters leans towards the one that often appears in photos together with
 * the clusters of the other faces of its photo.
 *
 * For a face i of photo P with photo-mates j, the affinity of cluster c is
 *     A(i, c) = max over mates j of  together(c, label j) / (photos(label j) + prior),
 * counted over all photos except P (leave-one-out, so a photo cannot vote for itself): the share
 * of the mate's photos in which c also appears, shrunk towards 0 for rarely seen mates. The faces
 * of P that are not medoids are re-assigned jointly (Hungarian method, the cannot-link constraint
 * kept) with the cost d(i, medoid c) - weight * A(i, c), medoids fixed; repeated with the new
 * labels until nothing moves or `rounds` are done. Faces alone in their photo, and medoids, never
 * move, so the clusters' number and medoids stay. The affinity is in [0, 1): weight is in the
 * units of d (0.1 = a tenth of the range of rank-scaled fused distances). */
#ifndef PR_CLUSTER_COOCCUR_H
#define PR_CLUSTER_COOCCUR_H

#include "core/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_cooccur_params {
    double weight; /* pull of a certain companion, in units of d (default 0.1; 0 = off) */
    double prior;  /* shrinkage: a mate seen in m photos counts m / (m + prior) (default 1) */
    int rounds;    /* re-assignment rounds (default 5) */
} pr_cooccur_params;

pr_cooccur_params pr_cooccur_params_default(void);

/* d: n x n as pr_kmedoids; group: n photo ids (negative = alone); medoids: k instances with
 * labels[medoids[c]] == c; labels (n, in/out) must satisfy the constraint on entry and do on
 * return. *moved (may be NULL) receives the number of faces whose cluster changed. O(k^2) ints of
 * co-occurrence counts plus O(n + largest photo x k) (k <= 16384, else PR_ERR_ARG). */
pr_status pr_cooccur_refine(const float *d, int n, const int32_t *group, const int *medoids, int k,
                            const pr_cooccur_params *params, int *labels, int *moved);

#ifdef __cplusplus
}
#endif
#endif

/* Naming suggestions, Picasa-style: a person names a few instances (seeds); every other instance
 * gets a suggested name with a confidence, or none when the confidence is below a threshold.
 *
 * A cluster takes the name most of its seeds carry (ties: the name whose seeds lie closest, on
 * average, to the cluster's members); purity = that name's share of the cluster's seeds. An
 * unnamed instance i in a named cluster gets
 *     confidence = purity * b / (a + b)
 * with a = distance from i to the nearest seed of the cluster's name and b = distance to the
 * nearest seed of any other name (b / (a + b) = 1 when there is no other name, 1/2 when both are 0):
 * high when the cluster is unanimous and i is clearly nearer its name than any rival. Instances in
 * clusters without seeds get no suggestion (confidence 0). Seeds keep their own name, confidence 1. */
#ifndef PR_CLUSTER_NAMING_H
#define PR_CLUSTER_NAMING_H

#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_suggest_params {
    double threshold; /* suggest only at confidence >= threshold (default 0.6) */
} pr_suggest_params;

pr_suggest_params pr_suggest_params_default(void);

/* d: n x n distances; labels: n cluster indices in [0, k); seed_name: n name indices (>= 0) or -1
 * for unnamed; all borrowed for the call. Writes name_out[n] (name index or -1) and
 * confidence_out[n] (in [0, 1], also for instances below the threshold); cluster_name (k, may be
 * NULL) receives each cluster's name or -1. All outputs are caller-owned arrays. */
pr_status pr_suggest_names(const float *d, int n, const int *labels, int k, const int *seed_name,
                           const pr_suggest_params *params, int *name_out, double *confidence_out,
                           int *cluster_name);

#ifdef __cplusplus
}
#endif
#endif

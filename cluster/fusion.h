/* Distance fusion: per-cue N x N distance matrices mapped to one comparable scale and combined.
 *
 * Each cue (eigenface L2, face / body colour chi-square, SIFT match distance, background, ...) comes
 * as its own matrix with its own units. Each is first mapped to [0, 1] by its distribution over the
 * pairs of this album (the pairs the cue applies to):
 *   PR_FUSION_RANK    the pair's mid-rank among the cue's values, (less + equal / 2) / count
 *                     (an empirical CDF; exact up to max_samples values, a regular sample
 *                     beyond)
 *   PR_FUSION_ZSCORE  standardise by the album's mean and standard deviation, then the normal CDF
 * and then fused(i, j) = sum_c w_c s_c(i, j) / sum_c w_c over the cues that apply to the pair: a
 * missing value (NaN: no body, profile face) drops that cue for that pair and the remaining weights
 * renormalise; a same_event_only cue (clothing, background) applies only when both instances carry
 * the same non-negative event id. Where no cue applies the pair gets params.missing. The diagonal
 * is 0. This API depends on nothing in features/: callers hand in plain matrices. */
#ifndef PR_CLUSTER_FUSION_H
#define PR_CLUSTER_FUSION_H

#include "core/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_cue_matrix {
    const char *name;    /* for messages and reports; borrowed */
    const float *d;      /* n x n, row-major, symmetric (the upper triangle is read); NaN =
                            missing (so is +-inf: it has no rank); borrowed for the call */
    double weight;       /* >= 0; 0 switches the cue off */
    int same_event_only; /* 1: counts only between instances of the same event */
} pr_cue_matrix;

typedef enum pr_fusion_scale {
    PR_FUSION_RANK = 0,
    PR_FUSION_ZSCORE,
} pr_fusion_scale;

typedef struct pr_fusion_params {
    pr_fusion_scale scale; /* default RANK */
    const int32_t *event;  /* n event ids (negative = unknown), borrowed; required when a cue
                              is same_event_only */
    float missing;         /* fused value where no cue applies (default 1: nothing says alike) */
    int max_samples;       /* RANK: CDF from at most this many pair values (default 1 << 17) */
    int threads;           /* <= 0 = all online CPUs (default 0) */
} pr_fusion_params;

pr_fusion_params pr_fusion_params_default(void);

/* out: n x n floats, caller-owned, in [0, 1] (or params.missing). */
pr_status pr_fuse_distances(const pr_fusion_params *params, const pr_cue_matrix *cues, int ncues,
                            int n, float *out);

#ifdef __cplusplus
}
#endif
#endif

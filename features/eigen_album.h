/* Eigenfaces of an album: learnt from the album's own 8-bit grey face crops (a model from other
 * faces measured worse, thesis/results/features.md) with at most 20 components, and every crop
 * projected into its record's eigen field. Crops are 8-bit because the album store keeps them so:
 * one rounding, one model, the same coefficients for every caller (pipeline/people.h). */
#ifndef PR_FEATURES_EIGEN_ALBUM_H
#define PR_FEATURES_EIGEN_ALBUM_H

#include "core/status.h"
#include "features/eigenfaces.h"
#include "features/person.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_eigen_album_params {
    int width, height; /* crop size (default 64 x 64 = pr_eigenfaces_params_default) */
    int equalize;      /* histogram-equalised crops (default: pr_eigenfaces_params_default's) */
    int components;    /* learnt components, at most (rows - 1) (default 20) */
    int min_rows;      /* fewer crops than this: no model, no eigen cue (default 3) */
} pr_eigen_album_params;

pr_eigen_album_params pr_eigen_album_params_default(void);

/* crops[i]: width * height grey bytes of instance i, or NULL (no eigen cue); borrowed. model:
 * a trained model to project with (borrowed; its size must match), or NULL to learn one from the
 * crops. persons[i] (may be NULL) receives eigen/n_eigen (replacing what it held). *model_out
 * (may be NULL) receives the learnt model (caller-owned; NULL when none was learnt). Too few
 * crops is not an error: no record gets an eigen cue. */
pr_status pr_eigen_album(const pr_eigen_album_params *params, const uint8_t *const *crops, int n,
                         const pr_eigenfaces *model, pr_person **persons,
                         pr_eigenfaces **model_out);

#ifdef __cplusplus
}
#endif
#endif

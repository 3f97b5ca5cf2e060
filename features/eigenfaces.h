/* Eigenfaces (Turk & Pentland 1991): a PCA face space learnt from face crops, projection of a face
 * into it, and distances between projected faces.
 *
 * A face goes through pr_eigenfaces_preprocess (crop -> grey -> fixed size -> histogram
 * equalisation -> floats in [0, 1]) and becomes one row of `dim` = width * height floats. The
 * model is learnt from such rows (pr_eigenfaces_train) or loaded from a file; it is generic PCA,
 * so any row length works (the unit test uses 3-D points with known axes). */
#ifndef PR_FEATURES_EIGENFACES_H
#define PR_FEATURES_EIGENFACES_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_eigenfaces_params {
    int width;       /* preprocessed face size (default 64 x 64) */
    int height;
    int equalize;    /* histogram-equalise the grey crop (default 0: measured worse on ORL
                        and album, better only on Yale B; thesis/results/features.md) */
    int components;  /* keep this many components (0 = choose by energy; default 0) */
    double energy;   /* with components == 0: smallest count whose eigenvalues reach this share
                        of the total variance (default 0.95) */
} pr_eigenfaces_params;

pr_eigenfaces_params pr_eigenfaces_params_default(void);

/* Writes params->width * params->height floats to out (caller-owned). box NULL = the whole image;
 * the box is clipped to the image, and an empty or < 4 px clipped box gives PR_ERR_ARG (the caller
 * treats it as "no eigenface cue"). */
pr_status pr_eigenfaces_preprocess(const pr_image *img, const pr_box *box,
                                   const pr_eigenfaces_params *params, float *out);

typedef struct pr_eigenfaces pr_eigenfaces;

/* PCA of n rows of dim floats (row-major, borrowed for the call). Uses the snapshot method (the
 * n x n Gram matrix) when n <= dim, else the dim x dim covariance; both through sgemm + ssyevr.
 * width/height of params are recorded (they say how rows were made); components/energy choose
 * how many axes are kept. Needs n >= 2. Rows that do not vary (copies of one face) give a model
 * with 0 components -- the mean alone; projections are empty -- not an error. *out is
 * caller-owned. */
pr_status pr_eigenfaces_train(const pr_eigenfaces_params *params, const float *rows, int n,
                              int dim, pr_eigenfaces **out);
void pr_eigenfaces_delete(pr_eigenfaces *model); /* accepts NULL */

int pr_eigenfaces_dim(const pr_eigenfaces *model);
int pr_eigenfaces_components(const pr_eigenfaces *model);
/* The preprocessing parameters the model was trained with. */
pr_eigenfaces_params pr_eigenfaces_model_params(const pr_eigenfaces *model);
/* Borrowed until the model is deleted: mean (dim), basis (components x dim, unit rows, ordered by
 * decreasing eigenvalue), eigenvalues (components; variances along each axis, divided by n - 1). */
const float *pr_eigenfaces_mean(const pr_eigenfaces *model);
const float *pr_eigenfaces_basis(const pr_eigenfaces *model);
const float *pr_eigenfaces_eigenvalues(const pr_eigenfaces *model);

/* Keeps only the first k components (1 <= k <= current count); for evaluating several counts
 * from one training. */
pr_status pr_eigenfaces_truncate(pr_eigenfaces *model, int k);

/* coeffs (components floats, caller-owned; nothing is written for 0 components) =
 * basis * (row - mean). */
pr_status pr_eigenfaces_project(const pr_eigenfaces *model, const float *row, float *coeffs);

/* Euclidean distance between coefficient vectors, using components [skip, k). */
double pr_eigenfaces_distance_l2(const float *a, const float *b, int skip, int k);
/* Cosine distance (1 - cos) over components [skip, k), in [0, 2]. */
double pr_eigenfaces_distance_cos(const float *a, const float *b, int skip, int k);
/* Whitened cosine distance (1 - cos after dividing each coefficient by sqrt(eigenvalue)), in
 * [0, 2], over components [skip, k). */
double pr_eigenfaces_distance_wcos(const pr_eigenfaces *model, const float *a, const float *b,
                                   int skip, int k);

/* Versioned little-endian binary file ("PREIGF01"), written atomically (temp file + rename). */
pr_status pr_eigenfaces_save(const pr_eigenfaces *model, const char *path);
pr_status pr_eigenfaces_load(const char *path, pr_eigenfaces **out);

#ifdef __cplusplus
}
#endif
#endif

/* Loads TensorFlow.js layer weights: a JSON manifest (one group, tensors listed in file order with
 * name, shape, dtype and optional uint8 quantisation) and the .bin it names, stored back to back.
 * Quantised values are q*scale + min computed in double and stored float32, as tfjs does. The
 * files' sha256 are checked against the hashes the caller knows; every failure names the file. */
#ifndef PR_NN_TFJS_H
#define PR_NN_TFJS_H

#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_nn_tensor {
    char *name;
    int ndim;
    int shape[4];
    size_t count;
    float *data;
    int used; /* set by pr_nn_weights_get */
} pr_nn_tensor;

typedef struct pr_nn_weights {
    pr_nn_tensor *tensors;
    int n;
    char *manifest_path;
    char *bin_path;
} pr_nn_weights;

/* dir/<stem>-weights_manifest.json and the .bin it names (in dir). manifest_sha256 and bin_sha256
 * (64 hex digits) are checked when non-NULL. *out is caller-owned (pr_nn_weights_delete). */
pr_status pr_nn_weights_load(const char *dir, const char *stem, const char *manifest_sha256,
                             const char *bin_sha256, pr_nn_weights **out);
void pr_nn_weights_delete(pr_nn_weights *w); /* accepts NULL */

/* The tensor `name` with exactly the shape given (ndim dims); borrowed data. PR_ERR_FORMAT naming
 * the manifest when it is absent or shaped differently. */
pr_status pr_nn_weights_get(pr_nn_weights *w, const char *name, int ndim, const int *shape,
                            const float **data);
/* The same as a pr_malloc'd copy (caller-owned: plan builders hand it to the plan). */
pr_status pr_nn_weights_copy(pr_nn_weights *w, const char *name, int ndim, const int *shape,
                             float **out);
/* PR_ERR_FORMAT when some tensor of the manifest was never asked for (not the expected net). */
pr_status pr_nn_weights_check_all_used(const pr_nn_weights *w);

#ifdef __cplusplus
}
#endif
#endif

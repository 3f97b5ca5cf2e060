/* face-api's SSD MobileNet v1 face detector (detect/SSD_ARCH.md) on nn/: the photo padded to a
 * square (zeros right/bottom), resized to 512 x 512, scaled to [-1, 1]; MobileNet v1 (depthwise-
 * separable convolutions, folded batch norm, ReLU6); six box-predictor heads over 5118 anchors;
 * box decoding, sigmoid scores, score threshold and greedy non-maximum suppression, exactly as
 * @vladmandic/face-api 1.7.15's locateFaces.
 *
 *     pr_ssd_params p = pr_ssd_params_default();   // p.models_dir = folder of the model files
 *     pr_ssd *ssd; pr_ssd_new(&p, &ssd);
 *     pr_ssd_box *boxes; size_t n; pr_ssd_detect(ssd, rgb, &boxes, &n); ... pr_free(boxes);
 *     pr_ssd_delete(ssd);
 *
 * A pr_ssd is not thread-safe (one workspace / one runner); the plan inside is read-only. */
#ifndef PR_NN_SSD_H
#define PR_NN_SSD_H

#include "core/device.h"
#include "core/image.h"
#include "core/status.h"
#include "nn/plan.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PR_SSD_INPUT 512
#define PR_SSD_ANCHORS 5118

typedef struct pr_ssd_box {
    double x, y, w, h; /* photo pixels as face-api gives them (clipped at the padded square: a box
                          may pass the photo's short side) */
    double score;      /* sigmoid of the face logit, (min_confidence, 1] */
} pr_ssd_box;

typedef struct pr_ssd_params {
    const char *models_dir; /* borrowed during pr_ssd_new; holds ssd_mobilenetv1_model* */
    double min_confidence;  /* scores must exceed this (face-api default 0.5) */
    int max_results;        /* at most this many boxes (face-api default 100) */
    double iou;             /* NMS: a box overlapping a kept one by more is dropped (0.5) */
    pr_device device;       /* CPU (default); GPU/AUTO through nn/dispatch.h when built with CUDA */
} pr_ssd_params;

pr_ssd_params pr_ssd_params_default(void);

typedef struct pr_ssd pr_ssd;

/* Loads and checks (sha256, shapes) the model. *out caller-owned. PR_ERR_IO when the files are
 * missing, PR_ERR_FORMAT when they are not the known ones, PR_ERR_UNSUPPORTED for a GPU request
 * in a build without CUDA. */
pr_status pr_ssd_new(const pr_ssd_params *params, pr_ssd **out);
void pr_ssd_delete(pr_ssd *ssd); /* accepts NULL */

/* Faces in an RGB or grey image, by descending score. *boxes is pr_malloc'd (caller pr_free's it;
 * NULL when *n = 0). */
pr_status pr_ssd_detect(pr_ssd *ssd, const pr_image *image, pr_ssd_box **boxes, size_t *n);

/* --- The pieces, exposed for tests and other runners. --- */

/* The plan (input 512x512x3, output 5118*4 box encodings then 5118*3 class logits) and the
 * anchors (5118 x [ymin, xmin, ymax, xmax], pr_malloc'd) from dir. */
pr_status pr_ssd_load(const char *dir, pr_nn_plan **plan, float **anchors);

/* The net input: image padded right/bottom to a square, bilinear to 512 x 512 (tfjs
 * resizeBilinear, align_corners = half_pixel = false), v / 127.5 - 1. out: 512*512*3 floats. */
void pr_ssd_prepare(const pr_image *image, float *out);

/* Post-processing of one output (5118*7 floats) for a photo of width x height: *n boxes written
 * to boxes (room for max_results). */
pr_status pr_ssd_decode(const float *net_out, const float *anchors, int width, int height,
                        const pr_ssd_params *params, pr_ssd_box *boxes, size_t *n);

#ifdef __cplusplus
}
#endif
#endif

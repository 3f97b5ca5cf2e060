/* The C face of the OpenCV adapter (cascade_opencv.cpp): the only place OpenCV is touched.
 *
 * No OpenCV type crosses this header and every C++ exception is caught inside the adapter and
 * turned into a pr_status with a message. Coordinates are pixels of the prepared grey image (the
 * working resolution); when `mirrored` is set they are in the mirrored image and the caller flips
 * them back. Objects are not thread-safe: one per thread (OpenCV's CascadeClassifier keeps scratch
 * state in the classifier while detecting). */
#ifndef PR_DETECT_CASCADE_INTERNAL_H
#define PR_DETECT_CASCADE_INTERNAL_H

#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_cv_cascade pr_cv_cascade;
typedef struct pr_cv_gray pr_cv_gray;

typedef struct pr_cv_hit {
    int x, y, w, h;
    int neighbors; /* raw windows grouped into this hit by OpenCV's groupRectangles */
} pr_cv_hit;

typedef struct pr_cv_detect_params {
    double scale_factor; /* > 1, e.g. 1.1 */
    int min_neighbors;   /* >= 1 */
    int min_size;        /* smallest face side in pixels of the prepared image (0 = window) */
    int max_size;        /* largest face side (0 = no limit) */
} pr_cv_detect_params;

/* Loads an OpenCV cascade XML. *out is caller-owned (pr_cv_cascade_delete). */
pr_status pr_cv_cascade_load(const char *path, pr_cv_cascade **out);
void pr_cv_cascade_delete(pr_cv_cascade *cascade); /* accepts NULL */

/* Grey copy of an 8-bit grey/RGB buffer (borrowed for the call), area-resized to out_w x out_h and
 * optionally histogram-equalised (the cascades were trained on equalised faces). *out is
 * caller-owned (pr_cv_gray_delete). */
pr_status pr_cv_gray_new(const uint8_t *data, int width, int height, int channels, size_t stride,
                         int out_w, int out_h, int equalize, pr_cv_gray **out);
void pr_cv_gray_delete(pr_cv_gray *gray); /* accepts NULL */

/* Runs the cascade over the image (or its left-right mirror) or over the rectangle roi
 * {x, y, w, h} of it (NULL = whole image; clipped to the image). *hits is a caller-owned pr_malloc
 * array (NULL when *count is 0), coordinates in the (mirrored) prepared image. */
pr_status pr_cv_detect(pr_cv_cascade *cascade, pr_cv_gray *gray, int mirrored, const int *roi,
                       const pr_cv_detect_params *params, pr_cv_hit **hits, size_t *count);

/* OpenCV's own worker threads: 0 or 1 = none (photos run in parallel instead). Process-wide. */
void pr_cv_set_threads(int threads);

#ifdef __cplusplus
}
#endif
#endif

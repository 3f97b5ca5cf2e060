/* Face detection over many photos in parallel: one pr_detector per pool worker (detectors are not
 * thread-safe), OpenCV's own threads off. A photo that cannot be loaded or detected gets its own
 * status and message; the others are still processed. */
#ifndef PR_DETECT_BATCH_H
#define PR_DETECT_BATCH_H

#include "detect/detect.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_detect_item {
    const char *path;  /* borrowed, set by the caller */
    pr_faces faces;    /* result, owned by the item (pr_detect_items_free) */
    pr_status status;  /* PR_OK, or why this photo failed */
    char *error;       /* message when status != PR_OK (owned) */
    int width, height; /* of the loaded photo (EXIF orientation applied) */
    double seconds;    /* CPU time of pr_detector_run on its thread (excludes decoding) */
} pr_detect_item;

/* Detects faces in every items[i].path with `threads` workers (<= 0: all CPUs). Returns an error
 * only when no detector could be made (bad params, missing cascade); per-photo failures are in the
 * items. If keep_image is not NULL, keep_image(ctx, i, image) is called from the worker with each
 * loaded photo before it is freed (e.g. to draw boxes). */
pr_status pr_detect_batch(const pr_detector_params *params, int threads, pr_detect_item *items,
                          size_t n,
                          void (*keep_image)(void *ctx, size_t index, const pr_image *image),
                          void *ctx);

void pr_detect_items_free(pr_detect_item *items, size_t n); /* frees results, not the array */

#ifdef __cplusplus
}
#endif
#endif

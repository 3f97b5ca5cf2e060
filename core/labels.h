/* Label maps: one int32 label per pixel (segmentations, BSDS500 ground truth).
 *
 * Files: 16-bit grey PNG (BSDS500 truth as converted in ../shared/datasets, and our segment output
 * when there are at most 65536 labels), or a 32-bit raw format for more labels: a ".pnm"/".raw"
 * path is written as "PRL1\n<width> <height>\n" followed by width*height little-endian int32. */
#ifndef PR_CORE_LABELS_H
#define PR_CORE_LABELS_H

#include "core/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_labels {
    int width;
    int height;
    int32_t *data; /* width * height, row-major, owned */
} pr_labels;

pr_status pr_labels_new(int width, int height, pr_labels **out); /* zeroed; caller-owned */
void pr_labels_delete(pr_labels *labels); /* accepts NULL */

/* Loads a 16-bit (or 8-bit) grey PNG, or our 32-bit raw format. */
pr_status pr_labels_load(const char *path, pr_labels **out);
/* Saves by extension: .png needs every label in [0, 65535] (else PR_ERR_LIMIT); .pnm/.raw 32-bit. */
pr_status pr_labels_save(const char *path, const pr_labels *labels);

/* Renumbers labels, which must lie in [0, width*height) (e.g. union-find roots), in order of first
 * appearance in raster order (0, 1, 2, ...) and returns the
 * count in *count (may be NULL). Two equal partitions become byte-identical. */
pr_status pr_labels_canonicalize(pr_labels *labels, int *count);

#ifdef __cplusplus
}
#endif
#endif

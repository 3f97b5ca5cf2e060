/* Pictures of segmentations for people to look at: a coloured label overlay and a mask overlay. */
#ifndef PR_SEGMENT_DRAW_H
#define PR_SEGMENT_DRAW_H

#include "core/image.h"
#include "core/labels.h"
#include "core/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The photo (grey or RGB, borrowed) half-blended with one colour per segment (a fixed hash of the
 * label, so the same label always gets the same colour), segment boundaries drawn black. labels
 * must have the photo's size. *out is a caller-owned RGB image. */
pr_status pr_draw_segments(const pr_image *photo, const pr_labels *labels, pr_image **out);

/* Tints the pixels of *rgb (RGB, modified in place) where mask (1 channel, same size, nonzero =
 * inside) is set: half the colour (r, g, b) blended in, and the mask's outline in that colour. */
pr_status pr_draw_mask(pr_image *rgb, const pr_image *mask, uint8_t r, uint8_t g, uint8_t b);

/* Draws the outline of the rectangle (x, y, w, h), clipped, 2 px thick, into *rgb (RGB). */
void pr_draw_rect(pr_image *rgb, int x, int y, int w, int h, uint8_t r, uint8_t g, uint8_t b);

#ifdef __cplusplus
}
#endif
#endif

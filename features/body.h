/* The body region below a face, for the clothing cues.
 *
 * Two sources, one geometry: the prior box of segment/body.h (pr_body_prior: 3 face widths wide,
 * centred on the face, 4 face heights tall, from 1.1 face heights below the face's top, clipped to
 * the photo), or the segmentation mask built inside that prior (pr_body_masks). features/ depends
 * on segment/ plainly; what is here are the helpers the cues need around those two. */
#ifndef PR_FEATURES_BODY_H
#define PR_FEATURES_BODY_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"
#include "segment/body.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Old names for segment/body.h's prior, kept so that callers compile while they move to
 * pr_body_params / pr_body_params_default / pr_body_prior (the one geometry). */
typedef pr_body_params pr_body_prior_params;
pr_body_prior_params pr_body_prior_params_default(void);
pr_box pr_body_prior_box(pr_box face, int image_width, int image_height,
                         const pr_body_prior_params *params);

/* The face/hair band: the face box extended upwards by 40 % of its height (hair) and clipped. */
pr_box pr_face_band_box(pr_box face, int image_width, int image_height);

/* Bounding box of the non-zero bytes of an image-sized mask (row stride mask_stride), empty
 * {0,0,0,0} when there are none; *area (may be NULL) receives their count. */
pr_box pr_mask_bounds(const uint8_t *mask, size_t mask_stride, int width, int height,
                      double *area);

/* Always 1 now that features/ links segment/ (kept for callers that still ask). */
int pr_body_segment_available(void);

/* Body masks of the n faces of one photo from segment/body.h with its default parameters (the
 * faces should be every face of the photo: overlapping priors are split between neighbours).
 * masks: n slots; on success each holds a caller-owned 1-channel image of the photo's size, 255
 * inside face i's body (possibly empty: prior outside the photo), 0 elsewhere; on failure every
 * slot is NULL. */
pr_status pr_body_segment_masks(const pr_image *img, const pr_box *faces, int n, pr_image **masks);

#ifdef __cplusplus
}
#endif
#endif

/* The body region below a face, for the clothing cues.
 *
 * Two sources: a fixed prior box (3 face widths wide, centred on the face, 4 face heights tall,
 * starting at the bottom of the face box, clipped to the photo), or a mask from the graph-based
 * segmentation of segment/body.h (Felzenszwalb-Huttenlocher segments that stay inside a similar
 * prior), reached through pr_body_segment_masks so that users of features/ need not link segment/
 * themselves. A build without segment/ has only the prior box. */
#ifndef PR_FEATURES_BODY_H
#define PR_FEATURES_BODY_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_body_prior_params {
    double width_faces;  /* body width in face widths (default 3) */
    double height_faces; /* body height in face heights (default 4) */
    double gap_faces;    /* offset below the face box in face heights (default 0) */
} pr_body_prior_params;

pr_body_prior_params pr_body_prior_params_default(void);

/* The prior body box for a face, clipped to the image (may be empty at the bottom edge).
 * params NULL = defaults. */
pr_box pr_body_prior_box(pr_box face, int image_width, int image_height,
                         const pr_body_prior_params *params);

/* The face/hair band: the face box extended upwards by 40 % of its height (hair) and clipped. */
pr_box pr_face_band_box(pr_box face, int image_width, int image_height);

/* Bounding box of the non-zero bytes of an image-sized mask (row stride mask_stride), empty
 * {0,0,0,0} when there are none; *area (may be NULL) receives their count. */
pr_box pr_mask_bounds(const uint8_t *mask, size_t mask_stride, int width, int height,
                      double *area);

/* 1 when this build has segment/body.h (pr_body_segment_masks works), else 0. */
int pr_body_segment_available(void);

/* Body masks of the n faces of one photo from segment/body.h with its default parameters (the
 * faces should be every face of the photo: overlapping priors are split between neighbours).
 * masks: n slots; on success each holds a caller-owned 1-channel image of the photo's size, 255
 * inside face i's body (possibly empty: prior outside the photo), 0 elsewhere; on failure every
 * slot is NULL. PR_ERR_UNSUPPORTED in a build without segment/. */
pr_status pr_body_segment_masks(const pr_image *img, const pr_box *faces, int n, pr_image **masks);

#ifdef __cplusplus
}
#endif
#endif

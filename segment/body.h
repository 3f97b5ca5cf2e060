/* The body region below a detected face, as a binary mask in photo coordinates.
 *
 *     pr_body_params p = pr_body_params_default();
 *     pr_image *masks[n];                       // one per face, caller-owned
 *     pr_body_masks(photo, faces, n, &p, masks); // masks[i]: 1 channel, photo size, 0 or 255
 *
 * A prior rectangle is placed below each face (width_faces face widths wide, centred on the face;
 * from top_faces to top_faces + height_faces face heights below the face's top edge), clipped to
 * the photo. That rectangle plus a margin is cut out, scaled to a working size, segmented with
 * Felzenszwalb-Huttenlocher, and the segments lying mostly inside the prior (>= inside) are kept:
 * clothing tends to form segments inside the prior, while walls, floor and sky run out of it. The
 * kept pixels inside the prior form the mask. Where the priors of several faces overlap, a pixel
 * belongs to the face whose centre is nearest horizontally (in face widths), so two people side by
 * side split the overlap instead of both claiming it. No face box is ever part of any mask.
 * When no segment qualifies (a face at the bottom edge, a uniform shirt that merged with the
 * background), the mask falls back to the chest box (one face width, one face height, starting
 * chest_faces below the face's top) inside the prior, so the caller always gets a sane, possibly
 * small, mask; an empty mask only comes from a prior that lies wholly outside the photo. */
#ifndef PR_SEGMENT_BODY_H
#define PR_SEGMENT_BODY_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"
#include "segment/felzenszwalb.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_body_params {
    double width_faces;  /* prior width in face widths (default 3) */
    double top_faces;    /* prior top, face heights below the face's top edge (default 1.1) */
    double height_faces; /* prior height in face heights (default 4) */
    double margin;       /* context segmented around the prior, fraction of its size (0.25) */
    double inside;       /* keep a segment when this fraction of it lies in the prior (0.6) */
    double chest_faces;  /* fallback chest box top, face heights below the face's top (1.3) */
    int working_pixels;  /* the cut-out is scaled down to at most this many pixels (60000) */
    pr_fh_params fh;     /* segmentation at working scale (sigma 0.8, k 300, min_size 20) */
} pr_body_params;

pr_body_params pr_body_params_default(void);
pr_status pr_body_params_check(const pr_body_params *params);

/* The prior rectangle of a face, clipped to the photo (may be empty). */
pr_box pr_body_prior(pr_box face, int photo_width, int photo_height, const pr_body_params *params);

/* One mask per face. photo: grey or RGB (borrowed). faces: n boxes in photo pixels. masks: n
 * slots; on success each holds a caller-owned 1-channel image of the photo's size with 255 inside
 * the body region, 0 elsewhere; on failure every slot is NULL. params NULL = defaults. */
pr_status pr_body_masks(const pr_image *photo, const pr_box *faces, size_t n,
                        const pr_body_params *params, pr_image **masks);

/* Number of nonzero pixels of a 1-channel mask. */
size_t pr_mask_area(const pr_image *mask);

#ifdef __cplusplus
}
#endif
#endif

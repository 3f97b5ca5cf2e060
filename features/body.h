/* The body region below a face, for the clothing cues.
 *
 * Until segment/ provides a body mask from the graph-based segmentation, the body is a fixed prior
 * box: 3 face widths wide (centred on the face) and 4 face heights tall, starting at the bottom of
 * the face box, clipped to the photo. */
#ifndef PR_FEATURES_BODY_H
#define PR_FEATURES_BODY_H

#include "core/box.h"

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

#ifdef __cplusplus
}
#endif
#endif

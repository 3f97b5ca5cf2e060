/* Body prior box. The proportions (3 face widths x 4 face heights below the face) follow the
 * upper-body boxes used for clothing cues in photo collections (Gallagher & Chen, "Clothing
 * cosegmentation for recognizing people", CVPR 2008, and the thesis this project reimplements). */
#include "features/body.h"

#include <stddef.h>

pr_body_prior_params pr_body_prior_params_default(void)
{
    pr_body_prior_params p = {3.0, 4.0, 0.0};
    return p;
}

pr_box pr_body_prior_box(pr_box face, int image_width, int image_height,
                         const pr_body_prior_params *params)
{
    pr_body_prior_params p = params ? *params : pr_body_prior_params_default();
    pr_box b;
    b.w = face.w * p.width_faces;
    b.h = face.h * p.height_faces;
    b.x = face.x + face.w * 0.5 - b.w * 0.5;
    b.y = face.y + face.h * (1.0 + p.gap_faces);
    return pr_box_clip(b, image_width, image_height);
}

pr_box pr_face_band_box(pr_box face, int image_width, int image_height)
{
    pr_box b = face;
    b.y -= 0.4 * face.h;
    b.h += 0.4 * face.h;
    return pr_box_clip(b, image_width, image_height);
}

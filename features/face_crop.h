/* The grey face crop kept per face for the album's eigenfaces: pr_eigenfaces_preprocess of the
 * box (aligned, optionally equalised, in [0, 1]) rounded to 8 bits, as the album store keeps it. */
#ifndef PR_FEATURES_FACE_CROP_H
#define PR_FEATURES_FACE_CROP_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"
#include "features/eigen_album.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* params->width * params->height bytes into crop (caller-owned). PR_ERR_ARG when the box is too
 * small (the face then has no eigen cue). */
pr_status pr_face_crop_grey(const pr_image *img, const pr_box *box,
                            const pr_eigen_album_params *params, uint8_t *crop);

#ifdef __cplusplus
}
#endif
#endif

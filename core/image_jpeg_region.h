/* Part of a JPEG photo at full scale, without decoding the rest: for the face descriptor, which
 * must see the photo's own full-size pixels (face-api parity) while everything else works on a
 * DCT-scaled decode. libjpeg-turbo skips the rows above the part (jpeg_skip_scanlines: entropy
 * decoding only) and the columns beside it (jpeg_crop_scanline), and stops below it.
 *
 *     int want[4] = {x, y, w, h};              // oriented full-size photo pixels
 *     pr_image *part; int origin[2];
 *     if (pr_image_load_region(path, &params, want, &part, origin) == PR_OK)
 *         ... part's pixel (i, j) is the full decode's (origin[0] + i, origin[1] + j) ...
 *
 * The pixels inside `want` equal those of pr_image_load at full size (same IDCT, same fancy
 * upsampling, the same EXIF orientation); tests/pipeline/test_image_region.c checks it byte for
 * byte. The part may be larger than asked (a margin for the chroma upsampling's context, and
 * libjpeg's iMCU alignment). */
#ifndef PR_CORE_IMAGE_JPEG_REGION_H
#define PR_CORE_IMAGE_JPEG_REGION_H

#include "core/image.h"
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* want: {x, y, w, h} in oriented full-size pixels (clipped to the photo; must meet it). params:
 * max_pixels and channels (0, 1 or 3) as for pr_image_load; min_long_side is ignored and the
 * orientation always applied. *out caller-owned; origin[0..1] = the part's top-left corner in
 * oriented full-size pixels; info (may be NULL) as pr_image_load fills it for a full decode.
 * PR_ERR_UNSUPPORTED when the file is not a JPEG or is CMYK (decode it whole instead); the loader's
 * errors otherwise. */
pr_status pr_image_load_region(const char *path, const pr_image_load_params *params,
                               const int want[4], pr_image **out, int origin[2],
                               pr_image_info *info);

#ifdef __cplusplus
}
#endif
#endif

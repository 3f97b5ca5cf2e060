/* An image's width and height from its header only (no pixel decoding): JPEG and PNG through
 * libjpeg and libpng (their header readers), binary PNM (P5/P6) by hand; the other formats the
 * loader reads (HEIF/AVIF, WebP, TIFF, GIF) by a full decode through it. Used to turn normalised
 * face boxes into pixels without decoding photos. Sizes are as stored: EXIF orientation is not
 * applied, matching Picasa's rect64 and the MWG AppliedToDimensions of unrotated files. */
#ifndef PR_CORE_IMAGE_PROBE_H
#define PR_CORE_IMAGE_PROBE_H

#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

/* PR_ERR_IO when unreadable, PR_ERR_FORMAT when the header is not a valid JPEG/PNG/PNM one,
 * PR_ERR_UNSUPPORTED when the format's library was not built in. */
pr_status pr_image_probe(const char *path, int *width, int *height);

/* The stored size as pr_image_probe, and the orientation the loader would apply (EXIF
 * Orientation 1..8, 1 when absent): a JPEG's from its APP1 EXIF, still without decoding pixels
 * (what a sidecar writer needs to place regions, without a decode per photo); PNG and PNM carry
 * none the loader reads (1); the other formats as the loader reports it (HEIF's irot/imir, TIFF's
 * tag) after a decode, as pr_image_probe. */
pr_status pr_image_probe_orientation(const char *path, int *width, int *height,
                                     int *orientation);

#ifdef __cplusplus
}
#endif
#endif

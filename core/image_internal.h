/* Private to core/: per-format codecs behind pr_image_load / pr_image_save. */
#ifndef PR_CORE_IMAGE_INTERNAL_H
#define PR_CORE_IMAGE_INTERNAL_H

#include "core/fileio.h"
#include "core/image.h"

#include <stdio.h>

/* Decoders: params is never NULL here (defaults already filled in); info is never NULL. The
 * decoded image has the stored channel count (grey or RGB); conversion happens in the caller. */
pr_status pr_jpeg_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info);
pr_status pr_png_decode(const uint8_t *bytes, size_t size, const char *name,
                        const pr_image_load_params *params, pr_image **out, pr_image_info *info);
pr_status pr_pnm_decode(const uint8_t *bytes, size_t size, const char *name,
                        const pr_image_load_params *params, pr_image **out, pr_image_info *info);

/* The other formats of a phone album (core/image_{heif,webp,tiff,gif}.c); heif also reads AVIF.
 * Each fills info->orientation and the capture time from where its format keeps them. */
pr_status pr_heif_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info);
pr_status pr_webp_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info);
pr_status pr_tiff_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info);
pr_status pr_gif_decode(const uint8_t *bytes, size_t size, const char *name,
                        const pr_image_load_params *params, pr_image **out, pr_image_info *info);
/* irot/imir of a HEIF file's primary item as an EXIF Orientation 1..8 (1 when absent). */
int pr_heif_orientation(const uint8_t *bytes, size_t size);
/* pr_exif_read for EXIF outside JPEG (bare TIFF structure, with or without "Exif\0\0"); only
 * fails on allocation failure. */
pr_status pr_exif_read_payload(const uint8_t *bytes, size_t size, pr_image_info *info);

/* Encoders write to an open stream; name is for messages. */
pr_status pr_jpeg_write(FILE *f, const pr_image *img, int quality, const char *name);
pr_status pr_png_write(FILE *f, const pr_image *img, const char *name);
pr_status pr_pnm_write(FILE *f, const pr_image *img, const char *name);
/* 16-bit grey PNG from a row-major uint16 buffer. */
pr_status pr_png_write_gray16(FILE *f, const uint16_t *pixels, int width, int height,
                              const char *name);
/* 16-bit or 8-bit grey PNG into a caller-owned pr_malloc'd uint16 buffer. */
pr_status pr_png_read_gray16(const uint8_t *bytes, size_t size, const char *name,
                             uint64_t max_pixels, uint16_t **pixels, int *width, int *height);

/* EXIF from a JPEG APP1 payload (starting "Exif\0\0"): Orientation (1 when absent or out of
 * range) and DateTimeOriginal. Silently leaves the defaults for broken EXIF. */
void pr_exif_read(const uint8_t *bytes, size_t size, int *orientation, char datetime[20],
                  int *has_datetime);

/* Undoes EXIF orientation 1..8 into a new image (a clone for 1). */
pr_status pr_image_orient(const pr_image *src, int orientation, pr_image **out);

/* Checks the declared size against the pixel limit before any allocation. */
pr_status pr_image_check_size(const char *name, long width, long height, uint64_t max_pixels);


#endif

/* 8-bit images (grey or RGB, interleaved, row stride in bytes) and their loading and saving.
 *
 * Loading reads JPEG (libjpeg-turbo), PNG (libpng), binary PNM (P5/P6), HEIF/HEIC and AVIF
 * (libheif), WebP (libwebp), TIFF (libtiff) and GIF (giflib; the first frame of an animation),
 * chosen by the file's first bytes, never its name. The orientation (EXIF Orientation; HEIF's
 * irot/imir; TIFF's own tag) is applied by default, so a portrait photo comes back upright, and
 * the capture time is reported. Every decode error comes back as
 * PR_ERR_FORMAT (PR_ERR_IO for unreadable files) with a message naming the file; an image whose
 * header declares more than params.max_pixels is refused with PR_ERR_LIMIT before any pixel
 * buffer is allocated. */
#ifndef PR_CORE_IMAGE_H
#define PR_CORE_IMAGE_H

#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_image {
    int width;
    int height;
    int channels;   /* 1 = grey, 3 = RGB */
    size_t stride;  /* bytes from one row to the next, >= width * channels */
    uint8_t *data;  /* owned by the image */
} pr_image;

/* Pixel row y (no bounds check). */
static inline uint8_t *pr_image_row(const pr_image *img, int y)
{
    return img->data + (size_t)y * img->stride;
}

/* A new image with stride = width * channels, pixels zeroed. *out is caller-owned. */
pr_status pr_image_new(int width, int height, int channels, pr_image **out);
void pr_image_delete(pr_image *img); /* accepts NULL */
pr_status pr_image_clone(const pr_image *src, pr_image **out);
/* Grey from RGB (ITU-R BT.601 weights, integer, rounded) or a copy when already grey. */
pr_status pr_image_to_gray(const pr_image *src, pr_image **out);
/* RGB from grey (replicated) or a copy. */
pr_status pr_image_to_rgb(const pr_image *src, pr_image **out);
/* Area-averaged (down) or bilinear (up) resize to width x height. */
pr_status pr_image_resize(const pr_image *src, int width, int height, pr_image **out);
/* Copy of the rectangle (x, y, w, h), which must lie inside the image. */
pr_status pr_image_crop(const pr_image *src, int x, int y, int w, int h, pr_image **out);

typedef enum pr_image_format {
    PR_FORMAT_UNKNOWN = 0,
    PR_FORMAT_JPEG,
    PR_FORMAT_PNG,
    PR_FORMAT_PNM,
    PR_FORMAT_HEIF,  /* HEIC and other HEIF (libheif) */
    PR_FORMAT_AVIF,  /* AV1 in HEIF (libheif) */
    PR_FORMAT_WEBP,
    PR_FORMAT_TIFF,
    PR_FORMAT_GIF,   /* first frame of an animation */
} pr_image_format;

typedef struct pr_image_load_params {
    uint64_t max_pixels;     /* refuse larger images (default 100 MP); 0 = default */
    int apply_orientation;   /* rotate/flip by EXIF Orientation (default 1) */
    int channels;            /* 0 = as stored, 1 = force grey, 3 = force RGB (default 0) */
    int min_long_side;       /* 0 = full size (default). > 0: a JPEG may come back smaller, scaled
                                by libjpeg-turbo's DCT scaling (M/8) with fast upsampling, to the
                                smallest such size whose long side is still >= this (never below
                                it, never enlarged): a 12 MP photo wanted at 1600 px is never
                                expanded to full size. info.full_width/height keep the full size;
                                other formats decode at full size. */
} pr_image_load_params;

pr_image_load_params pr_image_load_params_default(void);

typedef struct pr_image_info {
    pr_image_format format;
    int stored_width;        /* as in the file, before orientation */
    int stored_height;
    int full_width;          /* oriented size at full scale: the image's own size, unless */
    int full_height;         /* min_long_side made a JPEG decode smaller */
    int orientation;         /* EXIF Orientation 1..8 (1 when absent) */
    int orientation_applied; /* 1 when the pixels were rotated/flipped to undo it */
    int has_datetime;
    char datetime[20];       /* DateTimeOriginal "YYYY:MM:DD HH:MM:SS" when has_datetime */
} pr_image_info;

/* params NULL = defaults; info may be NULL. *out is caller-owned. */
pr_status pr_image_load(const char *path, const pr_image_load_params *params, pr_image **out,
                        pr_image_info *info);
/* Decodes from memory; name is only used in messages. */
pr_status pr_image_decode(const uint8_t *bytes, size_t size, const char *name,
                          const pr_image_load_params *params, pr_image **out, pr_image_info *info);

/* Writes by extension: .jpg/.jpeg (quality 90), .png, .pgm/.ppm/.pnm. Written to a temporary
 * file next to path and renamed, so a reader never sees a half-written image. */
pr_status pr_image_save(const char *path, const pr_image *img);
/* JPEG at the given quality (1..100) into a caller-owned pr_malloc buffer (for reports). */
pr_status pr_image_encode_jpeg(const pr_image *img, int quality, uint8_t **bytes, size_t *size);

const char *pr_image_format_name(pr_image_format format);

/* Reads a whole file into a caller-owned pr_malloc buffer; refuses files above max_bytes
 * (0 = no limit) with PR_ERR_LIMIT. */
pr_status pr_read_file(const char *path, size_t max_bytes, uint8_t **bytes, size_t *size);

#ifdef __cplusplus
}
#endif
#endif

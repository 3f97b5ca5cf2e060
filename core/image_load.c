/* pr_image_load: reads the file, picks the decoder by magic bytes (core/image_sniff.c), applies
 * the orientation and the requested channel count. */
#define _POSIX_C_SOURCE 200809L
#include "core/image.h"

#include "core/alloc.h"
#include "core/fileio.h"
#include "core/image_internal.h"
#include "core/image_sniff.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

enum { PR_DEFAULT_MAX_MEGAPIXELS = 100 };

pr_image_load_params pr_image_load_params_default(void)
{
    pr_image_load_params p;
    p.max_pixels = (uint64_t)PR_DEFAULT_MAX_MEGAPIXELS * 1000000u;
    p.apply_orientation = 1;
    p.channels = 0;
    p.min_long_side = 0;
    return p;
}

pr_status pr_image_check_size(const char *name, long width, long height, uint64_t max_pixels)
{
    if (width <= 0 || height <= 0)
        return pr_set_error(PR_ERR_FORMAT, "%s: invalid image size %ldx%ld", name, width, height);
    if ((uint64_t)width * (uint64_t)height > max_pixels)
        return pr_set_error(PR_ERR_LIMIT,
                            "%s: image is %ldx%ld = %.1f megapixels, above the limit of %.1f",
                            name, width, height, (double)width * (double)height / 1e6,
                            (double)max_pixels / 1e6);
    return PR_OK;
}

pr_status pr_read_file(const char *path, size_t max_bytes, uint8_t **bytes, size_t *size)
{
    /* One reader for the whole tree (core/fileio.h); the NUL it adds is harmless for bytes. */
    char *data = NULL;
    pr_status st = pr_file_read_all(path, max_bytes ? max_bytes : SIZE_MAX - 1, &data, size);
    *bytes = (uint8_t *)data;
    return st;
}

pr_status pr_image_decode(const uint8_t *bytes, size_t size, const char *name,
                          const pr_image_load_params *params_in, pr_image **out,
                          pr_image_info *info_out)
{
    *out = NULL;
    pr_image_load_params params = params_in ? *params_in : pr_image_load_params_default();
    if (params.max_pixels == 0)
        params.max_pixels = pr_image_load_params_default().max_pixels;
    if (params.channels != 0 && params.channels != 1 && params.channels != 3)
        return pr_set_error(PR_ERR_ARG, "channels must be 0, 1 or 3, not %d", params.channels);
    pr_image_info info;
    memset(&info, 0, sizeof info);
    info.orientation = 1;
    if (size == 0)
        return pr_set_error(PR_ERR_FORMAT, "%s: empty file (0 bytes)", name);

    pr_image *img = NULL, *tmp = NULL;
    pr_status st;
    info.format = pr_image_sniff(bytes, size);
    switch (info.format) {
    case PR_FORMAT_JPEG: st = pr_jpeg_decode(bytes, size, name, &params, &img, &info); break;
    case PR_FORMAT_PNG: st = pr_png_decode(bytes, size, name, &params, &img, &info); break;
    case PR_FORMAT_PNM: st = pr_pnm_decode(bytes, size, name, &params, &img, &info); break;
    case PR_FORMAT_HEIF:
    case PR_FORMAT_AVIF: st = pr_heif_decode(bytes, size, name, &params, &img, &info); break;
    case PR_FORMAT_WEBP: st = pr_webp_decode(bytes, size, name, &params, &img, &info); break;
    case PR_FORMAT_TIFF: st = pr_tiff_decode(bytes, size, name, &params, &img, &info); break;
    case PR_FORMAT_GIF: st = pr_gif_decode(bytes, size, name, &params, &img, &info); break;
    default:
        return pr_set_error(PR_ERR_FORMAT,
                            "%s: not a JPEG, PNG, HEIF/HEIC, AVIF, WebP, TIFF, GIF or binary PNM "
                            "image", name);
    }
    if (st != PR_OK)
        return st;
    if (!info.stored_width) { /* HEIF sets it: libheif may have rotated already */
        info.stored_width = img->width;
        info.stored_height = img->height;
    }
    if (!info.full_width) { /* a scaled JPEG decode sets the file's own (stored) size */
        info.full_width = img->width;
        info.full_height = img->height;
    }

    if (params.apply_orientation && !info.orientation_applied && info.orientation > 1 &&
        info.orientation <= 8) {
        st = pr_image_orient(img, info.orientation, &tmp);
        if (st != PR_OK)
            goto fail;
        pr_image_delete(img);
        img = tmp;
        tmp = NULL;
        info.orientation_applied = 1;
        if (info.orientation >= 5) { /* turned a quarter: the full size turns with it */
            int w = info.full_width;
            info.full_width = info.full_height;
            info.full_height = w;
        }
    }
    if (params.channels && params.channels != img->channels) {
        st = params.channels == 1 ? pr_image_to_gray(img, &tmp) : pr_image_to_rgb(img, &tmp);
        if (st != PR_OK)
            goto fail;
        pr_image_delete(img);
        img = tmp;
    }
    *out = img;
    if (info_out)
        *info_out = info;
    return PR_OK;
fail:
    pr_image_delete(img);
    return pr_error_context(st, "%s", name);
}

pr_status pr_image_load(const char *path, const pr_image_load_params *params, pr_image **out,
                        pr_image_info *info)
{
    *out = NULL;
    uint8_t *bytes = NULL;
    size_t size = 0;
    /* A compressed file is far smaller than its pixels; 1 GiB of file is never a photo. */
    pr_status st = pr_read_file(path, (size_t)1 << 30, &bytes, &size);
    if (st != PR_OK)
        return st;
    st = pr_image_decode(bytes, size, path, params, out, info);
    pr_free(bytes);
    return st;
}

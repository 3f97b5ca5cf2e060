/* HEIF/HEIC and AVIF decoding with libheif (Debian 12's libheif1 brings libde265 for HEVC and
 * dav1d/aom for AV1). The primary image is decoded to 8-bit RGB (10-bit iPhone HDR is reduced;
 * alpha dropped, as for PNG). Orientation is HEIF's irot/imir (core/image_heif_orient.c), which
 * libheif applies while decoding; we let it, because it also applies the crop (clap) that must
 * come first, and mark the orientation as applied. With apply_orientation = 0 libheif is told to
 * ignore all transformations, giving the coded pixels. Capture time from the Exif item; its
 * Orientation is ignored (see image_heif_orient.c). */
#include "core/image_internal.h"

#include "core/alloc.h"

#include <string.h>

#ifdef PR_HAVE_HEIF
#include <libheif/heif.h>

static pr_status heif_failed(const char *name, struct heif_error err)
{
    pr_status code = err.code == heif_error_Memory_allocation_error ? PR_ERR_NOMEM
                     : err.code == heif_error_Unsupported_feature ||
                             err.code == heif_error_Unsupported_filetype
                         ? PR_ERR_UNSUPPORTED
                         : PR_ERR_FORMAT;
    return pr_set_error(code, "%s: corrupt or unsupported HEIF: %s", name,
                        err.message ? err.message : "unknown error");
}

/* The Exif item: a 4-byte offset to the TIFF header, then EXIF. Only the time is taken. */
static pr_status read_time(const struct heif_image_handle *h, pr_image_info *info)
{
    heif_item_id id;
    if (heif_image_handle_get_list_of_metadata_block_IDs(h, "Exif", &id, 1) < 1)
        return PR_OK;
    size_t size = heif_image_handle_get_metadata_size(h, id);
    if (size < 8 || size > 0xFFFF + 4)
        return PR_OK;
    uint8_t *buf = pr_malloc(size);
    if (!buf)
        return pr_set_error(PR_ERR_NOMEM, "out of memory reading EXIF");
    pr_status st = PR_OK;
    struct heif_error err = heif_image_handle_get_metadata(h, id, buf);
    size_t offset = (size_t)buf[0] << 24 | (size_t)buf[1] << 16 | (size_t)buf[2] << 8 | buf[3];
    if (err.code == heif_error_Ok && offset < size - 4) {
        pr_image_info exif = *info;
        st = pr_exif_read_payload(buf + 4 + offset, size - 4 - offset, &exif);
        memcpy(info->datetime, exif.datetime, sizeof info->datetime);
        info->has_datetime = exif.has_datetime;
    }
    pr_free(buf);
    return st;
}

static pr_status copy_pixels(const struct heif_image *himg, const char *name, pr_image **out)
{
    int stride = 0;
    const uint8_t *plane = heif_image_get_plane_readonly(himg, heif_channel_interleaved, &stride);
    int w = heif_image_get_width(himg, heif_channel_interleaved);
    int h = heif_image_get_height(himg, heif_channel_interleaved);
    if (!plane || w <= 0 || h <= 0 || stride < w * 3)
        return pr_set_error(PR_ERR_FORMAT, "%s: corrupt HEIF: no RGB plane", name);
    pr_status st = pr_image_new(w, h, 3, out);
    for (int y = 0; st == PR_OK && y < h; y++)
        memcpy(pr_image_row(*out, y), plane + (size_t)y * (size_t)stride, (size_t)w * 3);
    return st;
}

static pr_status decode_primary(struct heif_context *ctx, const char *name,
                                const pr_image_load_params *params, pr_image **out,
                                pr_image_info *info)
{
    struct heif_image_handle *h = NULL;
    struct heif_image *himg = NULL;
    struct heif_error err = heif_context_get_primary_image_handle(ctx, &h);
    if (err.code != heif_error_Ok)
        return heif_failed(name, err);
    /* ispe: the coded size, known before anything is decoded. */
    pr_status st = pr_image_check_size(name, heif_image_handle_get_ispe_width(h),
                                       heif_image_handle_get_ispe_height(h), params->max_pixels);
    if (st == PR_OK)
        st = read_time(h, info);
    struct heif_decoding_options *opts = st == PR_OK ? heif_decoding_options_alloc() : NULL;
    if (st == PR_OK && !opts)
        st = pr_set_error(PR_ERR_NOMEM, "%s: out of memory starting the HEIF decoder", name);
    if (st == PR_OK) {
        opts->ignore_transformations = params->apply_orientation ? 0 : 1;
        opts->convert_hdr_to_8bit = 1;
        opts->strict_decoding = 1; /* a truncated file is an error, not a grey-padded photo */
        err = heif_decode_image(h, &himg, heif_colorspace_RGB, heif_chroma_interleaved_RGB, opts);
        st = err.code == heif_error_Ok ? copy_pixels(himg, name, out) : heif_failed(name, err);
    }
    heif_decoding_options_free(opts);
    heif_image_release(himg);
    heif_image_handle_release(h);
    return st;
}

pr_status pr_heif_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    *out = NULL;
    struct heif_context *ctx = heif_context_alloc();
    if (!ctx)
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory starting the HEIF reader", name);
    struct heif_error err = heif_context_read_from_memory_without_copy(ctx, bytes, size, NULL);
    pr_status st = err.code == heif_error_Ok ? decode_primary(ctx, name, params, out, info)
                                             : heif_failed(name, err);
    heif_context_free(ctx);
    if (st != PR_OK)
        return st;
    info->orientation = pr_heif_orientation(bytes, size);
    if (params->apply_orientation && info->orientation > 1) {
        /* libheif rotated it: the stored frame is the displayed one turned back. */
        int swap = info->orientation >= 5;
        info->stored_width = swap ? (*out)->height : (*out)->width;
        info->stored_height = swap ? (*out)->width : (*out)->height;
        info->orientation_applied = 1;
    }
    return PR_OK;
}

#else /* !PR_HAVE_HEIF */

pr_status pr_heif_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)bytes, (void)size, (void)params, (void)info;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED,
                        "%s: this personrec was built without HEIF/AVIF support", name);
}
#endif

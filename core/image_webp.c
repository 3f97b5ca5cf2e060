/* WebP decoding with libwebp: stills decode straight into the image; animations (libwebpdemux's
 * WebPAnimDecoder) give their first frame. Orientation and capture time come from the EXIF chunk
 * (WebP has no orientation of its own). libwebp returns errors, it never longjmps or exits. */
#include "core/image_internal.h"

#include "core/alloc.h"

#include <string.h>

#ifdef PR_HAVE_WEBP
#include <webp/decode.h>
#include <webp/demux.h>

static pr_status read_exif(const uint8_t *bytes, size_t size, pr_image_info *info)
{
    WebPData data = {bytes, size};
    WebPDemuxer *demux = WebPDemux(&data);
    if (!demux)
        return PR_OK; /* the decode below names what is wrong */
    pr_status st = PR_OK;
    WebPChunkIterator chunk;
    if ((WebPDemuxGetI(demux, WEBP_FF_FORMAT_FLAGS) & EXIF_FLAG) &&
        WebPDemuxGetChunk(demux, "EXIF", 1, &chunk)) {
        st = pr_exif_read_payload(chunk.chunk.bytes, chunk.chunk.size, info);
        WebPDemuxReleaseChunkIterator(&chunk);
    }
    WebPDemuxDelete(demux);
    return st;
}

static pr_status first_frame(const uint8_t *bytes, size_t size, const char *name, pr_image *img)
{
    WebPAnimDecoderOptions opts;
    if (!WebPAnimDecoderOptionsInit(&opts))
        return pr_set_error(PR_ERR_UNSUPPORTED, "%s: libwebp version mismatch", name);
    opts.color_mode = MODE_RGBA;
    opts.use_threads = 0;
    WebPData data = {bytes, size};
    WebPAnimDecoder *dec = WebPAnimDecoderNew(&data, &opts);
    if (!dec)
        return pr_set_error(PR_ERR_FORMAT, "%s: corrupt WebP: cannot read the animation", name);
    WebPAnimInfo anim;
    uint8_t *rgba = NULL;
    int timestamp = 0;
    pr_status st = PR_OK;
    if (!WebPAnimDecoderGetInfo(dec, &anim) || (int)anim.canvas_width != img->width ||
        (int)anim.canvas_height != img->height || !WebPAnimDecoderGetNext(dec, &rgba, &timestamp))
        st = pr_set_error(PR_ERR_FORMAT, "%s: corrupt WebP: no first frame", name);
    for (int y = 0; st == PR_OK && y < img->height; y++) {
        const uint8_t *src = rgba + (size_t)y * (size_t)img->width * 4;
        uint8_t *dst = pr_image_row(img, y);
        for (int x = 0; x < img->width; x++, src += 4, dst += 3)
            memcpy(dst, src, 3); /* alpha dropped, as for PNG */
    }
    WebPAnimDecoderDelete(dec);
    return st;
}

pr_status pr_webp_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    WebPBitstreamFeatures features;
    pr_image *img = NULL;
    *out = NULL;
    if (WebPGetFeatures(bytes, size, &features) != VP8_STATUS_OK)
        return pr_set_error(PR_ERR_FORMAT, "%s: corrupt WebP: unreadable header", name);
    pr_status st = pr_image_check_size(name, features.width, features.height, params->max_pixels);
    if (st == PR_OK)
        st = read_exif(bytes, size, info);
    if (st == PR_OK)
        st = pr_image_new(features.width, features.height, 3, &img);
    if (st != PR_OK)
        return st;
    if (features.has_animation)
        st = first_frame(bytes, size, name, img);
    else if (!WebPDecodeRGBInto(bytes, size, img->data, img->stride * (size_t)img->height,
                                (int)img->stride))
        st = pr_set_error(PR_ERR_FORMAT, "%s: corrupt or truncated WebP", name);
    if (st != PR_OK) {
        pr_image_delete(img);
        return st;
    }
    *out = img;
    return PR_OK;
}

#else /* !PR_HAVE_WEBP */

pr_status pr_webp_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)bytes, (void)size, (void)params, (void)info;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: this personrec was built without WebP support",
                        name);
}
#endif

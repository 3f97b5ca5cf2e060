/* See format_encoders.h. Test code: failures print the library's message and return -1. */
#include "tests/core/format_encoders.h"

#include <gif_lib.h>
#include <libheif/heif.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <tiffio.h>
#include <webp/encode.h>
#include <webp/mux.h>

static void put16(uint8_t *p, unsigned v) { p[0] = (uint8_t)v, p[1] = (uint8_t)(v >> 8); }
static void put32(uint8_t *p, uint32_t v) { put16(p, v & 0xFFFF), put16(p + 2, v >> 16); }

static void entry(uint8_t *p, unsigned tag, unsigned type, uint32_t count, uint32_t value)
{
    put16(p, tag), put16(p + 2, type), put32(p + 4, count), put32(p + 8, value);
}

size_t fx_exif(uint8_t buf[96], int orientation, const char *datetime)
{
    memset(buf, 0, 96);
    memcpy(buf, "II*\0", 4);
    put32(buf + 4, 8);
    put16(buf + 8, 2);                       /* IFD0: Orientation, ExifIFD pointer */
    entry(buf + 10, 0x0112, 3, 1, (uint32_t)orientation);
    entry(buf + 22, 0x8769, 4, 1, 38);       /* next-IFD link (0) at 34 */
    put16(buf + 38, datetime ? 1 : 0);       /* Exif IFD at 38 */
    entry(buf + 40, 0x9003, 2, 20, 56);      /* next-IFD link (0) at 52 */
    if (datetime)
        memcpy(buf + 56, datetime, 19);
    return 76;
}

static int write_bytes(const char *path, const uint8_t *bytes, size_t n)
{
    FILE *f = fopen(path, "wb");
    int ok = f && fwrite(bytes, 1, n, f) == n;
    if (f && fclose(f) != 0)
        ok = 0;
    return ok ? 0 : -1;
}

int fx_write_webp(const char *path, const pr_image *rgb, int lossless, int quality,
                  const uint8_t *exif, size_t exif_size)
{
    uint8_t *out = NULL;
    size_t n = lossless ? WebPEncodeLosslessRGB(rgb->data, rgb->width, rgb->height,
                                                (int)rgb->stride, &out)
                        : WebPEncodeRGB(rgb->data, rgb->width, rgb->height, (int)rgb->stride,
                                        (float)quality, &out);
    if (n == 0)
        return -1;
    int rc = 0;
    if (exif) {
        WebPData image = {out, n}, chunk = {exif, exif_size}, assembled = {NULL, 0};
        WebPMux *mux = WebPMuxCreate(&image, 1);
        rc = mux && WebPMuxSetChunk(mux, "EXIF", &chunk, 1) == WEBP_MUX_OK &&
                     WebPMuxAssemble(mux, &assembled) == WEBP_MUX_OK
                 ? write_bytes(path, assembled.bytes, assembled.size)
                 : -1;
        WebPMuxDelete(mux);
        WebPDataClear(&assembled);
    } else {
        rc = write_bytes(path, out, n);
    }
    WebPFree(out);
    return rc;
}

static int add_frame(WebPAnimEncoder *enc, const pr_image *img, int timestamp)
{
    WebPConfig config;
    WebPPicture pic;
    if (!WebPConfigInit(&config) || !WebPPictureInit(&pic))
        return 0;
    config.lossless = 1;
    pic.use_argb = 1;
    pic.width = img->width;
    pic.height = img->height;
    int ok = WebPPictureImportRGB(&pic, img->data, (int)img->stride) &&
             WebPAnimEncoderAdd(enc, &pic, timestamp, &config);
    WebPPictureFree(&pic);
    return ok;
}

int fx_write_webp_anim(const char *path, const pr_image *first, const pr_image *second)
{
    WebPAnimEncoderOptions opts;
    WebPData data = {NULL, 0};
    if (!WebPAnimEncoderOptionsInit(&opts))
        return -1;
    WebPAnimEncoder *enc = WebPAnimEncoderNew(first->width, first->height, &opts);
    int ok = enc && add_frame(enc, first, 0) && add_frame(enc, second, 100) &&
             WebPAnimEncoderAdd(enc, NULL, 200, NULL) && WebPAnimEncoderAssemble(enc, &data);
    int rc = ok ? write_bytes(path, data.bytes, data.size) : -1;
    WebPAnimEncoderDelete(enc);
    WebPDataClear(&data);
    return rc;
}

int fx_write_tiff(const char *path, const pr_image *rgb, int orientation, const char *datetime)
{
    TIFF *tif = TIFFOpen(path, "w");
    if (!tif)
        return -1;
    TIFFSetField(tif, TIFFTAG_IMAGEWIDTH, (uint32_t)rgb->width);
    TIFFSetField(tif, TIFFTAG_IMAGELENGTH, (uint32_t)rgb->height);
    TIFFSetField(tif, TIFFTAG_SAMPLESPERPIXEL, 3);
    TIFFSetField(tif, TIFFTAG_BITSPERSAMPLE, 8);
    TIFFSetField(tif, TIFFTAG_PHOTOMETRIC, PHOTOMETRIC_RGB);
    TIFFSetField(tif, TIFFTAG_PLANARCONFIG, PLANARCONFIG_CONTIG);
    TIFFSetField(tif, TIFFTAG_COMPRESSION, COMPRESSION_ADOBE_DEFLATE);
    TIFFSetField(tif, TIFFTAG_ROWSPERSTRIP, 16);
    TIFFSetField(tif, TIFFTAG_ORIENTATION, (uint16_t)orientation);
    if (datetime)
        TIFFSetField(tif, TIFFTAG_DATETIME, datetime);
    int ok = 1;
    for (int y = 0; ok && y < rgb->height; y++)
        ok = TIFFWriteScanline(tif, pr_image_row(rgb, y), (uint32_t)y, 0) == 1;
    TIFFClose(tif);
    return ok ? 0 : -1;
}

static int cube_level(int v) { return (v * 5 + 127) / 255; }

pr_image *fx_quantize(const pr_image *rgb)
{
    pr_image *q = NULL;
    if (pr_image_clone(rgb, &q) != PR_OK)
        return NULL;
    for (int y = 0; y < q->height; y++)
        for (int x = 0; x < q->width * 3; x++)
            pr_image_row(q, y)[x] = (uint8_t)(cube_level(pr_image_row(q, y)[x]) * 51);
    return q;
}

int fx_write_gif(const char *path, const pr_image *const *frames, int n)
{
    int err = 0;
    GifFileType *gif = EGifOpenFileName(path, 0, &err);
    ColorMapObject *map = GifMakeMapObject(256, NULL);
    GifPixelType *line = NULL;
    int ok = gif && map;
    if (ok) {
        for (int i = 0; i < 256; i++) {
            int c = i < 216 ? i : 0;
            map->Colors[i] = (GifColorType){(GifByteType)(c / 36 * 51),
                                            (GifByteType)(c / 6 % 6 * 51), (GifByteType)(c % 6 * 51)};
        }
        EGifSetGifVersion(gif, 1);
        ok = EGifPutScreenDesc(gif, frames[0]->width, frames[0]->height, 8, 0, map) == GIF_OK;
        line = ok ? malloc((size_t)frames[0]->width) : NULL;
        ok = line != NULL;
    }
    for (int f = 0; ok && f < n; f++) {
        ok = EGifPutImageDesc(gif, 0, 0, frames[f]->width, frames[f]->height, 0, NULL) == GIF_OK;
        for (int y = 0; ok && y < frames[f]->height; y++) {
            const uint8_t *p = pr_image_row(frames[f], y);
            for (int x = 0; x < frames[f]->width; x++, p += 3)
                line[x] = (GifPixelType)(p[0] / 51 * 36 + p[1] / 51 * 6 + p[2] / 51);
            ok = EGifPutLine(gif, line, frames[f]->width) == GIF_OK;
        }
    }
    free(line);
    GifFreeMapObject(map);
    if (gif && EGifCloseFile(gif, &err) != GIF_OK)
        ok = 0;
    return ok ? 0 : -1;
}

static int heif_check(struct heif_error err, const char *what)
{
    if (err.code == heif_error_Ok)
        return 1;
    fprintf(stderr, "fx_write_heif: %s: %s\n", what, err.message);
    return 0;
}

int fx_write_heif(const char *path, const pr_image *rgb, int avif, int quality, int orientation,
                  const uint8_t *exif, size_t exif_size)
{
    struct heif_context *ctx = heif_context_alloc();
    struct heif_encoder *enc = NULL;
    struct heif_image *img = NULL;
    struct heif_image_handle *handle = NULL;
    struct heif_encoding_options *opts = heif_encoding_options_alloc();
    int ok = ctx && opts &&
             heif_check(heif_context_get_encoder_for_format(
                            ctx, avif ? heif_compression_AV1 : heif_compression_HEVC, &enc),
                        "encoder") &&
             heif_check(heif_image_create(rgb->width, rgb->height, heif_colorspace_RGB,
                                          heif_chroma_interleaved_RGB, &img),
                        "image") &&
             heif_check(heif_image_add_plane(img, heif_channel_interleaved, rgb->width,
                                             rgb->height, 8),
                        "plane");
    if (ok) {
        int stride = 0;
        uint8_t *plane = heif_image_get_plane(img, heif_channel_interleaved, &stride);
        for (int y = 0; y < rgb->height; y++)
            memcpy(plane + (size_t)y * (size_t)stride, pr_image_row(rgb, y), (size_t)rgb->width * 3);
        heif_encoder_set_lossy_quality(enc, quality);
        if (avif) /* aom's default speed takes seconds per small image */
            heif_encoder_set_parameter_integer(enc, "speed", 8);
        opts->image_orientation = (enum heif_orientation)orientation;
        ok = heif_check(heif_context_encode_image(ctx, img, enc, opts, &handle), "encode") &&
             (!exif || heif_check(heif_context_add_exif_metadata(ctx, handle, exif, (int)exif_size),
                                  "exif")) &&
             heif_check(heif_context_write_to_file(ctx, path), "write");
    }
    heif_image_handle_release(handle);
    heif_image_release(img);
    if (enc)
        heif_encoder_release(enc);
    heif_encoding_options_free(opts);
    if (ctx)
        heif_context_free(ctx);
    return ok ? 0 : -1;
}

/* LeakSanitizer hook (read only in sanitizer builds): Debian 12's libx265 (3.5), the HEIC
 * encoder these fixtures use, leaks about 1 KiB per encoder it creates. personrec never encodes
 * HEIC, so this names that library only; a leak in the decoders would still be reported. */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void) { return "leak:libx265.so\n"; }

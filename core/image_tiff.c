/* TIFF decoding with libtiff's RGBA interface, which handles every photometric/compression
 * libtiff knows (strips or tiles, palette, grey, YCbCr, JPEG-in-TIFF, 16 bit). Orientation is
 * TIFF's own tag 274 (the same values as EXIF, which borrowed it); we ask libtiff for the stored
 * order and let the loader apply it like for every format. Capture time: DateTimeOriginal from
 * the EXIF sub-IFD, else the IFD's DateTime (scanners and raw converters write only that).
 * Errors go to a per-call handler (TIFFOpenOptions, libtiff >= 4.5), never to stderr. */
#include "core/image_internal.h"

#include "core/alloc.h"
#include "core/exif_time.h"

#include <stdarg.h>
#include <string.h>

#ifdef PR_HAVE_TIFF
#include <tiffio.h>

typedef struct {
    const uint8_t *bytes;
    uint64_t size, pos;
    char message[256];
} pr_tiff_source;

static tmsize_t read_proc(thandle_t h, void *buf, tmsize_t n)
{
    pr_tiff_source *s = h;
    uint64_t left = s->pos < s->size ? s->size - s->pos : 0;
    if (n < 0)
        return -1;
    if ((uint64_t)n > left)
        n = (tmsize_t)left;
    memcpy(buf, s->bytes + s->pos, (size_t)n);
    s->pos += (uint64_t)n;
    return n;
}

static tmsize_t write_proc(thandle_t h, void *buf, tmsize_t n) { (void)h, (void)buf, (void)n; return -1; }

static toff_t seek_proc(thandle_t h, toff_t off, int whence)
{
    pr_tiff_source *s = h;
    uint64_t base = whence == SEEK_CUR ? s->pos : whence == SEEK_END ? s->size : 0;
    if (off > UINT64_MAX - base)
        return (toff_t)-1;
    s->pos = base + off; /* past the end is allowed; reads there return nothing */
    return s->pos;
}

static int close_proc(thandle_t h) { (void)h; return 0; }
static toff_t size_proc(thandle_t h) { return ((pr_tiff_source *)h)->size; }
static int map_proc(thandle_t h, void **base, toff_t *size) { (void)h, (void)base, (void)size; return 0; }
static void unmap_proc(thandle_t h, void *base, toff_t size) { (void)h, (void)base, (void)size; }

/* libtiff hands us its own printf format: it cannot be a literal, and the callback type cannot
 * carry a format attribute, so clang's -Wformat-nonliteral is silenced here only. */
#if defined(__clang__)
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat-nonliteral"
#endif
static int on_error(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)tif, (void)module;
    pr_tiff_source *s = user;
    if (s->message[0] == '\0') /* the first error is the cause; later ones are consequences */
        vsnprintf(s->message, sizeof s->message, fmt, ap);
    return 1;
}
#if defined(__clang__)
#pragma clang diagnostic pop
#endif

static int on_warning(TIFF *tif, void *user, const char *module, const char *fmt, va_list ap)
{
    (void)tif, (void)user, (void)module, (void)fmt, (void)ap;
    return 1; /* unknown tags and the like: the pixels decide */
}

static TIFF *open_memory(pr_tiff_source *src)
{
    TIFFOpenOptions *opts = TIFFOpenOptionsAlloc();
    if (!opts)
        return NULL;
    TIFFOpenOptionsSetErrorHandlerExtR(opts, on_error, src);
    TIFFOpenOptionsSetWarningHandlerExtR(opts, on_warning, src);
    /* One strip or tag never needs more than this for a photo; hostile counts stop here. */
    TIFFOpenOptionsSetMaxSingleMemAlloc(opts, (tmsize_t)256 << 20);
    TIFF *tif = TIFFClientOpenExt("memory", "rm", src, read_proc, write_proc, seek_proc,
                                  close_proc, size_proc, map_proc, unmap_proc, opts);
    TIFFOpenOptionsFree(opts);
    return tif;
}

static void read_time(TIFF *tif, pr_image_info *info)
{
    char *text = NULL;
    double seconds;
    toff_t exif = 0;
    char datetime[20] = "";
    if (TIFFGetField(tif, TIFFTAG_DATETIME, &text) && text && strlen(text) == 19)
        memcpy(datetime, text, 20);
    if (TIFFGetField(tif, TIFFTAG_EXIFIFD, &exif) && exif && TIFFReadEXIFDirectory(tif, exif) &&
        TIFFGetField(tif, EXIFTAG_DATETIMEORIGINAL, &text) && text && strlen(text) == 19)
        memcpy(datetime, text, 20);
    if (datetime[0] && pr_exif_time_seconds(datetime, &seconds) == 0) {
        memcpy(info->datetime, datetime, 20);
        info->has_datetime = 1;
    }
}

/* ABGR raster (libtiff's packing) to the image's RGB rows. */
static void copy_raster(const uint32_t *raster, pr_image *img)
{
    for (int y = 0; y < img->height; y++) {
        uint8_t *dst = pr_image_row(img, y);
        const uint32_t *src = raster + (size_t)y * (size_t)img->width;
        for (int x = 0; x < img->width; x++, dst += 3) {
            dst[0] = (uint8_t)TIFFGetR(src[x]);
            dst[1] = (uint8_t)TIFFGetG(src[x]);
            dst[2] = (uint8_t)TIFFGetB(src[x]);
        }
    }
}

/* Checked against the data before allocating: every strip (or tile) the image needs must be in
 * the file. A header claiming 9999 x 9999 pixels over a small photo's few strips leaves the
 * missing ones with no bytes, and a file cut short ends inside one; libtiff would read either as
 * nothing and the photo would be decoded, blank where the data is not, into a 100 MP image. */
static pr_status check_strips(TIFF *tif, uint64_t size, const char *name, uint32_t w, uint32_t h)
{
    int tiled = TIFFIsTiled(tif);
    uint32_t n = tiled ? TIFFNumberOfTiles(tif) : TIFFNumberOfStrips(tif);
    for (uint32_t i = 0; i < n; i++) {
        int err = 0;
        uint64_t off = TIFFGetStrileOffsetWithErr(tif, i, &err);
        uint64_t count = TIFFGetStrileByteCountWithErr(tif, i, &err);
        if (!err && count > 0 && off <= size && count <= size - off)
            continue;
        return pr_set_error(
            PR_ERR_FORMAT, "%s: corrupt or truncated TIFF: %s %u of %u (for %ux%u pixels) is %s",
            name, tiled ? "tile" : "strip", (unsigned)i + 1, (unsigned)n, (unsigned)w, (unsigned)h,
            count == 0 || err ? "missing" : "past the end of the file");
    }
    return PR_OK;
}

static pr_status decode_pixels(TIFF *tif, pr_tiff_source *src, const char *name,
                               const pr_image_load_params *params, pr_image **out)
{
    TIFFRGBAImage rgba;
    char why[1024] = "";
    uint32_t *raster = NULL;
    pr_image *img = NULL;
    /* Stop on error: a strip that does not decode makes the photo corrupt, as in every other
     * format, rather than a photo with a blank band where a face may have been. */
    if (!TIFFRGBAImageOK(tif, why) || !TIFFRGBAImageBegin(&rgba, tif, 1, why))
        return pr_set_error(PR_ERR_FORMAT, "%s: unsupported or corrupt TIFF: %s", name,
                            why[0] ? why : src->message);
    pr_status st =
        pr_image_check_size(name, (long)rgba.width, (long)rgba.height, params->max_pixels);
    if (st == PR_OK)
        st = check_strips(tif, src->size, name, rgba.width, rgba.height);
    if (st == PR_OK)
        st = pr_image_new((int)rgba.width, (int)rgba.height, 3, &img);
    if (st == PR_OK && !(raster = pr_malloc_array((size_t)rgba.width * rgba.height, 4)))
        st = pr_set_error(PR_ERR_NOMEM, "%s: out of memory decoding TIFF", name);
    /* Asking for the file's own orientation means "no flips": the stored order, top row first. */
    rgba.req_orientation = rgba.orientation;
    if (st == PR_OK && !TIFFRGBAImageGet(&rgba, raster, rgba.width, rgba.height))
        st = pr_set_error(PR_ERR_FORMAT, "%s: corrupt or truncated TIFF: %s", name,
                          src->message[0] ? src->message : "unreadable pixel data");
    if (st == PR_OK)
        copy_raster(raster, img);
    TIFFRGBAImageEnd(&rgba);
    pr_free(raster);
    if (st != PR_OK)
        pr_image_delete(img);
    else
        *out = img;
    return st;
}

pr_status pr_tiff_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    pr_tiff_source src = {bytes, size, 0, ""};
    *out = NULL;
    TIFF *tif = open_memory(&src);
    if (!tif)
        return pr_set_error(PR_ERR_FORMAT, "%s: corrupt TIFF: %s", name,
                            src.message[0] ? src.message : "unreadable header");
    uint16_t orientation = 1;
    if (TIFFGetField(tif, TIFFTAG_ORIENTATION, &orientation) && orientation >= 1 &&
        orientation <= 8)
        info->orientation = orientation;
    pr_status st = decode_pixels(tif, &src, name, params, out);
    if (st == PR_OK)
        read_time(tif, info);
    TIFFClose(tif);
    return st;
}

#else /* !PR_HAVE_TIFF */

pr_status pr_tiff_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)bytes, (void)size, (void)params, (void)info;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: this personrec was built without TIFF support",
                        name);
}
#endif

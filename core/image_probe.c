/* Image size from the header (see image_probe.h): libjpeg's jpeg_read_header stops at the first
 * scan and libpng's png_read_info at the first IDAT, so no pixel data is decoded; PNM headers are
 * a few decimal numbers, parsed here. A JPEG's EXIF orientation comes from the APP1 marker that
 * jpeg_read_header passes on the way, read by the loader's own EXIF reader. Hostile files: both
 * libraries report errors through a longjmp back into the probe, and the sizes are checked before
 * being returned. */
#include "core/image_probe.h"

#include "core/image.h"
#include "core/image_internal.h"

#include <errno.h>
#include <setjmp.h>
#include <stdio.h>
#include <string.h>

#if PR_HAVE_JPEG
#include <jpeglib.h>
#endif
#if PR_HAVE_PNG
#include <png.h>
#endif

#if PR_HAVE_JPEG
typedef struct probe_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
} probe_jpeg_error;

static void jpeg_on_error(j_common_ptr cinfo)
{
    longjmp(((probe_jpeg_error *)cinfo->err)->jump, 1);
}

static void jpeg_on_message(j_common_ptr cinfo, int level)
{
    (void)cinfo, (void)level; /* warnings do not matter for the size */
}

static pr_status jpeg_probe(FILE *f, const char *path, int *w, int *h, int *orientation)
{
    struct jpeg_decompress_struct cinfo;
    probe_jpeg_error err;
    cinfo.err = jpeg_std_error(&err.base);
    err.base.error_exit = jpeg_on_error;
    err.base.emit_message = jpeg_on_message;
    if (setjmp(err.jump)) {
        jpeg_destroy_decompress(&cinfo);
        return pr_set_error(PR_ERR_FORMAT, "%s: JPEG without a readable frame header", path);
    }
    jpeg_create_decompress(&cinfo);
    jpeg_stdio_src(&cinfo, f);
    if (orientation) /* the EXIF block is kept only when it is asked for */
        jpeg_save_markers(&cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(&cinfo, TRUE);
    *w = (int)cinfo.image_width;
    *h = (int)cinfo.image_height;
    for (jpeg_saved_marker_ptr m = orientation ? cinfo.marker_list : NULL; m; m = m->next)
        if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 &&
            memcmp(m->data, "Exif\0\0", 6) == 0) {
            char datetime[20];
            int has_datetime = 0;
            pr_exif_read(m->data, m->data_length, orientation, datetime, &has_datetime);
            break; /* the first EXIF block, as the loader */
        }
    jpeg_destroy_decompress(&cinfo);
    return PR_OK;
}
#endif

#if PR_HAVE_PNG
static void png_on_error(png_structp png, png_const_charp msg)
{
    (void)msg;
    png_longjmp(png, 1);
}

static void png_on_warning(png_structp png, png_const_charp msg) { (void)png, (void)msg; }

static pr_status png_probe(FILE *f, const char *path, int *w, int *h)
{
    png_structp png = png_create_read_struct(PNG_LIBPNG_VER_STRING, NULL, png_on_error,
                                             png_on_warning);
    png_infop info = png ? png_create_info_struct(png) : NULL;
    if (!info) {
        png_destroy_read_struct(&png, NULL, NULL);
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory starting the PNG reader", path);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_read_struct(&png, &info, NULL);
        return pr_set_error(PR_ERR_FORMAT, "%s: bad PNG header", path);
    }
    png_set_chunk_malloc_max(png, 8u << 20);
    png_init_io(png, f);
    png_read_info(png, info);
    *w = (int)png_get_image_width(png, info);
    *h = (int)png_get_image_height(png, info);
    png_destroy_read_struct(&png, &info, NULL);
    return PR_OK;
}
#endif

static int pnm_int(FILE *f, int *out)
{
    int c = fgetc(f);
    for (;;) {
        while (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            c = fgetc(f);
        if (c != '#')
            break;
        while (c != EOF && c != '\n')
            c = fgetc(f);
    }
    if (c < '0' || c > '9')
        return 0;
    long v = 0;
    while (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        if (v > 1000000000L)
            return 0;
        c = fgetc(f);
    }
    *out = (int)v;
    return 1;
}

/* HEIF/AVIF, WebP, TIFF and GIF keep their size in containers each library parses its own way, so
 * they are decoded through the one loader, orientation not applied (the stored size): slower than
 * a header read, but one code path for every format the loader knows. */
static pr_status probe_by_decoding(const char *path, int *w, int *h, int *orientation)
{
    pr_image_load_params params = pr_image_load_params_default();
    params.apply_orientation = 0;
    pr_image *img = NULL;
    pr_image_info info;
    pr_status st = pr_image_load(path, &params, &img, &info);
    if (st == PR_OK) {
        *w = info.stored_width;
        *h = info.stored_height;
        if (orientation)
            *orientation = info.orientation;
    }
    pr_image_delete(img);
    return st;
}

/* orientation may be NULL (not wanted); it is left alone where the format has none. */
static pr_status probe_open(FILE *f, const char *path, int *w, int *h, int *orientation)
{
    unsigned char m[8];
    size_t got = fread(m, 1, sizeof m, f);
    rewind(f);
    if (got >= 3 && m[0] == 0xFF && m[1] == 0xD8 && m[2] == 0xFF) {
#if PR_HAVE_JPEG
        return jpeg_probe(f, path, w, h, orientation);
#else
        return pr_set_error(PR_ERR_UNSUPPORTED, "%s: JPEG support not built in", path);
#endif
    }
    if (got == 8 && memcmp(m, "\x89PNG\r\n\x1a\n", 8) == 0) {
#if PR_HAVE_PNG
        return png_probe(f, path, w, h);
#else
        return pr_set_error(PR_ERR_UNSUPPORTED, "%s: PNG support not built in", path);
#endif
    }
    if (got >= 2 && m[0] == 'P' && (m[1] == '5' || m[1] == '6')) {
        fseek(f, 2, SEEK_SET);
        if (pnm_int(f, w) && pnm_int(f, h))
            return PR_OK;
        return pr_set_error(PR_ERR_FORMAT, "%s: bad PNM header", path);
    }
    return probe_by_decoding(path, w, h, orientation);
}

static pr_status probe(const char *path, int *width, int *height, int *orientation)
{
    *width = *height = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    int w = 0, h = 0, o = 1;
    pr_status st = probe_open(f, path, &w, &h, orientation ? &o : NULL);
    fclose(f);
    if (st == PR_OK && (w <= 0 || h <= 0))
        st = pr_set_error(PR_ERR_FORMAT, "%s: image size %dx%d", path, w, h);
    if (st == PR_OK) {
        *width = w;
        *height = h;
        if (orientation)
            *orientation = o >= 1 && o <= 8 ? o : 1;
    }
    return st;
}

pr_status pr_image_probe(const char *path, int *width, int *height)
{
    if (!path || !width || !height)
        return pr_set_error(PR_ERR_ARG, "pr_image_probe: bad argument");
    return probe(path, width, height, NULL);
}

pr_status pr_image_probe_orientation(const char *path, int *width, int *height, int *orientation)
{
    if (!path || !width || !height || !orientation)
        return pr_set_error(PR_ERR_ARG, "pr_image_probe_orientation: bad argument");
    *orientation = 1;
    return probe(path, width, height, orientation);
}

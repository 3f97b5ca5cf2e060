/* PNG decoding and encoding with libpng. libpng reports errors by longjmp (png_error); we catch
 * them and return PR_ERR_FORMAT. CRC errors in critical chunks are errors (libpng's default). */
#include "core/image_internal.h"

#include "core/alloc.h"

#include <string.h>

#ifdef PR_HAVE_PNG
#include <png.h>

typedef struct {
    const uint8_t *bytes;
    size_t size;
    size_t pos;
} pr_png_source;

typedef struct {
    char message[256];
} pr_png_errors;

static void read_from_memory(png_structp png, png_bytep out, png_size_t n)
{
    pr_png_source *src = png_get_io_ptr(png);
    if (n > src->size - src->pos)
        png_error(png, "unexpected end of file (truncated PNG)");
    memcpy(out, src->bytes + src->pos, n);
    src->pos += n;
}

static void on_error(png_structp png, png_const_charp msg)
{
    pr_png_errors *errs = png_get_error_ptr(png);
    snprintf(errs->message, sizeof errs->message, "%s", msg);
    png_longjmp(png, 1);
}

static void on_warning(png_structp png, png_const_charp msg) { (void)png, (void)msg; }

/* Common setup: reader with our error handler and memory source, header read, size checked.
 * Returns PR_OK or an error with the message set. */
typedef struct {
    png_structp png;
    png_infop info;
    pr_png_source src;
    pr_png_errors errs;
} pr_png_reader;

static pr_status open_reader(pr_png_reader *r, const uint8_t *bytes, size_t size, const char *name)
{
    memset(r, 0, sizeof *r);
    r->src.bytes = bytes;
    r->src.size = size;
    r->png = png_create_read_struct(PNG_LIBPNG_VER_STRING, &r->errs, on_error, on_warning);
    if (!r->png)
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory starting the PNG reader", name);
    r->info = png_create_info_struct(r->png);
    if (!r->info) {
        png_destroy_read_struct(&r->png, NULL, NULL);
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory starting the PNG reader", name);
    }
    png_set_read_fn(r->png, &r->src, read_from_memory);
    /* Bounds on ancillary chunk memory so a hostile file cannot make libpng allocate gigabytes. */
    png_set_chunk_malloc_max(r->png, 8u << 20);
    return PR_OK;
}

pr_status pr_png_decode(const uint8_t *bytes, size_t size, const char *name,
                        const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)info;
    pr_png_reader r;
    pr_image *volatile img = NULL;
    pr_status st = open_reader(&r, bytes, size, name);
    *out = NULL;
    if (st != PR_OK)
        return st;
    if (setjmp(png_jmpbuf(r.png))) {
        png_destroy_read_struct(&r.png, &r.info, NULL);
        pr_image_delete(img);
        return pr_set_error(PR_ERR_FORMAT, "%s: corrupt PNG: %s", name, r.errs.message);
    }
    png_read_info(r.png, r.info);
    png_uint_32 width = png_get_image_width(r.png, r.info);
    png_uint_32 height = png_get_image_height(r.png, r.info);
    st = pr_image_check_size(name, (long)width, (long)height, params->max_pixels);
    if (st != PR_OK) {
        png_destroy_read_struct(&r.png, &r.info, NULL);
        return st;
    }
    int color = png_get_color_type(r.png, r.info);
    png_set_strip_16(r.png);
    png_set_packing(r.png);
    if (color == PNG_COLOR_TYPE_PALETTE)
        png_set_palette_to_rgb(r.png);
    if (color == PNG_COLOR_TYPE_GRAY && png_get_bit_depth(r.png, r.info) < 8)
        png_set_expand_gray_1_2_4_to_8(r.png);
    png_set_strip_alpha(r.png);
    png_read_update_info(r.png, r.info);
    int channels = (int)png_get_channels(r.png, r.info);
    if (channels != 1 && channels != 3) {
        png_destroy_read_struct(&r.png, &r.info, NULL);
        return pr_set_error(PR_ERR_FORMAT, "%s: unsupported PNG layout (%d channels)", name,
                            channels);
    }
    pr_image *image = NULL;
    st = pr_image_new((int)width, (int)height, channels, &image);
    if (st != PR_OK) {
        png_destroy_read_struct(&r.png, &r.info, NULL);
        return st;
    }
    img = image;
    int passes = png_set_interlace_handling(r.png);
    for (int pass = 0; pass < passes; pass++)
        for (png_uint_32 y = 0; y < height; y++)
            png_read_row(r.png, pr_image_row(img, (int)y), NULL);
    png_read_end(r.png, NULL);
    png_destroy_read_struct(&r.png, &r.info, NULL);
    *out = img;
    return PR_OK;
}

pr_status pr_png_read_gray16(const uint8_t *bytes, size_t size, const char *name,
                             uint64_t max_pixels, uint16_t **pixels, int *width_out,
                             int *height_out)
{
    pr_png_reader r;
    uint16_t *volatile buf = NULL;
    uint8_t *volatile row = NULL;
    *pixels = NULL;
    if (size < 8 || memcmp(bytes, "\x89PNG\r\n\x1a\n", 8) != 0)
        return pr_set_error(PR_ERR_FORMAT, "%s: not a PNG file", name);
    pr_status st = open_reader(&r, bytes, size, name);
    if (st != PR_OK)
        return st;
    if (setjmp(png_jmpbuf(r.png))) {
        png_destroy_read_struct(&r.png, &r.info, NULL);
        pr_free(buf);
        pr_free(row);
        return pr_set_error(PR_ERR_FORMAT, "%s: corrupt PNG: %s", name, r.errs.message);
    }
    png_read_info(r.png, r.info);
    png_uint_32 width = png_get_image_width(r.png, r.info);
    png_uint_32 height = png_get_image_height(r.png, r.info);
    int depth = png_get_bit_depth(r.png, r.info);
    int color = png_get_color_type(r.png, r.info);
    st = pr_image_check_size(name, (long)width, (long)height, max_pixels);
    if (st == PR_OK && (color != PNG_COLOR_TYPE_GRAY || (depth != 8 && depth != 16)))
        st = pr_set_error(PR_ERR_FORMAT, "%s: a label map must be an 8- or 16-bit grey PNG", name);
    if (st != PR_OK) {
        png_destroy_read_struct(&r.png, &r.info, NULL);
        return st;
    }
    int passes = png_set_interlace_handling(r.png);
    png_read_update_info(r.png, r.info);
    size_t bpp = (size_t)depth / 8;
    uint16_t *b = pr_malloc_array((size_t)width * height, sizeof *b);
    uint8_t *rw = pr_malloc_array((size_t)width, bpp);
    buf = b;
    row = rw;
    if (!b || !rw) {
        png_destroy_read_struct(&r.png, &r.info, NULL);
        pr_free(b);
        pr_free(rw);
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory for a %ux%u label map", name,
                            (unsigned)width, (unsigned)height);
    }
    for (int pass = 0; pass < passes; pass++) {
        for (png_uint_32 y = 0; y < height; y++) {
            uint16_t *dst = b + (size_t)y * width;
            if (passes > 1) /* interlaced rows are combined into what the row already holds */
                for (png_uint_32 x = 0; x < width; x++) {
                    if (bpp == 2) {
                        rw[2 * x] = (uint8_t)(dst[x] >> 8);
                        rw[2 * x + 1] = (uint8_t)dst[x];
                    } else {
                        rw[x] = (uint8_t)dst[x];
                    }
                }
            png_read_row(r.png, rw, NULL);
            for (png_uint_32 x = 0; x < width; x++)
                dst[x] = bpp == 2 ? (uint16_t)((rw[2 * x] << 8) | rw[2 * x + 1]) : rw[x];
        }
    }
    png_read_end(r.png, NULL);
    png_destroy_read_struct(&r.png, &r.info, NULL);
    pr_free(rw);
    *pixels = b;
    *width_out = (int)width;
    *height_out = (int)height;
    return PR_OK;
}

/* Shared writer: rows come from row_fn so 8-bit images and 16-bit label maps use one path. */
typedef void (*pr_png_row_fn)(const void *ctx, int y, uint8_t *row);

static pr_status write_png(FILE *f, int width, int height, int color, int depth,
                           pr_png_row_fn row_fn, const void *ctx, size_t row_bytes,
                           const char *name)
{
    pr_png_errors errs = {{0}};
    png_structp png = png_create_write_struct(PNG_LIBPNG_VER_STRING, &errs, on_error, on_warning);
    if (!png)
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory starting the PNG writer", name);
    png_infop info = png_create_info_struct(png);
    uint8_t *volatile row = NULL;
    if (!info) {
        png_destroy_write_struct(&png, NULL);
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory starting the PNG writer", name);
    }
    if (setjmp(png_jmpbuf(png))) {
        png_destroy_write_struct(&png, &info);
        pr_free(row);
        return pr_set_error(PR_ERR_IO, "%s: PNG writing failed: %s", name, errs.message);
    }
    uint8_t *rw = pr_malloc(row_bytes);
    row = rw;
    if (!rw) {
        png_destroy_write_struct(&png, &info);
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory", name);
    }
    png_init_io(png, f);
    png_set_IHDR(png, info, (png_uint_32)width, (png_uint_32)height, depth, color,
                 PNG_INTERLACE_NONE, PNG_COMPRESSION_TYPE_DEFAULT, PNG_FILTER_TYPE_DEFAULT);
    png_set_compression_level(png, 6);
    png_write_info(png, info);
    for (int y = 0; y < height; y++) {
        row_fn(ctx, y, rw);
        png_write_row(png, rw);
    }
    png_write_end(png, NULL);
    png_destroy_write_struct(&png, &info);
    pr_free(rw);
    return PR_OK;
}

static void image_row(const void *ctx, int y, uint8_t *row)
{
    const pr_image *img = ctx;
    memcpy(row, pr_image_row(img, y), (size_t)img->width * (size_t)img->channels);
}

pr_status pr_png_write(FILE *f, const pr_image *img, const char *name)
{
    return write_png(f, img->width, img->height,
                     img->channels == 1 ? PNG_COLOR_TYPE_GRAY : PNG_COLOR_TYPE_RGB, 8, image_row,
                     img, (size_t)img->width * (size_t)img->channels, name);
}

typedef struct {
    const uint16_t *pixels;
    int width;
} pr_gray16_ctx;

static void gray16_row(const void *ctx_, int y, uint8_t *row)
{
    const pr_gray16_ctx *ctx = ctx_;
    const uint16_t *src = ctx->pixels + (size_t)y * (size_t)ctx->width;
    for (int x = 0; x < ctx->width; x++) {
        row[2 * x] = (uint8_t)(src[x] >> 8); /* PNG is big-endian */
        row[2 * x + 1] = (uint8_t)src[x];
    }
}

pr_status pr_png_write_gray16(FILE *f, const uint16_t *pixels, int width, int height,
                              const char *name)
{
    pr_gray16_ctx ctx = {pixels, width};
    return write_png(f, width, height, PNG_COLOR_TYPE_GRAY, 16, gray16_row, &ctx,
                     (size_t)width * 2, name);
}

#else /* !PR_HAVE_PNG */

static pr_status no_png(const char *name)
{
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: this personrec was built without PNG support",
                        name);
}

pr_status pr_png_decode(const uint8_t *bytes, size_t size, const char *name,
                        const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)bytes, (void)size, (void)params, (void)info;
    *out = NULL;
    return no_png(name);
}

pr_status pr_png_read_gray16(const uint8_t *bytes, size_t size, const char *name,
                             uint64_t max_pixels, uint16_t **pixels, int *width, int *height)
{
    (void)bytes, (void)size, (void)max_pixels, (void)width, (void)height;
    *pixels = NULL;
    return no_png(name);
}

pr_status pr_png_write(FILE *f, const pr_image *img, const char *name)
{
    (void)f, (void)img;
    return no_png(name);
}

pr_status pr_png_write_gray16(FILE *f, const uint16_t *pixels, int width, int height,
                              const char *name)
{
    (void)f, (void)pixels, (void)width, (void)height;
    return no_png(name);
}
#endif

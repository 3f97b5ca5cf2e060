/* pr_image basics: allocation, conversion, resizing, cropping. */
#include "core/image.h"

#include "core/alloc.h"

#include <stdint.h>
#include <string.h>

pr_status pr_image_new(int width, int height, int channels, pr_image **out)
{
    *out = NULL;
    if (width <= 0 || height <= 0 || (channels != 1 && channels != 3))
        return pr_set_error(PR_ERR_ARG, "invalid image shape %dx%dx%d", width, height, channels);
    size_t stride = (size_t)width * (size_t)channels;
    if ((size_t)height > SIZE_MAX / stride)
        return pr_set_error(PR_ERR_LIMIT, "image %dx%d is too large", width, height);
    pr_image *img = pr_calloc(1, sizeof *img);
    if (!img)
        return pr_set_error(PR_ERR_NOMEM, "out of memory for an image header");
    img->data = pr_calloc((size_t)height, stride);
    if (!img->data) {
        pr_free(img);
        return pr_set_error(PR_ERR_NOMEM, "out of memory for a %dx%d image", width, height);
    }
    img->width = width;
    img->height = height;
    img->channels = channels;
    img->stride = stride;
    *out = img;
    return PR_OK;
}

void pr_image_delete(pr_image *img)
{
    if (!img)
        return;
    pr_free(img->data);
    pr_free(img);
}

pr_status pr_image_clone(const pr_image *src, pr_image **out)
{
    pr_status st = pr_image_new(src->width, src->height, src->channels, out);
    if (st != PR_OK)
        return st;
    size_t row = (size_t)src->width * (size_t)src->channels;
    for (int y = 0; y < src->height; y++)
        memcpy(pr_image_row(*out, y), pr_image_row(src, y), row);
    return PR_OK;
}

pr_status pr_image_to_gray(const pr_image *src, pr_image **out)
{
    if (src->channels == 1)
        return pr_image_clone(src, out);
    pr_status st = pr_image_new(src->width, src->height, 1, out);
    if (st != PR_OK)
        return st;
    for (int y = 0; y < src->height; y++) {
        const uint8_t *s = pr_image_row(src, y);
        uint8_t *d = pr_image_row(*out, y);
        for (int x = 0; x < src->width; x++, s += 3)
            /* BT.601 luma in 16.16 fixed point, rounded: the same on every machine. */
            d[x] = (uint8_t)((19595u * s[0] + 38470u * s[1] + 7471u * s[2] + 32768u) >> 16);
    }
    return PR_OK;
}

pr_status pr_image_to_rgb(const pr_image *src, pr_image **out)
{
    if (src->channels == 3)
        return pr_image_clone(src, out);
    pr_status st = pr_image_new(src->width, src->height, 3, out);
    if (st != PR_OK)
        return st;
    for (int y = 0; y < src->height; y++) {
        const uint8_t *s = pr_image_row(src, y);
        uint8_t *d = pr_image_row(*out, y);
        for (int x = 0; x < src->width; x++)
            d[3 * x] = d[3 * x + 1] = d[3 * x + 2] = s[x];
    }
    return PR_OK;
}

pr_status pr_image_crop(const pr_image *src, int x, int y, int w, int h, pr_image **out)
{
    *out = NULL;
    if (x < 0 || y < 0 || w <= 0 || h <= 0 || x > src->width - w || y > src->height - h)
        return pr_set_error(PR_ERR_ARG, "crop %d,%d %dx%d outside a %dx%d image", x, y, w, h,
                            src->width, src->height);
    pr_status st = pr_image_new(w, h, src->channels, out);
    if (st != PR_OK)
        return st;
    size_t c = (size_t)src->channels;
    for (int r = 0; r < h; r++)
        memcpy(pr_image_row(*out, r), pr_image_row(src, y + r) + (size_t)x * c, (size_t)w * c);
    return PR_OK;
}

/* Box filter over the source footprint of each destination pixel (exact area weights), which
 * avoids the aliasing a plain bilinear shrink gives on large photos. */
static void resize_area(const pr_image *src, pr_image *dst)
{
    const int c = src->channels;
    const double sx = (double)src->width / dst->width, sy = (double)src->height / dst->height;
    for (int y = 0; y < dst->height; y++) {
        double y0 = y * sy, y1 = (y + 1) * sy;
        uint8_t *d = pr_image_row(dst, y);
        for (int x = 0; x < dst->width; x++) {
            double x0 = x * sx, x1 = (x + 1) * sx;
            double acc[3] = {0, 0, 0}, total = 0;
            for (int yy = (int)y0; yy < src->height && yy < y1; yy++) {
                double wy = (yy + 1 < y1 ? yy + 1 : y1) - (yy > y0 ? yy : y0);
                const uint8_t *s = pr_image_row(src, yy);
                for (int xx = (int)x0; xx < src->width && xx < x1; xx++) {
                    double wx = (xx + 1 < x1 ? xx + 1 : x1) - (xx > x0 ? xx : x0);
                    double wgt = wx * wy;
                    for (int k = 0; k < c; k++)
                        acc[k] += wgt * s[xx * c + k];
                    total += wgt;
                }
            }
            for (int k = 0; k < c; k++) {
                double v = total > 0 ? acc[k] / total : 0;
                d[x * c + k] = (uint8_t)(v + 0.5 > 255 ? 255 : v + 0.5);
            }
        }
    }
}

static void resize_bilinear(const pr_image *src, pr_image *dst)
{
    const int c = src->channels;
    const double sx = (double)src->width / dst->width, sy = (double)src->height / dst->height;
    for (int y = 0; y < dst->height; y++) {
        double fy = (y + 0.5) * sy - 0.5;
        if (fy < 0)
            fy = 0;
        int y0 = (int)fy;
        int y1 = y0 + 1 < src->height ? y0 + 1 : y0;
        double ay = fy - y0;
        uint8_t *d = pr_image_row(dst, y);
        const uint8_t *r0 = pr_image_row(src, y0), *r1 = pr_image_row(src, y1);
        for (int x = 0; x < dst->width; x++) {
            double fx = (x + 0.5) * sx - 0.5;
            if (fx < 0)
                fx = 0;
            int x0 = (int)fx;
            int x1 = x0 + 1 < src->width ? x0 + 1 : x0;
            double ax = fx - x0;
            for (int k = 0; k < c; k++) {
                double top = r0[x0 * c + k] * (1 - ax) + r0[x1 * c + k] * ax;
                double bot = r1[x0 * c + k] * (1 - ax) + r1[x1 * c + k] * ax;
                double v = top * (1 - ay) + bot * ay;
                d[x * c + k] = (uint8_t)(v + 0.5 > 255 ? 255 : v + 0.5);
            }
        }
    }
}

pr_status pr_image_resize(const pr_image *src, int width, int height, pr_image **out)
{
    pr_status st = pr_image_new(width, height, src->channels, out);
    if (st != PR_OK)
        return st;
    if (width <= src->width && height <= src->height)
        resize_area(src, *out);
    else
        resize_bilinear(src, *out);
    return PR_OK;
}

const char *pr_image_format_name(pr_image_format format)
{
    switch (format) {
    case PR_FORMAT_JPEG: return "jpeg";
    case PR_FORMAT_PNG: return "png";
    case PR_FORMAT_PNM: return "pnm";
    case PR_FORMAT_HEIF: return "heif";
    case PR_FORMAT_AVIF: return "avif";
    case PR_FORMAT_WEBP: return "webp";
    case PR_FORMAT_TIFF: return "tiff";
    case PR_FORMAT_GIF: return "gif";
    case PR_FORMAT_UNKNOWN: break;
    }
    return "unknown";
}

/* make_rotated IN.jpg OUT.jpg: writes OUT as IN turned a quarter counter-clockwise, with EXIF
 * Orientation 6 ("rotate 90 degrees clockwise to display") and a DateTimeOriginal, so a reader
 * that applies the orientation sees IN upright again. Test fixture maker: the album tests need an
 * EXIF-rotated real photo and no exiftool / ImageMagick is assumed. */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "core/fileio.h"
#include "core/image.h"

#include <stdio.h>
#include <stdint.h>
#include <string.h>

static size_t put16(uint8_t *p, size_t at, unsigned v)
{
    p[at] = (uint8_t)v;
    p[at + 1] = (uint8_t)(v >> 8);
    return at + 2;
}

static size_t put32(uint8_t *p, size_t at, unsigned v)
{
    at = put16(p, at, v & 0xffff);
    return put16(p, at, v >> 16);
}

/* APP1 (marker included): IFD0 Orientation + Exif IFD DateTimeOriginal, little-endian TIFF. */
static size_t make_app1(uint8_t *out, int orientation, const char *datetime)
{
    uint8_t tiff[128] = {0};
    size_t t;
    memcpy(tiff, "II*\0", 4);
    put32(tiff, 4, 8);
    t = put16(tiff, 8, 2);
    t = put16(tiff, t, 0x0112);
    t = put16(tiff, t, 3);
    t = put32(tiff, t, 1);
    t = put16(tiff, t, (unsigned)orientation);
    t = put16(tiff, t, 0);
    t = put16(tiff, t, 0x8769);
    t = put16(tiff, t, 4);
    t = put32(tiff, t, 1);
    t = put32(tiff, t, 38);
    put32(tiff, t, 0);
    t = put16(tiff, 38, 1);
    t = put16(tiff, t, 0x9003);
    t = put16(tiff, t, 2);
    t = put32(tiff, t, 20);
    t = put32(tiff, t, 56);
    put32(tiff, t, 0);
    memcpy(tiff + 56, datetime, 20);
    size_t len = 2 + 6 + 76;
    out[0] = 0xFF;
    out[1] = 0xE1;
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
    memcpy(out + 4, "Exif\0\0", 6);
    memcpy(out + 10, tiff, 76);
    return 2 + len;
}

int main(int argc, char **argv)
{
    if (argc != 3) {
        fprintf(stderr, "usage: make_rotated IN.jpg OUT.jpg\n");
        return 2;
    }
    pr_image *in = NULL, *out = NULL;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    char *bytes = NULL;
    size_t size = 0;
    int rc = 1;
    if (pr_image_load(argv[1], &lp, &in, NULL) != PR_OK ||
        pr_image_new(in->height, in->width, 3, &out) != PR_OK)
        goto done;
    /* stored(x, y) = upright(W - 1 - y, x): a quarter turn counter-clockwise */
    for (int y = 0; y < out->height; y++)
        for (int x = 0; x < out->width; x++)
            memcpy(out->data + (size_t)y * out->stride + (size_t)x * 3,
                   in->data + (size_t)x * in->stride + (size_t)(in->width - 1 - y) * 3, 3);
    if (pr_image_save(argv[2], out) != PR_OK ||
        pr_file_read_all(argv[2], 0, &bytes, &size) != PR_OK || size < 4)
        goto done;
    uint8_t app1[160];
    size_t n = make_app1(app1, 6, "2020:01:02 03:04:05");
    FILE *f = fopen(argv[2], "wb"); /* SOI, our APP1, then the rest of the file */
    if (!f)
        goto done;
    int bad = fwrite(bytes, 1, 2, f) != 2 || fwrite(app1, 1, n, f) != n ||
              fwrite(bytes + 2, 1, size - 2, f) != size - 2;
    rc = (fclose(f) != 0 || bad) ? 1 : 0;
done:
    if (rc)
        fprintf(stderr, "make_rotated: %s\n", pr_last_error());
    pr_free(bytes);
    pr_image_delete(in);
    pr_image_delete(out);
    return rc;
}

/* Image width and height from the file header only: JPEG (the first SOFn marker), PNG (IHDR),
 * binary PNM (P5/P6). Used to turn normalised face boxes into pixels without decoding photos.
 * Sizes are as stored: EXIF orientation is not applied, matching Picasa's rect64 and the MWG
 * AppliedToDimensions of unrotated files. */
#include "datasets/face_labels.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int getb(FILE *f)
{
    return fgetc(f);
}

static pr_status jpeg_size(FILE *f, const char *path, int *w, int *h)
{
    /* Walk marker segments; each has a 16-bit big-endian length. At most 1000 segments. */
    for (int seg = 0; seg < 1000; seg++) {
        int c = getb(f);
        while (c == 0xFF)
            c = getb(f);
        if (c == EOF)
            break;
        int marker = c;
        if (marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7))
            continue; /* no length */
        if (marker == 0xD9 || marker == 0xDA)
            break; /* end of image, or entropy data before any SOF */
        int a = getb(f), b = getb(f);
        if (a == EOF || b == EOF)
            break;
        long len = (a << 8) | b;
        if (len < 2)
            break;
        if (marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 &&
            marker != 0xCC) {
            unsigned char s[5];
            if (len < 7 || fread(s, 1, 5, f) != 5)
                break;
            *h = (s[1] << 8) | s[2];
            *w = (s[3] << 8) | s[4];
            if (*w <= 0 || *h <= 0)
                break;
            return PR_OK;
        }
        if (fseek(f, len - 2, SEEK_CUR) != 0)
            break;
    }
    return pr_set_error(PR_ERR_FORMAT, "%s: JPEG without a readable frame header", path);
}

static int pnm_int(FILE *f, int *out)
{
    int c = getb(f);
    for (;;) {
        while (c == ' ' || c == '\t' || c == '\n' || c == '\r')
            c = getb(f);
        if (c == '#') {
            while (c != EOF && c != '\n')
                c = getb(f);
            continue;
        }
        break;
    }
    if (c < '0' || c > '9')
        return 0;
    long v = 0;
    while (c >= '0' && c <= '9') {
        v = v * 10 + (c - '0');
        if (v > 1000000000L)
            return 0;
        c = getb(f);
    }
    *out = (int)v;
    return 1;
}

pr_status pr_image_size_read(const char *path, int *width, int *height)
{
    *width = *height = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    unsigned char m[24];
    size_t got = fread(m, 1, sizeof m, f);
    pr_status st;
    if (got >= 3 && m[0] == 0xFF && m[1] == 0xD8) {
        fseek(f, 2, SEEK_SET);
        st = jpeg_size(f, path, width, height);
    } else if (got >= 24 && memcmp(m, "\x89PNG\r\n\x1a\n", 8) == 0 &&
               memcmp(m + 12, "IHDR", 4) == 0) {
        unsigned long w = ((unsigned long)m[16] << 24) | (m[17] << 16) | (m[18] << 8) | m[19];
        unsigned long h = ((unsigned long)m[20] << 24) | (m[21] << 16) | (m[22] << 8) | m[23];
        if (w == 0 || h == 0 || w > 0x7fffffffUL || h > 0x7fffffffUL)
            st = pr_set_error(PR_ERR_FORMAT, "%s: bad PNG size", path);
        else {
            *width = (int)w;
            *height = (int)h;
            st = PR_OK;
        }
    } else if (got >= 2 && m[0] == 'P' && (m[1] == '5' || m[1] == '6')) {
        fseek(f, 2, SEEK_SET);
        if (pnm_int(f, width) && pnm_int(f, height) && *width > 0 && *height > 0)
            st = PR_OK;
        else
            st = pr_set_error(PR_ERR_FORMAT, "%s: bad PNM header", path);
    } else {
        st = pr_set_error(PR_ERR_FORMAT, "%s: not a JPEG, PNG or PNM image", path);
    }
    fclose(f);
    return st;
}

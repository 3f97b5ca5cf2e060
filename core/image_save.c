/* Saving images: format by extension, written atomically (temporary file + rename). */
#define _POSIX_C_SOURCE 200809L
#include "core/image.h"

#include "core/alloc.h"
#include "core/fileio.h"
#include "core/image_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

static int has_extension(const char *path, const char *ext)
{
    size_t n = strlen(path), e = strlen(ext);
    return n >= e && strcasecmp(path + n - e, ext) == 0;
}

static pr_status write_jpeg(FILE *f, const void *img, const char *name)
{
    return pr_jpeg_write(f, img, 90, name);
}

static pr_status write_png(FILE *f, const void *img, const char *name)
{
    return pr_png_write(f, img, name);
}

static pr_status write_pnm(FILE *f, const void *img, const char *name)
{
    return pr_pnm_write(f, img, name);
}

pr_status pr_image_save(const char *path, const pr_image *img)
{
    if (has_extension(path, ".jpg") || has_extension(path, ".jpeg"))
        return pr_file_write_atomic_stream(path, write_jpeg, img);
    if (has_extension(path, ".png"))
        return pr_file_write_atomic_stream(path, write_png, img);
    if (has_extension(path, ".pgm") || has_extension(path, ".ppm") || has_extension(path, ".pnm"))
        return pr_file_write_atomic_stream(path, write_pnm, img);
    return pr_set_error(PR_ERR_ARG, "%s: unknown image extension (use .jpg, .png, .pgm or .ppm)",
                        path);
}

pr_status pr_image_encode_jpeg(const pr_image *img, int quality, uint8_t **bytes, size_t *size)
{
    *bytes = NULL;
    *size = 0;
    if (quality < 1 || quality > 100)
        return pr_set_error(PR_ERR_ARG, "JPEG quality must be 1..100, not %d", quality);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    if (!f)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_status st = pr_jpeg_write(f, img, quality, "(memory)");
    fclose(f);
    if (st == PR_OK) {
        *bytes = pr_malloc(len);
        if (*bytes) {
            memcpy(*bytes, buf, len);
            *size = len;
        } else {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        }
    }
    free(buf); /* open_memstream's buffer comes from the C library's malloc */
    return st;
}

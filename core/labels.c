/* Label maps: allocation, 16-bit PNG and 32-bit raw I/O, canonical renumbering. */
#include "core/labels.h"

#include "core/alloc.h"
#include "core/image.h"
#include "core/image_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

static const uint64_t PR_LABELS_MAX_PIXELS = 400000000u;

pr_status pr_labels_new(int width, int height, pr_labels **out)
{
    *out = NULL;
    if (width <= 0 || height <= 0)
        return pr_set_error(PR_ERR_ARG, "invalid label map size %dx%d", width, height);
    if ((uint64_t)width * (uint64_t)height > PR_LABELS_MAX_PIXELS)
        return pr_set_error(PR_ERR_LIMIT, "label map %dx%d is too large", width, height);
    pr_labels *l = pr_calloc(1, sizeof *l);
    if (!l)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    l->data = pr_calloc((size_t)width * (size_t)height, sizeof *l->data);
    if (!l->data) {
        pr_free(l);
        return pr_set_error(PR_ERR_NOMEM, "out of memory for a %dx%d label map", width, height);
    }
    l->width = width;
    l->height = height;
    *out = l;
    return PR_OK;
}

void pr_labels_delete(pr_labels *labels)
{
    if (!labels)
        return;
    pr_free(labels->data);
    pr_free(labels);
}

static const char RAW_MAGIC[] = "PRL1\n";

static pr_status load_raw(const char *path, const uint8_t *bytes, size_t size, pr_labels **out)
{
    int width = 0, height = 0, used = 0;
    char header[64];
    size_t n = size < sizeof header - 1 ? size : sizeof header - 1;
    memcpy(header, bytes, n);
    header[n] = '\0';
    if (sscanf(header + 5, "%d %d%n", &width, &height, &used) != 2 || width <= 0 || height <= 0)
        return pr_set_error(PR_ERR_FORMAT, "%s: malformed 32-bit label header", path);
    size_t pos = 5 + (size_t)used;
    if (pos >= size || bytes[pos] != '\n')
        return pr_set_error(PR_ERR_FORMAT, "%s: malformed 32-bit label header", path);
    pos++;
    if ((uint64_t)width * (uint64_t)height > PR_LABELS_MAX_PIXELS)
        return pr_set_error(PR_ERR_LIMIT, "%s: label map %dx%d is too large", path, width, height);
    size_t count = (size_t)width * (size_t)height;
    if ((size - pos) / 4 < count)
        return pr_set_error(PR_ERR_FORMAT, "%s: truncated 32-bit label map", path);
    pr_status st = pr_labels_new(width, height, out);
    if (st != PR_OK)
        return st;
    const uint8_t *p = bytes + pos;
    for (size_t i = 0; i < count; i++, p += 4)
        (*out)->data[i] = (int32_t)((uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
                                    (uint32_t)p[3] << 24);
    return PR_OK;
}

pr_status pr_labels_load(const char *path, pr_labels **out)
{
    *out = NULL;
    uint8_t *bytes = NULL;
    size_t size = 0;
    pr_status st = pr_read_file(path, (size_t)2 << 30, &bytes, &size);
    if (st != PR_OK)
        return st;
    if (size >= 5 && memcmp(bytes, RAW_MAGIC, 5) == 0) {
        st = load_raw(path, bytes, size, out);
        pr_free(bytes);
        return st;
    }
    uint16_t *pixels = NULL;
    int width = 0, height = 0;
    st = pr_png_read_gray16(bytes, size, path, PR_LABELS_MAX_PIXELS, &pixels, &width, &height);
    pr_free(bytes);
    if (st != PR_OK)
        return st;
    st = pr_labels_new(width, height, out);
    if (st == PR_OK)
        for (size_t i = 0; i < (size_t)width * (size_t)height; i++)
            (*out)->data[i] = pixels[i];
    pr_free(pixels);
    return st;
}

static pr_status write_raw(FILE *f, const void *ctx, const char *name)
{
    const pr_labels *l = ctx;
    fprintf(f, "%s%d %d\n", RAW_MAGIC, l->width, l->height);
    size_t count = (size_t)l->width * (size_t)l->height;
    for (size_t i = 0; i < count; i++) {
        uint32_t v = (uint32_t)l->data[i];
        uint8_t b[4] = {(uint8_t)v, (uint8_t)(v >> 8), (uint8_t)(v >> 16), (uint8_t)(v >> 24)};
        if (fwrite(b, 1, 4, f) != 4)
            return pr_set_error(PR_ERR_IO, "%s: write failed", name);
    }
    return PR_OK;
}

typedef struct {
    const uint16_t *pixels;
    int width, height;
} pr_png16_job;

static pr_status write_png16(FILE *f, const void *ctx, const char *name)
{
    const pr_png16_job *job = ctx;
    return pr_png_write_gray16(f, job->pixels, job->width, job->height, name);
}

pr_status pr_labels_save(const char *path, const pr_labels *labels)
{
    size_t n = strlen(path);
    int is_png = n >= 4 && strcasecmp(path + n - 4, ".png") == 0;
    int is_raw = (n >= 4 && strcasecmp(path + n - 4, ".pnm") == 0) ||
                 (n >= 4 && strcasecmp(path + n - 4, ".raw") == 0);
    if (is_raw)
        return pr_file_write_atomic_stream(path, write_raw, labels);
    if (!is_png)
        return pr_set_error(PR_ERR_ARG, "%s: label maps are saved as .png (16-bit) or .pnm/.raw "
                                        "(32-bit)", path);
    size_t count = (size_t)labels->width * (size_t)labels->height;
    for (size_t i = 0; i < count; i++)
        if (labels->data[i] < 0 || labels->data[i] > 65535)
            return pr_set_error(PR_ERR_LIMIT,
                                "%s: label %d does not fit a 16-bit PNG; use a .pnm or .raw "
                                "output for more than 65536 segments",
                                path, (int)labels->data[i]);
    uint16_t *pixels = pr_malloc_array(count, sizeof *pixels);
    if (!pixels)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < count; i++)
        pixels[i] = (uint16_t)labels->data[i];
    pr_png16_job job = {pixels, labels->width, labels->height};
    pr_status st = pr_file_write_atomic_stream(path, write_png16, &job);
    pr_free(pixels);
    return st;
}

pr_status pr_labels_canonicalize(pr_labels *labels, int *count)
{
    size_t n = (size_t)labels->width * (size_t)labels->height;
    /* Labels may be arbitrary int32 (e.g. union-find roots = pixel indices < n). When every label
     * is in [0, n) a direct table works; otherwise fall back to renumbering through a sort. */
    int32_t *map = pr_malloc_array(n, sizeof *map);
    if (!map)
        return pr_set_error(PR_ERR_NOMEM, "out of memory canonicalising labels");
    for (size_t i = 0; i < n; i++)
        if (labels->data[i] < 0 || (size_t)labels->data[i] >= n) {
            pr_free(map);
            return pr_set_error(PR_ERR_ARG, "label %d outside [0, %zu): cannot canonicalise",
                                (int)labels->data[i], n);
        }
    memset(map, 0xff, n * sizeof *map);
    int32_t next = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t l = labels->data[i];
        if (map[l] < 0)
            map[l] = next++;
        labels->data[i] = map[l];
    }
    pr_free(map);
    if (count)
        *count = next;
    return PR_OK;
}

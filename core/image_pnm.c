/* Binary PNM: P5 (grey) and P6 (RGB), maxval 1..65535 (16-bit samples are scaled to 8 bits).
 * Needs no library, so the GPU machine can always read its benchmark inputs. */
#include "core/image_internal.h"

#include <ctype.h>
#include <string.h>

/* Reads one header integer, skipping whitespace and # comments. Returns -1 on malformed input. */
static long header_int(const uint8_t *b, size_t n, size_t *pos)
{
    for (;;) {
        while (*pos < n && isspace(b[*pos]))
            (*pos)++;
        if (*pos < n && b[*pos] == '#') {
            while (*pos < n && b[*pos] != '\n')
                (*pos)++;
            continue;
        }
        break;
    }
    if (*pos >= n || !isdigit(b[*pos]))
        return -1;
    long v = 0;
    while (*pos < n && isdigit(b[*pos])) {
        v = v * 10 + (b[*pos] - '0');
        if (v > 1000000000L)
            return -1;
        (*pos)++;
    }
    return v;
}

pr_status pr_pnm_decode(const uint8_t *bytes, size_t size, const char *name,
                        const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)info;
    *out = NULL;
    int channels = bytes[1] == '5' ? 1 : 3;
    size_t pos = 2;
    long width = header_int(bytes, size, &pos);
    long height = header_int(bytes, size, &pos);
    long maxval = header_int(bytes, size, &pos);
    if (width < 0 || height < 0 || maxval <= 0 || maxval > 65535 || pos >= size ||
        !isspace(bytes[pos]))
        return pr_set_error(PR_ERR_FORMAT, "%s: malformed PNM header", name);
    pos++; /* the single whitespace byte before the raster */
    pr_status st = pr_image_check_size(name, width, height, params->max_pixels);
    if (st != PR_OK)
        return st;
    size_t sample = maxval > 255 ? 2 : 1;
    size_t need = (size_t)width * (size_t)height * (size_t)channels * sample;
    if (size - pos < need)
        return pr_set_error(PR_ERR_FORMAT, "%s: truncated PNM (%zu of %zu raster bytes)", name,
                            size - pos, need);
    pr_image *img = NULL;
    st = pr_image_new((int)width, (int)height, channels, &img);
    if (st != PR_OK)
        return st;
    const uint8_t *src = bytes + pos;
    size_t row_samples = (size_t)width * (size_t)channels;
    for (long y = 0; y < height; y++) {
        uint8_t *dst = pr_image_row(img, (int)y);
        for (size_t i = 0; i < row_samples; i++, src += sample) {
            unsigned v = sample == 2 ? (unsigned)(src[0] << 8 | src[1]) : src[0];
            dst[i] = (uint8_t)((v * 255u + (unsigned)maxval / 2) / (unsigned)maxval);
        }
    }
    *out = img;
    return PR_OK;
}

pr_status pr_pnm_write(FILE *f, const pr_image *img, const char *name)
{
    fprintf(f, "P%c\n%d %d\n255\n", img->channels == 1 ? '5' : '6', img->width, img->height);
    size_t row = (size_t)img->width * (size_t)img->channels;
    for (int y = 0; y < img->height; y++)
        if (fwrite(pr_image_row(img, y), 1, row, f) != row)
            return pr_set_error(PR_ERR_IO, "%s: write failed", name);
    return PR_OK;
}

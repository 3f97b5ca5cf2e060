/* Overlay drawing for `personrec segment --overlay` and `personrec body --overlay`. */
#include "segment/draw.h"

#include <stddef.h>

static uint32_t hash32(uint32_t x)
{
    /* lowbias32 (Chris Wellons): well-spread colours for consecutive labels */
    x ^= x >> 16;
    x *= 0x7feb352du;
    x ^= x >> 15;
    x *= 0x846ca68bu;
    x ^= x >> 16;
    return x;
}

pr_status pr_draw_segments(const pr_image *photo, const pr_labels *labels, pr_image **out)
{
    if (!photo || !labels || !out || photo->width != labels->width ||
        photo->height != labels->height)
        return pr_set_error(PR_ERR_ARG, "pr_draw_segments: photo and labels differ in size");
    pr_image *rgb = NULL;
    pr_status st = pr_image_to_rgb(photo, &rgb);
    if (st != PR_OK)
        return st;
    const int w = rgb->width, h = rgb->height;
    for (int y = 0; y < h; y++) {
        uint8_t *row = pr_image_row(rgb, y);
        const int32_t *l = labels->data + (size_t)y * w;
        const int32_t *below = y + 1 < h ? l + w : NULL;
        for (int x = 0; x < w; x++) {
            const int edge = (x + 1 < w && l[x + 1] != l[x]) || (below && below[x] != l[x]);
            if (edge) {
                row[3 * x] = row[3 * x + 1] = row[3 * x + 2] = 0;
                continue;
            }
            const uint32_t c = hash32((uint32_t)l[x]);
            for (int k = 0; k < 3; k++)
                row[3 * x + k] = (uint8_t)((row[3 * x + k] + ((c >> (8 * k)) & 255u)) / 2);
        }
    }
    *out = rgb;
    return PR_OK;
}

pr_status pr_draw_mask(pr_image *rgb, const pr_image *mask, uint8_t r, uint8_t g, uint8_t b)
{
    if (!rgb || !mask || rgb->channels != 3 || mask->channels != 1 || rgb->width != mask->width ||
        rgb->height != mask->height)
        return pr_set_error(PR_ERR_ARG, "pr_draw_mask: need an RGB image and a mask of its size");
    const uint8_t col[3] = {r, g, b};
    const int w = rgb->width, h = rgb->height;
    for (int y = 0; y < h; y++) {
        uint8_t *row = pr_image_row(rgb, y);
        const uint8_t *m = pr_image_row(mask, y);
        const uint8_t *up = y > 0 ? pr_image_row(mask, y - 1) : NULL;
        const uint8_t *down = y + 1 < h ? pr_image_row(mask, y + 1) : NULL;
        for (int x = 0; x < w; x++) {
            if (!m[x])
                continue;
            const int outline = x == 0 || x + 1 == w || !m[x - 1] || !m[x + 1] || !up ||
                                !up[x] || !down || !down[x];
            for (int k = 0; k < 3; k++)
                row[3 * x + k] = outline ? col[k] : (uint8_t)((row[3 * x + k] + col[k]) / 2);
        }
    }
    return PR_OK;
}

void pr_draw_rect(pr_image *rgb, int x, int y, int w, int h, uint8_t r, uint8_t g, uint8_t b)
{
    if (!rgb || rgb->channels != 3 || w <= 0 || h <= 0)
        return;
    for (int yy = y; yy < y + h; yy++) {
        if (yy < 0 || yy >= rgb->height)
            continue;
        uint8_t *row = pr_image_row(rgb, yy);
        for (int xx = x; xx < x + w; xx++) {
            if (xx < 0 || xx >= rgb->width)
                continue;
            const int border = xx < x + 2 || xx >= x + w - 2 || yy < y + 2 || yy >= y + h - 2;
            if (!border)
                continue;
            row[3 * xx] = r;
            row[3 * xx + 1] = g;
            row[3 * xx + 2] = b;
        }
    }
}

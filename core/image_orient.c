/* Undo EXIF orientation. Tag values (TIFF 6.0 / EXIF 2.3): where row 0 and column 0 of the stored
 * image lie in the scene:
 *   1 top-left (upright)   2 top-right (mirrored)   3 bottom-right (180°)  4 bottom-left (flipped)
 *   5 left-top (transpose) 6 right-top (90° CW)     7 right-bottom (transverse) 8 left-bottom (90° CCW)
 * For each output pixel we compute the stored pixel it comes from. */
#include "core/image_internal.h"

#include <string.h>

pr_status pr_image_orient(const pr_image *src, int orientation, pr_image **out)
{
    if (orientation <= 1 || orientation > 8)
        return pr_image_clone(src, out);
    int transposed = orientation >= 5;
    int w = transposed ? src->height : src->width;
    int h = transposed ? src->width : src->height;
    pr_status st = pr_image_new(w, h, src->channels, out);
    if (st != PR_OK)
        return st;
    const int c = src->channels;
    const int sw = src->width, sh = src->height;
    for (int y = 0; y < h; y++) {
        uint8_t *d = pr_image_row(*out, y);
        for (int x = 0; x < w; x++) {
            int sx, sy;
            switch (orientation) {
            case 2: sx = sw - 1 - x; sy = y; break;
            case 3: sx = sw - 1 - x; sy = sh - 1 - y; break;
            case 4: sx = x; sy = sh - 1 - y; break;
            case 5: sx = y; sy = x; break;
            case 6: sx = y; sy = sh - 1 - x; break;
            case 7: sx = sw - 1 - y; sy = sh - 1 - x; break;
            default: /* 8 */ sx = sw - 1 - y; sy = x; break;
            }
            memcpy(d + (size_t)x * c, pr_image_row(src, sy) + (size_t)sx * c, (size_t)c);
        }
    }
    return PR_OK;
}

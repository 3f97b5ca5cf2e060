/* The SSD's input as face-api makes it (NetInput.toBatchTensor(512, isCenterInputs = false)):
 * padToSquare appends zero rows or columns after the photo, tfjs resizeBilinear (no corner
 * alignment, no half-pixel centres, source index = dst * side / 512 in double) to 512 x 512, then
 * x / 127.5 - 1 in float32. The padded square is never built: its taps are read from the photo. */
#include "nn/ssd.h"

#include <math.h>

typedef struct tap {
    int i0, i1; /* source indices, -1 in the zero padding */
    double f;   /* weight of i1 */
} tap;

static void axis(int side, int extent, tap *t)
{
    double ratio = (double)side / PR_SSD_INPUT;
    for (int o = 0; o < PR_SSD_INPUT; o++) {
        double src = ratio * o;
        int a = (int)floor(src), b = (int)ceil(src);
        b = b < side - 1 ? b : side - 1;
        t[o].f = src - a;
        t[o].i0 = a < extent ? a : -1;
        t[o].i1 = b < extent ? b : -1;
    }
}

static double px(const pr_image *img, const uint8_t *row, int x, int c)
{
    if (!row || x < 0)
        return 0.0;
    return row[img->channels == 3 ? 3 * x + c : x];
}

void pr_ssd_prepare(const pr_image *image, float *out)
{
    tap xt[PR_SSD_INPUT], yt[PR_SSD_INPUT];
    int side = image->width > image->height ? image->width : image->height;
    axis(side, image->width, xt);
    axis(side, image->height, yt);
    for (int oy = 0; oy < PR_SSD_INPUT; oy++) {
        const uint8_t *r0 = yt[oy].i0 >= 0 ? pr_image_row(image, yt[oy].i0) : NULL;
        const uint8_t *r1 = yt[oy].i1 >= 0 ? pr_image_row(image, yt[oy].i1) : NULL;
        double fy = yt[oy].f;
        for (int ox = 0; ox < PR_SSD_INPUT; ox++) {
            int x0 = xt[ox].i0, x1 = xt[ox].i1;
            double fx = xt[ox].f;
            float *o = out + ((size_t)oy * PR_SSD_INPUT + ox) * 3;
            for (int c = 0; c < 3; c++) {
                double tl = px(image, r0, x0, c), tr = px(image, r0, x1, c);
                double bl = px(image, r1, x0, c), br = px(image, r1, x1, c);
                double top = tl + (tr - tl) * fx, bottom = bl + (br - bl) * fx;
                float v = (float)(top + (bottom - top) * fy);
                float q = (float)((double)v / 127.5);
                o[c] = (float)((double)q - 1.0);
            }
        }
    }
}

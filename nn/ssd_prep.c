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

/* One source row interpolated along x for every output column: out[ox * 3 + c] = the top (or
 * bottom) value of that column, in double as before; row NULL = a padding row (zeros). */
static void row_along_x(const pr_image *image, const uint8_t *row, const tap *xt, double *out)
{
    for (int ox = 0; ox < PR_SSD_INPUT; ox++) {
        int x0 = xt[ox].i0, x1 = xt[ox].i1;
        double fx = xt[ox].f;
        for (int c = 0; c < 3; c++) {
            double l = 0.0, r = 0.0;
            if (row && x0 >= 0)
                l = row[image->channels == 3 ? 3 * x0 + c : x0];
            if (row && x1 >= 0)
                r = row[image->channels == 3 ? 3 * x1 + c : x1];
            out[ox * 3 + c] = l + (r - l) * fx;
        }
    }
}

/* The slot of cache rows[2] (source row ids in have[2]) that holds source row src, filling the
 * slot other than `keep` when it is not there. */
static int cached_row(const pr_image *image, const tap *xt, int src, int keep,
                      double (*rows)[PR_SSD_INPUT * 3], int *have)
{
    if (have[0] == src)
        return 0;
    if (have[1] == src)
        return 1;
    int slot = keep == 0 ? 1 : 0;
    row_along_x(image, src >= 0 ? pr_image_row(image, src) : NULL, xt, rows[slot]);
    have[slot] = src;
    return slot;
}

void pr_ssd_prepare(const pr_image *image, float *out)
{
    tap xt[PR_SSD_INPUT], yt[PR_SSD_INPUT];
    /* The x-interpolated values of the last two source rows: consecutive output rows mostly
     * share one, so most source rows are interpolated along x once instead of twice. */
    double rows[2][PR_SSD_INPUT * 3];
    int have[2] = {-2, -2};
    int side = image->width > image->height ? image->width : image->height;
    axis(side, image->width, xt);
    axis(side, image->height, yt);
    for (int oy = 0; oy < PR_SSD_INPUT; oy++) {
        int i0 = yt[oy].i0, i1 = yt[oy].i1;
        int s1 = have[0] == i1 ? 0 : have[1] == i1 ? 1 : -1;
        int s0 = cached_row(image, xt, i0, s1, rows, have);
        s1 = cached_row(image, xt, i1, s0, rows, have);
        const double *top = rows[s0], *bottom = rows[s1];
        double fy = yt[oy].f;
        float *o = out + (size_t)oy * PR_SSD_INPUT * 3;
        for (int i = 0; i < PR_SSD_INPUT * 3; i++) {
            float v = (float)(top[i] + (bottom[i] - top[i]) * fy);
            float q = (float)((double)v / 127.5);
            o[i] = (float)((double)q - 1.0);
        }
    }
}

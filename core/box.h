/* Axis-aligned pixel boxes (top-left origin, x right, y down), shared by every stage. */
#ifndef PR_CORE_BOX_H
#define PR_CORE_BOX_H

#include <math.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_box {
    double x, y, w, h; /* pixels; double so normalised formats round-trip without drift */
} pr_box;

/* Intersection over union; 0 when either box is empty. */
static inline double pr_box_iou(pr_box a, pr_box b)
{
    double x0 = a.x > b.x ? a.x : b.x;
    double y0 = a.y > b.y ? a.y : b.y;
    double x1 = (a.x + a.w) < (b.x + b.w) ? (a.x + a.w) : (b.x + b.w);
    double y1 = (a.y + a.h) < (b.y + b.h) ? (a.y + a.h) : (b.y + b.h);
    if (a.w <= 0 || a.h <= 0 || b.w <= 0 || b.h <= 0 || x1 <= x0 || y1 <= y0)
        return 0.0;
    double inter = (x1 - x0) * (y1 - y0);
    return inter / (a.w * a.h + b.w * b.h - inter);
}

/* The box clipped to [0, width) x [0, height) (may become empty). */
static inline pr_box pr_box_clip(pr_box b, int width, int height)
{
    double x0 = b.x < 0 ? 0 : b.x, y0 = b.y < 0 ? 0 : b.y;
    double x1 = b.x + b.w > width ? width : b.x + b.w;
    double y1 = b.y + b.h > height ? height : b.y + b.h;
    pr_box r = {x0, y0, x1 > x0 ? x1 - x0 : 0, y1 > y0 ? y1 - y0 : 0};
    return r;
}

/* Whole pixels [x0, x1) x [y0, y1) inside an image. */
typedef struct pr_pixel_rect {
    int x0, y0, x1, y1; /* x1 >= x0, y1 >= y0; empty when equal */
} pr_pixel_rect;

/* The pixels a box touches (floor of its start, ceil of its end), clipped to the width x height
 * image. Empty, NaN or far-outside boxes give an empty rectangle at 0,0 and never convert a
 * non-finite double to int (undefined behaviour). */
static inline pr_pixel_rect pr_box_pixels(pr_box box, int width, int height)
{
    pr_pixel_rect r = {0, 0, 0, 0};
    pr_box b = pr_box_clip(box, width, height);
    if (!(b.w > 0 && b.h > 0))
        return r;
    r.x0 = (int)floor(b.x);
    r.y0 = (int)floor(b.y);
    r.x1 = (int)ceil(b.x + b.w);
    r.y1 = (int)ceil(b.y + b.h);
    if (r.x1 > width)
        r.x1 = width;
    if (r.y1 > height)
        r.y1 = height;
    return r;
}

#ifdef __cplusplus
}
#endif
#endif

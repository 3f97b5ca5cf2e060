/* Region frames (see regions.h). The orientation maps a stored pixel to the upright frame as EXIF
 * defines it (TIFF 6.0 / Exif 2.3 tag 0x0112): 1 as is, 2 mirrored left-right, 3 turned 180°,
 * 4 mirrored top-bottom, 5 transposed, 6 turned 90° clockwise, 7 transversed, 8 turned 90°
 * counter-clockwise. In unit coordinates (fractions of each frame's own width and height) a box
 * (x, y, w, h) of the stored image lands at the forward[] box below; the inverse of 6 is 8 and
 * of 8 is 6, every other orientation is its own inverse, so one table serves both directions and
 * a round trip is exact up to floating point. digiKam's TagRegion::adjustToOrientation makes the
 * same moves in pixels. */
#define _POSIX_C_SOURCE 200809L
#include "datasets/regions.h"

#include "core/image_probe.h"

#include <stdint.h>
#include <stdio.h>
#include <string.h>

pr_status pr_region_frame_of(const char *image_path, pr_region_frame *frame)
{
    /* Header only for JPEG (no decode): sidecars are read and written for every photo with faces
     * on every run. */
    int w = 0, h = 0, o = 1;
    pr_status st = pr_image_probe_orientation(image_path, &w, &h, &o);
    if (st != PR_OK)
        return st;
    frame->stored_w = w;
    frame->stored_h = h;
    frame->orientation = o >= 1 && o <= 8 ? o : 1;
    return PR_OK;
}

void pr_region_frame_upright(const pr_region_frame *f, int *w, int *h)
{
    int quarter = f->orientation >= 5 && f->orientation <= 8;
    *w = quarter ? f->stored_h : f->stored_w;
    *h = quarter ? f->stored_w : f->stored_h;
}

/* Unit box in the stored frame -> unit box in the upright frame, for orientation o. */
static void forward(int o, const double s[4], double u[4])
{
    double x = s[0], y = s[1], w = s[2], h = s[3];
    switch (o) {
    case 2: u[0] = 1 - x - w; u[1] = y;         u[2] = w; u[3] = h; break;
    case 3: u[0] = 1 - x - w; u[1] = 1 - y - h; u[2] = w; u[3] = h; break;
    case 4: u[0] = x;         u[1] = 1 - y - h; u[2] = w; u[3] = h; break;
    case 5: u[0] = y;         u[1] = x;         u[2] = h; u[3] = w; break;
    case 6: u[0] = 1 - y - h; u[1] = x;         u[2] = h; u[3] = w; break;
    case 7: u[0] = 1 - y - h; u[1] = 1 - x - w; u[2] = h; u[3] = w; break;
    case 8: u[0] = y;         u[1] = 1 - x - w; u[2] = h; u[3] = w; break;
    default: u[0] = x;        u[1] = y;         u[2] = w; u[3] = h; break;
    }
}

static int inverse(int o)
{
    return o == 6 ? 8 : o == 8 ? 6 : o;
}

void pr_region_to_stored(const pr_region_frame *f, pr_box b, double unit[4])
{
    int uw, uh;
    pr_region_frame_upright(f, &uw, &uh);
    const double u[4] = {b.x / uw, b.y / uh, b.w / uw, b.h / uh};
    forward(inverse(f->orientation), u, unit);
}

pr_box pr_region_from_upright_unit(const pr_region_frame *f, const double u[4])
{
    int uw, uh;
    pr_region_frame_upright(f, &uw, &uh);
    pr_box b = {u[0] * uw, u[1] * uh, u[2] * uw, u[3] * uh};
    return b;
}

pr_box pr_region_from_stored(const pr_region_frame *f, const double unit[4])
{
    double u[4];
    forward(f->orientation, unit, u);
    return pr_region_from_upright_unit(f, u);
}

double pr_region_unit_iou(const double a[4], const double b[4])
{
    double x0 = a[0] > b[0] ? a[0] : b[0], y0 = a[1] > b[1] ? a[1] : b[1];
    double x1 = a[0] + a[2] < b[0] + b[2] ? a[0] + a[2] : b[0] + b[2];
    double y1 = a[1] + a[3] < b[1] + b[3] ? a[1] + a[3] : b[1] + b[3];
    if (x1 <= x0 || y1 <= y0)
        return 0;
    double inter = (x1 - x0) * (y1 - y0);
    double uni = a[2] * a[3] + b[2] * b[3] - inter;
    return uni > 0 ? inter / uni : 0;
}

int pr_region_is_auto_name(const char *name)
{
    if (!name || strncmp(name, "person_", 7) != 0 || !name[7])
        return 0;
    for (const char *p = name + 7; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
}

void pr_region_name_tag(const char *name, char buf[17])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *p = (const unsigned char *)name; *p; p++) {
        h ^= *p;
        h *= 0x100000001b3ULL;
    }
    snprintf(buf, 17, "%016llx", (unsigned long long)h);
}

/* datasets/regions: the eight EXIF orientations between upright pixels and fractions of the
 * stored image -- the moves digiKam's TagRegion::adjustToOrientation makes, worked out by hand
 * for one box on a 400 x 300 stored image -- and exact round trips both ways. */
#include "datasets/regions.h"
#include "tests/test.h"

#include <stdio.h>

int main(void)
{
    /* Stored box (10, 20, 30, 40) px of a 400 x 300 image, seen upright. */
    static const double want[9][4] = {
        {0, 0, 0, 0},
        {10, 20, 30, 40},   /* 1 */
        {360, 20, 30, 40},  /* 2 mirrored: x' = W - x - w */
        {360, 240, 30, 40}, /* 3 turned 180 */
        {10, 240, 30, 40},  /* 4 mirrored top-bottom */
        {20, 10, 40, 30},   /* 5 transposed: (y, x) */
        {240, 10, 40, 30},  /* 6 turned 90 CW: (H - y - h, x) */
        {240, 360, 40, 30}, /* 7 transversed: (H - y - h, W - x - w) */
        {20, 360, 40, 30},  /* 8 turned 90 CCW: (y, W - x - w) */
    };
    const double stored[4] = {10.0 / 400, 20.0 / 300, 30.0 / 400, 40.0 / 300};
    for (int o = 1; o <= 8; o++) {
        pr_region_frame f = {400, 300, o};
        int uw, uh;
        pr_region_frame_upright(&f, &uw, &uh);
        PR_CHECK_EQ_INT(uw, o >= 5 ? 300 : 400);
        PR_CHECK_EQ_INT(uh, o >= 5 ? 400 : 300);
        pr_box b = pr_region_from_stored(&f, stored);
        PR_CHECK_MSG(fabs(b.x - want[o][0]) < 1e-9 && fabs(b.y - want[o][1]) < 1e-9 &&
                         fabs(b.w - want[o][2]) < 1e-9 && fabs(b.h - want[o][3]) < 1e-9,
                     "orientation %d: got %g %g %g %g", o, b.x, b.y, b.w, b.h);
        double back[4];
        pr_region_to_stored(&f, b, back);
        for (int k = 0; k < 4; k++)
            PR_CHECK_NEAR(back[k], stored[k], 1e-12);
        /* Upright -> stored -> upright for boxes all over the frame, in [0, 1] on the way. */
        for (int i = 0; i < 50; i++) {
            pr_box u = {(i * 37) % (uw - 20), (i * 53) % (uh - 20), 1 + i % 19, 2 + i % 17};
            double s[4];
            pr_region_to_stored(&f, u, s);
            PR_CHECK(s[0] >= 0 && s[1] >= 0 && s[0] + s[2] <= 1 + 1e-12 &&
                     s[1] + s[3] <= 1 + 1e-12);
            pr_box r = pr_region_from_stored(&f, s);
            PR_CHECK_NEAR(r.x, u.x, 1e-9);
            PR_CHECK_NEAR(r.y, u.y, 1e-9);
            PR_CHECK_NEAR(r.w, u.w, 1e-9);
            PR_CHECK_NEAR(r.h, u.h, 1e-9);
        }
    }
    const double a[4] = {0, 0, 0.5, 0.5}, b[4] = {0.25, 0, 0.5, 0.5}, c[4] = {0.6, 0.6, .1, .1};
    PR_CHECK_NEAR(pr_region_unit_iou(a, b), 1.0 / 3, 1e-12);
    PR_CHECK_NEAR(pr_region_unit_iou(a, c), 0, 1e-12);
    char tag[17];
    pr_region_name_tag("", tag);
    PR_CHECK_STR(tag, "cbf29ce484222325"); /* FNV-1a 64: the offset basis */
    pr_region_name_tag("a", tag);
    PR_CHECK_STR(tag, "af63dc4c8601ec8c"); /* the published test vector */
    PR_CHECK(pr_region_is_auto_name("person_12"));
    PR_CHECK(!pr_region_is_auto_name("person_"));
    PR_CHECK(!pr_region_is_auto_name("person_1a"));
    PR_CHECK(!pr_region_is_auto_name("Alice"));
    return pr_test_finish();
}

#include "features/color_hist.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "features/context.h"
#include "tests/test.h"

static pr_image *solid_bodies(void)
{
    /* left half red shirt, right half blue shirt */
    pr_image *img = NULL;
    if (pr_image_new(200, 100, 3, &img) != PR_OK)
        return NULL;
    for (int y = 0; y < 100; y++)
        for (int x = 0; x < 200; x++) {
            uint8_t *p = pr_image_row(img, y) + 3 * x;
            p[0] = x < 100 ? 200 : 20;
            p[1] = 30;
            p[2] = x < 100 ? 20 : 190;
        }
    return img;
}

int main(void)
{
    pr_image *img = solid_bodies();
    PR_CHECK(img != NULL);
    if (!img)
        return pr_test_finish();
    pr_box left = {0, 0, 100, 100}, right = {100, 0, 100, 100};
    for (int s = 0; s < PR_COLOR_SPACE_COUNT; s++) {
        pr_color_hist_params p = pr_color_hist_params_for((pr_color_space)s);
        pr_color_hist a, b, a2;
        PR_CHECK_OK(pr_color_hist_compute(img, left, NULL, 0, &p, &a));
        PR_CHECK_OK(pr_color_hist_compute(img, right, NULL, 0, &p, &b));
        PR_CHECK_OK(pr_color_hist_compute(img, left, NULL, 0, &p, &a2));
        PR_CHECK(a.n > 0 && b.n > 0);
        double sum = 0;
        for (int i = 0; i < a.n; i++)
            sum += a.h[i];
        PR_CHECK_NEAR(sum, 1.0, 1e-5);
        for (int m = 0; m < PR_HIST_DISTANCE_COUNT; m++) {
            double self = pr_color_hist_distance(&a, &a2, (pr_hist_distance)m);
            double far = pr_color_hist_distance(&a, &b, (pr_hist_distance)m);
            PR_CHECK_MSG(self == 0.0, "%s/%s self %g", pr_color_space_name((pr_color_space)s),
                         pr_hist_distance_name((pr_hist_distance)m), self);
            PR_CHECK_MSG(far > 0.9 && far <= 1.0 + 1e-9, "%s/%s red-blue %g",
                         pr_color_space_name((pr_color_space)s),
                         pr_hist_distance_name((pr_hist_distance)m), far);
        }
    }
    /* Illumination: a darker copy of the red shirt stays close in RGI, moves in HSV value. */
    {
        pr_image *dark = NULL;
        PR_CHECK_OK(pr_image_clone(img, &dark));
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 300; x++)
                pr_image_row(dark, y)[x] = (uint8_t)(pr_image_row(dark, y)[x] * 6 / 10);
        pr_color_hist_params p = pr_color_hist_params_for(PR_COLOR_RGI);
        pr_color_hist a, d, b;
        pr_color_hist_compute(img, left, NULL, 0, &p, &a);
        pr_color_hist_compute(dark, left, NULL, 0, &p, &d);
        pr_color_hist_compute(img, right, NULL, 0, &p, &b);
        PR_CHECK(pr_color_hist_distance(&a, &d, PR_HIST_CHI2) <
                 pr_color_hist_distance(&a, &b, PR_HIST_CHI2));
        pr_image_delete(dark);
    }
    /* The mask decides: the whole image with only the blue half masked in equals the blue half. */
    {
        uint8_t *mask = (uint8_t *)pr_calloc(200 * 100, 1);
        for (int y = 0; y < 100; y++)
            for (int x = 100; x < 200; x++)
                mask[y * 200 + x] = 1;
        pr_color_hist_params p = pr_color_hist_params_default();
        pr_color_hist all, b;
        pr_box whole = {0, 0, 200, 100};
        PR_CHECK_OK(pr_color_hist_compute(img, whole, mask, 200, &p, &all));
        PR_CHECK_OK(pr_color_hist_compute(img, right, NULL, 0, &p, &b));
        PR_CHECK_NEAR(pr_color_hist_distance(&all, &b, PR_HIST_CHI2), 0.0, 1e-9);
        PR_CHECK_EQ_INT((long)all.pixels, 100 * 100);
        /* Background outside the left box = the blue half again. */
        pr_color_hist bg;
        PR_CHECK_OK(pr_background_hist(img, &left, 1, &p, &bg));
        PR_CHECK_NEAR(pr_color_hist_distance(&bg, &b, PR_HIST_CHI2), 0.0, 1e-9);
        pr_free(mask);
    }
    /* Empty and tiny regions: no cue, distance NAN, no crash. */
    {
        pr_color_hist_params p = pr_color_hist_params_default();
        pr_color_hist e, a;
        pr_box outside = {500, 500, 10, 10}, tiny = {0, 0, 3, 3};
        PR_CHECK_OK(pr_color_hist_compute(img, outside, NULL, 0, &p, &e));
        PR_CHECK_EQ_INT(e.n, 0);
        PR_CHECK_OK(pr_color_hist_compute(img, tiny, NULL, 0, &p, &e));
        PR_CHECK_EQ_INT(e.n, 0);
        PR_CHECK_OK(pr_color_hist_compute(img, left, NULL, 0, &p, &a));
        PR_CHECK(isnan(pr_color_hist_distance(&a, &e, PR_HIST_CHI2)));
        pr_color_hist_params q = pr_color_hist_params_for(PR_COLOR_RGI);
        pr_color_hist r;
        PR_CHECK_OK(pr_color_hist_compute(img, left, NULL, 0, &q, &r));
        PR_CHECK(isnan(pr_color_hist_distance(&a, &r, PR_HIST_CHI2))); /* different spaces */
        p.bins[0] = 64;
        p.bins[1] = 64;
        PR_CHECK(pr_color_hist_compute(img, left, NULL, 0, &p, &e) == PR_ERR_ARG);
    }
    /* Soft binning: a slight hue change moves weight gradually (distance small but non-zero). */
    {
        pr_image *shift = NULL;
        PR_CHECK_OK(pr_image_clone(img, &shift));
        for (int y = 0; y < 100; y++)
            for (int x = 0; x < 100; x++)
                pr_image_row(shift, y)[3 * x + 1] = 40;
        pr_color_hist_params p = pr_color_hist_params_default();
        pr_color_hist a, s;
        pr_color_hist_compute(img, left, NULL, 0, &p, &a);
        pr_color_hist_compute(shift, left, NULL, 0, &p, &s);
        double d = pr_color_hist_distance(&a, &s, PR_HIST_CHI2);
        PR_CHECK_MSG(d > 0 && d < 0.3, "small hue shift: %g", d);
        int top[3];
        PR_CHECK(pr_color_hist_top_bins(&a, 3, top) >= 1);
        pr_image_delete(shift);
    }
    PR_CHECK_EQ_INT(pr_color_space_parse("opponent"), PR_COLOR_OPPONENT);
    PR_CHECK_EQ_INT(pr_color_space_parse("lab"), -1);
    pr_image_delete(img);
    return pr_test_finish();
}

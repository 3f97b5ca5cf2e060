/* Image basics and lossless round trips through PNG and PNM, a JPEG round trip within tolerance,
 * and allocation-failure injection on the loader (no leak: ASan checks; clear error). */
#include "core/image.h"
#include "core/status.h"
#include "tests/core/image_fixtures.h"
#include "tests/test.h"

static int images_equal(const pr_image *a, const pr_image *b)
{
    if (a->width != b->width || a->height != b->height || a->channels != b->channels)
        return 0;
    for (int y = 0; y < a->height; y++)
        if (memcmp(pr_image_row(a, y), pr_image_row(b, y), (size_t)a->width * a->channels))
            return 0;
    return 1;
}

static double mean_abs_diff(const pr_image *a, const pr_image *b)
{
    double sum = 0;
    for (int y = 0; y < a->height; y++)
        for (int x = 0; x < a->width * a->channels; x++)
            sum += abs(pr_image_row(a, y)[x] - pr_image_row(b, y)[x]);
    return sum / ((double)a->width * a->height * a->channels);
}

static void round_trip(const char *dir, const char *ext, int channels, int lossless)
{
    char path[1200];
    snprintf(path, sizeof path, "%s/rt%d%s", dir, channels, ext);
    pr_image *img = fixture_gradient(37, 23, channels), *back = NULL;
    PR_CHECK_OK(pr_image_save(path, img));
    pr_image_info info;
    PR_CHECK_OK(pr_image_load(path, NULL, &back, &info));
    if (back) {
        PR_CHECK_EQ_INT(back->width, 37);
        PR_CHECK_EQ_INT(back->height, 23);
        PR_CHECK_EQ_INT(back->channels, channels);
        if (lossless)
            PR_CHECK_MSG(images_equal(img, back), "%s differs after a round trip", path);
        else
            PR_CHECK_MSG(mean_abs_diff(img, back) < 3.0, "%s: mean diff %.2f", path,
                         mean_abs_diff(img, back));
        PR_CHECK_EQ_INT(info.orientation, 1);
        PR_CHECK_EQ_INT(info.has_datetime, 0);
    }
    pr_image_delete(back);
    pr_image_delete(img);
}

int main(void)
{
    const char *dir = fixture_dir("image");
    PR_CHECK(dir != NULL);
    for (int c = 1; c <= 3; c += 2) {
        round_trip(dir, ".png", c, 1);
        round_trip(dir, c == 1 ? ".pgm" : ".ppm", c, 1);
        round_trip(dir, ".jpg", c, 0);
    }

    /* Conversions, crop, resize. */
    pr_image *rgb = fixture_gradient(8, 4, 3), *gray = NULL, *crop = NULL, *small = NULL,
             *big = NULL, *forced = NULL;
    PR_CHECK_OK(pr_image_to_gray(rgb, &gray));
    PR_CHECK_EQ_INT(gray->channels, 1);
    /* BT.601 of (0, 0, 128) = 0.114*128 = 14.6 -> 15 */
    PR_CHECK_EQ_INT(pr_image_row(gray, 0)[0], 15);
    PR_CHECK_OK(pr_image_crop(rgb, 2, 1, 3, 2, &crop));
    PR_CHECK_EQ_INT(pr_image_row(crop, 0)[0], pr_image_row(rgb, 1)[6]);
    PR_CHECK_EQ_INT(pr_image_crop(rgb, 6, 0, 3, 2, &forced), PR_ERR_ARG);
    PR_CHECK_OK(pr_image_resize(rgb, 4, 2, &small));
    PR_CHECK_EQ_INT(small->width, 4);
    PR_CHECK_OK(pr_image_resize(rgb, 16, 8, &big));
    PR_CHECK_EQ_INT(big->height, 8);
    pr_image_delete(gray);
    pr_image_delete(crop);
    pr_image_delete(small);
    pr_image_delete(big);

    /* Forced channel counts on load. */
    char path[1200];
    snprintf(path, sizeof path, "%s/force.png", dir);
    PR_CHECK_OK(pr_image_save(path, rgb));
    pr_image_load_params p = pr_image_load_params_default();
    p.channels = 1;
    PR_CHECK_OK(pr_image_load(path, &p, &forced, NULL));
    PR_CHECK(forced && forced->channels == 1);
    pr_image_delete(forced);
    forced = NULL;
    PR_CHECK_EQ_INT(pr_image_save("/nonexistent-dir/x.png", rgb), PR_ERR_IO);
    PR_CHECK_EQ_INT(pr_image_save("x.bmp", rgb), PR_ERR_ARG);

    /* Allocation failure at every point of a JPEG and a PNG load: a clean PR_ERR_NOMEM. */
    const char *exts[] = {".jpg", ".png"};
    for (int e = 0; e < 2; e++) {
        snprintf(path, sizeof path, "%s/alloc%s", dir, exts[e]);
        PR_CHECK_OK(pr_image_save(path, rgb));
        pr_alloc_reset_count();
        pr_image *ok = NULL;
        PR_CHECK_OK(pr_image_load(path, NULL, &ok, NULL));
        long allocations = pr_alloc_count();
        pr_image_delete(ok);
        PR_CHECK(allocations >= 2);
        for (long n = 1; n <= allocations; n++) {
            pr_image *img = NULL;
            pr_alloc_fail_at(n);
            pr_status st = pr_image_load(path, NULL, &img, NULL);
            pr_alloc_fail_at(0);
            PR_CHECK_MSG(st == PR_ERR_NOMEM && img == NULL, "%s: failing allocation %ld gave %s",
                         path, n, pr_status_name(st));
            PR_CHECK(strstr(pr_last_error(), "memory") != NULL);
            pr_image_delete(img);
        }
    }
    pr_image_delete(rgb);
    return pr_test_finish();
}

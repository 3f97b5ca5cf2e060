/* Data test: the scaled JPEG decode (pr_image_load_params.min_long_side: libjpeg-turbo DCT scaling
 * with fast upsampling) against a full decode resized to the same size, on real album photos
 * brought to phone size (long side 4032, JPEG q90). Measured on these photos (mean |difference|
 * per channel value / 99.9th percentile, grey levels): portrait 0.14 / 1, Family1-Dad1 0.71 / 3,
 * bbt1 1.30 / 23 (sharp edges: the reduced IDCT is not an area average); bounds 2.0 / 32. The
 * size is the smallest M/8 scale still >= the asked long side; info.full_* is the full size, turned
 * with an EXIF orientation (an Orientation 6 tag spliced into the copy: the pixels come out turned
 * exactly); a photo already small decodes byte for byte as without the request. */
#define _POSIX_C_SOURCE 200809L
#include "core/image.h"
#include "tests/core/jpeg_oriented.h"
#include "tests/test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const photos[] = {
    "immich_testassets_faces/portrait.jpg",
    "azure_face_family/images/Family1-Dad1.jpg",
    "faceapi_bbt/bbt1.jpg",
};

static void compare(const pr_image *a, const pr_image *b, double *mean, int *p999)
{
    long hist[256] = {0}, n = 0;
    double sum = 0;
    for (int y = 0; y < a->height; y++) {
        const uint8_t *ra = pr_image_row(a, y), *rb = pr_image_row(b, y);
        for (int x = 0; x < a->width * a->channels; x++) {
            int d = abs((int)ra[x] - (int)rb[x]);
            hist[d]++;
            sum += d;
            n++;
        }
    }
    *mean = n ? sum / n : 0;
    long acc = 0;
    *p999 = 0;
    for (int d = 0; d < 256; d++) {
        acc += hist[d];
        if (acc >= n - n / 1000) {
            *p999 = d;
            break;
        }
    }
}

/* The phone-size copy of a real photo (long side 4032) at path. */
static int make_big(const char *src, const char *path, int *w, int *h)
{
    pr_image *img = NULL, *big = NULL;
    if (pr_image_load(src, NULL, &img, NULL) != PR_OK)
        return 0;
    double f = 4032.0 / (img->width > img->height ? img->width : img->height);
    *w = (int)lround(img->width * f);
    *h = (int)lround(img->height * f);
    int ok = pr_image_resize(img, *w, *h, &big) == PR_OK && pr_image_save(path, big) == PR_OK;
    pr_image_delete(img);
    pr_image_delete(big);
    return ok;
}

static void check_photo(const char *src, const char *path, int *wo, int *ho)
{
    int w = 0, h = 0;
    PR_CHECK_MSG(make_big(src, path, &w, &h), "%s: phone-size copy", src);
    *wo = w;
    *ho = h;
    pr_image *full = NULL, *scaled = NULL, *ref = NULL;
    pr_image_info info;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.min_long_side = 1600;
    PR_CHECK_OK(pr_image_load(path, NULL, &full, NULL));
    PR_CHECK_OK(pr_image_load(path, &lp, &scaled, &info));
    if (!full || !scaled)
        goto done;
    int longest = w > h ? w : h, m = 1;
    while ((longest * m + 7) / 8 < 1600)
        m++;
    PR_CHECK_EQ_INT(scaled->width, (w * m + 7) / 8); /* 4032 -> 2016: M = 4 */
    PR_CHECK_EQ_INT(scaled->height, (h * m + 7) / 8);
    PR_CHECK_EQ_INT(info.full_width, w);
    PR_CHECK_EQ_INT(info.full_height, h);
    PR_CHECK_OK(pr_image_resize(full, scaled->width, scaled->height, &ref));
    if (ref) {
        double mean;
        int p999;
        compare(scaled, ref, &mean, &p999);
        fprintf(stderr, "%s: %dx%d -> %dx%d, mean |d| %.3f, 99.9%% |d| <= %d\n", src, w, h,
                scaled->width, scaled->height, mean, p999);
        PR_CHECK_MSG(mean < 2.0, "%s: mean |d| %.3f", src, mean);
        PR_CHECK_MSG(p999 < 32, "%s: 99.9th percentile |d| %d", src, p999);
    }
done:
    pr_image_delete(full);
    pr_image_delete(scaled);
    pr_image_delete(ref);
}

/* A small photo with a request above its size: the very same pixels as a plain decode. */
static void check_small(const char *src)
{
    pr_image *a = NULL, *b = NULL;
    pr_image_info info;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.min_long_side = 1600;
    PR_CHECK_OK(pr_image_load(src, NULL, &a, NULL));
    PR_CHECK_OK(pr_image_load(src, &lp, &b, &info));
    if (a && b) {
        PR_CHECK(a->width == b->width && a->height == b->height && a->stride == b->stride);
        PR_CHECK(memcmp(a->data, b->data, a->stride * (size_t)a->height) == 0);
        PR_CHECK_EQ_INT(info.full_width, a->width);
        PR_CHECK_EQ_INT(info.full_height, a->height);
    }
    pr_image_delete(a);
    pr_image_delete(b);
}

/* EXIF Orientation 6 spliced into the phone-size copy (same stored pixels): the scaled decode
 * turns them upright, so full_* are the stored size swapped and the pixels are exactly the scaled
 * decode of the unturned copy turned a quarter clockwise (displayed (x, y) = stored (y, H-1-x)). */
static void check_rotated(const char *big, const char *rotated, int w, int h)
{
    PR_CHECK_MSG(pr_test_write_oriented(big, rotated, 6), "cannot write %s", rotated);
    pr_image *up = NULL, *rot = NULL;
    pr_image_info info;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.min_long_side = 1600;
    PR_CHECK_OK(pr_image_load(big, &lp, &up, NULL));
    PR_CHECK_OK(pr_image_load(rotated, &lp, &rot, &info));
    if (up && rot) {
        PR_CHECK_EQ_INT(info.orientation, 6);
        PR_CHECK_EQ_INT(info.full_width, h);
        PR_CHECK_EQ_INT(info.full_height, w);
        PR_CHECK_EQ_INT(rot->width, up->height);
        PR_CHECK_EQ_INT(rot->height, up->width);
        PR_CHECK_EQ_INT(rot->channels, up->channels);
        long bad = 0;
        int c = up->channels;
        for (int y = 0; rot->width == up->height && rot->height == up->width && y < rot->height;
             y++)
            for (int x = 0; x < rot->width; x++)
                bad += memcmp(pr_image_row(rot, y) + (size_t)x * c,
                              pr_image_row(up, up->height - 1 - x) + (size_t)y * c, c) != 0;
        fprintf(stderr, "rotated copy: %dx%d, %ld pixels not the upright ones turned\n", rot->width,
                rot->height, bad);
        PR_CHECK_MSG(bad == 0, "rotated: %ld pixels differ from the scaled decode turned", bad);
    }
    pr_image_delete(up);
    pr_image_delete(rot);
}

int main(void)
{
    const char *album = pr_test_data_dir("album");
    char tmpl[] = "/tmp/pr-scaled-XXXXXX";
    PR_CHECK(mkdtemp(tmpl) != NULL);
    char src[8192], big[64], rotated[64];
    snprintf(big, sizeof big, "%s/big.jpg", tmpl);
    snprintf(rotated, sizeof rotated, "%s/rotated.jpg", tmpl);
    int w = 0, h = 0;
    for (size_t i = 0; i < sizeof photos / sizeof *photos; i++) {
        snprintf(src, sizeof src, "%s/%s", album, photos[i]);
        check_photo(src, big, &w, &h);
        check_small(src);
    }
    check_rotated(big, rotated, w, h);
    unlink(big);
    unlink(rotated);
    rmdir(tmpl);
    return pr_test_finish();
}

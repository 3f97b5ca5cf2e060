#define _POSIX_C_SOURCE 200809L
/* core/image_probe: the header size of JPEG, PNG and PNM files written by pr_image_save matches the
 * decoded size; damaged headers are PR_ERR_FORMAT, never a crash. */
#include "core/image.h"
#include "core/image_probe.h"
#include "tests/core/image_fixtures.h"
#include "tests/test.h"

#include <stdlib.h>

static void check_format(const char *dir, const char *ext, int w, int h, int channels)
{
    char path[300];
    snprintf(path, sizeof path, "%s/probe.%s", dir, ext);
    pr_image *img = fixture_gradient(w, h, channels);
    PR_CHECK(img != NULL);
    PR_CHECK_OK(pr_image_save(path, img));
    int pw = 0, ph = 0;
    PR_CHECK_OK(pr_image_probe(path, &pw, &ph));
    PR_CHECK_MSG(pw == w && ph == h, "%s: %dx%d, expected %dx%d", ext, pw, ph, w, h);
    pr_image_delete(img);
}

static void check_bad(const char *dir, const void *bytes, size_t n)
{
    char path[300];
    snprintf(path, sizeof path, "%s/bad.bin", dir);
    PR_CHECK(fixture_write(path, bytes, n) == 0);
    int w = -1, h = -1;
    pr_status st = pr_image_probe(path, &w, &h);
    PR_CHECK_MSG(st == PR_ERR_FORMAT, "%d bytes: status %d", (int)n, (int)st);
    PR_CHECK(w == 0 && h == 0);
}

int main(void)
{
    char dir[] = "/tmp/pr_probe_XXXXXX";
    PR_CHECK(mkdtemp(dir) != NULL);
    check_format(dir, "jpg", 37, 23, 3);
    check_format(dir, "png", 5, 300, 3);
    check_format(dir, "pgm", 17, 9, 1);
    check_format(dir, "ppm", 9, 17, 3);

    static const unsigned char soi_only[] = {0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x02};
    check_bad(dir, soi_only, sizeof soi_only);
    static const unsigned char png_sig[] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n', 0, 0, 0};
    check_bad(dir, png_sig, sizeof png_sig);
    check_bad(dir, "P6\n0 10\n255\n", 12);
    check_bad(dir, "GIF89a....", 10);
    check_bad(dir, "", 0);
    int w, h;
    PR_CHECK_EQ_INT(pr_image_probe("/nonexistent.jpg", &w, &h), PR_ERR_IO);

    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    PR_CHECK(system(cmd) == 0);
    return pr_test_finish();
}

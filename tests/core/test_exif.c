/* EXIF: every orientation 1..8 comes back upright, DateTimeOriginal is reported, broken EXIF is
 * ignored. The EXIF block is built here byte by byte (a little-endian TIFF structure) and spliced
 * into a JPEG we encode ourselves. */
#include "core/image.h"
#include "tests/core/image_fixtures.h"
#include "tests/test.h"

static size_t put16(uint8_t *p, size_t at, unsigned v)
{
    p[at] = (uint8_t)v;
    p[at + 1] = (uint8_t)(v >> 8);
    return at + 2;
}

static size_t put32(uint8_t *p, size_t at, unsigned v)
{
    at = put16(p, at, v & 0xffff);
    return put16(p, at, v >> 16);
}

/* APP1 segment (marker included) with Orientation and DateTimeOriginal. Returns its length. */
static size_t make_app1(uint8_t *out, int orientation, const char *datetime)
{
    uint8_t tiff[128] = {0};
    size_t t = 0;
    memcpy(tiff, "II*\0", 4);
    t = put32(tiff, 4, 8);             /* IFD0 at 8 */
    t = put16(tiff, 8, 2);             /* two entries */
    t = put16(tiff, t, 0x0112);        /* Orientation */
    t = put16(tiff, t, 3);             /* SHORT */
    t = put32(tiff, t, 1);
    t = put16(tiff, t, (unsigned)orientation);
    t = put16(tiff, t, 0);
    t = put16(tiff, t, 0x8769);        /* ExifIFD pointer */
    t = put16(tiff, t, 4);             /* LONG */
    t = put32(tiff, t, 1);
    t = put32(tiff, t, 38);            /* Exif IFD at 38 */
    t = put32(tiff, t, 0);             /* no IFD1 */
    t = put16(tiff, 38, 1);
    t = put16(tiff, t, 0x9003);        /* DateTimeOriginal */
    t = put16(tiff, t, 2);             /* ASCII */
    t = put32(tiff, t, 20);
    t = put32(tiff, t, 56);            /* string at 56 */
    t = put32(tiff, t, 0);
    memcpy(tiff + 56, datetime, 20);
    size_t tiff_len = 76;
    size_t len = 2 + 6 + tiff_len; /* length field counts itself */
    out[0] = 0xFF;
    out[1] = 0xE1;
    out[2] = (uint8_t)(len >> 8);
    out[3] = (uint8_t)len;
    memcpy(out + 4, "Exif\0\0", 6);
    memcpy(out + 10, tiff, tiff_len);
    return 2 + len;
}

int main(void)
{
    const char *dir = fixture_dir("exif");
    char plain[1200], path[1200];
    snprintf(plain, sizeof plain, "%s/plain.png", dir);
    /* An asymmetric image with four distinct, JPEG-stable corner blocks. */
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_new(48, 32, 1, &img));
    for (int y = 0; y < 32; y++)
        for (int x = 0; x < 48; x++)
            pr_image_row(img, y)[x] = (uint8_t)(x < 24 ? (y < 16 ? 20 : 90) : (y < 16 ? 160 : 240));
    uint8_t *jpg = NULL;
    size_t jn = 0;
    PR_CHECK_OK(pr_image_encode_jpeg(img, 95, &jpg, &jn));

    /* Expected corner values (top-left, top-right, bottom-left) of the upright image for each
     * orientation: the stored image shows the scene transformed, loading must undo it. */
    for (int o = 1; o <= 8; o++) {
        uint8_t app1[256];
        size_t an = make_app1(app1, o, "2019:07:14 16:05:09");
        uint8_t *file = pr_malloc(jn + an);
        memcpy(file, jpg, 2);
        memcpy(file + 2, app1, an);
        memcpy(file + 2 + an, jpg + 2, jn - 2);
        snprintf(path, sizeof path, "%s/orient%d.jpg", dir, o);
        fixture_write(path, file, jn + an);
        pr_free(file);

        pr_image *up = NULL, *raw = NULL;
        pr_image_info info;
        PR_CHECK_OK(pr_image_load(path, NULL, &up, &info));
        pr_image_load_params keep = pr_image_load_params_default();
        keep.apply_orientation = 0;
        PR_CHECK_OK(pr_image_load(path, &keep, &raw, NULL));
        if (!up || !raw)
            continue;
        PR_CHECK_EQ_INT(info.orientation, o);
        PR_CHECK_EQ_INT(info.orientation_applied, o > 1);
        PR_CHECK_EQ_INT(info.has_datetime, 1);
        PR_CHECK_STR(info.datetime, "2019:07:14 16:05:09");
        PR_CHECK_EQ_INT(up->width, o >= 5 ? 32 : 48);
        PR_CHECK_EQ_INT(up->height, o >= 5 ? 48 : 32);
        /* Map each upright corner back to the stored corner per the EXIF definition. */
        int W = up->width - 1, H = up->height - 1, sw = 47, sh = 31;
        int corners[4][2] = {{0, 0}, {W, 0}, {0, H}, {W, H}};
        for (int c = 0; c < 4; c++) {
            int x = corners[c][0], y = corners[c][1], sx = x, sy = y;
            switch (o) {
            case 2: sx = sw - x; break;
            case 3: sx = sw - x; sy = sh - y; break;
            case 4: sy = sh - y; break;
            case 5: sx = y; sy = x; break;
            case 6: sx = y; sy = sh - x; break;
            case 7: sx = sw - y; sy = sh - x; break;
            case 8: sx = sw - y; sy = x; break;
            }
            int got = pr_image_row(up, y)[x], want = pr_image_row(img, sy)[sx];
            PR_CHECK_MSG(abs(got - want) < 12, "orientation %d corner %d: %d vs %d", o, c, got,
                         want);
        }
        pr_image_delete(up);
        pr_image_delete(raw);
    }

    /* Unset date, broken EXIF: loads, reports no time, orientation 1. */
    uint8_t app1[256];
    size_t an = make_app1(app1, 9, "0000:00:00 00:00:00");
    app1[14] = 'X'; /* corrupt the TIFF byte-order mark */
    uint8_t *file = pr_malloc(jn + an);
    memcpy(file, jpg, 2);
    memcpy(file + 2, app1, an);
    memcpy(file + 2 + an, jpg + 2, jn - 2);
    snprintf(path, sizeof path, "%s/badexif.jpg", dir);
    fixture_write(path, file, jn + an);
    pr_free(file);
    pr_image *up = NULL;
    pr_image_info info;
    PR_CHECK_OK(pr_image_load(path, NULL, &up, &info));
    PR_CHECK_EQ_INT(info.orientation, 1);
    PR_CHECK_EQ_INT(info.has_datetime, 0);
    pr_image_delete(up);
    pr_free(jpg);
    pr_image_delete(img);
    return pr_test_finish();
}

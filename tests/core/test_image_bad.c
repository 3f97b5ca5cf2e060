/* Hostile and broken inputs: each must give a clear error (never a crash, a hang or an exit):
 * truncated JPEG (also with an end marker appended), zero-byte file, PNG with a bad CRC, a
 * 60000x60000 header in JPEG, PNG and PNM (refused before allocating), a JPEG header claiming far
 * more pixels than its data can hold, a text file, a missing file, a folder, random bytes. And a
 * CMYK JPEG (Adobe, inverted) read as RGB and as grey: every command asks the one loader; and the
 * header-only probes, which report a header bomb's claim without decoding it and a JPEG's EXIF
 * orientation as the loader applies it. */
#include "core/image.h"
#include "core/image_probe.h"
#include "core/rng.h"
#include "core/status.h"
#include "tests/core/image_fixtures.h"
#include "tests/test.h"

#include <jpeglib.h>
#include <stdlib.h>

static uint8_t *read_all(const char *path, size_t *n)
{
    uint8_t *bytes = NULL;
    if (pr_read_file(path, 0, &bytes, n) != PR_OK)
        return NULL;
    return bytes;
}

static uint32_t crc32_bytes(const uint8_t *p, size_t n)
{
    uint32_t c = 0xffffffffu;
    for (size_t i = 0; i < n; i++) {
        c ^= p[i];
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xedb88320u & (0u - (c & 1)));
    }
    return c ^ 0xffffffffu;
}

static void put_be32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t)(v >> 24);
    p[1] = (uint8_t)(v >> 16);
    p[2] = (uint8_t)(v >> 8);
    p[3] = (uint8_t)v;
}

/* Loads path and checks the status and that the message names the file and contains `word`. */
static void expect_error(const char *path, pr_status want, const char *word)
{
    pr_image *img = NULL;
    pr_status st = pr_image_load(path, NULL, &img, NULL);
    PR_CHECK_MSG(st == want, "%s: got %s, want %s (%s)", path, pr_status_name(st),
                 pr_status_name(want), pr_last_error());
    PR_CHECK(img == NULL);
    PR_CHECK_MSG(strstr(pr_last_error(), path) != NULL, "message does not name the file: %s",
                 pr_last_error());
    PR_CHECK_MSG(strstr(pr_last_error(), word) != NULL, "message lacks '%s': %s", word,
                 pr_last_error());
    pr_image_delete(img);
}

/* A CMYK JPEG of img (RGB) as Photoshop writes them: Adobe marker, inks stored inverted, K = 255
 * (no black), so each stored C, M, Y value is the pixel's R, G, B. Caller frees *out (free). */
static int write_cmyk_jpeg(const pr_image *img, unsigned char **out, unsigned long *size)
{
    struct jpeg_compress_struct c;
    struct jpeg_error_mgr err;
    c.err = jpeg_std_error(&err);
    jpeg_create_compress(&c);
    *out = NULL;
    *size = 0;
    jpeg_mem_dest(&c, out, size);
    c.image_width = (JDIMENSION)img->width;
    c.image_height = (JDIMENSION)img->height;
    c.input_components = 4;
    c.in_color_space = JCS_CMYK;
    jpeg_set_defaults(&c);
    jpeg_set_quality(&c, 95, TRUE);
    c.write_Adobe_marker = TRUE;
    jpeg_start_compress(&c, TRUE);
    uint8_t *row = malloc((size_t)img->width * 4);
    while (row && c.next_scanline < c.image_height) {
        const uint8_t *src = pr_image_row(img, (int)c.next_scanline);
        for (int x = 0; x < img->width; x++) {
            memcpy(row + 4 * x, src + 3 * x, 3);
            row[4 * x + 3] = 255;
        }
        JSAMPROW r = row;
        jpeg_write_scanlines(&c, &r, 1);
    }
    jpeg_finish_compress(&c);
    jpeg_destroy_compress(&c);
    free(row);
    return *out && *size ? 0 : -1;
}

int main(void)
{
    const char *dir = fixture_dir("image_bad");
    char good_jpg[1200], good_png[1200], path[1200];
    snprintf(good_jpg, sizeof good_jpg, "%s/good.jpg", dir);
    snprintf(good_png, sizeof good_png, "%s/good.png", dir);
    pr_image *img = fixture_gradient(64, 48, 3);
    PR_CHECK_OK(pr_image_save(good_jpg, img));
    PR_CHECK_OK(pr_image_save(good_png, img));
    pr_image_delete(img);
    size_t jn = 0, pn = 0;
    uint8_t *jpg = read_all(good_jpg, &jn), *png = read_all(good_png, &pn);
    PR_CHECK(jpg && png);

    /* Truncated JPEG: half the file. */
    snprintf(path, sizeof path, "%s/truncated.jpg", dir);
    fixture_write(path, jpg, jn / 2);
    expect_error(path, PR_ERR_FORMAT, "truncated JPEG");
    /* ... and with an end marker appended: libjpeg only warns and pads with grey; refused. */
    {
        uint8_t *cut = pr_malloc(jn / 2 + 2);
        memcpy(cut, jpg, jn / 2);
        cut[jn / 2] = 0xFF;
        cut[jn / 2 + 1] = 0xD9;
        snprintf(path, sizeof path, "%s/truncated_eoi.jpg", dir);
        fixture_write(path, cut, jn / 2 + 2);
        expect_error(path, PR_ERR_FORMAT, "truncated JPEG");
        pr_free(cut);
    }

    /* Zero bytes. */
    snprintf(path, sizeof path, "%s/empty.jpg", dir);
    fixture_write(path, "", 0);
    expect_error(path, PR_ERR_FORMAT, "empty");

    /* PNG whose IDAT checksum does not match its (intact) data. */
    uint8_t *bad = pr_malloc(pn);
    memcpy(bad, png, pn);
    for (size_t i = 8; i + 8 < pn; i++)
        if (memcmp(bad + i + 4, "IDAT", 4) == 0) {
            size_t len = (size_t)bad[i] << 24 | (size_t)bad[i + 1] << 16 |
                         (size_t)bad[i + 2] << 8 | bad[i + 3];
            bad[i + 8 + len] ^= 0x55;
            break;
        }
    snprintf(path, sizeof path, "%s/badcrc.png", dir);
    fixture_write(path, bad, pn);
    expect_error(path, PR_ERR_FORMAT, "CRC");

    /* 60000 x 60000 in the PNG header (with a valid CRC, so only the size check can refuse). */
    memcpy(bad, png, pn);
    put_be32(bad + 16, 60000);
    put_be32(bad + 20, 60000);
    put_be32(bad + 29, crc32_bytes(bad + 12, 17));
    snprintf(path, sizeof path, "%s/huge.png", dir);
    fixture_write(path, bad, pn);
    expect_error(path, PR_ERR_LIMIT, "megapixels");
    pr_free(bad);

    /* 60000 x 60000 in the JPEG SOF0 header. */
    bad = pr_malloc(jn);
    memcpy(bad, jpg, jn);
    for (size_t i = 2; i + 9 < jn; i++)
        if (bad[i] == 0xFF && bad[i + 1] == 0xC0) {
            bad[i + 5] = 60000 >> 8;
            bad[i + 6] = 60000 & 0xFF;
            bad[i + 7] = 60000 >> 8;
            bad[i + 8] = 60000 & 0xFF;
            break;
        }
    snprintf(path, sizeof path, "%s/huge.jpg", dir);
    fixture_write(path, bad, jn);
    expect_error(path, PR_ERR_LIMIT, "megapixels");
    pr_free(bad);

    /* 9999 x 9999 (under the 100 MP limit) in the header of this 64x48 file: the data cannot
     * hold a bit per block, so it is corrupt, refused before any pixel buffer is sized from it. */
    bad = pr_malloc(jn);
    memcpy(bad, jpg, jn);
    for (size_t i = 2; i + 9 < jn; i++)
        if (bad[i] == 0xFF && bad[i + 1] == 0xC0) {
            bad[i + 5] = 9999 >> 8;
            bad[i + 6] = 9999 & 0xFF;
            bad[i + 7] = 9999 >> 8;
            bad[i + 8] = 9999 & 0xFF;
            break;
        }
    snprintf(path, sizeof path, "%s/bomb.jpg", dir);
    fixture_write(path, bad, jn);
    expect_error(path, PR_ERR_FORMAT, "far too small");
    pr_free(bad);

    /* CMYK: the same pixels whether RGB or grey is asked for (detect asks for grey). */
    {
        pr_image *rgb = fixture_gradient(64, 48, 3), *c3 = NULL, *c1 = NULL, *ref = NULL;
        unsigned char *cmyk = NULL;
        unsigned long cn = 0;
        PR_CHECK(write_cmyk_jpeg(rgb, &cmyk, &cn) == 0);
        pr_image_load_params gp = pr_image_load_params_default();
        gp.channels = 1;
        PR_CHECK_OK(pr_image_decode(cmyk, cn, "cmyk.jpg", NULL, &c3, NULL));
        PR_CHECK_OK(pr_image_decode(cmyk, cn, "cmyk.jpg", &gp, &c1, NULL));
        PR_CHECK_OK(pr_image_to_gray(rgb, &ref));
        if (c3 && c1 && ref) {
            PR_CHECK(c3->channels == 3 && c1->channels == 1 && c1->width == 64 && c1->height == 48);
            int worst = 0;
            for (int y = 0; y < 48; y++)
                for (int x = 0; x < 64; x++) {
                    int d = abs(pr_image_row(c1, y)[x] - pr_image_row(ref, y)[x]);
                    worst = d > worst ? d : worst;
                    d = abs(pr_image_row(c3, y)[3 * x] - pr_image_row(rgb, y)[3 * x]);
                    worst = d > worst ? d : worst;
                }
            PR_CHECK_MSG(worst <= 12, "CMYK decode differs by %d", worst);
        }
        pr_image_delete(rgb);
        pr_image_delete(c3);
        pr_image_delete(c1);
        pr_image_delete(ref);
        free(cmyk);
    }

    /* Probes read headers only: the bomb's claim comes back as claimed (nothing decoded), and the
     * orientation probe agrees with the loader on a JPEG with EXIF Orientation 6. */
    {
        int w = 0, h = 0, o = 0;
        PR_CHECK_OK(pr_image_probe_orientation(path, &w, &h, &o));
        PR_CHECK(w == 9999 && h == 9999 && o == 1);
        /* SOI, APP1 "Exif" with a little-endian IFD0 of one entry: Orientation (0x0112) = 6 */
        static const uint8_t app1[] = {0xFF, 0xE1, 0x00, 0x22, 'E', 'x', 'i', 'f', 0, 0,
                                       'I', 'I', 42, 0, 8, 0, 0, 0,
                                       1, 0, 0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0,
                                       0, 0, 0, 0};
        uint8_t *rot = pr_malloc(jn + sizeof app1);
        memcpy(rot, jpg, 2);
        memcpy(rot + 2, app1, sizeof app1);
        memcpy(rot + 2 + sizeof app1, jpg + 2, jn - 2);
        char rpath[1200];
        snprintf(rpath, sizeof rpath, "%s/rotated.jpg", dir);
        fixture_write(rpath, rot, jn + sizeof app1);
        pr_free(rot);
        PR_CHECK_OK(pr_image_probe_orientation(rpath, &w, &h, &o));
        PR_CHECK_MSG(w == 64 && h == 48 && o == 6, "probe: %dx%d orientation %d", w, h, o);
        pr_image *up = NULL;
        pr_image_info ui;
        PR_CHECK_OK(pr_image_load(rpath, NULL, &up, &ui));
        PR_CHECK(up && up->width == 48 && up->height == 64 && ui.orientation == 6);
        pr_image_delete(up);
        PR_CHECK_OK(pr_image_probe_orientation(good_png, &w, &h, &o));
        PR_CHECK(w == 64 && h == 48 && o == 1);
        PR_CHECK_OK(pr_image_probe(rpath, &w, &h));
        PR_CHECK(w == 64 && h == 48);
    }

    /* ... and in a PNM header. */
    snprintf(path, sizeof path, "%s/huge.ppm", dir);
    fixture_write(path, "P6\n60000 60000\n255\n\x01\x02\x03", 22);
    expect_error(path, PR_ERR_LIMIT, "megapixels");
    /* The limit is configurable: a 64x48 image is refused at 0.001 MP. */
    pr_image_load_params p = pr_image_load_params_default();
    p.max_pixels = 1000;
    PR_CHECK_EQ_INT(pr_image_load(good_jpg, &p, &img, NULL), PR_ERR_LIMIT);

    /* Truncated PNM raster, malformed PNM header. */
    snprintf(path, sizeof path, "%s/short.pgm", dir);
    fixture_write(path, "P5\n4 4\n255\n\x01\x02", 13);
    expect_error(path, PR_ERR_FORMAT, "truncated");
    snprintf(path, sizeof path, "%s/header.pgm", dir);
    fixture_write(path, "P5\n4 x\n255\n", 11);
    expect_error(path, PR_ERR_FORMAT, "header");

    /* Text, missing file, folder. */
    snprintf(path, sizeof path, "%s/notes.jpg", dir);
    fixture_write(path, "these are not pixels\n", 21);
    expect_error(path, PR_ERR_FORMAT, "not a JPEG");
    snprintf(path, sizeof path, "%s/missing.jpg", dir);
    expect_error(path, PR_ERR_IO, "cannot open");
    expect_error(dir, PR_ERR_IO, "not a regular file");

    /* Random bytes behind a valid JPEG or PNG signature: any error, never a crash or a hang. */
    pr_rng rng;
    pr_rng_seed(&rng, 1);
    uint8_t noise[4096];
    for (int round = 0; round < 200; round++) {
        for (size_t i = 0; i < sizeof noise; i++)
            noise[i] = (uint8_t)pr_rng_u64(&rng);
        const uint8_t *sig = round % 2 ? (const uint8_t *)"\xFF\xD8\xFF" : png;
        memcpy(noise, sig, round % 2 ? 3 : 8);
        pr_image *out = NULL;
        pr_status st = pr_image_decode(noise, sizeof noise, "noise", NULL, &out, NULL);
        PR_CHECK(st != PR_OK && out == NULL);
        pr_image_delete(out);
    }
    /* Random corruption of the middle of a real JPEG: decoded or refused, nothing else. */
    for (int round = 0; round < 200; round++) {
        uint8_t *copy = pr_malloc(jn);
        memcpy(copy, jpg, jn);
        for (int k = 0; k < 8; k++)
            copy[2 + pr_rng_below(&rng, jn - 2)] = (uint8_t)pr_rng_u64(&rng);
        pr_image *out = NULL;
        pr_status st = pr_image_decode(copy, jn, "corrupt", NULL, &out, NULL);
        PR_CHECK(st == PR_OK ? out != NULL : out == NULL);
        pr_image_delete(out);
        pr_free(copy);
    }
    pr_free(jpg);
    pr_free(png);
    return pr_test_finish();
}

/* The formats of a phone album besides JPEG/PNG, through the one loader: a real photo from the
 * album dataset converted at test time (tests/core/format_encoders.c) into lossless WebP, TIFF and
 * GIF (pixels exact), lossy WebP, HEIC and AVIF (PSNR >= 28 dB: on this 120x67 photo, all edges
 * and detail, WebP q90 gives 32.7 dB, HEIC q90 34.0, AVIF q80 32.6 with 4:2:0 chroma, while a
 * mirrored decode of the same photo stays under 20 dB, which the test also checks, so the bound
 * can fail). All eight orientations through
 * TIFF's tag, WebP's EXIF chunk and HEIF's irot/imir; capture time from each; animations give
 * their first frame; a WebP named .jpg loads. Hostile inputs for each format: truncation at many
 * offsets, random bytes behind each signature, 20000x20000 headers refused before any allocation,
 * and allocation failure at every allocation. */
#include "core/alloc.h"
#include "core/image.h"
#include "core/image_internal.h"
#include "core/image_probe.h"
#include "core/image_sniff.h"
#include "core/path.h"
#include "core/rng.h"
#include "tests/core/format_encoders.h"
#include "tests/core/image_fixtures.h"
#include "tests/test.h"

#include <math.h>

static const char *g_dir;
static pr_image *g_src; /* the real photo, small and odd-sized (chroma edges) */

static const char *at(const char *name)
{
    static char bufs[8][1200]; /* a few names alive at once */
    static int next;
    char *p = bufs[next++ % 8];
    snprintf(p, sizeof bufs[0], "%s/%s", g_dir, name);
    return p;
}

static pr_image *load(const char *path, int apply, pr_image_info *info)
{
    pr_image_load_params p = pr_image_load_params_default();
    p.apply_orientation = apply;
    p.channels = 3;
    pr_image *img = NULL;
    pr_status st = pr_image_load(path, &p, &img, info);
    PR_CHECK_MSG(st == PR_OK, "%s: %s", path, pr_last_error());
    return img;
}

static double psnr(const pr_image *a, const pr_image *b)
{
    if (!a || !b || a->width != b->width || a->height != b->height)
        return 0;
    double se = 0;
    for (int y = 0; y < a->height; y++)
        for (int x = 0; x < a->width * 3; x++) {
            double d = (double)pr_image_row(a, y)[x] - pr_image_row(b, y)[x];
            se += d * d;
        }
    se /= (double)a->width * a->height * 3;
    return se == 0 ? 99 : 10 * log10(255.0 * 255.0 / se);
}

static pr_image *oriented(const pr_image *src, int o)
{
    pr_image *out = NULL;
    PR_CHECK_OK(pr_image_orient(src, o, &out));
    return out;
}

/* Loads path and checks format, pixels against want (exact when min_db is 0), orientation. */
static void check_file(const char *path, pr_image_format format, const pr_image *want,
                       double min_db, int orientation)
{
    pr_image_info info;
    pr_image *img = load(path, 1, &info);
    PR_CHECK_MSG(info.format == format, "%s: format %s", path, pr_image_format_name(info.format));
    double db = psnr(img, want);
    PR_CHECK_MSG(min_db ? db >= min_db : db == 99, "%s: %.1f dB against the source", path, db);
    if (min_db && orientation == 1)
        printf("%s: %.1f dB against the source\n", pr_path_basename(path), db);
    PR_CHECK_EQ_INT(info.orientation, orientation);
    PR_CHECK_EQ_INT(info.orientation_applied, orientation > 1);
    pr_image_delete(img);
}

static void test_roundtrips(void)
{
    PR_CHECK_OK(fx_write_webp(at("lossless.webp"), g_src, 1, 0, NULL, 0));
    check_file(at("lossless.webp"), PR_FORMAT_WEBP, g_src, 0, 1);
    PR_CHECK_OK(fx_write_webp(at("lossy.webp"), g_src, 0, 90, NULL, 0));
    check_file(at("lossy.webp"), PR_FORMAT_WEBP, g_src, 28, 1);
    PR_CHECK_OK(fx_write_tiff(at("photo.tif"), g_src, 1, NULL));
    check_file(at("photo.tif"), PR_FORMAT_TIFF, g_src, 0, 1);
    PR_CHECK_OK(fx_write_heif(at("photo.heic"), g_src, 0, 90, 1, NULL, 0));
    check_file(at("photo.heic"), PR_FORMAT_HEIF, g_src, 28, 1);
    PR_CHECK_OK(fx_write_heif(at("photo.avif"), g_src, 1, 80, 1, NULL, 0));
    check_file(at("photo.avif"), PR_FORMAT_AVIF, g_src, 28, 1);

    /* The bound can fail: the same HEIC against the mirrored photo. */
    pr_image *mirror = oriented(g_src, 2), *img = load(at("photo.heic"), 1, NULL);
    PR_CHECK_MSG(psnr(img, mirror) < 20, "mirrored: %.1f dB", psnr(img, mirror));
    pr_image_delete(img);

    /* A WebP saved as .jpg (messengers do it) is still a WebP. */
    rename(at("lossless.webp"), at("really_webp.jpg"));
    check_file(at("really_webp.jpg"), PR_FORMAT_WEBP, g_src, 0, 1);

    /* Animations: the first frame; the second (the mirror) must not leak in. */
    pr_image *q = fx_quantize(g_src), *qm = fx_quantize(mirror);
    const pr_image *frames[2] = {q, qm};
    PR_CHECK_OK(fx_write_gif(at("anim.gif"), frames, 2));
    check_file(at("anim.gif"), PR_FORMAT_GIF, q, 0, 1);
    PR_CHECK_OK(fx_write_webp_anim(at("anim.webp"), g_src, mirror));
    check_file(at("anim.webp"), PR_FORMAT_WEBP, g_src, 0, 1);
    pr_image_delete(q);
    pr_image_delete(qm);
    pr_image_delete(mirror);
}

/* One orientation in one format: upright when applied; the stored pixels and size, with the
 * same orientation reported, when not; the capture time. */
static void check_orientation(const char *path, pr_image_format format, int o, double min_db,
                              const char *datetime)
{
    pr_image *want = oriented(g_src, o);
    check_file(path, format, want, min_db, o);
    pr_image_info info;
    pr_image *raw = load(path, 0, &info);
    double db = psnr(raw, g_src);
    PR_CHECK_MSG(min_db ? db >= min_db : db == 99, "%s unapplied: %.1f dB", path, db);
    PR_CHECK_EQ_INT(info.orientation, o);
    PR_CHECK_EQ_INT(info.orientation_applied, 0);
    PR_CHECK_EQ_INT(info.stored_width, g_src->width);
    PR_CHECK_EQ_INT(info.has_datetime, datetime != NULL);
    if (datetime)
        PR_CHECK_STR(info.datetime, datetime);
    pr_image_delete(raw);
    pr_image_delete(want);
}

static void test_orientations(void)
{
    uint8_t exif[96];
    char name[64];
    for (int o = 1; o <= 8; o++) {
        snprintf(name, sizeof name, "o%d.tif", o);
        PR_CHECK_OK(fx_write_tiff(at(name), g_src, o, "2019:07:14 10:20:30"));
        check_orientation(at(name), PR_FORMAT_TIFF, o, 0, "2019:07:14 10:20:30");
        size_t n = fx_exif(exif, o, "2021:02:03 04:05:06");
        snprintf(name, sizeof name, "o%d.webp", o);
        PR_CHECK_OK(fx_write_webp(at(name), g_src, 1, 0, exif, n));
        check_orientation(at(name), PR_FORMAT_WEBP, o, 0, "2021:02:03 04:05:06");
        /* HEIF: irot/imir carry it; the EXIF says 1, like libheif writes, and must not count. */
        n = fx_exif(exif, 1, "2022:12:24 18:00:00");
        snprintf(name, sizeof name, "o%d.heic", o);
        PR_CHECK_OK(fx_write_heif(at(name), g_src, 0, 90, o, exif, n));
        check_orientation(at(name), PR_FORMAT_HEIF, o, 28, "2022:12:24 18:00:00");
    }
    /* An iPhone writes EXIF Orientation 6 next to irot: rotated once, not twice. */
    size_t n = fx_exif(exif, 6, NULL);
    PR_CHECK_OK(fx_write_heif(at("iphone.heic"), g_src, 0, 90, 6, exif, n));
    check_orientation(at("iphone.heic"), PR_FORMAT_HEIF, 6, 28, NULL);
}

static int same_pixels(const pr_image *a, const pr_image *b) { return psnr(a, b) == 99; }

/* Every cut of a file fails, or gives exactly the intact file's pixels (an animation cut after
 * its first frame); never a crash, never a grey-padded photo. The half-way cut must fail. */
static void test_truncation(const char *path)
{
    uint8_t *bytes = NULL;
    size_t n = 0;
    PR_CHECK_OK(pr_read_file(path, 0, &bytes, &n));
    pr_image *whole = NULL, *img = NULL;
    PR_CHECK_OK(pr_image_decode(bytes, n, path, NULL, &whole, NULL));
    int failed = 0, cuts = 0;
    for (size_t cut = 1; cut < n; cut += cut < 96 ? 5 : n / 53 + 1, cuts++) {
        pr_status st = pr_image_decode(bytes, cut, path, NULL, &img, NULL);
        PR_CHECK_MSG(st != PR_OK || same_pixels(img, whole), "%s cut at %zu of %zu decoded",
                     path, cut, n);
        failed += st != PR_OK;
        pr_image_delete(img);
    }
    PR_CHECK_MSG(pr_image_decode(bytes, n / 2, path, NULL, &img, NULL) != PR_OK,
                 "%s: half the file decoded", path);
    pr_image_delete(img);
    printf("%s: %d of %d truncations refused\n", pr_path_basename(path), failed, cuts);
    pr_image_delete(whole);
    pr_free(bytes);
}

static void put_le(uint8_t *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * i));
}

static void put_be(uint8_t *p, uint32_t v, int bytes)
{
    for (int i = 0; i < bytes; i++)
        p[i] = (uint8_t)(v >> (8 * (bytes - 1 - i)));
}

/* ImageWidth/ImageLength (SHORT or LONG) of a little-endian TIFF's first IFD. */
static void patch_tiff(uint8_t *b, size_t n, uint32_t v)
{
    uint32_t ifd = b[4] | b[5] << 8 | b[6] << 16 | (uint32_t)b[7] << 24;
    unsigned count = ifd + 2 <= n ? (unsigned)(b[ifd] | b[ifd + 1] << 8) : 0;
    for (unsigned i = 0; i < count && ifd + 2 + 12 * (i + 1) <= n; i++) {
        uint8_t *e = b + ifd + 2 + 12 * i;
        int tag = e[0] | e[1] << 8, type = e[2] | e[3] << 8;
        if (tag == 256 || tag == 257)
            put_le(e + 8, v, type == 3 ? 2 : 4);
    }
}

/* Every ispe box (the coded size HEIF readers trust before decoding). */
static void patch_ispe(uint8_t *b, size_t n, uint32_t v)
{
    for (size_t i = 0; i + 16 <= n; i++)
        if (memcmp(b + i, "ispe", 4) == 0) {
            put_be(b + i + 8, v, 4);
            put_be(b + i + 12, v, 4);
        }
}

typedef enum { HUGE_WEBP_VP8L, HUGE_WEBP_CANVAS, HUGE_TIFF, HUGE_GIF_SCREEN, HUGE_GIF_FRAME, HUGE_HEIF } huge_kind;

static void patch_huge(uint8_t *b, size_t n, huge_kind kind)
{
    uint32_t v;
    switch (kind) {
    case HUGE_WEBP_VP8L: /* 14-bit width-1 and height-1 after the 0x2f signature */
        PR_CHECK(memcmp(b + 12, "VP8L", 4) == 0 && b[20] == 0x2f);
        v = (uint32_t)b[21] | b[22] << 8 | b[23] << 16 | (uint32_t)b[24] << 24;
        put_le(b + 21, (v & 0xF0000000u) | 16383u | 16383u << 14, 4);
        break;
    case HUGE_WEBP_CANVAS: /* VP8X: 24-bit canvas width-1 and height-1 */
        PR_CHECK(memcmp(b + 12, "VP8X", 4) == 0);
        put_le(b + 24, 20000 - 1, 3);
        put_le(b + 27, 20000 - 1, 3);
        break;
    case HUGE_TIFF: patch_tiff(b, n, 20000); break;
    case HUGE_GIF_SCREEN: put_le(b + 6, 20000, 2), put_le(b + 8, 20000, 2); break;
    case HUGE_GIF_FRAME: /* the first image descriptor, right after the 256-colour table */
        PR_CHECK(b[13 + 768] == 0x2C);
        put_le(b + 13 + 768 + 5, 20000, 2), put_le(b + 13 + 768 + 7, 20000, 2);
        break;
    case HUGE_HEIF: patch_ispe(b, n, 20000); break;
    }
}

/* A 20000 x 20000 (or 16384^2) header is refused as over the pixel limit before the decoder
 * allocates anything through pr_malloc. */
static void test_huge(const char *path, huge_kind kind)
{
    uint8_t *b = NULL;
    size_t n = 0;
    PR_CHECK_OK(pr_read_file(path, 0, &b, &n));
    patch_huge(b, n, kind);
    pr_image *img = NULL;
    pr_alloc_reset_count();
    pr_status st = pr_image_decode(b, n, path, NULL, &img, NULL);
    long allocations = pr_alloc_count();
    PR_CHECK_MSG(st == PR_ERR_LIMIT && strstr(pr_last_error(), "megapixels"),
                 "%s (huge %d): %s %s", path, (int)kind, pr_status_name(st), pr_last_error());
    PR_CHECK_MSG(allocations == 0, "%s: %ld allocations before refusing", path, allocations);
    pr_image_delete(img);
    pr_free(b);
}

/* Under the pixel limit but far beyond what the data can hold (r12's header bomb, as a GIF: screen
 * and first frame 9999 x 9999 in a file of a few KB): refused as corrupt before the image is
 * allocated, instead of painting 300 MB of background. */
static void test_gif_bomb(const char *path)
{
    uint8_t *b = NULL;
    size_t n = 0;
    PR_CHECK_OK(pr_read_file(path, 0, &b, &n));
    put_le(b + 6, 9999, 2), put_le(b + 8, 9999, 2);
    PR_CHECK(b[13 + 768] == 0x2C);
    put_le(b + 13 + 768 + 5, 9999, 2), put_le(b + 13 + 768 + 7, 9999, 2);
    pr_image *img = NULL;
    pr_alloc_reset_count();
    pr_status st = pr_image_decode(b, n, path, NULL, &img, NULL);
    long allocations = pr_alloc_count();
    PR_CHECK_MSG(st == PR_ERR_FORMAT && strstr(pr_last_error(), "far too small"), "%s: %s %s",
                 path, pr_status_name(st), pr_last_error());
    PR_CHECK_MSG(allocations == 0, "%s: %ld allocations before refusing", path, allocations);
    pr_image_delete(img);
    pr_free(b);
}

/* Where a tag's values are in a little-endian TIFF's first IFD (inline when they fit in 4
 * bytes), with their count and size; NULL when the tag is absent. */
static uint8_t *tiff_values(uint8_t *b, size_t n, int want, unsigned *count, int *size)
{
    uint32_t ifd = b[4] | b[5] << 8 | b[6] << 16 | (uint32_t)b[7] << 24;
    unsigned entries = ifd + 2 <= n ? (unsigned)(b[ifd] | b[ifd + 1] << 8) : 0;
    for (unsigned i = 0; i < entries && ifd + 2 + 12 * (i + 1) <= n; i++) {
        uint8_t *e = b + ifd + 2 + 12 * i;
        if ((e[0] | e[1] << 8) != want)
            continue;
        *size = (e[2] | e[3] << 8) == 3 ? 2 : 4;
        *count = e[4] | e[5] << 8 | e[6] << 16 | (uint32_t)e[7] << 24;
        if (*count * (unsigned)*size <= 4)
            return e + 8;
        uint32_t at = e[8] | e[9] << 8 | e[10] << 16 | (uint32_t)e[11] << 24;
        return at + *count * (unsigned)*size <= n ? b + at : NULL;
    }
    return NULL;
}

static uint32_t get_le(const uint8_t *p, int bytes)
{
    uint32_t v = 0;
    for (int i = bytes - 1; i >= 0; i--)
        v = v << 8 | p[i];
    return v;
}

/* A TIFF whose strips are not all there is corrupt, as a JPEG or PNG would be: (a) a header
 * claiming 9999 x 9999 (under the pixel limit) over a small photo's few strips, refused before
 * the 100 MP image is allocated (libtiff 'reads' the missing strips as nothing, and the photo was
 * decoded into ~700 MB of grey); (b) the last strip running past the end of the file (a file cut
 * short whose directory comes first, as scanners write it), refused before allocating; (c) a
 * strip whose compressed data is damaged, refused instead of decoded with that strip left blank. */
static void test_tiff_missing_strips(const char *path)
{
    uint8_t *b = NULL;
    size_t n = 0;
    PR_CHECK_OK(pr_read_file(path, 0, &b, &n));
    uint8_t *m = pr_malloc(n);
    for (int c = 0; c < 3 && m; c++) {
        memcpy(m, b, n);
        unsigned nofs = 0, ncnt = 0;
        int sofs = 0, scnt = 0;
        uint8_t *ofs = tiff_values(m, n, 273, &nofs, &sofs);
        uint8_t *cnt = tiff_values(m, n, 279, &ncnt, &scnt);
        PR_CHECK(ofs && cnt && nofs == ncnt && nofs >= 2);
        if (!(ofs && cnt && nofs == ncnt && nofs >= 2))
            break;
        if (c == 0)
            patch_tiff(m, n, 9999);
        else if (c == 1)
            put_le(cnt + scnt * (ncnt - 1), get_le(cnt + scnt * (ncnt - 1), scnt) + 30000, scnt);
        else
            memset(m + get_le(ofs + sofs, sofs), 0xff, 8); /* strip 1's zlib header and more */
        pr_image *img = NULL;
        pr_alloc_reset_count();
        pr_status st = pr_image_decode(m, n, path, NULL, &img, NULL);
        long allocations = pr_alloc_count();
        PR_CHECK_MSG(st == PR_ERR_FORMAT && strstr(pr_last_error(), "TIFF"), "%s (case %d): %s %s",
                     path, c, pr_status_name(st), pr_last_error());
        PR_CHECK_MSG(c == 2 || allocations == 0, "%s (case %d): %ld allocations before refusing",
                     path, c, allocations);
        pr_image_delete(img);
    }
    pr_free(m);
    pr_free(b);
}

/* Allocation k fails for k = 1, 2, ... until the load succeeds: each failure is PR_ERR_NOMEM
 * (ASan reports any leak on those paths). */
static void test_alloc_failure(const char *path)
{
    int succeeded = 0;
    for (long k = 1; k < 1000 && !succeeded; k++) {
        pr_image *img = NULL;
        pr_alloc_fail_at(k);
        pr_status st = pr_image_load(path, NULL, &img, NULL);
        pr_alloc_fail_at(0);
        succeeded = st == PR_OK;
        PR_CHECK_MSG(st == PR_OK || st == PR_ERR_NOMEM, "%s: allocation %ld failed gave %s: %s",
                     path, k, pr_status_name(st), pr_last_error());
        pr_image_delete(img);
    }
    PR_CHECK_MSG(succeeded, "%s never loaded", path);
}

/* Random bytes behind each signature, and random byte changes in each real file: any status,
 * never a crash, a hang or a leak. */
static void test_garbage(const char *const *files, int nfiles)
{
    static const char *const sigs[] = {"RIFF\x40\0\0\0WEBPVP8 ", "RIFF\x40\0\0\0WEBPVP8L",
                                       "RIFF\x40\0\0\0WEBPVP8X", "II*\0", "MM\0*", "GIF89a",
                                       "\0\0\0\x18" "ftypheic\0\0\0\0mif1heic",
                                       "\0\0\0\x18" "ftypavif\0\0\0\0mif1avif"};
    static const size_t lens[] = {16, 16, 16, 4, 4, 6, 24, 24};
    pr_rng rng;
    pr_rng_seed(&rng, 15);
    uint8_t noise[2048];
    for (int round = 0; round < 400; round++) {
        for (size_t i = 0; i < sizeof noise; i++)
            noise[i] = (uint8_t)pr_rng_u64(&rng);
        memcpy(noise, sigs[round % 8], lens[round % 8]);
        pr_image *img = NULL;
        pr_image_decode(noise, sizeof noise, "noise", NULL, &img, NULL);
        pr_image_delete(img);
    }
    for (int f = 0; f < nfiles; f++) {
        uint8_t *b = NULL;
        size_t n = 0;
        PR_CHECK_OK(pr_read_file(files[f], 0, &b, &n));
        for (int round = 0; round < 40; round++) {
            uint8_t *m = pr_malloc(n);
            memcpy(m, b, n);
            for (int k = 0; k < 4; k++)
                m[pr_rng_u64(&rng) % n] = (uint8_t)pr_rng_u64(&rng);
            pr_image *img = NULL;
            pr_image_decode(m, n, files[f], NULL, &img, NULL);
            pr_image_delete(img);
            pr_free(m);
        }
        pr_free(b);
    }
}

/* Signatures, not names: the ftyp brands decide HEIF vs AVIF; other ISO-BMFF files are not images. */
static void test_sniff(void)
{
    static const struct {
        const char *bytes;
        size_t n;
        pr_image_format want;
    } cases[] = {
        {"\0\0\0\x18" "ftypheic\0\0\0\0mif1heic", 24, PR_FORMAT_HEIF},
        {"\0\0\0\x18" "ftypmif1\0\0\0\0mif1avif", 24, PR_FORMAT_AVIF},
        {"\0\0\0\x14" "ftypavis\0\0\0\0avis", 20, PR_FORMAT_AVIF},
        {"\0\0\0\x18" "ftypcrx \0\0\0\0crx isom", 24, PR_FORMAT_UNKNOWN}, /* Canon raw */
        {"\0\0\0\x18" "ftypisom\0\0\0\0isommp41", 24, PR_FORMAT_UNKNOWN}, /* a video */
        {"RIFF\0\0\0\0WEBPVP8 ", 16, PR_FORMAT_WEBP},
        {"RIFF\0\0\0\0WAVEfmt ", 16, PR_FORMAT_UNKNOWN},
        {"II+\0\x08\0\0\0", 8, PR_FORMAT_TIFF}, /* BigTIFF */
        {"MM\0*\0\0\0\x08", 8, PR_FORMAT_TIFF},
        {"GIF87a", 6, PR_FORMAT_GIF},
        {"GIF90a", 6, PR_FORMAT_UNKNOWN},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        PR_CHECK_MSG(pr_image_sniff((const uint8_t *)cases[i].bytes, cases[i].n) == cases[i].want,
                     "case %zu", i);
}

int main(void)
{
    const char *data = pr_test_data_dir("album");
    char photo[4200];
    snprintf(photo, sizeof photo, "%s/faceapi_bbt/bbt1.jpg", data);
    g_dir = fixture_dir("image_formats");
    pr_image *full = load(photo, 1, NULL);
    if (!full)
        return pr_test_finish();
    PR_CHECK_OK(pr_image_resize(full, 120, 67, &g_src));
    pr_image_delete(full);

    test_sniff();
    test_roundtrips();
    test_orientations();

    const char *const names[] = {"o6.webp", "lossy.webp", "anim.webp", "o6.tif", "anim.gif",
                                 "o6.heic", "photo.avif"};
    for (int i = 0; i < (int)(sizeof names / sizeof names[0]); i++) {
        test_truncation(at(names[i]));
        test_alloc_failure(at(names[i]));
    }
    /* The header-size probe (XMP/Picasa regions) knows them too, as stored (before orientation). */
    const char *const probed[] = {"o6.heic", "o6.webp", "o6.tif", "anim.gif", "photo.avif"};
    for (int i = 0; i < 5; i++) {
        int w = 0, h = 0;
        PR_CHECK_OK(pr_image_probe(at(probed[i]), &w, &h));
        PR_CHECK_MSG(w == g_src->width && h == g_src->height, "%s: probe %dx%d", probed[i], w, h);
    }
    test_huge(at("really_webp.jpg"), HUGE_WEBP_VP8L);
    test_huge(at("anim.webp"), HUGE_WEBP_CANVAS);
    test_huge(at("o1.tif"), HUGE_TIFF);
    test_huge(at("anim.gif"), HUGE_GIF_SCREEN);
    test_huge(at("anim.gif"), HUGE_GIF_FRAME);
    test_gif_bomb(at("anim.gif"));
    test_tiff_missing_strips(at("o1.tif"));
    test_huge(at("o3.heic"), HUGE_HEIF);
    test_huge(at("photo.avif"), HUGE_HEIF);
    const char *garbage[] = {at("o6.webp"), at("lossy.webp"), at("anim.webp"), at("o6.tif")};
    test_garbage(garbage, 4);
    const char *garbage2[] = {at("anim.gif"), at("o6.heic"), at("photo.avif")};
    test_garbage(garbage2, 3);
    pr_image_delete(g_src);
    return pr_test_finish();
}

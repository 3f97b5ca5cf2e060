/* Region decoding (core/image_jpeg_region.h) against the full decode, byte for byte: real photos
 * of dlib_faces and album (4:2:0 and 4:4:4 chroma, grey, sizes not a multiple of the iMCU), each
 * also under every EXIF orientation 2..8 (an Orientation tag spliced in front of the photo's own
 * markers, in a temporary copy), a grey JPEG, rectangles at the corners, edges and middle and one
 * covering the whole photo. The descriptor takes its pixels from these regions, so equality here is
 * what keeps it face-api's (pipeline/describe.c). */
#include "core/alloc.h"
#include "core/image.h"
#include "core/image_jpeg_region.h"
#include "tests/core/jpeg_oriented.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const photos[] = {
    "dlib_faces/2008_002470.jpg",
    "dlib_faces/2009_004587.jpg",
    "album/faceapi_bbt/bbt1.jpg",
    "album/immich_testassets_faces/portrait.jpg",
    "album/lfw10x10/Tony_Blair/Tony_Blair_0001.jpg",
};

/* Compares want (clipped to the photo) of full against the region decode: the differing bytes. */
static long compare(const char *path, const pr_image *full, const int want[4])
{
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    pr_image *part = NULL;
    int origin[2];
    pr_image_info info;
    if (pr_image_load_region(path, &lp, want, &part, origin, &info) != PR_OK) {
        fprintf(stderr, "%s: %s\n", path, pr_last_error());
        return -1;
    }
    long bad = 0;
    PR_CHECK_EQ_INT(info.full_width, full->width);
    PR_CHECK_EQ_INT(info.full_height, full->height);
    int x0 = want[0] < 0 ? 0 : want[0], y0 = want[1] < 0 ? 0 : want[1];
    int x1 = want[0] + want[2] < full->width ? want[0] + want[2] : full->width;
    int y1 = want[1] + want[3] < full->height ? want[1] + want[3] : full->height;
    /* The part must hold the whole wanted rectangle; when it does not, nothing is read outside
     * it and the part is still freed. */
    int holds = origin[0] <= x0 && origin[1] <= y0 && origin[0] + part->width >= x1 &&
                origin[1] + part->height >= y1;
    PR_CHECK_MSG(holds, "%s: part at (%d, %d) %dx%d does not hold the wanted rectangle", path,
                 origin[0], origin[1], part->width, part->height);
    for (int y = y0; holds && y < y1 && bad == 0; y++) {
        int py = y - origin[1];
        const uint8_t *a = pr_image_row(full, y) + 3 * x0;
        const uint8_t *b = pr_image_row(part, py) + 3 * (x0 - origin[0]);
        for (int k = 0; k < 3 * (x1 - x0); k++)
            bad += a[k] != b[k];
    }
    pr_image_delete(part);
    return holds ? bad : -1;
}

static void check_photo(const char *path)
{
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    pr_image *full = NULL;
    PR_CHECK_OK(pr_image_load(path, &lp, &full, NULL));
    if (!full)
        return;
    int w = full->width, h = full->height;
    const int rects[][4] = {
        {0, 0, 40, 40},                   {w - 37, h - 29, 37, 29}, {w / 3, h / 4, 53, 61},
        {w / 2 - 7, 0, 45, h},            {0, h / 2 + 3, w, 17},    {-10, -10, w + 20, h + 20},
        {w - 70, h / 3 + 1, 90, h / 5},   {11, 9, w / 2 + 3, h / 2 + 5},
    };
    for (size_t r = 0; r < sizeof rects / sizeof rects[0]; r++) {
        long bad = compare(path, full, rects[r]);
        PR_CHECK_MSG(bad == 0, "%s rect %zu (%d,%d,%d,%d): %ld bytes differ", path, r, rects[r][0],
                     rects[r][1], rects[r][2], rects[r][3], bad);
    }
    pr_image_delete(full);
}

int main(void)
{
    char data[4096], path[8192], tmp[64];
    snprintf(data, sizeof data, "%s", pr_test_data_dir("dlib_faces"));
    data[strlen(data) - strlen("/dlib_faces")] = '\0';
    snprintf(tmp, sizeof tmp, "test_image_region_%ld.jpg", (long)getpid());
    for (size_t i = 0; i < sizeof photos / sizeof photos[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", data, photos[i]);
        if (access(path, R_OK) != 0)
            continue;
        check_photo(path);
        for (int o = 2; o <= 8; o++)
            if (pr_test_write_oriented(path, tmp, o))
                check_photo(tmp);
            else
                PR_CHECK_MSG(0, "cannot write %s", tmp);
    }
    /* A grey JPEG (one component: decoded grey, then made RGB like the whole decode). */
    snprintf(path, sizeof path, "%s/%s", data, photos[0]);
    pr_image *img = NULL, *grey = NULL;
    PR_CHECK_OK(pr_image_load(path, NULL, &img, NULL));
    if (img && pr_image_to_gray(img, &grey) == PR_OK && pr_image_save(tmp, grey) == PR_OK)
        check_photo(tmp);
    else
        PR_CHECK_MSG(0, "cannot write a grey %s", tmp);
    pr_image_delete(img);
    pr_image_delete(grey);
    remove(tmp);

    /* A truncated JPEG: an error naming the file, nothing returned (libjpeg's longjmp path). */
    snprintf(path, sizeof path, "%s/%s", data, photos[0]);
    uint8_t *bytes = NULL;
    size_t size = 0;
    PR_CHECK_OK(pr_read_file(path, 0, &bytes, &size));
    FILE *f = bytes ? fopen(tmp, "wb") : NULL;
    if (f) {
        PR_CHECK(fwrite(bytes, 1, size / 2, f) == size / 2);
        PR_CHECK(fclose(f) == 0);
        pr_image *part = NULL;
        int origin[2], want[4] = {0, 0, 10000, 10000};
        PR_CHECK(pr_image_load_region(tmp, NULL, want, &part, origin, NULL) == PR_ERR_FORMAT);
        PR_CHECK(part == NULL && strstr(pr_last_error(), tmp) != NULL);
        remove(tmp);
    }
    pr_free(bytes);

    /* A header bomb: a real photo whose frame header claims 9999 x 9999 (under the pixel limit).
     * Its data cannot hold a bit per block, so the region decode refuses it before sizing any
     * buffer, as the whole decode does (core/image_jpeg_internal.h), with the same message. */
    snprintf(path, sizeof path, "%s/%s", data, photos[4]);
    bytes = NULL;
    PR_CHECK_OK(pr_read_file(path, 0, &bytes, &size));
    int sof = 0;
    for (size_t i = 2; bytes && i + 9 < size && !sof; i++)
        if (bytes[i] == 0xFF && (bytes[i + 1] == 0xC0 || bytes[i + 1] == 0xC2)) {
            bytes[i + 5] = bytes[i + 7] = 9999 >> 8;
            bytes[i + 6] = bytes[i + 8] = 9999 & 0xFF;
            sof = 1;
        }
    PR_CHECK_MSG(sof, "%s: no frame header found", path);
    f = sof ? fopen(tmp, "wb") : NULL;
    if (f) {
        PR_CHECK(fwrite(bytes, 1, size, f) == size);
        PR_CHECK(fclose(f) == 0);
        pr_image *part = NULL;
        int origin[2], want[4] = {4000, 4000, 100, 100};
        PR_CHECK(pr_image_load_region(tmp, NULL, want, &part, origin, NULL) == PR_ERR_FORMAT);
        PR_CHECK_MSG(part == NULL && strstr(pr_last_error(), "far too small") != NULL,
                     "header bomb: %s", pr_last_error());
        PR_CHECK(pr_image_load(tmp, NULL, &part, NULL) == PR_ERR_FORMAT);
        PR_CHECK(part == NULL && strstr(pr_last_error(), "far too small") != NULL);
        remove(tmp);
    }
    pr_free(bytes);

    /* Not a JPEG: the caller is told to decode the whole photo. */
    snprintf(path, sizeof path, "%s/att_orl/s1/1.pgm", data);
    if (access(path, R_OK) == 0) {
        pr_image *part = NULL;
        int origin[2], want[4] = {0, 0, 10, 10};
        PR_CHECK(pr_image_load_region(path, NULL, want, &part, origin, NULL) == PR_ERR_UNSUPPORTED);
        PR_CHECK(part == NULL);
    }
    return pr_test_finish();
}

/* Test helper: a copy of a JPEG with an EXIF Orientation tag spliced in after SOI (big-endian
 * TIFF, one IFD0 entry), the photo's own markers and pixels untouched. A reader that applies the
 * orientation must then show the stored pixels turned by exactly pr_image_orient's mapping, which
 * the tests can check byte for byte. Header-only: each test that includes it gets its own copy. */
#ifndef PR_TESTS_CORE_JPEG_ORIENTED_H
#define PR_TESTS_CORE_JPEG_ORIENTED_H

#include "core/alloc.h"
#include "core/fileio.h"

#include <stdint.h>
#include <stdio.h>

/* 1 when dst holds src's bytes with EXIF Orientation `orientation` (1..8) in front. */
static int pr_test_write_oriented(const char *src, const char *dst, int orientation)
{
    uint8_t *bytes = NULL;
    size_t size = 0;
    if (pr_read_file(src, 0, &bytes, &size) != PR_OK || size < 4) {
        pr_free(bytes);
        return 0;
    }
    static const uint8_t head[] = {0xFF, 0xE1, 0x00, 34, 'E', 'x', 'i', 'f', 0, 0, 'M', 'M', 0, 42,
                                   0, 0, 0, 8, 0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1};
    uint8_t tail[8] = {0, 0, 0, 0, 0, 0, 0, 0};
    tail[1] = (uint8_t)orientation; /* SHORT value, left-justified in the 4-byte field */
    FILE *f = fopen(dst, "wb");
    int ok = f && fwrite(bytes, 1, 2, f) == 2 && fwrite(head, 1, sizeof head, f) == sizeof head &&
             fwrite(tail, 1, sizeof tail, f) == sizeof tail &&
             fwrite(bytes + 2, 1, size - 2, f) == size - 2;
    if (f)
        ok = fclose(f) == 0 && ok;
    pr_free(bytes);
    return ok;
}

#endif

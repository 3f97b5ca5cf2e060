/* libFuzzer target for the one image loader (pr_image_decode): every format it sniffs (JPEG, PNG,
 * PNM, HEIF/AVIF, WebP, TIFF, GIF) through the same entry the album uses, with a 4 MP limit so
 * the fuzzer explores headers rather than spending its time on legitimately huge images. Any bytes
 * must give an image or an error with a message: never a crash, a leak or an out-of-bounds read.
 * Seeds in fuzz/corpus/image_load: one tiny synthetic image per format. */
#include "core/image.h"
#include "core/status.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    pr_image_load_params params = pr_image_load_params_default();
    params.max_pixels = 4u << 20;
    params.apply_orientation = size % 2; /* both paths, chosen by the input itself */
    pr_image *img = NULL;
    pr_image_info info;
    pr_status st = pr_image_decode(data, size, "fuzz", &params, &img, &info);
    if (st != PR_OK && pr_last_error()[0] == '\0')
        abort(); /* an error without a message is a bug */
    if (st == PR_OK && (!img || img->width <= 0 || img->height <= 0 ||
                        (uint64_t)img->width * (uint64_t)img->height > params.max_pixels))
        abort();
    pr_image_delete(img);
    return 0;
}

/* LeakSanitizer hook: two leaks of Debian 12's AV1 path on corrupt AVIF, found by this fuzzer, none
 * with personrec code between the allocation and libheif's API: libdav1d 1.0 leaks 40 bytes on
 * some damaged streams, and libheif 1.15's decoder plugin drops the heif_image it made with
 * heif_image_create when a later step fails (personrec never calls heif_image_create; the images
 * it gets from heif_decode_image come from another allocation, so forgetting to release one of
 * those is still reported). */
const char *__lsan_default_suppressions(void);
const char *__lsan_default_suppressions(void)
{
    return "leak:libdav1d.so\nleak:heif_image_create\n";
}

/* The C++ frames of those leaks (operator new inside libheif) are only seen with the slow unwinder;
 * without it the suppression above cannot match them. */
const char *__asan_default_options(void);
const char *__asan_default_options(void) { return "fast_unwind_on_malloc=0"; }

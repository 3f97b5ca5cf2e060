/* Format detection by signature. HEIF and AVIF share the ISO-BMFF "ftyp" box; its major and
 * compatible brands say which codec the primary image uses. */
#include "core/image_sniff.h"

#include <string.h>

static int brand_in(const uint8_t *brand, const char *const *list)
{
    for (; *list; list++)
        if (memcmp(brand, *list, 4) == 0)
            return 1;
    return 0;
}

/* ftyp box: size(4) "ftyp" major(4) minor_version(4) compatible brands(4 each). */
static pr_image_format sniff_ftyp(const uint8_t *b, size_t n)
{
    static const char *const avif[] = {"avif", "avis", NULL};
    static const char *const heif[] = {"heic", "heix", "heim", "heis", "hevc", "hevx",
                                       "hevm", "hevs", "mif1", "msf1", NULL};
    if (n < 16 || memcmp(b + 4, "ftyp", 4) != 0)
        return PR_FORMAT_UNKNOWN;
    size_t box = (size_t)b[0] << 24 | (size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3];
    if (box < 16 || box > n)
        box = n < 64 ? n : 64;
    int is_heif = brand_in(b + 8, heif), is_avif = brand_in(b + 8, avif);
    for (size_t i = 16; i + 4 <= box; i += 4) {
        is_heif |= brand_in(b + i, heif);
        is_avif |= brand_in(b + i, avif);
    }
    /* "mif1" alone says HEIF container; an AV1 brand anywhere says the image is AV1. */
    if (is_avif)
        return PR_FORMAT_AVIF;
    return is_heif ? PR_FORMAT_HEIF : PR_FORMAT_UNKNOWN;
}

pr_image_format pr_image_sniff(const uint8_t *b, size_t n)
{
    if (n >= 3 && b[0] == 0xFF && b[1] == 0xD8 && b[2] == 0xFF)
        return PR_FORMAT_JPEG;
    if (n >= 8 && memcmp(b, "\x89PNG\r\n\x1a\n", 8) == 0)
        return PR_FORMAT_PNG;
    if (n >= 2 && b[0] == 'P' && (b[1] == '5' || b[1] == '6'))
        return PR_FORMAT_PNM;
    if (n >= 12 && memcmp(b, "RIFF", 4) == 0 && memcmp(b + 8, "WEBP", 4) == 0)
        return PR_FORMAT_WEBP;
    if (n >= 6 && (memcmp(b, "GIF87a", 6) == 0 || memcmp(b, "GIF89a", 6) == 0))
        return PR_FORMAT_GIF;
    /* Classic TIFF (42) and BigTIFF (43), little- and big-endian. */
    if (n >= 4 && ((b[0] == 'I' && b[1] == 'I' && (b[2] == 42 || b[2] == 43) && b[3] == 0) ||
                   (b[0] == 'M' && b[1] == 'M' && b[2] == 0 && (b[3] == 42 || b[3] == 43))))
        return PR_FORMAT_TIFF;
    return sniff_ftyp(b, n);
}

/* EXIF stored outside a JPEG (WebP's EXIF chunk, HEIF's Exif item) into pr_exif_read, which takes
 * a JPEG APP1 payload: such payloads are the bare TIFF structure, sometimes already behind
 * "Exif\0\0" (writers differ), so the prefix is added when missing. */
#include "core/image_internal.h"

#include "core/alloc.h"

#include <string.h>

pr_status pr_exif_read_payload(const uint8_t *bytes, size_t size, pr_image_info *info)
{
    if (size >= 6 && memcmp(bytes, "Exif\0\0", 6) == 0) {
        pr_exif_read(bytes, size, &info->orientation, info->datetime, &info->has_datetime);
        return PR_OK;
    }
    if (size < 8 || size > 0xFFFF) /* pr_exif_read's own bound: one APP1 segment */
        return PR_OK;
    uint8_t *buf = pr_malloc(size + 6);
    if (!buf)
        return pr_set_error(PR_ERR_NOMEM, "out of memory reading EXIF");
    memcpy(buf, "Exif\0\0", 6);
    memcpy(buf + 6, bytes, size);
    pr_exif_read(buf, size + 6, &info->orientation, info->datetime, &info->has_datetime);
    pr_free(buf);
    return PR_OK;
}

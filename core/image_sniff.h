/* The image format of a file from its first bytes (magic numbers), never from its name: phones
 * and messengers save WebP and HEIC under ".jpg". */
#ifndef PR_CORE_IMAGE_SNIFF_H
#define PR_CORE_IMAGE_SNIFF_H

#include "core/image.h"

#include <stddef.h>
#include <stdint.h>

/* PR_FORMAT_UNKNOWN when no known signature matches. Reads at most the first 64 bytes. */
pr_image_format pr_image_sniff(const uint8_t *bytes, size_t size);

#endif

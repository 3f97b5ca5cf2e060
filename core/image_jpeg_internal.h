/* Private to core/image_jpeg*.c: the one libjpeg decoder setup, shared by the whole decode
 * (image_jpeg.c) and the region decode (image_jpeg_region.c), so that both refuse the same files
 * with the same messages: libjpeg's errors and its missing-data warnings longjmp back to the
 * caller, and the header is checked against the pixel limit and against the data before any
 * buffer is sized from it. */
#ifndef PR_CORE_IMAGE_JPEG_INTERNAL_H
#define PR_CORE_IMAGE_JPEG_INTERNAL_H

#ifdef PR_HAVE_JPEG
#include "core/image_internal.h"

#include <stdio.h> /* jpeglib.h needs FILE and size_t first */

#include <jpeglib.h>
#include <setjmp.h>

typedef struct pr_jpeg_error {
    struct jpeg_error_mgr base;
    jmp_buf jump;
    char message[JMSG_LENGTH_MAX];
    int truncated; /* the error was missing data */
} pr_jpeg_error;

/* Sets err up (errors and missing-data warnings longjmp to err->jump); returns &err->base for
 * cinfo.err. The caller calls setjmp(err->jump) before any libjpeg call. */
struct jpeg_error_mgr *pr_jpeg_error_init(pr_jpeg_error *err);

/* After the longjmp: PR_ERR_FORMAT naming the file ("truncated JPEG", or "corrupt JPEG"). */
pr_status pr_jpeg_error_status(const pr_jpeg_error *err, const char *name);

/* On a created decompressor: reads the header of the size bytes at bytes (which must outlive
 * cinfo), the EXIF orientation and capture time into info, and checks the declared size against
 * max_pixels and against the data (check_data_size in image_jpeg.c). libjpeg's errors longjmp to
 * the caller's setjmp. */
pr_status pr_jpeg_read_header(struct jpeg_decompress_struct *cinfo, const uint8_t *bytes,
                              size_t size, const char *name, uint64_t max_pixels,
                              pr_image_info *info);
#endif

#endif

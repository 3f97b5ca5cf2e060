/* Part of a JPEG at full scale (core/image_jpeg_region.h).
 *
 * The part is asked for in oriented pixels; the file stores the photo unturned, so the rectangle is
 * turned back into stored pixels (the inverse of pr_image_orient's mapping), decoded there, and the
 * decoded part is turned like a whole photo would be. The error policy and the header checks are
 * the whole decode's (core/image_jpeg_internal.h), and the decoder settings libjpeg's defaults, as
 * in the full decode of core/image_jpeg.c (islow IDCT, fancy upsampling), so the pixels agree.
 * Fancy upsampling reads the chroma row and column beside each pixel: a part decoded with a
 * MARGIN around the wanted rectangle keeps those neighbours real at the wanted edges. */
#include "core/image_jpeg_region.h"

#include "core/alloc.h"
#include "core/image_internal.h"
#include "core/image_sniff.h"

#include <string.h>

#define MARGIN 16

#ifdef PR_HAVE_JPEG
#include "core/image_jpeg_internal.h"

/* Stored pixel of oriented pixel (x, y) (pr_image_orient's table; sw, sh = stored size). */
static void to_stored(int orientation, int sw, int sh, int x, int y, int *sx, int *sy)
{
    switch (orientation) {
    case 2: *sx = sw - 1 - x; *sy = y; break;
    case 3: *sx = sw - 1 - x; *sy = sh - 1 - y; break;
    case 4: *sx = x; *sy = sh - 1 - y; break;
    case 5: *sx = y; *sy = x; break;
    case 6: *sx = y; *sy = sh - 1 - x; break;
    case 7: *sx = sw - 1 - y; *sy = sh - 1 - x; break;
    case 8: *sx = sw - 1 - y; *sy = x; break;
    default: *sx = x; *sy = y; break;
    }
}

/* The oriented rectangle r (clipped to the oriented photo ow x oh) as a stored rectangle s. */
static int stored_rect(int orientation, int sw, int sh, const int r[4], int s[4])
{
    int turned = orientation >= 5 && orientation <= 8;
    int ow = turned ? sh : sw, oh = turned ? sw : sh;
    int x0 = r[0] < 0 ? 0 : r[0], y0 = r[1] < 0 ? 0 : r[1];
    int x1 = r[0] + r[2] > ow ? ow : r[0] + r[2], y1 = r[1] + r[3] > oh ? oh : r[1] + r[3];
    if (x1 <= x0 || y1 <= y0)
        return 0;
    int ax, ay, bx, by;
    to_stored(orientation, sw, sh, x0, y0, &ax, &ay);
    to_stored(orientation, sw, sh, x1 - 1, y1 - 1, &bx, &by);
    s[0] = ax < bx ? ax : bx;
    s[1] = ay < by ? ay : by;
    s[2] = (ax > bx ? ax : bx) - s[0] + 1;
    s[3] = (ay > by ? ay : by) - s[1] + 1;
    return 1;
}

/* Oriented pixel of stored pixel (sx, sy): pr_image_orient's mapping run forward. */
static void to_oriented(int orientation, int sw, int sh, int sx, int sy, int *x, int *y)
{
    switch (orientation) {
    case 2: *x = sw - 1 - sx; *y = sy; break;
    case 3: *x = sw - 1 - sx; *y = sh - 1 - sy; break;
    case 4: *x = sx; *y = sh - 1 - sy; break;
    case 5: *x = sy; *y = sx; break;
    case 6: *x = sh - 1 - sy; *y = sx; break;
    case 7: *x = sh - 1 - sy; *y = sw - 1 - sx; break;
    case 8: *x = sy; *y = sw - 1 - sx; break;
    default: *x = sx; *y = sy; break;
    }
}

/* Decodes stored rows [s[1], s[1] + s[3]) and at least columns [s[0], s[0] + s[2]) of the JPEG in
 * cinfo (header read) into *slot (the caller's, so that a longjmp out of libjpeg cannot lose it);
 * *x0 = the first decoded column (libjpeg widens the columns to whole iMCUs). */
static pr_status decode_part(struct jpeg_decompress_struct *cinfo, const char *name, const int s[4],
                             int channels, pr_image *volatile *slot, int *x0)
{
    cinfo->out_color_space = channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_start_decompress(cinfo);
    JDIMENSION xoff = (JDIMENSION)s[0], width = (JDIMENSION)s[2];
    if (xoff > 0 || width < cinfo->output_width)
        jpeg_crop_scanline(cinfo, &xoff, &width);
    pr_image *image = NULL;
    pr_status st = pr_image_new((int)cinfo->output_width, s[3], channels, &image);
    if (st != PR_OK)
        return st;
    *slot = image;
    if (s[1] > 0 && jpeg_skip_scanlines(cinfo, (JDIMENSION)s[1]) != (JDIMENSION)s[1])
        return pr_set_error(PR_ERR_FORMAT, "%s: corrupt JPEG: rows missing", name);
    for (int y = 0; y < s[3]; y++) {
        JSAMPROW row = pr_image_row(image, y);
        if (jpeg_read_scanlines(cinfo, &row, 1) != 1)
            return pr_set_error(PR_ERR_FORMAT, "%s: corrupt JPEG: no data for row %d", name,
                                s[1] + y);
    }
    jpeg_abort_decompress(cinfo); /* the rows below are not needed */
    *x0 = (int)xoff;
    return PR_OK;
}

pr_status pr_image_load_region(const char *path, const pr_image_load_params *params,
                               const int want[4], pr_image **out, int origin[2],
                               pr_image_info *info_out)
{
    *out = NULL;
    origin[0] = origin[1] = 0;
    pr_image_load_params p = params ? *params : pr_image_load_params_default();
    if (p.max_pixels == 0)
        p.max_pixels = pr_image_load_params_default().max_pixels;
    if (p.channels != 0 && p.channels != 1 && p.channels != 3)
        return pr_set_error(PR_ERR_ARG, "channels must be 0, 1 or 3, not %d", p.channels);
    uint8_t *bytes = NULL;
    size_t size = 0;
    pr_status st = pr_read_file(path, (size_t)1 << 30, &bytes, &size);
    if (st != PR_OK)
        return st;
    if (pr_image_sniff(bytes, size) != PR_FORMAT_JPEG) {
        pr_free(bytes);
        return pr_set_error(PR_ERR_UNSUPPORTED, "%s: not a JPEG: no region decoding", path);
    }
    pr_image_info info;
    memset(&info, 0, sizeof info);
    info.format = PR_FORMAT_JPEG;
    info.orientation = 1;

    struct jpeg_decompress_struct cinfo;
    pr_jpeg_error jerr;
    cinfo.err = pr_jpeg_error_init(&jerr);
    pr_image *volatile part = NULL;
    pr_image *tmp = NULL;
    if (setjmp(jerr.jump)) {
        st = pr_jpeg_error_status(&jerr, path);
        goto done;
    }
    jpeg_create_decompress(&cinfo);
    if ((st = pr_jpeg_read_header(&cinfo, bytes, size, path, p.max_pixels, &info)) != PR_OK)
        goto done;
    int sw = (int)cinfo.image_width, sh = (int)cinfo.image_height;
    if (cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK) {
        st = pr_set_error(PR_ERR_UNSUPPORTED, "%s: CMYK JPEG: no region decoding", path);
        goto done;
    }
    int o = info.orientation >= 1 && info.orientation <= 8 ? info.orientation : 1;
    int s[4];
    if (!stored_rect(o, sw, sh, want, s)) {
        st = pr_set_error(PR_ERR_ARG, "%s: region (%d, %d, %d, %d) is outside the photo", path,
                          want[0], want[1], want[2], want[3]);
        goto done;
    }
    /* The margin (clipped to the photo) keeps the upsampling's neighbours real at the edges. */
    int x0 = s[0] - MARGIN > 0 ? s[0] - MARGIN : 0, y0 = s[1] - MARGIN > 0 ? s[1] - MARGIN : 0;
    int x1 = s[0] + s[2] + MARGIN < sw ? s[0] + s[2] + MARGIN : sw;
    int y1 = s[1] + s[3] + MARGIN < sh ? s[1] + s[3] + MARGIN : sh;
    int sm[4] = {x0, y0, x1 - x0, y1 - y0};
    int grey = cinfo.num_components == 1 || p.channels == 1;
    int dx = 0;
    if ((st = decode_part(&cinfo, path, sm, grey ? 1 : 3, &part, &dx)) != PR_OK)
        goto done;
    /* Where the decoded part's corner lands in the oriented photo: its stored corners turned. */
    int pw = part->width, ph = part->height;
    if (o > 1) {
        if ((st = pr_image_orient(part, o, &tmp)) != PR_OK)
            goto done;
        pr_image_delete(part);
        part = tmp;
        tmp = NULL;
    }
    /* The part's oriented top-left corner: the smallest of its stored corners turned forward. */
    int ax, ay, bx, by;
    to_oriented(o, sw, sh, dx, y0, &ax, &ay);
    to_oriented(o, sw, sh, dx + pw - 1, y0 + ph - 1, &bx, &by);
    origin[0] = ax < bx ? ax : bx;
    origin[1] = ay < by ? ay : by;
    info.stored_width = sw;
    info.stored_height = sh;
    info.full_width = o >= 5 ? sh : sw;
    info.full_height = o >= 5 ? sw : sh;
    info.orientation_applied = o > 1;
    if (p.channels && p.channels != part->channels) {
        st = p.channels == 1 ? pr_image_to_gray(part, &tmp) : pr_image_to_rgb(part, &tmp);
        if (st != PR_OK)
            goto done;
        pr_image_delete(part);
        part = tmp;
        tmp = NULL;
    }
    *out = part;
    part = NULL;
    if (info_out)
        *info_out = info;
done:
    jpeg_destroy_decompress(&cinfo);
    pr_image_delete(part);
    pr_image_delete(tmp);
    pr_free(bytes);
    return st;
}

#else /* !PR_HAVE_JPEG */

pr_status pr_image_load_region(const char *path, const pr_image_load_params *params,
                               const int want[4], pr_image **out, int origin[2],
                               pr_image_info *info)
{
    (void)params, (void)want, (void)info;
    *out = NULL;
    origin[0] = origin[1] = 0;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: built without JPEG support", path);
}
#endif

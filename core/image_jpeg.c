/* JPEG decoding and encoding with libjpeg(-turbo).
 *
 * libjpeg's default error handler calls exit(); album files are untrusted, so errors longjmp back
 * here and become PR_ERR_FORMAT with libjpeg's own message. Missing data only raises a warning in
 * libjpeg, which then pads the image with grey: the end of the file (a truncated copy) or a marker
 * where entropy-coded data should be (a truncated copy with an end marker appended, or a hole in
 * the middle). We treat those warnings as errors and call the photo truncated, because a half-grey
 * photo would silently poison every later stage (its faces lost, its colours wrong).
 *
 * Before any buffer is sized from the header, the header is checked against the data: every 8 x 8
 * block of every component costs at least one bit of Huffman-coded data, so a 161-byte file that
 * claims 9999 x 9999 pixels is refused as corrupt at once instead of being decoded into 100 MP of
 * padding. The error policy and the header read are shared with the region decode
 * (core/image_jpeg_internal.h). */
#include "core/image_internal.h"
#include "core/image_jpeg_internal.h"

#include "core/alloc.h"

#include <string.h>

#ifdef PR_HAVE_JPEG
#include <jerror.h>

static void on_error(j_common_ptr cinfo)
{
    pr_jpeg_error *err = (pr_jpeg_error *)cinfo->err;
    err->base.format_message(cinfo, err->message);
    longjmp(err->jump, 1);
}

static void on_message(j_common_ptr cinfo, int level)
{
    pr_jpeg_error *err = (pr_jpeg_error *)cinfo->err;
    /* level -1 = warning. The data ends before the pixels do (the file ends, or a marker comes
     * where pixel data should be): a truncated file, fatal for us. */
    if (level < 0 && (err->base.msg_code == JWRN_JPEG_EOF || err->base.msg_code == JWRN_HIT_MARKER)) {
        err->base.format_message(cinfo, err->message);
        err->truncated = 1;
        longjmp(err->jump, 1);
    }
    if (level < 0)
        err->base.num_warnings++;
}

struct jpeg_error_mgr *pr_jpeg_error_init(pr_jpeg_error *err)
{
    jpeg_std_error(&err->base);
    err->base.error_exit = on_error;
    err->base.emit_message = on_message;
    err->message[0] = '\0';
    err->truncated = 0;
    return &err->base;
}

pr_status pr_jpeg_error_status(const pr_jpeg_error *err, const char *name)
{
    if (err->truncated)
        return pr_set_error(PR_ERR_FORMAT, "%s: truncated JPEG (the pixel data ends early: %s)",
                            name, err->message);
    return pr_set_error(PR_ERR_FORMAT, "%s: corrupt JPEG: %s", name, err->message);
}

/* Adobe-style CMYK/YCCK JPEGs store inverted ink values; plain CMYK is rare enough to ignore. */
static void cmyk_row_to_rgb(const uint8_t *src, uint8_t *dst, int width, int inverted)
{
    for (int x = 0; x < width; x++, src += 4, dst += 3) {
        int c = src[0], m = src[1], y = src[2], k = src[3];
        if (!inverted) {
            c = 255 - c;
            m = 255 - m;
            y = 255 - y;
            k = 255 - k;
        }
        dst[0] = (uint8_t)((c * k + 127) / 255);
        dst[1] = (uint8_t)((m * k + 127) / 255);
        dst[2] = (uint8_t)((y * k + 127) / 255);
    }
}

/* DCT scaling: the smallest M/8 (M = 1..8) whose output long side is still >= min_long_side.
 * libjpeg-turbo then runs a reduced IDCT and never builds the full-size pixels; with it the fast
 * (non-fancy) chroma upsampling and the fast integer IDCT, since the caller asked for speed. The
 * file's own size goes to info->full_* (pr_image_decode turns it with the orientation). */
static void scale_down(struct jpeg_decompress_struct *cinfo, int min_long_side,
                       pr_image_info *info)
{
    info->full_width = (int)cinfo->image_width;
    info->full_height = (int)cinfo->image_height;
    unsigned long longest = cinfo->image_width > cinfo->image_height ? cinfo->image_width
                                                                       : cinfo->image_height;
    unsigned m = 8;
    while (m > 1 && (longest * (m - 1) + 7) / 8 >= (unsigned long)min_long_side)
        m--;
    if (m == 8)
        return; /* already small enough: decoded exactly as without the request */
    cinfo->scale_num = m;
    cinfo->scale_denom = 8;
    cinfo->do_fancy_upsampling = FALSE;
    cinfo->dct_method = JDCT_IFAST;
}

/* Refuses a header that claims more pixels than the file has data for. Huffman coding spends at
 * least one bit on the DC coefficient of every block, so the component with the fewest blocks
 * needs that many bits; arithmetic coding can do far better on a flat image, so it gets a bound
 * 64 times looser. Real photos carry hundreds of times more than either bound. */
static pr_status check_data_size(const struct jpeg_decompress_struct *cinfo, size_t size,
                                 const char *name)
{
    uint64_t fewest = UINT64_MAX;
    for (int c = 0; c < cinfo->num_components; c++) {
        const jpeg_component_info *ci = &cinfo->comp_info[c];
        uint64_t blocks = (uint64_t)ci->width_in_blocks * ci->height_in_blocks;
        if (blocks < fewest)
            fewest = blocks;
    }
    if (fewest == UINT64_MAX)
        return PR_OK;
    uint64_t need_bits = cinfo->arith_code ? fewest / 64 : fewest;
    if ((uint64_t)size * 8 >= need_bits)
        return PR_OK;
    return pr_set_error(PR_ERR_FORMAT,
                        "%s: corrupt JPEG: the header claims %ux%u pixels, but the file (%zu "
                        "bytes) is far too small to hold them (at least %llu bytes)",
                        name, (unsigned)cinfo->image_width, (unsigned)cinfo->image_height, size,
                        (unsigned long long)((need_bits + 7) / 8));
}

pr_status pr_jpeg_read_header(struct jpeg_decompress_struct *cinfo, const uint8_t *bytes,
                              size_t size, const char *name, uint64_t max_pixels,
                              pr_image_info *info)
{
    jpeg_mem_src(cinfo, bytes, (unsigned long)size);
    jpeg_save_markers(cinfo, JPEG_APP0 + 1, 0xFFFF);
    jpeg_read_header(cinfo, TRUE);
    for (jpeg_saved_marker_ptr m = cinfo->marker_list; m; m = m->next) {
        if (m->marker == JPEG_APP0 + 1 && m->data_length > 6 &&
            memcmp(m->data, "Exif\0\0", 6) == 0) {
            pr_exif_read(m->data, m->data_length, &info->orientation, info->datetime,
                         &info->has_datetime);
            break;
        }
    }
    pr_status st =
        pr_image_check_size(name, (long)cinfo->image_width, (long)cinfo->image_height, max_pixels);
    return st == PR_OK ? check_data_size(cinfo, size, name) : st;
}

pr_status pr_jpeg_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    struct jpeg_decompress_struct cinfo;
    pr_jpeg_error jerr;
    /* volatile: modified between setjmp and longjmp */
    pr_image *volatile img = NULL;
    uint8_t *volatile cmyk_row = NULL;
    pr_status st = PR_OK;

    *out = NULL;
    cinfo.err = pr_jpeg_error_init(&jerr);
    if (setjmp(jerr.jump)) {
        jpeg_destroy_decompress(&cinfo);
        pr_image_delete(img);
        pr_free(cmyk_row);
        return pr_jpeg_error_status(&jerr, name);
    }
    jpeg_create_decompress(&cinfo);
    if ((st = pr_jpeg_read_header(&cinfo, bytes, size, name, params->max_pixels, info)) != PR_OK)
        goto fail;

    int channels;
    int is_cmyk = cinfo.jpeg_color_space == JCS_CMYK || cinfo.jpeg_color_space == JCS_YCCK;
    /* CMYK comes out as RGB (libjpeg has no CMYK -> grey); a grey request is then met by
     * pr_image_decode's conversion, like for every other format. */
    if (cinfo.num_components == 1 || (params->channels == 1 && !is_cmyk)) {
        cinfo.out_color_space = JCS_GRAYSCALE;
        channels = 1;
        is_cmyk = 0;
    } else if (is_cmyk) {
        cinfo.out_color_space = JCS_CMYK;
        channels = 3;
    } else {
        cinfo.out_color_space = JCS_RGB;
        channels = 3;
    }
    if (params->min_long_side > 0)
        scale_down(&cinfo, params->min_long_side, info);
    jpeg_start_decompress(&cinfo);
    pr_image *image = NULL;
    st = pr_image_new((int)cinfo.output_width, (int)cinfo.output_height, channels, &image);
    if (st != PR_OK)
        goto fail;
    img = image;
    if (is_cmyk) {
        cmyk_row = pr_malloc((size_t)cinfo.output_width * 4);
        if (!cmyk_row) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto fail;
        }
    }
    while (cinfo.output_scanline < cinfo.output_height) {
        int y = (int)cinfo.output_scanline;
        JSAMPROW row = is_cmyk ? cmyk_row : pr_image_row(img, y);
        if (jpeg_read_scanlines(&cinfo, &row, 1) != 1) {
            st = pr_set_error(PR_ERR_FORMAT, "%s: corrupt JPEG: no data for row %d", name, y);
            goto fail;
        }
        if (is_cmyk)
            cmyk_row_to_rgb(cmyk_row, pr_image_row(img, y), img->width, cinfo.saw_Adobe_marker);
    }
    jpeg_finish_decompress(&cinfo);
    jpeg_destroy_decompress(&cinfo);
    pr_free(cmyk_row);
    *out = img;
    return PR_OK;
fail:
    jpeg_destroy_decompress(&cinfo);
    pr_free(cmyk_row);
    pr_image_delete(img);
    return st;
}

pr_status pr_jpeg_write(FILE *f, const pr_image *img, int quality, const char *name)
{
    struct jpeg_compress_struct cinfo;
    pr_jpeg_error jerr;
    cinfo.err = pr_jpeg_error_init(&jerr);
    if (setjmp(jerr.jump)) {
        jpeg_destroy_compress(&cinfo);
        return pr_set_error(PR_ERR_IO, "%s: JPEG encoding failed: %s", name, jerr.message);
    }
    jpeg_create_compress(&cinfo);
    jpeg_stdio_dest(&cinfo, f);
    cinfo.image_width = (JDIMENSION)img->width;
    cinfo.image_height = (JDIMENSION)img->height;
    cinfo.input_components = img->channels;
    cinfo.in_color_space = img->channels == 1 ? JCS_GRAYSCALE : JCS_RGB;
    jpeg_set_defaults(&cinfo);
    jpeg_set_quality(&cinfo, quality, TRUE);
    jpeg_start_compress(&cinfo, TRUE);
    while (cinfo.next_scanline < cinfo.image_height) {
        JSAMPROW row = pr_image_row(img, (int)cinfo.next_scanline);
        jpeg_write_scanlines(&cinfo, &row, 1);
    }
    jpeg_finish_compress(&cinfo);
    jpeg_destroy_compress(&cinfo);
    return PR_OK;
}

#else /* !PR_HAVE_JPEG */

pr_status pr_jpeg_decode(const uint8_t *bytes, size_t size, const char *name,
                         const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)bytes, (void)size, (void)params, (void)info;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: this personrec was built without JPEG support",
                        name);
}

pr_status pr_jpeg_write(FILE *f, const pr_image *img, int quality, const char *name)
{
    (void)f, (void)img, (void)quality;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: this personrec was built without JPEG support",
                        name);
}
#endif

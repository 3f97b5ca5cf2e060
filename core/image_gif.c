/* GIF decoding with giflib: the first frame (what a still viewer shows of an animation), read
 * record by record so the later frames are never decoded or stored. The frame is painted on the
 * logical screen filled with the background colour; transparent pixels keep that colour. GIF has
 * no orientation and no capture time. giflib returns error codes, it never longjmps or exits. */
#include "core/image_internal.h"

#include "core/alloc.h"

#include <string.h>

#ifdef PR_HAVE_GIF
#include <gif_lib.h>

typedef struct {
    const uint8_t *bytes;
    size_t size, pos;
} pr_gif_source;

static int read_proc(GifFileType *gif, GifByteType *buf, int n)
{
    pr_gif_source *s = gif->UserData;
    size_t left = s->size - s->pos, want = n > 0 ? (size_t)n : 0;
    if (want > left)
        want = left;
    memcpy(buf, s->bytes + s->pos, want);
    s->pos += want;
    return (int)want;
}

static pr_status gif_error(const char *name, int code)
{
    const char *why = GifErrorString(code);
    return pr_set_error(PR_ERR_FORMAT, "%s: corrupt GIF: %s", name, why ? why : "unknown error");
}

/* Skips extensions up to the first image descriptor; remembers the transparent colour. */
static pr_status find_first_image(GifFileType *gif, const char *name, int *transparent)
{
    for (;;) {
        GifRecordType type;
        if (DGifGetRecordType(gif, &type) == GIF_ERROR)
            return gif_error(name, gif->Error);
        if (type == IMAGE_DESC_RECORD_TYPE)
            return DGifGetImageDesc(gif) == GIF_ERROR ? gif_error(name, gif->Error) : PR_OK;
        if (type == TERMINATE_RECORD_TYPE)
            return pr_set_error(PR_ERR_FORMAT, "%s: corrupt GIF: no image in the file", name);
        if (type != EXTENSION_RECORD_TYPE)
            continue;
        int code;
        GifByteType *ext = NULL;
        if (DGifGetExtension(gif, &code, &ext) == GIF_ERROR)
            return gif_error(name, gif->Error);
        GraphicsControlBlock gcb;
        if (code == GRAPHICS_EXT_FUNC_CODE && ext &&
            DGifExtensionToGCB(ext[0], ext + 1, &gcb) == GIF_OK)
            *transparent = gcb.TransparentColor;
        while (ext)
            if (DGifGetExtensionNext(gif, &ext) == GIF_ERROR)
                return gif_error(name, gif->Error);
    }
}

static void fill(pr_image *img, const GifColorType *c)
{
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width; x++)
            memcpy(pr_image_row(img, y) + x * 3, (const uint8_t[3]){c->Red, c->Green, c->Blue}, 3);
}

/* Reads the frame's rows (in interlaced order when so stored) and paints them, clipped. */
static pr_status paint_frame(GifFileType *gif, const char *name, pr_image *img, int transparent)
{
    const GifImageDesc *d = &gif->Image;
    const ColorMapObject *map = d->ColorMap ? d->ColorMap : gif->SColorMap;
    if (!map)
        return pr_set_error(PR_ERR_FORMAT, "%s: corrupt GIF: no colour table", name);
    GifPixelType *line = pr_malloc((size_t)d->Width);
    if (!line)
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory decoding GIF", name);
    static const int start[4] = {0, 4, 2, 1}, step[4] = {8, 8, 4, 2};
    int passes = d->Interlace ? 4 : 1;
    for (int pass = 0; pass < passes; pass++)
        for (int row = d->Interlace ? start[pass] : 0; row < d->Height;
             row += d->Interlace ? step[pass] : 1) {
            if (DGifGetLine(gif, line, d->Width) == GIF_ERROR) {
                pr_free(line);
                return gif_error(name, gif->Error);
            }
            int y = d->Top + row;
            for (int x = 0; x < d->Width && y < img->height; x++) {
                int px = d->Left + x, c = line[x];
                if (px >= img->width || c == transparent || c >= map->ColorCount)
                    continue;
                const GifColorType *rgb = &map->Colors[c];
                memcpy(pr_image_row(img, y) + px * 3, (const uint8_t[3]){rgb->Red, rgb->Green, rgb->Blue}, 3);
            }
        }
    pr_free(line);
    return PR_OK;
}

pr_status pr_gif_decode(const uint8_t *bytes, size_t size, const char *name,
                        const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)info;
    pr_gif_source src = {bytes, size, 0};
    pr_image *img = NULL;
    int error = 0, transparent = NO_TRANSPARENT_COLOR;
    *out = NULL;
    GifFileType *gif = DGifOpen(&src, read_proc, &error);
    if (!gif)
        return gif_error(name, error);
    pr_status st = find_first_image(gif, name, &transparent);
    /* A screen of 0 x 0 (some encoders) means "as large as the first frame". */
    long w = gif->SWidth > 0 ? gif->SWidth : gif->Image.Width;
    long h = gif->SHeight > 0 ? gif->SHeight : gif->Image.Height;
    if (st == PR_OK)
        st = pr_image_check_size(name, w, h, params->max_pixels);
    if (st == PR_OK)
        st = pr_image_check_size(name, gif->Image.Width, gif->Image.Height, params->max_pixels);
    /* Checked against the data before allocating: each LZW code is at least 3 bits and gives at
     * most 4096 pixels, so a 30-byte file claiming 9999 x 9999 is corrupt, not a 100 MP photo. */
    if (st == PR_OK && (uint64_t)(src.size - src.pos) * 8 / 3 * 4096 <
                           (uint64_t)gif->Image.Width * (uint64_t)gif->Image.Height)
        st = pr_set_error(PR_ERR_FORMAT,
                          "%s: corrupt GIF: the header claims %dx%d pixels, the file is far too small",
                          name, gif->Image.Width, gif->Image.Height);
    if (st == PR_OK)
        st = pr_image_new((int)w, (int)h, 3, &img);
    if (st == PR_OK) {
        GifColorType black = {0, 0, 0};
        const ColorMapObject *g = gif->SColorMap;
        fill(img, g && gif->SBackGroundColor < g->ColorCount ? &g->Colors[gif->SBackGroundColor]
                                                              : &black);
        st = paint_frame(gif, name, img, transparent);
    }
    DGifCloseFile(gif, &error);
    if (st != PR_OK) {
        pr_image_delete(img);
        return st;
    }
    *out = img;
    return PR_OK;
}

#else /* !PR_HAVE_GIF */

pr_status pr_gif_decode(const uint8_t *bytes, size_t size, const char *name,
                        const pr_image_load_params *params, pr_image **out, pr_image_info *info)
{
    (void)bytes, (void)size, (void)params, (void)info;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: this personrec was built without GIF support",
                        name);
}
#endif

/* Body helpers around segment/body.h, whose prior is the one body geometry (it used to be defined
 * twice: here, starting at the face's bottom edge, and in segment/, 1.1 face heights below its top;
 * the segment/ one was kept because the masks, the default body source, are built in it). */
#include "features/body.h"

#include <stddef.h>

pr_body_prior_params pr_body_prior_params_default(void)
{
    return pr_body_params_default();
}

pr_box pr_body_prior_box(pr_box face, int image_width, int image_height,
                         const pr_body_prior_params *params)
{
    return pr_body_prior(face, image_width, image_height, params);
}

pr_box pr_face_band_box(pr_box face, int image_width, int image_height)
{
    pr_box b = face;
    b.y -= 0.4 * face.h;
    b.h += 0.4 * face.h;
    return pr_box_clip(b, image_width, image_height);
}

int pr_body_segment_available(void)
{
    return 1;
}

pr_status pr_body_segment_masks(const pr_image *img, const pr_box *faces, int n, pr_image **masks)
{
    if (!img || n < 0 || (n > 0 && (!faces || !masks)))
        return pr_set_error(PR_ERR_ARG, "body masks: bad arguments");
    for (int i = 0; i < n; i++)
        masks[i] = NULL;
    if (n == 0)
        return PR_OK;
    pr_body_params bp = pr_body_params_default();
    return pr_body_masks(img, faces, (size_t)n, &bp, masks);
}

pr_box pr_mask_bounds(const uint8_t *mask, size_t mask_stride, int width, int height, double *area)
{
    int x0 = width, y0 = height, x1 = -1, y1 = -1;
    long count = 0;
    for (int y = 0; mask && y < height; y++) {
        const uint8_t *row = mask + (size_t)y * mask_stride;
        for (int x = 0; x < width; x++)
            if (row[x]) {
                count++;
                if (x < x0)
                    x0 = x;
                if (x > x1)
                    x1 = x;
                if (y < y0)
                    y0 = y;
                if (y > y1)
                    y1 = y;
            }
    }
    if (area)
        *area = (double)count;
    if (count == 0)
        return (pr_box){0, 0, 0, 0};
    return (pr_box){x0, y0, x1 - x0 + 1, y1 - y0 + 1};
}

/* The body region below a face (see body.h).
 *
 * The thesis grew each face into the person's body with graph-based segmentation; the idea here is
 * the same, with the geometry made explicit: a prior rectangle below the face says where a body
 * can be, and Felzenszwalb-Huttenlocher segments (computed on the prior plus a margin, so that
 * background regions show that they run out of the prior) decide which parts of it are body.
 * Working at a fixed pixel budget keeps the cost per face constant whatever the photo size, and
 * makes k mean the same thing for small and large faces. */
#include "segment/body.h"

#include "core/alloc.h"
#include "core/labels.h"

#include <math.h>
#include <string.h>

pr_body_params pr_body_params_default(void)
{
    pr_body_params p;
    p.width_faces = 3.0;
    p.top_faces = 1.1;
    p.height_faces = 4.0;
    p.margin = 0.25;
    p.inside = 0.6;
    p.chest_faces = 1.3;
    p.working_pixels = 60000;
    p.fh = pr_fh_params_default();
    return p;
}

pr_status pr_body_params_check(const pr_body_params *p)
{
    if (!p)
        return pr_set_error(PR_ERR_ARG, "body: params is NULL");
    if (!(p->width_faces > 0 && p->width_faces <= 20) || !(p->height_faces > 0 && p->height_faces <= 20))
        return pr_set_error(PR_ERR_ARG, "body: prior size must be in (0, 20] face sizes");
    if (!(p->top_faces >= -5 && p->top_faces <= 5) || !(p->chest_faces >= -5 && p->chest_faces <= 10))
        return pr_set_error(PR_ERR_ARG, "body: prior offsets must be within a few face heights");
    if (!(p->margin >= 0 && p->margin <= 2))
        return pr_set_error(PR_ERR_ARG, "body: margin must be in [0, 2]");
    if (!(p->inside >= 0 && p->inside <= 1))
        return pr_set_error(PR_ERR_ARG, "body: inside must be in [0, 1]");
    if (p->working_pixels < 64)
        return pr_set_error(PR_ERR_ARG, "body: working_pixels must be >= 64");
    return pr_fh_params_check(&p->fh);
}

pr_box pr_body_prior(pr_box face, int photo_width, int photo_height, const pr_body_params *params)
{
    pr_body_params def = pr_body_params_default();
    const pr_body_params *p = params ? params : &def;
    const double cx = face.x + face.w / 2;
    pr_box b;
    b.w = face.w * p->width_faces;
    b.h = face.h * p->height_faces;
    b.x = cx - b.w / 2;
    b.y = face.y + face.h * p->top_faces;
    return pr_box_clip(b, photo_width, photo_height);
}

static int in_box(pr_box b, double x, double y)
{
    return x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h;
}

/* 1 when the photo point (x, y) belongs to face i: inside its prior, outside every face box (a face
 * is never anyone's body), and no other face whose prior also holds the point is nearer
 * horizontally (in face widths). */
static int owned(const pr_box *faces, const pr_box *priors, size_t n, size_t i, double x, double y)
{
    if (!in_box(priors[i], x, y) || in_box(faces[i], x, y))
        return 0;
    const double di = fabs(x - (faces[i].x + faces[i].w / 2)) / faces[i].w;
    for (size_t j = 0; j < n; j++) {
        if (j == i)
            continue;
        if (in_box(faces[j], x, y))
            return 0;
        if (!in_box(priors[j], x, y))
            continue;
        const double dj = fabs(x - (faces[j].x + faces[j].w / 2)) / faces[j].w;
        if (dj < di || (dj == di && j < i))
            return 0;
    }
    return 1;
}

/* Builds masks[i] (already allocated, zeroed). */
static pr_status body_one(const pr_image *photo, const pr_box *faces, const pr_box *priors,
                          size_t n, size_t i, const pr_body_params *p, pr_image *mask)
{
    const pr_box prior = priors[i];
    if (prior.w < 1 || prior.h < 1)
        return PR_OK;
    const int W = photo->width, H = photo->height;
    const pr_box around = {prior.x - p->margin * prior.w, prior.y - p->margin * prior.h,
                           prior.w * (1 + 2 * p->margin), prior.h * (1 + 2 * p->margin)};
    const pr_pixel_rect region = pr_box_pixels(around, W, H);
    const int rx0 = region.x0, ry0 = region.y0;
    const int rw = region.x1 - region.x0, rh = region.y1 - region.y0;
    pr_image *crop = NULL, *work = NULL;
    pr_labels *labels = NULL;
    int32_t *total = NULL, *inside = NULL;
    pr_status st;
    if ((st = pr_image_crop(photo, rx0, ry0, rw, rh, &crop)) != PR_OK)
        goto done;
    double s = sqrt((double)p->working_pixels / ((double)rw * rh));
    if (s >= 1.0) {
        s = 1.0;
        work = crop;
        crop = NULL;
    } else {
        int ww = (int)lround(rw * s), wh = (int)lround(rh * s);
        ww = ww < 1 ? 1 : ww;
        wh = wh < 1 ? 1 : wh;
        if ((st = pr_image_resize(crop, ww, wh, &work)) != PR_OK)
            goto done;
    }
    const int ww = work->width, wh = work->height;
    const double sx = (double)ww / rw, sy = (double)wh / rh;
    pr_fh_stats fst;
    if ((st = pr_fh_segment(work, &p->fh, &labels, &fst)) != PR_OK)
        goto done;
    total = pr_calloc((size_t)fst.segments, sizeof(int32_t));
    inside = pr_calloc((size_t)fst.segments, sizeof(int32_t));
    if (!total || !inside) {
        st = pr_set_error(PR_ERR_NOMEM, "body: out of memory");
        goto done;
    }
    for (int y = 0; y < wh; y++) {
        const double py = ry0 + (y + 0.5) / sy;
        for (int x = 0; x < ww; x++) {
            const double px = rx0 + (x + 0.5) / sx;
            const int32_t l = labels->data[(size_t)y * ww + x];
            total[l]++;
            inside[l] += owned(faces, priors, n, i, px, py);
        }
    }
    size_t area = 0;
    const pr_pixel_rect pr = pr_box_pixels(prior, W, H);
    for (int y = pr.y0; y < pr.y1; y++) {
        int wy = (int)((y + 0.5 - ry0) * sy);
        wy = wy < 0 ? 0 : wy >= wh ? wh - 1 : wy;
        uint8_t *row = pr_image_row(mask, y);
        for (int x = pr.x0; x < pr.x1; x++) {
            if (!owned(faces, priors, n, i, x + 0.5, y + 0.5))
                continue;
            int wx = (int)((x + 0.5 - rx0) * sx);
            wx = wx < 0 ? 0 : wx >= ww ? ww - 1 : wx;
            const int32_t l = labels->data[(size_t)wy * ww + wx];
            if ((double)inside[l] >= p->inside * (double)total[l]) {
                row[x] = 255;
                area++;
            }
        }
    }
    if (area == 0) {
        /* Fallback: the chest box, so a caller always has some clothing to describe. */
        const pr_box f = faces[i];
        const pr_box chest = {f.x, f.y + f.h * p->chest_faces, f.w, f.h};
        const pr_pixel_rect c = pr_box_pixels(chest, W, H);
        for (int y = c.y0; y < c.y1; y++) {
            uint8_t *row = pr_image_row(mask, y);
            for (int x = c.x0; x < c.x1; x++)
                if (owned(faces, priors, n, i, x + 0.5, y + 0.5))
                    row[x] = 255;
        }
    }
    st = PR_OK;
done:
    pr_image_delete(crop);
    pr_image_delete(work);
    pr_labels_delete(labels);
    pr_free(total);
    pr_free(inside);
    return st;
}

pr_status pr_body_masks(const pr_image *photo, const pr_box *faces, size_t n,
                        const pr_body_params *params, pr_image **masks)
{
    pr_body_params def = pr_body_params_default();
    const pr_body_params *p = params ? params : &def;
    pr_box *priors = NULL;
    pr_status st;
    if (n == 0)
        return PR_OK;
    if (!masks)
        return pr_set_error(PR_ERR_ARG, "body: masks is NULL");
    for (size_t i = 0; i < n; i++)
        masks[i] = NULL;
    if (!photo || !photo->data || photo->width <= 0 || photo->height <= 0 || !faces)
        return pr_set_error(PR_ERR_ARG, "body: need a photo and faces");
    if ((st = pr_body_params_check(p)) != PR_OK)
        return st;
    for (size_t i = 0; i < n; i++)
        if (!(faces[i].w > 0 && faces[i].h > 0) || !isfinite(faces[i].x) || !isfinite(faces[i].y))
            return pr_set_error(PR_ERR_ARG, "body: face %zu has an empty or invalid box", i);
    priors = pr_malloc_array(n, sizeof(pr_box));
    if (!priors)
        return pr_set_error(PR_ERR_NOMEM, "body: out of memory");
    for (size_t i = 0; i < n; i++)
        priors[i] = pr_body_prior(faces[i], photo->width, photo->height, p);
    for (size_t i = 0; i < n; i++) {
        if ((st = pr_image_new(photo->width, photo->height, 1, &masks[i])) != PR_OK)
            goto fail;
        if ((st = body_one(photo, faces, priors, n, i, p, masks[i])) != PR_OK)
            goto fail;
    }
    pr_free(priors);
    return PR_OK;
fail:
    for (size_t i = 0; i < n; i++) {
        pr_image_delete(masks[i]);
        masks[i] = NULL;
    }
    pr_free(priors);
    return st;
}

size_t pr_mask_area(const pr_image *mask)
{
    size_t a = 0;
    if (!mask || mask->channels != 1)
        return 0;
    for (int y = 0; y < mask->height; y++) {
        const uint8_t *row = pr_image_row(mask, y);
        for (int x = 0; x < mask->width; x++)
            a += row[x] != 0;
    }
    return a;
}

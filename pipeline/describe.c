/* describe: decode, find the faces, describe them (pipeline/describe.h).
 *
 * Resolution: a JPEG is decoded straight to the smallest DCT scale (M/8) whose long side still
 * covers the working sizes (params->long_side and the detector's, 1600 px by default), so a
 * 12 MP photo is never expanded to full size; other formats decode at full size. The detector
 * scales that image to its own working size; its boxes are mapped to full-size pixels (per axis:
 * the scaled decode rounds its sides up). The cues are computed on the photo scaled to
 * params->long_side (a 24 MP photo's histograms and SIFT are no better than at 1600 px, only
 * slower) and their boxes mapped back. The grey crop and the descriptor come from the decoded
 * image where the face is at least PR_DESCRIBE_DETAIL px there, else from one more decode of the
 * photo at the scale that gives the smallest face that size (full size at most): only photos
 * with small faces are decoded twice, and the choice depends on the photo alone, so results stay
 * the same whatever the thread count. With descriptors (face-api parity: full-size pixels), a JPEG
 * is not decoded whole a second time: only the rectangle around its faces is, at full scale
 * (core/image_jpeg_region.h, the same pixels as the full decode), and a face whose descriptor
 * read past that rectangle (the net's footprint, pr_face_net_footprint) is described again from a
 * full decode. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/describe.h"

#include "core/alloc.h"
#include "core/clock.h"
#include "core/image_jpeg_region.h"
#include "core/path.h"
#include "features/body.h"
#include "features/face_crop.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

pr_describe_params pr_describe_params_default(void)
{
    pr_describe_params p;
    memset(&p, 0, sizeof p);
    p.long_side = PR_DESCRIBE_LONG_SIDE;
    p.detector = pr_detector_params_default();
    p.person = pr_person_params_default();
    p.crop_side = PR_DESCRIBE_CROP;
    p.max_pixels = 100u * 1000u * 1000u;
    p.max_bytes = (int64_t)512 << 20;
    p.decode_long_side = 1;
    p.detail_region = 1;
    pr_face_net_params np = pr_face_net_params_default();
    p.align = np.align;
    p.flip = np.flip;
    return p;
}

const char *pr_describe_stage_name(int stage)
{
    static const char *const names[PR_STAGE_COUNT] = {"decode", "detect", "descriptor",
                                                      "body", "features", "store"};
    return stage >= 0 && stage < PR_STAGE_COUNT ? names[stage] : "?";
}

pr_status pr_describe_stats_new(int workers, pr_describe_stats **out)
{
    *out = NULL;
    pr_describe_stats *s = pr_calloc(1, sizeof *s);
    if (s && workers > 0)
        s->per_worker = pr_calloc((size_t)workers, sizeof *s->per_worker);
    if (!s || (workers > 0 && !s->per_worker)) {
        pr_describe_stats_delete(s);
        return pr_set_error(PR_ERR_NOMEM, "out of memory for describe stats");
    }
    s->workers = workers;
    *out = s;
    return PR_OK;
}

void pr_describe_stats_delete(pr_describe_stats *stats)
{
    if (stats)
        pr_free(stats->per_worker);
    pr_free(stats);
}

void pr_describe_stats_sum(const pr_describe_stats *stats, pr_describe_times *total)
{
    memset(total, 0, sizeof *total);
    for (int w = 0; stats && w < stats->workers; w++) {
        const pr_describe_times *t = &stats->per_worker[w];
        for (int k = 0; k < PR_STAGE_COUNT; k++) {
            total->wall_ms[k] += t->wall_ms[k];
            total->cpu_ms[k] += t->cpu_ms[k];
        }
        total->photos += t->photos;
        total->faces += t->faces;
        total->whole_decodes += t->whole_decodes;
    }
}

/* A stage's clock: adds wall and thread CPU time to times (NULL = not timed). */
typedef struct stage_clock {
    pr_describe_times *times;
    double wall, cpu;
} stage_clock;

static void clock_start(stage_clock *c)
{
    if (c->times) {
        c->wall = pr_clock_ms();
        c->cpu = pr_clock_thread_cpu_ms();
    }
}

static void clock_stop(stage_clock *c, int stage)
{
    if (c->times) {
        c->times->wall_ms[stage] += pr_clock_ms() - c->wall;
        c->times->cpu_ms[stage] += pr_clock_thread_cpu_ms() - c->cpu;
    }
}

int pr_describe_skip_kind(pr_status st)
{
    switch (st) {
    case PR_ERR_LIMIT: return PR_SKIP_TOO_BIG;
    case PR_ERR_IO: return PR_SKIP_UNREADABLE;
    default: return PR_SKIP_CORRUPT;
    }
}

void pr_described_photo_clear(pr_described_photo *p)
{
    if (!p)
        return;
    for (int i = 0; i < p->nfaces; i++) {
        pr_person_delete(p->faces[i].person);
        pr_free(p->faces[i].crop);
        pr_free(p->faces[i].descriptor);
        pr_free(p->faces[i].landmarks);
    }
    pr_free(p->faces);
    pr_free(p->skip_reason);
    memset(p, 0, sizeof *p);
}

/* Marks the photo skipped. Out of memory for the reason is an error: without a reason the photo
 * would look described (and be stored as processed). */
static pr_status skip(pr_described_photo *out, int kind, const char *why)
{
    pr_described_photo_clear(out);
    out->skip_kind = kind;
    out->skip_reason = pr_strdup(why && why[0] ? why : "unreadable");
    return out->skip_reason ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
}

/* Position order: the faces of a photo come out the same whatever order found them. */
static int by_position(const void *a, const void *b)
{
    const pr_face *x = a, *y = b;
    const double kx[4] = {x->box.x, x->box.y, x->box.w, x->box.h};
    const double ky[4] = {y->box.x, y->box.y, y->box.w, y->box.h};
    for (int i = 0; i < 4; i++)
        if (kx[i] != ky[i])
            return kx[i] < ky[i] ? -1 : 1;
    return (x->score < y->score) - (x->score > y->score);
}

static int has_label(const pr_face_labels *labels, const char *key)
{
    for (size_t i = 0; i < labels->count; i++)
        if (pr_path_same_photo(labels->items[i].image, key))
            return 1;
    return 0;
}

/* The faces of the photo: the label file's boxes for its key, or the detector's. */
static pr_status find_faces(const pr_describe_params *p, pr_detector *det, const pr_image *img,
                            const char *key, pr_faces *faces)
{
    pr_status st = PR_OK;
    if (p->labels) {
        for (size_t i = 0; st == PR_OK && i < p->labels->count; i++) {
            const pr_face_label *l = &p->labels->items[i];
            if (!pr_path_same_photo(l->image, key))
                continue;
            pr_face f;
            memset(&f, 0, sizeof f);
            f.box = l->box;
            f.score = l->score;
            f.votes = 1;
            f.pose = PR_POSE_FRONTAL;
            st = pr_faces_push(faces, &f);
        }
    } else {
        st = pr_detector_run(det, img, faces);
    }
    if (st == PR_OK && faces->count > 1)
        qsort(faces->items, faces->count, sizeof *faces->items, by_position);
    return st;
}

/* The decoded photo: its pixels at some scale of the full-size (oriented) photo, or (a region)
 * a full-scale part of it. */
typedef struct decoded {
    pr_image *img; /* owned */
    double sx, sy; /* full-size pixels per image pixel, per axis (DCT scaling rounds sides up) */
    int ox, oy;    /* region: its top-left corner in full-size pixels (else 0) */
    int full_w, full_h; /* region: the whole photo's size (else 0) */
} decoded;

static pr_box box_in(const decoded *d, pr_box b)
{
    return (pr_box){(b.x - d->ox) / d->sx, (b.y - d->oy) / d->sy, b.w / d->sx, b.h / d->sy};
}

/* Decodes with orientation and RGB; min_long_side as in pr_image_load_params (0 = full size). */
static pr_status decode(const pr_describe_params *p, const char *path, int min_long_side,
                        decoded *d, pr_image_info *info)
{
    pr_image_load_params lp = pr_image_load_params_default();
    lp.max_pixels = p->max_pixels;
    lp.channels = 3;
    lp.min_long_side = min_long_side;
    *d = (decoded){NULL, 1.0, 1.0, 0, 0, 0, 0};
    pr_status st = pr_image_load(path, &lp, &d->img, info);
    if (st != PR_OK)
        return st;
    d->sx = (double)info->full_width / d->img->width;
    d->sy = (double)info->full_height / d->img->height;
    return PR_OK;
}

/* The long side the first decode must keep: the larger working size (cues, and the detector's
 * unless the boxes are given); 0 = full size (scaled decoding off, or a working size of 0 = full
 * size). */
static int first_decode_side(const pr_describe_params *p, int given_boxes)
{
    if (!p->decode_long_side || p->long_side <= 0)
        return 0;
    int side = p->long_side;
    if (!given_boxes) {
        if (p->detector.working_long_side <= 0)
            return 0;
        if (p->detector.working_long_side > side)
            side = p->detector.working_long_side;
    }
    return side;
}

static double face_side(const decoded *d, const pr_box *full)
{
    pr_box b = box_in(d, *full);
    return b.w < b.h ? b.w : b.h;
}

/* Whether face b (full-size pixels) takes its crop and descriptor from the larger decode: every
 * face when descriptors are computed (they must be face-api's on the photo's own pixels: a face
 * described from the DCT-scaled decode moves by up to 0.1 in descriptor distance), else the faces
 * under PR_DESCRIBE_DETAIL px in d. */
static int needs_detail(const pr_describe_params *p, const decoded *d, const pr_box *b)
{
    if (d->sx <= 1.0 && d->sy <= 1.0)
        return 0;
    return p->descriptor || (p->crop_side > 0 && face_side(d, b) < PR_DESCRIBE_DETAIL);
}

/* Around each face the region is PR_DESCRIBE_REGION_MARGIN (describe.h) of the face's side on
 * every side; descriptor_inside checks each face's footprint afterwards, and a face whose
 * footprint leaves the region is described from a whole decode. */

/* The full-scale part of a JPEG around every face into *hi (sx = sy = 1, ox/oy its corner).
 * PR_ERR_UNSUPPORTED (nothing decoded) when the file is no JPEG: the caller decodes it whole. */
static pr_status decode_region(const pr_describe_params *p, const char *path, int width,
                               int height, const pr_faces *faces, decoded *hi)
{
    double x0 = width, y0 = height, x1 = 0, y1 = 0;
    for (size_t i = 0; i < faces->count; i++) {
        const pr_box *b = &faces->items[i].box;
        double m = PR_DESCRIBE_REGION_MARGIN * (b->w > b->h ? b->w : b->h);
        x0 = fmin(x0, b->x - m);
        y0 = fmin(y0, b->y - m);
        x1 = fmax(x1, b->x + b->w + m);
        y1 = fmax(y1, b->y + b->h + m);
    }
    x0 = fmax(0, floor(x0));
    y0 = fmax(0, floor(y0));
    x1 = fmin(width, ceil(x1));
    y1 = fmin(height, ceil(y1));
    /* Even a region as large as the photo costs no more than the whole decode (the rows below
     * it are never decoded), so there is no size above which the whole decode would win. */
    if (x1 <= x0 || y1 <= y0)
        return PR_ERR_UNSUPPORTED;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.max_pixels = p->max_pixels;
    lp.channels = 3;
    int want[4] = {(int)x0, (int)y0, (int)(x1 - x0), (int)(y1 - y0)}, origin[2];
    *hi = (decoded){NULL, 1.0, 1.0, 0, 0, 0, 0};
    pr_status st = pr_image_load_region(path, &lp, want, &hi->img, origin, NULL);
    if (st != PR_OK)
        return st;
    hi->ox = origin[0];
    hi->oy = origin[1];
    hi->full_w = width;
    hi->full_h = height;
    return PR_OK;
}

/* Whether the descriptor of face (full-size box) taken from region d read only pixels the whole
 * photo has at the same place: the net's footprint for it (the landmark crop and the descriptor's
 * input, features/face_descriptor.h) lies inside d, or d reaches the photo's border where it
 * leaves (the footprint is clipped to the photo; past its border the nets read zeros or clip
 * alike). A pixel of slack on each side: the footprint comes from the float landmarks. (Same pixels,
 * same descriptor, up to one case: a box of whole-number size at a fractional corner, where
 * face-api's (y + h) - y can round below h in one frame and not in the other; detector boxes are
 * never that exact, truth boxes are whole numbers throughout.) */
static int descriptor_inside(const decoded *d, const pr_face_net_params *fp, const pr_box *face,
                             const float *lm)
{
    if (!d->full_w || !fp)
        return 1; /* not a region (or no net: nothing was read) */
    double r[4];
    pr_face_net_footprint(fp, *face, lm, d->full_w, d->full_h, r);
    const double slack = 1;
    int x_end = d->ox + d->img->width, y_end = d->oy + d->img->height;
    return (d->ox == 0 || r[0] - slack >= d->ox) && (d->oy == 0 || r[1] - slack >= d->oy) &&
           (x_end >= d->full_w || r[2] + slack <= x_end) &&
           (y_end >= d->full_h || r[3] + slack <= y_end);
}

/* The larger decode (only when d is smaller than the full size and some face needs_detail): full
 * size with descriptors, else the scale that brings the smallest such face to
 * PR_DESCRIBE_DETAIL px (full size at most). hi->img stays NULL when no face needs it. */
static pr_status decode_detail(const pr_describe_params *p, const char *path, const decoded *d,
                               int width, int height, const pr_faces *faces, decoded *hi)
{
    hi->img = NULL;
    double smallest = 0; /* full-size side of the smallest face that needs more pixels */
    for (size_t i = 0; i < faces->count; i++) {
        const pr_box *b = &faces->items[i].box;
        double full = b->w < b->h ? b->w : b->h;
        if (needs_detail(p, d, b) && full > 0 && (smallest == 0 || full < smallest))
            smallest = full;
    }
    if (smallest == 0)
        return PR_OK;
    int longest = width > height ? width : height;
    double want = p->descriptor ? longest : ceil(longest * (PR_DESCRIBE_DETAIL / smallest));
    pr_image_info info;
    if (p->descriptor && p->detail_region) {
        /* Not a JPEG (or no region): decoded whole below; any other failure is the photo's. */
        pr_status st = decode_region(p, path, width, height, faces, hi);
        if (st != PR_ERR_UNSUPPORTED)
            return st;
    }
    return decode(p, path, want >= longest ? 0 : (int)want, hi, &info);
}

static pr_status make_crop(const pr_describe_params *p, const pr_image *img, const pr_box *box,
                           uint8_t **crop)
{
    *crop = NULL;
    if (p->crop_side <= 0)
        return PR_OK;
    pr_eigen_album_params ep = pr_eigen_album_params_default();
    ep.width = ep.height = p->crop_side;
    uint8_t *c = pr_malloc((size_t)p->crop_side * (size_t)p->crop_side);
    if (!c)
        return pr_set_error(PR_ERR_NOMEM, "out of memory for a face crop");
    pr_status st = pr_face_crop_grey(img, box, &ep, c);
    if (st == PR_OK)
        *crop = c;
    else
        pr_free(c); /* a face too small for a crop simply has no eigenface cue */
    return st == PR_ERR_NOMEM ? st : PR_OK;
}

/* The face descriptor (and the landmarks it was aligned by, mapped to full-size pixels) from the
 * decoded image d; a face the net cannot take has neither. */
static pr_status make_descriptor(pr_face_net *net, const decoded *d, const pr_box *full,
                                 pr_described_face *f)
{
    f->descriptor = NULL;
    f->landmarks = NULL;
    if (!net)
        return PR_OK;
    float *desc = pr_malloc_array(PR_FACE_DESCRIPTOR_DIM, sizeof *desc);
    float *lm = pr_malloc_array(2 * PR_FACE_LANDMARKS, sizeof *lm);
    pr_status st = desc && lm ? pr_face_net_describe(net, d->img, box_in(d, *full), lm, desc)
                              : pr_set_error(PR_ERR_NOMEM, "out of memory for a face descriptor");
    if (st == PR_OK) {
        if (d->sx != 1.0 || d->sy != 1.0 || d->ox || d->oy)
            for (int k = 0; k < PR_FACE_LANDMARKS; k++) {
                lm[2 * k] = (float)(lm[2 * k] * d->sx + d->ox);
                lm[2 * k + 1] = (float)(lm[2 * k + 1] * d->sy + d->oy);
            }
        f->descriptor = desc;
        f->landmarks = lm;
    } else {
        pr_free(desc);
        pr_free(lm);
    }
    return st == PR_ERR_NOMEM ? st : PR_OK;
}

/* Face f's grey crop, descriptor and landmarks (f->box: full-size pixels) from src. A face whose
 * descriptor read past a region src (descriptor_inside) gets all three again from the whole photo
 * at full size (*whole: decoded on first need, then kept for the photo's other faces). */
static pr_status face_pixels(const pr_describe_params *p, pr_face_net *net, const char *path,
                             const decoded *src, decoded *whole, pr_described_face *f,
                             stage_clock *clk)
{
    pr_box in_src = box_in(src, f->box);
    clock_start(clk);
    pr_status st = make_crop(p, src->img, &in_src, &f->crop);
    clock_stop(clk, PR_STAGE_FEATURES);
    if (st != PR_OK)
        return st;
    clock_start(clk);
    st = make_descriptor(p->descriptor ? net : NULL, src, &f->box, f);
    clock_stop(clk, PR_STAGE_DESCRIPTOR);
    if (st != PR_OK || !f->landmarks ||
        descriptor_inside(src, pr_face_net_get_params(net), &f->box, f->landmarks))
        return st;
    pr_free(f->descriptor);
    pr_free(f->landmarks);
    pr_free(f->crop);
    f->descriptor = f->landmarks = NULL; /* the caller's failure path frees them again */
    f->crop = NULL;
    if (clk->times)
        clk->times->whole_decodes++;
    if (!whole->img) {
        pr_image_info info;
        clock_start(clk);
        st = decode(p, path, 0, whole, &info);
        clock_stop(clk, PR_STAGE_DECODE);
        if (st != PR_OK)
            return st;
    }
    return face_pixels(p, net, path, whole, whole, f, clk); /* whole is no region: no deeper */
}

/* Body masks (when the person params segment bodies) on the working image: computed here rather
 * than inside pr_person_extract_photo only so that the stage is timed on its own. */
static pr_status body_masks(const pr_describe_params *p, const pr_image *work, const pr_box *boxes,
                            int n, pr_image **masks, const uint8_t **rows, size_t *stride)
{
    *stride = 0;
    if (!p->person.body_segment || !pr_body_segment_available())
        return PR_OK;
    pr_status st = pr_body_segment_masks(work, boxes, n, masks);
    for (int i = 0; st == PR_OK && i < n; i++) {
        rows[i] = masks[i]->data;
        *stride = masks[i]->stride;
    }
    return st;
}

/* Per-photo scratch of describe_faces. */
typedef struct face_work {
    pr_box *boxes;     /* working-size boxes */
    pr_person **people;
    pr_image **masks;  /* body masks or NULLs */
    const uint8_t **rows;
} face_work;

static void face_work_free(face_work *w, int n)
{
    for (int i = 0; i < n; i++) {
        if (w->people)
            pr_person_delete(w->people[i]);
        if (w->masks)
            pr_image_delete(w->masks[i]);
    }
    pr_free(w->people);
    pr_free(w->masks);
    pr_free(w->rows);
    pr_free(w->boxes);
}

/* The cues of every face on the working image (the photo scaled to params->long_side). */
static pr_status person_cues(const pr_describe_params *p, const decoded *d,
                             const pr_described_photo *out, const pr_faces *faces, face_work *w,
                             double *scale_out, stage_clock *clk)
{
    int n = (int)faces->count;
    pr_image *small = NULL;
    int longest = out->width > out->height ? out->width : out->height;
    double scale = p->long_side > 0 && longest > p->long_side ? (double)p->long_side / longest
                                                               : 1.0;
    *scale_out = scale;
    const pr_image *work = d->img;
    int ww = (int)lround(out->width * scale), wh = (int)lround(out->height * scale);
    ww = ww > 0 ? ww : 1;
    wh = wh > 0 ? wh : 1;
    pr_status st = PR_OK;
    clock_start(clk);
    if (ww != d->img->width || wh != d->img->height) {
        if ((st = pr_image_resize(d->img, ww, wh, &small)) != PR_OK)
            return st;
        work = small;
    }
    clock_stop(clk, PR_STAGE_DECODE);
    for (int i = 0; i < n; i++) {
        const pr_box *b = &faces->items[i].box;
        w->boxes[i] = (pr_box){b->x * scale, b->y * scale, b->w * scale, b->h * scale};
    }
    size_t stride = 0;
    clock_start(clk);
    st = body_masks(p, work, w->boxes, n, w->masks, w->rows, &stride);
    clock_stop(clk, PR_STAGE_BODY);
    clock_start(clk);
    if (st == PR_OK)
        st = pr_person_extract_photo(work, w->boxes, n, stride ? w->rows : NULL, stride,
                                     &p->person, NULL, w->people);
    clock_stop(clk, PR_STAGE_FEATURES);
    pr_image_delete(small);
    return st;
}

/* Records, crops and descriptors of the found faces (boxes in full-size pixels) into out->faces. */
static pr_status describe_faces(const pr_describe_params *p, pr_face_net *net, const char *path,
                                const decoded *d, const pr_faces *faces,
                                pr_described_photo *out, stage_clock *clk)
{
    int n = (int)faces->count;
    pr_status st = PR_OK;
    double scale = 1.0;
    decoded hi = {NULL, 1.0, 1.0, 0, 0, 0, 0}, whole = {NULL, 1.0, 1.0, 0, 0, 0, 0};
    face_work w;
    w.boxes = pr_calloc((size_t)n, sizeof *w.boxes);
    w.people = pr_calloc((size_t)n, sizeof *w.people);
    w.masks = pr_calloc((size_t)n, sizeof *w.masks);
    w.rows = pr_calloc((size_t)n, sizeof *w.rows);
    out->faces = pr_calloc((size_t)n, sizeof *out->faces);
    if (!w.boxes || !w.people || !w.masks || !w.rows || !out->faces) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    out->nfaces = n;
    if ((st = person_cues(p, d, out, faces, &w, &scale, clk)) != PR_OK)
        goto done;
    clock_start(clk);
    st = decode_detail(p, path, d, out->width, out->height, faces, &hi);
    clock_stop(clk, PR_STAGE_DECODE);
    if (st != PR_OK)
        goto done;
    for (int i = 0; i < n; i++) {
        pr_described_face *f = &out->faces[i];
        f->box = faces->items[i].box;
        f->score = faces->items[i].score;
        f->pose = (int)faces->items[i].pose;
        /* Boxes in the record are in full-size photo pixels like the face's. */
        f->person = w.people[i];
        w.people[i] = NULL;
        f->person->face = f->box;
        f->person->body = (pr_box){f->person->body.x / scale, f->person->body.y / scale,
                                   f->person->body.w / scale, f->person->body.h / scale};
        const decoded *src = hi.img && needs_detail(p, d, &f->box) ? &hi : d;
        if ((st = face_pixels(p, net, path, src, &whole, f, clk)) != PR_OK)
            goto done;
    }
done:
    face_work_free(&w, n);
    pr_image_delete(hi.img);
    pr_image_delete(whole.img);
    return st;
}

/* The checks before decoding: *skipped = 1 when the photo is skipped (out says why). */
static pr_status check_before_decode(const pr_describe_params *p, const char *path,
                                     pr_described_photo *out, int *skipped)
{
    struct stat sb;
    *skipped = 1;
    if (stat(path, &sb) != 0)
        return skip(out, PR_SKIP_UNREADABLE, "cannot open");
    if (sb.st_size == 0)
        return skip(out, PR_SKIP_EMPTY, "empty file");
    if (p->max_bytes > 0 && (int64_t)sb.st_size > p->max_bytes) {
        char why[96];
        snprintf(why, sizeof why, "file too large (%lld bytes)", (long long)sb.st_size);
        return skip(out, PR_SKIP_TOO_BIG, why);
    }
    *skipped = 0;
    return PR_OK;
}

/* Detector boxes from the decoded image's pixels to full-size pixels. */
static void boxes_to_full(const decoded *d, pr_faces *faces)
{
    if (d->sx == 1.0 && d->sy == 1.0)
        return;
    for (size_t i = 0; i < faces->count; i++) {
        pr_box *b = &faces->items[i].box;
        *b = (pr_box){b->x * d->sx, b->y * d->sy, b->w * d->sx, b->h * d->sy};
    }
}

static pr_status describe_one(const pr_describe_params *p, pr_detector *det, pr_face_net *net,
                              const char *path, const char *key, pr_described_photo *out,
                              pr_describe_times *times)
{
    memset(out, 0, sizeof *out);
    if (!p || !path || (!det && !p->labels))
        return pr_set_error(PR_ERR_ARG, "pr_describe_photo: bad arguments");
    if (p->labels && !has_label(p->labels, key ? key : path))
        return PR_OK; /* no face to describe: the photo need not be decoded */
    stage_clock clk = {times, 0, 0};
    clock_start(&clk);
    int skipped;
    pr_status st = check_before_decode(p, path, out, &skipped);
    decoded d = {NULL, 1.0, 1.0, 0, 0, 0, 0};
    pr_faces faces = {0};
    pr_image_info info;
    if (!skipped)
        st = decode(p, path, first_decode_side(p, p->labels != NULL), &d, &info);
    clock_stop(&clk, PR_STAGE_DECODE);
    if (skipped)
        return st;
    if (st == PR_ERR_NOMEM) /* the run's problem, not the photo's */
        return st;
    if (st != PR_OK)
        return skip(out, pr_describe_skip_kind(st), pr_last_error());
    out->width = info.full_width;
    out->height = info.full_height;
    if (info.has_datetime) {
        memcpy(out->exif_time, info.datetime, sizeof out->exif_time);
        out->has_time = 1;
    }
    clock_start(&clk);
    st = find_faces(p, det, d.img, key ? key : path, &faces);
    clock_stop(&clk, PR_STAGE_DETECT);
    if (st == PR_OK && !p->labels)
        boxes_to_full(&d, &faces);
    if (st == PR_OK && faces.count)
        st = describe_faces(p, net, path, &d, &faces, out, &clk);
    if (st != PR_OK) {
        if (st == PR_ERR_NOMEM) {
            pr_described_photo_clear(out);
        } else { /* a photo that breaks the detector or the features is skipped, not fatal */
            int w = out->width, h = out->height;
            st = skip(out, pr_describe_skip_kind(st), pr_last_error());
            out->width = w;
            out->height = h;
        }
    }
    if (times) {
        times->photos++;
        times->faces += out->nfaces;
    }
    pr_faces_free(&faces);
    pr_image_delete(d.img);
    return st;
}

pr_status pr_describe_photo(const pr_describe_params *p, pr_detector *det, pr_face_net *net,
                            const char *path, const char *key, pr_described_photo *out)
{
    pr_describe_times *t = p && p->stats && p->stats->workers > 0 ? &p->stats->per_worker[0]
                                                                   : NULL;
    return describe_one(p, det, net, path, key, out, t);
}

/* The pixels pr_describe_photo describes given boxes from: its first decode (which decides whether
 * the photo is within the working size, so that the descriptor comes from that decode itself, or
 * larger, so that it comes from the full-scale region around the faces), then the region. Doing
 * that first decode here too costs a DCT-scaled decode per large photo, and buys descriptors that
 * are pr_describe_photo's bit for bit. */
static pr_status known_faces(const pr_describe_params *p, pr_face_net *net, const char *path,
                             const pr_faces *faces, pr_described_face *f, stage_clock *clk)
{
    decoded d = {NULL, 1.0, 1.0, 0, 0, 0, 0}, hi = d, whole = d;
    pr_image_info info;
    clock_start(clk);
    pr_status st = decode(p, path, first_decode_side(p, 1), &d, &info);
    if (st == PR_OK)
        st = decode_detail(p, path, &d, info.full_width, info.full_height, faces, &hi);
    clock_stop(clk, PR_STAGE_DECODE);
    for (size_t i = 0; st == PR_OK && i < faces->count; i++) {
        f[i].box = faces->items[i].box;
        st = face_pixels(p, net, path, hi.img ? &hi : &d, &whole, &f[i], clk);
    }
    pr_image_delete(d.img);
    pr_image_delete(hi.img);
    pr_image_delete(whole.img);
    return st;
}

/* The file checks of check_before_decode that the loader does not make itself (it names a missing
 * or empty file): the size limit. */
static pr_status check_file_size(const pr_describe_params *p, const char *path)
{
    struct stat sb;
    if (p->max_bytes > 0 && stat(path, &sb) == 0 && (int64_t)sb.st_size > p->max_bytes)
        return pr_set_error(PR_ERR_LIMIT, "%s: file too large (%lld bytes)", path,
                            (long long)sb.st_size);
    return PR_OK;
}

pr_status pr_describe_known_faces(const pr_describe_params *params, pr_face_net *net,
                                  const char *path, const pr_box *boxes, int n, float *landmarks,
                                  float *descriptors, unsigned char *ok)
{
    if (!params || !net || !path || n < 0 || (n > 0 && (!boxes || !descriptors || !ok)))
        return pr_set_error(PR_ERR_ARG, "pr_describe_known_faces: bad arguments");
    if (n == 0)
        return PR_OK; /* nothing to describe: the photo need not be read */
    pr_describe_params p = *params;
    p.descriptor = 1; /* the pixels pr_describe_photo takes with descriptors, */
    p.crop_side = 0;  /* and no grey crops */
    pr_describe_times *t = p.stats && p.stats->workers > 0 ? &p.stats->per_worker[0] : NULL;
    stage_clock clk = {t, 0, 0};
    pr_faces faces = {0};
    /* Results are kept here until every face is done: on a failure nothing is written. */
    pr_described_face *f = pr_calloc((size_t)n, sizeof *f);
    pr_status st = f ? check_file_size(&p, path) : pr_set_error(PR_ERR_NOMEM, "out of memory");
    for (int i = 0; st == PR_OK && i < n; i++) {
        pr_face face;
        memset(&face, 0, sizeof face);
        face.box = boxes[i];
        st = pr_faces_push(&faces, &face);
    }
    if (st == PR_OK)
        st = known_faces(&p, net, path, &faces, f, &clk);
    for (int i = 0; st == PR_OK && i < n; i++) {
        ok[i] = f[i].descriptor != NULL;
        if (!ok[i])
            continue;
        memcpy(descriptors + (size_t)i * PR_FACE_DESCRIPTOR_DIM, f[i].descriptor,
               PR_FACE_DESCRIPTOR_DIM * sizeof *descriptors);
        if (landmarks)
            memcpy(landmarks + (size_t)i * 2 * PR_FACE_LANDMARKS, f[i].landmarks,
                   2 * PR_FACE_LANDMARKS * sizeof *landmarks);
    }
    if (t && st == PR_OK) {
        t->photos++;
        t->faces += n;
    }
    for (int i = 0; f && i < n; i++) {
        pr_free(f[i].descriptor);
        pr_free(f[i].landmarks);
    }
    pr_free(f);
    pr_faces_free(&faces);
    return st;
}

typedef struct run_ctx {
    const pr_describe_params *params;
    pr_detector *const *detectors; /* one per worker: detectors are not thread-safe */
    pr_face_net *const *nets;      /* one per worker, or NULL */
    const char *const *paths, *const *keys;
    pr_described_photo *out;
    pr_status *status;       /* per photo */
} run_ctx;

static void run_one(void *vctx, long i, int worker)
{
    run_ctx *c = vctx;
    const pr_describe_stats *stats = c->params->stats;
    c->status[i] = describe_one(c->params, c->detectors ? c->detectors[worker] : NULL,
                                c->nets ? c->nets[worker] : NULL, c->paths[i],
                                c->keys ? c->keys[i] : NULL, &c->out[i],
                                stats && worker < stats->workers ? &stats->per_worker[worker]
                                                                 : NULL);
    pr_progress_step(c->params->progress, 1);
}

pr_status pr_describe_detectors(const pr_describe_params *p, int count, pr_detector ***out)
{
    *out = NULL;
    pr_detector **d = pr_calloc((size_t)(count > 0 ? count : 1), sizeof *d);
    if (!d)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    /* The network detector finds its model by the one models-folder search (core/models_dir.h,
     * by the SSD's own file); --models is passed on as given. */
    pr_detector_params dp = p->detector;
    if (!dp.models_dir)
        dp.models_dir = p->models_dir;
    for (int w = 0; w < count; w++) {
        pr_status st = pr_detector_new(&dp, &d[w]);
        if (st != PR_OK) {
            pr_describe_detectors_delete(d, count);
            return st;
        }
    }
    *out = d;
    return PR_OK;
}

void pr_describe_detectors_delete(pr_detector **detectors, int count)
{
    for (int w = 0; detectors && w < count; w++)
        pr_detector_delete(detectors[w]);
    pr_free(detectors);
}

pr_face_net_params pr_describe_net_params(const pr_describe_params *p)
{
    pr_face_net_params fp = pr_face_net_params_default();
    fp.models_dir = p->models_dir;
    fp.align = p->align;
    fp.flip = p->flip;
    fp.threads = 1; /* the describe pool already runs one photo per worker */
    return fp;
}

pr_status pr_describe_nets(const pr_describe_params *p, int count, pr_face_net ***out)
{
    *out = NULL;
    pr_face_net **nets = pr_calloc((size_t)(count > 0 ? count : 1), sizeof *nets);
    if (!nets)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_face_net_params fp = pr_describe_net_params(p);
    for (int w = 0; w < count; w++) {
        pr_status st = pr_face_net_new(&fp, &nets[w]);
        if (st != PR_OK) {
            pr_describe_nets_delete(nets, count);
            return st;
        }
    }
    *out = nets;
    return PR_OK;
}

void pr_describe_nets_delete(pr_face_net **nets, int count)
{
    for (int w = 0; nets && w < count; w++)
        pr_face_net_delete(nets[w]);
    pr_free(nets);
}

pr_status pr_describe_photos(const pr_describe_params *p, const char *const *paths,
                             const char *const *keys, size_t n, pr_described_photo *out)
{
    if (!p || (n && (!paths || !out)))
        return pr_set_error(PR_ERR_ARG, "pr_describe_photos: bad arguments");
    memset(out, 0, n * sizeof *out);
    if (n == 0)
        return PR_OK;
    pr_pool *own = NULL, *pool = p->pool;
    run_ctx c = {p, p->detectors, p->nets, paths, keys, out, NULL};
    pr_detector **own_det = NULL;
    pr_face_net **own_nets = NULL;
    pr_status st = PR_OK;
    if (!pool && (st = pr_pool_new(p->threads, &own)) != PR_OK)
        return st;
    if (!pool)
        pool = own;
    int workers = pr_pool_size(pool);
    if (!(c.status = pr_calloc(n, sizeof *c.status))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (!p->labels && !c.detectors) {
        if ((st = pr_describe_detectors(p, workers, &own_det)) != PR_OK)
            goto done;
        c.detectors = own_det;
    }
    if (p->descriptor && !c.nets) {
        if ((st = pr_describe_nets(p, workers, &own_nets)) != PR_OK)
            goto done;
        c.nets = own_nets;
    }
    pr_pool_for(pool, (long)n, run_one, &c);
    for (size_t i = 0; i < n && st == PR_OK; i++)
        if (c.status[i] != PR_OK)
            st = pr_set_error(c.status[i], "out of memory describing photos");
    if (st != PR_OK)
        for (size_t i = 0; i < n; i++)
            pr_described_photo_clear(&out[i]);
done:
    pr_describe_detectors_delete(own_det, workers);
    pr_describe_nets_delete(own_nets, workers);
    pr_free(c.status);
    pr_pool_delete(own);
    return st;
}

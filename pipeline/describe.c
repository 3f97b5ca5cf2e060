/* describe: decode, find the faces, describe them (pipeline/describe.h).
 *
 * Resolution: the photo is decoded at full size (orientation applied); the detector scales it to
 * its own working size (1600 px by default) and gives boxes in full-size pixels; the cues are
 * computed on the photo scaled to params->long_side (a 24 MP photo's histograms and SIFT are no
 * better than at 1600 px, only slower) and their boxes mapped back to full-size pixels; the
 * eigenface crop is cut from the full-size photo. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/describe.h"

#include "core/alloc.h"
#include "core/path.h"
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
    return p;
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

static void skip(pr_described_photo *out, int kind, const char *why)
{
    pr_described_photo_clear(out);
    out->skip_kind = kind;
    out->skip_reason = pr_strdup(why && why[0] ? why : "unreadable");
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

/* The face descriptor (and the landmarks it was aligned by) from the full-size photo; a face the
 * net cannot take has neither. */
static pr_status make_descriptor(pr_face_net *net, const pr_image *img, const pr_box *box,
                                 pr_described_face *f)
{
    f->descriptor = NULL;
    f->landmarks = NULL;
    if (!net)
        return PR_OK;
    float *d = pr_malloc_array(PR_FACE_DESCRIPTOR_DIM, sizeof *d);
    float *lm = pr_malloc_array(2 * PR_FACE_LANDMARKS, sizeof *lm);
    pr_status st = d && lm ? pr_face_net_describe(net, img, *box, lm, d)
                           : pr_set_error(PR_ERR_NOMEM, "out of memory for a face descriptor");
    if (st == PR_OK) {
        f->descriptor = d;
        f->landmarks = lm;
    } else {
        pr_free(d);
        pr_free(lm);
    }
    return st == PR_ERR_NOMEM ? st : PR_OK;
}

/* Records, crops and descriptors of the found faces into out->faces. */
static pr_status describe_faces(const pr_describe_params *p, pr_face_net *net,
                                const pr_image *img, const pr_faces *faces,
                                pr_described_photo *out)
{
    int n = (int)faces->count;
    pr_status st = PR_OK;
    pr_image *small = NULL;
    pr_box *boxes = pr_calloc((size_t)n, sizeof *boxes);
    pr_person **people = pr_calloc((size_t)n, sizeof *people);
    out->faces = pr_calloc((size_t)n, sizeof *out->faces);
    if (!boxes || !people || !out->faces) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    out->nfaces = n;
    int longest = img->width > img->height ? img->width : img->height;
    double scale = p->long_side > 0 && longest > p->long_side ? (double)p->long_side / longest
                                                               : 1.0;
    const pr_image *work = img;
    if (scale < 1.0) {
        int w = (int)lround(img->width * scale), h = (int)lround(img->height * scale);
        if ((st = pr_image_resize(img, w > 0 ? w : 1, h > 0 ? h : 1, &small)) != PR_OK)
            goto done;
        work = small;
    }
    for (int i = 0; i < n; i++) {
        const pr_box *b = &faces->items[i].box;
        boxes[i] = (pr_box){b->x * scale, b->y * scale, b->w * scale, b->h * scale};
    }
    if ((st = pr_person_extract_photo(work, boxes, n, NULL, 0, &p->person, NULL, people)) != PR_OK)
        goto done;
    for (int i = 0; i < n; i++) {
        pr_described_face *f = &out->faces[i];
        f->box = faces->items[i].box;
        f->score = faces->items[i].score;
        f->pose = (int)faces->items[i].pose;
        /* Boxes in the record are in full-size photo pixels like the face's. */
        f->person = people[i];
        people[i] = NULL;
        f->person->face = f->box;
        f->person->body = (pr_box){f->person->body.x / scale, f->person->body.y / scale,
                                   f->person->body.w / scale, f->person->body.h / scale};
        if ((st = make_crop(p, img, &f->box, &f->crop)) != PR_OK ||
            (st = make_descriptor(p->descriptor ? net : NULL, img, &f->box, f)) !=
                PR_OK)
            goto done;
    }
done:
    if (people)
        for (int i = 0; i < n; i++)
            pr_person_delete(people[i]);
    pr_free(people);
    pr_free(boxes);
    pr_image_delete(small);
    return st;
}

pr_status pr_describe_photo(const pr_describe_params *p, pr_detector *det, pr_face_net *net,
                            const char *path, const char *key, pr_described_photo *out)
{
    memset(out, 0, sizeof *out);
    if (!p || !path || (!det && !p->labels))
        return pr_set_error(PR_ERR_ARG, "pr_describe_photo: bad arguments");
    if (p->labels && !has_label(p->labels, key ? key : path))
        return PR_OK; /* no face to describe: the photo need not be decoded */
    struct stat sb;
    if (stat(path, &sb) != 0) {
        skip(out, PR_SKIP_UNREADABLE, "cannot open");
        return PR_OK;
    }
    if (sb.st_size == 0) {
        skip(out, PR_SKIP_EMPTY, "empty file");
        return PR_OK;
    }
    if (p->max_bytes > 0 && (int64_t)sb.st_size > p->max_bytes) {
        char why[96];
        snprintf(why, sizeof why, "file too large (%lld bytes)", (long long)sb.st_size);
        skip(out, PR_SKIP_TOO_BIG, why);
        return PR_OK;
    }
    pr_image *img = NULL;
    pr_faces faces = {0};
    pr_image_info info;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.max_pixels = p->max_pixels;
    lp.channels = 3;
    pr_status st = pr_image_load(path, &lp, &img, &info);
    if (st != PR_OK) {
        skip(out, pr_describe_skip_kind(st), pr_last_error());
        return PR_OK;
    }
    out->width = img->width;
    out->height = img->height;
    if (info.has_datetime) {
        memcpy(out->exif_time, info.datetime, sizeof out->exif_time);
        out->has_time = 1;
    }
    if ((st = find_faces(p, det, img, key ? key : path, &faces)) != PR_OK ||
        (faces.count && (st = describe_faces(p, net, img, &faces, out)) != PR_OK)) {
        if (st == PR_ERR_NOMEM) {
            pr_described_photo_clear(out);
        } else { /* a photo that breaks the detector or the features is skipped, not fatal */
            int w = out->width, h = out->height;
            skip(out, pr_describe_skip_kind(st), pr_last_error());
            out->width = w;
            out->height = h;
            st = PR_OK;
        }
    }
    pr_faces_free(&faces);
    pr_image_delete(img);
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
    c->status[i] = pr_describe_photo(c->params, c->detectors ? c->detectors[worker] : NULL,
                                     c->nets ? c->nets[worker] : NULL, c->paths[i],
                                     c->keys ? c->keys[i] : NULL, &c->out[i]);
    pr_progress_step(c->params->progress, 1);
}

pr_status pr_describe_detectors(const pr_describe_params *p, int count, pr_detector ***out)
{
    *out = NULL;
    pr_detector **d = pr_calloc((size_t)(count > 0 ? count : 1), sizeof *d);
    if (!d)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    for (int w = 0; w < count; w++) {
        pr_status st = pr_detector_new(&p->detector, &d[w]);
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

pr_status pr_describe_nets(const pr_describe_params *p, int count, pr_face_net ***out)
{
    *out = NULL;
    pr_face_net **nets = pr_calloc((size_t)(count > 0 ? count : 1), sizeof *nets);
    if (!nets)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_face_net_params fp = pr_face_net_params_default();
    fp.models_dir = p->models_dir;
    fp.threads = 1; /* the describe pool already runs one photo per worker */
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

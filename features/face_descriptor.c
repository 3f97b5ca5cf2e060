/* Face landmarks + descriptor on nn/ (see face_descriptor.h). One workspace per pool worker; the
 * plans are shared read-only. */
#include "features/face_descriptor.h"

#include "core/alloc.h"
#include "core/models_dir.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef PR_HAVE_NN
#include "features/blas.h"
#include "nn/faceapi.h"
#include "nn/run.h"
#ifdef PR_HAVE_NN_DISPATCH
#include "nn/dispatch.h"
#endif
#endif

#define MODELS_ADVICE                                                                              \
    "Get them with scripts/install-deps (it fetches @vladmandic/face-api@1.7.15's "                \
    "face_landmark_68_model* and face_recognition_model*), or point --models DIR or "              \
    "PERSONREC_MODELS at a folder holding them"
/* When no folder holds the models: the command goes on without the descriptor. */
static const char degraded[] = "face recognition models not found: recognition is degraded to the "
                               "classic cues (eigenfaces, SIFT, colour). " MODELS_ADVICE;

const char *pr_face_net_degraded_message(void) { return degraded; }

pr_face_net_params pr_face_net_params_default(void)
{
    pr_face_net_params p;
    memset(&p, 0, sizeof p);
    /* Chosen off-album (thesis/results/alignment.md): dlib's similarity chip with test-time flip
     * has the lowest calibration-set log-loss, untilted and tilted, of every front end. The
     * shipped calibration (cluster/params/calibration.txt) is fitted for it. */
    p.align = PR_FACE_ALIGN_SIMILARITY;
    p.flip = 1;
    p.device = PR_FACE_DEVICE_CPU;
    p.threads = 1;
    return p;
}

/* In pr_face_align's order. */
static const char *const align_names[] = {"square", "similarity", "box", "rotated", "unclipped"};
enum { N_ALIGN = sizeof align_names / sizeof align_names[0] };

int pr_face_align_parse(const char *name, pr_face_align *out)
{
    for (int k = 0; k < N_ALIGN; k++)
        if (name && strcmp(name, align_names[k]) == 0) {
            *out = (pr_face_align)k;
            return 0;
        }
    return -1;
}

const char *pr_face_align_name(pr_face_align align)
{
    return (int)align >= 0 && (int)align < N_ALIGN ? align_names[align] : "?";
}

void pr_face_net_front_end(const pr_face_net_params *params, char *out, size_t size)
{
    snprintf(out, size, "face-api 1.7.15 %s%s", pr_face_align_name(params->align),
             params->flip ? " flip" : "");
}

float pr_face_descriptor_distance(const float *a, const float *b)
{
    double s = 0;
    for (int i = 0; i < PR_FACE_DESCRIPTOR_DIM; i++)
        s += ((double)a[i] - b[i]) * ((double)a[i] - b[i]);
    return (float)sqrt(s);
}

pr_status pr_face_net_find_models(const char *cli_dir, char *out, size_t out_size)
{
#ifdef PR_FACEAPI_DEFAULT_DIR
    const char *fallback = PR_FACEAPI_DEFAULT_DIR;
#else
    const char *fallback = NULL;
#endif
    pr_status st = pr_models_find(cli_dir, "face_recognition_model.bin", fallback, out, out_size);
    return st == PR_ERR_IO ? pr_set_error(PR_ERR_IO, "%s", degraded) : st;
}

#ifndef PR_HAVE_NN

struct pr_face_net {
    int unused;
};

pr_status pr_face_net_new(const pr_face_net_params *params, pr_face_net **out)
{
    (void)params;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "built without nn/ (needs jansson and nettle): %s",
                        degraded);
}

void pr_face_net_delete(pr_face_net *net) { (void)net; }

pr_status pr_face_net_describe(pr_face_net *net, const pr_image *rgb, pr_box face,
                               float landmarks[2 * PR_FACE_LANDMARKS],
                               float descriptor[PR_FACE_DESCRIPTOR_DIM])
{
    return pr_set_error(PR_ERR_UNSUPPORTED, "face descriptor not built in");
}

pr_status pr_face_net_describe_many(pr_face_net *net, pr_face_job *jobs, long n)
{
    return pr_set_error(PR_ERR_UNSUPPORTED, "face descriptor not built in");
}

void pr_face_net_footprint(const pr_face_net_params *params, pr_box face,
                           const float landmarks[2 * PR_FACE_LANDMARKS], int img_w, int img_h,
                           double rect[4])
{
    (void)params, (void)face, (void)landmarks; /* no net: nothing is read, the image is safe */
    rect[0] = rect[1] = 0;
    rect[2] = img_w;
    rect[3] = img_h;
}

const pr_face_net_params *pr_face_net_get_params(const pr_face_net *net)
{
    (void)net;
    return NULL;
}

pr_status pr_face_net_check_landmarks(const pr_face_net_params *params,
                                      const float landmarks[2 * PR_FACE_LANDMARKS])
{
    (void)params, (void)landmarks;
    return pr_set_error(PR_ERR_UNSUPPORTED, "face descriptor not built in");
}

#else

/* Faces per recognition-net run: one sgemm per layer for the batch pays in the small deep layers
 * (measured 10.1 -> 8.4 ms per face at 4; 8 and 16 gain nothing more). The landmark net runs one
 * face at a time: its large early activations gain nothing from batching. */
#define FACE_BATCH 4

typedef struct worker_buf {
    float *ws_lm, *ws_rec, *in_lm, *in_rec, *out_rec; /* in_rec, out_rec, ws_rec: FACE_BATCH faces
                                                         (twice that with params.flip) */
} worker_buf;

/* Recognition-net inputs per face: the chip, and its mirror image with params.flip. */
static int rec_views(const pr_face_net_params *p) { return p->flip ? 2 : 1; }

/* Faces per pass of the device path (inputs prepared by the pool, then one batch per net). */
#define DEVICE_CHUNK 256

#ifdef PR_HAVE_NN_DISPATCH
typedef struct device_path {
    pr_nn_runner *lm, *rec;
    float *in_lm, *out_lm, *in_rec, *out_rec; /* DEVICE_CHUNK faces each */
    pr_faceapi_rect *rect;                    /* DEVICE_CHUNK crops */
    int views; /* in_rec, out_rec: DEVICE_CHUNK faces times rec_views */
} device_path;
#endif

struct pr_face_net {
    pr_nn_plan *lm, *rec;
    pr_face_net_params params;
    pr_pool *pool;
    int own_pool;
    int workers;
    worker_buf *buf;
#ifdef PR_HAVE_NN_DISPATCH
    device_path *dev; /* NULL: the per-worker CPU path */
#endif
};

#ifdef PR_HAVE_NN_DISPATCH
static void device_delete(device_path *d)
{
    if (!d)
        return;
    pr_nn_runner_delete(d->lm);
    pr_nn_runner_delete(d->rec);
    pr_free(d->in_lm);
    pr_free(d->out_lm);
    pr_free(d->in_rec);
    pr_free(d->out_rec);
    pr_free(d->rect);
    pr_free(d);
}

/* Runners for both nets on the GPU (PR_FACE_DEVICE_CUDA: required; AUTO: when usable, else the
 * dispatcher's CPU runner) and the batch buffers. */
static pr_status device_new(const pr_face_net *net, device_path **out)
{
    pr_device d = net->params.device == PR_FACE_DEVICE_CUDA ? PR_DEVICE_GPU : PR_DEVICE_AUTO;
    device_path *dp = pr_calloc(1, sizeof *dp);
    pr_status st = dp ? PR_OK : pr_set_error(PR_ERR_NOMEM, "face net: out of memory");
    if (st == PR_OK)
        st = pr_nn_runner_new(net->lm, d, DEVICE_CHUNK, &dp->lm);
    if (dp)
        dp->views = rec_views(&net->params);
    if (st == PR_OK)
        st = pr_nn_runner_new(net->rec, d, DEVICE_CHUNK * dp->views, &dp->rec);
    if (st == PR_OK) {
        size_t lm_in = PR_FACEAPI_LANDMARK_SIZE * PR_FACEAPI_LANDMARK_SIZE * 3;
        size_t rec_in = PR_FACEAPI_RECOGNITION_SIZE * PR_FACEAPI_RECOGNITION_SIZE * 3;
        size_t rec_n = (size_t)DEVICE_CHUNK * dp->views;
        dp->in_lm = pr_malloc_array(lm_in * DEVICE_CHUNK, sizeof(float));
        dp->out_lm = pr_malloc_array(136 * DEVICE_CHUNK, sizeof(float));
        dp->in_rec = pr_malloc_array(rec_in * rec_n, sizeof(float));
        dp->out_rec = pr_malloc_array(PR_FACE_DESCRIPTOR_DIM * rec_n, sizeof(float));
        dp->rect = pr_malloc_array(DEVICE_CHUNK, sizeof *dp->rect);
        if (!dp->in_lm || !dp->out_lm || !dp->in_rec || !dp->out_rec || !dp->rect)
            st = pr_set_error(PR_ERR_NOMEM, "face net: out of memory");
    }
    if (st != PR_OK) {
        device_delete(dp);
        return st;
    }
    *out = dp;
    return PR_OK;
}
#endif

void pr_face_net_delete(pr_face_net *net)
{
    if (!net)
        return;
    for (int i = 0; net->buf && i < net->workers; i++) {
        pr_free(net->buf[i].ws_lm);
        pr_free(net->buf[i].ws_rec);
        pr_free(net->buf[i].in_lm);
        pr_free(net->buf[i].in_rec);
        pr_free(net->buf[i].out_rec);
    }
    pr_free(net->buf);
#ifdef PR_HAVE_NN_DISPATCH
    device_delete(net->dev);
#endif
    pr_nn_plan_delete(net->lm);
    pr_nn_plan_delete(net->rec);
    if (net->own_pool)
        pr_pool_delete(net->pool);
    pr_free(net);
}

static pr_status alloc_buffers(pr_face_net *net)
{
    net->buf = pr_calloc((size_t)net->workers, sizeof *net->buf);
    if (!net->buf)
        return pr_set_error(PR_ERR_NOMEM, "face net: out of memory");
    size_t lm_in = PR_FACEAPI_LANDMARK_SIZE * PR_FACEAPI_LANDMARK_SIZE * 3;
    size_t rec_in = PR_FACEAPI_RECOGNITION_SIZE * PR_FACEAPI_RECOGNITION_SIZE * 3;
    int rec_n = FACE_BATCH * rec_views(&net->params);
    for (int i = 0; i < net->workers; i++) {
        worker_buf *b = &net->buf[i];
        b->ws_lm = pr_nn_workspace_new(net->lm);
        b->ws_rec = pr_nn_workspace_new_n(net->rec, rec_n);
        b->in_lm = pr_malloc_array(lm_in, sizeof(float));
        b->in_rec = pr_malloc_array(rec_in * (size_t)rec_n, sizeof(float));
        b->out_rec = pr_malloc_array((size_t)PR_FACE_DESCRIPTOR_DIM * rec_n, sizeof(float));
        if (!b->ws_lm || !b->ws_rec || !b->in_lm || !b->in_rec || !b->out_rec)
            return pr_set_error(PR_ERR_NOMEM, "face net: out of memory");
    }
    return PR_OK;
}

pr_status pr_face_net_new(const pr_face_net_params *params, pr_face_net **out)
{
    *out = NULL;
    pr_face_net_params p = params ? *params : pr_face_net_params_default();
    char dir[4096];
    pr_status st = pr_face_net_find_models(p.models_dir, dir, sizeof dir);
    if (st != PR_OK)
        return st;
    pr_face_net *net = pr_calloc(1, sizeof *net);
    if (!net)
        return pr_set_error(PR_ERR_NOMEM, "face net: out of memory");
    net->params = p;
    net->params.models_dir = NULL; /* borrowed string not kept */
    if ((st = pr_faceapi_landmark_net(dir, &net->lm)) != PR_OK ||
        (st = pr_faceapi_recognition_net(dir, &net->rec)) != PR_OK) {
        if (st == PR_ERR_IO) { /* what was missing, then what to do */
            /* Not the degraded message: a folder was named (or found) and the command that asked
             * for the nets stops here; it does not go on with the classic cues. */
            char why[1024];
            snprintf(why, sizeof why, "%s", pr_last_error());
            pr_set_error(st, "face recognition models not found in %s (%s). " MODELS_ADVICE, dir,
                         why);
        }
        goto fail;
    }
    net->pool = p.pool;
    if (!net->pool) {
        if ((st = pr_pool_new(p.threads > 0 ? p.threads : 1, &net->pool)) != PR_OK)
            goto fail;
        net->own_pool = 1;
    }
    net->workers = pr_pool_size(net->pool);
    if ((st = alloc_buffers(net)) != PR_OK)
        goto fail;
#ifdef PR_HAVE_NN_DISPATCH
    if (p.device != PR_FACE_DEVICE_CPU && (st = device_new(net, &net->dev)) != PR_OK)
        goto fail;
#else
    if (p.device == PR_FACE_DEVICE_CUDA) {
        st = pr_set_error(PR_ERR_UNSUPPORTED, "face net: GPU requested, built without cuda/");
        goto fail;
    }
#endif
    pr_blas_set_threads(1); /* parallelism is one face per pool worker */
    *out = net;
    return PR_OK;
fail:
    pr_face_net_delete(net);
    return st;
}

const pr_face_net_params *pr_face_net_get_params(const pr_face_net *net)
{
    return net ? &net->params : NULL;
}

void pr_face_net_footprint(const pr_face_net_params *params, pr_box face,
                           const float landmarks[2 * PR_FACE_LANDMARKS], int img_w, int img_h,
                           double rect[4])
{
    const int size = PR_FACEAPI_RECOGNITION_SIZE;
    pr_faceapi_rect r;
    double pts[136], in[4];
    rect[0] = rect[1] = rect[2] = rect[3] = 0;
    if (!pr_faceapi_clip(face.x, face.y, face.w, face.h, img_w, img_h, &r))
        return;
    for (int i = 0; i < 136; i++)
        pts[i] = landmarks[i];
    switch (params->align) {
    case PR_FACE_ALIGN_SIMILARITY: pr_faceapi_similarity_footprint(pts, size, in); break;
    case PR_FACE_ALIGN_ROTATED:
        pr_faceapi_rotated_square_footprint(pts, pr_faceapi_eye_angle(pts), size, in);
        break;
    case PR_FACE_ALIGN_UNCLIPPED: pr_faceapi_rotated_square_footprint(pts, 0, size, in); break;
    default: /* the box: the crop itself; an empty chain square: nothing but the crop */
        if (params->align == PR_FACE_ALIGN_DLIB_SQUARE &&
            pr_faceapi_dlib_square_footprint(pts, r.w, r.h, img_w, img_h, in))
            break;
        in[0] = r.x, in[1] = r.y, in[2] = r.x + r.w, in[3] = r.y + r.h;
        break;
    }
    /* The crop's own right and bottom: face-api floors the clipped x and w separately, so a part
     * cut at floor(x) + w' would clip w' again for a box with a fractional x (the same below). */
    double right = ceil(fmax(face.x, 0) + r.w), bottom = ceil(fmax(face.y, 0) + r.h);
    rect[0] = fmax(0, fmin(r.x, in[0]));
    rect[1] = fmax(0, fmin(r.y, in[1]));
    rect[2] = fmin(img_w, fmax(right, in[2]));
    rect[3] = fmin(img_h, fmax(bottom, in[3]));
}

/* pr_face_net_check_landmarks on the net's own double landmarks. */
static pr_status check_pts(pr_face_align align, const double *pts)
{
    for (int i = 0; i < 136; i++)
        if (!isfinite(pts[i]))
            return pr_set_error(PR_ERR_ARG, "face net: landmark %d is not finite", i / 2);
    if (align == PR_FACE_ALIGN_BOX)
        return PR_OK; /* the box's input does not depend on the landmarks */
    double side = pr_faceapi_chain_side(pts);
    if (!(side >= 1))
        return pr_set_error(PR_ERR_ARG, "face net: the aligned face square is empty (side %g)",
                            side);
    if (align != PR_FACE_ALIGN_SIMILARITY)
        return PR_OK;
    /* The least-squares fit can still collapse for points that are no face (a mirror image
     * stretched to cancel the template); the side above cannot see that. */
    double scale = pr_faceapi_similarity_scale(pts, PR_FACEAPI_RECOGNITION_SIZE);
    if (!(scale * PR_FACEAPI_RECOGNITION_SIZE >= 1))
        return pr_set_error(PR_ERR_ARG, "face net: the aligned face chip is empty (scale %g)",
                            scale);
    return PR_OK;
}

pr_status pr_face_net_check_landmarks(const pr_face_net_params *params,
                                      const float landmarks[2 * PR_FACE_LANDMARKS])
{
    double pts[136];
    for (int i = 0; i < 136; i++)
        pts[i] = landmarks[i];
    return check_pts(params->align, pts);
}

/* Descriptor input for the chosen alignment, from the landmarks (pts) on crop r. Degenerate
 * landmarks are refused first: every sampler would cut a chip of zeros or NaNs from them. */
static pr_status align_input(const pr_face_net *net, const pr_image *rgb, const double *pts,
                             pr_faceapi_rect r, float *in)
{
    const int size = PR_FACEAPI_RECOGNITION_SIZE;
    pr_status st = check_pts(net->params.align, pts);
    if (st != PR_OK)
        return st;
    switch (net->params.align) {
    case PR_FACE_ALIGN_SIMILARITY: pr_faceapi_similarity_chip(rgb, pts, size, in); return PR_OK;
    case PR_FACE_ALIGN_ROTATED:
        pr_faceapi_rotated_square(rgb, pts, pr_faceapi_eye_angle(pts), size, in);
        return PR_OK;
    case PR_FACE_ALIGN_UNCLIPPED: pr_faceapi_rotated_square(rgb, pts, 0, size, in); return PR_OK;
    default: break;
    }
    pr_faceapi_rect a = r;
    if (net->params.align == PR_FACE_ALIGN_DLIB_SQUARE) {
        double sq[4];
        pr_faceapi_dlib_square(pts, r.w, r.h, sq);
        if (!pr_faceapi_clip(sq[0], sq[1], sq[2], sq[3], rgb->width, rgb->height, &a))
            return pr_set_error(PR_ERR_ARG, "face net: the aligned face square is empty");
    }
    pr_faceapi_prepare(rgb, a, size, in);
    return PR_OK;
}

/* The landmark net's input for face (RGB image): the clipped crop in *r. */
static pr_status landmark_input(const pr_image *rgb, pr_box face, pr_faceapi_rect *r, float *in)
{
    if (!isfinite(face.x) || !isfinite(face.y) || !isfinite(face.w) || !isfinite(face.h))
        return pr_set_error(PR_ERR_ARG, "face net: box is not finite");
    if (!pr_faceapi_clip(face.x, face.y, face.w, face.h, rgb->width, rgb->height, r))
        return pr_set_error(PR_ERR_ARG, "face net: box (%g, %g, %g, %g) has no pixels in the "
                            "%dx%d image", face.x, face.y, face.w, face.h, rgb->width, rgb->height);
    pr_faceapi_prepare(rgb, *r, PR_FACEAPI_LANDMARK_SIZE, in);
    return PR_OK;
}

/* From the landmark net's raw output on crop r: the landmarks in image pixels (may be NULL) and,
 * when rec_in is non-NULL, the recognition net's input. */
static pr_status finish_face(const pr_face_net *net, const pr_image *rgb, pr_box face,
                             pr_faceapi_rect r, const float *raw, float *landmarks, float *rec_in)
{
    double pts[136];
    /* face-api adds the box's x, y as given: the crop's origin for boxes inside the image with
     * integer corners, off by the overhang for boxes that start outside. */
    if (net->params.clipped_origin)
        pr_faceapi_landmarks_to_image(raw, r.w, r.h, r.x, r.y, pts);
    else
        pr_faceapi_landmarks_to_image(raw, r.w, r.h, face.x, face.y, pts);
    if (landmarks)
        for (int i = 0; i < 136; i++)
            landmarks[i] = (float)pts[i];
    return rec_in ? align_input(net, rgb, pts, r, rec_in) : PR_OK;
}

/* A grey image as RGB (*copy caller-owned, NULL when rgb already is RGB). */
static pr_status as_rgb(const pr_image *img, const pr_image **rgb, pr_image **copy)
{
    *copy = NULL;
    *rgb = img;
    if (!img || (img->channels != 3 && img->channels != 1))
        return pr_set_error(PR_ERR_ARG, "face net: needs an RGB or grey image");
    if (img->channels == 3)
        return PR_OK;
    pr_status st = pr_image_to_rgb(img, copy); /* the nets take RGB: the grey replicated */
    *rgb = *copy;
    return st;
}

/* Landmarks of one face and, when rec_in is non-NULL, the recognition net's input for it. */
static pr_status prepare_face(pr_face_net *net, int worker, const pr_image *img, pr_box face,
                              float *landmarks, float *rec_in)
{
    worker_buf *b = &net->buf[worker];
    pr_nn_mode mode = net->params.reference ? PR_NN_MODE_REFERENCE : PR_NN_MODE_FAST;
    const pr_image *rgb;
    pr_image *copy;
    pr_faceapi_rect r;
    float raw[136];
    pr_status st = as_rgb(img, &rgb, &copy);
    if (st == PR_OK)
        st = landmark_input(rgb, face, &r, b->in_lm);
    if (st == PR_OK) {
        pr_nn_run(net->lm, mode, b->in_lm, raw, b->ws_lm);
        st = finish_face(net, rgb, face, r, raw, landmarks, rec_in);
    }
    pr_image_delete(copy);
    return st;
}

/* Face i's descriptor from the net's outputs for k faces: output i, or with the flip the mean of
 * outputs i and k + i (its mirror image). */
static void put_descriptor(float *desc, const float *out, int i, int k, int views)
{
    const float *a = out + (size_t)i * PR_FACE_DESCRIPTOR_DIM;
    if (views != 2) {
        memcpy(desc, a, PR_FACE_DESCRIPTOR_DIM * sizeof *desc);
        return;
    }
    const float *m = out + (size_t)(k + i) * PR_FACE_DESCRIPTOR_DIM;
    for (int c = 0; c < PR_FACE_DESCRIPTOR_DIM; c++)
        desc[c] = 0.5f * (a[c] + m[c]);
}

/* The mirror image of the chip at src into dst (the flip's second view). */
static void put_mirror(float *dst, const float *src)
{
    const int size = PR_FACEAPI_RECOGNITION_SIZE;
    memcpy(dst, src, (size_t)size * size * 3 * sizeof *dst);
    pr_faceapi_mirror(dst, size);
}

/* jobs[0..count) on one worker: landmarks face by face, then the descriptors in one batch. */
static void describe_chunk(pr_face_net *net, int worker, pr_face_job *jobs, int count)
{
    worker_buf *b = &net->buf[worker];
    const size_t in_floats = PR_FACEAPI_RECOGNITION_SIZE * PR_FACEAPI_RECOGNITION_SIZE * 3;
    int slot_job[FACE_BATCH], k = 0;
    for (int j = 0; j < count; j++) {
        pr_face_job *job = &jobs[j];
        float *in = job->descriptor ? b->in_rec + (size_t)k * in_floats : NULL;
        job->status = prepare_face(net, worker, job->image, job->face, job->landmarks, in);
        if (job->status == PR_OK && in)
            slot_job[k++] = j;
    }
    if (k == 0)
        return;
    int views = rec_views(&net->params);
    for (int i = 0; views == 2 && i < k; i++) /* the mirror images after the k chips */
        put_mirror(b->in_rec + (size_t)(k + i) * in_floats, b->in_rec + (size_t)i * in_floats);
    pr_nn_mode mode = net->params.reference ? PR_NN_MODE_REFERENCE : PR_NN_MODE_FAST;
    pr_nn_run_n(net->rec, mode, k * views, b->in_rec, b->out_rec, b->ws_rec);
    for (int i = 0; i < k; i++)
        put_descriptor(jobs[slot_job[i]].descriptor, b->out_rec, i, k, views);
}

pr_status pr_face_net_describe(pr_face_net *net, const pr_image *rgb, pr_box face,
                               float landmarks[2 * PR_FACE_LANDMARKS],
                               float descriptor[PR_FACE_DESCRIPTOR_DIM])
{
    if (!net)
        return pr_set_error(PR_ERR_ARG, "face net: NULL");
    pr_face_job job = {rgb, face, landmarks, descriptor, PR_OK};
    describe_chunk(net, 0, &job, 1);
    return job.status;
}

typedef struct many_ctx {
    pr_face_net *net;
    pr_face_job *jobs;
    long n;
    int chunk;
} many_ctx;

static void many_chunk(void *ctx, long i, int worker)
{
    many_ctx *c = ctx;
    long from = i * c->chunk, to = from + c->chunk < c->n ? from + c->chunk : c->n;
    describe_chunk(c->net, worker, c->jobs + from, (int)(to - from));
}

#ifdef PR_HAVE_NN_DISPATCH
typedef struct device_ctx {
    pr_face_net *net;
    pr_face_job *jobs; /* the chunk's */
    int k;             /* faces in the chunk */
} device_ctx;

static const size_t lm_floats = PR_FACEAPI_LANDMARK_SIZE * PR_FACEAPI_LANDMARK_SIZE * 3;
static const size_t rec_floats = PR_FACEAPI_RECOGNITION_SIZE * PR_FACEAPI_RECOGNITION_SIZE * 3;

/* Pool job, stage 1: face i's landmark input (zeros when the face fails). */
static void device_stage1(void *vctx, long i, int worker)
{
    device_ctx *c = vctx;
    device_path *d = c->net->dev;
    pr_face_job *job = &c->jobs[i];
    float *in = d->in_lm + (size_t)i * lm_floats;
    const pr_image *rgb;
    pr_image *copy;
    (void)worker;
    job->status = as_rgb(job->image, &rgb, &copy);
    if (job->status == PR_OK)
        job->status = landmark_input(rgb, job->face, &d->rect[i], in);
    if (job->status != PR_OK)
        memset(in, 0, lm_floats * sizeof *in);
    pr_image_delete(copy);
}

/* Stage 2: landmarks out and face i's recognition input (zeros when not wanted or failed). */
static void device_stage2(void *vctx, long i, int worker)
{
    device_ctx *c = vctx;
    device_path *d = c->net->dev;
    pr_face_job *job = &c->jobs[i];
    float *in = d->in_rec + (size_t)i * rec_floats;
    const pr_image *rgb;
    pr_image *copy = NULL;
    (void)worker;
    if (job->status == PR_OK && (job->status = as_rgb(job->image, &rgb, &copy)) == PR_OK)
        job->status = finish_face(c->net, rgb, job->face, d->rect[i], d->out_lm + (size_t)i * 136,
                                  job->landmarks, job->descriptor ? in : NULL);
    if (job->status != PR_OK || !job->descriptor)
        memset(in, 0, rec_floats * sizeof *in);
    if (d->views == 2) /* the mirror images after the chunk's k chips */
        put_mirror(d->in_rec + (size_t)(c->k + i) * rec_floats, in);
    pr_image_delete(copy);
}

/* The device path: inputs prepared over the pool, each net run once per chunk as one batch. */
static pr_status describe_device(pr_face_net *net, pr_face_job *jobs, long n)
{
    device_path *d = net->dev;
    for (long from = 0; from < n; from += DEVICE_CHUNK) {
        int k = (int)(n - from < DEVICE_CHUNK ? n - from : DEVICE_CHUNK);
        device_ctx ctx = {net, jobs + from, k};
        pr_pool_for(net->pool, k, device_stage1, &ctx);
        pr_status st = pr_nn_runner_run(d->lm, d->in_lm, k, d->out_lm);
        if (st != PR_OK)
            return st;
        pr_pool_for(net->pool, k, device_stage2, &ctx);
        if ((st = pr_nn_runner_run(d->rec, d->in_rec, k * d->views, d->out_rec)) != PR_OK)
            return st;
        for (int i = 0; i < k; i++)
            if (ctx.jobs[i].status == PR_OK && ctx.jobs[i].descriptor)
                put_descriptor(ctx.jobs[i].descriptor, d->out_rec, i, k, d->views);
    }
    return PR_OK;
}
#endif

pr_status pr_face_net_describe_many(pr_face_net *net, pr_face_job *jobs, long n)
{
    if (!net || (n > 0 && !jobs))
        return pr_set_error(PR_ERR_ARG, "face net: NULL");
    if (n <= 0)
        return PR_OK;
#ifdef PR_HAVE_NN_DISPATCH
    if (net->dev) {
        pr_status st = describe_device(net, jobs, n);
        if (st != PR_OK)
            return st;
        for (long i = 0; i < n; i++)
            if (jobs[i].status != PR_OK)
                return pr_set_error(jobs[i].status, "face net: face %ld of %ld failed", i, n);
        return PR_OK;
    }
#endif
    /* Chunks of up to FACE_BATCH faces, smaller when there are too few to keep every worker busy. */
    long per_worker = (n + net->workers - 1) / net->workers;
    int chunk = per_worker < FACE_BATCH ? (int)per_worker : FACE_BATCH;
    many_ctx ctx = {net, jobs, n, chunk};
    pr_pool_for(net->pool, (n + chunk - 1) / chunk, many_chunk, &ctx);
    for (long i = 0; i < n; i++)
        if (jobs[i].status != PR_OK)
            return pr_set_error(jobs[i].status, "face net: face %ld of %ld failed", i, n);
    return PR_OK;
}

#endif

int pr_face_net_models_available(const char *models_dir, const char *who)
{
    char dir[4096];
    if (models_dir || pr_face_net_find_models(NULL, dir, sizeof dir) == PR_OK)
        return 1;
    fprintf(stderr, "personrec %s: %s\n", who, pr_face_net_degraded_message());
    return 0;
}

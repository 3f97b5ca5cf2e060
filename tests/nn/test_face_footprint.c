/* pr_face_net_footprint: the part of the image the face net reads, for every alignment, on album
 * faces (truth boxes, real models). Each photo is placed in a grey frame (value 128, a quarter of
 * its size on every side), so the footprint lies inside the image and every side can be cut:
 *   - the image cut to exactly the footprint (box shifted by its corner) gives the whole image's
 *     landmarks and descriptor, up to the float rounding of the shifted coordinates;
 *   - cut one pixel more on any side, the landmarks or the recognition net's input change by far
 *     more than that rounding (the landmark crop loses a pixel, or a bilinear tap with a weight
 *     reads a zero): the footprint is never too large by a pixel, so it is tight enough to matter,
 *     and the first check shows it is never too small. The input, not the descriptor: the net's
 *     first convolution (7x7, stride 2, valid) never reads the input's last row and column, so a
 *     descriptor can be blind to a pixel its input read. The input is cut here from the landmarks
 *     as nn/ cuts it for each alignment (features/face_descriptor.c's align_input).
 * The photos as they are (faces at the border, footprints clipped to the image) are checked for
 * the first property too. */
#include "core/alloc.h"
#include "features/face_descriptor.h"
#include "nn/faceapi.h"
#include "tests/nn/album.h"
#include "tests/nn/models.h"
#include "tests/nn/rel_diff.h"
#include "tests/test.h"

#include <math.h>
#include <string.h>

#define N_FACES 8

/* The part [x0, x1) x [y0, y1) of img (inside it) as a new image. */
static pr_image *cut(const pr_image *img, int x0, int y0, int x1, int y1)
{
    pr_image *out = NULL;
    if (pr_image_new(x1 - x0, y1 - y0, 3, &out) != PR_OK)
        return NULL;
    for (int y = y0; y < y1; y++)
        memcpy(pr_image_row(out, y - y0), pr_image_row(img, y) + 3 * (size_t)x0,
               3 * (size_t)(x1 - x0));
    return out;
}

/* img in a frame of `border` grey pixels on every side. */
static pr_image *framed(const pr_image *img, int border)
{
    pr_image *out = NULL;
    if (pr_image_new(img->width + 2 * border, img->height + 2 * border, 3, &out) != PR_OK)
        return NULL;
    memset(out->data, 128, out->stride * (size_t)out->height);
    for (int y = 0; y < img->height; y++)
        memcpy(pr_image_row(out, y + border) + 3 * (size_t)border, pr_image_row(img, y),
               3 * (size_t)img->width);
    return out;
}

/* Landmarks and descriptor of face (whole-image pixels) on the part of img at (x0, y0)..(x1, y1),
 * landmarks shifted back to whole-image pixels. */
static pr_status describe_part(pr_face_net *net, const pr_image *img, pr_box face, const int r[4],
                               float lm[136], float desc[128])
{
    pr_image *part = cut(img, r[0], r[1], r[2], r[3]);
    if (!part)
        return PR_ERR_NOMEM;
    face.x -= r[0];
    face.y -= r[1];
    pr_status st = pr_face_net_describe(net, part, face, lm, desc);
    for (int k = 0; k < 68; k++) {
        lm[2 * k] += (float)r[0];
        lm[2 * k + 1] += (float)r[1];
    }
    pr_image_delete(part);
    return st;
}

/* The recognition net's input for the face's landmarks lm (image pixels) on img, as the net cuts
 * it under align. */
static void input_of(pr_face_align align, const pr_image *img, pr_box face, const float *lm,
                     float *in)
{
    const int size = PR_FACEAPI_RECOGNITION_SIZE;
    double pts[136], sq[4];
    pr_faceapi_rect crop, a;
    for (int i = 0; i < 136; i++)
        pts[i] = lm[i];
    PR_CHECK(pr_faceapi_clip(face.x, face.y, face.w, face.h, img->width, img->height, &crop));
    switch (align) {
    case PR_FACE_ALIGN_SIMILARITY: pr_faceapi_similarity_chip(img, pts, size, in); break;
    case PR_FACE_ALIGN_ROTATED:
        pr_faceapi_rotated_square(img, pts, pr_faceapi_eye_angle(pts), size, in);
        break;
    case PR_FACE_ALIGN_UNCLIPPED: pr_faceapi_rotated_square(img, pts, 0, size, in); break;
    case PR_FACE_ALIGN_DLIB_SQUARE:
        pr_faceapi_dlib_square(pts, crop.w, crop.h, sq);
        PR_CHECK(pr_faceapi_clip(sq[0], sq[1], sq[2], sq[3], img->width, img->height, &a));
        pr_faceapi_prepare(img, a, size, in);
        break;
    default: pr_faceapi_prepare(img, crop, size, in); break;
    }
}

static double max_diff(const float *a, const float *b, int n)
{
    double d = 0;
    for (int i = 0; i < n; i++)
        d = fmax(d, fabs((double)a[i] - b[i]));
    return d;
}

/* Landmarks and net input of face on the part r of img (landmarks in whole-image pixels). */
static void part_input(pr_face_net *net, pr_face_align align, const pr_image *img, pr_box face,
                       const int r[4], float lm[136], float *in)
{
    float desc[128], shifted[136];
    pr_image *part = cut(img, r[0], r[1], r[2], r[3]);
    PR_CHECK(part != NULL);
    if (!part)
        return;
    pr_box b = {face.x - r[0], face.y - r[1], face.w, face.h};
    PR_CHECK_OK(pr_face_net_describe(net, part, b, shifted, desc));
    input_of(align, part, b, shifted, in);
    for (int k = 0; k < 68; k++) {
        lm[2 * k] = shifted[2 * k] + (float)r[0];
        lm[2 * k + 1] = shifted[2 * k + 1] + (float)r[1];
    }
    pr_image_delete(part);
}

static double lm_diff(const float *a, const float *b)
{
    double d = 0;
    for (int i = 0; i < 136; i++)
        d = fmax(d, fabs((double)a[i] - b[i]));
    return d;
}

typedef struct worst {
    double exact_desc, exact_lm; /* the largest change, cut to the footprint */
    double exact_in;             /* the same for the net's input (framed photos) */
    double less;                 /* the smallest change (input or landmarks), one pixel less */
    int sides;                   /* sides cut */
} worst;

/* One face on img: cut to its footprint, then one pixel less on every side inside the image. */
static void check_face(pr_face_net *net, const pr_face_net_params *fp, const pr_image *img,
                       pr_box face, int tight, worst *w)
{
    float lm[136], desc[128], lm2[136], desc2[128];
    if (pr_face_net_describe(net, img, face, lm, desc) != PR_OK)
        return;
    double rect[4];
    pr_face_net_footprint(fp, face, lm, img->width, img->height, rect);
    int r[4] = {(int)rect[0], (int)rect[1], (int)rect[2], (int)rect[3]};
    PR_CHECK(rect[0] == r[0] && rect[1] == r[1] && rect[2] == r[2] && rect[3] == r[3]);
    PR_CHECK_MSG(r[0] >= 0 && r[1] >= 0 && r[2] <= img->width && r[3] <= img->height &&
                     r[0] < r[2] && r[1] < r[3],
                 "footprint (%d %d %d %d) not in the %dx%d image", r[0], r[1], r[2], r[3],
                 img->width, img->height);
    PR_CHECK_OK(describe_part(net, img, face, r, lm2, desc2));
    w->exact_desc = fmax(w->exact_desc, pr_test_rel_diff(desc2, desc, 128));
    w->exact_lm = fmax(w->exact_lm, lm_diff(lm2, lm));
    if (!tight)
        return;
    static float in[PR_FACEAPI_RECOGNITION_SIZE * PR_FACEAPI_RECOGNITION_SIZE * 3];
    static float in2[PR_FACEAPI_RECOGNITION_SIZE * PR_FACEAPI_RECOGNITION_SIZE * 3];
    const int n_in = (int)(sizeof in / sizeof in[0]);
    input_of(fp->align, img, face, lm, in);
    part_input(net, fp->align, img, face, r, lm2, in2);
    w->exact_in = fmax(w->exact_in, max_diff(in2, in, n_in));
    for (int side = 0; side < 4; side++) {
        int less[4] = {r[0], r[1], r[2], r[3]};
        less[side] += side < 2 ? 1 : -1;
        part_input(net, fp->align, img, face, less, lm2, in2);
        /* Landmarks in input units (1/255 per grey level): 0.01 px is a real move. */
        double change = fmax(max_diff(in2, in, n_in), lm_diff(lm2, lm) / 100);
        w->less = fmin(w->less, change);
        w->sides++;
    }
}

static void check_alignment(const char *models, const pr_album *al, pr_face_align align)
{
    pr_face_net_params fp = pr_face_net_params_default();
    fp.models_dir = models;
    fp.align = align;
    pr_face_net *net = NULL;
    PR_CHECK_OK(pr_face_net_new(&fp, &net));
    if (!net)
        return;
    worst framed_w = {0, 0, 0, INFINITY, 0}, plain_w = {0, 0, 0, INFINITY, 0};
    int step = al->n / N_FACES;
    for (int i = 0; i < N_FACES; i++) {
        const pr_album_face *f = &al->faces[i * step];
        const pr_image *img = al->images[f->image_index];
        int border = (img->width > img->height ? img->width : img->height) / 4;
        pr_image *big = framed(img, border);
        PR_CHECK(big != NULL);
        if (!big)
            continue;
        pr_box b = {f->box.x + border, f->box.y + border, f->box.w, f->box.h};
        check_face(net, &fp, big, b, 1, &framed_w);
        check_face(net, &fp, img, f->box, 0, &plain_w);
        /* A box with a fractional corner and size, as the detector's are: face-api floors the
         * clipped x and w apart. (Not a whole-number size at a corner like y + 0.7: there
         * (y + h) - y can round to just under h in one place and not in the other, and face-api's
         * crop loses a row; a detector's box is never that exact.) */
        pr_box frac = {b.x + 0.5, b.y + 0.7, b.w + 0.25, b.h + 0.5};
        check_face(net, &fp, big, frac, 0, &plain_w);
        pr_image_delete(big);
    }
    double exact = fmax(framed_w.exact_desc, plain_w.exact_desc);
    double exact_lm = fmax(framed_w.exact_lm, plain_w.exact_lm);
    fprintf(stderr,
            "%s: cut to the footprint: descriptor %.2g, landmarks %.2g px, input %.2g; "
            "one pixel less (%d sides): at least %.2g\n",
            pr_face_align_name(align), exact, exact_lm, framed_w.exact_in, framed_w.sides,
            framed_w.less);
    PR_CHECK_MSG(exact < 1e-5 && exact_lm < 1e-3,
                 "%s: cut to its footprint, the face moved by "
                 "%g (descriptor), %g px (landmarks)",
                 pr_face_align_name(align), exact, exact_lm);
    PR_CHECK_EQ_INT(framed_w.sides, 4 * N_FACES);
    PR_CHECK_MSG(framed_w.less > 1e-5 && framed_w.less > 10 * framed_w.exact_in,
                 "%s: a pixel less on some side changes the face by only %g",
                 pr_face_align_name(align), framed_w.less);
    pr_face_net_delete(net);
}

int main(void)
{
    const char *models = pr_test_models_dir();
    const char *album_dir = pr_test_data_dir("album");
    pr_album al;
    PR_CHECK_OK(pr_album_load(album_dir, 0, &al));
    if (al.n < 10 * N_FACES)
        return pr_test_finish();
    /* Every alignment there is (pr_face_align_name knows them all): one added to the net but not
     * to the footprint fails here. */
    int n_align = 0;
    for (int a = 0; strcmp(pr_face_align_name((pr_face_align)a), "?") != 0; a++, n_align++)
        check_alignment(models, &al, (pr_face_align)a);
    PR_CHECK(n_align >= 5);
    pr_album_free(&al);
    return pr_test_finish();
}

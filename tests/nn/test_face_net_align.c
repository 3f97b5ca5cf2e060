/* The descriptor's other front ends on real album faces (thesis/results/alignment.md): the
 * default is the similarity chip with flip; params.flip gives the mean of the net's outputs on the chip and
 * on its mirror image, recomputed here from the nets themselves, the same in the batched path
 * (4 faces per run, the mirrors after the chips) as one at a time and on the device path; the
 * rotated square is what nn/ cuts for the face's own landmarks. */
#include "core/alloc.h"
#include "features/face_descriptor.h"
#include "nn/faceapi.h"
#include "nn/run.h"
#include "tests/nn/album.h"
#include "tests/nn/models.h"
#include "tests/nn/rel_diff.h"
#include "tests/test.h"

#include <math.h>
#include <string.h>

#define N_FACES   10
#define IN_FLOATS (PR_FACEAPI_RECOGNITION_SIZE * PR_FACEAPI_RECOGNITION_SIZE * 3)

static pr_face_net *open_net(const char *models, pr_face_align align, int flip, pr_face_device dev)
{
    pr_face_net_params p = pr_face_net_params_default();
    p.models_dir = models;
    p.threads = 2;
    p.align = align;
    p.flip = flip;
    p.device = dev;
    pr_face_net *net = NULL;
    PR_CHECK_OK(pr_face_net_new(&p, &net));
    return net;
}

/* The recognition net run here on the input for the face's landmarks (rotated, similarity chip or
 * face-api's square), plain and mirrored. */
static void expected(const pr_nn_plan *rec, float *ws, const pr_image *img, pr_box face,
                     const float *lm, pr_face_align align, float plain[128], float mirrored[128])
{
    static float in[IN_FLOATS];
    double pts[136];
    for (int i = 0; i < 136; i++)
        pts[i] = lm[i];
    if (align == PR_FACE_ALIGN_ROTATED) {
        pr_faceapi_rotated_square(img, pts, pr_faceapi_eye_angle(pts), PR_FACEAPI_RECOGNITION_SIZE,
                                  in);
    } else if (align == PR_FACE_ALIGN_SIMILARITY) {
        pr_faceapi_similarity_chip(img, pts, PR_FACEAPI_RECOGNITION_SIZE, in);
    } else {
        double sq[4];
        pr_faceapi_rect r, crop; /* crop: the landmark net's, whose size caps the square */
        PR_CHECK(pr_faceapi_clip(face.x, face.y, face.w, face.h, img->width, img->height, &crop));
        pr_faceapi_dlib_square(pts, crop.w, crop.h, sq);
        PR_CHECK(pr_faceapi_clip(sq[0], sq[1], sq[2], sq[3], img->width, img->height, &r));
        pr_faceapi_prepare(img, r, PR_FACEAPI_RECOGNITION_SIZE, in);
    }
    pr_nn_run(rec, PR_NN_MODE_FAST, in, plain, ws);
    pr_faceapi_mirror(in, PR_FACEAPI_RECOGNITION_SIZE);
    pr_nn_run(rec, PR_NN_MODE_FAST, in, mirrored, ws);
}

static void check_variant(const char *models, const pr_album *al, const pr_nn_plan *rec, float *ws,
                          pr_face_align align)
{
    pr_face_net *net = open_net(models, align, 1, PR_FACE_DEVICE_CPU);
    pr_face_net *dev = open_net(models, align, 1, PR_FACE_DEVICE_AUTO);
    if (!net || !dev)
        return;
    float lm[N_FACES][136], desc[N_FACES][128], desc_dev[N_FACES][128];
    pr_face_job jobs[N_FACES], jobs_dev[N_FACES];
    int step = al->n / N_FACES;
    for (int i = 0; i < N_FACES; i++) {
        const pr_album_face *f = &al->faces[i * step];
        jobs[i] = (pr_face_job){al->images[f->image_index], f->box, lm[i], desc[i], PR_OK};
        jobs_dev[i] = (pr_face_job){al->images[f->image_index], f->box, NULL, desc_dev[i], PR_OK};
    }
    PR_CHECK_OK(pr_face_net_describe_many(net, jobs, N_FACES));
    PR_CHECK_OK(pr_face_net_describe_many(dev, jobs_dev, N_FACES));
    double worst = 0, worst_dev = 0, moved = 0;
    for (int i = 0; i < N_FACES; i++) {
        float plain[128], mirrored[128], mean[128], one[128];
        expected(rec, ws, jobs[i].image, jobs[i].face, lm[i], align, plain, mirrored);
        for (int c = 0; c < 128; c++)
            mean[c] = 0.5f * (plain[c] + mirrored[c]);
        worst = fmax(worst, pr_test_rel_diff(desc[i], mean, 128));
        worst_dev = fmax(worst_dev, pr_test_rel_diff(desc_dev[i], desc[i], 128));
        moved = fmax(moved, pr_face_descriptor_distance(plain, mirrored));
        if (i % 3 == 0) { /* one at a time = batched */
            PR_CHECK_OK(pr_face_net_describe(net, jobs[i].image, jobs[i].face, NULL, one));
            PR_CHECK(pr_test_rel_diff(one, desc[i], 128) < 1e-5);
        }
    }
    PR_CHECK_MSG(worst < 1e-5, "align %d: flip descriptor off the mean of chip and mirror by %g",
                 (int)align, worst);
    PR_CHECK_MSG(worst_dev < 1e-4, "align %d: device path off the CPU path by %g", (int)align,
                 worst_dev);
    /* The mirror image is another input: its descriptor moves, but stays the same person's. */
    PR_CHECK_MSG(moved > 1e-3 && moved < 0.6, "align %d: mirror moved a descriptor by %g",
                 (int)align, moved);
    pr_face_net_delete(net);
    pr_face_net_delete(dev);
}

int main(void)
{
    const char *models = pr_test_models_dir();
    const char *album_dir = pr_test_data_dir("album");
    pr_face_net_params p = pr_face_net_params_default();
    /* The product's default front end, chosen off-album (thesis/results/alignment.md). */
    PR_CHECK(p.align == PR_FACE_ALIGN_SIMILARITY && p.flip == 1);
    pr_album al;
    PR_CHECK_OK(pr_album_load(album_dir, 0, &al));
    PR_CHECK(al.n >= 10 * N_FACES);
    pr_nn_plan *rec = NULL;
    PR_CHECK_OK(pr_faceapi_recognition_net(models, &rec));
    float *ws = rec ? pr_nn_workspace_new(rec) : NULL;
    PR_CHECK(ws != NULL);
    if (ws && al.n >= 10 * N_FACES) {
        check_variant(models, &al, rec, ws, PR_FACE_ALIGN_DLIB_SQUARE);
        check_variant(models, &al, rec, ws, PR_FACE_ALIGN_SIMILARITY);
        check_variant(models, &al, rec, ws, PR_FACE_ALIGN_ROTATED);
    }
    pr_free(ws);
    pr_nn_plan_delete(rec);
    pr_album_free(&al);
    return pr_test_finish();
}

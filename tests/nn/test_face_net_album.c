/* The face nets on real album faces (truth boxes): the fast path equals the reference, landmarks
 * fall on the face, and descriptor distances separate people (same < 0.6 < different, mostly). */
#include "core/alloc.h"
#include "eval/roc.h"
#include "features/face_descriptor.h"
#include "tests/nn/album.h"
#include "tests/nn/models.h"
#include "tests/nn/rel_diff.h"
#include "tests/test.h"

#include <math.h>
#include <string.h>

/* face-api's own chain (its square, no flip): the library's figures below are for it, not for the
 * product's default front end. */
static pr_face_net_params faceapi_chain(void)
{
    pr_face_net_params p = pr_face_net_params_default();
    p.align = PR_FACE_ALIGN_DLIB_SQUARE;
    p.flip = 0;
    return p;
}

/* Fast against reference on a few faces (the reference is slow: direct loops in double). */
static void check_reference(pr_face_net *fast, const char *models, const pr_album *al)
{
    pr_face_net_params p = faceapi_chain();
    p.models_dir = models;
    p.reference = 1;
    pr_face_net *ref;
    PR_CHECK_OK(pr_face_net_new(&p, &ref));
    for (int i = 0; i < al->n; i += al->n / 2) {
        const pr_album_face *f = &al->faces[i];
        float lf[136], lr[136], df[128], dr[128];
        PR_CHECK_OK(pr_face_net_describe(fast, al->images[f->image_index], f->box, lf, df));
        PR_CHECK_OK(pr_face_net_describe(ref, al->images[f->image_index], f->box, lr, dr));
        double rl = pr_test_rel_diff(lf, lr, 136), rd = pr_test_rel_diff(df, dr, 128);
        PR_CHECK_MSG(rl < 1e-5 && rd < 1e-5, "face %d: landmarks rel %.3g, descriptor rel %.3g", i,
                     rl, rd);
    }
    pr_face_net_delete(ref);
}

/* The device path (PR_FACE_DEVICE_AUTO: the GPU batch when a GPU is usable, else the dispatcher's
 * CPU runner) gives the CPU path's results: within 1e-4 of each vector's largest value (the GPU's
 * summation order), and the same failures. */
static void check_device_path(const char *models, const pr_album *al, const pr_face_job *cpu_jobs,
                              const float *lm, const float *desc)
{
    pr_face_net_params p = faceapi_chain();
    p.models_dir = models;
    p.threads = 2;
    p.device = PR_FACE_DEVICE_AUTO;
    pr_face_net *net;
    PR_CHECK_OK(pr_face_net_new(&p, &net));
    if (!net)
        return;
    int n = al->n < 40 ? al->n : 40;
    float *lm2 = pr_malloc_array((size_t)(n + 1) * 136, sizeof(float));
    float *d2 = pr_malloc_array((size_t)(n + 1) * 128, sizeof(float));
    pr_face_job *jobs = pr_calloc((size_t)n + 1, sizeof *jobs);
    for (int i = 0; i < n; i++)
        jobs[i] = (pr_face_job){cpu_jobs[i].image, cpu_jobs[i].face, lm2 + (size_t)i * 136,
                                d2 + (size_t)i * 128, PR_OK};
    jobs[n] = (pr_face_job){cpu_jobs[0].image, (pr_box){-90, -90, 10, 10}, NULL, d2 + (size_t)n * 128,
                            PR_OK}; /* no pixels: fails alone */
    PR_CHECK(pr_face_net_describe_many(net, jobs, n + 1) == PR_ERR_ARG);
    PR_CHECK_EQ_INT(jobs[n].status, PR_ERR_ARG);
    for (int i = 0; i < n; i++) {
        PR_CHECK_OK(jobs[i].status);
        PR_CHECK(pr_test_rel_diff(d2 + (size_t)i * 128, desc + (size_t)i * 128, 128) < 1e-4);
        PR_CHECK(pr_test_rel_diff(lm2 + (size_t)i * 136, lm + (size_t)i * 136, 136) < 1e-4);
    }
    pr_free(jobs);
    pr_free(lm2);
    pr_free(d2);
    pr_face_net_delete(net);
}

static void check_landmarks(const float *lm, pr_box b, int *outside)
{
    for (int k = 0; k < 68; k++)
        if (lm[2 * k] < b.x - 0.25 * b.w || lm[2 * k] > b.x + 1.25 * b.w ||
            lm[2 * k + 1] < b.y - 0.25 * b.h || lm[2 * k + 1] > b.y + 1.25 * b.h)
            (*outside)++;
}

int main(void)
{
    const char *models = pr_test_models_dir();
    const char *album_dir = pr_test_data_dir("album");
    pr_album al;
    PR_CHECK_OK(pr_album_load(album_dir, 0, &al));
    PR_CHECK(al.n > 200);
    pr_face_net_params p = faceapi_chain();
    p.models_dir = models;
    p.threads = 2;
    pr_face_net *net;
    PR_CHECK_OK(pr_face_net_new(&p, &net));
    check_reference(net, models, &al);

    float *lm = pr_malloc_array((size_t)al.n * 136, sizeof(float));
    float *desc = pr_malloc_array((size_t)al.n * 128, sizeof(float));
    pr_face_job *jobs = pr_calloc((size_t)al.n, sizeof *jobs);
    for (int i = 0; i < al.n; i++)
        jobs[i] = (pr_face_job){al.images[al.faces[i].image_index], al.faces[i].box,
                                lm + (size_t)i * 136, desc + (size_t)i * 128, PR_OK};
    PR_CHECK_OK(pr_face_net_describe_many(net, jobs, al.n));
    /* The batched path (describe_many, recognition net 4 faces per sgemm) = one face at a time. */
    for (int i = 0; i < al.n; i += 37) {
        float d1[128], l1[136];
        PR_CHECK_OK(pr_face_net_describe(net, jobs[i].image, jobs[i].face, l1, d1));
        PR_CHECK(pr_test_rel_diff(desc + (size_t)i * 128, d1, 128) < 1e-5);
        PR_CHECK(pr_test_rel_diff(lm + (size_t)i * 136, l1, 136) < 1e-6);
    }
    check_device_path(models, &al, jobs, lm, desc);
    int outside = 0;
    for (int i = 0; i < al.n; i++)
        check_landmarks(lm + (size_t)i * 136, al.faces[i].box, &outside);
    PR_CHECK_MSG(outside < al.n * 68 / 100, "%d of %d landmarks far outside their box", outside,
                 al.n * 68);

    long same = 0, same_ok = 0, diff = 0, diff_ok = 0, np = 0;
    size_t cap = (size_t)al.n * (size_t)(al.n - 1) / 2;
    double *scores = pr_malloc_array(cap, sizeof(double));
    int *labels = pr_malloc_array(cap, sizeof(int));
    for (int i = 0; i < al.n; i++)
        for (int j = i + 1; j < al.n; j++) {
            float d = pr_face_descriptor_distance(desc + (size_t)i * 128, desc + (size_t)j * 128);
            if (!strcmp(al.faces[i].person, "unknown") || !strcmp(al.faces[j].person, "unknown"))
                continue; /* unnamed faces are no one's: not in the pairs */
            int s = strcmp(al.faces[i].person, al.faces[j].person) == 0;
            same += s;
            same_ok += s && d < 0.6f;
            diff += !s;
            diff_ok += !s && d > 0.6f;
            scores[np] = -d;
            labels[np++] = s;
        }
    pr_roc_result roc;
    PR_CHECK_OK(pr_roc_compute(scores, labels, (size_t)np, &roc));
    fprintf(stderr, "%d faces: same-person pairs under 0.6: %ld/%ld, different over 0.6: %ld/%ld, "
            "AUC %.4f\n", al.n, same_ok, same, diff_ok, diff, roc.auc);
    PR_CHECK(same_ok > 0.9 * same);
    PR_CHECK(diff_ok > 0.98 * diff);
    PR_CHECK(roc.auc > 0.995); /* the library itself: 0.997 */

    /* A box with no pixels in the image is refused; a border-clipped tiny one works. */
    const pr_image *img = al.images[0];
    float d1[128];
    PR_CHECK(pr_face_net_describe(net, img, (pr_box){-50, -50, 20, 20}, NULL, d1) == PR_ERR_ARG);
    PR_CHECK_OK(pr_face_net_describe(net, img, (pr_box){img->width - 5.5, -3, 9, 7}, NULL, d1));
    PR_CHECK(isfinite(d1[0]));
    PR_CHECK(pr_face_net_describe(net, img, (pr_box){NAN, 0, 20, 20}, NULL, d1) == PR_ERR_ARG);
    /* A grey image runs as its RGB replica. */
    pr_image *grey = NULL, *grey_rgb = NULL;
    float d2[128];
    PR_CHECK_OK(pr_image_to_gray(img, &grey));
    PR_CHECK_OK(pr_image_to_rgb(grey, &grey_rgb));
    PR_CHECK_OK(pr_face_net_describe(net, grey, al.faces[0].box, NULL, d1));
    PR_CHECK_OK(pr_face_net_describe(net, grey_rgb, al.faces[0].box, NULL, d2));
    PR_CHECK(pr_face_descriptor_distance(d1, d2) == 0.0f);
    pr_image_delete(grey);
    pr_image_delete(grey_rgb);
    pr_free(scores);
    pr_free(labels);
    pr_free(jobs);
    pr_free(lm);
    pr_free(desc);
    pr_face_net_delete(net);
    pr_album_free(&al);
    return pr_test_finish();
}

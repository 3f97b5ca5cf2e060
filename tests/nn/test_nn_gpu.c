/* The GPU runner (cuda/nn.h) against the CPU runner (nn/run.h, fast path) on both face-api nets,
 * for random inputs and real album faces, at batch sizes 1, 3 and 64 (one context reused across
 * the three, so buffer growth and reuse are exercised), plus a context with max_batch 2 (a batch of
 * 3 runs in two chunks). Exits 77 without a usable GPU.
 *
 * Bound: for every output vector, max_i |gpu_i - cpu_i| <= 1e-4 * max_i |cpu_i|. The GEMMs sum in
 * cuBLAS's order instead of OpenBLAS's; each float sum of K terms may differ by ~K * 2^-24 of the
 * summed magnitudes, and the error passes through ~30 layers. 1e-4 of the output's scale is well
 * above that rounding and far below anything a wrong index, tap or padding would give (those move
 * outputs by 1e-2 and more). Relative to the vector's largest entry, not per element: near-zero
 * elements would make a per-element ratio meaningless. */
#include "cuda/gpu.h"
#include "cuda/nn.h"
#include "nn/faceapi.h"
#include "nn/run.h"
#include "tests/nn/album.h"
#include "tests/nn/models.h"
#include "tests/test.h"

#include "core/alloc.h"
#include "core/rng.h"

#define BOUND 1e-4

static size_t floats(pr_nn_shape s) { return (size_t)s.h * s.w * s.c; }

/* Largest error of any output vector relative to its own scale. */
static double max_rel_error(const float *gpu, const float *cpu, int n, size_t len)
{
    double worst = 0;
    for (int b = 0; b < n; b++) {
        double scale = 0, err = 0;
        for (size_t i = 0; i < len; i++) {
            double c = cpu[b * len + i], d = fabs((double)gpu[b * len + i] - c);
            scale = fabs(c) > scale ? fabs(c) : scale;
            err = d > err ? d : err;
        }
        double rel = scale > 0 ? err / scale : err;
        worst = rel > worst ? rel : worst;
    }
    return worst;
}

/* Random net inputs in the range of (v - mean)/255: [-0.6, 0.6]. */
static void random_inputs(float *x, size_t count, uint64_t seed)
{
    pr_rng rng;
    pr_rng_seed(&rng, seed);
    for (size_t i = 0; i < count; i++)
        x[i] = (float)(pr_rng_uniform(&rng) * 1.2 - 0.6);
}

/* Album faces (truth boxes, cycled when there are fewer than n) prepared as the net's input. */
static int real_inputs(const pr_album *al, int size, float *x, int n)
{
    if (al->n == 0)
        return 0;
    for (int b = 0; b < n; b++) {
        const pr_album_face *f = &al->faces[b % al->n];
        const pr_image *img = al->images[f->image_index];
        pr_faceapi_rect r;
        if (!pr_faceapi_clip(f->box.x, f->box.y, f->box.w, f->box.h, img->width, img->height, &r))
            return 0;
        pr_faceapi_prepare(img, r, size, x + (size_t)b * size * size * 3);
    }
    return 1;
}

static void cpu_run(const pr_nn_plan *plan, const float *x, int n, float *y)
{
    float *ws = pr_nn_workspace_new(plan);
    PR_CHECK(ws != NULL);
    if (!ws)
        return;
    size_t in_f = floats(plan->values[0]), out_f = floats(plan->values[plan->output]);
    for (int b = 0; b < n; b++)
        pr_nn_run(plan, PR_NN_MODE_FAST, x + in_f * b, y + out_f * b, ws);
    pr_free(ws);
}

/* Runs n inputs through ctx and the CPU; checks the bound. */
static void compare(const char *what, const pr_nn_plan *plan, pr_cuda_nn *ctx, const float *x,
                    int n)
{
    size_t out_f = floats(plan->values[plan->output]);
    float *g = pr_calloc((size_t)n * out_f, sizeof *g), *c = pr_calloc((size_t)n * out_f, sizeof *c);
    PR_CHECK(g && c);
    if (g && c) {
        PR_CHECK_OK(pr_cuda_nn_run(ctx, x, n, g));
        cpu_run(plan, x, n, c);
        double e = max_rel_error(g, c, n, out_f);
        fprintf(stderr, "%-28s batch %2d: max relative error %.3g (%.3f ms on the GPU)\n", what, n,
                e, pr_cuda_nn_last_ms(ctx));
        PR_CHECK_MSG(e <= BOUND, "%s batch %d: %.3g > %g", what, n, e, BOUND);
    }
    pr_free(g);
    pr_free(c);
}

static void check_net(const char *name, const pr_nn_plan *plan, int size, const pr_album *al)
{
    static const int batches[3] = {1, 3, 64};
    size_t in_f = floats(plan->values[0]);
    float *x = pr_malloc_array(64 * in_f, sizeof *x);
    pr_cuda_nn *ctx = NULL, *small = NULL;
    pr_cuda_nn_params p = pr_cuda_nn_params_default();
    PR_CHECK(x != NULL);
    PR_CHECK_OK(pr_cuda_nn_new(plan, NULL, &ctx));
    p.max_batch = 2;
    PR_CHECK_OK(pr_cuda_nn_new(plan, &p, &small));
    char what[64];
    for (int i = 0; x && ctx && small && i < 3; i++) {
        random_inputs(x, (size_t)batches[i] * in_f, 1000u + (unsigned)i);
        snprintf(what, sizeof what, "%s random", name);
        compare(what, plan, ctx, x, batches[i]);
        if (batches[i] == 3) {
            snprintf(what, sizeof what, "%s random, chunks of 2", name);
            compare(what, plan, small, x, 3);
        }
        if (real_inputs(al, size, x, batches[i])) {
            snprintf(what, sizeof what, "%s album", name);
            compare(what, plan, ctx, x, batches[i]);
        }
    }
    pr_cuda_nn_delete(ctx);
    pr_cuda_nn_delete(small);
    pr_free(x);
}

int main(void)
{
    pr_gpu_info info;
    if (pr_gpu_probe(&info) != PR_OK) {
        fprintf(stderr, "skipped: %s\n", pr_last_error());
        return PR_TEST_SKIP;
    }
    fprintf(stderr, "GPU: %s (sm_%d%d)\n", info.name, info.major, info.minor);
    const char *models = pr_test_models_dir();
    pr_album al;
    memset(&al, 0, sizeof al);
    const char *base = getenv("PR_DATA_DIR");
    char album[4200];
    snprintf(album, sizeof album, "%s/album", base && *base ? base : PR_DEFAULT_DATA_DIR);
    if (pr_album_load(album, 64, &al) != PR_OK)
        fprintf(stderr, "note: no album faces (%s): random inputs only\n", pr_last_error());
    pr_nn_plan *lm = NULL, *rec = NULL;
    PR_CHECK_OK(pr_faceapi_landmark_net(models, &lm));
    PR_CHECK_OK(pr_faceapi_recognition_net(models, &rec));
    if (lm)
        check_net("landmarks", lm, PR_FACEAPI_LANDMARK_SIZE, &al);
    if (rec)
        check_net("descriptor", rec, PR_FACEAPI_RECOGNITION_SIZE, &al);
    pr_nn_plan_delete(lm);
    pr_nn_plan_delete(rec);
    pr_album_free(&al);
    return pr_test_finish();
}

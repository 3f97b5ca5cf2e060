/* GPU parity (label gpu; exit 77 without a usable GPU): each device stage against the CPU stage
 * (smoothed planes and sorted edges bit for bit), then exact-mode labels against pr_fh_segment byte
 * for byte on random, blocky and flat images of awkward sizes (1x1, 1xN, Nx1, primes, 4097x3) at
 * several settings and windows; fast mode's ASA against the CPU partition is reported. */
#include "cuda/fh.h"
#include "cuda/gpu.h"
#include "segment/dispatch.h"
#include "tests/cuda_fh/emul_common.h"
#include "tests/test.h"

static void check_stages(pr_cuda_fh *ctx, const pr_image *img, double sigma)
{
    const size_t n = (size_t)img->width * img->height;
    const size_t m = pr_fh_edge_count(img->width, img->height);
    float mask[PR_FH_MAX_MASK];
    int len = 0;
    PR_CHECK_OK(pr_fh_gauss_mask(sigma, mask, &len));
    float *cp = pr_malloc_array(3 * n, sizeof(float)), *gp = pr_malloc_array(3 * n, sizeof(float));
    uint64_t *gs = pr_malloc_array(m ? m : 1, sizeof(uint64_t)), *cs = NULL;
    size_t cm = 0;
    PR_CHECK_OK(pr_fh_smooth(img, sigma, cp));
    PR_CHECK_OK(emul_sorted_edges(img, sigma, &cs, &cm));
    PR_CHECK_OK(pr_cuda_fh_stages(ctx, img, mask, len, gp, gs, m));
    PR_CHECK_MSG(memcmp(cp, gp, 3 * n * sizeof(float)) == 0, "planes %dx%d sigma %g", img->width,
                 img->height, sigma);
    PR_CHECK_MSG(cm == m && memcmp(cs, gs, m * sizeof(uint64_t)) == 0, "sorted edges %dx%d",
                 img->width, img->height);
    pr_free(cp);
    pr_free(gp);
    pr_free(gs);
    pr_free(cs);
}

int main(void)
{
    if (!pr_gpu_available()) {
        fprintf(stderr, "skipped: %s\n", pr_last_error());
        return PR_TEST_SKIP;
    }
    static const int sizes[][2] = {{1, 1}, {1, 17}, {23, 1}, {2, 2}, {31, 37}, {97, 61},
                                   {4097, 3}, {3, 4097}, {640, 480}};
    static const double params[][3] = {{0.8, 300, 20}, {0.5, 500, 50}, {0.0, 50, 0}, {1.5, 1000, 5}};
    static const size_t windows[] = {0, 7, 4096};
    pr_cuda_fh *ctx = NULL;
    PR_CHECK_OK(pr_cuda_fh_new(&ctx));
    if (!ctx)
        return pr_test_finish();
    pr_rng rng;
    pr_rng_seed(&rng, 20240505);
    double asa_sum = 0.0;
    int asa_n = 0;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int kind = 0; kind < 3; kind++) {
            pr_image *img = emul_random_image(&rng, sizes[si][0], sizes[si][1], kind);
            PR_CHECK(img != NULL);
            if (!img)
                continue;
            const size_t n = (size_t)img->width * img->height;
            int32_t *lab = pr_malloc_array(n, sizeof(int32_t));
            for (size_t pi = 0; pi < sizeof params / sizeof params[0]; pi++) {
                pr_fh_params p = pr_fh_params_default();
                p.sigma = params[pi][0];
                p.k = params[pi][1];
                p.min_size = (int)params[pi][2];
                check_stages(ctx, img, p.sigma);
                pr_labels *ref = NULL;
                PR_CHECK_OK(pr_fh_segment(img, &p, &ref, NULL));
                float mask[PR_FH_MAX_MASK];
                int len = 0;
                PR_CHECK_OK(pr_fh_gauss_mask(p.sigma, mask, &len));
                for (size_t wi = 0; wi < 4; wi++) {
                    pr_cuda_fh_args a;
                    memset(&a, 0, sizeof a);
                    a.mask = mask;
                    a.mask_len = len;
                    a.k = (float)p.k;
                    a.min_size = p.min_size;
                    a.mode = wi == 3 ? PR_CUDA_FH_FAST : PR_CUDA_FH_EXACT;
                    a.window = wi == 3 ? 0 : windows[wi];
                    int segs = -1;
                    PR_CHECK_OK(pr_cuda_fh_segment(ctx, img, &a, lab, &segs, NULL));
                    if (!ref)
                        continue;
                    if (wi < 3) {
                        PR_CHECK_MSG(memcmp(lab, ref->data, n * sizeof(int32_t)) == 0,
                                     "exact %dx%d kind %d params %zu window %zu", img->width,
                                     img->height, kind, pi, windows[wi]);
                    } else {
                        asa_sum += emul_asa(lab, ref->data, n);
                        asa_n++;
                    }
                }
                pr_labels_delete(ref);
            }
            pr_free(lab);
            pr_image_delete(img);
        }
    if (asa_n)
        fprintf(stderr, "fast mode ASA against the CPU partition: mean %.4f over %d runs\n",
                asa_sum / asa_n, asa_n);
    pr_cuda_fh_delete(ctx);
    return pr_test_finish();
}

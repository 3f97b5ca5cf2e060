/* The exact-mode parallel merge (CPU emulation of cuda/fh.cu) against pr_fh_segment, byte for byte:
 * random noise, blocky images full of ties, flat images, awkward sizes (1x1, 1xN, Nx1, primes,
 * 4097x3), several parameter settings and window sizes (1 = the sequential order, up to the whole
 * edge list in one window). */
#include "tests/cuda_fh/emul_common.h"
#include "tests/test.h"

int main(void)
{
    static const int sizes[][2] = {{1, 1}, {1, 17}, {23, 1}, {2, 2}, {3, 5}, {31, 37},
                                   {97, 61}, {4097, 3}, {3, 4097}, {128, 96}};
    static const double params[][3] = {{0.8, 300, 20}, {0.5, 500, 50}, {0.0, 50, 0},
                                       {1.5, 1000, 5}, {0.8, 1, 1}};
    static const size_t windows[] = {1, 7, 4096, (size_t)1 << 30};
    pr_rng rng;
    pr_rng_seed(&rng, 20240505);
    long rounds = 0, tests = 0;
    for (size_t si = 0; si < sizeof sizes / sizeof sizes[0]; si++)
        for (int kind = 0; kind < 3; kind++) {
            pr_image *img = emul_random_image(&rng, sizes[si][0], sizes[si][1], kind);
            PR_CHECK(img != NULL);
            if (!img)
                continue;
            for (size_t pi = 0; pi < sizeof params / sizeof params[0]; pi++) {
                pr_fh_params p = pr_fh_params_default();
                p.sigma = params[pi][0];
                p.k = params[pi][1];
                p.min_size = (int)params[pi][2];
                for (size_t wi = 0; wi < sizeof windows / sizeof windows[0]; wi++) {
                    /* window 1 on big images is just slow, not more telling */
                    if (windows[wi] == 1 && (size_t)img->width * img->height > 5000)
                        continue;
                    pr_emul_stats st;
                    PR_CHECK_MSG(emul_matches(img, &p, PR_EMUL_EXACT, windows[wi], &st, NULL),
                                 "%dx%d kind %d params %zu window %zu", img->width, img->height,
                                 kind, pi, windows[wi]);
                    rounds += st.rounds_merge + st.rounds_min_size;
                    tests++;
                }
            }
            pr_image_delete(img);
        }
    fprintf(stderr, "%ld cases, %ld rounds in all\n", tests, rounds);
    return pr_test_finish();
}

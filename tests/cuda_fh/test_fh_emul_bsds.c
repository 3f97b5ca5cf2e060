/* The exact-mode parallel merge (CPU emulation of cuda/fh.cu) against pr_fh_segment on BSDS500
 * images at (sigma 0.8, k 300, min 20) and (0.5, 500, 50). The exactness argument holds for any
 * window, so the emulation uses a 4096-edge window (a round costs the emulation O(window)); it
 * reports the rounds (the GPU's sequential depth), and for fast mode (the GPU default 65536-edge
 * window) the ASA against the CPU partition. PR_EMUL_STRIDE=N checks every N-th image (default 25, i.e. 20 images, so the suite stays
 * within CI's time; PR_EMUL_STRIDE=1 runs all 500, about 25 minutes on 2 cores). */
#define _POSIX_C_SOURCE 200809L

#include "tests/cuda_fh/emul_common.h"
#include "tests/test.h"

#include <dirent.h>
#include <stdlib.h>

static int cmp_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    const char *dir = pr_test_data_dir("bsds500/images");
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "skipped: cannot open %s\n", dir);
        return PR_TEST_SKIP;
    }
    char *names[1024];
    int nn = 0;
    struct dirent *de;
    while ((de = readdir(d)) && nn < 1024) {
        const size_t l = strlen(de->d_name);
        if (l > 4 && strcmp(de->d_name + l - 4, ".jpg") == 0)
            names[nn++] = pr_strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], cmp_name);
    const char *stride_env = getenv("PR_EMUL_STRIDE");
    const int stride = stride_env && atoi(stride_env) > 0 ? atoi(stride_env) : 25;
    static const double params[2][3] = {{0.8, 300, 20}, {0.5, 500, 50}};
    const size_t window = 4096;
    double asa_sum = 0.0, asa_min = 1.0;
    long max_merge = 0, max_min = 0, sum_merge = 0, sum_min = 0, images = 0;
    for (int i = 0; i < nn; i += stride) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        pr_image *img = NULL;
        if (pr_image_load(path, NULL, &img, NULL) != PR_OK) {
            PR_CHECK_MSG(0, "%s: %s", path, pr_last_error());
            continue;
        }
        for (int pi = 0; pi < 2; pi++) {
            pr_fh_params p = pr_fh_params_default();
            p.sigma = params[pi][0];
            p.k = params[pi][1];
            p.min_size = (int)params[pi][2];
            pr_emul_stats st;
            PR_CHECK_MSG(emul_matches(img, &p, PR_EMUL_EXACT, window, &st, NULL), "%s params %d",
                         names[i], pi);
            {
                const size_t n = (size_t)img->width * img->height;
                pr_labels *ref = NULL;
                uint64_t *sorted = NULL;
                size_t m = 0;
                int32_t *fast = pr_malloc_array(n, sizeof(int32_t));
                PR_CHECK_OK(pr_fh_segment(img, &p, &ref, NULL));
                PR_CHECK_OK(emul_sorted_edges(img, p.sigma, &sorted, &m));
                if (ref && sorted && fast &&
                    pr_emul_merge(sorted, m, img->width, img->height, p.k, p.min_size,
                                  PR_EMUL_FAST, (size_t)1 << 16, fast, NULL, NULL) == PR_OK) {
                    const double asa = emul_asa(fast, ref->data, n);
                    asa_sum += asa;
                    if (asa < asa_min)
                        asa_min = asa;
                }
                pr_free(fast);
                pr_free(sorted);
                pr_labels_delete(ref);
            }
            sum_merge += st.rounds_merge;
            sum_min += st.rounds_min_size;
            if (st.rounds_merge > max_merge)
                max_merge = st.rounds_merge;
            if (st.rounds_min_size > max_min)
                max_min = st.rounds_min_size;
        }
        images++;
        pr_image_delete(img);
    }
    for (int i = 0; i < nn; i++)
        pr_free(names[i]);
    if (images)
        fprintf(stderr, "%ld images x 2 settings: rounds merge mean %.1f max %ld, min_size mean %.1f "
                        "max %ld\n", images, (double)sum_merge / (2.0 * images), max_merge,
                (double)sum_min / (2.0 * images), max_min);
    if (images)
        fprintf(stderr, "fast mode (window 65536) ASA against the CPU partition: mean %.4f min %.4f\n",
                asa_sum / (2.0 * images), asa_min);
    return pr_test_finish();
}

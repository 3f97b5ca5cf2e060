/* GPU exact mode on all BSDS500 images at (0.8, 300, 20) and (0.5, 500, 50): labels equal to
 * pr_fh_segment byte for byte (label gpu + data; exit 77 without a GPU or the dataset). Fast mode's
 * ASA against the CPU partition is reported. */
#define _POSIX_C_SOURCE 200809L

#include "cuda/gpu.h"
#include "segment/dispatch.h"
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
    if (!pr_gpu_available()) {
        fprintf(stderr, "skipped: %s\n", pr_last_error());
        return PR_TEST_SKIP;
    }
    const char *dir = pr_test_data_dir("bsds500/images");
    const char *ext = getenv("PR_BSDS_EXT"); /* ".ppm" on the GPU machine (PNM copies) */
    if (!ext || !*ext)
        ext = ".jpg";
    DIR *d = opendir(dir);
    if (!d)
        return PR_TEST_SKIP;
    char *names[1024];
    int nn = 0;
    struct dirent *de;
    const size_t el = strlen(ext);
    while ((de = readdir(d)) && nn < 1024) {
        const size_t l = strlen(de->d_name);
        if (l > el && strcmp(de->d_name + l - el, ext) == 0)
            names[nn++] = pr_strdup(de->d_name);
    }
    closedir(d);
    qsort(names, (size_t)nn, sizeof names[0], cmp_name);
    pr_segmenter *gpu = NULL;
    PR_CHECK_OK(pr_segmenter_new(PR_DEVICE_GPU, &gpu));
    static const double params[2][3] = {{0.8, 300, 20}, {0.5, 500, 50}};
    int same = 0, runs = 0;
    double asa_sum = 0.0, asa_min = 1.0;
    for (int i = 0; i < nn && gpu; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", dir, names[i]);
        pr_image *img = NULL;
        if (pr_image_load(path, NULL, &img, NULL) != PR_OK) {
            PR_CHECK_MSG(0, "%s: %s", path, pr_last_error());
            continue;
        }
        const size_t n = (size_t)img->width * img->height;
        for (int pi = 0; pi < 2; pi++) {
            pr_fh_params p = pr_fh_params_default();
            p.sigma = params[pi][0];
            p.k = params[pi][1];
            p.min_size = (int)params[pi][2];
            pr_labels *ref = NULL, *ex = NULL, *fa = NULL;
            PR_CHECK_OK(pr_fh_segment(img, &p, &ref, NULL));
            PR_CHECK_OK(pr_segmenter_run(gpu, img, &p, PR_FH_EXACT, &ex, NULL));
            PR_CHECK_OK(pr_segmenter_run(gpu, img, &p, PR_FH_FAST, &fa, NULL));
            if (ref && ex) {
                const int eq = memcmp(ref->data, ex->data, n * sizeof(int32_t)) == 0;
                PR_CHECK_MSG(eq, "%s params %d", names[i], pi);
                same += eq;
                runs++;
            }
            if (ref && fa) {
                const double asa = emul_asa(fa->data, ref->data, n);
                asa_sum += asa;
                if (asa < asa_min)
                    asa_min = asa;
            }
            pr_labels_delete(ref);
            pr_labels_delete(ex);
            pr_labels_delete(fa);
        }
        pr_image_delete(img);
    }
    fprintf(stderr, "exact: %d of %d runs identical; fast ASA mean %.4f min %.4f\n", same, runs,
            runs ? asa_sum / runs : 0.0, asa_min);
    PR_CHECK(runs > 0);
    pr_segmenter_delete(gpu);
    for (int i = 0; i < nn; i++)
        pr_free(names[i]);
    return pr_test_finish();
}

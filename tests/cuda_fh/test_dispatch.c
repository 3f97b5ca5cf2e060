/* segment/dispatch: cpu and auto give the CPU reference's labels; without a GPU, auto falls back
 * (one notice) and gpu is refused with a message; bad device/mode names are rejected. */
#include "segment/dispatch.h"

#include "cuda/gpu.h"
#include "tests/cuda_fh/emul_common.h"
#include "tests/test.h"

int main(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 7);
    pr_image *img = emul_random_image(&rng, 45, 31, 1);
    PR_CHECK(img != NULL);
    pr_labels *ref = NULL, *cpu = NULL, *aut = NULL;
    pr_fh_params p = pr_fh_params_default();
    PR_CHECK_OK(pr_fh_segment(img, &p, &ref, NULL));
    pr_segment_report r;
    PR_CHECK_OK(pr_segment_run(img, &p, PR_DEVICE_CPU, PR_FH_EXACT, &cpu, &r));
    PR_CHECK_EQ_INT(r.device, PR_DEVICE_CPU);
    PR_CHECK_OK(pr_segment_run(img, NULL, PR_DEVICE_AUTO, PR_FH_EXACT, &aut, &r));
    PR_CHECK(ref && cpu && aut);
    if (ref && cpu && aut) {
        PR_CHECK(memcmp(ref->data, cpu->data, sizeof(int32_t) * 45 * 31) == 0);
        PR_CHECK(memcmp(ref->data, aut->data, sizeof(int32_t) * 45 * 31) == 0);
    }
    PR_CHECK_EQ_INT(r.segments > 0, 1);
    if (!pr_gpu_available()) {
        PR_CHECK_EQ_INT(r.device, PR_DEVICE_CPU);
        pr_labels *g = NULL;
        const pr_status st = pr_segment_run(img, NULL, PR_DEVICE_GPU, PR_FH_EXACT, &g, NULL);
        PR_CHECK(st == PR_ERR_UNSUPPORTED || st == PR_ERR_CUDA);
        PR_CHECK(g == NULL);
        PR_CHECK(strstr(pr_last_error(), "GPU requested") != NULL);
        fprintf(stderr, "gpu refused as expected: %s\n", pr_last_error());
    }
    PR_CHECK_EQ_INT(pr_device_parse("gpu"), PR_DEVICE_GPU);
    PR_CHECK_EQ_INT(pr_device_parse("cpux"), -1);
    PR_CHECK_EQ_INT(pr_fh_mode_parse("fast"), PR_FH_FAST);
    PR_CHECK_EQ_INT(pr_fh_mode_parse(""), -1);
    pr_labels *bad = NULL;
    PR_CHECK(pr_segment_run(img, NULL, (pr_device)9, PR_FH_EXACT, &bad, NULL) == PR_ERR_ARG);
    pr_labels_delete(ref);
    pr_labels_delete(cpu);
    pr_labels_delete(aut);
    pr_image_delete(img);
    return pr_test_finish();
}

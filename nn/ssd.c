/* The SSD detector object: plan + anchors + one CPU workspace, or a GPU runner (nn/dispatch.h). */
#include "nn/ssd.h"

#include "core/alloc.h"
#include "nn/run.h"

#include <cblas.h>
#ifdef PR_HAVE_NN_DISPATCH
#include "nn/dispatch.h"
#endif

struct pr_ssd {
    pr_ssd_params params;
    pr_nn_plan *plan;        /* owned */
    float *anchors;          /* owned, 5118 x 4 */
    float *input, *output;   /* owned scratch: 512*512*3 and 5118*7 floats */
    float *workspace;        /* owned, CPU path */
#ifdef PR_HAVE_NN_DISPATCH
    pr_nn_runner *runner;    /* owned, GPU / AUTO path */
#endif
};

pr_ssd_params pr_ssd_params_default(void)
{
    pr_ssd_params p = {NULL, 0.5, 100, 0.5, PR_DEVICE_CPU};
    return p;
}

void pr_ssd_delete(pr_ssd *ssd)
{
    if (!ssd)
        return;
#ifdef PR_HAVE_NN_DISPATCH
    pr_nn_runner_delete(ssd->runner);
#endif
    pr_nn_plan_delete(ssd->plan);
    pr_free(ssd->anchors);
    pr_free(ssd->input);
    pr_free(ssd->output);
    pr_free(ssd->workspace);
    pr_free(ssd);
}

static pr_status make_runner(pr_ssd *ssd)
{
    if (ssd->params.device == PR_DEVICE_CPU) {
        ssd->workspace = pr_nn_workspace_new(ssd->plan);
        return ssd->workspace ? PR_OK : pr_set_error(PR_ERR_NOMEM, "ssd: out of memory");
    }
#ifdef PR_HAVE_NN_DISPATCH
    return pr_nn_runner_new(ssd->plan, ssd->params.device, 1, &ssd->runner);
#else
    return pr_set_error(PR_ERR_UNSUPPORTED, "ssd: GPU requested, but personrec was built without "
                        "CUDA");
#endif
}

pr_status pr_ssd_new(const pr_ssd_params *params, pr_ssd **out)
{
    *out = NULL;
    if (!params || !params->models_dir || !(params->min_confidence > 0 && params->min_confidence < 1) ||
        params->max_results <= 0 || !(params->iou >= 0 && params->iou <= 1))
        return pr_set_error(PR_ERR_ARG, "ssd: models_dir unset, or min_confidence not in (0, 1), "
                            "max_results <= 0, iou not in [0, 1]");
    pr_ssd *ssd = pr_calloc(1, sizeof *ssd);
    if (!ssd)
        return pr_set_error(PR_ERR_NOMEM, "ssd: out of memory");
    ssd->params = *params;
    ssd->params.models_dir = NULL; /* borrowed only during new */
    pr_status st = pr_ssd_load(params->models_dir, &ssd->plan, &ssd->anchors);
    if (st == PR_OK) {
        /* One photo per pool worker: OpenBLAS's own threads inside each sgemm only spin against
         * the pool (perf of `detect`: 30 % of its CPU in sched_yield and the kernel).
         * Process-wide, as features/blas.h does for the face nets (nn cannot call features/). */
        openblas_set_num_threads(1);
        ssd->input = pr_malloc_array((size_t)PR_SSD_INPUT * PR_SSD_INPUT * 3, sizeof(float));
        ssd->output = pr_malloc_array((size_t)PR_SSD_ANCHORS * 7, sizeof(float));
        if (!ssd->input || !ssd->output)
            st = pr_set_error(PR_ERR_NOMEM, "ssd: out of memory");
    }
    if (st == PR_OK)
        st = make_runner(ssd);
    if (st != PR_OK) {
        pr_ssd_delete(ssd);
        return st;
    }
    *out = ssd;
    return PR_OK;
}

pr_status pr_ssd_detect(pr_ssd *ssd, const pr_image *image, pr_ssd_box **boxes, size_t *n)
{
    *boxes = NULL;
    *n = 0;
    if (!image || image->width <= 0 || image->height <= 0 ||
        (image->channels != 1 && image->channels != 3))
        return pr_set_error(PR_ERR_ARG, "ssd: needs a grey or RGB image");
    pr_ssd_prepare(image, ssd->input);
#ifdef PR_HAVE_NN_DISPATCH
    if (ssd->runner) {
        pr_status st = pr_nn_runner_run(ssd->runner, ssd->input, 1, ssd->output);
        if (st != PR_OK)
            return st;
    } else
#endif
        pr_nn_run(ssd->plan, PR_NN_MODE_FAST, ssd->input, ssd->output, ssd->workspace);
    pr_ssd_box *b = pr_malloc_array((size_t)ssd->params.max_results, sizeof *b);
    if (!b)
        return pr_set_error(PR_ERR_NOMEM, "ssd: out of memory");
    pr_status st = pr_ssd_decode(ssd->output, ssd->anchors, image->width, image->height,
                                 &ssd->params, b, n);
    if (st != PR_OK || *n == 0) {
        pr_free(b);
        *n = 0;
        return st;
    }
    *boxes = b;
    return PR_OK;
}

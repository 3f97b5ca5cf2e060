/* GPU/CPU dispatch for nn plans: see dispatch.h. Follows segment/dispatch.c: probe once, fall back
 * to the CPU under AUTO with one notice per process (an album describes thousands of faces; one
 * line is enough), fail under GPU with the probe's reason. */
#include "nn/dispatch.h"

#include "cuda/gpu.h"
#include "cuda/nn.h"
#include "nn/run.h"

#include "core/alloc.h"

#include <stdio.h>

struct pr_nn_runner {
    const pr_nn_plan *plan; /* borrowed */
    pr_device device;       /* PR_DEVICE_CPU or PR_DEVICE_GPU */
    pr_cuda_nn *gpu;
    float *workspace;       /* CPU only */
};

static void notice_cpu_once(const char *why)
{
    static int printed; /* a benign race at worst prints the line twice */
    if (!printed) {
        printed = 1;
        fprintf(stderr, "personrec: %s; running the face networks on the CPU\n", why);
    }
}

static pr_status open_gpu(pr_nn_runner *r, int max_batch)
{
    pr_status st = pr_gpu_probe(NULL);
    if (st != PR_OK)
        return st;
    pr_cuda_nn_params p = pr_cuda_nn_params_default();
    if (max_batch > 0)
        p.max_batch = max_batch;
    return pr_cuda_nn_new(r->plan, &p, &r->gpu);
}

pr_status pr_nn_runner_new(const pr_nn_plan *plan, pr_device device, int max_batch,
                           pr_nn_runner **out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_nn_runner_new: out is NULL");
    *out = NULL;
    if (!plan || plan->output < 0 || !plan->offsets)
        return pr_set_error(PR_ERR_ARG, "pr_nn_runner_new: need a finished plan");
    if (device != PR_DEVICE_AUTO && device != PR_DEVICE_CPU && device != PR_DEVICE_GPU)
        return pr_set_error(PR_ERR_ARG, "pr_nn_runner_new: unknown device %d", (int)device);
    if (max_batch < 0)
        return pr_set_error(PR_ERR_ARG, "pr_nn_runner_new: max_batch %d < 0", max_batch);
    pr_nn_runner *r = pr_calloc(1, sizeof *r);
    if (!r)
        return pr_set_error(PR_ERR_NOMEM, "pr_nn_runner_new: out of memory");
    r->plan = plan;
    r->device = PR_DEVICE_CPU;
    if (device != PR_DEVICE_CPU) {
        pr_status st = open_gpu(r, max_batch);
        if (st == PR_OK) {
            r->device = PR_DEVICE_GPU;
            *out = r;
            return PR_OK;
        }
        if (device == PR_DEVICE_GPU) {
            pr_free(r);
            return pr_error_context(st, "GPU requested");
        }
        notice_cpu_once(pr_last_error());
        pr_set_error(PR_OK, "%s", "");
    }
    r->workspace = pr_nn_workspace_new(plan);
    if (!r->workspace) {
        pr_free(r);
        return pr_set_error(PR_ERR_NOMEM, "pr_nn_runner_new: out of memory for the workspace");
    }
    *out = r;
    return PR_OK;
}

void pr_nn_runner_delete(pr_nn_runner *r)
{
    if (!r)
        return;
    pr_cuda_nn_delete(r->gpu);
    pr_free(r->workspace);
    pr_free(r);
}

pr_device pr_nn_runner_device(const pr_nn_runner *r) { return r ? r->device : PR_DEVICE_CPU; }

static size_t shape_floats(pr_nn_shape s) { return (size_t)s.h * s.w * s.c; }

pr_status pr_nn_runner_run(pr_nn_runner *r, const float *inputs, int n, float *outputs)
{
    if (!r || n < 0 || (n > 0 && (!inputs || !outputs)))
        return pr_set_error(PR_ERR_ARG, "pr_nn_runner_run: bad arguments");
    if (r->device == PR_DEVICE_GPU)
        return pr_cuda_nn_run(r->gpu, inputs, n, outputs);
    size_t in_f = shape_floats(r->plan->values[0]);
    size_t out_f = shape_floats(r->plan->values[r->plan->output]);
    for (int i = 0; i < n; i++)
        pr_nn_run(r->plan, PR_NN_MODE_FAST, inputs + in_f * i, outputs + out_f * i, r->workspace);
    return PR_OK;
}

pr_status pr_nn_run_batch(const pr_nn_plan *plan, pr_device device, const float *inputs, int n,
                          float *outputs)
{
    pr_nn_runner *r = NULL;
    pr_status st = pr_nn_runner_new(plan, device, 0, &r);
    if (st != PR_OK)
        return st;
    st = pr_nn_runner_run(r, inputs, n, outputs);
    pr_nn_runner_delete(r);
    return st;
}

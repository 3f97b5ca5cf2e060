/* The nn GPU runner for builds without CUDA: every call says so; nn/dispatch.c then uses the CPU. */
#include "cuda/nn.h"

#include <string.h>

pr_cuda_nn_params pr_cuda_nn_params_default(void)
{
    pr_cuda_nn_params p;
    memset(&p, 0, sizeof p);
    p.max_batch = 256;
    return p;
}

pr_status pr_cuda_nn_new(const pr_nn_plan *plan, const pr_cuda_nn_params *params,
                         pr_cuda_nn **out)
{
    (void)plan;
    (void)params;
    if (out)
        *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "this personrec was built without CUDA");
}

void pr_cuda_nn_delete(pr_cuda_nn *ctx) { (void)ctx; }

pr_status pr_cuda_nn_run(pr_cuda_nn *ctx, const float *inputs, int n, float *outputs)
{
    (void)ctx;
    (void)inputs;
    (void)n;
    (void)outputs;
    return pr_set_error(PR_ERR_UNSUPPORTED, "this personrec was built without CUDA");
}

double pr_cuda_nn_last_ms(const pr_cuda_nn *ctx)
{
    (void)ctx;
    return 0.0;
}

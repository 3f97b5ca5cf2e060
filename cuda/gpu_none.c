/* GPU probe for builds without CUDA. */
#include "cuda/gpu.h"

int pr_gpu_compiled(void) { return 0; }

pr_status pr_gpu_probe(pr_gpu_info *info)
{
    (void)info;
    return pr_set_error(PR_ERR_UNSUPPORTED, "this personrec was built without CUDA");
}

int pr_gpu_available(void) { return 0; }

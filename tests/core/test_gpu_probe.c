/* The GPU probe never crashes: without a GPU (or without CUDA in the build) it reports an error
 * with a message, and asking twice gives the same answer. */
#include "cuda/gpu.h"
#include "tests/test.h"

int main(void)
{
    pr_gpu_info info;
    pr_status first = pr_gpu_probe(&info);
    pr_status second = pr_gpu_probe(NULL);
    PR_CHECK_EQ_INT(first, second);
    PR_CHECK_EQ_INT(pr_gpu_available(), first == PR_OK);
    if (first == PR_OK) {
        PR_CHECK(info.major >= 1);
        PR_CHECK(info.total_memory > 0);
        fprintf(stderr, "GPU: %s sm_%d%d\n", info.name, info.major, info.minor);
    } else {
        PR_CHECK(strlen(pr_last_error()) > 0);
        PR_CHECK(first == PR_ERR_CUDA || (first == PR_ERR_UNSUPPORTED && !pr_gpu_compiled()));
        fprintf(stderr, "no GPU: %s\n", pr_last_error());
    }
    return pr_test_finish();
}

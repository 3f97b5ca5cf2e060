/* GPU probe: runs the CUDA runtime's device query once and remembers the answer, so a machine
 * without a driver costs one failed call and one message, not one per image. */
#include "cuda/gpu.h"

#include <cuda_runtime.h>

#include <mutex>
#include <stdio.h>
#include <string.h>

namespace {
std::once_flag probe_once;
pr_status probe_status = PR_ERR_CUDA;
char probe_message[512];
pr_gpu_info probe_info;

void run_probe()
{
    int count = 0;
    cudaError_t err = cudaGetDeviceCount(&count);
    if (err != cudaSuccess) {
        snprintf(probe_message, sizeof probe_message, "no usable GPU: %s", cudaGetErrorString(err));
        cudaGetLastError(); /* clear the sticky error so later calls start clean */
        return;
    }
    if (count == 0) {
        snprintf(probe_message, sizeof probe_message, "no usable GPU: no CUDA device found");
        return;
    }
    cudaDeviceProp prop;
    err = cudaGetDeviceProperties(&prop, 0);
    if (err == cudaSuccess)
        err = cudaSetDevice(0);
    if (err == cudaSuccess)
        err = cudaFree(0); /* creates the context now, so later failures are real kernel errors */
    if (err != cudaSuccess) {
        snprintf(probe_message, sizeof probe_message, "GPU 0 unusable: %s", cudaGetErrorString(err));
        cudaGetLastError();
        return;
    }
    probe_info.device = 0;
    strncpy(probe_info.name, prop.name, sizeof probe_info.name - 1);
    probe_info.name[sizeof probe_info.name - 1] = '\0';
    probe_info.major = prop.major;
    probe_info.minor = prop.minor;
    probe_info.total_memory = prop.totalGlobalMem;
    probe_info.multiprocessors = prop.multiProcessorCount;
    int clock_khz = 0, bus_bits = 0;
    cudaDeviceGetAttribute(&clock_khz, cudaDevAttrMemoryClockRate, 0);
    cudaDeviceGetAttribute(&bus_bits, cudaDevAttrGlobalMemoryBusWidth, 0);
    /* DDR: two transfers per clock. */
    probe_info.memory_bandwidth = 2.0 * (double)clock_khz * 1e3 * (double)bus_bits / 8.0;
    probe_status = PR_OK;
}
} // namespace

extern "C" int pr_gpu_compiled(void) { return 1; }

extern "C" pr_status pr_gpu_probe(pr_gpu_info *info)
{
    std::call_once(probe_once, run_probe);
    if (probe_status != PR_OK)
        return pr_set_error(probe_status, "%s", probe_message);
    if (info)
        *info = probe_info;
    return PR_OK;
}

extern "C" int pr_gpu_available(void) { return pr_gpu_probe(NULL) == PR_OK; }

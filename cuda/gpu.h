/* The GPU context as seen from C: is a usable CUDA device present, and which one.
 *
 * Nothing outside cuda/ includes CUDA headers. In a build without CUDA every call reports
 * PR_ERR_UNSUPPORTED; in a CUDA build on a machine without a GPU or with an old driver, the probe
 * reports PR_ERR_CUDA with the runtime's words ("CUDA driver version is insufficient ...") and
 * callers fall back to the CPU. */
#ifndef PR_CUDA_GPU_H
#define PR_CUDA_GPU_H

#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_gpu_info {
    int device;               /* CUDA device index */
    char name[128];
    int major, minor;         /* compute capability */
    size_t total_memory;      /* bytes */
    int multiprocessors;
    double memory_bandwidth;  /* theoretical bytes/s from clock and bus width; 0 when unknown */
} pr_gpu_info;

/* 1 when this build contains CUDA kernels. */
int pr_gpu_compiled(void);

/* Probes once per process (cached, thread-safe) for a usable device; fills info (may be NULL).
 * PR_OK when a kernel can run; else an error code and message, and nothing is retried. */
pr_status pr_gpu_probe(pr_gpu_info *info);

/* 1 when pr_gpu_probe succeeds (convenience for dispatchers). */
int pr_gpu_available(void);

#ifdef __cplusplus
}
#endif
#endif

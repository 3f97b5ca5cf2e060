/* Huge-page friendly matrix allocation (see matrix.h). */
#define _DEFAULT_SOURCE
#include "cluster/matrix.h"

#include "core/alloc.h"

#include <stdint.h>
#include <string.h>
#if defined(__linux__)
#include <sys/mman.h>
#endif

#define HUGE_PAGE ((size_t)2 << 20)

float *pr_matrix_alloc(size_t rows, size_t cols)
{
    if (cols != 0 && rows > SIZE_MAX / sizeof(float) / cols)
        return NULL;
    size_t bytes = rows * cols * sizeof(float);
    if (bytes == 0)
        bytes = sizeof(float);
    if (bytes > SIZE_MAX - HUGE_PAGE - sizeof(void *))
        return NULL;
    unsigned char *raw = pr_malloc(bytes + HUGE_PAGE + sizeof(void *));
    if (!raw)
        return NULL;
    uintptr_t start = (uintptr_t)(raw + sizeof(void *));
    uintptr_t aligned = (start + HUGE_PAGE - 1) & ~(uintptr_t)(HUGE_PAGE - 1);
    memcpy((void *)(aligned - sizeof(void *)), &raw, sizeof raw);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
    if (bytes >= HUGE_PAGE)
        (void)madvise((void *)aligned, bytes & ~(HUGE_PAGE - 1), MADV_HUGEPAGE);
#endif
    return (float *)aligned;
}

void pr_matrix_free(float *m)
{
    if (!m)
        return;
    void *raw;
    memcpy(&raw, (unsigned char *)m - sizeof(void *), sizeof raw);
    pr_free(raw);
}

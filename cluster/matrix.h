/* N x N float matrices for the cluster module: allocation that asks the kernel for huge pages.
 *
 * A 10k-instance album needs 400 MB per distance matrix. Touching that in 4 KB pages costs one page
 * fault per 4 KB, which on virtual machines was measured at ~10 s per GB (bench/cluster); 2 MB pages
 * cut the faults 512-fold. The memory comes from pr_malloc (so allocation-failure tests still see
 * it), aligned to 2 MB inside, with madvise(MADV_HUGEPAGE) where the system has it (a hint: it may
 * be ignored, and then this is plain memory). */
#ifndef PR_CLUSTER_MATRIX_H
#define PR_CLUSTER_MATRIX_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* rows * cols floats, uninitialised, or NULL (overflow, out of memory). Caller-owned: release with
 * pr_matrix_free, never pr_free. */
float *pr_matrix_alloc(size_t rows, size_t cols);
void pr_matrix_free(float *m); /* accepts NULL */

#ifdef __cplusplus
}
#endif
#endif

/* A sequential C emulation of the GPU exact-mode merge (cuda/fh.cu): the same rounds, windows,
 * reservations, hooking and compaction, each "kernel" a plain loop over its threads. It exists to
 * prove the parallel algorithm reproduces pr_fh_merge + pr_fh_min_size (the CPU specification) on a
 * machine without a GPU; the kernels are a transcription of these loops.
 *
 * Input: the sorted edges from pr_fh_sort_edges. Output: canonical labels (root = smallest pixel of
 * its component, numbered in raster order), equal byte for byte to pr_fh_relabel's. */
#ifndef PR_TESTS_CUDA_FH_EMUL_H
#define PR_TESTS_CUDA_FH_EMUL_H

#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

enum { PR_EMUL_EXACT = 0, PR_EMUL_FAST = 1 };

typedef struct pr_emul_stats {
    long rounds_merge, rounds_min_size; /* rounds of the window loop in each pass */
    long hooks;                          /* successful unions */
} pr_emul_stats;

/* window: pending edges looked at per round (the GPU's grid size). labels: width*height entries,
 * caller-provided. *segments receives the number of labels. */
pr_status pr_emul_merge(const uint64_t *sorted, size_t count, int width, int height, double k,
                        int min_size, int mode, size_t window, int32_t *labels, int *segments,
                        pr_emul_stats *stats);

#ifdef __cplusplus
}
#endif
#endif

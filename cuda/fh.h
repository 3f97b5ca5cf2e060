/* Felzenszwalb–Huttenlocher segmentation on the GPU (launchers callable from C).
 *
 * The specification is the CPU reference segment/felzenszwalb.h (stages 1-7); segment/dispatch.h is
 * the entry point most callers want. The mask is computed by the caller with pr_fh_gauss_mask and
 * passed in, so both sides smooth with the same floats. Stages on the device:
 *   smoothing (x then y pass) and edge weights: bit-identical floats (__fmul_rn/__fadd_rn/
 *   __fsqrt_rn, the reference's operation order, --fmad=false);
 *   sort: CUB's stable radix sort on the weight bits of slot-ordered keys = the reference order;
 *   merge, exact mode: deterministic reservations keyed by weight, min_size by sorted position (see
 *   the notes in fh.cu; a sequential emulation, tests/cuda_fh/fh_emul.c, is checked against the CPU
 *   reference byte for byte);
 *   merge, fast mode: windows of the sorted order decided at once against window-start thresholds
 *   (an approximation; then the exact min_size pass);
 *   canonical relabelling (labels in order of first appearance in raster order).
 *
 * A context owns one CUDA stream, the device buffers (kept and reused while images have the same
 * size, grown otherwise) and pinned host staging buffers. Two contexts used alternately overlap one
 * image's copies with the other's kernels. A context is used by one thread at a time. */
#ifndef PR_CUDA_FH_H
#define PR_CUDA_FH_H

#include "core/image.h"
#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_cuda_fh_mode { PR_CUDA_FH_EXACT = 0, PR_CUDA_FH_FAST = 1 } pr_cuda_fh_mode;

typedef struct pr_cuda_fh pr_cuda_fh;

/* Times of one call in milliseconds: per stage from CUDA events on the context's stream, kernels =
 * everything between upload and download, total = upload + kernels + download. */
typedef struct pr_cuda_fh_timing {
    float ms_upload, ms_smooth, ms_edges, ms_sort, ms_merge, ms_min_size, ms_relabel, ms_download;
    float ms_kernels, ms_total;
    long rounds_merge, rounds_min_size; /* window rounds run (exact mode: the sequential depth) */
} pr_cuda_fh_timing;

/* What to run: the mask from pr_fh_gauss_mask (mask_len <= 64), k > 0, min_size >= 0. */
typedef struct pr_cuda_fh_args {
    const float *mask;
    int mask_len;
    float k;
    int min_size;
    pr_cuda_fh_mode mode;
    size_t window; /* pending edges per round; 0 = default (1 << 20 exact, 1 << 16 fast) */
} pr_cuda_fh_args;

/* A context on the current device. PR_ERR_UNSUPPORTED without CUDA in the build, PR_ERR_CUDA when
 * no GPU is usable. *out is caller-owned (pr_cuda_fh_delete, which accepts NULL). */
pr_status pr_cuda_fh_new(pr_cuda_fh **out);
void pr_cuda_fh_delete(pr_cuda_fh *ctx);

/* Segments a grey or RGB 8-bit image. labels: caller-provided host array of width*height int32
 * (canonical labels); *segments (may be NULL) gets their number; timing may be NULL. Images up to
 * 2^30 pixels (PR_ERR_LIMIT above). Blocks until the labels are on the host. */
pr_status pr_cuda_fh_segment(pr_cuda_fh *ctx, const pr_image *rgb, const pr_cuda_fh_args *args,
                             int32_t *labels, int *segments, pr_cuda_fh_timing *timing);

/* Stages 2-4 only, for parity tests: planes (3*width*height floats, may be NULL) and the sorted
 * edges (pr_fh_edge_count entries, may be NULL) copied back to the host. */
pr_status pr_cuda_fh_stages(pr_cuda_fh *ctx, const pr_image *rgb, const float *mask, int mask_len,
                            float *planes, uint64_t *sorted, size_t sorted_count);

#ifdef __cplusplus
}
#endif
#endif

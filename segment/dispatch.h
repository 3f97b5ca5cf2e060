/* One entry point for Felzenszwalb–Huttenlocher segmentation on the GPU or the CPU.
 *
 * PR_DEVICE_AUTO uses the GPU when pr_gpu_available() (cuda/gpu.h), else the CPU reference
 * (pr_fh_segment) after printing one notice per process on stderr ("no usable GPU: ..., using the
 * CPU"). PR_DEVICE_GPU without a usable GPU fails with PR_ERR_UNSUPPORTED / PR_ERR_CUDA and the
 * reason. Exact mode gives the CPU reference's labels byte for byte on either device; fast mode is
 * GPU-only (on the CPU it falls back to the exact reference, which is what it approximates). */
#ifndef PR_SEGMENT_DISPATCH_H
#define PR_SEGMENT_DISPATCH_H

#include "segment/felzenszwalb.h"

#include "core/image.h"
#include "core/labels.h"
#include "core/device.h" /* pr_device, pr_device_parse, pr_device_name */
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_fh_mode { PR_FH_EXACT = 0, PR_FH_FAST = 1 } pr_fh_mode;

/* What one run did and how long it took (milliseconds). */
typedef struct pr_segment_report {
    pr_device device;    /* the device that ran: PR_DEVICE_CPU or PR_DEVICE_GPU */
    int segments;
    double ms_total;     /* wall clock of the whole call */
    double ms_kernels;   /* GPU: CUDA-event time between upload and download; CPU: = ms_total */
    double ms_gpu_total; /* GPU: events from upload start to download end; CPU: 0 */
    long rounds_merge, rounds_min_size; /* GPU window rounds; CPU: 0 */
} pr_segment_report;

/* A reusable segmenter: keeps the GPU context and its buffers between images (same-size images
 * reuse every allocation). Not thread-safe: one per thread. */
typedef struct pr_segmenter pr_segmenter;

/* device: requested device. PR_DEVICE_GPU without a usable GPU fails here. *out caller-owned. */
pr_status pr_segmenter_new(pr_device device, pr_segmenter **out);
void pr_segmenter_delete(pr_segmenter *s); /* accepts NULL */
/* The device this segmenter runs on (PR_DEVICE_CPU or PR_DEVICE_GPU). */
pr_device pr_segmenter_device(const pr_segmenter *s);

/* Segments rgb; params NULL = defaults. *out is caller-owned canonical labels; report may be NULL. */
pr_status pr_segmenter_run(pr_segmenter *s, const pr_image *rgb, const pr_fh_params *params,
                           pr_fh_mode mode, pr_labels **out, pr_segment_report *report);

/* One-shot convenience: pr_segmenter_new + run + delete. */
pr_status pr_segment_run(const pr_image *rgb, const pr_fh_params *params, pr_device device,
                         pr_fh_mode mode, pr_labels **out, pr_segment_report *report);

/* "exact", "fast" -> mode. -1 when the text is none of them. */
int pr_fh_mode_parse(const char *text);

#ifdef __cplusplus
}
#endif
#endif

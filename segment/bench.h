/* The segmentation benchmark harness, shared by `personrec bench segment` (CPU reference against
 * the GPU kernels) and bench/segment (ours against OpenCV ximgproc). It lives in segment/ rather
 * than eval/ because the GPU machine builds only core, cuda and segment (no datasets, no eval) and
 * both benchmarks must build there.
 *
 * What both share: the inputs (a folder's images, at most `limit`, optionally resized to a number
 * of megapixels; or one source photo resized to a list of sizes; or a synthetic stand-in), and the
 * timing of one contestant on one image (wall clock, thread CPU time and the kernel time the
 * contestant reports; warm-up run, cache flush before each timed run, median over the runs).
 * The CPU-against-GPU table of `personrec bench segment` (its rows, text and JSON) is here too, so
 * the command is only option parsing. */
#ifndef PR_SEGMENT_BENCH_H
#define PR_SEGMENT_BENCH_H

#include "core/files.h"
#include "core/image.h"
#include "core/status.h"
#include "segment/felzenszwalb.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- inputs ---- */

/* "$PR_DATA_DIR/<rel>" (default data dir ../shared/datasets) into buf. */
void pr_seg_bench_data_path(const char *rel, char *buf, size_t size);

/* Loads path (channels as pr_image_load_params: 0 as stored, 3 RGB) and, when mp > 0, resizes it
 * to about mp megapixels, aspect kept. *out caller-owned. */
pr_status pr_seg_bench_load(const char *path, int channels, double mp, pr_image **out);

/* src resized to about mp megapixels (aspect kept, at least 1x1). *out caller-owned. */
pr_status pr_seg_bench_resize_mp(const pr_image *src, double mp, pr_image **out);

/* A deterministic stand-in photo when no image is at hand: smooth gradients, blocks and noise. */
pr_status pr_seg_bench_synthetic(int width, int height, pr_image **out);

/* Parses "0.15,1,12" (each in (0, 500]) into sizes[0..*n), at most max. -1 when malformed. */
int pr_seg_bench_parse_sizes(const char *text, double *sizes, int max, int *n);

/* ---- timing ---- */

/* One timed call of a contestant: it segments img and may set *kernel_ms (its own kernel time;
 * left negative = the wall time) and *segments. */
typedef pr_status (*pr_seg_bench_fn)(void *ctx, const pr_image *img, double *kernel_ms,
                                     long *segments);

typedef struct pr_seg_bench_timing {
    int warmup;       /* untimed runs first (default 1) */
    int repeat;       /* timed runs (default 5) */
    int flush_caches; /* rewrite a 64 MB buffer before each timed run (default 1) */
} pr_seg_bench_timing;

pr_seg_bench_timing pr_seg_bench_timing_default(void);

typedef struct pr_seg_bench_sample {
    double ms_wall;   /* median over the timed runs */
    double ms_kernel; /* median of the reported kernel times */
    double ms_cpu;    /* median thread CPU time */
    long segments;    /* of the last run */
} pr_seg_bench_sample;

/* Times fn on img: warm-up runs, then `repeat` timed runs. */
pr_status pr_seg_bench_measure(pr_seg_bench_fn fn, void *ctx, const pr_image *img,
                               const pr_seg_bench_timing *timing, pr_seg_bench_sample *out);

/* ---- personrec bench segment: the CPU reference against the GPU kernels ---- */

typedef struct pr_seg_bench_params {
    pr_fh_params fh;
    int want_cpu, want_gpu;   /* devices asked for */
    int want_exact, want_fast;
    int repeat;               /* timed runs per case (warm-up + median) */
    const char *images_dir;   /* time every image of the folder (at most limit), else sizes */
    int limit;
    const double *sizes;      /* megapixels of the resized source (borrowed) */
    int nsizes;
    const char *source;       /* the photo --sizes resizes; NULL = the first BSDS500 image, else
                                 synthetic */
} pr_seg_bench_params;

typedef struct pr_seg_bench_row {
    double mp;
    int width, height, images;
    const char *device, *mode; /* static strings */
    double ms_kernel, ms_e2e;
    double ms_cpu; /* the CPU reference's end-to-end ms on the same case (for the speed-up) */
    int match; /* 1 all equal, 0 some differ, -1 not checked */
    long segments, rounds;
} pr_seg_bench_row;

enum { PR_SEG_BENCH_MAX_ROWS = 64 };

typedef struct pr_seg_bench_result {
    pr_seg_bench_row rows[PR_SEG_BENCH_MAX_ROWS];
    int nrows;
} pr_seg_bench_result;

/* Runs every case, printing the header and each row to out as it is measured (so a long run shows
 * progress). Without a usable GPU and want_cpu, times the CPU only after a notice on stderr;
 * want_gpu alone then fails. */
pr_status pr_seg_bench_devices(const pr_seg_bench_params *params, FILE *out,
                               pr_seg_bench_result *result);

/* Writes {"sigma","k","min_size","repeat","rows":[{"megapixels","width","height","images","device",
 * "mode","ms_kernel","ms_end_to_end","mpix_per_s_kernel","mpix_per_s_end_to_end",
 * "speedup_vs_cpu","match","segments","rounds"}]} to path. */
pr_status pr_seg_bench_write_json(const char *path, const pr_seg_bench_params *params,
                                  const pr_seg_bench_result *result);

#ifdef __cplusplus
}
#endif
#endif

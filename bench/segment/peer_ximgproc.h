/* The OpenCV ximgproc GraphSegmentation peer for bench_segment (C interface to one C++ file). */
#ifndef PR_BENCH_PEER_XIMGPROC_H
#define PR_BENCH_PEER_XIMGPROC_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Limits OpenCV to one thread. */
void pr_peer_ximgproc_init(void);
/* Segments interleaved 8-bit RGB (borrowed) with OpenCV's graph segmentation; returns 0 on success
 * and the segment count in *segments, the wall and thread-CPU time of processImage alone in *ms
 * and *cpu_ms. */
int pr_peer_ximgproc_segment(const uint8_t *rgb, int width, int height, size_t stride,
                             double sigma, double k, int min_size, int *segments, double *ms,
                             double *cpu_ms);

#ifdef __cplusplus
}
#endif
#endif

/* SIFT keypoints of a person region (VLFeat's vl_sift_*) and their matching between instances.
 *
 * The region (a face box, or a body box with its mask) is cropped, made grey and resized so its
 * longer side is params.target_size: faces from 24 to 500 px then meet at one scale, and the cost
 * per region is bounded. Keypoints whose centre falls outside the mask are dropped. Two sets are
 * compared by Lowe's ratio test; similarity = matches / min(count_a, count_b). A region that is
 * empty, too small or has no keypoint is "no cue": a set with count 0, and similarity NAN. */
#ifndef PR_FEATURES_SIFT_H
#define PR_FEATURES_SIFT_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PR_SIFT_DIM 128

typedef struct pr_sift_params {
    int target_size;    /* longer side of the region after resizing; 0 = native (default 128) */
    int min_size;       /* shorter side of the clipped region below this = no cue (default 12) */
    int root_sift;      /* RootSIFT (Arandjelovic & Zisserman 2012): L1-normalise, sqrt (1) */
    double peak_thresh; /* VLFeat peak threshold on 0..255 grey (default 1.0) */
    double edge_thresh; /* VLFeat edge threshold (default 10) */
    int max_keypoints;  /* keep the largest-scale ones (default 300) */
    double ratio;       /* Lowe's ratio for matching (default 0.8) */
} pr_sift_params;

pr_sift_params pr_sift_params_default(void);

typedef struct pr_sift_set {
    int count;
    int root_sift;  /* descriptors are RootSIFT */
    float *frames;  /* count x 4: x, y (photo pixels), scale (photo pixels), angle (rad); owned */
    float *desc;    /* count x 128, unit L2 norm; owned */
} pr_sift_set;

/* A set with room for count keypoints (contents zeroed). *out is caller-owned. */
pr_status pr_sift_set_new(int count, pr_sift_set **out);
void pr_sift_set_delete(pr_sift_set *set); /* accepts NULL */

/* Keypoints of img (grey or RGB) inside roi whose centre has a non-zero mask byte (mask NULL = all
 * of roi; else image-sized with row stride mask_stride; borrowed). On PR_OK *out is a new
 * caller-owned set, possibly with count 0 (no cue). */
pr_status pr_sift_extract(const pr_image *img, pr_box roi, const uint8_t *mask, size_t mask_stride,
                          const pr_sift_params *params, pr_sift_set **out);

/* Lowe ratio-test matches, from the smaller set into the larger (a into b on a tie), each target
 * used at most once, so the result is symmetric and <= min(count). Returns -1 on allocation
 * failure, 0 when either set is empty. */
int pr_sift_match(const pr_sift_set *a, const pr_sift_set *b, double ratio);

/* matches / min(count_a, count_b) in [0, 1]; NAN when either set is empty (no cue) or on
 * allocation failure. */
double pr_sift_similarity(const pr_sift_set *a, const pr_sift_set *b, double ratio);

#ifdef __cplusplus
}
#endif
#endif

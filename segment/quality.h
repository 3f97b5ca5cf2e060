/* Segmentation quality against a human segmentation (BSDS500 protocol as used for superpixels):
 *
 * - ASA, achievable segmentation accuracy: each segment is given the truth label it overlaps most;
 *   the fraction of pixels that then carry the right label. 1 is best.
 * - UE, undersegmentation error (Neubert & Protzel's corrected form): for every truth region g and
 *   every segment s that touches it, the smaller of |s inside g| and |s outside g|, summed and
 *   divided by the pixel count. 0 is best.
 * - BR, boundary recall: the fraction of truth boundary pixels with a segment boundary pixel within
 *   `tolerance` pixels (Euclidean). A pixel is a boundary pixel when its right or lower neighbour
 *   has another label. 1 is best; more segments make it easier, so it is read with the count.
 *
 * Labels may be any values in [0, 2^26) (PR_ERR_FORMAT otherwise); they are compacted internally. */
#ifndef PR_SEGMENT_QUALITY_H
#define PR_SEGMENT_QUALITY_H

#include "core/labels.h"
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_seg_quality {
    double asa;
    double ue;
    double boundary_recall;
    int segments;       /* in the segmentation */
    int truth_segments; /* in the truth */
} pr_seg_quality;

/* seg and truth must have the same size. PR_ERR_LIMIT when segments * truth regions exceeds 64M
 * (the overlap table). */
pr_status pr_seg_quality_compute(const pr_labels *seg, const pr_labels *truth, double tolerance,
                                 pr_seg_quality *out);

#ifdef __cplusplus
}
#endif
#endif

/* Context cues of a person instance: the event the photo belongs to (from EXIF DateTimeOriginal)
 * and the colour of the photo's background outside every person region. */
#ifndef PR_FEATURES_CONTEXT_H
#define PR_FEATURES_CONTEXT_H

#include "core/box.h"
#include "core/exif_time.h" /* pr_exif_time_seconds (moved to core) */
#include "core/image.h"
#include "core/status.h"
#include "features/color_hist.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_event_params {
    double log_k;   /* new event where log(gap) >= log_k + mean log(gap) of the window
                       (default log(17), Graham et al. 2002) */
    int window;     /* d: gaps on each side averaged (default 10) */
    double min_gap; /* gaps below this many seconds never split (default 60) */
    double max_gap; /* gaps above this always split (default 86400 * 2) */
} pr_event_params;

pr_event_params pr_event_params_default(void);

/* Event ids for n photos with times in seconds (NAN = unknown). Photos with a time are ordered by
 * time (ties by index) and split where a gap is large relative to its neighbourhood; ids count
 * from 0 in time order. Photos without a time get -1. event_ids is caller-owned (n ints).
 * Returns the number of events through *n_events (may be NULL). */
pr_status pr_events_from_times(const double *times, int n, const pr_event_params *params,
                               int *event_ids, int *n_events);

/* Background histogram: the pixels of img outside every box in exclude (faces, bodies). */
pr_status pr_background_hist(const pr_image *img, const pr_box *exclude, int n_exclude,
                             const pr_color_hist_params *params, pr_color_hist *out);

/* As pr_background_hist, and also outside the non-zero pixels of n_masks body masks (each
 * image-sized with row stride strides[k]; masks[k] NULL = none; borrowed): the background of a
 * photo whose bodies come from segmentation is everything but the face bands and the masks. */
pr_status pr_background_hist_masks(const pr_image *img, const pr_box *exclude, int n_exclude,
                                   const uint8_t *const *masks, const size_t *strides,
                                   int n_masks, const pr_color_hist_params *params,
                                   pr_color_hist *out);

#ifdef __cplusplus
}
#endif
#endif

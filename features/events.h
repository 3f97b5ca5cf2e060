/* Events per face instance: pr_events_from_times (features/context.h, Graham et al. 2002) with its
 * defaults over the distinct photos that hold the instances, so a caller with photos but no faces
 * and one with only the faces' photos get the same events. */
#ifndef PR_FEATURES_EVENTS_H
#define PR_FEATURES_EVENTS_H

#include "core/status.h"

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* time: per-instance capture times (seconds, NAN = unknown); group: photo ids (negative = a photo
 * of its own); event: n caller-owned ids (-1 = unknown). */
pr_status pr_events_by_photo(const double *time, const int32_t *group, int n, int32_t *event);

#ifdef __cplusplus
}
#endif
#endif

/* Progress reporting for long runs, on stderr. On a terminal: a bar redrawn in place with rate and
 * ETA, at most ~10 times a second. Not on a terminal: nothing until the final summary line. Quiet:
 * nothing at all. Thread-safe: pr_progress_step may be called from pool workers. */
#ifndef PR_CORE_PROGRESS_H
#define PR_CORE_PROGRESS_H

#include "core/clock.h" /* pr_now_seconds, kept reachable for older includes */
#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_progress pr_progress;

typedef enum pr_progress_mode {
    PR_PROGRESS_AUTO = 0, /* bar when stderr is a terminal, else only the summary */
    PR_PROGRESS_QUIET,    /* nothing */
    PR_PROGRESS_BAR,      /* always the bar (tests) */
} pr_progress_mode;

/* label: borrowed, copied. unit: e.g. "photos"; total may be 0 when unknown. */
pr_status pr_progress_new(const char *label, const char *unit, long total, pr_progress_mode mode,
                          pr_progress **out);
void pr_progress_step(pr_progress *p, long done_delta);
/* Clears the bar and prints "label: N unit in S s (R unit/s)" unless quiet. Accepts NULL. */
void pr_progress_delete(pr_progress *p);


#ifdef __cplusplus
}
#endif
#endif

/* The one clock for timings: monotonic wall time (never jumps with the system clock), and the
 * calling thread's CPU time (for per-worker costs). */
#ifndef PR_CORE_CLOCK_H
#define PR_CORE_CLOCK_H

#ifdef __cplusplus
extern "C" {
#endif

/* Milliseconds on CLOCK_MONOTONIC (origin unspecified: only differences mean anything). */
double pr_clock_ms(void);
/* Seconds on the same clock (the name the tree already used; declared here, not in progress.h). */
double pr_now_seconds(void);
/* Milliseconds of CPU time used by the calling thread; 0 where the system cannot tell. */
double pr_clock_thread_cpu_ms(void);

#ifdef __cplusplus
}
#endif
#endif

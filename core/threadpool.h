/* A small fixed pool of worker threads running parallel loops.
 *
 * pr_pool_for(pool, n, fn, ctx) calls fn(ctx, i, worker) once for every i in [0, n), spread over
 * the workers (dynamic scheduling, one index at a time, so uneven photo costs balance), and returns
 * when all are done. `worker` is in [0, pr_pool_size(pool)) so callers can keep per-worker scratch.
 * A pool of 1 thread runs everything on the calling thread. Results must not depend on the
 * schedule: write to slot i, never append. */
#ifndef PR_CORE_THREADPOOL_H
#define PR_CORE_THREADPOOL_H

#include "core/status.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_pool pr_pool;
typedef void (*pr_pool_fn)(void *ctx, long index, int worker);

/* The most workers a pool may have. Each worker of an album run holds a detector and scratch of
 * tens of MB, so a larger count is never useful on any machine and only costs memory; commands
 * refuse a larger --threads (cli/cli.h). */
#define PR_POOL_MAX_THREADS 256

/* threads <= 0 means the number of online CPUs; above PR_POOL_MAX_THREADS is PR_ERR_ARG. *out is
 * caller-owned (pr_pool_delete). Callers with fewer items than threads should ask for fewer. */
pr_status pr_pool_new(int threads, pr_pool **out);
void pr_pool_delete(pr_pool *pool); /* accepts NULL */
int pr_pool_size(const pr_pool *pool);
/* Not reentrant: one loop at a time per pool. */
void pr_pool_for(pr_pool *pool, long n, pr_pool_fn fn, void *ctx);

/* Number of online CPUs (at least 1). */
int pr_cpu_count(void);

#ifdef __cplusplus
}
#endif
#endif

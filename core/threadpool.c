#define _POSIX_C_SOURCE 200809L
#include "core/threadpool.h"

#include "core/alloc.h"

#include <pthread.h>
#include <stdatomic.h>
#include <unistd.h>

struct pr_pool {
    int size;              /* workers including the calling thread */
    pthread_t *threads;    /* [1, size) are helper threads; [0] is the caller */
    struct pr_worker_arg *args;
    pthread_mutex_t lock;
    pthread_cond_t wake;   /* helpers wait for a new loop */
    pthread_cond_t done;   /* caller waits for helpers to finish */
    long generation;       /* bumped for every loop, so helpers see each exactly once */
    int quitting;
    int busy;              /* helpers still working on the current loop */
    /* the current loop */
    pr_pool_fn fn;
    void *ctx;
    long n;
    atomic_long next;
};

typedef struct pr_worker_arg {
    pr_pool *pool;
    int worker;
} pr_worker_arg;

static void run_loop(pr_pool *pool, int worker)
{
    for (;;) {
        long i = atomic_fetch_add(&pool->next, 1);
        if (i >= pool->n)
            break;
        pool->fn(pool->ctx, i, worker);
    }
}

static void *worker_main(void *arg_)
{
    pr_worker_arg *arg = arg_;
    pr_pool *pool = arg->pool;
    int worker = arg->worker;
    long seen = 0;
    pthread_mutex_lock(&pool->lock);
    for (;;) {
        while (!pool->quitting && pool->generation == seen)
            pthread_cond_wait(&pool->wake, &pool->lock);
        if (pool->quitting)
            break;
        seen = pool->generation;
        pthread_mutex_unlock(&pool->lock);
        run_loop(pool, worker);
        pthread_mutex_lock(&pool->lock);
        if (--pool->busy == 0)
            pthread_cond_signal(&pool->done);
    }
    pthread_mutex_unlock(&pool->lock);
    return NULL;
}

int pr_cpu_count(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n > 0 ? (int)n : 1;
}

pr_status pr_pool_new(int threads, pr_pool **out)
{
    *out = NULL;
    if (threads <= 0)
        threads = pr_cpu_count();
    if (threads > PR_POOL_MAX_THREADS)
        return pr_set_error(PR_ERR_ARG, "thread count %d is too large (at most %d)", threads,
                            PR_POOL_MAX_THREADS);
    pr_pool *pool = pr_calloc(1, sizeof *pool);
    if (!pool)
        return pr_set_error(PR_ERR_NOMEM, "out of memory creating a thread pool");
    pool->threads = pr_calloc((size_t)threads, sizeof *pool->threads);
    pool->args = pr_calloc((size_t)threads, sizeof *pool->args);
    if (!pool->threads || !pool->args) {
        pr_free(pool->threads);
        pr_free(pool->args);
        pr_free(pool);
        return pr_set_error(PR_ERR_NOMEM, "out of memory creating a thread pool");
    }
    pthread_mutex_init(&pool->lock, NULL);
    pthread_cond_init(&pool->wake, NULL);
    pthread_cond_init(&pool->done, NULL);
    pool->size = 1;
    for (int t = 1; t < threads; t++) {
        pool->args[t].pool = pool;
        pool->args[t].worker = t;
        if (pthread_create(&pool->threads[t], NULL, worker_main, &pool->args[t]) != 0) {
            pr_pool_delete(pool); /* joins the pool->size - 1 helpers started so far */
            return pr_set_error(PR_ERR_INTERNAL, "could not start worker thread %d", t);
        }
        pool->size = t + 1;
    }
    *out = pool;
    return PR_OK;
}

void pr_pool_delete(pr_pool *pool)
{
    if (!pool)
        return;
    pthread_mutex_lock(&pool->lock);
    pool->quitting = 1;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);
    for (int t = 1; t < pool->size; t++)
        pthread_join(pool->threads[t], NULL);
    pthread_mutex_destroy(&pool->lock);
    pthread_cond_destroy(&pool->wake);
    pthread_cond_destroy(&pool->done);
    pr_free(pool->threads);
    pr_free(pool->args);
    pr_free(pool);
}

int pr_pool_size(const pr_pool *pool) { return pool ? pool->size : 1; }

void pr_pool_for(pr_pool *pool, long n, pr_pool_fn fn, void *ctx)
{
    if (n <= 0)
        return;
    if (!pool || pool->size == 1 || n == 1) {
        for (long i = 0; i < n; i++)
            fn(ctx, i, 0);
        return;
    }
    pthread_mutex_lock(&pool->lock);
    pool->fn = fn;
    pool->ctx = ctx;
    pool->n = n;
    atomic_store(&pool->next, 0);
    pool->busy = pool->size - 1;
    pool->generation++;
    pthread_cond_broadcast(&pool->wake);
    pthread_mutex_unlock(&pool->lock);

    run_loop(pool, 0);

    pthread_mutex_lock(&pool->lock);
    while (pool->busy > 0)
        pthread_cond_wait(&pool->done, &pool->lock);
    pthread_mutex_unlock(&pool->lock);
}

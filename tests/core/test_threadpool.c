/* The thread pool runs every index exactly once, with worker ids in range, and can be reused. */
#include "core/threadpool.h"
#include "tests/test.h"

#include <stdatomic.h>

typedef struct {
    atomic_int *hits;
    int workers;
    atomic_int bad_worker;
} job;

static void work(void *ctx, long i, int worker)
{
    job *j = ctx;
    atomic_fetch_add(&j->hits[i], 1);
    if (worker < 0 || worker >= j->workers)
        atomic_store(&j->bad_worker, 1);
}

int main(void)
{
    for (int threads = 1; threads <= 4; threads++) {
        pr_pool *pool = NULL;
        PR_CHECK_OK(pr_pool_new(threads, &pool));
        PR_CHECK_EQ_INT(pr_pool_size(pool), threads);
        for (int round = 0; round < 20; round++) {
            enum { N = 1000 };
            atomic_int hits[N];
            for (int i = 0; i < N; i++)
                atomic_init(&hits[i], 0);
            job j = {hits, threads, 0};
            long n = round == 0 ? 0 : round == 1 ? 1 : N;
            pr_pool_for(pool, n, work, &j);
            int wrong = 0;
            for (long i = 0; i < N; i++)
                wrong += atomic_load(&hits[i]) != (i < n ? 1 : 0);
            PR_CHECK_EQ_INT(wrong, 0);
            PR_CHECK_EQ_INT(atomic_load(&j.bad_worker), 0);
        }
        pr_pool_delete(pool);
    }
    pr_pool *pool = NULL;
    PR_CHECK_EQ_INT(pr_pool_new(100000, &pool), PR_ERR_ARG);
    PR_CHECK(pool == NULL);
    PR_CHECK(pr_cpu_count() >= 1);
    pr_pool_delete(NULL);
    return pr_test_finish();
}

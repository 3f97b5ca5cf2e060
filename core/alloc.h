/* Allocation hooks. All project allocations go through these so that tests can make the N-th
 * allocation fail and check that every failure path returns PR_ERR_NOMEM without leaking.
 * Memory from pr_malloc/pr_calloc/pr_realloc/pr_strdup is released with pr_free. */
#ifndef PR_CORE_ALLOC_H
#define PR_CORE_ALLOC_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

void *pr_malloc(size_t size);
void *pr_calloc(size_t count, size_t size);   /* zeroed; checks count*size for overflow */
void *pr_realloc(void *ptr, size_t size);
void *pr_malloc_array(size_t count, size_t size); /* malloc of count*size with overflow check */
char *pr_strdup(const char *s);
void pr_free(void *ptr); /* accepts NULL */

/* Test hook: the n-th allocation from now (1 = the next one) fails, and every later one succeeds.
 * n = 0 disables injection. Counts allocations on all threads. */
void pr_alloc_fail_at(long n);

/* Test hook: number of allocations made since the last pr_alloc_fail_at or pr_alloc_reset_count. */
long pr_alloc_count(void);
void pr_alloc_reset_count(void);

#ifdef __cplusplus
}
#endif
#endif

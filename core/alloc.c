#include "core/alloc.h"

#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static atomic_long fail_at;     /* 0 = off, else the count at which to fail */
static atomic_long alloc_count;

/* True when this allocation is the one a test asked to fail. */
static int should_fail(void)
{
    long n = atomic_fetch_add(&alloc_count, 1) + 1;
    long target = atomic_load(&fail_at);
    return target > 0 && n == target;
}

void *pr_malloc(size_t size)
{
    if (should_fail())
        return NULL;
    return malloc(size ? size : 1);
}

void *pr_malloc_array(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        return NULL;
    return pr_malloc(count * size);
}

void *pr_calloc(size_t count, size_t size)
{
    if (should_fail())
        return NULL;
    if (count == 0 || size == 0)
        return calloc(1, 1);
    return calloc(count, size);
}

void *pr_realloc(void *ptr, size_t size)
{
    if (should_fail())
        return NULL;
    return realloc(ptr, size ? size : 1);
}

char *pr_strdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *copy = pr_malloc(n);
    if (copy)
        memcpy(copy, s, n);
    return copy;
}

void pr_free(void *ptr) { free(ptr); }

void pr_alloc_fail_at(long n)
{
    atomic_store(&alloc_count, 0);
    atomic_store(&fail_at, n);
}

long pr_alloc_count(void) { return atomic_load(&alloc_count); }

void pr_alloc_reset_count(void) { atomic_store(&alloc_count, 0); }

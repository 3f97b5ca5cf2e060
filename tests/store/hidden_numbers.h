/* Shared by the store tests: whether person_<number> is held by a face the clustering does not
 * see (kept in use: pr_store_hidden_numbers). */
#ifndef PR_TESTS_STORE_HIDDEN_NUMBERS_H
#define PR_TESTS_STORE_HIDDEN_NUMBERS_H
#include "core/alloc.h"
#include "pipeline/store.h"
#include "tests/test.h"

static int hidden_number_in_use(pr_store *s, int64_t number)
{
    int64_t *numbers = NULL;
    int count = 0, found = 0;
    PR_CHECK_OK(pr_store_hidden_numbers(s, &numbers, &count));
    for (int i = 0; i < count; i++)
        found |= numbers[i] == number;
    pr_free(numbers);
    return found;
}
#endif

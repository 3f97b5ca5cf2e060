/* Status messages and the allocation-failure hook. */
#include "core/alloc.h"
#include "core/status.h"
#include "tests/test.h"

#include <pthread.h>
#include <string.h>

static void *other_thread(void *arg)
{
    (void)arg;
    pr_set_error(PR_ERR_IO, "from the other thread");
    return NULL;
}

int main(void)
{
    PR_CHECK_EQ_INT(pr_set_error(PR_ERR_FORMAT, "%s:%d: bad", "f.csv", 3), PR_ERR_FORMAT);
    PR_CHECK_STR(pr_last_error(), "f.csv:3: bad");
    PR_CHECK_EQ_INT(pr_last_status(), PR_ERR_FORMAT);
    PR_CHECK_EQ_INT(pr_error_context(PR_ERR_FORMAT, "loading %s", "x"), PR_ERR_FORMAT);
    PR_CHECK_STR(pr_last_error(), "loading x: f.csv:3: bad");

    /* The message is per thread. */
    pthread_t t;
    pthread_create(&t, NULL, other_thread, NULL);
    pthread_join(t, NULL);
    PR_CHECK_STR(pr_last_error(), "loading x: f.csv:3: bad");

    pr_set_error(PR_OK, NULL);
    PR_CHECK_STR(pr_last_error(), "");
    PR_CHECK_STR(pr_status_name(PR_ERR_NOMEM), "PR_ERR_NOMEM");

    /* A long message is truncated, not overflowed. */
    char big[5000];
    memset(big, 'a', sizeof big - 1);
    big[sizeof big - 1] = '\0';
    pr_set_error(PR_ERR_ARG, "%s", big);
    PR_CHECK(strlen(pr_last_error()) < 1024);
    pr_error_context(PR_ERR_ARG, "%s", big);
    PR_CHECK(strlen(pr_last_error()) < 1024);

    /* A message too long for the buffer, mostly a path of thousands of characters (deep folders
     * of long names), keeps its start and its end, where the reason is ("path: cannot open: File
     * name too long" lost its reason), and the message may quote the last one. */
    big[0] = '/';
    pr_set_error(PR_ERR_IO, "%s: cannot open: %s", big, "File name too long");
    PR_CHECK(strlen(pr_last_error()) < 1024);
    PR_CHECK(strncmp(pr_last_error(), "/aaa", 4) == 0);
    PR_CHECK_MSG(strstr(pr_last_error(), "...") &&
                     strstr(pr_last_error(), "aaa: cannot open: File name too long"),
                 "%s", pr_last_error() + 900);
    pr_set_error(PR_ERR_IO, "%s (photo skipped)", pr_last_error());
    PR_CHECK(strstr(pr_last_error(), "File name too long (photo skipped)") != NULL);
    PR_CHECK(strncmp(pr_last_error(), "/aaa", 4) == 0);

    /* Allocation hook: the 3rd allocation fails, the others succeed. */
    pr_alloc_fail_at(3);
    void *a = pr_malloc(8), *b = pr_calloc(2, 8), *c = pr_malloc(8), *d = pr_malloc(8);
    PR_CHECK(a && b && !c && d);
    PR_CHECK_EQ_INT(pr_alloc_count(), 4);
    pr_free(a);
    pr_free(b);
    pr_free(d);
    pr_alloc_fail_at(0);
    PR_CHECK(pr_malloc_array((size_t)-1, 16) == NULL); /* overflow refused */
    char *s = pr_strdup("abc");
    PR_CHECK_STR(s, "abc");
    pr_free(s);
    pr_free(NULL);
    return pr_test_finish();
}

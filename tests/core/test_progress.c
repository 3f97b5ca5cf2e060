/* Progress reporting: the summary line counts what was done, a forced bar draws, quiet prints
 * nothing. stderr is redirected to a file so the output itself is checked. */
#define _POSIX_C_SOURCE 200809L
#include "core/progress.h"
#include "tests/test.h"

#include <stdio.h>
#include <unistd.h>

static long file_text(const char *path, char *buf, size_t size)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
    fclose(f);
    return (long)n;
}

int main(void)
{
    char path[1024], text[4096];
    snprintf(path, sizeof path, "%s/test-scratch-progress.txt", PR_BINARY_DIR);
    FILE *saved = fdopen(dup(fileno(stderr)), "w");
    if (!freopen(path, "w", stderr))
        return 1;

    pr_progress *p = NULL;
    PR_CHECK_OK(pr_progress_new("scan", "photos", 10, PR_PROGRESS_BAR, &p));
    for (int i = 0; i < 10; i++)
        pr_progress_step(p, 1);
    pr_progress_delete(p);
    PR_CHECK_OK(pr_progress_new("quiet", "photos", 0, PR_PROGRESS_QUIET, &p));
    pr_progress_step(p, 5);
    pr_progress_delete(p);
    pr_progress_delete(NULL);
    fflush(stderr);

    long n = file_text(path, text, sizeof text);
    fprintf(saved, "progress output: %s\n", text);
    /* Checks go to the saved stderr from here on. */
    stderr = saved;
    PR_CHECK(n > 0);
    PR_CHECK_MSG(strstr(text, "10/10 photos") != NULL, "no bar with 10/10: %s", text);
    PR_CHECK_MSG(strstr(text, "scan: 10 photos in ") != NULL, "no summary: %s", text);
    PR_CHECK_MSG(strstr(text, "quiet") == NULL, "quiet mode printed: %s", text);
    double t0 = pr_now_seconds(), t1 = pr_now_seconds();
    PR_CHECK(t1 >= t0);
    return pr_test_finish();
}

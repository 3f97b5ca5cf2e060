/* core/models_dir: --models and $PERSONREC_MODELS are taken as they are; otherwise the first of
 * <exe dir>/models and the fallback that holds the marker file, <exe dir>/models first; none ->
 * PR_ERR_IO naming the marker; a path that does not fit -> PR_ERR_LIMIT. */
#define _POSIX_C_SOURCE 200809L
#include "core/models_dir.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int touch(const char *path)
{
    FILE *f = fopen(path, "w");
    return f && fclose(f) == 0;
}

int main(void)
{
    char out[4200], marker[64], fallback[] = "/tmp/pr-models-XXXXXX", path[4400];
    snprintf(marker, sizeof marker, "test_models_dir_%ld.bin", (long)getpid());
    PR_CHECK(mkdtemp(fallback) != NULL);
    unsetenv("PERSONREC_MODELS");

    /* Given and environment: as they are, even without the marker. */
    PR_CHECK_OK(pr_models_find("/no/such/dir", marker, fallback, out, sizeof out));
    PR_CHECK_STR(out, "/no/such/dir");
    setenv("PERSONREC_MODELS", "/env/dir", 1);
    PR_CHECK_OK(pr_models_find(NULL, marker, fallback, out, sizeof out));
    PR_CHECK_STR(out, "/env/dir");
    PR_CHECK_OK(pr_models_find("", marker, fallback, out, sizeof out));
    PR_CHECK_STR(out, "/env/dir");
    PR_CHECK_EQ_INT(pr_models_find("/a/longer/dir", marker, NULL, out, 8), PR_ERR_LIMIT);
    unsetenv("PERSONREC_MODELS");

    /* Searched: nothing holds the marker yet. */
    PR_CHECK_EQ_INT(pr_models_find(NULL, marker, fallback, out, sizeof out), PR_ERR_IO);
    PR_CHECK(strstr(pr_last_error(), marker) != NULL);
    PR_CHECK_EQ_INT(pr_models_find(NULL, marker, NULL, out, sizeof out), PR_ERR_IO);

    /* The fallback holds it. */
    snprintf(path, sizeof path, "%s/%s", fallback, marker);
    PR_CHECK(touch(path));
    PR_CHECK_OK(pr_models_find(NULL, marker, fallback, out, sizeof out));
    PR_CHECK_STR(out, fallback);

    /* <exe dir>/models holds it too: it comes first. */
    char exe[4096], models[4200], mine[4400];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    PR_CHECK(n > 0);
    if (n > 0) {
        exe[n] = '\0';
        *strrchr(exe, '/') = '\0';
        snprintf(models, sizeof models, "%s/models", exe);
        int made = mkdir(models, 0755) == 0;
        snprintf(mine, sizeof mine, "%s/%s", models, marker);
        PR_CHECK(touch(mine));
        PR_CHECK_OK(pr_models_find(NULL, marker, fallback, out, sizeof out));
        PR_CHECK_STR(out, models);
        remove(mine);
        if (made)
            rmdir(models);
    }
    remove(path);
    rmdir(fallback);
    return pr_test_finish();
}

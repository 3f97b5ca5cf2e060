/* The project's tiny test harness: checks that count failures and keep going, a data-directory
 * lookup that skips (exit 77) when the shared datasets are absent, and a GPU skip.
 *
 *     int main(void) {
 *         PR_CHECK(1 + 1 == 2);
 *         PR_CHECK_EQ_INT(f(2), 4);
 *         return pr_test_finish();
 *     }
 */
#ifndef PR_TESTS_TEST_H
#define PR_TESTS_TEST_H

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PR_TEST_SKIP 77

static int pr_test_failures;
static int pr_test_checks;

#define PR_CHECK(cond)                                                                           \
    do {                                                                                         \
        pr_test_checks++;                                                                        \
        if (!(cond)) {                                                                           \
            pr_test_failures++;                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond);            \
        }                                                                                        \
    } while (0)

#define PR_CHECK_MSG(cond, ...)                                                                  \
    do {                                                                                         \
        pr_test_checks++;                                                                        \
        if (!(cond)) {                                                                           \
            pr_test_failures++;                                                                  \
            fprintf(stderr, "%s:%d: check failed: %s: ", __FILE__, __LINE__, #cond);            \
            fprintf(stderr, __VA_ARGS__);                                                        \
            fputc('\n', stderr);                                                                 \
        }                                                                                        \
    } while (0)

#define PR_CHECK_EQ_INT(a, b)                                                                    \
    do {                                                                                         \
        long long pr_a_ = (long long)(a), pr_b_ = (long long)(b);                                \
        pr_test_checks++;                                                                        \
        if (pr_a_ != pr_b_) {                                                                    \
            pr_test_failures++;                                                                  \
            fprintf(stderr, "%s:%d: %s == %s failed: %lld != %lld\n", __FILE__, __LINE__, #a,   \
                    #b, pr_a_, pr_b_);                                                           \
        }                                                                                        \
    } while (0)

#define PR_CHECK_NEAR(a, b, tol)                                                                 \
    do {                                                                                         \
        double pr_a_ = (double)(a), pr_b_ = (double)(b);                                         \
        pr_test_checks++;                                                                        \
        if (!(fabs(pr_a_ - pr_b_) <= (tol))) {                                                   \
            pr_test_failures++;                                                                  \
            fprintf(stderr, "%s:%d: %s ~= %s failed: %.9g vs %.9g (tol %g)\n", __FILE__,        \
                    __LINE__, #a, #b, pr_a_, pr_b_, (double)(tol));                              \
        }                                                                                        \
    } while (0)

#define PR_CHECK_STR(a, b)                                                                       \
    do {                                                                                         \
        const char *pr_a_ = (a), *pr_b_ = (b);                                                   \
        pr_test_checks++;                                                                        \
        if (!pr_a_ || !pr_b_ || strcmp(pr_a_, pr_b_) != 0) {                                     \
            pr_test_failures++;                                                                  \
            fprintf(stderr, "%s:%d: %s == %s failed: \"%s\" vs \"%s\"\n", __FILE__, __LINE__,   \
                    #a, #b, pr_a_ ? pr_a_ : "(null)", pr_b_ ? pr_b_ : "(null)");                 \
        }                                                                                        \
    } while (0)

/* Checks a pr_status call returned PR_OK, printing pr_last_error() when not. */
#define PR_CHECK_OK(call)                                                                        \
    do {                                                                                         \
        int pr_s_ = (int)(call);                                                                 \
        pr_test_checks++;                                                                        \
        if (pr_s_ != 0) {                                                                        \
            pr_test_failures++;                                                                  \
            fprintf(stderr, "%s:%d: %s failed with %d: %s\n", __FILE__, __LINE__, #call, pr_s_,  \
                    pr_last_error());                                                            \
        }                                                                                        \
    } while (0)

/* Exit status for main: 0 when all checks passed (and at least one ran), else 1. */
static inline int pr_test_finish(void)
{
    if (pr_test_checks == 0) {
        fprintf(stderr, "no checks ran\n");
        return 1;
    }
    fprintf(stderr, "%d checks, %d failed\n", pr_test_checks, pr_test_failures);
    return pr_test_failures ? 1 : 0;
}

/* The shared datasets folder: $PR_DATA_DIR, else the configured default. Exits 77 (skipped) when
 * the folder or the named sub-folder (may be NULL) is missing. Returns a static buffer. */
static inline const char *pr_test_data_dir(const char *subdir)
{
    static char path[4096];
    const char *base = getenv("PR_DATA_DIR");
#ifdef PR_DEFAULT_DATA_DIR
    if (!base || !*base)
        base = PR_DEFAULT_DATA_DIR;
#endif
    if (!base) {
        fprintf(stderr, "skipped: PR_DATA_DIR not set\n");
        exit(PR_TEST_SKIP);
    }
    snprintf(path, sizeof path, "%s%s%s", base, subdir ? "/" : "", subdir ? subdir : "");
    FILE *probe = NULL;
    char readme[4200];
    snprintf(readme, sizeof readme, "%s/.", path);
    probe = fopen(readme, "r");
    if (!probe) {
        fprintf(stderr, "skipped: dataset folder %s is missing\n", path);
        exit(PR_TEST_SKIP);
    }
    fclose(probe);
    return path;
}

#endif

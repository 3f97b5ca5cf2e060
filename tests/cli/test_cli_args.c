/* cli/cli_args: options in both spellings, positional arguments gathered in order, the positional
 * count check of pr_cli_args, --threads checked the same for every command, and the device parser
 * it shares with core. */
#include "cli/cli.h"
#include "core/device.h"
#include "core/threadpool.h"
#include "tests/test.h"

#include <stdio.h>

static int run_nothing(int argc, char **argv)
{
    (void)argc, (void)argv;
    return 0;
}

static const pr_command cmd = {"test", "a test command", "usage: personrec test [--k N] X\n",
                               run_nothing};

int main(void)
{
    int k = 0, flag = 0, n = -1, rc = -1;
    double t = 0;
    const pr_option opts[] = {{"k", PR_OPT_INT, &k}, {"flag", PR_OPT_FLAG, &flag},
                              {"t", PR_OPT_DOUBLE, &t}, {NULL, PR_OPT_FLAG, NULL}};
    char a0[] = "test", a1[] = "x.jpg", a2[] = "--k", a3[] = "7", a4[] = "--t=0.5", a5[] = "y.jpg",
         a6[] = "--flag";
    char *argv[] = {a0, a1, a2, a3, a4, a5, a6, NULL};
    PR_CHECK_EQ_INT(pr_cli_args(&cmd, 7, argv, opts, 1, 2, &n, &rc), 0);
    PR_CHECK_EQ_INT(rc, PR_EXIT_OK);
    PR_CHECK_EQ_INT(n, 2);
    PR_CHECK_STR(argv[1], "x.jpg");
    PR_CHECK_STR(argv[2], "y.jpg");
    PR_CHECK(k == 7 && flag == 1 && t == 0.5);

    /* Too many, too few positionals: a usage error (exit 2) and the command stops. */
    char b0[] = "test", b1[] = "a", b2[] = "b";
    char *argv2[] = {b0, b1, b2, NULL};
    PR_CHECK_EQ_INT(pr_cli_args(&cmd, 3, argv2, opts, 1, 1, &n, &rc), 1);
    PR_CHECK_EQ_INT(rc, PR_EXIT_USAGE);
    char c0[] = "test";
    char *argv3[] = {c0, NULL};
    PR_CHECK_EQ_INT(pr_cli_args(&cmd, 1, argv3, opts, 1, -1, &n, &rc), 1);
    PR_CHECK_EQ_INT(rc, PR_EXIT_USAGE);
    /* A bad integer is a usage error too. */
    char d0[] = "test", d1[] = "--k", d2[] = "seven";
    char *argv4[] = {d0, d1, d2, NULL};
    PR_CHECK_EQ_INT(pr_cli_args(&cmd, 3, argv4, opts, 0, -1, &n, &rc), 1);
    PR_CHECK_EQ_INT(rc, PR_EXIT_USAGE);

    /* --threads: 1 .. PR_POOL_MAX_THREADS in every command; 0, negative or huge is refused. */
    int threads = 0;
    const pr_option topts[] = {{"threads", PR_OPT_INT, &threads}, {NULL, PR_OPT_FLAG, NULL}};
    const char *bad[] = {"0", "-1", "257", "1024", "2147483647"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char e0[] = "test", e1[] = "--threads", e2[16];
        snprintf(e2, sizeof e2, "%s", bad[i]);
        char *argv5[] = {e0, e1, e2, NULL};
        threads = 0;
        PR_CHECK_MSG(pr_cli_args(&cmd, 3, argv5, topts, 0, -1, &n, &rc) == 1 &&
                         rc == PR_EXIT_USAGE && threads == 0,
                     "--threads %s accepted", bad[i]);
    }
    char f0[] = "test", f1[] = "--threads=256";
    char *argv6[] = {f0, f1, NULL};
    PR_CHECK_EQ_INT(pr_cli_args(&cmd, 2, argv6, topts, 0, -1, &n, &rc), 0);
    PR_CHECK_EQ_INT(threads, PR_POOL_MAX_THREADS);

    PR_CHECK_EQ_INT(pr_cli_parse_device("gpu"), PR_DEVICE_GPU);
    PR_CHECK_EQ_INT(pr_cli_parse_device("both"), -1);
    return pr_test_finish();
}

#include "cli/cli.h"

#include "core/device.h"
#include "core/status.h"
#include "core/threadpool.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int pr_cli_usage_error(const pr_command *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "personrec %s: ", cmd->name);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\n%s", cmd->usage);
    return PR_EXIT_USAGE;
}

/* 1 when msg names `what` first already: "what: ...", "what/...: ..." (a file in it), or
 * ".../what: ..." (the same file by a longer path). */
static int names_first(const char *msg, const char *what)
{
    size_t n = what ? strlen(what) : 0;
    if (!n)
        return 0;
    if (strncmp(msg, what, n) == 0 && (msg[n] == ':' || msg[n] == '/'))
        return 1;
    const char *colon = strstr(msg, ": ");
    size_t head = colon ? (size_t)(colon - msg) : 0;
    return head > n && msg[head - n - 1] == '/' && strncmp(colon - n, what, n) == 0;
}

void pr_cli_report_message(const char *what, const char *msg)
{
    if (!msg || !msg[0])
        msg = pr_status_name(pr_last_status());
    /* "album: no such folder", never "album: album: no such folder" */
    if (!what || names_first(msg, what))
        fprintf(stderr, "personrec: %s\n", msg);
    else
        fprintf(stderr, "personrec: %s: %s\n", what, msg);
}

void pr_cli_report_error(const char *what)
{
    pr_cli_report_message(what, pr_last_error());
}

int pr_cli_parse_device(const char *text)
{
    return pr_device_parse(text);
}

int pr_cli_same_file(const char *a, const char *b)
{
    struct stat sa, sb;
    return a && b && stat(a, &sa) == 0 && stat(b, &sb) == 0 && sa.st_dev == sb.st_dev &&
           sa.st_ino == sb.st_ino;
}

static const pr_option *find_option(const pr_option *opts, const char *name, size_t len)
{
    for (const pr_option *o = opts; o && o->name; o++)
        if (strlen(o->name) == len && strncmp(o->name, name, len) == 0)
            return o;
    return NULL;
}

static int store_value(const pr_command *cmd, const pr_option *o, const char *text)
{
    char *end = NULL;
    errno = 0;
    switch (o->kind) {
    case PR_OPT_STRING:
        *(const char **)o->value = text;
        return 0;
    case PR_OPT_INT: {
        long v = strtol(text, &end, 10);
        if (!*text || *end || errno || v < -2147483647L || v > 2147483647L)
            return pr_cli_usage_error(cmd, "--%s needs an integer, got '%s'", o->name, text);
        /* --threads means the same in every command: checked here, once for all of them. */
        if (strcmp(o->name, "threads") == 0 && (v < 1 || v > PR_POOL_MAX_THREADS))
            return pr_cli_usage_error(cmd, "--threads must be 1 to %d (default: all cores), not %s",
                                      PR_POOL_MAX_THREADS, text);
        *(int *)o->value = (int)v;
        return 0;
    }
    case PR_OPT_DOUBLE: {
        double v = strtod(text, &end);
        if (!*text || *end || errno || !isfinite(v))
            return pr_cli_usage_error(cmd, "--%s needs a number, got '%s'", o->name, text);
        *(double *)o->value = v;
        return 0;
    }
    case PR_OPT_FLAG:
        break;
    }
    return pr_cli_usage_error(cmd, "--%s takes no value", o->name);
}

int pr_cli_parse(const pr_command *cmd, int argc, char **argv, const pr_option *opts, int *npos)
{
    int n = 0;
    int only_positionals = 0;
    for (int i = 1; i < argc; i++) {
        char *arg = argv[i];
        if (only_positionals || arg[0] != '-' || arg[1] == '\0') {
            argv[1 + n++] = arg;
            continue;
        }
        if (strcmp(arg, "--") == 0) {
            only_positionals = 1;
            continue;
        }
        if (strcmp(arg, "-h") == 0 || strcmp(arg, "--help") == 0) {
            fputs(cmd->usage, stdout);
            return -1;
        }
        if (arg[1] != '-')
            return pr_cli_usage_error(cmd, "unknown option '%s'", arg);
        const char *name = arg + 2;
        const char *eq = strchr(name, '=');
        size_t len = eq ? (size_t)(eq - name) : strlen(name);
        const pr_option *o = find_option(opts, name, len);
        if (!o)
            return pr_cli_usage_error(cmd, "unknown option '--%.*s'", (int)len, name);
        if (o->kind == PR_OPT_FLAG) {
            if (eq)
                return pr_cli_usage_error(cmd, "--%s takes no value", o->name);
            *(int *)o->value = 1;
            continue;
        }
        const char *value = eq ? eq + 1 : NULL;
        if (!value) {
            if (i + 1 >= argc)
                return pr_cli_usage_error(cmd, "--%s needs a value", o->name);
            value = argv[++i];
        }
        int rc = store_value(cmd, o, value);
        if (rc)
            return rc;
    }
    *npos = n;
    return 0;
}

int pr_cli_args(const pr_command *cmd, int argc, char **argv, const pr_option *opts, int min_pos,
                int max_pos, int *npos, int *exit_code)
{
    int n = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &n);
    *npos = n;
    if (rc) {
        *exit_code = rc < 0 ? PR_EXIT_OK : rc;
        return 1;
    }
    if (n < min_pos) {
        *exit_code = pr_cli_usage_error(cmd, "missing argument (%d needed, %d given)", min_pos, n);
        return 1;
    }
    if (max_pos >= 0 && n > max_pos) {
        *exit_code = max_pos == 0
                         ? pr_cli_usage_error(cmd, "unexpected argument '%s'", argv[1])
                         : pr_cli_usage_error(cmd, "too many arguments (at most %d, %d given)",
                                              max_pos, n);
        return 1;
    }
    *exit_code = PR_EXIT_OK;
    return 0;
}

#include "core/status.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>

enum { PR_ERROR_MAX = 1024 };

static _Thread_local char tls_message[PR_ERROR_MAX];
static _Thread_local pr_status tls_code;

/* Formats into buf (n bytes). A message longer than that, mostly one holding a path of
 * thousands of characters (deep folders of long names), keeps its start and its end with "..."
 * between: cut at the end, "path: cannot open: File name too long" lost its reason. Formatted
 * through a buffer of its own, so an argument may be buf itself (pr_last_error()). */
static void format_fit(char *buf, size_t n, const char *fmt, va_list ap)
#if defined(__GNUC__) /* a printf format: clang's -Wformat-nonliteral checks the callers instead */
    __attribute__((format(printf, 3, 0)))
#endif
    ;

static void format_fit(char *buf, size_t n, const char *fmt, va_list ap)
{
    char full[4 * PR_ERROR_MAX + 4096];
    if (vsnprintf(full, sizeof full, fmt, ap) < 0)
        full[0] = '\0';
    size_t len = strlen(full);
    if (len < n) {
        memcpy(buf, full, len + 1);
        return;
    }
    size_t head = (n - 4) / 3, tail = n - 4 - head; /* the reason is at the end */
    memcpy(buf, full, head);
    memcpy(buf + head, "...", 3);
    memcpy(buf + head + 3, full + len - tail, tail);
    buf[n - 1] = '\0';
}

pr_status pr_set_error(pr_status code, const char *fmt, ...)
{
    tls_code = code;
    if (code == PR_OK || !fmt) {
        tls_message[0] = '\0';
        return code;
    }
    va_list ap;
    va_start(ap, fmt);
    format_fit(tls_message, sizeof tls_message, fmt, ap);
    va_end(ap);
    return code;
}

/* Appends text to buf (capacity cap, currently len bytes), truncating; returns the new length. */
static size_t append(char *buf, size_t len, size_t cap, const char *text)
{
    size_t n = strlen(text);
    if (n > cap - 1 - len)
        n = cap - 1 - len;
    memcpy(buf + len, text, n);
    buf[len + n] = '\0';
    return len + n;
}

pr_status pr_error_context(pr_status code, const char *fmt, ...)
{
    char old[PR_ERROR_MAX];
    memcpy(old, tls_message, sizeof old);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tls_message, sizeof tls_message, fmt, ap);
    va_end(ap);
    size_t len = strlen(tls_message);
    len = append(tls_message, len, sizeof tls_message, ": ");
    append(tls_message, len, sizeof tls_message, old[0] ? old : pr_status_name(code));
    tls_code = code;
    return code;
}

const char *pr_last_error(void) { return tls_message; }

pr_status pr_last_status(void) { return tls_code; }

const char *pr_status_name(pr_status code)
{
    switch (code) {
    case PR_OK: return "PR_OK";
    case PR_ERR_ARG: return "PR_ERR_ARG";
    case PR_ERR_NOMEM: return "PR_ERR_NOMEM";
    case PR_ERR_IO: return "PR_ERR_IO";
    case PR_ERR_FORMAT: return "PR_ERR_FORMAT";
    case PR_ERR_CUDA: return "PR_ERR_CUDA";
    case PR_ERR_UNSUPPORTED: return "PR_ERR_UNSUPPORTED";
    case PR_ERR_LIMIT: return "PR_ERR_LIMIT";
    case PR_ERR_STATE: return "PR_ERR_STATE";
    case PR_ERR_INTERNAL: return "PR_ERR_INTERNAL";
    }
    return "PR_ERR_UNKNOWN";
}

static atomic_int problems;

void pr_report_problem(const char *fmt, ...)
{
    /* Formatted first, then written with one call, so lines of workers never interleave. */
    char line[PR_ERROR_MAX + 16];
    int n = snprintf(line, sizeof line, "personrec: ");
    va_list ap;
    va_start(ap, fmt);
    format_fit(line + n, sizeof line - (size_t)n - 1, fmt, ap);
    va_end(ap);
    size_t len = strlen(line);
    /* One problem, one line: a newline or other control character in a file name is shown as
     * '?', so that a line never splits and a terminal is never driven by a file name. */
    for (size_t i = 0; i < len; i++)
        if ((unsigned char)line[i] < 0x20 || line[i] == 0x7f)
            line[i] = '?';
    line[len] = '\n';
    fwrite(line, 1, len + 1, stderr);
    fflush(stderr);
    atomic_fetch_add(&problems, 1);
}

int pr_problem_count(void) { return atomic_load(&problems); }

/* Status codes and the thread-local error message.
 *
 * Everything that can fail returns pr_status and, on failure, leaves a message for the caller:
 *     return pr_set_error(PR_ERR_FORMAT, "%s: not a JPEG file", path);
 * The message lives until the same thread sets another one. */
#ifndef PR_CORE_STATUS_H
#define PR_CORE_STATUS_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_status {
    PR_OK = 0,
    PR_ERR_ARG,         /* invalid argument or parameter */
    PR_ERR_NOMEM,       /* allocation failed */
    PR_ERR_IO,          /* file missing, unreadable, unwritable */
    PR_ERR_FORMAT,      /* malformed input data (corrupt image, bad label file) */
    PR_ERR_CUDA,        /* CUDA runtime or kernel failure */
    PR_ERR_UNSUPPORTED, /* feature not built in or input kind not handled */
    PR_ERR_LIMIT,       /* input exceeds a configured limit (pixels, segments, ...) */
    PR_ERR_STATE,       /* object used in the wrong state (e.g. store locked) */
    PR_ERR_INTERNAL     /* a bug: an invariant did not hold */
} pr_status;

/* Stores a printf-style message for this thread and returns code (so it can be returned directly).
 * PR_OK clears the message. */
pr_status pr_set_error(pr_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* Prepends "prefix: " to the current message, keeping the code. Returns code. */
pr_status pr_error_context(pr_status code, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;

/* The last message set on this thread ("" when none). Borrowed: valid until the next pr_set_error
 * on this thread. */
const char *pr_last_error(void);

/* The code that went with the last message (PR_OK when none). */
pr_status pr_last_status(void);

/* Static name of a code, e.g. "PR_ERR_FORMAT". */
const char *pr_status_name(pr_status code);

/* Problems: an input that was skipped while the run went on (a photo that cannot be decoded, an
 * unreadable folder, a malformed sidecar). Each is printed at once as "personrec: <message>" on
 * stderr -- also under --quiet, which silences progress, never errors -- and counted, so that the
 * command can end with exit status 1 after finishing the rest of its work. The message names the
 * file first ("album/x.jpg: truncated JPEG ..."). Thread-safe; one line per call. */
void pr_report_problem(const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 1, 2)))
#endif
    ;

/* Problems reported so far by this process. */
int pr_problem_count(void);

#ifdef __cplusplus
}
#endif
#endif

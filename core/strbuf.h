/* A growable string buffer (pr_malloc). On allocation failure 'failed' is set and later appends do
 * nothing, so writers check once at the end. Zero-initialise (pr_strbuf b = {0}) before use. */
#ifndef PR_CORE_STRBUF_H
#define PR_CORE_STRBUF_H

#include "core/status.h"

#include <stdarg.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_strbuf {
    char *data;  /* NUL-terminated once anything was appended (NULL before); owned */
    size_t len, cap;
    int failed;  /* an append ran out of memory */
} pr_strbuf;

void pr_strbuf_append(pr_strbuf *b, const char *s, size_t n);
void pr_strbuf_puts(pr_strbuf *b, const char *s);
void pr_strbuf_putc(pr_strbuf *b, char c);
void pr_strbuf_printf(pr_strbuf *b, const char *fmt, ...)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 3)))
#endif
    ;
void pr_strbuf_vprintf(pr_strbuf *b, const char *fmt, va_list ap)
#if defined(__GNUC__)
    __attribute__((format(printf, 2, 0)))
#endif
    ;
/* "" when nothing was appended (never NULL); borrowed until the next append or free. */
const char *pr_strbuf_str(const pr_strbuf *b);
/* PR_OK, or PR_ERR_NOMEM (with the message set) when an append failed. */
pr_status pr_strbuf_status(const pr_strbuf *b);
/* Empties the buffer, keeping its memory. */
void pr_strbuf_reset(pr_strbuf *b);
void pr_strbuf_free(pr_strbuf *b); /* frees the memory; the buffer is zero again */

/* A double as text for data files: integers without a fraction, else the shortest "%.*g" (6 to 17
 * digits) that parses back to the same double. buf needs 32 bytes. Finite values only. */
void pr_format_double(double v, char *buf, size_t size);

#ifdef __cplusplus
}
#endif
#endif

/* Growable string buffer (see strbuf.h). */
#include "core/strbuf.h"

#include "core/alloc.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void pr_strbuf_append(pr_strbuf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->len + n + 1 > b->cap) {
        size_t ncap = b->cap ? b->cap : 256;
        while (ncap < b->len + n + 1)
            ncap *= 2;
        char *nd = pr_realloc(b->data, ncap);
        if (!nd) {
            b->failed = 1;
            return;
        }
        b->data = nd;
        b->cap = ncap;
    }
    if (n)
        memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pr_strbuf_puts(pr_strbuf *b, const char *s)
{
    pr_strbuf_append(b, s, strlen(s));
}

void pr_strbuf_putc(pr_strbuf *b, char c)
{
    pr_strbuf_append(b, &c, 1);
}

void pr_strbuf_vprintf(pr_strbuf *b, const char *fmt, va_list ap)
{
    char small[512];
    va_list again;
    va_copy(again, ap);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    if (n < 0) {
        b->failed = 1;
    } else if ((size_t)n < sizeof small) {
        pr_strbuf_append(b, small, (size_t)n);
    } else {
        char *big = pr_malloc((size_t)n + 1);
        if (big) {
            vsnprintf(big, (size_t)n + 1, fmt, again);
            pr_strbuf_append(b, big, (size_t)n);
            pr_free(big);
        } else {
            b->failed = 1;
        }
    }
    va_end(again);
}

void pr_strbuf_printf(pr_strbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    pr_strbuf_vprintf(b, fmt, ap);
    va_end(ap);
}

const char *pr_strbuf_str(const pr_strbuf *b)
{
    return b->data ? b->data : "";
}

pr_status pr_strbuf_status(const pr_strbuf *b)
{
    return b->failed ? pr_set_error(PR_ERR_NOMEM, "out of memory") : PR_OK;
}

void pr_strbuf_reset(pr_strbuf *b)
{
    b->len = 0;
    if (b->data)
        b->data[0] = '\0';
}

void pr_strbuf_free(pr_strbuf *b)
{
    pr_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

void pr_format_double(double v, char *buf, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

/* Text helpers for the label parsers (see text_internal.h). Numbers are parsed with strtod on a
 * bounded, NUL-terminated copy, after a hand check of the grammar, so that locale quirks ("inf",
 * "nan", hex floats) can never get through. */
#define _POSIX_C_SOURCE 200809L
#include "datasets/text_internal.h"

#include "core/alloc.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void pr_line_reader_init(pr_line_reader *r, const char *data, size_t size, const char *name)
{
    r->p = data;
    r->end = data + size;
    r->line = 0;
    r->name = name ? name : "(input)";
    if (size >= 3 && (unsigned char)data[0] == 0xEF && (unsigned char)data[1] == 0xBB &&
        (unsigned char)data[2] == 0xBF)
        r->p += 3;
}

int pr_line_next(pr_line_reader *r, const char **line, size_t *len)
{
    if (r->p >= r->end)
        return 0;
    const char *s = r->p, *q = s;
    while (q < r->end && *q != '\n' && *q != '\r')
        q++;
    r->line++;
    *line = s;
    *len = (size_t)(q - s);
    if (q < r->end && *q == '\r') {
        q++;
        if (q < r->end && *q == '\n')
            q++;
    } else if (q < r->end) {
        q++; /* '\n' */
    }
    r->p = q;
    if (*len > PR_TEXT_MAX_LINE) {
        pr_set_error(PR_ERR_FORMAT, "%s:%d: line longer than %d bytes", r->name, r->line,
                     PR_TEXT_MAX_LINE);
        return -1;
    }
    if (memchr(s, '\0', *len)) {
        pr_set_error(PR_ERR_FORMAT, "%s:%d: NUL byte in a text line", r->name, r->line);
        return -1;
    }
    return 1;
}

int pr_text_utf8_valid(const char *str, size_t n)
{
    const unsigned char *s = (const unsigned char *)str;
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t need;
        unsigned cp;
        if (c >= 0xC2 && c <= 0xDF) {
            need = 1;
            cp = c & 0x1F;
        } else if (c >= 0xE0 && c <= 0xEF) {
            need = 2;
            cp = c & 0x0F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            need = 3;
            cp = c & 0x07;
        } else {
            return 0;
        }
        if (n - i <= need)
            return 0;
        for (size_t k = 1; k <= need; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return 0;
            cp = (cp << 6) | (s[i + k] & 0x3F);
        }
        if ((need == 2 && cp < 0x800) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return 0;
        i += need + 1;
    }
    return 1;
}

void pr_text_trim(const char **s, size_t *n)
{
    while (*n > 0 && (**s == ' ' || **s == '\t')) {
        (*s)++;
        (*n)--;
    }
    while (*n > 0 && ((*s)[*n - 1] == ' ' || (*s)[*n - 1] == '\t'))
        (*n)--;
}

int pr_text_parse_double(const char *s, size_t n, double *out)
{
    pr_text_trim(&s, &n);
    if (n == 0 || n > 64)
        return 0;
    size_t i = 0, digits = 0;
    if (s[i] == '+' || s[i] == '-')
        i++;
    while (i < n && s[i] >= '0' && s[i] <= '9') {
        i++;
        digits++;
    }
    if (i < n && s[i] == '.') {
        i++;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            i++;
            digits++;
        }
    }
    if (digits == 0)
        return 0;
    if (i < n && (s[i] == 'e' || s[i] == 'E')) {
        i++;
        if (i < n && (s[i] == '+' || s[i] == '-'))
            i++;
        size_t ed = 0;
        while (i < n && s[i] >= '0' && s[i] <= '9') {
            i++;
            ed++;
        }
        if (ed == 0)
            return 0;
    }
    if (i != n)
        return 0;
    char tmp[72];
    memcpy(tmp, s, n);
    tmp[n] = '\0';
    char *endp = NULL;
    double v = strtod(tmp, &endp);
    if (endp != tmp + n || !isfinite(v) || fabs(v) > 1e12)
        return 0;
    *out = v;
    return 1;
}

char *pr_text_strndup(const char *s, size_t n)
{
    char *d = pr_malloc(n + 1);
    if (!d)
        return NULL;
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

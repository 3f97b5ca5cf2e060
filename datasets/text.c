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

pr_status pr_text_read_file(const char *path, size_t max_bytes, char **data, size_t *size)
{
    *data = NULL;
    *size = 0;
    if (max_bytes == 0)
        max_bytes = PR_TEXT_DEFAULT_MAX_BYTES;
    FILE *f = fopen(path, "rb");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    size_t cap = 65536, len = 0;
    char *buf = pr_malloc(cap + 1);
    pr_status st = PR_OK;
    if (!buf) {
        st = pr_set_error(PR_ERR_NOMEM, "%s: out of memory", path);
        goto fail;
    }
    for (;;) {
        if (len == cap) {
            if (cap >= max_bytes) {
                st = pr_set_error(PR_ERR_LIMIT, "%s: file larger than %zu bytes", path, max_bytes);
                goto fail;
            }
            size_t ncap = cap * 2 > max_bytes ? max_bytes : cap * 2;
            char *nb = pr_realloc(buf, ncap + 1);
            if (!nb) {
                st = pr_set_error(PR_ERR_NOMEM, "%s: out of memory", path);
                goto fail;
            }
            buf = nb;
            cap = ncap;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f)) {
                st = pr_set_error(PR_ERR_IO, "%s: read error", path);
                goto fail;
            }
            break;
        }
    }
    /* A file exactly max_bytes long reads fine; one byte more is refused above. */
    if (len == cap && cap >= max_bytes && fgetc(f) != EOF) {
        st = pr_set_error(PR_ERR_LIMIT, "%s: file larger than %zu bytes", path, max_bytes);
        goto fail;
    }
    fclose(f);
    buf[len] = '\0';
    *data = buf;
    *size = len;
    return PR_OK;
fail:
    fclose(f);
    pr_free(buf);
    return st;
}

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

void pr_text_format_double(double v, char *buf, size_t size)
{
    if (v == floor(v) && fabs(v) < 1e15) {
        snprintf(buf, size, "%.0f", v);
        return;
    }
    /* Shortest of %.15g / %.17g that reads back exactly. */
    for (int prec = 6; prec <= 17; prec++) {
        snprintf(buf, size, "%.*g", prec, v);
        if (strtod(buf, NULL) == v)
            return;
    }
}

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
    memcpy(b->data + b->len, s, n);
    b->len += n;
    b->data[b->len] = '\0';
}

void pr_strbuf_puts(pr_strbuf *b, const char *s)
{
    pr_strbuf_append(b, s, strlen(s));
}

void pr_strbuf_printf(pr_strbuf *b, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0) {
        b->failed = 1;
        return;
    }
    if ((size_t)n < sizeof small) {
        pr_strbuf_append(b, small, (size_t)n);
        return;
    }
    char *big = pr_malloc((size_t)n + 1);
    if (!big) {
        b->failed = 1;
        return;
    }
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    pr_strbuf_append(b, big, (size_t)n);
    pr_free(big);
}

void pr_strbuf_free(pr_strbuf *b)
{
    pr_free(b->data);
    b->data = NULL;
    b->len = b->cap = 0;
    b->failed = 0;
}

pr_status pr_text_make_parent_dirs(const char *path)
{
    size_t n = strlen(path);
    char *tmp = pr_text_strndup(path, n);
    if (!tmp)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    char *slash = strrchr(tmp, '/');
    pr_status st = PR_OK;
    if (slash && slash != tmp) {
        *slash = '\0';
        for (char *p = tmp + 1; ; p++) {
            if (*p == '/' || *p == '\0') {
                char saved = *p;
                *p = '\0';
                if (mkdir(tmp, 0777) != 0 && errno != EEXIST) {
                    st = pr_set_error(PR_ERR_IO, "%s: cannot create folder: %s", tmp,
                                      strerror(errno));
                    break;
                }
                *p = saved;
                if (saved == '\0')
                    break;
            }
        }
    }
    pr_free(tmp);
    return st;
}

pr_status pr_text_write_atomic(const char *path, const char *data, size_t size)
{
    size_t n = strlen(path);
    char *tmp = pr_malloc(n + 32);
    if (!tmp)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    snprintf(tmp, n + 32, "%s.tmp%ld", path, (long)getpid());
    pr_status st = PR_OK;
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        st = pr_set_error(PR_ERR_IO, "%s: cannot create: %s", tmp, strerror(errno));
        goto done;
    }
    int bad = size && fwrite(data, 1, size, f) != size;
    bad |= fflush(f) != 0;
    bad |= fsync(fileno(f)) != 0 && errno != EINVAL;
    bad |= fclose(f) != 0;
    if (bad) {
        remove(tmp);
        st = pr_set_error(PR_ERR_IO, "%s: write failed", tmp);
        goto done;
    }
    if (rename(tmp, path) != 0) {
        st = pr_set_error(PR_ERR_IO, "%s: cannot rename into place: %s", path, strerror(errno));
        remove(tmp);
    }
done:
    pr_free(tmp);
    return st;
}

pr_status pr_text_join_path(char *buf, size_t size, const char *a, const char *b)
{
    size_t na = strlen(a), nb = strlen(b);
    int sep = na > 0 && b[0] != '/';
    if (b[0] == '/')
        na = 0;
    if (na + (size_t)sep + nb + 1 > size)
        return pr_set_error(PR_ERR_LIMIT, "path %s/%s too long", a, b);
    memcpy(buf, a, na);
    if (sep)
        buf[na] = '/';
    memcpy(buf + na + (size_t)sep, b, nb + 1);
    return PR_OK;
}

char *pr_text_dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    if (!slash)
        return pr_strdup("");
    if (slash == path)
        return pr_strdup("/");
    return pr_text_strndup(path, (size_t)(slash - path));
}

int pr_text_file_exists(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

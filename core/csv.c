/* The CSV writer (see csv.h). Output goes through one put() so the FILE and buffer targets cannot
 * drift apart. */
#include "core/csv.h"

#include <math.h>
#include <stdarg.h>
#include <string.h>

static void put(pr_csv *w, const char *s, size_t n)
{
    if (w->failed || n == 0)
        return;
    if (w->file) {
        if (fwrite(s, 1, n, w->file) != n)
            w->failed = 1;
    } else if (w->buf) {
        pr_strbuf_append(w->buf, s, n);
        w->failed = w->buf->failed;
    } else {
        w->failed = 1;
    }
}

pr_csv pr_csv_to_file(FILE *file)
{
    pr_csv w = {file, NULL, 0, file == NULL};
    return w;
}

pr_csv pr_csv_to_buf(pr_strbuf *buf)
{
    pr_csv w = {NULL, buf, 0, buf == NULL};
    return w;
}

int pr_csv_needs_quotes(const char *s)
{
    if (!s || !s[0])
        return 0;
    size_t n = strlen(s);
    return strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[0] == '\t' || s[n - 1] == ' ' ||
           s[n - 1] == '\t' || s[0] == '#';
}

void pr_csv_field(pr_csv *w, const char *s)
{
    if (w->column++ > 0)
        put(w, ",", 1);
    if (!s)
        return;
    if (!pr_csv_needs_quotes(s)) {
        put(w, s, strlen(s));
        return;
    }
    put(w, "\"", 1);
    for (const char *q; (q = strchr(s, '"')) != NULL; s = q + 1) {
        put(w, s, (size_t)(q - s));
        put(w, "\"\"", 2);
    }
    put(w, s, strlen(s));
    put(w, "\"", 1);
}

void pr_csv_fieldf(pr_csv *w, const char *fmt, ...)
{
    pr_strbuf text = {0};
    va_list ap;
    va_start(ap, fmt);
    pr_strbuf_vprintf(&text, fmt, ap);
    va_end(ap);
    if (text.failed)
        w->failed = 1;
    else
        pr_csv_field(w, pr_strbuf_str(&text));
    pr_strbuf_free(&text);
}

void pr_csv_int(pr_csv *w, long long v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", v);
    pr_csv_field(w, buf);
}

void pr_csv_double(pr_csv *w, double v)
{
    char buf[40] = "";
    if (isfinite(v))
        pr_format_double(v, buf, sizeof buf);
    pr_csv_field(w, buf);
}

void pr_csv_fixed(pr_csv *w, double v, int decimals)
{
    char buf[64] = "";
    if (isfinite(v) && fabs(v) < 1e30)
        snprintf(buf, sizeof buf, "%.*f", decimals < 0 ? 0 : decimals > 17 ? 17 : decimals, v);
    pr_csv_field(w, buf);
}

void pr_csv_end_row(pr_csv *w)
{
    put(w, "\n", 1);
    w->column = 0;
}

void pr_csv_row(pr_csv *w, const char *const *fields, int count)
{
    for (int i = 0; i < count; i++)
        pr_csv_field(w, fields[i]);
    pr_csv_end_row(w);
}

pr_status pr_csv_status(const pr_csv *w)
{
    if (!w->failed)
        return PR_OK;
    if (w->buf && w->buf->failed)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    return pr_set_error(PR_ERR_IO, "CSV write failed");
}

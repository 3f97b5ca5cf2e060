/* The streaming JSON writer (see json.h). Each level remembers whether it holds anything yet, so
 * the separator logic lives in one place (before_value) instead of in every caller's printf. */
#include "core/json.h"

#include <math.h>

/* Length of the UTF-8 sequence at p (RFC 3629: no overlong form, no surrogate, at most
 * U+10FFFF), 0 when it is not one. Stops at the first byte out of range, so never reads past
 * the string's NUL. */
static int utf8_length(const unsigned char *p)
{
    unsigned lo = 0x80, hi = 0xBF;
    int n;
    if (p[0] < 0x80)
        return 1;
    if (p[0] >= 0xC2 && p[0] <= 0xDF)
        n = 2;
    else if (p[0] >= 0xE0 && p[0] <= 0xEF)
        n = 3, lo = p[0] == 0xE0 ? 0xA0 : lo, hi = p[0] == 0xED ? 0x9F : hi;
    else if (p[0] >= 0xF0 && p[0] <= 0xF4)
        n = 4, lo = p[0] == 0xF0 ? 0x90 : lo, hi = p[0] == 0xF4 ? 0x8F : hi;
    else
        return 0;
    if (p[1] < lo || p[1] > hi)
        return 0;
    for (int i = 2; i < n; i++)
        if (p[i] < 0x80 || p[i] > 0xBF)
            return 0;
    return n;
}

void pr_json_string(FILE *out, const char *s)
{
    if (!s) {
        fputs("null", out);
        return;
    }
    fputc('"', out);
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        switch (*p) {
        case '"': fputs("\\\"", out); break;
        case '\\': fputs("\\\\", out); break;
        case '\n': fputs("\\n", out); break;
        case '\r': fputs("\\r", out); break;
        case '\t': fputs("\\t", out); break;
        default:
            if (*p < 0x20) {
                fprintf(out, "\\u%04x", *p);
            } else {
                /* JSON is UTF-8 (RFC 8259 8.1): a byte of another encoding (a Latin-1 file
                 * name) would make the whole document unreadable to a strict reader, so each
                 * byte of a bad sequence is written as U+FFFD. */
                int n = utf8_length(p);
                if (n == 0)
                    fputs("\\ufffd", out);
                else
                    fwrite(p, 1, (size_t)n, out);
                p += n ? n - 1 : 0;
            }
        }
    }
    fputc('"', out);
}

void pr_json_number(FILE *out, double value)
{
    if (!isfinite(value))
        fputs("null", out);
    else
        fprintf(out, "%.6g", value);
}

pr_json pr_json_begin(FILE *out, int indent)
{
    pr_json w;
    w.out = out;
    w.indent = indent < 0 ? 0 : indent;
    w.depth = 0;
    for (int i = 0; i < PR_JSON_MAX_DEPTH; i++)
        w.count[i] = w.is_object[i] = 0;
    w.after_key = 0;
    w.misuse = out == NULL;
    return w;
}

static void newline(pr_json *w, int depth)
{
    if (!w->indent)
        return;
    fputc('\n', w->out);
    for (int i = 0; i < depth * w->indent; i++)
        fputc(' ', w->out);
}

/* Writes the separator before a value; 0 when the writer is unusable. */
static int before_value(pr_json *w)
{
    if (w->misuse)
        return 0;
    if (w->after_key) {
        w->after_key = 0;
        return 1;
    }
    if (w->depth == 0) {
        if (w->count[0]) {
            w->misuse = 1; /* a second top-level value */
            return 0;
        }
        w->count[0] = 1;
        return 1;
    }
    if (w->is_object[w->depth]) {
        w->misuse = 1; /* a value in an object needs a key first */
        return 0;
    }
    if (w->count[w->depth])
        fputc(',', w->out);
    w->count[w->depth] = 1;
    newline(w, w->depth);
    return 1;
}

static void open_level(pr_json *w, int object)
{
    if (!before_value(w))
        return;
    if (w->depth + 1 >= PR_JSON_MAX_DEPTH) {
        w->misuse = 1;
        return;
    }
    fputc(object ? '{' : '[', w->out);
    w->depth++;
    w->count[w->depth] = 0;
    w->is_object[w->depth] = (unsigned char)object;
}

void pr_json_object(pr_json *w)
{
    open_level(w, 1);
}

void pr_json_array(pr_json *w)
{
    open_level(w, 0);
}

void pr_json_end(pr_json *w)
{
    if (w->misuse)
        return;
    if (w->depth == 0 || w->after_key) {
        w->misuse = 1;
        return;
    }
    int had = w->count[w->depth], object = w->is_object[w->depth];
    w->depth--;
    if (had)
        newline(w, w->depth);
    fputc(object ? '}' : ']', w->out);
}

void pr_json_key(pr_json *w, const char *key)
{
    if (w->misuse)
        return;
    if (w->depth == 0 || !w->is_object[w->depth] || w->after_key || !key) {
        w->misuse = 1;
        return;
    }
    if (w->count[w->depth])
        fputc(',', w->out);
    w->count[w->depth] = 1;
    newline(w, w->depth);
    pr_json_string(w->out, key);
    fputs(w->indent ? ": " : ":", w->out);
    w->after_key = 1;
}

void pr_json_str(pr_json *w, const char *s)
{
    if (before_value(w))
        pr_json_string(w->out, s);
}

void pr_json_num(pr_json *w, double v)
{
    if (before_value(w))
        pr_json_number(w->out, v);
}

void pr_json_num_exact(pr_json *w, double v)
{
    if (!before_value(w))
        return;
    if (isfinite(v))
        fprintf(w->out, "%.17g", v);
    else
        fputs("null", w->out);
}

void pr_json_int(pr_json *w, long long v)
{
    if (before_value(w))
        fprintf(w->out, "%lld", v);
}

void pr_json_bool(pr_json *w, int v)
{
    if (before_value(w))
        fputs(v ? "true" : "false", w->out);
}

void pr_json_null(pr_json *w)
{
    if (before_value(w))
        fputs("null", w->out);
}

void pr_json_kv_str(pr_json *w, const char *key, const char *s)
{
    pr_json_key(w, key);
    pr_json_str(w, s);
}

void pr_json_kv_num(pr_json *w, const char *key, double v)
{
    pr_json_key(w, key);
    pr_json_num(w, v);
}

void pr_json_kv_int(pr_json *w, const char *key, long long v)
{
    pr_json_key(w, key);
    pr_json_int(w, v);
}

void pr_json_kv_bool(pr_json *w, const char *key, int v)
{
    pr_json_key(w, key);
    pr_json_bool(w, v);
}

pr_status pr_json_finish(pr_json *w)
{
    if (w->misuse || w->depth != 0 || w->after_key)
        return pr_set_error(PR_ERR_ARG, "JSON writer: unbalanced or misordered output");
    fputc('\n', w->out);
    if (fflush(w->out) != 0 || ferror(w->out))
        return pr_set_error(PR_ERR_IO, "JSON output: write failed");
    return PR_OK;
}

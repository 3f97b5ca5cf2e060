/* The streaming JSON writer (see json.h). Each level remembers whether it holds anything yet, so
 * the separator logic lives in one place (before_value) instead of in every caller's printf. */
#include "core/json.h"

#include <math.h>

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
            if (*p < 0x20)
                fprintf(out, "\\u%04x", *p);
            else
                fputc(*p, out);
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

/* Minimal XML pull scanner (see xml_internal.h). Written for hostile input: every read is bounds
 * checked against end, strings are decoded into a scratch buffer sized from the input (Latin-1
 * doubles at most), nesting depth is capped, and the scanner checks end tags match. */
#include "datasets/xml_internal.h"

#include "core/alloc.h"
#include "datasets/text_internal.h"

#include <string.h>

typedef struct xml_stack {
    size_t off[PR_XML_MAX_DEPTH];
    pr_strbuf names;
} xml_stack;

/* The stack lives after the scratch buffer bookkeeping; kept out of the public struct by
 * allocating it on init. */
typedef struct xml_private {
    xml_stack stack;
} xml_private;

static xml_private *priv(pr_xml_scanner *x)
{
    return (xml_private *)(void *)(x->scratch + x->scratch_cap);
}

static int is_name_char(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == ':' || c == '-' || c == '.' || c >= 0x80;
}

static int is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static pr_status fail(pr_xml_scanner *x, const char *what)
{
    return pr_set_error(PR_ERR_FORMAT, "%s:%d: %s", x->name, x->line, what);
}

pr_status pr_xml_init(pr_xml_scanner *x, const char *data, size_t size, const char *name)
{
    memset(x, 0, sizeof *x);
    x->start = x->p = data ? data : "";
    x->end = x->p + (data ? size : 0);
    x->name = name ? name : "(xml)";
    x->line = 1;
    if (size > ((size_t)1 << 40))
        return pr_set_error(PR_ERR_LIMIT, "%s: XML too large", x->name);
    x->scratch_cap = 2 * size + 64;
    /* Scratch and the private tag stack in one allocation (stack aligned after the scratch). */
    x->scratch_cap = (x->scratch_cap + 15) & ~(size_t)15;
    x->scratch = pr_malloc(x->scratch_cap + sizeof(xml_private));
    if (!x->scratch)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    memset(priv(x), 0, sizeof(xml_private));
    /* Skip a UTF-8 BOM; find the declared encoding. */
    if (size >= 3 && (unsigned char)x->p[0] == 0xEF && (unsigned char)x->p[1] == 0xBB &&
        (unsigned char)x->p[2] == 0xBF)
        x->p += 3;
    if (x->end - x->p > 5 && memcmp(x->p, "<?xml", 5) == 0) {
        const char *q = x->p;
        while (q < x->end && *q != '>')
            q++;
        for (const char *s = x->p; s + 10 <= q; s++) {
            if (memcmp(s, "ISO-8859-1", 10) == 0 || memcmp(s, "iso-8859-1", 10) == 0 ||
                (s + 6 <= q && (memcmp(s, "latin1", 6) == 0 || memcmp(s, "LATIN1", 6) == 0))) {
                x->latin1 = 1;
                break;
            }
        }
    }
    return PR_OK;
}

void pr_xml_free(pr_xml_scanner *x)
{
    if (x->scratch)
        pr_strbuf_free(&priv(x)->stack.names);
    pr_free(x->scratch);
    x->scratch = NULL;
}

static void put_utf8(pr_xml_scanner *x, unsigned cp)
{
    char *o = x->scratch + x->scratch_len;
    if (cp < 0x80) {
        o[0] = (char)cp;
        x->scratch_len += 1;
    } else if (cp < 0x800) {
        o[0] = (char)(0xC0 | (cp >> 6));
        o[1] = (char)(0x80 | (cp & 0x3F));
        x->scratch_len += 2;
    } else if (cp < 0x10000) {
        o[0] = (char)(0xE0 | (cp >> 12));
        o[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[2] = (char)(0x80 | (cp & 0x3F));
        x->scratch_len += 3;
    } else {
        o[0] = (char)(0xF0 | (cp >> 18));
        o[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        o[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        o[3] = (char)(0x80 | (cp & 0x3F));
        x->scratch_len += 4;
    }
}

/* Decodes raw[0..n) (entities, Latin-1) into scratch; returns the start or NULL (error set).
 * Space: an entity is >= 3 raw bytes and decodes to <= 4 bytes, but "&#1;"-style references
 * (4 bytes) give at most 4, and Latin-1 bytes double; 2 * input bounds all cases. */
static const char *decode(pr_xml_scanner *x, const char *raw, size_t n)
{
    size_t start = x->scratch_len;
    if (x->scratch_len + 2 * n + 1 > x->scratch_cap) {
        fail(x, "internal: XML scratch exhausted");
        return NULL;
    }
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)raw[i];
        if (c == '&') {
            const char *semi = memchr(raw + i, ';', n - i < 12 ? n - i : 12);
            if (!semi) {
                fail(x, "bad entity reference");
                return NULL;
            }
            const char *e = raw + i + 1;
            size_t en = (size_t)(semi - e);
            unsigned cp = 0;
            if (en == 3 && memcmp(e, "amp", 3) == 0) cp = '&';
            else if (en == 2 && memcmp(e, "lt", 2) == 0) cp = '<';
            else if (en == 2 && memcmp(e, "gt", 2) == 0) cp = '>';
            else if (en == 4 && memcmp(e, "quot", 4) == 0) cp = '"';
            else if (en == 4 && memcmp(e, "apos", 4) == 0) cp = '\'';
            else if (en >= 2 && e[0] == '#') {
                int hex = e[1] == 'x' || e[1] == 'X';
                size_t k = hex ? 2 : 1;
                if (k >= en) {
                    fail(x, "bad character reference");
                    return NULL;
                }
                for (; k < en; k++) {
                    unsigned char d = (unsigned char)e[k];
                    unsigned v;
                    if (d >= '0' && d <= '9') v = d - '0';
                    else if (hex && d >= 'a' && d <= 'f') v = d - 'a' + 10;
                    else if (hex && d >= 'A' && d <= 'F') v = d - 'A' + 10;
                    else {
                        fail(x, "bad character reference");
                        return NULL;
                    }
                    cp = cp * (hex ? 16 : 10) + v;
                    if (cp > 0x10FFFF) {
                        fail(x, "character reference out of range");
                        return NULL;
                    }
                }
                if (cp == 0 || (cp >= 0xD800 && cp <= 0xDFFF)) {
                    fail(x, "character reference out of range");
                    return NULL;
                }
            } else {
                fail(x, "unknown entity");
                return NULL;
            }
            put_utf8(x, cp);
            i += en + 2;
        } else if (c >= 0x80 && x->latin1) {
            put_utf8(x, c);
            i++;
        } else {
            x->scratch[x->scratch_len++] = (char)c;
            i++;
        }
    }
    x->scratch[x->scratch_len++] = '\0';
    const char *s = x->scratch + start;
    if (!pr_text_utf8_valid(s, x->scratch_len - 1 - start)) {
        fail(x, "text is not valid UTF-8");
        return NULL;
    }
    return s;
}

static void count_lines(pr_xml_scanner *x, const char *from, const char *to)
{
    for (const char *s = from; s < to; s++)
        if (*s == '\n')
            x->line++;
}

/* Skips to just after the first occurrence of the marker; error when absent. */
static pr_status skip_past(pr_xml_scanner *x, const char *marker, const char *what)
{
    size_t m = strlen(marker);
    const char *s = x->p;
    while (s + m <= x->end && memcmp(s, marker, m) != 0)
        s++;
    if (s + m > x->end)
        return fail(x, what);
    count_lines(x, x->p, s + m);
    x->p = s + m;
    return PR_OK;
}

pr_status pr_xml_next(pr_xml_scanner *x, pr_xml_token *t)
{
    memset(t, 0, sizeof *t);
    x->scratch_len = 0;
    xml_stack *stk = &priv(x)->stack;
    for (;;) {
        t->line = x->line;
        if (x->p >= x->end) {
            if (x->depth > 0)
                return fail(x, "unexpected end of file inside an element");
            t->kind = PR_XML_EOF;
            return PR_OK;
        }
        if (*x->p != '<') {
            const char *s = x->p;
            while (x->p < x->end && *x->p != '<')
                x->p++;
            if (memchr(s, '\0', (size_t)(x->p - s)))
                return fail(x, "NUL byte in XML");
            count_lines(x, s, x->p);
            t->kind = PR_XML_TEXT;
            t->text = decode(x, s, (size_t)(x->p - s));
            return t->text ? PR_OK : PR_ERR_FORMAT;
        }
        size_t left = (size_t)(x->end - x->p);
        pr_status st;
        if (left >= 4 && memcmp(x->p, "<!--", 4) == 0) {
            x->p += 4;
            if ((st = skip_past(x, "-->", "unterminated comment")))
                return st;
            continue;
        }
        if (left >= 9 && memcmp(x->p, "<![CDATA[", 9) == 0) {
            const char *s = x->p + 9;
            x->p = s;
            if ((st = skip_past(x, "]]>", "unterminated CDATA")))
                return st;
            size_t n = (size_t)(x->p - 3 - s);
            if (x->scratch_len + 2 * n + 1 > x->scratch_cap || memchr(s, '\0', n))
                return fail(x, "bad CDATA");
            memcpy(x->scratch, s, n);
            x->scratch[n] = '\0';
            if (!pr_text_utf8_valid(x->scratch, n))
                return fail(x, "CDATA is not valid UTF-8");
            t->kind = PR_XML_TEXT;
            t->text = x->scratch;
            return PR_OK;
        }
        if (left >= 2 && (x->p[1] == '?' || x->p[1] == '!')) {
            const char *marker = x->p[1] == '?' ? "?>" : ">";
            x->p += 2;
            if ((st = skip_past(x, marker, "unterminated declaration")))
                return st;
            continue;
        }
        /* A tag. */
        const char *s = x->p + 1;
        int closing = 0;
        if (s < x->end && *s == '/') {
            closing = 1;
            s++;
        }
        const char *ns = s;
        while (s < x->end && is_name_char((unsigned char)*s))
            s++;
        if (s == ns)
            return fail(x, "bad tag name");
        const char *tag = decode(x, ns, (size_t)(s - ns));
        if (!tag)
            return PR_ERR_FORMAT;
        t->name = tag;
        if (closing) {
            while (s < x->end && is_space(*s)) {
                if (*s == '\n')
                    x->line++;
                s++;
            }
            if (s >= x->end || *s != '>')
                return fail(x, "bad end tag");
            x->p = s + 1;
            if (x->depth == 0)
                return fail(x, "end tag without a start tag");
            x->depth--;
            if (strcmp(stk->names.data + stk->off[x->depth], tag) != 0)
                return fail(x, "end tag does not match the start tag");
            stk->names.len = stk->off[x->depth];
            t->kind = PR_XML_END;
            return PR_OK;
        }
        for (;;) {
            while (s < x->end && is_space(*s)) {
                if (*s == '\n')
                    x->line++;
                s++;
            }
            if (s >= x->end)
                return fail(x, "unterminated tag");
            if (*s == '>') {
                s++;
                break;
            }
            if (*s == '/') {
                if (s + 1 >= x->end || s[1] != '>')
                    return fail(x, "bad '/' in tag");
                t->self_closing = 1;
                s += 2;
                break;
            }
            const char *an = s;
            while (s < x->end && is_name_char((unsigned char)*s))
                s++;
            if (s == an)
                return fail(x, "bad attribute name");
            const char *an_end = s;
            while (s < x->end && is_space(*s))
                s++;
            if (s >= x->end || *s != '=')
                return fail(x, "attribute without '='");
            s++;
            while (s < x->end && is_space(*s))
                s++;
            if (s >= x->end || (*s != '"' && *s != '\''))
                return fail(x, "attribute value not quoted");
            char q = *s++;
            const char *av = s;
            while (s < x->end && *s != q && *s != '<')
                s++;
            if (s >= x->end || *s != q)
                return fail(x, "unterminated attribute value");
            if (t->nattrs == PR_XML_MAX_ATTRS)
                return fail(x, "too many attributes");
            if (memchr(av, '\0', (size_t)(s - av)))
                return fail(x, "NUL byte in XML");
            count_lines(x, av, s);
            const char *aname = decode(x, an, (size_t)(an_end - an));
            const char *aval = aname ? decode(x, av, (size_t)(s - av)) : NULL;
            if (!aval)
                return PR_ERR_FORMAT;
            t->attr_name[t->nattrs] = aname;
            t->attr_value[t->nattrs] = aval;
            t->nattrs++;
            s++;
        }
        x->p = s;
        if (!t->self_closing) {
            if (x->depth == PR_XML_MAX_DEPTH)
                return fail(x, "elements nested too deeply");
            stk->off[x->depth] = stk->names.len;
            pr_strbuf_append(&stk->names, tag, strlen(tag) + 1);
            if (stk->names.failed)
                return pr_set_error(PR_ERR_NOMEM, "out of memory");
            x->depth++;
        }
        t->kind = PR_XML_START;
        return PR_OK;
    }
}

const char *pr_xml_attr(const pr_xml_token *t, const char *name)
{
    for (int i = 0; i < t->nattrs; i++)
        if (strcmp(t->attr_name[i], name) == 0)
            return t->attr_value[i];
    return NULL;
}

void pr_xml_escape(struct pr_strbuf *b, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '&': pr_strbuf_puts(b, "&amp;"); break;
        case '<': pr_strbuf_puts(b, "&lt;"); break;
        case '>': pr_strbuf_puts(b, "&gt;"); break;
        case '"': pr_strbuf_puts(b, "&quot;"); break;
        case '\'': pr_strbuf_puts(b, "&apos;"); break;
        default: pr_strbuf_append(b, s, 1);
        }
    }
}

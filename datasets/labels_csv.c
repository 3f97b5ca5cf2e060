/* CSV face labels: image,x,y,w,h[,person[,extra...]] with pixel boxes (top-left origin), '#'
 * comment lines, and an optional header line starting with "image,". With a header, columns are
 * found by name (image, x, y, w, h, person, score; every other column is kept verbatim, comma-
 * joined, in `extra`, and its name in extra_names), so dlib_faces/boxes.csv's "split" column is
 * not mistaken for a name. Fields follow RFC 4180 quoting within one line. */
#include "core/alloc.h"
#include "core/csv.h"
#include "datasets/face_labels.h"
#include "datasets/labels_internal.h"
#include "datasets/text_internal.h"

#include <stdio.h>
#include <string.h>

enum { MAX_COLS = 64 };

typedef struct field {
    const char *s; /* points into the line, or into the unquote buffer */
    size_t n;
} field;

/* Splits one line into fields. Quoted fields are unescaped into buf (size >= line length).
 * Returns the field count, or -1 with PR_ERR_FORMAT set. */
static int split_csv(const char *line, size_t len, field *f, char *buf, const char *name,
                     int lineno)
{
    int nf = 0;
    size_t i = 0, bi = 0;
    for (;;) {
        if (nf == MAX_COLS) {
            pr_set_error(PR_ERR_FORMAT, "%s:%d: more than %d columns", name, lineno, MAX_COLS);
            return -1;
        }
        while (i < len && (line[i] == ' ' || line[i] == '\t'))
            i++;
        if (i < len && line[i] == '"') {
            size_t start = bi;
            i++;
            for (;;) {
                if (i >= len) {
                    pr_set_error(PR_ERR_FORMAT, "%s:%d: unterminated quoted field", name, lineno);
                    return -1;
                }
                if (line[i] == '"') {
                    if (i + 1 < len && line[i + 1] == '"') {
                        buf[bi++] = '"';
                        i += 2;
                        continue;
                    }
                    i++;
                    break;
                }
                buf[bi++] = line[i++];
            }
            while (i < len && (line[i] == ' ' || line[i] == '\t'))
                i++;
            if (i < len && line[i] != ',') {
                pr_set_error(PR_ERR_FORMAT, "%s:%d: text after a closing quote", name, lineno);
                return -1;
            }
            f[nf].s = buf + start;
            f[nf].n = bi - start;
        } else {
            size_t start = i;
            while (i < len && line[i] != ',')
                i++;
            f[nf].s = line + start;
            f[nf].n = i - start;
            pr_text_trim(&f[nf].s, &f[nf].n);
            if (memchr(f[nf].s, '"', f[nf].n)) {
                pr_set_error(PR_ERR_FORMAT, "%s:%d: stray quote in a field", name, lineno);
                return -1;
            }
        }
        nf++;
        if (i >= len)
            return nf;
        i++; /* the comma */
    }
}

static int field_is(const field *f, const char *s)
{
    return f->n == strlen(s) && memcmp(f->s, s, f->n) == 0;
}

pr_status pr_face_labels_parse_csv(const char *data, size_t size, const char *name,
                                   const char *base_dir, pr_face_labels **out)
{
    if (!out || (!data && size))
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_parse_csv: bad argument");
    *out = NULL;
    if (!name)
        name = "(csv)";
    pr_face_labels *set = NULL;
    char *buf = NULL, *image = NULL, *person = NULL;
    pr_strbuf extra = {0}, extra_names = {0};
    pr_status st = pr_face_labels_new(base_dir, &set);
    if (st != PR_OK)
        return st;
    buf = pr_malloc(PR_TEXT_MAX_LINE + 1);
    if (!buf) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    /* Column index of each known field; default layout when there is no header. */
    int col_image = 0, col_x = 1, col_y = 2, col_w = 3, col_h = 4, col_person = 5, col_score = -1;
    int is_extra[MAX_COLS];
    for (int c = 0; c < MAX_COLS; c++)
        is_extra[c] = c > 5;
    int seen_data = 0, seen_header = 0;
    pr_line_reader r;
    pr_line_reader_init(&r, data ? data : "", size, name);
    const char *line;
    size_t len;
    int got;
    field f[MAX_COLS];
    while ((got = pr_line_next(&r, &line, &len)) == 1) {
        const char *t = line;
        size_t tn = len;
        pr_text_trim(&t, &tn);
        if (tn == 0 || t[0] == '#')
            continue;
        int nf = split_csv(line, len, f, buf, name, r.line);
        if (nf < 0) {
            st = PR_ERR_FORMAT;
            goto fail;
        }
        if (!seen_data && !seen_header && field_is(&f[0], "image")) {
            seen_header = 1;
            col_image = col_x = col_y = col_w = col_h = col_person = col_score = -1;
            for (int c = 0; c < nf; c++) {
                is_extra[c] = 0;
                if (field_is(&f[c], "image") && col_image < 0)
                    col_image = c;
                else if (field_is(&f[c], "x") && col_x < 0)
                    col_x = c;
                else if (field_is(&f[c], "y") && col_y < 0)
                    col_y = c;
                else if (field_is(&f[c], "w") && col_w < 0)
                    col_w = c;
                else if (field_is(&f[c], "h") && col_h < 0)
                    col_h = c;
                else if (field_is(&f[c], "person") && col_person < 0)
                    col_person = c;
                else if (field_is(&f[c], "score") && col_score < 0)
                    col_score = c;
                else {
                    if ((st = pr_labels_check_field(f[c].s, f[c].n, name, r.line, "column name")))
                        goto fail;
                    is_extra[c] = 1;
                    if (extra_names.len)
                        pr_strbuf_puts(&extra_names, ",");
                    pr_strbuf_append(&extra_names, f[c].s, f[c].n);
                }
            }
            for (int c = nf; c < MAX_COLS; c++)
                is_extra[c] = 0;
            if (col_x < 0 || col_y < 0 || col_w < 0 || col_h < 0) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: header lacks one of x, y, w, h", name,
                                  r.line);
                goto fail;
            }
            if (extra_names.failed) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                goto fail;
            }
            continue;
        }
        seen_data = 1;
        int need = col_h;
        if (col_x > need) need = col_x;
        if (col_y > need) need = col_y;
        if (col_w > need) need = col_w;
        if (nf <= need) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:%d: %d fields, expected at least %d", name,
                              r.line, nf, need + 1);
            goto fail;
        }
        double v[4];
        const int cols[4] = {col_x, col_y, col_w, col_h};
        static const char *const what[4] = {"x", "y", "w", "h"};
        for (int k = 0; k < 4; k++) {
            if (!pr_text_parse_double(f[cols[k]].s, f[cols[k]].n, &v[k])) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: %s is not a number", name, r.line,
                                  what[k]);
                goto fail;
            }
        }
        pr_box box = {v[0], v[1], v[2], v[3]};
        if ((st = pr_labels_check_box(box, name, r.line)))
            goto fail;
        double score = 0;
        if (col_score >= 0 && col_score < nf && f[col_score].n &&
            !pr_text_parse_double(f[col_score].s, f[col_score].n, &score)) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:%d: score is not a number", name, r.line);
            goto fail;
        }
        if (col_image < 0 || col_image >= nf || f[col_image].n == 0) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:%d: empty image path", name, r.line);
            goto fail;
        }
        if ((st = pr_labels_check_field(f[col_image].s, f[col_image].n, name, r.line, "image")))
            goto fail;
        image = pr_text_strndup(f[col_image].s, f[col_image].n);
        if (col_person >= 0 && col_person < nf && f[col_person].n) {
            if ((st = pr_labels_check_field(f[col_person].s, f[col_person].n, name, r.line,
                                            "person")))
                goto fail;
            person = pr_text_strndup(f[col_person].s, f[col_person].n);
        }
        extra.len = 0;
        int extra_count = 0;
        for (int c = 0; c < nf; c++) {
            if (!is_extra[c])
                continue;
            if ((st = pr_labels_check_field(f[c].s, f[c].n, name, r.line, "column")))
                goto fail;
            if (extra_count++)
                pr_strbuf_puts(&extra, ",");
            pr_strbuf_append(&extra, f[c].s, f[c].n);
        }
        if (!image || (col_person >= 0 && col_person < nf && f[col_person].n && !person) ||
            extra.failed) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto fail;
        }
        st = pr_face_labels_add(set, image, box, person, extra_count ? extra.data : NULL, score);
        if (st != PR_OK)
            goto fail;
        pr_free(image);
        pr_free(person);
        image = person = NULL;
    }
    if (got < 0) {
        st = PR_ERR_FORMAT;
        goto fail;
    }
    if (extra_names.len && (st = pr_face_labels_set_extra_names(set, extra_names.data)))
        goto fail;
    pr_free(buf);
    pr_strbuf_free(&extra);
    pr_strbuf_free(&extra_names);
    *out = set;
    return PR_OK;
fail:
    pr_free(buf);
    pr_free(image);
    pr_free(person);
    pr_strbuf_free(&extra);
    pr_strbuf_free(&extra_names);
    pr_face_labels_delete(set);
    return st;
}

/* Writes the comma-joined pieces of s as separate fields (extra columns are kept joined as read;
 * each piece is quoted again when it needs it). */
static void put_joined(pr_csv *w, const char *s)
{
    for (;;) {
        const char *c = strchr(s, ',');
        size_t n = c ? (size_t)(c - s) : strlen(s);
        char piece[PR_TEXT_MAX_FIELD + 1];
        if (n > PR_TEXT_MAX_FIELD)
            n = PR_TEXT_MAX_FIELD;
        memcpy(piece, s, n);
        piece[n] = '\0';
        pr_csv_field(w, piece);
        if (!c)
            break;
        s = c + 1;
    }
}

pr_status pr_face_labels_save_csv(const pr_face_labels *set, const char *path)
{
    if (!set || !path)
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_save_csv: bad argument");
    int has_score = 0, has_extra = set->extra_names != NULL;
    for (size_t i = 0; i < set->count; i++) {
        has_score |= set->items[i].score != 0;
        has_extra |= set->items[i].extra != NULL;
    }
    pr_strbuf b = {0};
    pr_csv w = pr_csv_to_buf(&b);
    static const char *const header[] = {"image", "x", "y", "w", "h", "person"};
    for (int k = 0; k < 6; k++)
        pr_csv_field(&w, header[k]);
    if (has_score)
        pr_csv_field(&w, "score");
    if (has_extra)
        put_joined(&w, set->extra_names ? set->extra_names : "extra");
    pr_csv_end_row(&w);
    for (size_t i = 0; i < set->count; i++) {
        const pr_face_label *l = &set->items[i];
        pr_csv_field(&w, l->image);
        pr_csv_double(&w, l->box.x);
        pr_csv_double(&w, l->box.y);
        pr_csv_double(&w, l->box.w);
        pr_csv_double(&w, l->box.h);
        pr_csv_field(&w, l->person);
        if (has_score)
            pr_csv_double(&w, l->score);
        if (has_extra && l->extra)
            put_joined(&w, l->extra);
        pr_csv_end_row(&w);
    }
    pr_status st = pr_csv_status(&w);
    if (st == PR_OK)
        st = pr_file_write_atomic(path, pr_strbuf_str(&b), b.len);
    pr_strbuf_free(&b);
    return st;
}

/* The HTML sheet of a labelled album: one self-contained page, one row per person (most faces
 * first, the "person_*" clusters nobody named after the named people, singletons last), each face
 * a small JPEG thumbnail embedded as a data: URI and linked to its photo (a relative link when the
 * report sits in the album, else an absolute file path). Faces are read from the store in path
 * order, so every photo is decoded once. */
#define _XOPEN_SOURCE 700
#define _POSIX_C_SOURCE 200809L
#include "pipeline/album_internal.h"

#include "core/alloc.h"
#include "core/fileio.h"
#include "core/image.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

enum { THUMB = 96 };

typedef struct entry {
    char *person; /* owned; "" = unassigned */
    char *path;   /* owned */
    int64_t face_id;
    char *thumb;  /* base64 JPEG or NULL; owned */
} entry;

typedef struct report_ctx {
    const char *album;
    entry *items;
    size_t n, cap;
    char *cur_path;
    pr_image *cur;
    pr_status st;
} report_ctx;

static char *base64(const uint8_t *b, size_t n)
{
    static const char tbl[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    char *out = pr_malloc((n + 2) / 3 * 4 + 1), *o = out;
    if (!out)
        return NULL;
    for (size_t i = 0; i < n; i += 3) {
        unsigned v = (unsigned)b[i] << 16 | (i + 1 < n ? (unsigned)b[i + 1] << 8 : 0) |
                     (i + 2 < n ? b[i + 2] : 0);
        *o++ = tbl[v >> 18 & 63];
        *o++ = tbl[v >> 12 & 63];
        *o++ = i + 1 < n ? tbl[v >> 6 & 63] : '=';
        *o++ = i + 2 < n ? tbl[v & 63] : '=';
    }
    *o = '\0';
    return out;
}

/* Thumbnail of the face with a margin; NULL when the photo cannot be read (the row still shows). */
static char *thumbnail(const pr_image *img, pr_box box)
{
    double m = 0.15 * box.w;
    pr_box b = pr_box_clip((pr_box){box.x - m, box.y - m, box.w + 2 * m, box.h + 2 * m},
                           img->width, img->height);
    if (b.w < 1 || b.h < 1)
        return NULL;
    pr_image *crop = NULL, *small = NULL;
    uint8_t *jpg = NULL;
    size_t size = 0;
    char *out = NULL;
    if (pr_image_crop(img, (int)b.x, (int)b.y, (int)b.w, (int)b.h, &crop) == PR_OK &&
        pr_image_resize(crop, THUMB, (int)(THUMB * b.h / b.w + 0.5) > 0
                                         ? (int)(THUMB * b.h / b.w + 0.5) : 1, &small) == PR_OK &&
        pr_image_encode_jpeg(small, 80, &jpg, &size) == PR_OK)
        out = base64(jpg, size);
    pr_free(jpg);
    pr_image_delete(small);
    pr_image_delete(crop);
    return out;
}

static int add_face(void *vctx, const pr_store_face_row *r)
{
    report_ctx *c = vctx;
    if (pr_album_is_known(r->path))
        return 0;
    if (!c->cur_path || strcmp(c->cur_path, r->path) != 0) {
        pr_image_delete(c->cur);
        c->cur = NULL;
        pr_free(c->cur_path);
        c->cur_path = pr_strdup(r->path);
        char *full = pr_album_join(c->album, r->path);
        if (!c->cur_path || !full) {
            pr_free(full);
            goto nomem;
        }
        if (pr_image_load(full, NULL, &c->cur, NULL) != PR_OK)
            c->cur = NULL; /* gone or unreadable since the run: no thumbnail */
        pr_free(full);
    }
    entry *grown = pr_album_grow(c->items, &c->cap, c->n, sizeof *grown);
    if (!grown)
        goto nomem;
    c->items = grown;
    entry *e = &c->items[c->n++];
    e->person = pr_strdup(r->person ? r->person : "");
    e->path = pr_strdup(r->path);
    e->face_id = r->face_id;
    e->thumb = c->cur ? thumbnail(c->cur, r->box) : NULL;
    if (!e->person || !e->path)
        goto nomem;
    return 0;
nomem:
    c->st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    return 1;
}

typedef struct group {
    const char *person;
    size_t first, count;
    int rank; /* 0 named, 1 unnamed cluster, 2 singleton / unassigned */
} group;

static int by_person(const void *pa, const void *pb)
{
    const entry *a = pa, *b = pb;
    int d = strcmp(a->person, b->person);
    return d ? d : (a->face_id > b->face_id) - (a->face_id < b->face_id);
}

static int by_group(const void *pa, const void *pb)
{
    const group *a = pa, *b = pb;
    if (a->rank != b->rank)
        return a->rank - b->rank;
    if (a->count != b->count)
        return a->count > b->count ? -1 : 1;
    return strcmp(a->person, b->person);
}

static void put_html(FILE *f, const char *s)
{
    for (; *s; s++) {
        switch (*s) {
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '&': fputs("&amp;", f); break;
        case '"': fputs("&quot;", f); break;
        default: fputc(*s, f);
        }
    }
}

/* A href for a photo: percent-encoded path (unreserved characters and '/' kept). */
static void put_href(FILE *f, const char *prefix, const char *path)
{
    for (const char *s = prefix; s && *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            strchr("-_.~/", ch))
            fputc(ch, f);
        else
            fprintf(f, "%%%02X", ch);
    }
    for (const char *s = path; *s; s++) {
        unsigned char ch = (unsigned char)*s;
        if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') ||
            strchr("-_.~/", ch))
            fputc(ch, f);
        else
            fprintf(f, "%%%02X", ch);
    }
}

typedef struct page {
    const char *album;
    const char *abs_album; /* NULL when realpath failed: relative links */
    const report_ctx *c;
    const group *groups;
    size_t ngroups;
} page;

static pr_status write_page(FILE *f, const void *ctx, const char *name)
{
    const page *pg = ctx;
    fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>personrec: ", f);
    put_html(f, pg->album);
    fputs("</title>\n<style>body{font-family:sans-serif;margin:1em}"
          ".person{border-bottom:1px solid #ccc;padding:.5em 0}"
          ".person h2{font-size:1.1em;margin:.2em 0}"
          ".person img{height:96px;margin:2px;border-radius:4px}"
          ".face{display:inline-block;text-align:center;font-size:.7em;color:#666}"
          "</style></head><body>\n<h1>People in ",
          f);
    put_html(f, pg->album);
    fprintf(f, "</h1>\n<p>%zu faces, %zu rows</p>\n", pg->c->n, pg->ngroups);
    for (size_t g = 0; g < pg->ngroups; g++) {
        const group *gr = &pg->groups[g];
        fputs("<div class=\"person\" data-person=\"", f);
        put_html(f, gr->person);
        fputs("\"><h2>", f);
        put_html(f, gr->person[0] ? gr->person : "(unassigned)");
        fprintf(f, " <small>(%zu)</small></h2>\n", gr->count);
        for (size_t i = gr->first; i < gr->first + gr->count; i++) {
            const entry *e = &pg->c->items[i];
            fputs("<a class=\"face\" href=\"", f);
            if (pg->abs_album) {
                fputs("file://", f);
                put_href(f, pg->abs_album, "/");
            }
            put_href(f, NULL, e->path);
            fprintf(f, "\" title=\"face %lld: ", (long long)e->face_id);
            put_html(f, e->path);
            fputs("\">", f);
            if (e->thumb)
                fprintf(f, "<img alt=\"face %lld\" src=\"data:image/jpeg;base64,%s\">",
                        (long long)e->face_id, e->thumb);
            else
                fprintf(f, "[face %lld]", (long long)e->face_id);
            fprintf(f, "<br>%lld</a>\n", (long long)e->face_id);
        }
        fputs("</div>\n", f);
    }
    fputs("</body></html>\n", f);
    return ferror(f) ? pr_set_error(PR_ERR_IO, "%s: write error", name) : PR_OK;
}

/* --report names the page to write. A file there that is not an HTML page is someone's data
 * (the album store after a tab completion of ALBUM/.personrec/, a photo, people.csv): it was
 * replaced by the page, and a store with it every name a person gave. Refused, never replaced;
 * an earlier report, an empty file or a folder (the writer names that) go on as before. */
static pr_status check_target(const char *path)
{
    char head[64];
    size_t n = pr_file_head(path, head, sizeof head - 1);
    head[n] = '\0';
    const char *p = head;
    if (n >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
        p += 3;
    while (*p == ' ' || *p == '\t' || *p == '\r' || *p == '\n')
        p++;
    if (n == 0 || strncasecmp(p, "<!doctype html", 14) == 0 || strncasecmp(p, "<html", 5) == 0)
        return PR_OK;
    return pr_set_error(PR_ERR_IO,
                        "%s: --report would replace a file that is not an HTML page; it was left "
                        "as it is (name another file for the report)",
                        path);
}

pr_status pr_album_write_report(pr_store *store, const char *album, const char *path)
{
    pr_status target = check_target(path);
    if (target != PR_OK)
        return target;
    report_ctx c;
    memset(&c, 0, sizeof c);
    c.album = album;
    group *groups = NULL;
    size_t ngroups = 0;
    char *abs_album = NULL;
    pr_status st = pr_store_each_face(store, add_face, &c);
    if (st == PR_OK)
        st = c.st;
    if (st != PR_OK)
        goto done;
    if (c.n)
        qsort(c.items, c.n, sizeof *c.items, by_person);
    groups = pr_calloc(c.n ? c.n : 1, sizeof *groups);
    if (!groups) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < c.n;) {
        size_t j = i;
        while (j < c.n && strcmp(c.items[j].person, c.items[i].person) == 0)
            j++;
        group *g = &groups[ngroups++];
        g->person = c.items[i].person;
        g->first = i;
        g->count = j - i;
        g->rank = !g->person[0] || g->count == 1 ? 2 : strncmp(g->person, "person_", 7) == 0;
        i = j;
    }
    qsort(groups, ngroups, sizeof *groups, by_group);
    abs_album = realpath(album, NULL);
    page pg = {album, abs_album, &c, groups, ngroups};
    /* THE atomic writer (core/fileio.h): a kill leaves no half page and no litter that stays. */
    st = pr_file_write_atomic_stream(path, write_page, &pg);
done:
    for (size_t i = 0; i < c.n; i++) {
        pr_free(c.items[i].person);
        pr_free(c.items[i].path);
        pr_free(c.items[i].thumb);
    }
    pr_free(c.items);
    pr_free(c.cur_path);
    pr_image_delete(c.cur);
    pr_free(groups);
    free(abs_album); /* realpath's malloc */
    return st;
}

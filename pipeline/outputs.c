/* Outputs of a labelling run, all from the store (so they can be rewritten without a run):
 * people.csv always; .picasa.ini per folder and XMP sidecars (MWG + MP regions) on request, both
 * through the datasets writers, which merge into existing files (keeping every region and entry
 * another tool or a person made) and write atomically; the HTML report. Photos themselves are
 * never opened for writing. Each output, and each photo's sidecar, is independent of the others. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/album_internal.h"

#include "core/alloc.h"
#include "core/csv.h"
#include "core/fileio.h"
#include "core/strbuf.h"
#include "datasets/face_labels.h"
#include "datasets/picasa.h"
#include "datasets/xmp_regions.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

char *pr_album_join(const char *a, const char *b)
{
    size_t n = strlen(a) + strlen(b) + 2;
    char *s = pr_malloc(n);
    if (s)
        snprintf(s, n, "%s/%s", a, b);
    return s;
}

void *pr_album_grow(void *items, size_t *cap, size_t n, size_t elem)
{
    if (n < *cap)
        return items;
    size_t more = *cap ? *cap * 2 : 64;
    void *grown = pr_realloc(items, more * elem);
    if (grown)
        *cap = more;
    return grown;
}

int pr_album_is_known(const char *path)
{
    return strncmp(path, PR_ALBUM_KNOWN_PREFIX, strlen(PR_ALBUM_KNOWN_PREFIX)) == 0;
}

typedef struct csv_ctx {
    pr_csv w;
    int source; /* 1: the source column */
} csv_ctx;

static int csv_row(void *ctx, const pr_store_face_row *r)
{
    csv_ctx *c = ctx;
    if (pr_album_is_known(r->path))
        return 0;
    pr_csv_field(&c->w, r->path);
    pr_csv_fixed(&c->w, r->box.x, 0);
    pr_csv_fixed(&c->w, r->box.y, 0);
    pr_csv_fixed(&c->w, r->box.w, 0);
    pr_csv_fixed(&c->w, r->box.h, 0);
    pr_csv_field(&c->w, r->person ? r->person : "");
    pr_csv_fixed(&c->w, r->person ? r->confidence : 0.0, 3);
    if (c->source)
        pr_csv_field(&c->w, r->person ? pr_source_name(r->source) : "");
    pr_csv_end_row(&c->w);
    return 0;
}

pr_status pr_album_write_csv(pr_store *store, const char *path, int source_column)
{
    pr_strbuf buf = {0};
    csv_ctx c = {pr_csv_to_buf(&buf), source_column};
    static const char *const head[] = {"image", "x", "y", "w", "h", "person", "confidence",
                                       "source"};
    pr_csv_row(&c.w, head, source_column ? 8 : 7);
    pr_status st = pr_store_each_face(store, csv_row, &c);
    if (st == PR_OK)
        st = pr_csv_status(&c.w);
    /* Built whole, then written atomically: a failed run never leaves a short file. */
    if (st == PR_OK && path)
        st = pr_file_write_atomic(path, pr_strbuf_str(&buf), buf.len);
    else if (st == PR_OK && fwrite(pr_strbuf_str(&buf), 1, buf.len, stdout) != buf.len)
        st = pr_set_error(PR_ERR_IO, "standard output: write error");
    pr_strbuf_free(&buf);
    return st;
}

typedef struct set_ctx {
    pr_face_labels *set;
    pr_status st;
} set_ctx;

static int set_row(void *ctx, const pr_store_face_row *r)
{
    set_ctx *c = ctx;
    if (pr_album_is_known(r->path))
        return 0;
    c->st = pr_face_labels_add(c->set, r->path, r->box, r->person, NULL, r->confidence);
    return c->st != PR_OK;
}

static pr_status build_set(pr_store *store, const char *album, pr_face_labels **out)
{
    set_ctx c = {NULL, PR_OK};
    pr_status st = pr_face_labels_new(album, &c.set);
    if (st != PR_OK)
        return st;
    st = pr_store_each_face(store, set_row, &c);
    if (st == PR_OK)
        st = c.st;
    if (st != PR_OK) {
        pr_face_labels_delete(c.set);
        return st;
    }
    *out = c.set;
    return PR_OK;
}

/* A photo or folder whose sidecar could not be written: named, and the run goes on. */
static void output_problem(void *ctx, const char *message)
{
    (void)ctx;
    pr_report_problem("%s", message);
}

typedef struct dirs_ctx {
    char **items;
    size_t n, cap;
    pr_status st;
} dirs_ctx;

/* Collects the distinct folders (relative to the album) of the stored photos with faces. */
static int dir_row(void *ctx, const pr_store_face_row *r)
{
    dirs_ctx *c = ctx;
    if (pr_album_is_known(r->path))
        return 0;
    const char *slash = strrchr(r->path, '/');
    size_t dl = slash ? (size_t)(slash - r->path) : 0;
    for (size_t i = c->n; i > 0; i--)
        if (strlen(c->items[i - 1]) == dl && strncmp(c->items[i - 1], r->path, dl) == 0)
            return 0;
    char **grown = pr_album_grow(c->items, &c->cap, c->n, sizeof *grown);
    if (grown)
        c->items = grown;
    char *d = grown ? pr_malloc(dl + 1) : NULL;
    if (!d) {
        c->st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        return 1;
    }
    memcpy(d, r->path, dl);
    d[dl] = '\0';
    c->items[c->n++] = d;
    return 0;
}

/* A kill during an earlier run's sidecar write left a temporary file (core/fileio.h): removed from
 * every folder we write into, whatever this run writes. */
static pr_status remove_stale_temps(pr_store *store, const char *album, const char *side_dir,
                                    const char *out_dir)
{
    dirs_ctx c = {NULL, 0, 0, PR_OK};
    pr_status st = pr_store_each_face(store, dir_row, &c);
    if (st == PR_OK)
        st = c.st;
    pr_file_remove_stale_temps(out_dir);
    pr_file_remove_stale_temps(album);
    if (strcmp(side_dir, album) != 0)
        pr_file_remove_stale_temps(side_dir);
    for (size_t i = 0; st == PR_OK && i < c.n; i++) {
        char *a = pr_album_join(album, c.items[i]), *b = pr_album_join(side_dir, c.items[i]);
        if (a)
            pr_file_remove_stale_temps(a);
        if (b && strcmp(side_dir, album) != 0)
            pr_file_remove_stale_temps(b);
        pr_free(a);
        pr_free(b);
    }
    for (size_t i = 0; i < c.n; i++)
        pr_free(c.items[i]);
    pr_free(c.items);
    return st;
}

/* Each output stands alone: one that fails (or one photo's sidecar that fails) never stops the
 * others. Sidecar problems of single photos are named (pr_report_problem: exit status 1 at the
 * end); a whole output that cannot be written is named too, and the first such error is
 * returned after all the others were written. */
pr_status pr_album_outputs(const pr_album_params *params, pr_store *store, const char *out_dir)
{
    pr_face_labels *set = NULL;
    pr_status first = PR_OK, st;
    char first_msg[1024] = "";
#define KEEP_FIRST(expr)                                                                        \
    do {                                                                                        \
        pr_status s_ = (expr);                                                                  \
        if (s_ != PR_OK && first == PR_OK) {                                                    \
            first = s_;                                                                         \
            snprintf(first_msg, sizeof first_msg, "%s", pr_last_error());                       \
        } else if (s_ != PR_OK) {                                                               \
            pr_report_problem("%s", pr_last_error());                                           \
        }                                                                                       \
    } while (0)
    char *csv = pr_album_join(out_dir, "people.csv");
    if (!csv)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    /* Sidecars go next to the photos unless the album is read-only and --out says elsewhere. */
    const char *side_dir = params->out ? params->out : params->album;
    /* --out may name a folder that does not exist yet (the store lives elsewhere). */
    st = pr_mkdir_p(out_dir);
    KEEP_FIRST(st);
    if (st == PR_OK)
        KEEP_FIRST(remove_stale_temps(store, params->album, side_dir, out_dir));
    if (st == PR_OK)
        KEEP_FIRST(pr_album_write_csv(store, csv, 1));
    st = PR_OK;
    if (params->write_picasa || params->write_xmp) {
        st = build_set(store, params->album, &set);
        KEEP_FIRST(st);
    }
    if (st == PR_OK && params->write_picasa) {
        pr_picasa_save_params pp = pr_picasa_save_params_default();
        pp.image_dir = params->album;
        pp.write_contacts_xml = 0; /* names travel in each file's [Contacts2] */
        pp.problem = output_problem;
        KEEP_FIRST(pr_picasa_save(set, side_dir, &pp));
    }
    if (st == PR_OK && params->write_xmp) {
        if (!pr_xmp_available()) {
            KEEP_FIRST(pr_set_error(PR_ERR_UNSUPPORTED, "--write-xmp: this build has no exempi"));
        } else {
            pr_xmp_save_params xp = pr_xmp_save_params_default();
            xp.image_dir = params->album;
            xp.problem = output_problem;
            KEEP_FIRST(pr_xmp_save(set, side_dir, &xp));
        }
    }
    if (params->report)
        KEEP_FIRST(pr_album_write_report(store, params->album, params->report));
#undef KEEP_FIRST
    pr_face_labels_delete(set);
    pr_free(csv);
    if (first != PR_OK)
        pr_set_error(first, "%s", first_msg);
    return first;
}

/* Outputs of a labelling run, all from the store (so they can be rewritten without a run):
 * people.csv always; .picasa.ini per folder and XMP sidecars (MWG + MP regions) on request, both
 * through the datasets writers, which merge into existing files and write atomically; the HTML
 * report. Photos themselves are never opened for writing. */
#define _POSIX_C_SOURCE 200809L
#include "album/album_internal.h"

#include "core/alloc.h"
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

/* CSV field, quoted when it holds a comma, quote or line break (RFC 4180). */
static void put_field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    fputc('"', f);
    for (; *s; s++) {
        if (*s == '"')
            fputc('"', f);
        fputc(*s, f);
    }
    fputc('"', f);
}

int pr_album_is_known(const char *path)
{
    return strncmp(path, PR_ALBUM_KNOWN_PREFIX, strlen(PR_ALBUM_KNOWN_PREFIX)) == 0;
}

static int csv_row(void *ctx, const pr_store_face_row *r)
{
    FILE *f = ctx;
    if (pr_album_is_known(r->path))
        return 0;
    put_field(f, r->path);
    fprintf(f, ",%.0f,%.0f,%.0f,%.0f,", r->box.x, r->box.y, r->box.w, r->box.h);
    put_field(f, r->person ? r->person : "");
    fprintf(f, ",%.3f,%s\n", r->person ? r->confidence : 0.0,
            r->person ? pr_source_name(r->source) : "");
    return 0;
}

pr_status pr_album_write_csv(pr_store *store, const char *path)
{
    size_t len = strlen(path) + 5;
    char *tmp = pr_malloc(len);
    if (!tmp)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    snprintf(tmp, len, "%s.tmp", path);
    pr_status st = PR_OK;
    FILE *f = fopen(tmp, "w");
    if (!f) {
        st = pr_set_error(PR_ERR_IO, "%s: cannot write: %s", tmp, strerror(errno));
        goto done;
    }
    fputs("image,x,y,w,h,person,confidence,source\n", f);
    st = pr_store_each_face(store, csv_row, f);
    int bad = ferror(f); /* a failed write in the middle must not leave a short people.csv */
    if ((fclose(f) != 0 || bad) && st == PR_OK)
        st = pr_set_error(PR_ERR_IO, "%s: write error", tmp);
    if (st == PR_OK && rename(tmp, path) != 0)
        st = pr_set_error(PR_ERR_IO, "%s: cannot rename into place: %s", path, strerror(errno));
    if (st != PR_OK)
        unlink(tmp);
done:
    pr_free(tmp);
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

pr_status pr_album_outputs(const pr_album_params *params, pr_store *store, const char *out_dir)
{
    pr_face_labels *set = NULL;
    char *csv = pr_album_join(out_dir, "people.csv");
    pr_status st = csv ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
    if (st == PR_OK)
        st = pr_album_write_csv(store, csv);
    if (st == PR_OK && (params->write_picasa || params->write_xmp))
        st = build_set(store, params->album, &set);
    /* Sidecars go next to the photos unless the album is read-only and --out says elsewhere. */
    const char *side_dir = params->out ? params->out : params->album;
    if (st == PR_OK && params->write_picasa) {
        pr_picasa_save_params pp = pr_picasa_save_params_default();
        pp.image_dir = params->album;
        pp.write_contacts_xml = 0; /* names travel in each file's [Contacts2] */
        st = pr_picasa_save(set, side_dir, &pp);
    }
    if (st == PR_OK && params->write_xmp) {
        if (!pr_xmp_available()) {
            st = pr_set_error(PR_ERR_UNSUPPORTED, "--write-xmp: this build has no exempi");
        } else {
            pr_xmp_save_params xp = pr_xmp_save_params_default();
            xp.image_dir = params->album;
            st = pr_xmp_save(set, side_dir, &xp);
        }
    }
    if (st == PR_OK && params->report)
        st = pr_album_write_report(store, params->album, params->report);
    pr_face_labels_delete(set);
    pr_free(csv);
    return st;
}

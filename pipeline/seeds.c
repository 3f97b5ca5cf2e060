/* Seeds: names a person already gave, which clustering and naming start from.
 *
 * --known DIR: photos in DIR/<person>/ (the face_recognition convention) are processed like album
 * photos (stored under "@known/<person>/<file>", so a re-run skips them) and their largest face
 * becomes a seed of <person>; their other faces are forgotten (a known photo is about one
 * person). They never appear in the outputs.
 *
 * Existing labels: names in the album's .picasa.ini files and XMP sidecars that match a stored
 * face (IoU >= PR_PEOPLE_SEED_IOU, pipeline/people.h) become seeds, unless the face already
 * carries that name or a manual one, or the name is one we made up ("person_<n>", e.g. our own
 * --write-picasa output read back), so a name typed in Picasa or digiKam wins over clustering.
 * Each file is read on its own and leniently: a damaged sidecar costs its own names only, a bad
 * entry only itself, and each is named on stderr (exit status 1 at the end). */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/album_internal.h"

#include "core/alloc.h"
#include "core/fileio.h"
#include "core/path.h"
#include "pipeline/people.h"
#include "datasets/face_labels.h"
#include "datasets/picasa.h"
#include "datasets/regions.h"
#include "datasets/xmp_regions.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct face_ref {
    int64_t face_id, photo_id;
    char *path;
    char *person; /* current name or NULL */
    pr_source source;
    pr_box box;
} face_ref;

typedef struct faces_ctx {
    face_ref *items;
    size_t n, cap;
    int known_only;
    pr_status st;
} faces_ctx;

static int collect(void *vctx, const pr_store_face_row *row)
{
    faces_ctx *c = vctx;
    int known = strncmp(row->path, PR_ALBUM_KNOWN_PREFIX, strlen(PR_ALBUM_KNOWN_PREFIX)) == 0;
    if (known != c->known_only)
        return 0;
    face_ref *grown = pr_album_grow(c->items, &c->cap, c->n, sizeof *grown);
    if (!grown)
        goto nomem;
    c->items = grown;
    face_ref *f = &c->items[c->n];
    memset(f, 0, sizeof *f);
    f->face_id = row->face_id;
    f->photo_id = row->photo_id;
    f->box = row->box;
    f->source = row->source;
    f->path = pr_strdup(row->path);
    f->person = row->person ? pr_strdup(row->person) : NULL;
    c->n++;
    if (!f->path || (row->person && !f->person))
        goto nomem;
    return 0;
nomem:
    c->st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    return 1;
}

static void faces_free(faces_ctx *c)
{
    for (size_t i = 0; i < c->n; i++) {
        pr_free(c->items[i].path);
        pr_free(c->items[i].person);
    }
    pr_free(c->items);
    memset(c, 0, sizeof *c);
}

static pr_status collect_faces(pr_store *store, int known_only, faces_ctx *c)
{
    memset(c, 0, sizeof *c);
    c->known_only = known_only;
    pr_status st = pr_store_each_face(store, collect, c);
    return st != PR_OK ? st : c->st;
}

/* The person of a --known photo, "@known/<person>/...": the first folder, when it is a name a
 * person may give (pr_store_check_name, and not person_<number>, the unnamed's names). Else 0 and
 * a problem naming the photo and why: a folder named person_7 would freeze a clustering's name
 * into a seed, one with ';' could not be written to .picasa.ini, a photo straight in DIR names
 * nobody. */
static int known_person(const char *known_root, const char *key, char *name, size_t size)
{
    const char *rel = key + strlen(PR_ALBUM_KNOWN_PREFIX);
    const char *slash = strchr(rel, '/');
    size_t len = slash ? (size_t)(slash - rel) : 0;
    const char *why = NULL;
    char reason[512];
    if (len == 0) {
        why = "a --known photo goes in a folder named after its person (DIR/<person>/photo)";
    } else if (len >= size) {
        why = "the folder's name is too long for a person's name";
    } else {
        memcpy(name, rel, len);
        name[len] = '\0';
        if (pr_store_check_name(name) != PR_OK) {
            snprintf(reason, sizeof reason, "its folder is no name a person can have (%s)",
                     pr_last_error());
            why = reason;
        } else if (pr_store_is_auto_name(name)) {
            why = "folder names of the form person_<number> are kept for the people nobody named";
        }
    }
    if (!why)
        return 1;
    char *path = pr_album_join(known_root, rel);
    pr_report_problem("%s: %s; the photo names nobody", path ? path : key, why);
    pr_free(path);
    return 0;
}

/* Largest face of every unnamed known photo -> seed; the photo's other faces are forgotten (all
 * of them where its folder is no name). */
static pr_status known_seeds(pr_store *store, const char *known_root, pr_album_summary *sum)
{
    faces_ctx c;
    pr_status st = collect_faces(store, 1, &c);
    for (size_t from = 0; st == PR_OK && from < c.n;) {
        size_t to = from, best = from;
        int named = 0;
        while (to < c.n && c.items[to].photo_id == c.items[from].photo_id) {
            named |= c.items[to].person != NULL;
            if (c.items[to].box.w * c.items[to].box.h > c.items[best].box.w * c.items[best].box.h)
                best = to;
            to++;
        }
        if (!named) {
            char name[PR_STORE_NAME_MAX + 1];
            int ok = known_person(known_root, c.items[from].path, name, sizeof name);
            for (size_t i = from; st == PR_OK && i < to; i++) {
                if (i == best && ok) {
                    int64_t pid = 0;
                    st = pr_store_person_id(store, name, &pid);
                    if (st == PR_OK)
                        st = pr_store_assign(store, c.items[i].face_id, pid, 1.0, PR_SOURCE_SEED);
                    if (st == PR_OK && sum)
                        sum->seeds++;
                } else {
                    st = pr_store_forget_face(store, c.items[i].face_id);
                }
            }
            if (st == PR_OK)
                st = pr_album_mark_dirty(store);
        }
        from = to;
    }
    faces_free(&c);
    return st;
}

/* "person_<digits>" (datasets/regions.h): a name this pipeline made up for an unnamed cluster
 * (e.g. read back from our own --write-picasa output). Never a seed, or old clusterings would
 * freeze into names. */
static int is_auto_name(const char *name)
{
    return pr_region_is_auto_name(name);
}

/* Named boxes of a label set -> seeds: a name goes to the stored face of the same photo
 * (core/path.h pr_path_same_photo) that it overlaps most (IoU >= PR_PEOPLE_SEED_IOU), unless that
 * face already carries the name or a manual one. */
static pr_status seeds_from_set(pr_store *store, const pr_face_labels *set, pr_album_summary *sum)
{
    faces_ctx c;
    pr_status st = collect_faces(store, 0, &c);
    int changed = 0;
    for (size_t i = 0; st == PR_OK && i < set->count; i++) {
        const pr_face_label *l = &set->items[i];
        if (!l->person || !l->person[0] || strcmp(l->person, "unknown") == 0 ||
            is_auto_name(l->person))
            continue;
        face_ref *best = NULL;
        double best_iou = PR_PEOPLE_SEED_IOU;
        for (face_ref *f = c.items; f < c.items + c.n; f++) {
            if (!pr_path_same_photo(l->image, f->path))
                continue;
            double iou = pr_box_iou(f->box, l->box);
            if (iou >= best_iou) {
                best_iou = iou;
                best = f;
            }
        }
        if (!best || (best->person && strcmp(best->person, l->person) == 0) ||
            best->source == PR_SOURCE_MANUAL)
            continue;
        int64_t pid = 0;
        st = pr_store_person_id(store, l->person, &pid);
        if (st == PR_OK)
            st = pr_store_assign(store, best->face_id, pid, 1.0, PR_SOURCE_SEED);
        if (st == PR_OK) {
            changed = 1;
            if (sum)
                sum->seeds++;
        }
    }
    if (st == PR_OK && changed)
        st = pr_album_mark_dirty(store);
    faces_free(&c);
    return st;
}

/* A malformed entry inside a sidecar: that entry is skipped, the rest of the file is used. */
static void entry_skipped(void *ctx, const char *message)
{
    (void)ctx;
    pr_report_problem("%s (entry skipped; the rest of the file is used)", message);
}

/* Adds the labels of one sidecar file (image paths relative to its folder) to all, as album paths
 * (folder + "/" + image), leaving out photos that already have XMP labels (those of all before
 * xmp_end). */
static pr_status add_labels(pr_face_labels *all, const pr_face_labels *part, const char *folder,
                            size_t xmp_end)
{
    char path[4096];
    for (size_t i = 0; i < part->count; i++) {
        const pr_face_label *l = &part->items[i];
        int n = folder[0] ? snprintf(path, sizeof path, "%s/%s", folder, l->image)
                          : snprintf(path, sizeof path, "%s", l->image);
        if (n < 0 || (size_t)n >= sizeof path)
            continue;
        int has_xmp = 0; /* a photo with an XMP sidecar: its newer, tool-neutral names win */
        for (size_t k = 0; k < xmp_end && !has_xmp; k++)
            has_xmp = strcmp(all->items[k].image, path) == 0;
        if (has_xmp)
            continue;
        pr_status st = pr_face_labels_add(all, path, l->box, l->person, l->extra, l->score);
        if (st != PR_OK)
            return st;
    }
    return PR_OK;
}

/* Names from the album's XMP sidecars and .picasa.ini files, read one file at a time for the
 * photos in the store: a file that cannot be read is named (pr_report_problem, so the run ends
 * with exit status 1) and only its own names are not used; a bad entry inside a file costs only
 * that entry. */
static pr_status label_seeds(const pr_album_params *params, pr_store *store, pr_album_summary *sum)
{
    faces_ctx c;
    pr_face_labels *all = NULL, *part = NULL;
    pr_status st = collect_faces(store, 0, &c);
    if (st == PR_OK)
        st = pr_face_labels_new(params->album, &all);
    char side[4096], idir[4096], folder[4096];
    pr_face_labels_load_params lp = pr_face_labels_load_params_default();
    /* Pass 1: each photo's sidecar ("photo.jpg.xmp", else "photo.xmp"). */
    for (size_t i = 0; st == PR_OK && i < c.n && pr_xmp_available(); i++) {
        if (i > 0 && strcmp(c.items[i].path, c.items[i - 1].path) == 0)
            continue;
        const char *path = c.items[i].path;
        const char *slash = strrchr(path, '/'), *dot = strrchr(path, '.');
        int n1 = snprintf(side, sizeof side, "%s/%s.xmp", params->album, path);
        if (n1 < 0 || (size_t)n1 >= sizeof side)
            continue;
        if (!pr_file_exists(side) && dot && (!slash || dot > slash)) {
            n1 = snprintf(side, sizeof side, "%s/%.*s.xmp", params->album,
                          (int)(dot - path), path);
            if (n1 < 0 || (size_t)n1 >= sizeof side || !pr_file_exists(side))
                continue;
        } else if (!pr_file_exists(side)) {
            continue;
        }
        int dl = slash ? (int)(slash - path) : 0;
        snprintf(folder, sizeof folder, "%.*s", dl, path);
        int n2 = snprintf(idir, sizeof idir, "%s%s%s", params->album, dl ? "/" : "", folder);
        if (n2 < 0 || (size_t)n2 >= sizeof idir)
            continue;
        lp.image_dir = idir;
        if (pr_xmp_load_ex(side, &lp, entry_skipped, NULL, &part) != PR_OK) {
            pr_report_problem("%s (its names are not used)", pr_last_error());
            continue;
        }
        st = add_labels(all, part, folder, 0);
        pr_face_labels_delete(part);
        part = NULL;
    }
    size_t xmp_end = all ? all->count : 0;
    /* Pass 2: each folder's .picasa.ini, once. */
    char **seen = NULL;
    size_t nseen = 0, capseen = 0;
    for (size_t i = 0; st == PR_OK && i < c.n; i++) {
        const char *path = c.items[i].path, *slash = strrchr(path, '/');
        int dl = slash ? (int)(slash - path) : 0;
        snprintf(folder, sizeof folder, "%.*s", dl, path);
        int dup = 0;
        for (size_t k = nseen; k > 0 && !dup; k--)
            dup = strcmp(seen[k - 1], folder) == 0;
        if (dup)
            continue;
        char **grown = pr_album_grow(seen, &capseen, nseen, sizeof *seen);
        if (!grown || !(grown[nseen] = pr_strdup(folder))) {
            seen = grown ? grown : seen;
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            break;
        }
        seen = grown;
        nseen++;
        int n2 = snprintf(idir, sizeof idir, "%s%s%s", params->album, dl ? "/" : "", folder);
        int n1 = snprintf(side, sizeof side, "%s/.picasa.ini", idir);
        if (n2 < 0 || (size_t)n2 >= sizeof idir || n1 < 0 || (size_t)n1 >= sizeof side ||
            !pr_file_exists(side))
            continue;
        lp.image_dir = idir;
        if (pr_picasa_load_ex(side, &lp, entry_skipped, NULL, &part) != PR_OK) {
            pr_report_problem("%s (its names are not used)", pr_last_error());
            continue;
        }
        st = add_labels(all, part, folder, xmp_end);
        pr_face_labels_delete(part);
        part = NULL;
    }
    for (size_t k = 0; k < nseen; k++)
        pr_free(seen[k]);
    pr_free(seen);
    faces_free(&c);
    if (st == PR_OK)
        st = seeds_from_set(store, all, sum);
    pr_face_labels_delete(all);
    return st;
}

pr_status pr_album_seeds(const pr_album_params *params, pr_store *store, pr_album_summary *sum)
{
    pr_status st = PR_OK;
    if (params->known)
        st = known_seeds(store, params->known, sum);
    if (st == PR_OK && params->read_labels && params->album)
        st = label_seeds(params, store, sum);
    if (st == PR_OK && params->names)
        st = seeds_from_set(store, params->names, sum);
    return st;
}

/* Seeds: names a person already gave, which clustering and naming start from.
 *
 * --known DIR: photos in DIR/<person>/ (the face_recognition convention) are processed like album
 * photos (stored under "@known/<person>/<file>", so a re-run skips them) and their largest face
 * becomes a seed of <person>; their other faces are forgotten (a known photo is about one
 * person). They never appear in the outputs.
 *
 * Existing labels: names in the album's .picasa.ini files and XMP sidecars that match a stored
 * face (IoU >= PR_PEOPLE_SEED_IOU, pipeline/people.h) become seeds, unless the face already carries that name or the name is one
 * we made up ("person_<n>", e.g. our own --write-picasa output read back), so a name typed in
 * Picasa or digiKam wins over clustering. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/album_internal.h"

#include "core/alloc.h"
#include "core/path.h"
#include "pipeline/people.h"
#include "datasets/face_labels.h"

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

/* Largest face of every unnamed known photo -> seed; the photo's other faces are forgotten. */
static pr_status known_seeds(pr_store *store, pr_album_summary *sum)
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
            /* "@known/<person>/...": the person is the first folder. */
            const char *rel = c.items[from].path + strlen(PR_ALBUM_KNOWN_PREFIX);
            const char *slash = strchr(rel, '/');
            char name[256];
            size_t len = slash ? (size_t)(slash - rel) : 0;
            for (size_t i = from; st == PR_OK && i < to; i++) {
                if (i == best && len > 0 && len < sizeof name) {
                    memcpy(name, rel, len);
                    name[len] = '\0';
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

/* "person_<digits>": a name this pipeline made up for an unnamed cluster (e.g. read back from our
 * own --write-picasa output). Never a seed, or old clusterings would freeze into names. */
static int is_auto_name(const char *name)
{
    if (strncmp(name, "person_", 7) != 0 || !name[7])
        return 0;
    for (const char *p = name + 7; *p; p++)
        if (*p < '0' || *p > '9')
            return 0;
    return 1;
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

/* Names from the album's Picasa / XMP files. */
static pr_status label_seeds(const pr_album_params *params, pr_store *store, pr_album_summary *sum)
{
    pr_face_labels *set = NULL;
    pr_face_labels_load_params lp = pr_face_labels_load_params_default();
    lp.image_dir = params->album;
    if (pr_face_labels_load_ex(params->album, &lp, &set) != PR_OK) {
        /* A damaged sidecar must not stop the labelling; its names are simply not used. */
        fprintf(stderr, "personrec: existing labels not used: %s\n", pr_last_error());
        return PR_OK;
    }
    pr_status st = seeds_from_set(store, set, sum);
    pr_face_labels_delete(set);
    return st;
}

pr_status pr_album_seeds(const pr_album_params *params, pr_store *store, pr_album_summary *sum)
{
    pr_status st = PR_OK;
    if (params->known)
        st = known_seeds(store, sum);
    if (st == PR_OK && params->read_labels && params->album)
        st = label_seeds(params, store, sum);
    if (st == PR_OK && params->names)
        st = seeds_from_set(store, params->names, sum);
    return st;
}

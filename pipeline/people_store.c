/* pr_people_store: the back end over an album store (pipeline/people.h).
 *
 * 1. Read every face (pr_person records + 8-bit grey crops) in the store's order (photo path, then
 *    position: pipeline/describe.c sorts a photo's faces by position before they are stored) and
 *    their current assignments; seed and manual names are kept, automatic ones are recomputed.
 * 2. pr_people_cluster: events, eigenfaces, fused cue distances, k-medoids with the same-photo
 *    cannot-link, names from the seeds, a confidence per face.
 * 3. Clusters without seeds are named "person_<face id of the medoid>", stable while the medoid
 *    stays. All automatic assignments change in one transaction. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/people.h"

#include "core/alloc.h"
#include "core/exif_time.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct stored {
    int64_t face_id, photo_id;
    pr_person *person; /* NULL when the blob was missing or malformed: every cue missing */
    uint8_t *crop;     /* crop_bytes or NULL */
    float *descriptor; /* PR_STORE_DESCRIPTOR_DIM or NULL */
    char *name;        /* seed/manual name or NULL */
} stored;

typedef struct load_ctx {
    stored *items;
    pr_people_face *faces;
    int n, cap, nphotos;
    int64_t last_photo;
    size_t crop_bytes;
    pr_status st;
} load_ctx;

static int grow(load_ctx *c)
{
    int cap = c->cap ? c->cap * 2 : 256;
    stored *items = pr_realloc(c->items, sizeof *items * (size_t)cap);
    if (items)
        c->items = items;
    pr_people_face *faces = items ? pr_realloc(c->faces, sizeof *faces * (size_t)cap) : NULL;
    if (!faces)
        return -1;
    c->faces = faces;
    c->cap = cap;
    return 0;
}

static int load_face(void *vctx, const pr_store_face_row *row)
{
    load_ctx *c = vctx;
    if (c->n == c->cap && grow(c) != 0)
        goto nomem;
    if (row->photo_id != c->last_photo) {
        c->nphotos++;
        c->last_photo = row->photo_id;
    }
    stored *it = &c->items[c->n];
    pr_people_face *f = &c->faces[c->n];
    memset(it, 0, sizeof *it);
    it->face_id = row->face_id;
    it->photo_id = row->photo_id;
    if (row->features && row->features_size &&
        pr_person_deserialize(row->features, row->features_size, &it->person) != PR_OK)
        it->person = NULL; /* a damaged record: the face is clustered on what remains */
    if (row->crop && row->crop_size == c->crop_bytes) {
        if (!(it->crop = pr_malloc(row->crop_size)))
            goto nomem;
        memcpy(it->crop, row->crop, row->crop_size);
    }
    if (row->person && row->source != PR_SOURCE_AUTO && !(it->name = pr_strdup(row->person)))
        goto nomem;
    if (row->descriptor) { /* copied: the blob may be unaligned */
        if (!(it->descriptor = pr_malloc_array(PR_STORE_DESCRIPTOR_DIM, sizeof(float))))
            goto nomem;
        memcpy(it->descriptor, row->descriptor, sizeof(float) * PR_STORE_DESCRIPTOR_DIM);
    }
    double sec = NAN;
    if (!row->exif_time || pr_exif_time_seconds(row->exif_time, &sec) != 0)
        sec = NAN;
    *f = (pr_people_face){it->person, it->crop, c->nphotos - 1, sec, -1, it->descriptor};
    c->n++;
    return 0;
nomem:
    c->st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    return 1;
}

/* Seed name indices: the distinct seed/manual names in face order. names[] borrows them. */
static int seed_names(load_ctx *c, const char **names)
{
    int count = 0;
    for (int i = 0; i < c->n; i++) {
        if (!c->items[i].name)
            continue;
        int id = -1;
        for (int t = 0; t < count && id < 0; t++)
            if (strcmp(names[t], c->items[i].name) == 0)
                id = t;
        if (id < 0) {
            id = count;
            names[count++] = c->items[i].name;
        }
        c->faces[i].seed = id;
    }
    return count;
}

static pr_status assign(pr_store *store, const load_ctx *c, const pr_people_result *r,
                        const char *const *names)
{
    for (int i = 0; i < c->n; i++) {
        if (c->items[i].name)
            continue; /* seed or manual: stays */
        char auto_name[48];
        const char *name = auto_name;
        if (r->name[i] >= 0)
            name = names[r->name[i]];
        else
            snprintf(auto_name, sizeof auto_name, "person_%lld",
                     (long long)c->items[r->medoid[r->cluster[i]]].face_id);
        int64_t pid = 0;
        pr_status st = pr_store_person_id(store, name, &pid);
        if (st == PR_OK)
            st = pr_store_assign(store, c->items[i].face_id, pid, r->confidence[i],
                                 PR_SOURCE_AUTO);
        if (st != PR_OK)
            return st;
    }
    return PR_OK;
}

pr_status pr_people_store(const pr_people_params *params, pr_store *store)
{
    load_ctx lc;
    memset(&lc, 0, sizeof lc);
    lc.last_photo = -1;
    lc.crop_bytes = (size_t)params->eigen.width * (size_t)params->eigen.height;
    const char **names = NULL;
    pr_people_result res;
    memset(&res, 0, sizeof res);
    int in_tx = 0;
    pr_status st = pr_store_each_face(store, load_face, &lc);
    if (st == PR_OK)
        st = lc.st;
    if (st != PR_OK)
        goto done;
    if ((st = pr_store_begin(store)) != PR_OK)
        goto done;
    in_tx = 1;
    if ((st = pr_store_clear_auto(store)) != PR_OK)
        goto done;
    if (lc.n > 0) {
        if (!(names = pr_calloc((size_t)lc.n, sizeof *names))) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto done;
        }
        seed_names(&lc, names);
        if ((st = pr_people_cluster(params, lc.faces, lc.n, &res)) != PR_OK ||
            (st = assign(store, &lc, &res, names)) != PR_OK)
            goto done;
    }
    st = pr_store_commit(store);
    in_tx = 0;
done:
    if (in_tx) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", pr_last_error());
        pr_status keep = st;
        /* Nothing half-done stays: the automatic assignments come back with the old ones. */
        pr_store_rollback(store);
        st = pr_set_error(keep, "%s", msg);
    }
    pr_people_result_free(&res);
    for (int i = 0; i < lc.n; i++) {
        pr_person_delete(lc.items[i].person);
        pr_free(lc.items[i].crop);
        pr_free(lc.items[i].name);
        pr_free(lc.items[i].descriptor);
    }
    pr_free(lc.items);
    pr_free(lc.faces);
    pr_free(names);
    return st;
}

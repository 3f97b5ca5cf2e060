/* pr_people_store: the back end over an album store (pipeline/people.h).
 *
 * 1. Read every face (pr_person records + 8-bit grey crops) in the store's order (photo path, then
 *    position: pipeline/describe.c sorts a photo's faces by position before they are stored) and
 *    their current assignments; seed and manual names are kept, automatic ones are recomputed.
 * 2. pr_people_cluster: events, eigenfaces, fused cue distances, k-medoids with the same-photo
 *    cannot-link, names from the seeds, a confidence per face.
 * 3. Clusters without seeds keep the person_<number> most of their faces had before (a full
 *    re-clustering does not renumber the unnamed); a new one is named "person_<face id of its
 *    medoid>". All automatic assignments change in one transaction. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/people.h"

#include "core/alloc.h"
#include "core/exif_time.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct stored {
    int64_t face_id, photo_id;
    pr_person *person; /* NULL when the blob was missing or malformed: every cue missing */
    uint8_t *crop;     /* crop_bytes or NULL */
    float *descriptor; /* PR_STORE_DESCRIPTOR_DIM or NULL */
    char *name;        /* seed/manual name or NULL */
    int64_t old_auto;  /* N of the automatic person_N the face had before, 0 = none */
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
    if (row->person && row->source == PR_SOURCE_AUTO && pr_store_is_auto_name(row->person))
        it->old_auto = strtoll(row->person + 7, NULL, 10);
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

/* Faces of one unnamed cluster that were person_<number> before. */
typedef struct overlap {
    int cluster;
    int64_t number;
    int count;
} overlap;

static int by_cluster_number(const void *a, const void *b)
{
    const overlap *x = a, *y = b;
    if (x->cluster != y->cluster)
        return x->cluster < y->cluster ? -1 : 1;
    return (x->number > y->number) - (x->number < y->number);
}

static int by_count(const void *a, const void *b)
{
    const overlap *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return by_cluster_number(a, b);
}

static int taken(const int64_t *used, int n, int64_t number)
{
    for (int i = 0; i < n; i++)
        if (used[i] == number)
            return 1;
    return 0;
}

/* number[c] for every unnamed cluster c: the person_<number> it is called. A full re-clustering
 * must not renumber the people nobody named yet (a person who wrote "person_12 is Grandma" down
 * must find her again), so each unnamed cluster takes the old number most of its faces had, the
 * clusters with most faces in common first, each old number once. A cluster with none of the old
 * faces gets its medoid's face id (else another of its faces' ids: never a number in use). */
static pr_status stable_numbers(const load_ctx *c, const pr_people_result *r,
                                const char *const *names, int nnames, int64_t *number)
{
    int k = r->k;
    overlap *pairs = pr_malloc_array((size_t)c->n + 1, sizeof *pairs);
    int64_t *used = pr_malloc_array((size_t)k + (size_t)nnames + 1, sizeof *used);
    if (!pairs || !used) {
        pr_free(pairs);
        pr_free(used);
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    int nused = 0, np = 0;
    /* Numbers a person gave or kept (a split pins person_<n>) stay theirs. */
    for (int t = 0; t < nnames; t++)
        if (pr_store_is_auto_name(names[t]))
            used[nused++] = strtoll(names[t] + 7, NULL, 10);
    for (int q = 0; q < k; q++)
        number[q] = 0;
    for (int i = 0; i < c->n; i++)
        if (!c->items[i].name && r->name[i] < 0 && c->items[i].old_auto > 0)
            pairs[np++] = (overlap){r->cluster[i], c->items[i].old_auto, 1};
    qsort(pairs, (size_t)np, sizeof *pairs, by_cluster_number);
    int nruns = 0;
    for (int i = 0; i < np; i++) {
        if (nruns && pairs[nruns - 1].cluster == pairs[i].cluster &&
            pairs[nruns - 1].number == pairs[i].number)
            pairs[nruns - 1].count++;
        else
            pairs[nruns++] = pairs[i];
    }
    qsort(pairs, (size_t)nruns, sizeof *pairs, by_count);
    for (int i = 0; i < nruns; i++) {
        if (number[pairs[i].cluster] || taken(used, nused, pairs[i].number))
            continue;
        number[pairs[i].cluster] = pairs[i].number;
        used[nused++] = pairs[i].number;
    }
    /* New clusters: the medoid's id, else the first of the cluster's face ids not in use. */
    for (int q = 0; q < k; q++) {
        int64_t medoid = c->items[r->medoid[q]].face_id;
        if (number[q] || !taken(used, nused, medoid)) {
            if (!number[q])
                used[nused++] = number[q] = medoid;
            continue;
        }
        for (int i = 0; i < c->n && !number[q]; i++)
            if (r->cluster[i] == q && !taken(used, nused, c->items[i].face_id))
                used[nused++] = number[q] = c->items[i].face_id;
    }
    /* A cluster whose every face id is some other cluster's kept number (a singleton whose id is
     * an old person_<n>) takes a fresh number above all of them: never 0, never shared, which
     * would merge different people in every output. */
    int64_t fresh = 0;
    for (int t = 0; t < nused; t++)
        fresh = used[t] > fresh ? used[t] : fresh;
    for (int i = 0; i < c->n; i++)
        fresh = c->items[i].face_id > fresh ? c->items[i].face_id : fresh;
    for (int q = 0; q < k; q++)
        if (!number[q])
            number[q] = ++fresh;
    pr_free(pairs);
    pr_free(used);
    return PR_OK;
}

static pr_status assign(pr_store *store, const load_ctx *c, const pr_people_result *r,
                        const char *const *names, int nnames)
{
    int64_t *number = pr_malloc_array((size_t)r->k + 1, sizeof *number);
    if (!number)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_status st = stable_numbers(c, r, names, nnames, number);
    for (int i = 0; st == PR_OK && i < c->n; i++) {
        if (c->items[i].name)
            continue; /* seed or manual: stays */
        char auto_name[48];
        const char *name = auto_name;
        if (r->name[i] >= 0)
            name = names[r->name[i]];
        else
            snprintf(auto_name, sizeof auto_name, "person_%lld",
                     (long long)number[r->cluster[i]]);
        int64_t pid = 0;
        st = pr_store_person_id(store, name, &pid);
        if (st == PR_OK)
            st = pr_store_assign(store, c->items[i].face_id, pid, r->confidence[i],
                                 PR_SOURCE_AUTO);
    }
    pr_free(number);
    return st;
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
        int nnames = seed_names(&lc, names);
        if ((st = pr_people_cluster(params, lc.faces, lc.n, &res)) != PR_OK ||
            (st = assign(store, &lc, &res, names, nnames)) != PR_OK)
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

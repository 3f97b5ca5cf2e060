/* pr_people_store: the back end over an album store (pipeline/people.h).
 *
 * 1. Read every face (pr_person records + 8-bit grey crops) in the store's order (photo path, then
 *    position: pipeline/describe.c sorts a photo's faces by position before they are stored) and
 *    their current assignments; seed and manual names are kept, automatic ones are recomputed.
 * 2. pr_people_cluster: events, eigenfaces, fused cue distances, k-medoids with the same-photo
 *    cannot-link, names from the seeds, a confidence per face.
 * 3. Clusters without seeds keep the person_<number> most of their faces had before (a full
 *    re-clustering does not renumber the unnamed); a new one is named "person_<face id of its
 *    medoid>", never a number a face it cannot see holds (a photo that cannot be read now, a
 *    forgotten face). All automatic assignments change in one transaction.
 *
 * Placing (place = 1, pipeline/people.h): when the fingerprint of the assigned faces equals the
 * one the last clustering stored, the people are the faces of one name, the faces without an
 * assignment are placed (pr_people_place) and only they are written. */
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
    char *current;     /* the name the face has now, any source, or NULL (a new face) */
    pr_source source;  /* its source */
} stored;

typedef struct load_ctx {
    stored *items;
    pr_people_face *faces;
    int n, cap, nphotos;
    int64_t last_photo;
    size_t crop_bytes;
    int light;              /* 1: no person records, no crops (placing needs the descriptors) */
    uint64_t assigned_hash; /* fingerprint of the faces that have an assignment */
    int assigned;           /* how many */
    int64_t *hidden;        /* the person_<number>s faces not loaded hold (store.h), or NULL */
    int nhidden;
    pr_status st;
} load_ctx;

static uint64_t fnv_bytes(uint64_t h, const void *bytes, size_t n)
{
    const unsigned char *b = bytes;
    for (size_t i = 0; i < n; i++)
        h = (h ^ b[i]) * 1099511628211ull;
    return h;
}

/* FNV-1a over one face's assignment and its descriptor (PR_PEOPLE_META_FACES). The descriptor
 * is there because a photo edited by another tool keeps its faces' ids and names but is described
 * again: its faces must then be clustered again too, not left where the old pixels put them. */
static uint64_t fp_add(uint64_t h, int64_t face_id, pr_source source, const char *name,
                       const float *descriptor)
{
    char head[48];
    int len = snprintf(head, sizeof head, "%lld/%d/", (long long)face_id, (int)source);
    h = fnv_bytes(h, head, (size_t)len);
    h = fnv_bytes(h, name, strlen(name) + 1); /* with the end of the name */
    if (descriptor)
        h = fnv_bytes(h, descriptor, sizeof(float) * PR_STORE_DESCRIPTOR_DIM);
    return h;
}

#define FP_START 14695981039346656037ull

static void fp_text(uint64_t h, int count, char *buf, size_t size)
{
    snprintf(buf, size, "%d %016llx", count, (unsigned long long)h);
}

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
    if (!c->light && row->features && row->features_size &&
        pr_person_deserialize(row->features, row->features_size, &it->person) != PR_OK)
        it->person = NULL; /* a damaged record: the face is clustered on what remains */
    if (!c->light && row->crop && row->crop_size == c->crop_bytes) {
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
    if (row->person) {
        if (!(it->current = pr_strdup(row->person)))
            goto nomem;
        it->source = row->source;
        c->assigned_hash =
            fp_add(c->assigned_hash, row->face_id, row->source, row->person, it->descriptor);
        c->assigned++;
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

/* Appends to used the numbers hidden faces hold (not there yet); returns the new count. A face
 * back from a photo that cannot be read now must not find a stranger in its person_<number>. */
static int add_hidden(const load_ctx *c, int64_t *used, int nused)
{
    for (int t = 0; t < c->nhidden; t++)
        if (!taken(used, nused, c->hidden[t]))
            used[nused++] = c->hidden[t];
    return nused;
}

/* Numbers clusters first..k-1 that have none yet (number[q] = 0): the medoid's face id, else the
 * first of the cluster's face ids not in use; a cluster whose every face id is in use (a singleton
 * whose id is an old person_<n>) takes a fresh number above every number and face id in use:
 * never 0, never shared, which would merge different people in every output. used holds the
 * nused numbers in use and has room for the clusters' numbers. */
static void number_new(const load_ctx *c, const pr_people_result *r, int first, int64_t *number,
                       int64_t *used, int nused)
{
    for (int q = first; q < r->k; q++) {
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
    int64_t fresh = 0;
    for (int t = 0; t < nused; t++)
        fresh = used[t] > fresh ? used[t] : fresh;
    for (int i = 0; i < c->n; i++)
        fresh = c->items[i].face_id > fresh ? c->items[i].face_id : fresh;
    for (int q = first; q < r->k; q++)
        if (!number[q])
            number[q] = ++fresh;
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
    int64_t *used =
        pr_malloc_array((size_t)k + (size_t)nnames + (size_t)c->nhidden + 1, sizeof *used);
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
    /* Only now: faces that were person_<n> with hidden faces keep n (they were one person), a
     * new number is never one a hidden face holds. */
    number_new(c, r, 0, number, used, add_hidden(c, used, nused));
    pr_free(pairs);
    pr_free(used);
    return PR_OK;
}

/* Stores the fingerprint of the assignments as they are now (fp over count faces). */
static pr_status store_fingerprint(pr_store *store, uint64_t fp, int count)
{
    char text[64];
    fp_text(fp, count, text, sizeof text);
    return pr_store_meta_set(store, PR_PEOPLE_META_FACES, text);
}

static pr_status assign(pr_store *store, const load_ctx *c, const pr_people_result *r,
                        const char *const *names, int nnames)
{
    int64_t *number = pr_malloc_array((size_t)r->k + 1, sizeof *number);
    if (!number)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_status st = stable_numbers(c, r, names, nnames, number);
    uint64_t fp = FP_START;
    for (int i = 0; st == PR_OK && i < c->n; i++) {
        if (c->items[i].name) { /* seed or manual: stays */
            fp = fp_add(fp, c->items[i].face_id, c->items[i].source, c->items[i].name,
                        c->items[i].descriptor);
            continue;
        }
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
        fp = fp_add(fp, c->items[i].face_id, PR_SOURCE_AUTO, name, c->items[i].descriptor);
    }
    if (st == PR_OK)
        st = store_fingerprint(store, fp, c->n);
    pr_free(number);
    return st;
}

/* --- placing the new faces --- */

/* An assigned face by its name (qsort has no context argument, so the name travels along). */
typedef struct named_face {
    const char *name;
    int face;
} named_face;

static int by_name(const void *a, const void *b)
{
    const named_face *x = a, *y = b;
    int d = strcmp(x->name, y->name);
    return d ? d : (x->face > y->face) - (x->face < y->face);
}

/* The new people's numbers, as stable_numbers numbers a new cluster: its medoid's face id, else
 * the first of its face ids not in use, else a fresh number above every number and face id. In
 * use: every person_<number> a face has now (any source). */
static pr_status new_numbers(const load_ctx *c, const pr_people_result *r, int m, int64_t *number)
{
    int64_t *used =
        pr_malloc_array((size_t)c->n + (size_t)r->k + (size_t)c->nhidden + 1, sizeof *used);
    if (!used)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    int nused = 0;
    for (int i = 0; i < c->n; i++)
        if (c->items[i].current && pr_store_is_auto_name(c->items[i].current))
            used[nused++] = strtoll(c->items[i].current + 7, NULL, 10);
    for (int q = m; q < r->k; q++)
        number[q] = 0;
    number_new(c, r, m, number, used, add_hidden(c, used, nused));
    pr_free(used);
    return PR_OK;
}

/* The people (the faces of one name), the new faces (no assignment) placed by pr_people_place,
 * and only the new faces written. */
static pr_status place_new(const pr_people_params *params, pr_store *store, load_ctx *c,
                           const char *const *names, int nnames, pr_people_store_info *info)
{
    int n = c->n;
    named_face *order = pr_malloc_array((size_t)n, sizeof *order);
    int *fixed = pr_malloc_array((size_t)n, sizeof *fixed);
    int *person_name = pr_malloc_array((size_t)n + 1, sizeof *person_name);
    int *person_face = pr_malloc_array((size_t)n + 1, sizeof *person_face); /* a face of each */
    int64_t *number = NULL;
    pr_people_result r;
    memset(&r, 0, sizeof r);
    pr_status st = PR_OK;
    if (!order || !fixed || !person_name || !person_face) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    int nold = 0, m = 0;
    for (int i = 0; i < n; i++) {
        fixed[i] = -1;
        if (c->items[i].current)
            order[nold++] = (named_face){c->items[i].current, i};
    }
    qsort(order, (size_t)nold, sizeof *order, by_name);
    for (int x = 0; x < nold; x++) {
        int i = order[x].face;
        if (x == 0 || strcmp(order[x - 1].name, order[x].name) != 0) {
            person_face[m] = i;
            person_name[m] = -1;
            for (int t = 0; t < nnames && person_name[m] < 0; t++)
                if (strcmp(names[t], c->items[i].current) == 0)
                    person_name[m] = t;
            m++;
        }
        fixed[i] = m - 1;
    }
    info->placed = 1;
    if (nold == n) /* nothing new: nothing to write */
        goto done;
    if ((st = pr_people_place(params, c->faces, n, fixed, m, person_name, &r)) != PR_OK)
        goto done;
    if (!(number = pr_malloc_array((size_t)r.k + 1, sizeof *number))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((st = new_numbers(c, &r, m, number)) != PR_OK)
        goto done;
    uint64_t fp = FP_START;
    for (int i = 0; st == PR_OK && i < n; i++) {
        const stored *it = &c->items[i];
        if (it->current) { /* kept as it is */
            fp = fp_add(fp, it->face_id, it->source, it->current, it->descriptor);
            continue;
        }
        int q = r.cluster[i];
        char auto_name[48];
        const char *name = auto_name;
        if (q < m)
            name = c->items[person_face[q]].current;
        else
            snprintf(auto_name, sizeof auto_name, "person_%lld", (long long)number[q]);
        int64_t pid = 0;
        st = pr_store_person_id(store, name, &pid);
        if (st == PR_OK)
            st = pr_store_assign(store, it->face_id, pid, r.confidence[i], PR_SOURCE_AUTO);
        fp = fp_add(fp, it->face_id, PR_SOURCE_AUTO, name, it->descriptor);
        info->new_faces++;
        info->joined += q < m;
    }
    if (st == PR_OK)
        st = store_fingerprint(store, fp, n);
    info->new_people = r.k - m;
done:
    pr_people_result_free(&r);
    pr_free(order);
    pr_free(fixed);
    pr_free(person_name);
    pr_free(person_face);
    pr_free(number);
    return st;
}

/* NULL when the new faces can be placed, else why not (*st: an error reading the store). */
static const char *why_not_place(const pr_people_params *p, pr_store *store, const load_ctx *c,
                                 pr_status *st)
{
    char *last = NULL;
    *st = pr_store_meta_get(store, PR_PEOPLE_META_FACES, &last);
    if (*st != PR_OK)
        return "";
    char now[64];
    fp_text(c->assigned_hash, c->assigned, now, sizeof now);
    int same = last && strcmp(last, now) == 0;
    pr_free(last);
    if (!same)
        return "the faces changed since the last clustering (a correction, a new seed, a "
               "forgotten, dropped or returning face, a photo edited, missing or no longer "
               "readable), or it was made by an older version";
    if (p->method == PR_PEOPLE_KMEDOIDS)
        return "k-medoids clusters everything again";
    if (p->method == PR_PEOPLE_AUTO) { /* calibrated last time only if a labelled face had one */
        for (int i = 0; i < c->n; i++)
            if (c->items[i].current && c->items[i].descriptor)
                return NULL;
        return "the album was clustered by k-medoids (no face descriptor)";
    }
    return NULL;
}

static void unload(load_ctx *c)
{
    for (int i = 0; i < c->n; i++) {
        pr_person_delete(c->items[i].person);
        pr_free(c->items[i].crop);
        pr_free(c->items[i].name);
        pr_free(c->items[i].current);
        pr_free(c->items[i].descriptor);
    }
    pr_free(c->items);
    pr_free(c->faces);
    pr_free(c->hidden);
    memset(c, 0, sizeof *c);
}

/* Every stored face into c (light: without person records and crops), and the numbers the faces
 * it does not see hold. */
static pr_status load(pr_store *store, const pr_people_params *params, int light, load_ctx *c)
{
    unload(c);
    c->last_photo = -1;
    c->assigned_hash = FP_START;
    c->crop_bytes = (size_t)params->eigen.width * (size_t)params->eigen.height;
    c->light = light;
    pr_status st = pr_store_each_face(store, load_face, c);
    if (st == PR_OK && (st = c->st) == PR_OK)
        st = pr_store_hidden_numbers(store, &c->hidden, &c->nhidden);
    return st;
}

pr_status pr_people_store(const pr_people_params *params, pr_store *store, int place,
                          pr_people_store_info *info)
{
    pr_people_store_info dummy;
    if (!info)
        info = &dummy;
    memset(info, 0, sizeof *info);
    load_ctx lc;
    memset(&lc, 0, sizeof lc);
    const char **names = NULL;
    pr_people_result res;
    memset(&res, 0, sizeof res);
    int in_tx = 0;
    /* Placing reads only the descriptors (and the clothing with --clothing): the person records
     * and crops, most of the loading, are read only for a full clustering. */
    int light = place && !params->clothing;
    pr_status st = load(store, params, light, &lc);
    if (st != PR_OK)
        goto done;
    if (place && lc.n > 0) {
        info->full_because = why_not_place(params, store, &lc, &st);
        if (st != PR_OK)
            goto done;
        place = info->full_because == NULL;
    }
    if (light && !place && (st = load(store, params, 0, &lc)) != PR_OK)
        goto done;
    if ((st = pr_store_begin(store)) != PR_OK)
        goto done;
    in_tx = 1;
    if (!place && (st = pr_store_clear_auto(store)) != PR_OK)
        goto done;
    if (lc.n > 0) {
        if (!(names = pr_calloc((size_t)lc.n, sizeof *names))) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto done;
        }
        int nnames = seed_names(&lc, names);
        if (place)
            st = place_new(params, store, &lc, names, nnames, info);
        else if ((st = pr_people_cluster(params, lc.faces, lc.n, &res)) == PR_OK)
            st = assign(store, &lc, &res, names, nnames);
        if (st != PR_OK)
            goto done;
    } else if ((st = store_fingerprint(store, FP_START, 0)) != PR_OK) {
        goto done;
    }
    st = pr_store_commit(store);
    in_tx = 0;
done:
    if (in_tx) /* nothing half-done stays: the automatic assignments come back with the old ones */
        st = pr_store_abort(store, st);
    pr_people_result_free(&res);
    unload(&lc);
    pr_free(names);
    return st;
}

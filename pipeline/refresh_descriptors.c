/* The album's face descriptors kept those of one front end (pipeline/refresh_descriptors.h). */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/refresh_descriptors.h"

#include "core/alloc.h"
#include "core/progress.h"
#include "pipeline/album_internal.h"

#include <stdio.h>
#include <string.h>

struct pr_refresh_photo {
    char *full;             /* the file (owned) */
    int64_t *ids;           /* all its faces (owned): the region decoded is the one around all */
    pr_box *boxes;          /* their stored boxes (owned) */
    unsigned char *missing; /* 1: the face has no descriptor (owned) */
    size_t n, cap;
    size_t nmissing;
    /* filled by a worker */
    float *descriptors; /* n * PR_FACE_DESCRIPTOR_DIM (owned) */
    unsigned char *ok;  /* n (owned) */
    pr_status status;
    char *why; /* the reason it could not be read (owned) */
};

static void photo_results_clear(pr_refresh_photo *p)
{
    pr_free(p->descriptors);
    pr_free(p->ok);
    pr_free(p->why);
    p->descriptors = NULL;
    p->ok = NULL;
    p->why = NULL;
}

void pr_refresh_init(pr_refresh *r, const pr_describe_params *dp)
{
    memset(r, 0, sizeof *r);
    pr_face_net_params fp = pr_describe_net_params(dp); /* what pr_describe_nets builds */
    pr_face_net_front_end(&fp, r->front_end, sizeof r->front_end);
}

void pr_refresh_clear(pr_refresh *r)
{
    for (size_t i = 0; i < r->n; i++) {
        pr_free(r->photos[i].full);
        pr_free(r->photos[i].ids);
        pr_free(r->photos[i].boxes);
        pr_free(r->photos[i].missing);
        photo_results_clear(&r->photos[i]);
    }
    pr_free(r->photos);
    memset(r, 0, sizeof *r);
}

pr_status pr_refresh_prepare(const pr_describe_params *dp, pr_store *store, pr_refresh *r)
{
    char *stamp = NULL;
    pr_status st = pr_store_meta_get(store, PR_STORE_META_FRONT_END, &stamp);
    if (st != PR_OK)
        return st;
    int same = stamp && strcmp(stamp, r->front_end) == 0;
    pr_free(stamp);
    if (same)
        return PR_OK;
    /* One net, dropped again: the run's own are built for its pool once it knows how many photos
     * it describes. Loading the model once more costs little beside recomputing a store. */
    pr_face_net **probe = NULL;
    st = pr_describe_nets(dp, 1, &probe);
    pr_describe_nets_delete(probe, probe ? 1 : 0);
    return st;
}

pr_status pr_refresh_check(pr_store *store, pr_refresh *r)
{
    char *stamp = NULL;
    pr_status st = pr_store_meta_get(store, PR_STORE_META_FRONT_END, &stamp);
    if (st != PR_OK)
        return st;
    if (stamp)
        snprintf(r->old, sizeof r->old, "%s", stamp);
    int same = stamp && strcmp(stamp, r->front_end) == 0;
    pr_free(stamp);
    if (same)
        return PR_OK;
    /* Cleared and stamped at once: from here on every descriptor in the store is this front
     * end's, and the faces without one are found like a version-2 store's. A store with no
     * descriptor at all (a new one, a version-2 one) just gets the stamp. */
    if ((st = pr_store_clear_descriptors(store, &r->stale)) == PR_OK)
        st = pr_store_meta_set(store, PR_STORE_META_FRONT_END, r->front_end);
    return st;
}

typedef struct collect_ctx {
    pr_refresh *r;
    const char *album_root, *known_root;
    int64_t photo_id; /* the photo of the last row; 0 before the first */
    int skip_photo;   /* its faces are not collected (a --known photo without --known) */
    pr_status st;
} collect_ctx;

/* The file behind a store key, or NULL with *skip set when this run cannot read it. */
static char *file_of(const collect_ctx *c, const char *key, int *skip)
{
    *skip = 0;
    if (pr_album_is_known(key)) {
        if (!c->known_root) {
            *skip = 1;
            return NULL;
        }
        return pr_album_join(c->known_root, key + strlen(PR_ALBUM_KNOWN_PREFIX));
    }
    if (key[0] == '@') { /* reserved for files outside the album; none other is written */
        *skip = 1;
        return NULL;
    }
    return pr_album_join(c->album_root, key);
}

static int collect_face(void *vctx, const pr_store_undescribed_row *row)
{
    collect_ctx *c = vctx;
    pr_refresh *r = c->r;
    if (row->photo_id != c->photo_id) {
        c->photo_id = row->photo_id;
        int skip = 0;
        char *full = file_of(c, row->path, &skip);
        c->skip_photo = skip; /* its faces are counted below, not collected */
        if (!skip) {
            pr_refresh_photo *grown =
                full ? pr_album_grow(r->photos, &r->cap, r->n, sizeof *grown) : NULL;
            if (!grown) {
                pr_free(full);
                c->st = pr_set_error(PR_ERR_NOMEM, "out of memory listing the faces to describe");
                return 1;
            }
            r->photos = grown;
            memset(&r->photos[r->n], 0, sizeof *r->photos);
            r->photos[r->n++].full = full;
        }
    }
    if (c->skip_photo) {
        if (pr_album_is_known(row->path))
            r->waiting += row->missing != 0;
        return 0;
    }
    pr_refresh_photo *p = &r->photos[r->n - 1];
    if (p->n == p->cap) {
        size_t cap = p->cap ? 2 * p->cap : 8;
        int64_t *ids = pr_realloc(p->ids, cap * sizeof *ids);
        if (ids)
            p->ids = ids;
        pr_box *boxes = ids ? pr_realloc(p->boxes, cap * sizeof *boxes) : NULL;
        if (boxes)
            p->boxes = boxes;
        unsigned char *missing = boxes ? pr_realloc(p->missing, cap) : NULL;
        if (!missing) {
            c->st = pr_set_error(PR_ERR_NOMEM, "out of memory listing the faces to describe");
            return 1;
        }
        p->missing = missing;
        p->cap = cap;
    }
    p->ids[p->n] = row->face_id;
    p->boxes[p->n] = row->box;
    p->missing[p->n++] = (unsigned char)(row->missing != 0);
    p->nmissing += row->missing != 0;
    return 0;
}

pr_status pr_refresh_collect(pr_store *store, const char *album_root, const char *known_root,
                             pr_refresh *r)
{
    collect_ctx c = {r, album_root, known_root, 0, 0, PR_OK};
    pr_status st = pr_store_each_undescribed(store, collect_face, &c);
    return st != PR_OK ? st : c.st;
}

typedef struct run_ctx {
    const pr_describe_params *dp;
    pr_refresh_photo *photos;
    pr_progress *progress;
} run_ctx;

static void describe_one(void *vctx, long index, int worker)
{
    run_ctx *c = vctx;
    pr_refresh_photo *p = &c->photos[index];
    p->descriptors = pr_malloc_array(p->n, sizeof(float) * PR_FACE_DESCRIPTOR_DIM);
    p->ok = pr_calloc(p->n, 1);
    if (!p->descriptors || !p->ok)
        p->status = pr_set_error(PR_ERR_NOMEM, "out of memory describing %s", p->full);
    else
        p->status = pr_describe_known_faces(c->dp, c->dp->nets[worker], p->full, p->boxes,
                                            (int)p->n, NULL, p->descriptors, p->ok);
    /* The message is this worker thread's: kept for the calling thread, which names the photos
     * in path order. */
    if (p->status != PR_OK && p->status != PR_ERR_NOMEM)
        p->why = pr_strdup(pr_last_error()[0] ? pr_last_error() : "cannot be read");
    pr_progress_step(c->progress, 1);
}

/* "album/x.jpg: why (...)", the path said once (decoder messages start with it). */
static void name_failure(const pr_refresh_photo *p)
{
    const char *why = p->why ? p->why : "cannot be read";
    size_t fl = strlen(p->full);
    if (strncmp(why, p->full, fl) == 0 && strncmp(why + fl, ": ", 2) == 0)
        why += fl + 2;
    pr_report_problem("%s: %s (%zu of its faces get%s no descriptor until it can be read)", p->full,
                      why, p->nmissing, p->nmissing == 1 ? "s" : "");
}

/* The chunk's results into the store, one transaction. */
static pr_status store_chunk(pr_store *store, pr_refresh *r, pr_refresh_photo *photos, size_t n)
{
    pr_status st = pr_store_begin(store);
    int made = 0, refused = 0, failed = 0; /* counted once the chunk is stored */
    for (size_t i = 0; st == PR_OK && i < n; i++) {
        pr_refresh_photo *p = &photos[i];
        if (p->status != PR_OK) {
            failed += (int)p->nmissing; /* they have none already: cleared or never made */
            continue;
        }
        /* Only the faces without one: the others were made by this front end already. */
        for (size_t f = 0; st == PR_OK && f < p->n; f++) {
            if (!p->missing[f])
                continue;
            st = pr_store_set_descriptor(
                store, p->ids[f], p->ok[f] ? p->descriptors + f * PR_FACE_DESCRIPTOR_DIM : NULL);
            if (p->ok[f])
                made++;
            else
                refused++;
        }
    }
    /* New descriptors change the distances: the clustering is out of date, said once a chunk. */
    if (st == PR_OK && made)
        st = pr_store_meta_set(store, PR_STORE_META_DIRTY, "1");
    if (st == PR_OK && (st = pr_store_commit(store)) == PR_OK) {
        r->made += made;
        r->refused += refused;
        r->failed += failed;
        return PR_OK;
    }
    return pr_store_abort(store, st);
}

/* "1 face", "2 faces". */
static const char *faces_word(long n) { return n == 1 ? "face" : "faces"; }

/* One line before a recompute that may take long (a whole album's faces), saying why. */
static void say_start(const pr_refresh *r)
{
    size_t faces = 0;
    for (size_t i = 0; i < r->n; i++)
        faces += r->photos[i].nmissing;
    const char *photos = r->n == 1 ? "photo" : "photos";
    if (r->stale && r->old[0])
        fprintf(stderr,
                "descriptors: front end changed from %s to %s, recomputing %zu %s in %zu %s\n",
                r->old, r->front_end, faces, faces_word((long)faces), r->n, photos);
    else if (r->stale)
        fprintf(stderr,
                "descriptors: the store did not record the front end that made them, recomputing "
                "%zu %s in %zu %s with %s\n",
                faces, faces_word((long)faces), r->n, photos, r->front_end);
    else
        fprintf(stderr, "descriptors: computing %zu %s without one in %zu %s (%s)\n", faces,
                faces_word((long)faces), r->n, photos, r->front_end);
}

pr_status pr_refresh_run(const pr_describe_params *dp, pr_store *store, pr_refresh *r, size_t chunk,
                         int progress)
{
    if (!r->n)
        return PR_OK;
    if (!dp->pool || !dp->nets)
        return pr_set_error(PR_ERR_INTERNAL, "describing stored faces without a pool or nets");
    if ((pr_progress_mode)progress != PR_PROGRESS_QUIET)
        say_start(r);
    run_ctx c = {dp, NULL, NULL};
    pr_status st = pr_progress_new("descriptors", "photos", (long)r->n, (pr_progress_mode)progress,
                                   &c.progress);
    if (chunk == 0)
        chunk = (size_t)pr_pool_size(dp->pool) * 4;
    for (size_t first = 0; st == PR_OK && first < r->n; first += chunk) {
        size_t n = r->n - first < chunk ? r->n - first : chunk;
        c.photos = r->photos + first;
        pr_pool_for(dp->pool, (long)n, describe_one, &c);
        for (size_t i = 0; st == PR_OK && i < n; i++)
            if (c.photos[i].status == PR_ERR_NOMEM)
                st = pr_set_error(PR_ERR_NOMEM, "out of memory describing %s", c.photos[i].full);
        for (size_t i = 0; st == PR_OK && i < n; i++)
            if (c.photos[i].status != PR_OK)
                name_failure(&c.photos[i]);
        if (st == PR_OK)
            st = store_chunk(store, r, c.photos, n);
        for (size_t i = 0; i < n; i++)
            photo_results_clear(&c.photos[i]);
    }
    pr_progress_delete(c.progress);
    return st;
}

void pr_refresh_summary(const pr_refresh *r, pr_album_summary *sum)
{
    sum->descriptors_stale = r->stale;
    sum->descriptors_made = r->made;
    sum->descriptors_failed = r->failed;
    sum->descriptors_waiting = r->waiting;
    char *note = sum->descriptors_note;
    size_t size = sizeof sum->descriptors_note;
    int len = 0;
    note[0] = '\0';
    if (r->stale && r->old[0])
        len = snprintf(note, size,
                       "face descriptors recomputed for %d %s (front end changed from %s to %s)",
                       r->made, faces_word(r->made), r->old, r->front_end);
    else if (r->stale) /* a store from before the stamp */
        len = snprintf(note, size,
                       "face descriptors recomputed for %d %s (the store did not record the "
                       "front end that made them; now %s)",
                       r->made, faces_word(r->made), r->front_end);
    else if (r->made)
        len = snprintf(note, size, "face descriptors computed for %d %s that had none (%s)",
                       r->made, faces_word(r->made), r->front_end);
    int lead = 0; /* the parts below follow what is before them with "; ", but a bare lead */
    if (!len && (r->refused || r->failed || r->waiting)) /* none made: what they are about */
        lead = len = snprintf(note, size, "face descriptors: ");
    if (r->refused && len >= 0 && (size_t)len < size)
        len += snprintf(note + len, size - (size_t)len, "%s%d %s the net could not take",
                        len > lead ? "; " : "", r->refused, faces_word(r->refused));
    if (r->failed && len >= 0 && (size_t)len < size)
        len += snprintf(note + len, size - (size_t)len,
                        "%s%d %s of photos that cannot be read %s none until a later run",
                        len > lead ? "; " : "", r->failed, faces_word(r->failed),
                        r->failed == 1 ? "has" : "have");
    if (r->waiting && len >= 0 && (size_t)len < size)
        snprintf(note + len, size - (size_t)len,
                 "%s%d %s of --known photos %s none until a run with --known",
                 len > lead ? "; " : "", r->waiting, faces_word(r->waiting),
                 r->waiting == 1 ? "has" : "have");
}

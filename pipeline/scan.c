/* Album scan and incremental processing.
 *
 * The scan lists the images (sorted, hidden folders such as .personrec skipped), classifies each
 * against the store by size + mtime (hash only when those differ, so an unchanged album costs one
 * stat per photo), and processes new or changed photos in chunks: the workers of a thread pool
 * decode, detect and describe the photos of one chunk in parallel (one detector per worker, as
 * detectors are not thread-safe), then the calling thread stores each photo in its own
 * transaction. A kill therefore loses at most the chunk in flight, and the next run continues
 * where this one stopped: the photos already stored are UNCHANGED.
 *
 * Nothing in the album stops the run but the album itself: a photo that cannot be decoded is
 * stored as skipped with its reason, a sub-folder that cannot be read is left out, and each is
 * named on stderr with pr_report_problem (so `label` ends with exit status 1 after labelling the
 * rest). The workers are never more than the photos to process.
 *
 * What is stored per face: the pr_person record (colour histograms, SIFT, context; no eigenface
 * coefficients, because the eigenface model is learnt from the whole album at clustering time)
 * and a 64 x 64 grey crop from which that model is learnt and the coefficients projected; with
 * descriptors on, the face descriptor. The faces of the other photos are given theirs when they
 * lack one or another front end made it (pipeline/refresh_descriptors.h), on the same pool. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/album_internal.h"

#include "core/alloc.h"
#include "core/files.h"
#include "core/progress.h"
#include "core/threadpool.h"
#include "pipeline/photo_put.h"
#include "pipeline/refresh_descriptors.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

typedef struct job {
    char *rel;            /* store key: path relative to the album (owned) */
    char *full;           /* album/rel (owned) */
    pr_photo_stat stat;
    char *reason;         /* judged during classification (unreadable), owned; NULL = describe */
    const char *retry;    /* stored as skipped by an earlier run and unchanged: tried again;
                             the reason then (borrowed from the scan's skipped_set) */
    pr_described_photo photo; /* the front end's result */
} job;

static void job_clear(job *j)
{
    pr_free(j->rel);
    pr_free(j->full);
    pr_free(j->reason);
    pr_described_photo_clear(&j->photo);
    memset(j, 0, sizeof *j);
}

/* Marks j as judged unreadable with why; out of memory fails (it must not be described instead). */
static pr_status job_skip(job *j, const char *why)
{
    pr_free(j->reason);
    j->reason = pr_strdup(why && why[0] ? why : "unreadable");
    return j->reason ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
}

/* Names a failing photo: "personrec: album/x.jpg: why (photo skipped)". Decoder messages start
 * with the path already (the store may hold one under an older album path): it is said once. */
static void name_failure(const char *full, const char *rel, const char *reason)
{
    size_t fl = strlen(full), rl = strlen(rel);
    const char *why = reason;
    if (strncmp(reason, full, fl) == 0 && strncmp(reason + fl, ": ", 2) == 0) {
        why = reason + fl + 2;
    } else {
        const char *colon = strstr(reason, ": ");
        if (colon && (size_t)(colon - reason) >= rl && strncmp(colon - rl, rel, rl) == 0 &&
            (colon - rl == reason || colon[-(long)rl - 1] == '/'))
            why = colon + 2;
    }
    pr_report_problem("%s: %s (photo skipped)", full, why);
}

typedef struct name_ctx {
    const char *root;
    char *full;
    size_t cap;
    int nomem; /* the naming stopped short: the run fails rather than name only some */
} name_ctx;

static int name_stored(void *vctx, const char *path, const char *reason)
{
    name_ctx *c = vctx;
    size_t need = strlen(c->root) + strlen(path) + 2;
    if (need > c->cap) {
        char *grown = pr_realloc(c->full, need);
        if (!grown)
            return c->nomem = 1;
        c->full = grown;
        c->cap = need;
    }
    snprintf(c->full, need, "%s/%s", c->root, path);
    name_failure(c->full, path, reason);
    return 0;
}

/* Whether one of the photo's faces was left without a descriptor by the net. */
static int has_refused(const pr_described_photo *ph)
{
    for (int i = 0; i < ph->nfaces; i++)
        if (!ph->faces[i].descriptor)
            return 1;
    return 0;
}

/* Stores one photo: its described faces (records serialized) or its skip reason. With descriptors
 * on, the faces the net refused are marked so (pr_store_mark_refused), not tried on every run. */
static pr_status store_job(pr_store *store, job *j, int descriptor, pr_album_summary *sum)
{
    pr_described_photo *ph = &j->photo;
    const char *reason = j->reason ? j->reason : ph->skip_reason;
    int kind = j->reason ? PR_SKIP_UNREADABLE : ph->skip_kind;
    /* Tried again and failing as before: the store already says so, and writing the same row
     * again would mark the clustering out of date on every run. */
    if (j->retry && reason && strcmp(reason, j->retry) == 0) {
        sum->unchanged++;
        return PR_OK;
    }
    int64_t id = 0;
    int refused = descriptor && !reason && has_refused(ph);
    pr_status st = refused ? pr_store_begin(store) : PR_OK;
    if (st != PR_OK)
        return st;
    st = pr_photo_put(store, j->rel, &j->stat, ph, reason, &id);
    if (refused) {
        if (st == PR_OK)
            st = pr_store_mark_refused(store, id);
        st = st == PR_OK ? pr_store_commit(store) : pr_store_abort(store, st);
    }
    if (st == PR_OK && reason) {
        if (pr_album_is_known(j->rel)) /* album photos are named from the store at the end */
            name_failure(j->full, j->rel, reason);
        sum->skipped_now++;
        sum->skip_kind[kind]++;
    } else if (st == PR_OK) {
        sum->processed++;
    }
    return st;
}

/* Describes the photos of one chunk in parallel (pipeline/describe.h), photos judged unreadable
 * during classification excepted. Results land by index. */
static pr_status describe_chunk(const pr_describe_params *dp, job *jobs, size_t n)
{
    const char **paths = pr_calloc(n, sizeof *paths), **keys = pr_calloc(n, sizeof *keys);
    size_t *index = pr_calloc(n, sizeof *index);
    pr_described_photo *out = pr_calloc(n, sizeof *out);
    size_t m = 0;
    pr_status st = PR_OK;
    if (!paths || !keys || !index || !out) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (size_t i = 0; i < n; i++)
        if (!jobs[i].reason) {
            paths[m] = jobs[i].full;
            keys[m] = jobs[i].rel;
            index[m++] = i;
        }
    if ((st = pr_describe_photos(dp, paths, keys, m, out)) == PR_OK)
        for (size_t k = 0; k < m; k++)
            jobs[index[k]].photo = out[k]; /* handed over */
done:
    pr_free(paths);
    pr_free(keys);
    pr_free(index);
    pr_free(out);
    return st;
}

/* The album photos stored as skipped by earlier runs, with their reasons, sorted by path. */
typedef struct skipped_photo {
    char *path, *reason;
} skipped_photo;

typedef struct skipped_set {
    skipped_photo *items;
    size_t n, cap;
    int nomem;
} skipped_set;

static int collect_skipped(void *vctx, const char *path, const char *reason)
{
    skipped_set *k = vctx;
    skipped_photo *grown = pr_album_grow(k->items, &k->cap, k->n, sizeof *grown);
    if (grown)
        k->items = grown;
    if (!grown)
        return k->nomem = 1;
    skipped_photo *e = &k->items[k->n];
    e->path = pr_strdup(path);
    e->reason = pr_strdup(reason ? reason : "");
    if (!e->path || !e->reason) {
        pr_free(e->path);
        pr_free(e->reason);
        return k->nomem = 1;
    }
    k->n++;
    return 0;
}

static int compare_skipped(const void *a, const void *b)
{
    return strcmp(((const skipped_photo *)a)->path, ((const skipped_photo *)b)->path);
}

/* The reason an album photo was stored as skipped with, or NULL when it was not. */
static const char *skipped_reason(const skipped_set *k, const char *key)
{
    if (!k || !k->n)
        return NULL;
    skipped_photo probe = {(char *)key, NULL};
    const skipped_photo *e = bsearch(&probe, k->items, k->n, sizeof *k->items, compare_skipped);
    return e ? e->reason : NULL;
}

static void skipped_set_clear(skipped_set *k)
{
    for (size_t i = 0; i < k->n; i++) {
        pr_free(k->items[i].path);
        pr_free(k->items[i].reason);
    }
    pr_free(k->items);
    memset(k, 0, sizeof *k);
}

/* A listed path below root, as the store keys album photos ("root/a/b.jpg" -> "a/b.jpg"). */
static const char *below_root(const char *root, const char *full)
{
    size_t root_len = strlen(root);
    while (root_len > 1 && root[root_len - 1] == '/')
        root_len--;
    const char *rel = full + root_len;
    while (*rel == '/')
        rel++;
    return rel;
}

/* Classifies every listed photo; the ones to process are appended to todo. Keys are prefix + the
 * path below root; prefixed keys are outside the album (no move detection). */
static pr_status classify_list(pr_store *store, const pr_file_list *list, const char *root,
                               const char *prefix, const skipped_set *failing, job *todo,
                               size_t *ntodo, pr_album_summary *sum)
{
    pr_status st;
    for (size_t i = 0; i < list->count; i++) {
        const char *full = list->paths[i];
        const char *rel = below_root(root, full);
        char *key = pr_malloc(strlen(prefix) + strlen(rel) + 1);
        if (!key)
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        strcpy(key, prefix);
        strcat(key, rel);
        struct stat sb;
        if (stat(full, &sb) != 0) {
            pr_free(key); /* vanished between listing and now */
            continue;
        }
        pr_photo_stat ps = {(int64_t)sb.st_size, (int64_t)sb.st_mtime, 0};
        pr_photo_state state = PR_PHOTO_NEW;
        int64_t id = 0;
        job *j = &todo[*ntodo];
        pr_status cst = pr_store_classify_file(store, prefix[0] ? NULL : root, full, key, &ps,
                                               &state, &id);
        /* A photo that failed before is tried again although its size and mtime are the same:
         * what made it fail (a permission, an unmounted link target) changes neither. */
        const char *retry =
            cst == PR_OK && state == PR_PHOTO_UNCHANGED ? skipped_reason(failing, key) : NULL;
        if (cst == PR_OK && !retry &&
            (state == PR_PHOTO_UNCHANGED || state == PR_PHOTO_MOVED)) {
            pr_free(key);
            if (sum && state == PR_PHOTO_MOVED)
                sum->moved++;
            else if (sum)
                sum->unchanged++;
            if ((st = pr_store_mark_seen(store, id)) != PR_OK)
                return st;
            continue;
        }
        /* Counted at once: from here on the caller's cleanup frees the job whatever fails. */
        j->rel = key;
        (*ntodo)++;
        j->full = pr_strdup(full);
        j->stat = ps;
        j->retry = retry;
        if (!j->full)
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        if (retry && (st = pr_store_mark_seen(store, id)) != PR_OK)
            return st;
        /* an unchanged photo's hash was not computed; the store keeps it for move detection */
        if (retry && pr_file_hash(full, &j->stat.hash) != PR_OK &&
            (st = job_skip(j, pr_last_error())) != PR_OK)
            return st;
        /* Unreadable (e.g. no permission): stored as skipped so the summary names it. */
        if (cst != PR_OK && (st = job_skip(j, pr_last_error())) != PR_OK)
            return st;
    }
    return PR_OK;
}

/* A face the scan is about to drop with a name a person gave it: a stored album photo that is
 * not in this run's listing (keys: the listing's paths below the root, sorted). */
typedef struct lost_name {
    const char **keys;
    size_t n;
    char name[PR_STORE_NAME_MAX + 1], path[512];
} lost_name;

static int compare_keys(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static int find_lost_name(void *vctx, const pr_store_face_row *row)
{
    lost_name *c = vctx;
    if (row->source != PR_SOURCE_MANUAL || !row->person ||
        strncmp(row->path, PR_ALBUM_KNOWN_PREFIX, strlen(PR_ALBUM_KNOWN_PREFIX)) == 0 ||
        (c->n && bsearch(&row->path, c->keys, c->n, sizeof *c->keys, compare_keys)))
        return 0;
    snprintf(c->name, sizeof c->name, "%s", row->person);
    snprintf(c->path, sizeof c->path, "%s", row->path);
    return 1;
}

/* `label B --out X` (or --db) where X holds album A's store, or an album folder not mounted
 * while its store lives elsewhere: the listing meets none of the store's photos. The drop at the
 * end of the scan keeps the photos whose faces have names people gave (hidden, for when they are
 * back: pr_store_drop_unseen), but the run would still empty the outputs and mix album B into A's
 * store, so it is refused before anything changes, naming such a name; checked only when no
 * stored photo was found unchanged or moved, so an ordinary run pays nothing. */
static pr_status check_same_album(pr_store *store, const pr_file_list *list, const char *root,
                                  const pr_album_summary *sum)
{
    if (!sum || sum->unchanged || sum->moved)
        return PR_OK;
    lost_name c = {NULL, 0, "", ""};
    if (list->count && !(c.keys = pr_malloc_array(list->count, sizeof *c.keys)))
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    for (size_t i = 0; i < list->count; i++)
        c.keys[c.n++] = below_root(root, list->paths[i]);
    if (c.n > 1)
        qsort(c.keys, c.n, sizeof *c.keys, compare_keys);
    pr_status st = pr_store_each_face(store, find_lost_name, &c);
    pr_free(c.keys);
    if (st != PR_OK || !c.name[0])
        return st;
    return pr_set_error(PR_ERR_STATE,
                        "%s: none of the photos in the album store is in this folder, and their "
                        "faces hold names given with 'personrec people' (e.g. '%s' on %s): is the "
                        "store (--out, --db) another album's, or is the album's folder not "
                        "mounted? Nothing was changed. If those photos are gone for good, start "
                        "a new store (another --out or --db)",
                        root, c.name, c.path);
}

/* Photo ids of the --known photos in the store. */
typedef struct known_ids {
    int64_t *ids;
    size_t n, cap;
    pr_status st;
} known_ids;

static int collect_known(void *vctx, const pr_store_face_row *row)
{
    known_ids *k = vctx;
    if (!pr_album_is_known(row->path) || (k->n && k->ids[k->n - 1] == row->photo_id))
        return 0;
    int64_t *grown = pr_album_grow(k->ids, &k->cap, k->n, sizeof *grown);
    if (!grown) {
        k->st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        return 1;
    }
    k->ids = grown;
    k->ids[k->n++] = row->photo_id;
    return 0;
}

/* A run without --known keeps the known photos of earlier runs: they are not part of the album,
 * so not listing them does not mean they are gone, and dropping them would drop their seeds. */
static pr_status keep_known(pr_store *store)
{
    known_ids k = {NULL, 0, 0, PR_OK};
    pr_status st = pr_store_each_face(store, collect_known, &k);
    if (st == PR_OK)
        st = k.st;
    for (size_t i = 0; st == PR_OK && i < k.n; i++)
        st = pr_store_mark_seen(store, k.ids[i]);
    pr_free(k.ids);
    return st;
}

/* Workers for n photos: never more than photos, since each worker holds a detector (and a face
 * net), and --threads 1024 on two photos must not build 1024 of them. */
static int pool_size(const pr_album_params *params, size_t n)
{
    int workers = params->threads > 0 ? params->threads : pr_cpu_count();
    if ((size_t)workers > n)
        workers = (int)n;
    return workers > PR_POOL_MAX_THREADS ? PR_POOL_MAX_THREADS : workers;
}

pr_status pr_album_scan(const pr_album_params *params, pr_store *store, pr_album_summary *sum)
{
    pr_file_list list = {0}, known = {0};
    skipped_set failing = {0};
    pr_pool *pool = NULL;
    pr_detector **detectors = NULL;
    pr_face_net **nets = NULL;
    pr_describe_params dp = pr_describe_params_default();
    dp.descriptor = params->descriptor;
    dp.models_dir = params->models_dir;
    dp.long_side = params->long_side;
    dp.labels = params->labels;
    dp.max_pixels = params->max_pixels;
    dp.max_bytes = params->max_bytes;
    job *todo = NULL;
    size_t ntodo = 0;
    int in_tx = 0;
    pr_refresh refresh;
    pr_refresh_init(&refresh, &dp);
    char *root = pr_strdup(params->album);
    pr_status st = root ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
    if (st != PR_OK)
        return st;
    for (size_t n = strlen(root); n > 1 && root[n - 1] == '/'; n--)
        root[n - 1] = '\0';
    if (!pr_is_directory(root)) {
        st = pr_set_error(PR_ERR_IO, "%s: not a folder", root);
        goto done;
    }
    if ((st = pr_list_images(root, &list)) != PR_OK)
        goto done;
    for (size_t i = 0; i < list.nfailed; i++)
        pr_report_problem("%s", list.failed[i]);
    sum->photos = (int)list.count;
    sum->not_images = (int)list.skipped;
    todo = pr_calloc(list.count ? list.count : 1, sizeof *todo);
    if (!todo) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* The face net must load before another front end's descriptors are cleared: a model that
     * cannot be loaded stops the run with the store as it was. */
    if (dp.descriptor && (st = pr_refresh_prepare(&dp, store, &refresh)) != PR_OK)
        goto done;
    /* Classification: one transaction for the whole album (thousands of tiny writes). */
    if ((st = pr_store_begin(store)) != PR_OK)
        goto done;
    in_tx = 1;
    if ((st = pr_store_begin_scan(store)) != PR_OK)
        goto done;
    /* Before anything is described: the photos described below get this front end's
     * descriptors, and the store's of another front end must be gone by then. */
    if (dp.descriptor && (st = pr_refresh_check(store, &refresh)) != PR_OK)
        goto done;
    if ((st = pr_store_each_skipped(store, collect_skipped, &failing)) != PR_OK)
        goto done;
    if (failing.nomem) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* bsearch needs strcmp order; the store's is the same (BINARY collation), sorting is cheap */
    if (failing.n) /* qsort(NULL, 0) is undefined behaviour */
        qsort(failing.items, failing.n, sizeof *failing.items, compare_skipped);
    if ((st = classify_list(store, &list, root, "", &failing, todo, &ntodo, sum)) != PR_OK)
        goto done;
    if ((st = check_same_album(store, &list, root, sum)) != PR_OK) {
        pr_store_abort(store, st); /* nothing of this run is kept, not even its seen marks */
        in_tx = 0;
        goto done;
    }
    if (params->known) {
        if (!pr_is_directory(params->known)) {
            st = pr_set_error(PR_ERR_IO, "%s: --known is not a folder", params->known);
            goto done;
        }
        if ((st = pr_list_images(params->known, &known)) != PR_OK)
            goto done;
        for (size_t i = 0; i < known.nfailed; i++)
            pr_report_problem("%s", known.failed[i]);
        job *more = pr_calloc(list.count + known.count + 1, sizeof *more);
        if (!more) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto done;
        }
        memcpy(more, todo, sizeof *todo * ntodo);
        pr_free(todo);
        todo = more;
        if ((st = classify_list(store, &known, params->known, PR_ALBUM_KNOWN_PREFIX, NULL, todo,
                                &ntodo, NULL)) != PR_OK)
            goto done;
    }
    /* Kept before the descriptors are collected, so that the faces of the --known photos this run
     * cannot read are counted as waiting for a run with --known (refresh_descriptors.h). */
    if (!params->known && (st = keep_known(store)) != PR_OK)
        goto done;
    if ((st = pr_store_commit(store)) != PR_OK)
        goto done;
    in_tx = 0;
    /* The faces of the photos seen, unchanged, that lack a descriptor (the new and changed photos
     * are not stored yet, and get theirs when they are described). */
    if (dp.descriptor && (st = pr_refresh_collect(store, root, params->known, &refresh)) != PR_OK)
        goto done;
    size_t nprocess = ntodo;
    if (params->max_photos > 0 && nprocess > (size_t)params->max_photos)
        nprocess = (size_t)params->max_photos;

    /* Photos judged at classification (unreadable) need no decoder: when they are all there is,
     * no pool, detector or face net is built (a re-run that only names them stays cheap). */
    size_t ndescribe = 0;
    for (size_t i = 0; i < nprocess; i++)
        ndescribe += todo[i].reason == NULL;
    for (size_t i = 0; !ndescribe && i < nprocess; i++) {
        if ((st = store_job(store, &todo[i], dp.descriptor, sum)) != PR_OK)
            goto done;
        job_clear(&todo[i]);
    }
    if (ndescribe) {
        if ((st = pr_pool_new(pool_size(params, ndescribe), &pool)) != PR_OK)
            goto done;
        dp.pool = pool;
        if (!dp.labels) {
            if ((st = pr_describe_detectors(&dp, pr_pool_size(pool), &detectors)) != PR_OK)
                goto done;
            dp.detectors = detectors;
        }
        if (dp.descriptor) {
            if ((st = pr_describe_nets(&dp, pr_pool_size(pool), &nets)) != PR_OK)
                goto done;
            dp.nets = nets;
        }
        if ((st = pr_progress_new("label", "photos", (long)ndescribe,
                                  (pr_progress_mode)params->progress, &dp.progress)) != PR_OK)
            goto done;
        size_t chunk = params->chunk > 0 ? (size_t)params->chunk : (size_t)pr_pool_size(pool) * 4;
        for (size_t first = 0; first < nprocess; first += chunk) {
            size_t n = nprocess - first < chunk ? nprocess - first : chunk;
            if ((st = describe_chunk(&dp, todo + first, n)) != PR_OK)
                goto done;
            /* Stored in photo order, each photo in its own transaction. */
            for (size_t i = 0; i < n; i++) {
                if ((st = store_job(store, &todo[first + i], dp.descriptor, sum)) != PR_OK)
                    goto done;
                job_clear(&todo[first + i]);
            }
        }
        pr_progress_delete(dp.progress); /* its line before the descriptors' */
        dp.progress = NULL;
    }
    if (refresh.n) {
        int workers = pool_size(params, refresh.n);
        /* The scan's pool when it is large enough (it was sized for the photos it described). */
        if (pool && pr_pool_size(pool) < workers) {
            pr_describe_detectors_delete(detectors, pr_pool_size(pool));
            pr_describe_nets_delete(nets, pr_pool_size(pool));
            pr_pool_delete(pool);
            detectors = NULL;
            nets = NULL;
            pool = NULL;
            dp.detectors = NULL;
            dp.nets = NULL;
        }
        if (!pool && (st = pr_pool_new(workers, &pool)) != PR_OK)
            goto done;
        dp.pool = pool;
        if (!nets && (st = pr_describe_nets(&dp, pr_pool_size(pool), &nets)) != PR_OK)
            goto done;
        dp.nets = nets;
        size_t chunk = params->chunk > 0 ? (size_t)params->chunk : 0;
        if ((st = pr_refresh_run(&dp, store, &refresh, chunk, params->progress)) != PR_OK)
            goto done;
    }
    if (params->max_photos <= 0) {
        int dropped = 0;
        if ((st = pr_store_drop_unseen(store, &dropped)) != PR_OK)
            goto done;
        sum->dropped = dropped;
    }
    /* Every failing photo of the album is named on every run, the ones that failed in an earlier
     * run too (they are still photos of the album nobody can see labelled), once each, by path. */
    {
        name_ctx nc = {root, NULL, 0, 0};
        st = pr_store_each_skipped(store, name_stored, &nc);
        pr_free(nc.full);
        if (st == PR_OK && nc.nomem)
            st = pr_set_error(PR_ERR_NOMEM, "out of memory naming the photos that failed");
        if (st != PR_OK)
            goto done;
    }
done:
    if (in_tx && st != PR_OK) {
        pr_status keep = st;
        char msg[512];
        snprintf(msg, sizeof msg, "%s", pr_last_error());
        (void)pr_store_commit(store);
        st = pr_set_error(keep, "%s", msg);
    }
    pr_refresh_summary(&refresh, sum);
    pr_refresh_clear(&refresh);
    pr_progress_delete(dp.progress);
    pr_describe_detectors_delete(detectors, pool ? pr_pool_size(pool) : 0);
    pr_describe_nets_delete(nets, pool ? pr_pool_size(pool) : 0);
    pr_pool_delete(pool);
    if (todo) {
        for (size_t i = 0; i < ntodo; i++)
            job_clear(&todo[i]);
        pr_free(todo);
    }
    pr_file_list_clear(&list);
    pr_file_list_clear(&known);
    skipped_set_clear(&failing);
    pr_free(root);
    return st;
}

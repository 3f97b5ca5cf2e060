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
 * What is stored per face: the pr_person record (colour histograms, SIFT, context; no eigenface
 * coefficients, because the eigenface model is learnt from the whole album at clustering time)
 * and a 64 x 64 grey crop from which that model is learnt and the coefficients projected. */
#define _POSIX_C_SOURCE 200809L
#include "album/album_internal.h"

#include "core/alloc.h"
#include "core/files.h"
#include "core/image.h"
#include "core/progress.h"
#include "core/threadpool.h"
#include "detect/detect.h"
#include "features/eigenfaces.h"
#include "features/person.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

/* Features are computed on the photo scaled so its long side is at most this: the body histogram
 * and SIFT of a 24 MP photo are no better than at 1600 px, only slower. */
enum { FEATURE_LONG_SIDE = 1600 };

typedef struct job {
    char *rel;            /* path relative to the album (owned) */
    char *full;           /* album/rel (owned) */
    pr_photo_stat stat;
    /* results */
    char *reason;         /* skip reason (owned), NULL = processed */
    int skip_kind;
    int width, height;
    char exif_time[20];
    int has_time;
    int nfaces;
    pr_store_face *faces; /* nfaces; features/crop owned by the job */
} job;

typedef struct scan_ctx {
    const pr_album_params *params;
    pr_detector **detectors; /* one per worker */
    pr_person_params person;
    pr_eigenfaces_params eigen;
    job *jobs;
    pr_progress *progress;
} scan_ctx;

static void job_clear(job *j)
{
    pr_free(j->rel);
    pr_free(j->full);
    pr_free(j->reason);
    for (int i = 0; i < j->nfaces; i++) {
        pr_free((void *)j->faces[i].features);
        pr_free((void *)j->faces[i].crop);
    }
    pr_free(j->faces);
    memset(j, 0, sizeof *j);
}

static void job_skip(job *j, int kind, const char *why)
{
    j->skip_kind = kind;
    j->reason = pr_strdup(why && why[0] ? why : "unreadable");
}

int pr_album_skip_kind(pr_status st)
{
    switch (st) {
    case PR_ERR_LIMIT: return PR_ALBUM_SKIP_TOO_BIG;
    case PR_ERR_IO: return PR_ALBUM_SKIP_UNREADABLE;
    default: return PR_ALBUM_SKIP_CORRUPT;
    }
}

/* Describes the detected faces of one photo: records + crops into j->faces. */
static pr_status describe(scan_ctx *c, job *j, const pr_image *img, const pr_faces *faces)
{
    int n = (int)faces->count;
    pr_status st = PR_OK;
    pr_image *small = NULL;
    pr_person **people = NULL;
    pr_box *boxes = NULL;
    float *row = NULL;
    j->faces = pr_calloc((size_t)n, sizeof *j->faces);
    people = pr_calloc((size_t)n, sizeof *people);
    boxes = pr_calloc((size_t)n, sizeof *boxes);
    row = pr_malloc(sizeof(float) * PR_ALBUM_CROP * PR_ALBUM_CROP);
    if (!j->faces || !people || !boxes || !row) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    j->nfaces = n;
    int longest = img->width > img->height ? img->width : img->height;
    double scale = longest > FEATURE_LONG_SIDE ? (double)FEATURE_LONG_SIDE / longest : 1.0;
    const pr_image *fimg = img;
    if (scale < 1.0) {
        int w = (int)lround(img->width * scale), h = (int)lround(img->height * scale);
        if ((st = pr_image_resize(img, w > 0 ? w : 1, h > 0 ? h : 1, &small)) != PR_OK)
            goto done;
        fimg = small;
    }
    for (int i = 0; i < n; i++) {
        const pr_box *b = &faces->items[i].box;
        boxes[i] = (pr_box){b->x * scale, b->y * scale, b->w * scale, b->h * scale};
    }
    if ((st = pr_person_extract_photo(fimg, boxes, n, NULL, 0, &c->person, NULL, people)) !=
        PR_OK)
        goto done;
    for (int i = 0; i < n; i++) {
        pr_store_face *f = &j->faces[i];
        f->box = faces->items[i].box;
        f->score = faces->items[i].score;
        f->pose = (int)faces->items[i].pose;
        /* Boxes in the record are in photo pixels like the store's. */
        people[i]->face = faces->items[i].box;
        people[i]->body = (pr_box){people[i]->body.x / scale, people[i]->body.y / scale,
                                   people[i]->body.w / scale, people[i]->body.h / scale};
        uint8_t *blob = NULL;
        size_t size = 0;
        if ((st = pr_person_serialize(people[i], &blob, &size)) != PR_OK)
            goto done;
        f->features = blob;
        f->features_size = size;
        /* A face too small for a crop simply has no eigenface cue. */
        if (pr_eigenfaces_preprocess(img, &f->box, &c->eigen, row) == PR_OK) {
            uint8_t *crop = pr_malloc(PR_ALBUM_CROP * PR_ALBUM_CROP);
            if (!crop) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                goto done;
            }
            for (int k = 0; k < PR_ALBUM_CROP * PR_ALBUM_CROP; k++) {
                float v = row[k] * 255.0f + 0.5f;
                crop[k] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
            }
            f->crop = crop;
            f->crop_size = PR_ALBUM_CROP * PR_ALBUM_CROP;
        }
    }
done:
    if (people)
        for (int i = 0; i < n; i++)
            pr_person_delete(people[i]);
    pr_free(people);
    pr_free(boxes);
    pr_free(row);
    pr_image_delete(small);
    return st;
}

static void process_one(void *vctx, long index, int worker)
{
    scan_ctx *c = vctx;
    job *j = &c->jobs[index];
    pr_image *img = NULL;
    pr_faces faces = {0};
    if (j->reason) /* judged during classification (unreadable) */
        goto done;
    if (j->stat.size == 0) {
        job_skip(j, PR_ALBUM_SKIP_EMPTY, "empty file");
        goto done;
    }
    if (j->stat.size > c->params->max_bytes) {
        char why[96];
        snprintf(why, sizeof why, "file too large (%lld bytes)", (long long)j->stat.size);
        job_skip(j, PR_ALBUM_SKIP_TOO_BIG, why);
        goto done;
    }
    pr_image_load_params lp = pr_image_load_params_default();
    lp.max_pixels = c->params->max_pixels;
    pr_image_info info;
    pr_status st = pr_image_load(j->full, &lp, &img, &info);
    if (st != PR_OK) {
        job_skip(j, pr_album_skip_kind(st), pr_last_error());
        goto done;
    }
    j->width = img->width;
    j->height = img->height;
    if (info.has_datetime) {
        memcpy(j->exif_time, info.datetime, sizeof j->exif_time);
        j->has_time = 1;
    }
    if ((st = pr_detector_run(c->detectors[worker], img, &faces)) != PR_OK ||
        (faces.count && (st = describe(c, j, img, &faces)) != PR_OK)) {
        /* A photo that breaks the detector or the features is skipped, not fatal. */
        for (int i = 0; i < j->nfaces; i++) {
            pr_free((void *)j->faces[i].features);
            pr_free((void *)j->faces[i].crop);
        }
        pr_free(j->faces);
        j->faces = NULL;
        j->nfaces = 0;
        job_skip(j, pr_album_skip_kind(st), pr_last_error());
    }
done:
    pr_faces_free(&faces);
    pr_image_delete(img);
    pr_progress_step(c->progress, 1);
}

/* Classifies every listed photo; the ones to process are appended to todo. Keys are prefix + the
 * path below root; prefixed keys are outside the album (no move detection). */
static pr_status classify_list(pr_store *store, const pr_file_list *list, const char *root,
                               const char *prefix, job *todo, size_t *ntodo, pr_album_summary *sum)
{
    size_t root_len = strlen(root);
    while (root_len > 1 && root[root_len - 1] == '/')
        root_len--;
    for (size_t i = 0; i < list->count; i++) {
        const char *full = list->paths[i];
        const char *rel = full + root_len;
        while (*rel == '/')
            rel++;
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
        if (cst == PR_OK && (state == PR_PHOTO_UNCHANGED || state == PR_PHOTO_MOVED)) {
            pr_free(key);
            if (sum && state == PR_PHOTO_MOVED)
                sum->moved++;
            else if (sum)
                sum->unchanged++;
            pr_status st = pr_store_mark_seen(store, id);
            if (st != PR_OK)
                return st;
            continue;
        }
        j->rel = key;
        j->full = pr_strdup(full);
        j->stat = ps;
        if (!j->full)
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        /* Unreadable (e.g. no permission): stored as skipped so the summary names it. */
        if (cst != PR_OK)
            job_skip(j, PR_ALBUM_SKIP_UNREADABLE, pr_last_error());
        (*ntodo)++;
    }
    return PR_OK;
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
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        int64_t *ids = pr_malloc(sizeof *ids * cap);
        if (!ids) {
            k->st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            return 1;
        }
        if (k->n)
            memcpy(ids, k->ids, sizeof *ids * k->n);
        pr_free(k->ids);
        k->ids = ids;
        k->cap = cap;
    }
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

pr_status pr_album_scan(const pr_album_params *params, pr_store *store, pr_album_summary *sum)
{
    pr_file_list list = {0}, known = {0};
    pr_pool *pool = NULL;
    scan_ctx c;
    memset(&c, 0, sizeof c);
    c.params = params;
    job *todo = NULL;
    size_t ntodo = 0;
    int in_tx = 0;
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
    sum->photos = (int)list.count;
    sum->not_images = (int)list.skipped;
    todo = pr_calloc(list.count ? list.count : 1, sizeof *todo);
    if (!todo) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* Classification: one transaction for the whole album (thousands of tiny writes). */
    if ((st = pr_store_begin(store)) != PR_OK)
        goto done;
    in_tx = 1;
    if ((st = pr_store_begin_scan(store)) != PR_OK)
        goto done;
    if ((st = classify_list(store, &list, root, "", todo, &ntodo, sum)) != PR_OK)
        goto done;
    if (params->known) {
        if (!pr_is_directory(params->known)) {
            st = pr_set_error(PR_ERR_IO, "%s: --known is not a folder", params->known);
            goto done;
        }
        if ((st = pr_list_images(params->known, &known)) != PR_OK)
            goto done;
        job *more = pr_calloc(list.count + known.count + 1, sizeof *more);
        if (!more) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto done;
        }
        memcpy(more, todo, sizeof *todo * ntodo);
        pr_free(todo);
        todo = more;
        if ((st = classify_list(store, &known, params->known, PR_ALBUM_KNOWN_PREFIX, todo, &ntodo,
                                NULL)) != PR_OK)
            goto done;
    }
    if ((st = pr_store_commit(store)) != PR_OK)
        goto done;
    in_tx = 0;
    size_t nprocess = ntodo;
    if (params->max_photos > 0 && nprocess > (size_t)params->max_photos)
        nprocess = (size_t)params->max_photos;

    if (nprocess) {
        if ((st = pr_pool_new(params->threads, &pool)) != PR_OK)
            goto done;
        int workers = pr_pool_size(pool);
        c.detectors = pr_calloc((size_t)workers, sizeof *c.detectors);
        if (!c.detectors) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto done;
        }
        pr_detector_params dp = pr_detector_params_default();
        for (int w = 0; w < workers; w++)
            if ((st = pr_detector_new(&dp, &c.detectors[w])) != PR_OK)
                goto done;
        c.person = pr_person_params_default();
        c.eigen = pr_eigenfaces_params_default();
        c.eigen.width = c.eigen.height = PR_ALBUM_CROP;
        if ((st = pr_progress_new("label", "photos", (long)nprocess,
                                  (pr_progress_mode)params->progress, &c.progress)) != PR_OK)
            goto done;
        size_t chunk = params->chunk > 0 ? (size_t)params->chunk : (size_t)workers * 4;
        for (size_t first = 0; first < nprocess; first += chunk) {
            size_t n = nprocess - first < chunk ? nprocess - first : chunk;
            c.jobs = todo + first;
            pr_pool_for(pool, (long)n, process_one, &c);
            for (size_t i = 0; i < n; i++) {
                job *j = &c.jobs[i];
                if ((st = pr_store_put_photo(store, j->rel, &j->stat,
                                             j->has_time ? j->exif_time : NULL, j->width,
                                             j->height, j->reason, j->faces, (size_t)j->nfaces,
                                             NULL)) != PR_OK)
                    goto done;
                if (j->reason) {
                    sum->skipped_now++;
                    sum->skip_kind[j->skip_kind]++;
                } else {
                    sum->processed++;
                }
                job_clear(j);
            }
        }
    }
    if (params->max_photos <= 0) {
        int dropped = 0;
        if (!params->known && (st = keep_known(store)) != PR_OK)
            goto done;
        if ((st = pr_store_drop_unseen(store, &dropped)) != PR_OK)
            goto done;
        sum->dropped = dropped;
    }
done:
    if (in_tx && st != PR_OK) {
        pr_status keep = st;
        char msg[512];
        snprintf(msg, sizeof msg, "%s", pr_last_error());
        (void)pr_store_commit(store);
        st = pr_set_error(keep, "%s", msg);
    }
    pr_progress_delete(c.progress);
    if (c.detectors) {
        for (int w = 0; pool && w < pr_pool_size(pool); w++)
            pr_detector_delete(c.detectors[w]);
        pr_free(c.detectors);
    }
    pr_pool_delete(pool);
    if (todo) {
        for (size_t i = 0; i < ntodo; i++)
            job_clear(&todo[i]);
        pr_free(todo);
    }
    pr_file_list_clear(&list);
    pr_file_list_clear(&known);
    pr_free(root);
    return st;
}

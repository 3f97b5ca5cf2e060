/* Clustering and naming over every face in the store.
 *
 * 1. Read all faces (pr_person records + 8-bit grey crops) and their current assignments; seed
 *    and manual names are kept, automatic ones are recomputed.
 * 2. Everything from the records to the partition is cluster/instances.h, the same code and the
 *    same defaults as `personrec cluster` (so thesis/results/cluster.md describes this too):
 *    eigenfaces learnt from the album's crops, events from the capture times of the photos,
 *    per-cue distances fused by rank, k-medoids with the same-photo cannot-link, k by Rousseeuw's
 *    silhouette unless given (or the radius cover on request).
 * 3. cluster/naming gives each cluster the name of its seeds (majority) and each face a confidence;
 *    clusters without seeds are named "person_<face id of the medoid>", stable while the medoid
 *    stays. */
#define _POSIX_C_SOURCE 200809L
#include "album/album_internal.h"

#include "cluster/instances.h"
#include "cluster/matrix.h"
#include "cluster/naming.h"
#include "core/alloc.h"
#include "features/context.h"
#include "features/person.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

typedef struct inst {
    int64_t face_id, photo_id;
    pr_person *person; /* NULL when the blob was missing or malformed: every cue missing */
    uint8_t *crop;     /* PR_ALBUM_CROP^2 or NULL */
    char *name;        /* seed/manual name or NULL */
    pr_source source;
    int photo;         /* index into the photo list */
} inst;

typedef struct load_ctx {
    inst *items;
    int n, cap;
    int64_t last_photo;
    double *times;     /* per photo */
    int nphotos, cap_photos;
    pr_status st;
} load_ctx;

static int load_face(void *vctx, const pr_store_face_row *row)
{
    load_ctx *c = vctx;
    if (c->n == c->cap) {
        int cap = c->cap ? c->cap * 2 : 256;
        inst *items = pr_malloc(sizeof *items * (size_t)cap);
        if (!items)
            goto nomem;
        if (c->n)
            memcpy(items, c->items, sizeof *items * (size_t)c->n);
        pr_free(c->items);
        c->items = items;
        c->cap = cap;
    }
    if (row->photo_id != c->last_photo) {
        if (c->nphotos == c->cap_photos) {
            int cap = c->cap_photos ? c->cap_photos * 2 : 256;
            double *t = pr_malloc(sizeof *t * (size_t)cap);
            if (!t)
                goto nomem;
            if (c->nphotos)
                memcpy(t, c->times, sizeof *t * (size_t)c->nphotos);
            pr_free(c->times);
            c->times = t;
            c->cap_photos = cap;
        }
        double sec = NAN;
        if (!row->exif_time || pr_exif_time_seconds(row->exif_time, &sec) != 0)
            sec = NAN;
        c->times[c->nphotos++] = sec;
        c->last_photo = row->photo_id;
    }
    inst *it = &c->items[c->n];
    memset(it, 0, sizeof *it);
    it->face_id = row->face_id;
    it->photo_id = row->photo_id;
    it->photo = c->nphotos - 1;
    if (row->features && row->features_size &&
        pr_person_deserialize(row->features, row->features_size, &it->person) != PR_OK)
        it->person = NULL; /* a damaged record: the face is clustered on what remains */
    if (row->crop && row->crop_size == PR_ALBUM_CROP * PR_ALBUM_CROP) {
        it->crop = pr_malloc(row->crop_size);
        if (!it->crop)
            goto nomem;
        memcpy(it->crop, row->crop, row->crop_size);
    }
    if (row->person && row->source != PR_SOURCE_AUTO) {
        it->name = pr_strdup(row->person);
        if (!it->name)
            goto nomem;
        it->source = row->source;
    }
    c->n++;
    return 0;
nomem:
    c->st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    return 1;
}

static int find_name(char **names, int count, const char *name)
{
    for (int i = 0; i < count; i++)
        if (strcmp(names[i], name) == 0)
            return i;
    return -1;
}

pr_status pr_album_cluster(const pr_album_params *params, pr_store *store, pr_album_summary *sum)
{
    load_ctx lc;
    memset(&lc, 0, sizeof lc);
    lc.last_photo = -1;
    float *fused = NULL;
    int *seed_name = NULL, *name_out = NULL;
    int32_t *group = NULL, *event = NULL;
    double *conf = NULL, *times = NULL;
    char **names = NULL;
    pr_person **persons = NULL;
    const uint8_t **crops = NULL;
    int nnames = 0, in_tx = 0;
    int *cluster_name = NULL;
    pr_kmedoids_result km;
    memset(&km, 0, sizeof km);

    pr_status st = pr_store_each_face(store, load_face, &lc);
    if (st == PR_OK)
        st = lc.st;
    if (st != PR_OK)
        goto done;
    int n = lc.n;
    if ((st = pr_store_begin(store)) != PR_OK)
        goto done;
    in_tx = 1;
    if ((st = pr_store_clear_auto(store)) != PR_OK)
        goto done;
    if (n == 0)
        goto commit;

    group = pr_malloc(sizeof(int32_t) * (size_t)n);
    event = pr_malloc(sizeof(int32_t) * (size_t)n);
    times = pr_malloc(sizeof(double) * (size_t)n);
    persons = pr_calloc((size_t)n, sizeof *persons);
    crops = pr_calloc((size_t)n, sizeof *crops);
    seed_name = pr_malloc(sizeof(int) * (size_t)n);
    name_out = pr_malloc(sizeof(int) * (size_t)n);
    conf = pr_malloc(sizeof(double) * (size_t)n);
    names = pr_calloc((size_t)n, sizeof *names);
    if (!group || !event || !times || !persons || !crops || !seed_name || !name_out || !conf ||
        !names) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++) {
        group[i] = lc.items[i].photo;
        times[i] = lc.times[lc.items[i].photo];
        persons[i] = lc.items[i].person; /* borrowed from the instance */
        crops[i] = lc.items[i].crop;
        seed_name[i] = -1;
        if (lc.items[i].name) {
            int id = find_name(names, nnames, lc.items[i].name);
            if (id < 0) {
                id = nnames;
                names[nnames++] = lc.items[i].name; /* borrowed from the instance */
            }
            seed_name[i] = id;
        }
    }
    if ((st = pr_instances_events(times, group, n, event)) != PR_OK)
        goto done;
    pr_instances_eigen_params ep = pr_instances_eigen_params_default();
    ep.width = ep.height = PR_ALBUM_CROP;
    if ((st = pr_instances_eigenfaces(&ep, crops, n, NULL, persons, NULL)) != PR_OK)
        goto done;
    if ((fused = pr_matrix_alloc((size_t)n, (size_t)n)) == NULL) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory for %d x %d distances", n, n);
        goto done;
    }
    pr_instances_params ip = pr_instances_params_default();
    ip.threads = params->threads;
    if ((st = pr_instances_distances(&ip, (const pr_person *const *)persons, n, event, fused)) !=
        PR_OK)
        goto done;
    pr_instances_cluster_params cp = pr_instances_cluster_params_default();
    cp.k = params->k;
    cp.choose.kmedoids.threads = params->threads;
    if (params->choose_radius)
        cp.choose.method = PR_CHOOSE_K_RADIUS;
    if (params->radius > 0)
        cp.choose.radius = params->radius;
    if ((st = pr_instances_cluster(fused, n, group, &cp, &km, NULL)) != PR_OK)
        goto done;

    cluster_name = pr_malloc(sizeof(int) * (size_t)(km.k > 0 ? km.k : 1));
    if (!cluster_name) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    pr_suggest_params np = pr_suggest_params_default();
    if ((st = pr_suggest_names(fused, n, km.labels, km.k, seed_name, &np, name_out, conf,
                               cluster_name)) != PR_OK)
        goto done;
    for (int i = 0; i < n; i++) {
        if (lc.items[i].name)
            continue; /* seed or manual: stays */
        int c = km.labels[i];
        char auto_name[48];
        const char *name;
        double confidence;
        if (cluster_name[c] >= 0) {
            name = names[cluster_name[c]];
            confidence = conf[i];
        } else {
            const inst *med = &lc.items[km.medoids[c]];
            snprintf(auto_name, sizeof auto_name, "person_%lld", (long long)med->face_id);
            name = auto_name;
            float d = fused[(size_t)i * n + km.medoids[c]];
            confidence = d < 0 ? 1.0 : d > 1 ? 0.0 : 1.0 - d;
        }
        int64_t pid = 0;
        if ((st = pr_store_person_id(store, name, &pid)) != PR_OK ||
            (st = pr_store_assign(store, lc.items[i].face_id, pid, confidence,
                                  PR_SOURCE_AUTO)) != PR_OK)
            goto done;
    }
commit:
    if ((st = pr_store_meta_set(store, PR_ALBUM_META_DIRTY, "0")) != PR_OK)
        goto done;
    st = pr_store_commit(store);
    in_tx = 0;
    if (sum)
        sum->clustered = 1;
done:
    if (in_tx) {
        char msg[512];
        snprintf(msg, sizeof msg, "%s", pr_last_error());
        pr_status keep = st;
        /* Nothing half-done stays: the automatic assignments come back with the old ones. */
        pr_store_rollback(store);
        st = pr_set_error(keep, "%s", msg);
    }
    pr_kmedoids_result_free(&km);
    pr_free(cluster_name);
    pr_matrix_free(fused);
    for (int i = 0; i < lc.n; i++) {
        pr_person_delete(lc.items[i].person);
        pr_free(lc.items[i].crop);
        pr_free(lc.items[i].name);
    }
    pr_free(lc.items);
    pr_free(lc.times);
    pr_free(group);
    pr_free(event);
    pr_free(times);
    pr_free(persons);
    pr_free(crops);
    pr_free(seed_name);
    pr_free(name_out);
    pr_free(conf);
    pr_free(names);
    return st;
}

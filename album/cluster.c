/* Clustering and naming over every face in the store.
 *
 * 1. Read all faces (pr_person records + crops) and their current assignments; seed and manual
 *    names are kept, automatic ones are recomputed.
 * 2. Eigenfaces (Turk & Pentland 1991) are learnt from this album's own face crops (measured:
 *    a model from other faces is worse, thesis/results/features.md) and every face projected.
 * 3. One N x N distance matrix per cue: eigenface L2, face SIFT (1 - ratio-test match share),
 *    body and face-band colour (chi-square on HSV histograms), body SIFT, background colour.
 *    Clothing and background only say something within one event (same day, same clothes): when
 *    both photos carry a capture time and the events differ, those cues are missing for the pair.
 * 4. cluster/fusion maps every cue to its rank among the album's pairs and averages with weights
 *    (the cues' measured ROC-AUC margins over chance on the evaluation album); k-medoids with the
 *    "two faces of one photo are two people" cannot-link groups the faces, k chosen by the
 *    medoid silhouette unless given.
 * 5. cluster/naming gives each cluster the name of its seeds (majority) and each face a confidence;
 *    clusters without seeds are named "person_<face id of the medoid>", stable while the medoid
 *    stays. */
#define _POSIX_C_SOURCE 200809L
#include "album/album_internal.h"

#include "cluster/choose_k.h"
#include "cluster/fusion.h"
#include "cluster/kmedoids.h"
#include "cluster/matrix.h"
#include "cluster/naming.h"
#include "core/alloc.h"
#include "core/threadpool.h"
#include "features/color_hist.h"
#include "features/context.h"
#include "features/eigenfaces.h"
#include "features/person.h"
#include "features/sift.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { CUE_EIGEN, CUE_SIFT_FACE, CUE_BODY, CUE_BAND, CUE_SIFT_BODY, CUE_BACKGROUND, CUE_COUNT };
static const char *const cue_names[CUE_COUNT] = {"eigenface_l2", "sift_face",  "body_hsv_chi2",
                                                 "band_hsv_chi2", "sift_body", "background"};
/* AUC - 0.5 per cue on the evaluation album (thesis/results/features.md). */
static const double cue_weights[CUE_COUNT] = {0.18, 0.21, 0.18, 0.14, 0.15, 0.10};

typedef struct inst {
    int64_t face_id, photo_id;
    pr_person *person; /* NULL when the blob was missing or malformed: every cue missing */
    uint8_t *crop;     /* PR_ALBUM_CROP^2 or NULL */
    char *name;        /* seed/manual name or NULL */
    pr_source source;
    int photo;         /* index into the photo list */
    float *eigen;      /* coefficients or NULL */
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

typedef struct cue_ctx {
    inst *items;
    int n;
    const int *event; /* per instance */
    float *m[CUE_COUNT];
    int k_eigen;
} cue_ctx;

static float hist_d(const pr_color_hist *a, const pr_color_hist *b)
{
    if (!a->n || !b->n || a->n != b->n)
        return NAN;
    return (float)pr_color_hist_distance(a, b, PR_HIST_CHI2);
}

static float sift_d(const pr_sift_set *a, const pr_sift_set *b)
{
    double s = (a && b) ? pr_sift_similarity(a, b, 0.8) : NAN;
    return isnan(s) ? NAN : (float)(1.0 - s);
}

static void cue_row(void *vctx, long li, int worker)
{
    (void)worker;
    cue_ctx *c = vctx;
    int i = (int)li, n = c->n;
    const inst *a = &c->items[i];
    for (int j = i; j < n; j++) {
        const inst *b = &c->items[j];
        float v[CUE_COUNT];
        for (int q = 0; q < CUE_COUNT; q++)
            v[q] = NAN;
        if (i == j) {
            for (int q = 0; q < CUE_COUNT; q++)
                v[q] = 0;
        } else {
            if (a->eigen && b->eigen)
                v[CUE_EIGEN] = (float)pr_eigenfaces_distance_l2(a->eigen, b->eigen, 0, c->k_eigen);
            if (a->person && b->person) {
                const pr_person *p = a->person, *r = b->person;
                int other_event = c->event[i] >= 0 && c->event[j] >= 0 && c->event[i] != c->event[j];
                v[CUE_SIFT_FACE] = sift_d(p->sift_face, r->sift_face);
                v[CUE_BAND] = hist_d(&p->band_hist, &r->band_hist);
                if (!other_event) {
                    v[CUE_BODY] = hist_d(&p->body_hist, &r->body_hist);
                    v[CUE_SIFT_BODY] = sift_d(p->sift_body, r->sift_body);
                    v[CUE_BACKGROUND] = hist_d(&p->background, &r->background);
                }
            }
        }
        for (int q = 0; q < CUE_COUNT; q++) {
            c->m[q][(size_t)i * n + j] = v[q];
            c->m[q][(size_t)j * n + i] = v[q];
        }
    }
}

/* Eigenfaces from the crops; instances without a crop keep eigen = NULL. */
static pr_status eigen_cue(inst *items, int n, pr_eigenfaces **model_out, int *k_out)
{
    *model_out = NULL;
    *k_out = 0;
    const int dim = PR_ALBUM_CROP * PR_ALBUM_CROP;
    int rows_n = 0;
    for (int i = 0; i < n; i++)
        rows_n += items[i].crop != NULL;
    if (rows_n < 3)
        return PR_OK;
    float *rows = pr_malloc(sizeof(float) * (size_t)rows_n * dim);
    if (!rows)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    int r = 0;
    for (int i = 0; i < n; i++)
        if (items[i].crop) {
            for (int k = 0; k < dim; k++)
                rows[(size_t)r * dim + k] = items[i].crop[k] / 255.0f;
            r++;
        }
    pr_eigenfaces_params ep = pr_eigenfaces_params_default();
    ep.width = ep.height = PR_ALBUM_CROP;
    ep.components = rows_n - 1 < 50 ? rows_n - 1 : 50; /* 50: as measured in eval pairs */
    pr_eigenfaces *model = NULL;
    pr_status st = pr_eigenfaces_train(&ep, rows, rows_n, dim, &model);
    if (st != PR_OK) {
        pr_free(rows);
        return st;
    }
    int k = pr_eigenfaces_components(model);
    r = 0;
    for (int i = 0; i < n && st == PR_OK; i++) {
        if (!items[i].crop)
            continue;
        items[i].eigen = pr_malloc(sizeof(float) * (size_t)k);
        if (!items[i].eigen)
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        else
            st = pr_eigenfaces_project(model, rows + (size_t)r * dim, items[i].eigen);
        r++;
    }
    pr_free(rows);
    if (st != PR_OK) {
        pr_eigenfaces_delete(model);
        return st;
    }
    *model_out = model;
    *k_out = k;
    return PR_OK;
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
    cue_ctx cc;
    memset(&cc, 0, sizeof cc);
    pr_pool *pool = NULL;
    pr_eigenfaces *model = NULL;
    float *fused = NULL;
    int *event = NULL, *photo_event = NULL, *seed_name = NULL, *name_out = NULL;
    int32_t *group = NULL;
    double *conf = NULL;
    char **names = NULL;
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

    /* Events from capture times, per photo, then per instance. */
    photo_event = pr_malloc(sizeof(int) * (size_t)lc.nphotos);
    event = pr_malloc(sizeof(int) * (size_t)n);
    group = pr_malloc(sizeof(int32_t) * (size_t)n);
    seed_name = pr_malloc(sizeof(int) * (size_t)n);
    name_out = pr_malloc(sizeof(int) * (size_t)n);
    conf = pr_malloc(sizeof(double) * (size_t)n);
    names = pr_calloc((size_t)n, sizeof *names);
    if (!photo_event || !event || !group || !seed_name || !name_out || !conf || !names) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    pr_event_params evp = pr_event_params_default();
    if ((st = pr_events_from_times(lc.times, lc.nphotos, &evp, photo_event, NULL)) != PR_OK)
        goto done;
    for (int i = 0; i < n; i++) {
        event[i] = photo_event[lc.items[i].photo];
        group[i] = lc.items[i].photo;
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

    if ((st = eigen_cue(lc.items, n, &model, &cc.k_eigen)) != PR_OK)
        goto done;
    cc.items = lc.items;
    cc.n = n;
    cc.event = event;
    for (int q = 0; q < CUE_COUNT; q++)
        if (!(cc.m[q] = pr_matrix_alloc((size_t)n, (size_t)n))) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory for %d x %d distances", n, n);
            goto done;
        }
    if ((fused = pr_matrix_alloc((size_t)n, (size_t)n)) == NULL) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory for %d x %d distances", n, n);
        goto done;
    }
    if ((st = pr_pool_new(params->threads, &pool)) != PR_OK)
        goto done;
    pr_pool_for(pool, n, cue_row, &cc);
    pr_cue_matrix cues[CUE_COUNT];
    for (int q = 0; q < CUE_COUNT; q++) {
        cues[q].name = cue_names[q];
        cues[q].d = cc.m[q];
        cues[q].weight = cue_weights[q];
        cues[q].same_event_only = 0; /* event bounds are already in the matrices */
    }
    pr_fusion_params fp = pr_fusion_params_default();
    fp.threads = params->threads;
    if ((st = pr_fuse_distances(&fp, cues, CUE_COUNT, n, fused)) != PR_OK)
        goto done;

    int kmin = pr_group_max_size(group, n);
    if (kmin < 1)
        kmin = 1;
    if (n == 1) {
        km.n = 1;
        km.k = 1;
        km.medoids = pr_calloc(1, sizeof(int));
        km.labels = pr_calloc(1, sizeof(int));
        if (!km.medoids || !km.labels) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto done;
        }
    } else if (params->k > 0) {
        pr_kmedoids_params kp = pr_kmedoids_params_default();
        kp.k = params->k < kmin ? kmin : params->k > n ? n : params->k;
        kp.group = group;
        kp.threads = params->threads;
        if ((st = pr_kmedoids(fused, n, &kp, &km)) != PR_OK)
            goto done;
    } else {
        pr_choose_k_params cp = pr_choose_k_params_default();
        cp.kmedoids.group = group;
        cp.kmedoids.threads = params->threads;
        cp.method = params->choose_radius ? PR_CHOOSE_K_RADIUS : PR_CHOOSE_K_SILHOUETTE;
        if (params->radius > 0)
            cp.radius = params->radius;
        cp.k_min = kmin > 2 ? kmin : 2;
        if (cp.k_min > n)
            cp.k_min = n;
        if ((st = pr_kmedoids_auto(fused, n, &cp, &km, NULL)) != PR_OK)
            goto done;
    }

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
    for (int q = 0; q < CUE_COUNT; q++)
        pr_matrix_free(cc.m[q]);
    pr_matrix_free(fused);
    pr_pool_delete(pool);
    pr_eigenfaces_delete(model);
    for (int i = 0; i < lc.n; i++) {
        pr_person_delete(lc.items[i].person);
        pr_free(lc.items[i].crop);
        pr_free(lc.items[i].name);
        pr_free(lc.items[i].eigen);
    }
    pr_free(lc.items);
    pr_free(lc.times);
    pr_free(photo_event);
    pr_free(event);
    pr_free(group);
    pr_free(seed_name);
    pr_free(name_out);
    pr_free(conf);
    pr_free(names);
    return st;
}

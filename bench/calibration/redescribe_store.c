/* redescribe_store: puts the descriptors of another front end (features/face_descriptor.h:
 * alignment, test-time flip) into a copy of an album store, so the back end can be measured on
 * them with `personrec cluster --features STORE --calibration FILE` (thesis/results/alignment.md).
 *
 *     redescribe_store STORE ALBUM_DIR [--align square|rotated|unclipped|similarity|box]
 *                      [--flip 0|1] [--models DIR] [--threads N]
 *
 * Every stored face is described again on its stored box (full-size pixels) from the photo under
 * ALBUM_DIR, decoded whole at full size with its orientation applied (the pixels `label` reads),
 * and its descriptor row is replaced in STORE (change a copy: the store is written). In the same
 * transaction the store records the front end they were made with (PR_STORE_META_FRONT_END), so
 * that `label` on it keeps them rather than taking them for another front end's; the faces not
 * described here (forgotten ones, those of photos skipped now) lose theirs, another front end's
 * (label gives them one when it needs it); and the clustering is marked out of date. Prints how
 * far the descriptors moved: with the front end the store was made with (the product's default,
 * pr_face_net_params_default, unless told) that is the check that the rewrite reproduces them.
 * Also prints the process CPU time per face of the describe calls (use --threads 1 for a
 * per-core cost). A bench program, not a product path: `label` recomputes an album's
 * descriptors itself when its front end changes. */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "core/image.h"
#include "core/path.h"
#include "features/face_descriptor.h"
#include "pipeline/store.h"

#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#define DIM PR_FACE_DESCRIPTOR_DIM

typedef struct face_row {
    int64_t id;
    char *path; /* owned */
    pr_box box;
    float old[DIM], desc[DIM];
    int has_old;
} face_row;

typedef struct rows {
    face_row *v;
    int n, cap;
    int nomem; /* the reading stopped short: the tool fails rather than rewrite part of it */
} rows;

static int take_row(void *ctx, const pr_store_face_row *row)
{
    rows *r = ctx;
    if (r->n == r->cap) {
        int cap = r->cap ? 2 * r->cap : 256;
        face_row *v = realloc(r->v, sizeof *v * (size_t)cap);
        if (!v)
            return r->nomem = 1;
        r->v = v;
        r->cap = cap;
    }
    face_row *f = &r->v[r->n];
    memset(f, 0, sizeof *f);
    f->id = row->face_id;
    f->box = row->box;
    f->path = strdup(row->path);
    if (!f->path)
        return r->nomem = 1;
    if (row->descriptor) {
        memcpy(f->old, row->descriptor, sizeof f->old); /* may be unaligned: copied */
        f->has_old = 1;
    }
    r->n++;
    return 0;
}

static double cpu_seconds(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return (double)t.tv_sec + 1e-9 * (double)t.tv_nsec;
}

/* The faces of one photo described in one batch call; *cpu += the process CPU time of that call
 * alone (landmarks, alignment, descriptor; not the decode). */
static int describe_photo(pr_face_net *net, const char *album, face_row *f, int count, double *cpu)
{
    char *path = pr_path_join_new(album, f[0].path);
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    pr_image *img = NULL;
    pr_face_job *jobs = pr_calloc((size_t)count, sizeof *jobs);
    int rc = path && jobs && pr_image_load(path, &lp, &img, NULL) == PR_OK ? 0 : -1;
    for (int i = 0; rc == 0 && i < count; i++)
        jobs[i] = (pr_face_job){img, f[i].box, NULL, f[i].desc, PR_OK};
    double t0 = cpu_seconds();
    if (rc == 0 && pr_face_net_describe_many(net, jobs, count) != PR_OK)
        rc = -1;
    *cpu += cpu_seconds() - t0;
    if (rc != 0)
        fprintf(stderr, "redescribe_store: %s: %s\n", path ? path : f[0].path, pr_last_error());
    pr_free(jobs);
    pr_image_delete(img);
    pr_free(path);
    return rc;
}

static int write_back(const char *store, const rows *r, const char *front_end)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL, *meta = NULL;
    int ok = sqlite3_open_v2(store, &db, SQLITE_OPEN_READWRITE, NULL) == SQLITE_OK &&
             sqlite3_exec(db, "BEGIN; UPDATE faces SET descriptor = NULL", NULL, NULL, NULL) ==
                 SQLITE_OK &&
             sqlite3_prepare_v2(db, "UPDATE faces SET descriptor = ? WHERE id = ?", -1, &st,
                                NULL) == SQLITE_OK &&
             sqlite3_prepare_v2(db,
                                "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) "
                                "DO UPDATE SET value = excluded.value",
                                -1, &meta, NULL) == SQLITE_OK;
    for (int i = 0; ok && i < r->n; i++) {
        ok = sqlite3_bind_blob(st, 1, r->v[i].desc, (int)sizeof r->v[i].desc, SQLITE_STATIC) ==
                 SQLITE_OK &&
             sqlite3_bind_int64(st, 2, r->v[i].id) == SQLITE_OK &&
             sqlite3_step(st) == SQLITE_DONE && sqlite3_changes(db) == 1;
        sqlite3_reset(st);
    }
    /* The people were found with the old descriptors: the next label clusters again. */
    const char *const keys[2][2] = {{PR_STORE_META_FRONT_END, front_end},
                                    {PR_STORE_META_DIRTY, "1"}};
    for (int k = 0; ok && k < 2; k++) {
        ok = sqlite3_bind_text(meta, 1, keys[k][0], -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_bind_text(meta, 2, keys[k][1], -1, SQLITE_STATIC) == SQLITE_OK &&
             sqlite3_step(meta) == SQLITE_DONE;
        sqlite3_reset(meta);
    }
    sqlite3_finalize(st);
    sqlite3_finalize(meta);
    ok = ok && sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) == SQLITE_OK;
    if (!ok)
        fprintf(stderr, "redescribe_store: %s: %s\n", store,
                db ? sqlite3_errmsg(db) : "cannot open");
    sqlite3_close(db);
    return ok ? 0 : -1;
}

static int usage(void)
{
    fprintf(stderr, "usage: redescribe_store STORE ALBUM_DIR [--align square|rotated|unclipped|"
                    "similarity|box] [--flip 0|1] [--models DIR] [--threads N]\n");
    return 2;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return usage();
    pr_face_net_params np = pr_face_net_params_default();
    for (int i = 3; i < argc; i += 2) {
        if (i + 1 >= argc)
            return usage();
        if (strcmp(argv[i], "--align") == 0) {
            if (pr_face_align_parse(argv[i + 1], &np.align) != 0)
                return usage();
        } else if (strcmp(argv[i], "--flip") == 0)
            np.flip = atoi(argv[i + 1]) != 0;
        else if (strcmp(argv[i], "--models") == 0)
            np.models_dir = argv[i + 1];
        else if (strcmp(argv[i], "--threads") == 0)
            np.threads = atoi(argv[i + 1]);
        else
            return usage();
    }
    rows r = {NULL, 0, 0, 0};
    pr_store *store = NULL;
    pr_face_net *net = NULL;
    int rc = 0;
    if (pr_store_open(argv[1], &store) != PR_OK ||
        pr_store_each_face(store, take_row, &r) != PR_OK ||
        (r.nomem && pr_set_error(PR_ERR_NOMEM, "out of memory reading %s", argv[1])) ||
        pr_face_net_new(&np, &net) != PR_OK) {
        fprintf(stderr, "redescribe_store: %s\n", pr_last_error());
        rc = -1;
    }
    pr_store_close(store); /* closed before the rewrite, which opens the file itself */
    double cpu = 0;
    for (int i = 0, j; rc == 0 && i < r.n; i = j) {
        for (j = i + 1; j < r.n && strcmp(r.v[j].path, r.v[i].path) == 0; j++)
            ;
        rc = describe_photo(net, argv[2], r.v + i, j - i, &cpu);
    }
    double sum = 0, max = 0;
    int compared = 0;
    for (int i = 0; rc == 0 && i < r.n; i++)
        if (r.v[i].has_old) {
            double d = pr_face_descriptor_distance(r.v[i].old, r.v[i].desc);
            sum += d;
            max = d > max ? d : max;
            compared++;
        }
    char front_end[128];
    pr_face_net_front_end(&np, front_end, sizeof front_end);
    if (rc == 0)
        rc = write_back(argv[1], &r, front_end);
    if (rc == 0)
        printf(
            "redescribe_store: %d faces (align %s, flip %d); distance to the stored descriptors: "
            "mean %.6f, max %.6f over %d; process CPU per face %.2f ms (landmarks + alignment + "
            "descriptor)\n",
            r.n, pr_face_align_name(np.align), np.flip, compared ? sum / compared : 0.0, max,
            compared, r.n ? 1e3 * cpu / r.n : 0.0);
    for (int i = 0; i < r.n; i++)
        free(r.v[i].path);
    free(r.v);
    pr_face_net_delete(net);
    return rc == 0 ? 0 : 1;
}

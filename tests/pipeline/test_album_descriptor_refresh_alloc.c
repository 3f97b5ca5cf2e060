/* The descriptor refresh (pipeline/refresh_descriptors.h) under allocation failure
 * (core/alloc.h's pr_alloc_fail_at): every allocation of collecting and describing the faces of a
 * store whose descriptors were cleared fails once, in turn. Real photos, store and models: three
 * LFW photos labelled with descriptors (three faces), the references; then one photo broken with
 * its size and time kept (unreadable now). Each run must end PR_OK or PR_ERR_NOMEM; whatever it
 * ends with, every descriptor in the store is either none or the reference byte for byte (a chunk
 * is one transaction: never a partial or foreign one), the broken photo's faces have none; a run
 * that ends PR_OK has filled every other face and named the broken photo once; and the next run
 * without a failure completes what a failed one left (it resumes). Leaks on these paths show under
 * an ASan build. */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "core/progress.h"
#include "pipeline/refresh_descriptors.h"
#include "tests/nn/models.h"
#include "tests/test.h"

#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const photos[] = {
    "lfw10x10/Tony_Blair/Tony_Blair_0001.jpg", /* two faces */
    "lfw10x10/Colin_Powell/Colin_Powell_0001.jpg",
    "lfw10x10/George_W_Bush/George_W_Bush_0001.jpg", /* broken after labelling */
};
#define NPHOTOS   3
#define BROKEN    "George_W_Bush_0001.jpg"
#define DIM       PR_STORE_DESCRIPTOR_DIM
#define MAX_FACES 16

static int copy_file(const char *from, const char *to)
{
    FILE *in = fopen(from, "rb"), *out = fopen(to, "wb");
    char buf[65536];
    size_t n;
    int ok = in && out;
    while (ok && (n = fread(buf, 1, sizeof buf, in)) > 0)
        ok = fwrite(buf, 1, n, out) == n;
    if (in)
        fclose(in);
    if (out && fclose(out) != 0)
        ok = 0;
    return ok;
}

/* Zeroes the file's first 4 KiB, keeping its size and times: the scan takes it as unchanged, the
 * decoder refuses it. */
static int break_file(const char *path)
{
    struct stat sb;
    char zeros[4096] = {0};
    int fd = open(path, O_WRONLY);
    int ok = fd >= 0 && fstat(fd, &sb) == 0 && sb.st_size >= (off_t)sizeof zeros &&
             pwrite(fd, zeros, sizeof zeros, 0) == (ssize_t)sizeof zeros;
    if (fd >= 0 && close(fd) != 0)
        ok = 0;
    struct timespec times[2] = {sb.st_atim, sb.st_mtim};
    return ok && utimensat(AT_FDCWD, path, times, 0) == 0;
}

typedef struct face_ref {
    int64_t id;
    int broken; /* a face of the broken photo */
    float d[DIM];
} face_ref;

typedef struct refs {
    face_ref v[MAX_FACES];
    int n;
} refs;

static int take_ref(void *ctx, const pr_store_face_row *row)
{
    refs *r = ctx;
    if (r->n == MAX_FACES || !row->descriptor)
        return 1;
    face_ref *f = &r->v[r->n++];
    f->id = row->face_id;
    f->broken = strcmp(row->path, BROKEN) == 0;
    memcpy(f->d, row->descriptor, sizeof f->d); /* may be unaligned: copied */
    return 0;
}

/* What a store holds now, against the references. */
typedef struct state {
    const refs *r;
    int faces, filled, wrong;
} state;

static int look(void *ctx, const pr_store_face_row *row)
{
    state *s = ctx;
    s->faces++;
    const face_ref *f = NULL;
    for (int i = 0; i < s->r->n; i++)
        if (s->r->v[i].id == row->face_id)
            f = &s->r->v[i];
    if (!row->descriptor)
        return 0;
    s->filled++;
    float d[DIM];
    memcpy(d, row->descriptor, sizeof d);
    if (!f || f->broken || memcmp(d, f->d, sizeof d) != 0)
        s->wrong++;
    return 0;
}

static state store_state(pr_store *store, const refs *r)
{
    state s = {r, 0, 0, 0};
    PR_CHECK_OK(pr_store_each_face(store, look, &s));
    return s;
}

/* Collects and describes; with fail_at > 0 that allocation fails. *allocs: the allocations made. */
static pr_status refresh(const pr_describe_params *dp, pr_store *store, const char *album,
                         long fail_at, long *allocs, pr_album_summary *sum)
{
    pr_refresh r;
    pr_refresh_init(&r, dp);
    pr_alloc_fail_at(fail_at); /* also restarts the count */
    pr_status st = pr_refresh_collect(store, album, NULL, &r);
    if (st == PR_OK)
        st = pr_refresh_run(dp, store, &r, 1, PR_PROGRESS_QUIET);
    *allocs = pr_alloc_count();
    pr_alloc_fail_at(0);
    memset(sum, 0, sizeof *sum);
    pr_refresh_summary(&r, sum);
    pr_refresh_clear(&r);
    return st;
}

static pr_status clear_descriptors(pr_store *store)
{
    pr_status st = pr_store_begin(store);
    if (st == PR_OK)
        st = pr_store_clear_descriptors(store, NULL);
    return st == PR_OK ? pr_store_commit(store) : st;
}

int main(void)
{
    const char *models = pr_test_models_dir();
    char data[4096], src[8192], dir[] = "/tmp/pr-refresh-alloc-XXXXXX", path[4200], db[64];
    snprintf(data, sizeof data, "%s", pr_test_data_dir("album"));
    PR_CHECK(mkdtemp(dir) != NULL);
    for (int i = 0; i < NPHOTOS; i++) {
        snprintf(src, sizeof src, "%s/%s", data, photos[i]);
        snprintf(path, sizeof path, "%s/%s", dir, strrchr(photos[i], '/') + 1);
        PR_CHECK_MSG(copy_file(src, path), "cannot copy %s to %s", src, path);
    }
    snprintf(db, sizeof db, "%s.db", dir);
    pr_album_params p = pr_album_params_default();
    p.album = dir;
    p.db = db;
    p.descriptor = 1;
    p.models_dir = models;
    p.threads = 1;
    p.progress = PR_PROGRESS_QUIET;
    p.no_outputs = 1;
    p.read_labels = 0;
    pr_album_summary sum;
    PR_CHECK_OK(pr_album_label(&p, &sum));
    refs r = {.n = 0};
    pr_store *store = NULL;
    PR_CHECK_OK(pr_store_open(db, &store));
    if (store)
        PR_CHECK_OK(pr_store_each_face(store, take_ref, &r));
    int broken = 0;
    for (int i = 0; i < r.n; i++)
        broken += r.v[i].broken;
    PR_CHECK_MSG(r.n == sum.faces && r.n >= 3 && broken == 1,
                 "%d faces with descriptors of %d, %d in the photo to break", r.n, sum.faces,
                 broken);
    snprintf(path, sizeof path, "%s/%s", dir, BROKEN);
    PR_CHECK_MSG(break_file(path), "cannot break %s", path);

    pr_describe_params dp = pr_describe_params_default();
    dp.descriptor = 1;
    dp.models_dir = models;
    pr_pool *pool = NULL;
    pr_face_net **nets = NULL;
    PR_CHECK_OK(pr_pool_new(1, &pool));
    dp.pool = pool;
    if (pool)
        PR_CHECK_OK(pr_describe_nets(&dp, 1, &nets));
    dp.nets = nets;
    long runs = 0, ok = 0, partial = 0;
    for (long n = 1; store && nets && pr_test_failures == 0; n++) {
        long allocs = 0, again = 0;
        if (clear_descriptors(store) != PR_OK) {
            PR_CHECK_MSG(0, "clearing the descriptors: %s", pr_last_error());
            break;
        }
        int named = pr_problem_count();
        pr_status st = refresh(&dp, store, dir, n, &allocs, &sum);
        named = pr_problem_count() - named;
        runs++;
        state s = store_state(store, &r);
        PR_CHECK_MSG(st == PR_OK || st == PR_ERR_NOMEM, "allocation %ld failing: status %d (%s)", n,
                     (int)st, pr_last_error());
        PR_CHECK_MSG(s.wrong == 0, "allocation %ld failing: %d descriptors not the reference", n,
                     s.wrong);
        if (st == PR_OK) {
            ok++;
            PR_CHECK_MSG(s.filled == r.n - broken && named == 1 && sum.descriptors_failed == broken,
                         "allocation %ld failing: PR_OK with %d of %d faces filled, %d named, %d "
                         "failed",
                         n, s.filled, r.n - broken, named, sum.descriptors_failed);
        } else {
            partial += s.filled > 0;
            /* The next run, without a failure, describes only what the failed one left. */
            int before = s.filled;
            named = pr_problem_count();
            PR_CHECK_OK(refresh(&dp, store, dir, 0, &again, &sum));
            named = pr_problem_count() - named;
            s = store_state(store, &r);
            PR_CHECK_MSG(s.wrong == 0 && s.filled == r.n - broken && named == 1 &&
                             sum.descriptors_made == r.n - broken - before,
                         "after allocation %ld failed (%d faces filled): the next run made %d, "
                         "filled %d of %d faces (%d wrong), named %d",
                         n, before, sum.descriptors_made, s.filled, r.n - broken, s.wrong, named);
        }
        if (allocs < n) { /* nothing failed: the whole refresh ran */
            PR_CHECK_MSG(st == PR_OK, "the refresh without failures: status %d (%s)", (int)st,
                         pr_last_error());
            break;
        }
    }
    fprintf(stderr, "%ld runs, %ld of them PR_OK, %ld failed runs left some faces filled\n", runs,
            ok, partial);
    PR_CHECK(runs > 10);
    pr_describe_nets_delete(nets, pool ? pr_pool_size(pool) : 0);
    pr_pool_delete(pool);
    pr_store_close(store);
    for (int i = 0; i < NPHOTOS; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, strrchr(photos[i], '/') + 1);
        remove(path);
    }
    remove(db);
    snprintf(path, sizeof path, "%s-wal", db);
    remove(path);
    snprintf(path, sizeof path, "%s-shm", db);
    remove(path);
    snprintf(path, sizeof path, "%s.lock", db);
    remove(path);
    rmdir(dir);
    return pr_test_finish();
}

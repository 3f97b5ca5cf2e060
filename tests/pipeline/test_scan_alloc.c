/* The album scan under allocation failure (core/alloc.h's pr_alloc_fail_at): every allocation of
 * a scan, one at a time, fails once. Each run must end PR_OK or PR_ERR_NOMEM, and a run that ends
 * PR_OK must have named every photo it stored as failing: out of memory while naming them fails
 * the run (it used to stop the naming short and still return PR_OK). The album: three files with a
 * JPEG signature and nothing decodable, under long names (the naming buffer grows); a label box
 * each instead of the detector, so no model is needed. Leaks on these paths show under
 * the ASan build of CI. */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "pipeline/album.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define PHOTOS 3

/* The i-th photo's path: long names, each longer than the one before. */
static void photo_path(char *out, size_t size, const char *dir, int i)
{
    static const char pad[] =
        "xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx";
    snprintf(out, size, "%s/a-photo-that-cannot-be-decoded-%d-%.*s.jpg", dir, i, 40 * i, pad);
}

int main(void)
{
    char dir[] = "/tmp/pr-scan-alloc-XXXXXX", path[512], db[64];
    PR_CHECK(mkdtemp(dir) != NULL);
    static const unsigned char bad[] = {0xFF, 0xD8, 0xFF, 0xE0, 0, 16, 'J', 'F', 'I', 'F', 0, 1};
    for (int i = 0; i < PHOTOS; i++) {
        photo_path(path, sizeof path, dir, i);
        FILE *f = fopen(path, "wb");
        PR_CHECK(f && fwrite(bad, 1, sizeof bad, f) == sizeof bad && fclose(f) == 0);
    }
    snprintf(db, sizeof db, "%s.db", dir);
    pr_face_labels *labels = NULL;
    PR_CHECK_OK(pr_face_labels_new(dir, &labels));
    for (int i = 0; labels && i < PHOTOS; i++) { /* a box each, so that each photo is decoded */
        photo_path(path, sizeof path, dir, i);
        PR_CHECK_OK(pr_face_labels_add(labels, strrchr(path, '/') + 1, (pr_box){1, 1, 4, 4}, NULL,
                                       NULL, 0));
    }
    pr_album_params p = pr_album_params_default();
    p.album = dir;
    p.labels = labels;
    p.threads = 1;
    p.progress = 1;
    long runs = 0, ok = 0;
    for (long n = 1; labels; n++) {
        remove(db);
        pr_store *store = NULL;
        if (pr_store_open(db, &store) != PR_OK) {
            PR_CHECK_MSG(0, "cannot open %s: %s", db, pr_last_error());
            break;
        }
        pr_album_summary sum;
        memset(&sum, 0, sizeof sum);
        int named = pr_problem_count();
        pr_alloc_fail_at(n);
        pr_status st = pr_album_scan(&p, store, &sum);
        long made = pr_alloc_count();
        pr_alloc_fail_at(0);
        named = pr_problem_count() - named;
        pr_store_close(store);
        runs++;
        PR_CHECK_MSG(st == PR_OK || st == PR_ERR_NOMEM, "allocation %ld failing: status %d (%s)", n,
                     (int)st, pr_last_error());
        if (st == PR_OK) {
            ok++;
            /* Every photo is undecodable: a run that succeeds stores each one as failing and
             * names it (describe's skip() fails when it cannot keep the reason). */
            PR_CHECK_MSG(named == PHOTOS && sum.skipped_now == PHOTOS,
                         "allocation %ld failing: PR_OK with %d of the %d failing photos named (%d "
                         "processed)", n, named, sum.skipped_now, sum.processed);
        }
        if (made < n) { /* no allocation failed: the whole scan ran */
            PR_CHECK_MSG(st == PR_OK && sum.skipped_now == PHOTOS, "the scan without failures: "
                         "status %d, %d photos, %d not images, %d processed, %d skipped", (int)st,
                         sum.photos, sum.not_images, sum.processed, sum.skipped_now);
            break;
        }
    }
    fprintf(stderr, "%ld runs, %ld of them PR_OK\n", runs, ok);
    PR_CHECK(runs > PHOTOS);
    pr_face_labels_delete(labels);
    for (int i = 0; i < PHOTOS; i++) {
        photo_path(path, sizeof path, dir, i);
        remove(path);
    }
    remove(db);
    snprintf(path, sizeof path, "%s-wal", db);
    remove(path);
    snprintf(path, sizeof path, "%s-shm", db);
    remove(path);
    rmdir(dir);
    return pr_test_finish();
}

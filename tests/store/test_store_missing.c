/* A photo no longer in the album folder when a scan lists it (a sub-folder moved out and back, a
 * drive not mounted for one run, photos restored from a backup) whose faces hold a name a person
 * gave (`personrec people`: a manual assignment) is kept, hidden, as a photo that cannot be read
 * now is: the name is the person's, and nothing the tool does can make it again. Dropping it (the
 * old pr_store_drop_unseen) took "Mom" off those photos for good.
 *
 * On a real store over real files: a.jpg stays; sub/b.jpg has a face named Mom (manual) and one
 * that is person_9 (automatic: the number stays in use while it is hidden, and is its again);
 * sub/c.jpg's face is person_<n> (automatic) and d.jpg's a seed (both come back by themselves, so
 * they are dropped as before). sub/ goes and d.jpg is deleted; b is kept, hidden (not shown, not
 * counted, not a problem to report; Mom listed with 0 faces). Then b comes back: at the same path
 * (mv), or under another path with the same bytes (move detection), or edited (described again,
 * its face found again by box) — Mom is on its face again. */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "core/fileio.h"
#include "pipeline/store.h"
#include "tests/store/hidden_numbers.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    PR_CHECK(f != NULL);
    if (!f)
        return;
    fputs(text, f);
    fclose(f);
}

static pr_photo_stat stat_of(const char *full)
{
    struct stat sb;
    pr_photo_stat ps = {0, 0, 0};
    PR_CHECK(stat(full, &sb) == 0);
    ps.size = (int64_t)sb.st_size;
    ps.mtime = (int64_t)sb.st_mtime;
    PR_CHECK_OK(pr_file_hash(full, &ps.hash));
    return ps;
}

/* Stores album/rel with n faces from x on (faces are told apart by box). */
static int64_t put_n(pr_store *s, const char *album, const char *rel, double x, int n)
{
    char full[2048];
    snprintf(full, sizeof full, "%s/%s", album, rel);
    pr_photo_stat ps = stat_of(full);
    pr_store_face f[2] = {{{x, 30, 60, 60}, 0.9, 0, NULL, 0, NULL, 0, NULL},
                          {{x + 400, 30, 60, 60}, 0.9, 0, NULL, 0, NULL, 0, NULL}};
    int64_t id = 0;
    PR_CHECK_OK(pr_store_put_photo(s, rel, &ps, NULL, 640, 480, NULL, f, (size_t)n, &id));
    return id;
}

static int64_t put(pr_store *s, const char *album, const char *rel, double x)
{
    return put_n(s, album, rel, x, 1);
}

typedef struct {
    int n;
    int64_t face[8];
    char path[8][64], person[8][32];
    int source[8];
} face_rows;

static int collect(void *ctx, const pr_store_face_row *row)
{
    face_rows *r = ctx;
    if (r->n == 8)
        return 1;
    r->face[r->n] = row->face_id;
    snprintf(r->path[r->n], sizeof r->path[r->n], "%s", row->path);
    snprintf(r->person[r->n], sizeof r->person[r->n], "%s", row->person ? row->person : "");
    r->source[r->n] = row->person ? (int)row->source : -1;
    r->n++;
    return 0;
}

static face_rows visible(pr_store *s)
{
    face_rows r;
    memset(&r, 0, sizeof r);
    PR_CHECK_OK(pr_store_each_face(s, collect, &r));
    return r;
}

/* The row of the face shown under path, -1 when none is. */
static int shown(const face_rows *r, const char *path)
{
    for (int i = 0; i < r->n; i++)
        if (strcmp(r->path[i], path) == 0)
            return i;
    return -1;
}

static int count_skipped(void *ctx, const char *path, const char *reason)
{
    (void)path;
    (void)reason;
    ++*(int *)ctx;
    return 0;
}

typedef struct {
    const char *name;
    int faces; /* -1: not listed */
} person_faces;

static int find_person(void *ctx, const pr_store_person_row *row)
{
    person_faces *p = ctx;
    if (strcmp(row->name, p->name) == 0)
        p->faces = row->faces;
    return 0;
}

static int faces_of(pr_store *s, const char *name)
{
    person_faces p = {name, -1};
    PR_CHECK_OK(pr_store_each_person(s, find_person, &p));
    return p.faces;
}

/* One scan: the listed keys are classified (and marked seen), the rest go or are kept. Returns
 * the state of the first key; *dropped = the photos dropped. */
static pr_photo_state scan(pr_store *s, const char *album, const char *const *keys, int n,
                           int *dropped, int64_t *first_id)
{
    pr_photo_state first = PR_PHOTO_NEW;
    PR_CHECK_OK(pr_store_begin(s));
    PR_CHECK_OK(pr_store_begin_scan(s));
    for (int i = 0; i < n; i++) {
        char full[2048];
        snprintf(full, sizeof full, "%s/%s", album, keys[i]);
        struct stat sb;
        PR_CHECK(stat(full, &sb) == 0);
        pr_photo_stat ps = {(int64_t)sb.st_size, (int64_t)sb.st_mtime, 0};
        pr_photo_state state = PR_PHOTO_NEW;
        int64_t id = 0;
        PR_CHECK_OK(pr_store_classify(s, album, keys[i], &ps, &state, &id));
        if (id)
            PR_CHECK_OK(pr_store_mark_seen(s, id));
        if (i == 0) {
            first = state;
            if (first_id)
                *first_id = id;
        }
    }
    *dropped = -1;
    PR_CHECK_OK(pr_store_drop_unseen(s, dropped));
    PR_CHECK_OK(pr_store_commit(s));
    return first;
}

/* how: 0 back at the same path (mv), 1 under another path with the same bytes, 2 at the same
 * path edited by another tool (described again: the face found again by its box). */
static void run(int how)
{
    static const char *what[] = {"back at its path", "moved elsewhere", "edited"};
    char root[1024], album[1100], db[1100], cmd[3000];
    snprintf(root, sizeof root, "%s/test-scratch-missing-%d", PR_BINARY_DIR, how);
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    PR_CHECK(system(cmd) == 0);
    snprintf(album, sizeof album, "%s/album", root);
    snprintf(db, sizeof db, "%s/album.db", root);
    PR_CHECK(mkdir(root, 0777) == 0);
    PR_CHECK(mkdir(album, 0777) == 0);
    char path[1300], away[1300];
    snprintf(path, sizeof path, "%s/sub", album);
    PR_CHECK(mkdir(path, 0777) == 0);
    static const char *const rels[] = {"a.jpg", "sub/b.jpg", "sub/c.jpg", "d.jpg"};
    for (int i = 0; i < 4; i++) {
        char full[1300], text[64];
        snprintf(full, sizeof full, "%s/%s", album, rels[i]);
        snprintf(text, sizeof text, "photo %d's bytes", i);
        write_file(full, text);
    }
    pr_store *s = NULL;
    PR_CHECK_OK(pr_store_open(db, &s));
    if (!s)
        return;
    int64_t b = 0, pid = 0;
    put(s, album, "a.jpg", 10);
    b = put_n(s, album, "sub/b.jpg", 100, 2); /* Mom and an unnamed person_9 */
    put(s, album, "sub/c.jpg", 200);
    put(s, album, "d.jpg", 300);
    face_rows r = visible(s);
    PR_CHECK_EQ_INT(r.n, 5);
    if (r.n != 5) {
        pr_store_close(s);
        return;
    }
    int64_t fb = r.face[shown(&r, "sub/b.jpg")], fc = r.face[shown(&r, "sub/c.jpg")],
            fd = r.face[shown(&r, "d.jpg")];
    PR_CHECK_OK(pr_store_move_face(s, fb, "Mom")); /* `people move`: manual */
    PR_CHECK_OK(pr_store_person_id(s, "person_7", &pid));
    PR_CHECK_OK(pr_store_assign(s, fc, pid, 0.8, PR_SOURCE_AUTO));
    int64_t fb2 = r.face[shown(&r, "sub/b.jpg") + 1];
    PR_CHECK_OK(pr_store_person_id(s, "person_9", &pid));
    PR_CHECK_OK(pr_store_assign(s, fb2, pid, 0.8, PR_SOURCE_AUTO));
    PR_CHECK_OK(pr_store_person_id(s, "Seedy", &pid));
    PR_CHECK_OK(pr_store_assign(s, fd, pid, 1, PR_SOURCE_SEED));

    /* sub/ moved out of the album, d.jpg deleted. */
    snprintf(away, sizeof away, "%s/away", root);
    PR_CHECK(rename(path, away) == 0);
    snprintf(cmd, sizeof cmd, "%s/d.jpg", album);
    PR_CHECK(unlink(cmd) == 0);
    static const char *const only_a[] = {"a.jpg"};
    int dropped = -1;
    for (int round = 0; round < 2; round++) { /* missing for two runs: kept both times */
        scan(s, album, only_a, 1, &dropped, NULL);
        PR_CHECK_MSG(dropped == (round ? 0 : 2), "%s, round %d: %d dropped (want %d: c and d)",
                     what[how], round, dropped, round ? 0 : 2);
        r = visible(s);
        PR_CHECK_EQ_INT(r.n, 1); /* hidden: not in outputs or clustering */
        PR_CHECK(shown(&r, "a.jpg") == 0);
        PR_CHECK_MSG(faces_of(s, "Mom") == 0,
                     "%s, round %d: Mom is listed with %d faces (want 0: kept, hidden)", what[how],
                     round, faces_of(s, "Mom"));
        int problems = 0;
        PR_CHECK_OK(pr_store_each_skipped(s, count_skipped, &problems));
        PR_CHECK_MSG(problems == 0, "%s: a missing photo is reported as failing", what[how]);
        pr_store_counts c;
        PR_CHECK_OK(pr_store_count(s, &c));
        PR_CHECK_EQ_INT(c.photos, 1);
        PR_CHECK_EQ_INT(c.skipped, 0); /* not a photo that cannot be read */
        PR_CHECK_EQ_INT(c.missing, 1);
        PR_CHECK_EQ_INT(c.faces, 1);
        PR_CHECK_MSG(hidden_number_in_use(s, 9),
                     "%s: person_9 of the kept photo is not kept in use", what[how]);
    }

    /* b comes back. */
    int64_t id = 0;
    pr_photo_state state = PR_PHOTO_NEW;
    if (how == 1) {
        char to[1300];
        snprintf(to, sizeof to, "%s/restored", album);
        PR_CHECK(rename(away, to) == 0);
        static const char *const keys[] = {"restored/b.jpg", "a.jpg", "restored/c.jpg"};
        state = scan(s, album, keys, 3, &dropped, &id);
        PR_CHECK_MSG(state == PR_PHOTO_MOVED && id == b,
                     "%s: restored/b.jpg is state %d, photo %lld (want moved, photo %lld)",
                     what[how], (int)state, (long long)id, (long long)b);
    } else {
        PR_CHECK(rename(away, path) == 0);
        if (how == 2) { /* another tool rewrote its metadata: new bytes, same pixels */
            snprintf(cmd, sizeof cmd, "%s/sub/b.jpg", album);
            write_file(cmd, "photo 1's bytes, edited");
        }
        static const char *const keys[] = {"sub/b.jpg", "a.jpg", "sub/c.jpg"};
        state = scan(s, album, keys, 3, &dropped, &id);
        if (how == 2) {
            PR_CHECK_EQ_INT((int)state, (int)PR_PHOTO_CHANGED);
            put_n(s, album, "sub/b.jpg", 102, 2); /* described again: the boxes are found again */
        } else {
            PR_CHECK_MSG(id == b && (state == PR_PHOTO_MOVED || state == PR_PHOTO_UNCHANGED),
                         "%s: sub/b.jpg is state %d, photo %lld (want photo %lld)", what[how],
                         (int)state, (long long)id, (long long)b);
        }
    }
    PR_CHECK_EQ_INT(dropped, 0);
    r = visible(s);
    const char *back = how == 1 ? "restored/b.jpg" : "sub/b.jpg";
    int i = shown(&r, back);
    PR_CHECK_MSG(i >= 0 && strcmp(r.person[i], "Mom") == 0 && r.source[i] == PR_SOURCE_MANUAL,
                 "%s: %s came back as '%s' (source %d), want Mom (manual)", what[how], back,
                 i >= 0 ? r.person[i] : "(not shown)", i >= 0 ? r.source[i] : -2);
    PR_CHECK_EQ_INT(faces_of(s, "Mom"), 1);
    if (i >= 0 && i + 1 < r.n && strcmp(r.path[i + 1], back) == 0)
        PR_CHECK_STR(r.person[i + 1], "person_9"); /* back under the number it had */
    else
        PR_CHECK_MSG(0, "%s: the second face of %s is not shown", what[how], back);
    pr_store_counts c;
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.missing, 0);
    PR_CHECK_EQ_INT(c.faces, 3); /* a and b: c was dropped, and is new now */
    pr_store_close(s);
}

int main(void)
{
    for (int how = 0; how < 3; how++)
        run(how);
    return pr_test_finish();
}

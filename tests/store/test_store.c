/* The album store on a real SQLite file: schema, incremental classification (new, unchanged,
 * changed, moved, touched), faces of a changed photo continued by box, dropped photos, source
 * precedence, the dirty mark, corrections and names, an empty file refused, the lock. */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "pipeline/store.h"
#include "tests/test.h"

#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char root[1024];

static void write_file(const char *name, const char *text)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", root, name);
    FILE *f = fopen(path, "wb");
    fputs(text, f);
    fclose(f);
}

static pr_photo_stat stat_of(const char *name)
{
    char path[2048];
    snprintf(path, sizeof path, "%s/%s", root, name);
    struct stat sb;
    stat(path, &sb);
    pr_photo_stat st = {(int64_t)sb.st_size, (int64_t)sb.st_mtime, 0};
    return st;
}

typedef struct {
    int count;
    char last_person[64];
    pr_source last_source;
    int descriptors;
    float descriptor[PR_STORE_DESCRIPTOR_DIM];
} face_tally;

static int tally(void *ctx, const pr_store_face_row *row)
{
    face_tally *d = ctx;
    if (row->descriptor) {
        d->descriptors++;
        memcpy(d->descriptor, row->descriptor, sizeof d->descriptor);
    }
    face_tally *t = ctx;
    t->count++;
    snprintf(t->last_person, sizeof t->last_person, "%s", row->person ? row->person : "");
    t->last_source = row->source;
    return 0;
}

typedef struct {
    int n;
    int64_t id[8];
    char person[8][32];
    pr_source source[8];
} face_rows;

static int collect_rows(void *ctx, const pr_store_face_row *row)
{
    face_rows *r = ctx;
    if (r->n == 8)
        return 1;
    r->id[r->n] = row->face_id;
    snprintf(r->person[r->n], sizeof r->person[r->n], "%s", row->person ? row->person : "");
    r->source[r->n] = row->source;
    r->n++;
    return 0;
}

typedef struct {
    int people, ann_faces;
} person_tally;

static int tally_ann(void *ctx, const pr_store_person_row *row)
{
    person_tally *t = ctx;
    t->people++;
    if (strcmp(row->name, "Ann") == 0)
        t->ann_faces = row->faces;
    return 0;
}

/* One person's row in the listing: found, and its counts. */
typedef struct {
    const char *name;
    int found, faces, manual;
} person_row;

static int find_person_row(void *ctx, const pr_store_person_row *row)
{
    person_row *p = ctx;
    if (strcmp(row->name, p->name) == 0) {
        p->found = 1;
        p->faces = row->faces;
        p->manual = row->manual;
    }
    return 0;
}

static person_row listed(pr_store *s, const char *name)
{
    person_row p = {name, 0, -1, -1};
    PR_CHECK_OK(pr_store_each_person(s, find_person_row, &p));
    return p;
}

/* The visible face's person ("" unassigned), or "(hidden)" when iteration does not show it. */
static const char *shown_as(const face_rows *r, int64_t face_id)
{
    for (int i = 0; i < r->n; i++)
        if (r->id[i] == face_id)
            return r->person[i];
    return "(hidden)";
}

typedef struct {
    int count;
    char text[256];
} skipped_list;

static int list_skipped(void *ctx, const char *path, const char *reason)
{
    skipped_list *l = ctx;
    l->count++;
    size_t n = strlen(l->text);
    snprintf(l->text + n, sizeof l->text - n, "%s:%s;", path, reason);
    return 0;
}

int main(void)
{
    snprintf(root, sizeof root, "%s/test-scratch-store", PR_BINARY_DIR);
    mkdir(root, 0777);
    char db[2048];
    snprintf(db, sizeof db, "%s/.personrec/album.db", root);
    unlink(db);
    write_file("a.jpg", "photo a");
    write_file("b.jpg", "photo b, longer");

    pr_store *s = NULL, *second = NULL;
    PR_CHECK_OK(pr_store_open(db, &s));
    if (!s)
        return pr_test_finish();
    /* A second open of the same album is refused while the first holds it. */
    PR_CHECK_EQ_INT(pr_store_open(db, &second), PR_ERR_STATE);
    PR_CHECK(strstr(pr_last_error(), "in use by another personrec run") != NULL);

    pr_photo_stat sa = stat_of("a.jpg"), sb = stat_of("b.jpg");
    pr_photo_state state;
    int64_t id = 0, id_a = 0, id_b = 0;
    PR_CHECK_OK(pr_store_classify(s, root, "a.jpg", &sa, &state, &id));
    PR_CHECK_EQ_INT(state, PR_PHOTO_NEW);
    PR_CHECK(sa.hash != 0);
    float desc[PR_STORE_DESCRIPTOR_DIM];
    for (int k = 0; k < PR_STORE_DESCRIPTOR_DIM; k++)
        desc[k] = 0.01f * (float)k - 0.5f;
    pr_store_face faces[2] = {{{10, 20, 30, 40}, 0.9, 0, "blob", 4, NULL, 0, desc},
                              {{50, 20, 30, 40}, 0.8, 0, NULL, 0, NULL, 0, NULL}};
    PR_CHECK_OK(pr_store_put_photo(s, "a.jpg", &sa, "2020:01:02 03:04:05", 640, 480, NULL, faces, 2,
                                   &id_a));
    PR_CHECK_OK(pr_store_classify(s, root, "b.jpg", &sb, &state, &id));
    PR_CHECK_OK(pr_store_put_photo(s, "b.jpg", &sb, NULL, 0, 0, "corrupt JPEG", NULL, 0, &id_b));
    PR_CHECK_OK(pr_store_classify(s, root, "a.jpg", &sa, &state, &id));
    PR_CHECK_EQ_INT(state, PR_PHOTO_UNCHANGED);
    PR_CHECK_EQ_INT(id, id_a);

    /* The skipped photos are listed with their reason. */
    skipped_list sk = {0, ""};
    PR_CHECK_OK(pr_store_each_skipped(s, list_skipped, &sk));
    PR_CHECK_EQ_INT(sk.count, 1);
    PR_CHECK_STR(sk.text, "b.jpg:corrupt JPEG;");

    pr_store_counts c;
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.photos, 1);
    PR_CHECK_EQ_INT(c.skipped, 1);
    PR_CHECK_EQ_INT(c.faces, 2);

    /* Names: seed beats auto; auto does not overwrite manual; manual overwrites seed. */
    int64_t alice = 0, bob = 0;
    PR_CHECK_OK(pr_store_person_id(s, "Alice", &alice));
    PR_CHECK_OK(pr_store_person_id(s, "Bob", &bob));
    int64_t again = 0;
    PR_CHECK_OK(pr_store_person_id(s, "Alice", &again));
    PR_CHECK_EQ_INT(again, alice);
    face_tally t = {0};
    PR_CHECK_OK(pr_store_each_face(s, tally, &t));
    PR_CHECK_EQ_INT(t.count, 2);
    /* The descriptor comes back bit for bit on the face that had one, none on the other. */
    PR_CHECK_EQ_INT(t.descriptors, 1);
    PR_CHECK(memcmp(t.descriptor, desc, sizeof desc) == 0);
    /* face ids: the rows just read are ids 1 and 2 */
    PR_CHECK_OK(pr_store_assign(s, 2, alice, 0.5, PR_SOURCE_MANUAL));
    PR_CHECK_OK(pr_store_assign(s, 2, bob, 0.9, PR_SOURCE_AUTO));
    memset(&t, 0, sizeof t);
    PR_CHECK_OK(pr_store_each_face(s, tally, &t));
    PR_CHECK_STR(t.last_person, "Alice");
    PR_CHECK_EQ_INT(t.last_source, PR_SOURCE_MANUAL);
    PR_CHECK_OK(pr_store_assign(s, 1, bob, 0.9, PR_SOURCE_AUTO));
    PR_CHECK_OK(pr_store_clear_auto(s));
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.named_faces, 1);
    PR_CHECK_EQ_INT(c.people, 1);

    /* Reopen: everything persisted, lock released on close. */
    pr_store_close(s);
    PR_CHECK_OK(pr_store_open(db, &s));
    if (!s)
        return pr_test_finish();
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.faces, 2);
    PR_CHECK_EQ_INT(c.named_faces, 1);

    /* Move a.jpg to c.jpg: recognised by hash, keeps its id, faces and names. */
    char from[2048], to[2048];
    snprintf(from, sizeof from, "%s/a.jpg", root);
    snprintf(to, sizeof to, "%s/c.jpg", root);
    rename(from, to);
    pr_photo_stat sc = stat_of("c.jpg");
    PR_CHECK_OK(pr_store_classify(s, root, "c.jpg", &sc, &state, &id));
    PR_CHECK_EQ_INT(state, PR_PHOTO_MOVED);
    PR_CHECK_EQ_INT(id, id_a);
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.named_faces, 1);

    /* Change b.jpg: CHANGED. */
    write_file("b.jpg", "photo b, edited and now a different size");
    pr_photo_stat sb2 = stat_of("b.jpg");
    PR_CHECK_OK(pr_store_classify(s, root, "b.jpg", &sb2, &state, &id));
    PR_CHECK_EQ_INT(state, PR_PHOTO_CHANGED);

    /* A scan that sees only c.jpg drops b.jpg. */
    PR_CHECK_OK(pr_store_begin_scan(s));
    PR_CHECK_OK(pr_store_mark_seen(s, id_a));
    int dropped = 0;
    PR_CHECK_OK(pr_store_drop_unseen(s, &dropped));
    PR_CHECK_EQ_INT(dropped, 1);
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.skipped, 0);
    PR_CHECK_EQ_INT(c.photos, 1);
    pr_store_close(s);

    /* Corrections and settings on a fresh store. */
    snprintf(db, sizeof db, "%s/corrections.db", root);
    remove(db);
    PR_CHECK_OK(pr_store_open(db, &s));
    if (!s)
        return pr_test_finish();
    char *v = NULL;
    PR_CHECK_OK(pr_store_meta_get(s, "k", &v));
    PR_CHECK(v == NULL);
    PR_CHECK_OK(pr_store_meta_set(s, "k", "1"));
    PR_CHECK_OK(pr_store_meta_set(s, "k", "2"));
    PR_CHECK_OK(pr_store_meta_get(s, "k", &v));
    PR_CHECK_STR(v ? v : "", "2");
    pr_free(v);
    pr_store_face three[3] = {{{0, 0, 10, 10}, 1, 0, NULL, 0, "crop", 4, NULL},
                              {{20, 0, 10, 10}, 1, 0, NULL, 0, NULL, 0, NULL},
                              {{40, 0, 10, 10}, 1, 0, NULL, 0, NULL, 0, NULL}};
    pr_photo_stat sd = {1, 2, 3};
    PR_CHECK_OK(pr_store_put_photo(s, "d.jpg", &sd, NULL, 64, 48, NULL, three, 3, NULL));
    /* Faces get ids 1, 2, 3 in a fresh store. */
    int64_t p1 = 0, p2 = 0;
    PR_CHECK_OK(pr_store_person_id(s, "person_1", &p1));
    PR_CHECK_OK(pr_store_person_id(s, "person_2", &p2));
    PR_CHECK_OK(pr_store_assign(s, 1, p1, 0.5, PR_SOURCE_AUTO));
    PR_CHECK_OK(pr_store_assign(s, 2, p1, 0.5, PR_SOURCE_AUTO));
    PR_CHECK_OK(pr_store_assign(s, 3, p2, 0.5, PR_SOURCE_AUTO));
    /* Faces of person_<number> people are in a person, but nobody named them yet. */
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.people, 2);
    PR_CHECK_EQ_INT(c.named_faces, 0);
    PR_CHECK_OK(pr_store_rename_person(s, "person_1", "Carol"));
    PR_CHECK(pr_store_rename_person(s, "nobody", "x") == PR_ERR_ARG);
    PR_CHECK_OK(pr_store_clear_auto(s)); /* a re-run: Carol's faces are manual now */
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.named_faces, 2);
    PR_CHECK_OK(pr_store_move_face(s, 2, "Dave"));
    PR_CHECK(pr_store_move_face(s, 99, "Dave") == PR_ERR_ARG);
    /* A rename onto an existing name is refused (a merge is asked for by name), and so is a merge
     * into someone who does not exist. */
    PR_CHECK_EQ_INT(pr_store_rename_person(s, "Dave", "Carol"), PR_ERR_ARG);
    PR_CHECK(strstr(pr_last_error(), "merge") != NULL);
    PR_CHECK_EQ_INT(pr_store_merge_people(s, "Dave", "Nobody"), PR_ERR_ARG);
    PR_CHECK(strstr(pr_last_error(), "Nobody") != NULL);
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.people, 2);
    PR_CHECK_OK(pr_store_merge_people(s, "Dave", "Carol"));
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.people, 1);
    PR_CHECK_EQ_INT(c.named_faces, 2);
    PR_CHECK_OK(pr_store_forget_face(s, 3));
    PR_CHECK_OK(pr_store_count(s, &c));
    PR_CHECK_EQ_INT(c.faces, 2);
    face_tally t2;
    memset(&t2, 0, sizeof t2);
    PR_CHECK_OK(pr_store_each_face(s, tally, &t2));
    PR_CHECK_EQ_INT(t2.count, 2);
    pr_store_close(s);

    /* A path too long for the classifier's buffer is an error, not the file its truncation names:
     * long/.../f (4095 bytes in all) exists, and "long/.../f" + "oo.jpg" must not be taken for it. */
    {
        char deep[4200], rel[4200];
        size_t root_len = strlen(root);
        snprintf(deep, sizeof deep, "%s", root);
        rel[0] = '\0';
        while (strlen(deep) + 201 < 4095 - 2) {
            char part[202];
            memset(part, 'd', 200);
            part[0] = '/';
            part[200] = '\0';
            strcat(deep, part);
            mkdir(deep, 0777);
        }
        size_t pad = 4095 - strlen(deep) - 1; /* the last component fills up to 4095 bytes */
        strcat(deep, "/");
        memset(deep + strlen(deep), 'f', pad);
        deep[4095] = '\0';
        FILE *f = fopen(deep, "wb");
        PR_CHECK(f != NULL);
        if (f) {
            fputs("the truncated path's file", f);
            fclose(f);
        }
        snprintf(rel, sizeof rel, "%soo.jpg", deep + root_len + 1);
        PR_CHECK_OK(pr_store_open(db, &s));
        if (s) {
            pr_photo_stat sl = {5, 6, 0};
            PR_CHECK_EQ_INT(pr_store_classify(s, root, rel, &sl, &state, &id), PR_ERR_ARG);
            PR_CHECK(strstr(pr_last_error(), "path too long") != NULL);
            PR_CHECK(sl.hash == 0);
            pr_store_close(s);
        }
        unlink(deep);
    }

    /* Trust: a changed photo keeps its faces, corrections are atomic and mark the clustering
     * out of date, names the writers cannot carry are refused, split pins what stays. */
    snprintf(db, sizeof db, "%s/trust.db", root);
    remove(db);
    PR_CHECK_OK(pr_store_open(db, &s));
    if (!s)
        return pr_test_finish();
    {
        pr_store_face four[3] = {{{0, 0, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL},
                                 {{200, 0, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL},
                                 {{400, 0, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL}};
        pr_photo_stat se = {10, 20, 30};
        int64_t pe = 0, ann = 0;
        PR_CHECK_OK(pr_store_put_photo(s, "e.jpg", &se, NULL, 640, 480, NULL, four, 3, &pe));
        char *dirty = NULL;
        PR_CHECK_OK(pr_store_meta_get(s, PR_STORE_META_DIRTY, &dirty));
        PR_CHECK_STR(dirty ? dirty : "", "1"); /* stored faces: clustering out of date */
        pr_free(dirty);
        PR_CHECK_OK(pr_store_person_id(s, "person_3", &ann));
        PR_CHECK_OK(pr_store_assign(s, 3, ann, 0.5, PR_SOURCE_AUTO));
        PR_CHECK_OK(pr_store_move_face(s, 1, "Ann"));
        PR_CHECK_OK(pr_store_forget_face(s, 2));
        PR_CHECK_OK(pr_store_meta_set(s, PR_STORE_META_DIRTY, "0"));
        /* The photo changes: face 1 found a little shifted, face 2 where it was, face 3 gone, a
         * new face far away. */
        pr_store_face changed[3] = {{{5, 5, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL},
                                  {{200, 0, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL},
                                  {{600, 300, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL}};
        se.hash = 31;
        int64_t pe2 = 0;
        PR_CHECK_OK(pr_store_put_photo(s, "e.jpg", &se, NULL, 640, 480, NULL, changed, 3, &pe2));
        PR_CHECK_EQ_INT(pe2, pe);
        PR_CHECK_OK(pr_store_meta_get(s, PR_STORE_META_DIRTY, &dirty));
        PR_CHECK_STR(dirty ? dirty : "", "1");
        pr_free(dirty);
        face_tally te;
        memset(&te, 0, sizeof te);
        PR_CHECK_OK(pr_store_each_face(s, tally, &te));
        PR_CHECK_EQ_INT(te.count, 2); /* face 1 and the new one; face 2 still forgotten */
        face_rows rows = {0};
        PR_CHECK_OK(pr_store_each_face(s, collect_rows, &rows));
        PR_CHECK_EQ_INT(rows.n, 2);
        PR_CHECK_EQ_INT(rows.id[0], 1); /* in position order: (5,5) before (600,300) */
        PR_CHECK_STR(rows.person[0], "Ann");
        PR_CHECK_EQ_INT(rows.source[0], PR_SOURCE_MANUAL);
        PR_CHECK(rows.id[1] != 1 && rows.id[1] != 2); /* a new face: not an old one's id */
        PR_CHECK_STR(rows.person[1], "");
        pr_store_counts ce;
        PR_CHECK_OK(pr_store_count(s, &ce));
        PR_CHECK_EQ_INT(ce.faces, 2);
        /* Skipped now (unreadable for a while): the faces are hidden, not lost. */
        PR_CHECK_OK(pr_store_put_photo(s, "e.jpg", &se, NULL, 0, 0, "unreadable", NULL, 0, NULL));
        PR_CHECK_OK(pr_store_count(s, &ce));
        PR_CHECK_EQ_INT(ce.faces, 0);
        PR_CHECK_EQ_INT(ce.named_faces, 0);
        person_tally pt = {0, -1};
        PR_CHECK_OK(pr_store_each_person(s, tally_ann, &pt));
        PR_CHECK_EQ_INT(pt.people, 1); /* Ann is still there, with no face shown */
        PR_CHECK_EQ_INT(pt.ann_faces, 0);
        /* Failing again changes nothing the clustering sees: not marked. */
        PR_CHECK_OK(pr_store_meta_set(s, PR_STORE_META_DIRTY, "0"));
        PR_CHECK_OK(pr_store_put_photo(s, "e.jpg", &se, NULL, 0, 0, "unreadable", NULL, 0, NULL));
        PR_CHECK_OK(pr_store_meta_get(s, PR_STORE_META_DIRTY, &dirty));
        PR_CHECK_STR(dirty ? dirty : "", "0");
        pr_free(dirty);
        PR_CHECK_OK(pr_store_put_photo(s, "e.jpg", &se, NULL, 640, 480, NULL, changed, 3, NULL));
        PR_CHECK_OK(pr_store_meta_get(s, PR_STORE_META_DIRTY, &dirty));
        PR_CHECK_STR(dirty ? dirty : "", "1");
        pr_free(dirty);
        memset(&rows, 0, sizeof rows);
        PR_CHECK_OK(pr_store_each_face(s, collect_rows, &rows));
        PR_CHECK_EQ_INT(rows.n, 2);
        PR_CHECK_EQ_INT(rows.id[0], 1);
        PR_CHECK_STR(rows.person[0], "Ann");

        /* Names. */
        PR_CHECK_OK(pr_store_check_name("Zoë O'Brien, Jr. \"Z\""));
        static const char *const bad[] = {"", "a\nb", "a\rb", "a\tb", "a;b", "a\001b", "a\177b",
                                          " a", "a ", "a\377b", "\xc0\x80", "\xed\xa0\x80"};
        for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
            PR_CHECK_EQ_INT(pr_store_check_name(bad[i]), PR_ERR_ARG);
        PR_CHECK(pr_store_is_auto_name("person_12"));
        PR_CHECK(!pr_store_is_auto_name("person_12a"));
        PR_CHECK(!pr_store_is_auto_name("person_"));
        PR_CHECK_EQ_INT(pr_store_move_face(s, 1, "a\nb"), PR_ERR_ARG);
        PR_CHECK_EQ_INT(pr_store_rename_person(s, "Ann", "a;b"), PR_ERR_ARG);
        PR_CHECK_EQ_INT(pr_store_rename_person(s, "Ann", "person_77"), PR_ERR_ARG);
        PR_CHECK_EQ_INT(pr_store_move_face(s, 1, "person_77"), PR_ERR_ARG); /* a new person_N */

        /* A name stored before names were checked (a label file's, an older store's) takes no
         * more faces until renamed; renaming it away is allowed. */
        int64_t odd = 0;
        PR_CHECK_OK(pr_store_person_id(s, "Odd;Name", &odd));
        PR_CHECK_OK(pr_store_assign(s, 2, odd, 1, PR_SOURCE_SEED)); /* the forgotten face: hidden */
        PR_CHECK_EQ_INT(pr_store_merge_people(s, "Ann", "Odd;Name"), PR_ERR_ARG);
        PR_CHECK(strstr(pr_last_error(), "rename that person first") != NULL);
        PR_CHECK_EQ_INT(pr_store_move_face(s, 1, "Odd;Name"), PR_ERR_ARG);
        PR_CHECK_OK(pr_store_rename_person(s, "Odd;Name", "Odd Name"));

        /* Split: the new face joins Ann automatically; splitting it off pins face 1 to Ann. */
        int64_t ann_id = 0, new_face = rows.id[1];
        PR_CHECK_OK(pr_store_person_id(s, "Ann", &ann_id));
        PR_CHECK_OK(pr_store_assign(s, new_face, ann_id, 0.4, PR_SOURCE_AUTO));
        PR_CHECK_OK(pr_store_assign(s, 1, ann_id, 0.4, PR_SOURCE_AUTO)); /* stays manual */
        int64_t wrong[1] = {2}; /* forgotten: not Ann's */
        PR_CHECK_EQ_INT(pr_store_split_person(s, "Ann", wrong, 1, "Bea"), PR_ERR_ARG);
        int64_t ids[1] = {new_face};
        PR_CHECK_OK(pr_store_split_person(s, "Ann", ids, 1, "Bea"));
        PR_CHECK_OK(pr_store_clear_auto(s)); /* a re-run keeps both sides */
        memset(&rows, 0, sizeof rows);
        PR_CHECK_OK(pr_store_each_face(s, collect_rows, &rows));
        PR_CHECK_STR(rows.person[0], "Ann");
        PR_CHECK_STR(rows.person[1], "Bea");
        PR_CHECK_EQ_INT(rows.source[1], PR_SOURCE_MANUAL);

        /* Touched (same bytes, new time): unchanged, and the new time is kept. */
        write_file("t.jpg", "touched photo");
        pr_photo_stat st0 = stat_of("t.jpg");
        PR_CHECK_OK(pr_store_classify(s, root, "t.jpg", &st0, &state, &id));
        PR_CHECK_OK(pr_store_put_photo(s, "t.jpg", &st0, NULL, 1, 1, NULL, NULL, 0, &id));
        pr_photo_stat st1 = st0;
        st1.mtime += 100;
        int64_t id2 = 0;
        PR_CHECK_OK(pr_store_classify(s, root, "t.jpg", &st1, &state, &id2));
        PR_CHECK_EQ_INT(state, PR_PHOTO_UNCHANGED);
        PR_CHECK_EQ_INT(id2, id);
        PR_CHECK_OK(pr_store_classify(s, root, "t.jpg", &st1, &state, &id2));
        PR_CHECK_EQ_INT(state, PR_PHOTO_UNCHANGED);
        PR_CHECK(st1.hash == st0.hash);
    }
    pr_store_close(s);

    /* Forgotten faces. A forgotten face with a person (what an older `people move` left, or a
     * label file's seed on it) is not counted in the listing: the counts are of the faces outputs
     * show. An explicit move or split of a forgotten face brings it back under that person, since
     * the command that put it there is the person's last word and nothing else can bring it back;
     * a split that names a forgotten face of nobody says so and how. */
    snprintf(db, sizeof db, "%s/forgotten.db", root);
    remove(db);
    PR_CHECK_OK(pr_store_open(db, &s));
    if (!s)
        return pr_test_finish();
    {
        pr_store_face four[4] = {{{0, 0, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL},
                                 {{200, 0, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL},
                                 {{400, 0, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL},
                                 {{600, 0, 100, 100}, 1, 0, NULL, 0, NULL, 0, NULL}};
        pr_photo_stat sg = {12, 22, 42};
        PR_CHECK_OK(pr_store_put_photo(s, "g.jpg", &sg, NULL, 800, 480, NULL, four, 4, NULL));
        /* Faces 1..4. Face 1 forgotten, then given to Gil (the store of an older version's
         * `people move 1 Gil`); face 4 is Gil's and shown. */
        int64_t gil = 0;
        PR_CHECK_OK(pr_store_move_face(s, 4, "Gil"));
        PR_CHECK_OK(pr_store_forget_face(s, 1));
        PR_CHECK_OK(pr_store_person_id(s, "Gil", &gil));
        PR_CHECK_OK(pr_store_assign(s, 1, gil, 1, PR_SOURCE_MANUAL));
        pr_store_counts cg;
        PR_CHECK_OK(pr_store_count(s, &cg));
        PR_CHECK_EQ_INT(cg.faces, 3);
        person_row pg = listed(s, "Gil");
        PR_CHECK(pg.found);
        PR_CHECK_MSG(pg.faces == 1 && pg.manual == 1,
                     "Gil is listed with %d faces (%d manual); shown: 1 (face 4)", pg.faces,
                     pg.manual);

        /* move: the forgotten face 2 is back, Hal's by the person's word. */
        PR_CHECK_OK(pr_store_forget_face(s, 2));
        PR_CHECK_OK(pr_store_meta_set(s, PR_STORE_META_DIRTY, "0"));
        PR_CHECK_OK(pr_store_move_face(s, 2, "Hal"));
        face_rows rg = {0};
        PR_CHECK_OK(pr_store_each_face(s, collect_rows, &rg));
        PR_CHECK_MSG(strcmp(shown_as(&rg, 2), "Hal") == 0,
                     "forgotten face 2 moved to Hal is shown as '%s'", shown_as(&rg, 2));
        PR_CHECK_OK(pr_store_count(s, &cg));
        PR_CHECK_EQ_INT(cg.faces, 3); /* 2, 3 and 4 */
        PR_CHECK_EQ_INT(cg.named_faces, 2);
        pg = listed(s, "Hal");
        PR_CHECK_EQ_INT(pg.faces, 1);
        char *dg = NULL;
        PR_CHECK_OK(pr_store_meta_get(s, PR_STORE_META_DIRTY, &dg));
        PR_CHECK_STR(dg ? dg : "", "1"); /* a face came back: the clustering is out of date */
        pr_free(dg);

        /* split: a forgotten face of nobody is refused with why and what to do; a forgotten face
         * of the person (face 1, Gil's) leaves with the others and is shown again. */
        PR_CHECK_OK(pr_store_forget_face(s, 3));
        int64_t forgotten[1] = {3};
        PR_CHECK_EQ_INT(pr_store_split_person(s, "Gil", forgotten, 1, "Ida"), PR_ERR_ARG);
        PR_CHECK_MSG(strstr(pr_last_error(), "face 3") && strstr(pr_last_error(), "forgotten") &&
                         strstr(pr_last_error(), "move 3"),
                     "split of forgotten face 3: '%s'", pr_last_error());
        int64_t back[1] = {1};
        PR_CHECK_OK(pr_store_split_person(s, "Gil", back, 1, "Ida"));
        memset(&rg, 0, sizeof rg);
        PR_CHECK_OK(pr_store_each_face(s, collect_rows, &rg));
        PR_CHECK_MSG(strcmp(shown_as(&rg, 1), "Ida") == 0,
                     "forgotten face 1 split off to Ida is shown as '%s'", shown_as(&rg, 1));
        PR_CHECK_STR(shown_as(&rg, 4), "Gil");
        PR_CHECK_STR(shown_as(&rg, 3), "(hidden)"); /* still forgotten */
        PR_CHECK_EQ_INT(listed(s, "Ida").faces, 1);
        PR_CHECK_EQ_INT(listed(s, "Gil").faces, 1);
    }
    pr_store_close(s);

    /* An empty album.db is no album: refused, named, left empty. */
    snprintf(db, sizeof db, "%s/empty.db", root);
    write_file("empty.db", "");
    PR_CHECK_EQ_INT(pr_store_open(db, &s), PR_ERR_FORMAT);
    PR_CHECK(s == NULL);
    PR_CHECK(strstr(pr_last_error(), "empty.db") != NULL);
    PR_CHECK(strstr(pr_last_error(), "move it aside") != NULL);
    {
        struct stat eb;
        PR_CHECK(stat(db, &eb) == 0 && eb.st_size == 0);
    }

    /* Not a database (a mistyped --db naming a photo, say): a clear error that asks about the
     * path, not a crash, and nothing written beside it (no lock file). */
    snprintf(db, sizeof db, "%s/garbage.db", root);
    write_file("garbage.db", "this is not an SQLite file, just text that is long enough to matter");
    char lock[2100];
    snprintf(lock, sizeof lock, "%s.lock", db);
    remove(lock); /* an earlier run's */
    PR_CHECK(pr_store_open(db, &s) != PR_OK);
    PR_CHECK(s == NULL);
    PR_CHECK_MSG(strstr(pr_last_error(), "garbage.db: not an album store") != NULL &&
                     strstr(pr_last_error(), "is the path right?") != NULL,
                 "'%s'", pr_last_error());
    PR_CHECK_MSG(access(lock, F_OK) != 0, "%s was left beside a file that is no store", lock);
    return pr_test_finish();
}

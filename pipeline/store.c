/* The album store on SQLite. Schema version in PRAGMA user_version; WAL journal so a kill mid-run
 * loses only the uncommitted photo. Every open takes the album's lock (store.h), so a second
 * personrec on the same album, `personrec people list` included, is refused while a run holds it. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/store.h"

#include "core/alloc.h"
#include "core/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <sqlite3.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

enum { PR_STORE_SCHEMA_VERSION = 3 };

struct pr_store {
    sqlite3 *db;
    int lock_fd;
    char *path;
};

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS photos ("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  size INTEGER NOT NULL, mtime INTEGER NOT NULL, hash INTEGER NOT NULL,"
    "  exif_time TEXT, width INTEGER, height INTEGER,"
    "  skip_reason TEXT,"            /* NULL = processed */
    "  seen INTEGER NOT NULL DEFAULT 1);"
    "CREATE INDEX IF NOT EXISTS photos_hash ON photos(hash);"
    "CREATE TABLE IF NOT EXISTS faces ("
    "  id INTEGER PRIMARY KEY,"
    "  photo_id INTEGER NOT NULL REFERENCES photos(id) ON DELETE CASCADE,"
    "  x REAL NOT NULL, y REAL NOT NULL, w REAL NOT NULL, h REAL NOT NULL,"
    "  score REAL NOT NULL, pose INTEGER NOT NULL, features BLOB,"
    "  crop BLOB, ignored INTEGER NOT NULL DEFAULT 0, descriptor BLOB);"
    "CREATE INDEX IF NOT EXISTS faces_photo ON faces(photo_id);"
    "CREATE TABLE IF NOT EXISTS people ("
    "  id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);"
    "CREATE TABLE IF NOT EXISTS assignments ("
    "  face_id INTEGER PRIMARY KEY REFERENCES faces(id) ON DELETE CASCADE,"
    "  person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,"
    "  confidence REAL NOT NULL,"
    "  source INTEGER NOT NULL CHECK (source IN (0, 1, 2)));"
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);";

/* Version 1 stores (before the album pipeline) lack the face crop, the forgotten flag and meta;
 * meta comes with SCHEMA's IF NOT EXISTS, the columns are added here. */
static const char MIGRATE_1_TO_2[] =
    "ALTER TABLE faces ADD COLUMN crop BLOB;"
    "ALTER TABLE faces ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0;";

/* Version 2 stores lack the face descriptor (features/face_descriptor.h); their faces simply have
 * none until their photos change. */
static const char MIGRATE_2_TO_3[] = "ALTER TABLE faces ADD COLUMN descriptor BLOB;";

const char *pr_source_name(pr_source source)
{
    switch (source) {
    case PR_SOURCE_AUTO: return "auto";
    case PR_SOURCE_SEED: return "seed";
    case PR_SOURCE_MANUAL: return "manual";
    }
    return "auto";
}

static pr_status db_error(pr_store *s, const char *what)
{
    return pr_set_error(PR_ERR_IO, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

static pr_status exec(pr_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        pr_status st = pr_set_error(PR_ERR_IO, "%s: %s", s->path, msg ? msg : "SQLite error");
        sqlite3_free(msg);
        return st;
    }
    return PR_OK;
}

static pr_status prepare(pr_store *s, const char *sql, sqlite3_stmt **stmt)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) != SQLITE_OK)
        return db_error(s, "preparing a query");
    return PR_OK;
}

static pr_status take_lock(pr_store *s)
{
    size_t n = strlen(s->path) + 8;
    char *lock_path = pr_malloc(n);
    if (!lock_path)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    snprintf(lock_path, n, "%s.lock", s->path);
    s->lock_fd = open(lock_path, O_RDWR | O_CREAT, 0666);
    if (s->lock_fd < 0) {
        pr_status st = pr_set_error(PR_ERR_IO, "%s: cannot create the lock file: %s", lock_path,
                                    strerror(errno));
        pr_free(lock_path);
        return st;
    }
    if (flock(s->lock_fd, LOCK_EX | LOCK_NB) != 0) {
        char pid[32] = "";
        ssize_t got = pread(s->lock_fd, pid, sizeof pid - 1, 0);
        pid[got > 0 ? got : 0] = '\0';
        pid[strcspn(pid, "\n")] = '\0';
        pr_status st = pr_set_error(PR_ERR_STATE,
                                    "%s is in use by another personrec run%s%s%s; wait for it to "
                                    "finish",
                                    s->path, pid[0] ? " (pid " : "", pid, pid[0] ? ")" : "");
        close(s->lock_fd);
        s->lock_fd = -1;
        pr_free(lock_path);
        return st;
    }
    /* Leave our pid in the lock file for the message a second run prints. */
    char pid[32];
    int len = snprintf(pid, sizeof pid, "%ld\n", (long)getpid());
    if (ftruncate(s->lock_fd, 0) == 0 && pwrite(s->lock_fd, pid, (size_t)len, 0) < 0) {
        /* the pid is a courtesy for the message; locking works without it */
    }
    pr_free(lock_path);
    return PR_OK;
}

pr_status pr_store_open(const char *db_path, pr_store **out)
{
    *out = NULL;
    pr_store *s = pr_calloc(1, sizeof *s);
    if (!s)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    s->lock_fd = -1;
    s->path = pr_strdup(db_path);
    pr_status st = s->path ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
    if (st == PR_OK)
        st = pr_mkdir_parents(db_path);
    if (st == PR_OK)
        st = take_lock(s);
    if (st != PR_OK)
        goto fail;
    if (sqlite3_open_v2(db_path, &s->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) !=
        SQLITE_OK) {
        st = pr_set_error(PR_ERR_IO, "%s: cannot open the album store: %s", db_path,
                          s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_stmt *q = NULL;
    int version = 0;
    if ((st = prepare(s, "PRAGMA user_version", &q)) != PR_OK)
        goto fail;
    if (sqlite3_step(q) == SQLITE_ROW)
        version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (version > PR_STORE_SCHEMA_VERSION) {
        st = pr_set_error(PR_ERR_FORMAT,
                          "%s: written by a newer personrec (store version %d, this one knows %d)",
                          db_path, version, PR_STORE_SCHEMA_VERSION);
        goto fail;
    }
    if ((st = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                      "PRAGMA foreign_keys=ON;")) != PR_OK)
        goto fail;
    if (version == 1 && (st = exec(s, MIGRATE_1_TO_2)) != PR_OK)
        goto fail;
    if (version >= 1 && version < 3 && (st = exec(s, MIGRATE_2_TO_3)) != PR_OK)
        goto fail;
    if ((st = exec(s, SCHEMA)) != PR_OK || (st = exec(s, "PRAGMA user_version=3")) != PR_OK)
        goto fail;
    *out = s;
    return PR_OK;
fail:
    pr_store_close(s);
    return st;
}

void pr_store_close(pr_store *s)
{
    if (!s)
        return;
    if (s->db)
        sqlite3_close(s->db);
    if (s->lock_fd >= 0)
        close(s->lock_fd); /* releases the flock */
    pr_free(s->path);
    pr_free(s);
}

pr_status pr_store_classify(pr_store *s, const char *album_root, const char *path,
                            pr_photo_stat *stat_io, pr_photo_state *state, int64_t *photo_id)
{
    char full[4096];
    if (snprintf(full, sizeof full, "%s/%s", album_root, path) >= (int)sizeof full)
        return pr_set_error(PR_ERR_ARG, "path too long: %s/%s", album_root, path);
    return pr_store_classify_file(s, album_root, full, path, stat_io, state, photo_id);
}

pr_status pr_store_classify_file(pr_store *s, const char *album_root, const char *full,
                                 const char *path, pr_photo_stat *stat_io, pr_photo_state *state,
                                 int64_t *photo_id)
{
    *photo_id = 0;
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, "SELECT id, size, mtime FROM photos WHERE path = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int have = sqlite3_step(q) == SQLITE_ROW;
    int64_t id = have ? sqlite3_column_int64(q, 0) : 0;
    int same = have && sqlite3_column_int64(q, 1) == stat_io->size &&
               sqlite3_column_int64(q, 2) == stat_io->mtime;
    sqlite3_finalize(q);
    if (same) {
        *state = PR_PHOTO_UNCHANGED;
        *photo_id = id;
        return PR_OK;
    }
    if ((st = pr_file_hash(full, &stat_io->hash)) != PR_OK)
        return st;
    if (have) {
        *state = PR_PHOTO_CHANGED;
        return PR_OK;
    }
    /* Photos outside the album ('@' keys) never take part in move detection either way. */
    if (!album_root || path[0] == '@') {
        *state = PR_PHOTO_NEW;
        return PR_OK;
    }
    /* A known hash under a path that is gone: the photo moved. */
    if ((st = prepare(s, "SELECT id, path FROM photos WHERE hash = ? AND size = ? AND "
                         "substr(path, 1, 1) <> '@'", &q)) != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, (sqlite3_int64)stat_io->hash);
    sqlite3_bind_int64(q, 2, stat_io->size);
    int64_t moved = 0;
    while (sqlite3_step(q) == SQLITE_ROW) {
        char old[4096];
        struct stat sb;
        /* A path too long to check is taken as still there: never re-point a photo on a guess. */
        if (snprintf(old, sizeof old, "%s/%s", album_root,
                     (const char *)sqlite3_column_text(q, 1)) < (int)sizeof old &&
            stat(old, &sb) != 0 && (errno == ENOENT || errno == ENOTDIR)) {
            moved = sqlite3_column_int64(q, 0);
            break;
        }
    }
    sqlite3_finalize(q);
    if (!moved) {
        *state = PR_PHOTO_NEW;
        return PR_OK;
    }
    if ((st = prepare(s, "UPDATE photos SET path = ?, mtime = ? WHERE id = ?", &q)) != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, stat_io->mtime);
    sqlite3_bind_int64(q, 3, moved);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return db_error(s, "recording a moved photo");
    *state = PR_PHOTO_MOVED;
    *photo_id = moved;
    return PR_OK;
}

pr_status pr_store_begin(pr_store *s) { return exec(s, "BEGIN IMMEDIATE"); }
pr_status pr_store_commit(pr_store *s) { return exec(s, "COMMIT"); }
pr_status pr_store_rollback(pr_store *s) { return exec(s, "ROLLBACK"); }

pr_status pr_store_put_photo(pr_store *s, const char *path, const pr_photo_stat *stat,
                             const char *exif_time, int width, int height, const char *reason,
                             const pr_store_face *faces, size_t face_count, int64_t *photo_id)
{
    sqlite3_stmt *q = NULL;
    pr_status st = exec(s, "SAVEPOINT put_photo");
    if (st != PR_OK)
        return st;
    /* Upsert keeps the photo id stable, so the faces' old assignments can be dropped by id. */
    st = prepare(s,
                 "INSERT INTO photos (path, size, mtime, hash, exif_time, width, height, "
                 "skip_reason, seen) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 1) "
                 "ON CONFLICT(path) DO UPDATE SET size = excluded.size, mtime = excluded.mtime, "
                 "hash = excluded.hash, exif_time = excluded.exif_time, width = excluded.width, "
                 "height = excluded.height, skip_reason = excluded.skip_reason, seen = 1 "
                 "RETURNING id",
                 &q);
    if (st != PR_OK)
        goto fail;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, stat->size);
    sqlite3_bind_int64(q, 3, stat->mtime);
    sqlite3_bind_int64(q, 4, (sqlite3_int64)stat->hash);
    if (exif_time)
        sqlite3_bind_text(q, 5, exif_time, -1, SQLITE_STATIC);
    sqlite3_bind_int(q, 6, width);
    sqlite3_bind_int(q, 7, height);
    if (reason)
        sqlite3_bind_text(q, 8, reason, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_ROW) {
        st = db_error(s, "storing a photo");
        goto fail;
    }
    int64_t id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    if ((st = prepare(s, "DELETE FROM faces WHERE photo_id = ?", &q)) != PR_OK)
        goto fail;
    sqlite3_bind_int64(q, 1, id);
    if (sqlite3_step(q) != SQLITE_DONE) {
        st = db_error(s, "replacing a photo's faces");
        goto fail;
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((st = prepare(s, "INSERT INTO faces (photo_id, x, y, w, h, score, pose, features, crop, "
                         "descriptor) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                      &q)) != PR_OK)
        goto fail;
    for (size_t i = 0; i < face_count; i++) {
        sqlite3_reset(q);
        sqlite3_bind_int64(q, 1, id);
        sqlite3_bind_double(q, 2, faces[i].box.x);
        sqlite3_bind_double(q, 3, faces[i].box.y);
        sqlite3_bind_double(q, 4, faces[i].box.w);
        sqlite3_bind_double(q, 5, faces[i].box.h);
        sqlite3_bind_double(q, 6, faces[i].score);
        sqlite3_bind_int(q, 7, faces[i].pose);
        if (faces[i].features && faces[i].features_size)
            sqlite3_bind_blob(q, 8, faces[i].features, (int)faces[i].features_size,
                              SQLITE_STATIC);
        else
            sqlite3_bind_null(q, 8);
        if (faces[i].crop && faces[i].crop_size)
            sqlite3_bind_blob(q, 9, faces[i].crop, (int)faces[i].crop_size, SQLITE_STATIC);
        else
            sqlite3_bind_null(q, 9);
        if (faces[i].descriptor)
            sqlite3_bind_blob(q, 10, faces[i].descriptor,
                              (int)(sizeof(float) * PR_STORE_DESCRIPTOR_DIM), SQLITE_STATIC);
        else
            sqlite3_bind_null(q, 10);
        if (sqlite3_step(q) != SQLITE_DONE) {
            st = db_error(s, "storing a face");
            goto fail;
        }
    }
    sqlite3_finalize(q);
    q = NULL;
    if ((st = exec(s, "RELEASE put_photo")) != PR_OK)
        goto fail;
    if (photo_id)
        *photo_id = id;
    return PR_OK;
fail:
    sqlite3_finalize(q);
    exec(s, "ROLLBACK TO put_photo; RELEASE put_photo");
    return st;
}

static pr_status exec_id(pr_store *s, const char *sql, int64_t id, const char *what)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, sql, &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? PR_OK : db_error(s, what);
}

pr_status pr_store_begin_scan(pr_store *s) { return exec(s, "UPDATE photos SET seen = 0"); }

pr_status pr_store_mark_seen(pr_store *s, int64_t photo_id)
{
    return exec_id(s, "UPDATE photos SET seen = 1 WHERE id = ?", photo_id, "marking a photo");
}

pr_status pr_store_drop_unseen(pr_store *s, int *dropped)
{
    pr_status st = exec(s, "DELETE FROM photos WHERE seen = 0");
    if (dropped)
        *dropped = st == PR_OK ? sqlite3_changes(s->db) : 0;
    return st;
}

pr_status pr_store_person_id(pr_store *s, const char *name, int64_t *person_id)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, "INSERT INTO people (name) VALUES (?) ON CONFLICT(name) DO UPDATE "
                              "SET name = excluded.name RETURNING id",
                           &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    if (sqlite3_step(q) == SQLITE_ROW)
        *person_id = sqlite3_column_int64(q, 0);
    else
        st = db_error(s, "adding a person");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_assign(pr_store *s, int64_t face_id, int64_t person_id, double confidence,
                          pr_source source)
{
    sqlite3_stmt *q = NULL;
    /* The WHERE on the upsert keeps a stronger source's assignment. */
    pr_status st = prepare(s, "INSERT INTO assignments (face_id, person_id, confidence, source) "
                              "VALUES (?, ?, ?, ?) ON CONFLICT(face_id) DO UPDATE SET "
                              "person_id = excluded.person_id, confidence = excluded.confidence, "
                              "source = excluded.source WHERE excluded.source >= "
                              "assignments.source",
                           &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, face_id);
    sqlite3_bind_int64(q, 2, person_id);
    sqlite3_bind_double(q, 3, confidence);
    sqlite3_bind_int(q, 4, (int)source);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = db_error(s, "assigning a face");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_clear_auto(pr_store *s)
{
    pr_status st = exec(s, "DELETE FROM assignments WHERE source = 0");
    if (st == PR_OK) /* people nobody is assigned to any more */
        st = exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    return st;
}

pr_status pr_store_each_face(pr_store *s, pr_store_face_fn fn, void *ctx)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s,
                           "SELECT f.id, p.id, p.path, f.x, f.y, f.w, f.h, f.score, f.features, "
                           "pe.name, a.confidence, a.source, f.crop, f.pose, p.exif_time, "
                           "p.width, p.height, f.descriptor FROM faces f JOIN photos p ON "
                           "p.id = f.photo_id LEFT JOIN assignments a ON a.face_id = f.id LEFT "
                           "JOIN people pe ON pe.id = a.person_id WHERE p.skip_reason IS NULL "
                           "AND f.ignored = 0 ORDER BY p.path, f.id",
                           &q);
    if (st != PR_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        pr_store_face_row row;
        row.face_id = sqlite3_column_int64(q, 0);
        row.photo_id = sqlite3_column_int64(q, 1);
        row.path = (const char *)sqlite3_column_text(q, 2);
        row.box.x = sqlite3_column_double(q, 3);
        row.box.y = sqlite3_column_double(q, 4);
        row.box.w = sqlite3_column_double(q, 5);
        row.box.h = sqlite3_column_double(q, 6);
        row.score = sqlite3_column_double(q, 7);
        row.features = sqlite3_column_blob(q, 8);
        row.features_size = (size_t)sqlite3_column_bytes(q, 8);
        row.person = (const char *)sqlite3_column_text(q, 9);
        row.confidence = sqlite3_column_double(q, 10);
        row.source = (pr_source)sqlite3_column_int(q, 11);
        row.crop = sqlite3_column_blob(q, 12);
        row.crop_size = (size_t)sqlite3_column_bytes(q, 12);
        row.pose = sqlite3_column_int(q, 13);
        row.exif_time = (const char *)sqlite3_column_text(q, 14);
        row.width = sqlite3_column_int(q, 15);
        row.height = sqlite3_column_int(q, 16);
        row.descriptor = sqlite3_column_bytes(q, 17) == (int)(sizeof(float) * PR_STORE_DESCRIPTOR_DIM)
                             ? sqlite3_column_blob(q, 17)
                             : NULL;
        if (fn(ctx, &row))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = db_error(s, "reading faces");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_each_skipped(pr_store *s, pr_store_skipped_fn fn, void *ctx)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s,
                           "SELECT path, skip_reason FROM photos WHERE skip_reason IS NOT NULL "
                           "AND substr(path, 1, 1) <> '@' ORDER BY path",
                           &q);
    if (st != PR_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (fn(ctx, (const char *)sqlite3_column_text(q, 0),
               (const char *)sqlite3_column_text(q, 1)))
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = db_error(s, "reading the skipped photos");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_count(pr_store *s, pr_store_counts *c)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s,
                           "SELECT (SELECT count(*) FROM photos WHERE skip_reason IS NULL),"
                           " (SELECT count(*) FROM photos WHERE skip_reason IS NOT NULL),"
                           " (SELECT count(*) FROM faces WHERE ignored = 0),"
                           " (SELECT count(DISTINCT person_id) FROM assignments),"
                           " (SELECT count(*) FROM assignments)",
                           &q);
    if (st != PR_OK)
        return st;
    if (sqlite3_step(q) == SQLITE_ROW) {
        c->photos = sqlite3_column_int(q, 0);
        c->skipped = sqlite3_column_int(q, 1);
        c->faces = sqlite3_column_int(q, 2);
        c->people = sqlite3_column_int(q, 3);
        c->named_faces = sqlite3_column_int(q, 4);
    } else {
        st = db_error(s, "counting");
    }
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_meta_get(pr_store *s, const char *key, char **value)
{
    *value = NULL;
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, "SELECT value FROM meta WHERE key = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *value = pr_strdup((const char *)sqlite3_column_text(q, 0));
        if (!*value)
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    } else if (rc != SQLITE_DONE) {
        st = db_error(s, "reading a setting");
    }
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_meta_set(pr_store *s, const char *key, const char *value)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                              "UPDATE SET value = excluded.value",
                           &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = db_error(s, "writing a setting");
    sqlite3_finalize(q);
    return st;
}

/* Id of an existing person, 0 when there is none. */
static pr_status find_person(pr_store *s, const char *name, int64_t *id)
{
    *id = 0;
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, "SELECT id FROM people WHERE name = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, name, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *id = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
        st = db_error(s, "finding a person");
    sqlite3_finalize(q);
    return st;
}

static pr_status exec_two_ids(pr_store *s, const char *sql, int64_t a, int64_t b, const char *what)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, sql, &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, a);
    sqlite3_bind_int64(q, 2, b);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? PR_OK : db_error(s, what);
}

pr_status pr_store_rename_person(pr_store *s, const char *old_name, const char *new_name)
{
    if (!old_name || !new_name || !new_name[0])
        return pr_set_error(PR_ERR_ARG, "a person needs a non-empty name");
    int64_t from = 0, to = 0;
    pr_status st = find_person(s, old_name, &from);
    if (st != PR_OK)
        return st;
    if (!from)
        return pr_set_error(PR_ERR_ARG, "no person named '%s'", old_name);
    if (strcmp(old_name, new_name) == 0)
        return PR_OK;
    if ((st = exec(s, "SAVEPOINT rename")) != PR_OK)
        return st;
    if ((st = find_person(s, new_name, &to)) != PR_OK)
        goto fail;
    if (to) {
        /* A merge: every face of the old person joins the existing one. */
        if ((st = exec_two_ids(s, "UPDATE assignments SET person_id = ?, source = 2 "
                                  "WHERE person_id = ?",
                               to, from, "merging people")) != PR_OK ||
            (st = exec_id(s, "DELETE FROM people WHERE id = ?", from, "merging people")) != PR_OK)
            goto fail;
    } else {
        sqlite3_stmt *q = NULL;
        if ((st = prepare(s, "UPDATE people SET name = ? WHERE id = ?", &q)) != PR_OK)
            goto fail;
        sqlite3_bind_text(q, 1, new_name, -1, SQLITE_STATIC);
        sqlite3_bind_int64(q, 2, from);
        int rc = sqlite3_step(q);
        sqlite3_finalize(q);
        if (rc != SQLITE_DONE) {
            st = db_error(s, "renaming a person");
            goto fail;
        }
        to = from;
    }
    /* The person's faces are now named by a person: manual, so re-clustering keeps them. */
    if ((st = exec_id(s, "UPDATE assignments SET source = 2, confidence = 1 WHERE person_id = ?",
                      to, "renaming a person")) != PR_OK)
        goto fail;
    return exec(s, "RELEASE rename");
fail:
    exec(s, "ROLLBACK TO rename; RELEASE rename");
    return st;
}

static pr_status face_exists(pr_store *s, int64_t face_id)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, "SELECT 1 FROM faces WHERE id = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, face_id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc == SQLITE_ROW)
        return PR_OK;
    if (rc == SQLITE_DONE)
        return pr_set_error(PR_ERR_ARG, "no face with id %lld", (long long)face_id);
    return db_error(s, "finding a face");
}

pr_status pr_store_move_face(pr_store *s, int64_t face_id, const char *person_name)
{
    if (!person_name || !person_name[0])
        return pr_set_error(PR_ERR_ARG, "a person needs a non-empty name");
    pr_status st = face_exists(s, face_id);
    int64_t pid = 0;
    if (st == PR_OK)
        st = pr_store_person_id(s, person_name, &pid);
    if (st == PR_OK)
        st = pr_store_assign(s, face_id, pid, 1.0, PR_SOURCE_MANUAL);
    if (st == PR_OK) /* the old person may be left without faces */
        st = exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    return st;
}

pr_status pr_store_forget_face(pr_store *s, int64_t face_id)
{
    pr_status st = face_exists(s, face_id);
    if (st == PR_OK)
        st = exec_id(s, "UPDATE faces SET ignored = 1 WHERE id = ?", face_id, "forgetting a face");
    if (st == PR_OK)
        st = exec_id(s, "DELETE FROM assignments WHERE face_id = ?", face_id, "forgetting a face");
    if (st == PR_OK)
        st = exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    return st;
}

pr_status pr_store_each_person(pr_store *s, pr_store_person_fn fn, void *ctx)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s,
                           "SELECT pe.id, pe.name, count(a.face_id), "
                           "coalesce(sum(a.source = 2), 0), coalesce(sum(a.source = 1), 0) "
                           "FROM people pe LEFT JOIN assignments a ON a.person_id = pe.id "
                           "GROUP BY pe.id ORDER BY pe.name",
                           &q);
    if (st != PR_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        pr_store_person_row row;
        row.person_id = sqlite3_column_int64(q, 0);
        row.name = (const char *)sqlite3_column_text(q, 1);
        row.faces = sqlite3_column_int(q, 2);
        row.manual = sqlite3_column_int(q, 3);
        row.seed = sqlite3_column_int(q, 4);
        if (fn(ctx, &row))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = db_error(s, "reading people");
    sqlite3_finalize(q);
    return st;
}

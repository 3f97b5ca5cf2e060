/* The album store on SQLite: open, schema, integrity, lock, settings. Schema version in PRAGMA
 * user_version; WAL journal so a kill mid-run loses only the uncommitted photo. Every open takes
 * the album's lock (store.h), so a second personrec on the same album, `personrec people list`
 * included, is refused while a run holds it. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/store_internal.h"

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

static const char SCHEMA[] =
    "CREATE TABLE IF NOT EXISTS photos ("
    "  id INTEGER PRIMARY KEY,"
    "  path TEXT NOT NULL UNIQUE,"
    "  size INTEGER NOT NULL, mtime INTEGER NOT NULL, hash INTEGER NOT NULL,"
    "  exif_time TEXT, width INTEGER, height INTEGER,"
    "  skip_reason TEXT," /* NULL = processed */
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

/* Indexes are only speed: one that went missing is simply built again. */
static const char INDEXES[] = "CREATE INDEX IF NOT EXISTS photos_hash ON photos(hash);"
                              "CREATE INDEX IF NOT EXISTS faces_photo ON faces(photo_id);";

/* Version 1 stores (before the album pipeline) lack the face crop, the forgotten flag and meta;
 * meta comes with SCHEMA's IF NOT EXISTS, the columns are added here. */
static const char MIGRATE_1_TO_2[] =
    "ALTER TABLE faces ADD COLUMN crop BLOB;"
    "ALTER TABLE faces ADD COLUMN ignored INTEGER NOT NULL DEFAULT 0;";

/* Version 2 stores lack the face descriptor (features/face_descriptor.h); the album run with
 * descriptors gives their faces one on their stored boxes (pipeline/refresh_descriptors.h), names
 * and corrections untouched. */
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

pr_status store_db_error(pr_store *s, const char *what)
{
    return pr_set_error(PR_ERR_IO, "%s: %s: %s", s->path, what, sqlite3_errmsg(s->db));
}

pr_status store_exec(pr_store *s, const char *sql)
{
    char *msg = NULL;
    if (sqlite3_exec(s->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
        pr_status st = pr_set_error(PR_ERR_IO, "%s: %s", s->path, msg ? msg : "SQLite error");
        sqlite3_free(msg);
        return st;
    }
    return PR_OK;
}

pr_status store_prepare(pr_store *s, const char *sql, sqlite3_stmt **stmt)
{
    if (sqlite3_prepare_v2(s->db, sql, -1, stmt, NULL) != SQLITE_OK)
        return store_db_error(s, "preparing a query");
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

/* The store holds names and corrections a person made, so anything that does not look like a
 * whole personrec store is refused, never replaced or repaired: the file is left as it is and the
 * message says how to get going again. */
static pr_status damaged(const char *path, const char *why)
{
    return pr_set_error(PR_ERR_FORMAT,
                        "%s: the album store is damaged (%s). It was left untouched: it holds the "
                        "names and corrections of this album. Restore it from a backup, or move "
                        "it aside (mv '%s' '%s.damaged') to start a new store: the album is then "
                        "labelled afresh and the corrections made with 'personrec people' are lost",
                        path, why, path, path);
}

/* What SQLite says when it could not read or write the file as it is (a read-only folder or
 * mount, a file of someone else's, a full disk, an I/O error) is no sign of damage: saying
 * "damaged, move it aside" there would send a person to drop the corrections of a whole store. */
static pr_status damaged_or_unusable(sqlite3 *db, const char *path, const char *why)
{
    switch (db ? sqlite3_errcode(db) & 0xff : SQLITE_OK) {
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
    case SQLITE_AUTH:
        return pr_set_error(PR_ERR_IO,
                            "%s: cannot write the album store (%s): check that you may write to "
                            "it and to its folder (for a read-only album, --out DIR); it was "
                            "left untouched",
                            path, why);
    case SQLITE_IOERR:
    case SQLITE_FULL:
    case SQLITE_BUSY:
    case SQLITE_LOCKED:
    case SQLITE_NOMEM:
        return pr_set_error(PR_ERR_IO, "%s: cannot use the album store (%s); it was left untouched",
                            path, why);
    default: return damaged(path, why);
    }
}

static int64_t file_size(const char *path)
{
    struct stat sb;
    return stat(path, &sb) == 0 ? (int64_t)sb.st_size : -1;
}

/* A new store is built under a temporary name and renamed into place once its schema is
 * committed, so a kill while creating it leaves no empty album.db (which would be refused). */
static pr_status create_store(const char *db_path)
{
    size_t n = strlen(db_path) + 16;
    char *tmp = pr_malloc(n);
    if (!tmp)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    /* Leftovers of a run killed while creating (we hold the lock): its journal too, which SQLite
     * would otherwise play back into the new file. */
    snprintf(tmp, n, "%s.new-journal", db_path);
    unlink(tmp);
    snprintf(tmp, n, "%s.new", db_path);
    unlink(tmp);
    sqlite3 *db = NULL;
    char *msg = NULL;
    pr_status st = PR_OK;
    if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL) != SQLITE_OK ||
        sqlite3_exec(db, "BEGIN", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, SCHEMA, NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, "PRAGMA user_version=3; COMMIT", NULL, NULL, &msg) != SQLITE_OK)
        st = pr_set_error(PR_ERR_IO, "%s: cannot create the album store: %s", db_path,
                          msg  ? msg
                          : db ? sqlite3_errmsg(db)
                               : "out of memory");
    sqlite3_free(msg);
    if (sqlite3_close(db) != SQLITE_OK && st == PR_OK)
        st = pr_set_error(PR_ERR_IO, "%s: cannot create the album store", db_path);
    if (st == PR_OK && rename(tmp, db_path) != 0)
        st = pr_set_error(PR_ERR_IO, "%s: cannot create the album store: %s", db_path,
                          strerror(errno));
    if (st != PR_OK)
        unlink(tmp);
    pr_free(tmp);
    return st;
}

/* Every table with every column this version reads and writes: a store with one missing would
 * otherwise be half re-created (an empty people table: every name gone) or fail at random. */
static const char *const REQUIRED[] = {
    "SELECT id, path, size, mtime, hash, exif_time, width, height, skip_reason, seen FROM photos",
    "SELECT id, photo_id, x, y, w, h, score, pose, features, crop, ignored, descriptor FROM faces",
    "SELECT id, name FROM people",
    "SELECT face_id, person_id, confidence, source FROM assignments",
    "SELECT key, value FROM meta",
};

static pr_status check_schema(pr_store *s)
{
    for (size_t i = 0; i < sizeof REQUIRED / sizeof *REQUIRED; i++) {
        sqlite3_stmt *q = NULL;
        char sql[256];
        snprintf(sql, sizeof sql, "%s LIMIT 0", REQUIRED[i]);
        if (sqlite3_prepare_v2(s->db, sql, -1, &q, NULL) != SQLITE_OK) {
            char why[300];
            snprintf(why, sizeof why, "%s", sqlite3_errmsg(s->db));
            return damaged_or_unusable(s->db, s->path, why);
        }
        sqlite3_finalize(q);
    }
    return PR_OK;
}

/* PRAGMA quick_check: damaged pages, indexes that disagree with their table, bad records. */
static pr_status check_integrity(pr_store *s)
{
    sqlite3_stmt *q = NULL;
    if (sqlite3_prepare_v2(s->db, "PRAGMA quick_check(1)", -1, &q, NULL) != SQLITE_OK)
        return damaged_or_unusable(s->db, s->path, sqlite3_errmsg(s->db));
    int rc = sqlite3_step(q);
    char why[300] = "";
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(q, 0);
        if (!r || strcmp(r, "ok") != 0)
            snprintf(why, sizeof why, "integrity check: %s", r ? r : "no answer");
    } else {
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(s->db));
        sqlite3_finalize(q);
        return damaged_or_unusable(s->db, s->path, why);
    }
    sqlite3_finalize(q);
    return why[0] ? damaged(s->path, why) : PR_OK;
}

/* A file that is not SQLite at all (a photo, a CSV) is a mistyped --db or --features far more
 * often than a damaged store: it is refused before anything is written beside it (no lock file),
 * and the message asks about the path first; moving it aside is not the first advice for a
 * photo. An empty or missing file, or an SQLite file, goes on to the checks below. */
static pr_status check_header(const char *path)
{
    static const char magic[16] = "SQLite format 3";
    char head[16];
    /* 0: missing (a new store), unreadable (said below, with SQLite's words) or empty */
    size_t n = pr_file_head(path, head, sizeof head);
    if (n == 0 || (n == sizeof head && memcmp(head, magic, sizeof magic) == 0))
        return PR_OK;
    return pr_set_error(PR_ERR_FORMAT,
                        "%s: not an album store (not an SQLite file): is the path right? Nothing "
                        "was written. If it is this album's store, it is damaged: restore it from "
                        "a backup, or move it aside to start a new store (the corrections made "
                        "with 'personrec people' are then lost)",
                        path);
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
        st = check_header(db_path);
    if (st == PR_OK)
        st = take_lock(s);
    if (st != PR_OK)
        goto fail;
    int64_t size = file_size(db_path);
    if (size < 0 && errno == ENOENT) {
        if ((st = create_store(db_path)) != PR_OK)
            goto fail;
    } else if (size == 0) {
        /* An empty file is no album. (Not even with a write-ahead log beside it: SQLite writes
         * the header when it switches a store to WAL, and deletes the log of an empty file.) */
        st = damaged(db_path, "the file is empty");
        goto fail;
    }
    if (sqlite3_open_v2(db_path, &s->db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK) {
        st = pr_set_error(PR_ERR_IO, "%s: cannot open the album store: %s", db_path,
                          s->db ? sqlite3_errmsg(s->db) : "out of memory");
        goto fail;
    }
    sqlite3_busy_timeout(s->db, 5000);
    sqlite3_stmt *q = NULL;
    int version = 0;
    if (sqlite3_prepare_v2(s->db, "PRAGMA user_version", -1, &q, NULL) != SQLITE_OK ||
        sqlite3_step(q) != SQLITE_ROW) {
        /* "file is not a database" and the like */
        char why[300];
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(s->db));
        sqlite3_finalize(q);
        st = damaged_or_unusable(s->db, db_path, why);
        goto fail;
    }
    version = sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    if (version > PR_STORE_SCHEMA_VERSION) {
        st = pr_set_error(PR_ERR_FORMAT,
                          "%s: written by a newer personrec (store version %d, this one knows %d)",
                          db_path, version, PR_STORE_SCHEMA_VERSION);
        goto fail;
    }
    if (version == 0) {
        /* Never stamped by personrec: some other SQLite file, unless it is empty. */
        int tables = 1;
        if (sqlite3_prepare_v2(s->db, "SELECT count(*) FROM sqlite_master", -1, &q, NULL) ==
                SQLITE_OK &&
            sqlite3_step(q) == SQLITE_ROW)
            tables = sqlite3_column_int(q, 0);
        sqlite3_finalize(q);
        if (tables) {
            st = damaged(db_path, "not a personrec album store");
            goto fail;
        }
    }
    if ((st = check_integrity(s)) != PR_OK)
        goto fail;
    if ((st = store_exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                            "PRAGMA foreign_keys=ON;")) != PR_OK)
        goto fail;
    if (version == 1 && (st = store_exec(s, MIGRATE_1_TO_2)) != PR_OK)
        goto fail;
    if (version >= 1 && version < 3 && (st = store_exec(s, MIGRATE_2_TO_3)) != PR_OK)
        goto fail;
    /* Version 1 stores get their meta table here; an empty file gets the whole schema. */
    if ((version <= 1 && (st = store_exec(s, SCHEMA)) != PR_OK) ||
        (st = check_schema(s)) != PR_OK || (st = store_exec(s, INDEXES)) != PR_OK ||
        (version < 3 && (st = store_exec(s, "PRAGMA user_version=3")) != PR_OK))
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

/* A photo kept while missing (PR_STORE_MISSING) is in the album again: its faces are shown, with
 * their names, and the clustering is out of date (the caller's transaction). */
static pr_status found_again(pr_store *s, int64_t id)
{
    pr_status st = store_exec_id(s, "UPDATE photos SET skip_reason = NULL WHERE id = ?", id,
                                 "showing a photo");
    return st == PR_OK ? store_mark_dirty(s) : st;
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
    pr_status st = store_prepare(
        s, "SELECT id, size, mtime, hash, skip_reason FROM photos WHERE path = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int have = sqlite3_step(q) == SQLITE_ROW;
    int64_t id = have ? sqlite3_column_int64(q, 0) : 0;
    int same_size = have && sqlite3_column_int64(q, 1) == stat_io->size;
    int same = same_size && sqlite3_column_int64(q, 2) == stat_io->mtime;
    uint64_t old_hash = have ? (uint64_t)sqlite3_column_int64(q, 3) : 0;
    int skipped = have && sqlite3_column_type(q, 4) != SQLITE_NULL;
    /* Kept while it was missing, for its names (pr_store_drop_unseen): its faces are as they
     * were, so the same bytes back under its path are shown again, not described again. */
    int missing = skipped && strcmp((const char *)sqlite3_column_text(q, 4), PR_STORE_MISSING) == 0;
    sqlite3_finalize(q);
    if (same && missing) {
        if ((st = found_again(s, id)) != PR_OK)
            return st;
        *state = PR_PHOTO_MOVED;
        *photo_id = id;
        return PR_OK;
    }
    if (same) {
        *state = PR_PHOTO_UNCHANGED;
        *photo_id = id;
        return PR_OK;
    }
    if ((st = pr_file_hash(full, &stat_io->hash)) != PR_OK)
        return st;
    /* Only the time changed (touched, copied back, restored from a backup): the same bytes, so
     * nothing to describe again. A photo skipped last time is tried again all the same. */
    if (same_size && (!skipped || missing) && stat_io->hash == old_hash) {
        if ((st = store_exec_two_ids(s, "UPDATE photos SET mtime = ? WHERE id = ?", stat_io->mtime,
                                     id, "recording a photo's time")) != PR_OK ||
            (missing && (st = found_again(s, id)) != PR_OK))
            return st;
        *state = missing ? PR_PHOTO_MOVED : PR_PHOTO_UNCHANGED;
        *photo_id = id;
        return PR_OK;
    }
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
    if ((st = store_prepare(s,
                            "SELECT id, path FROM photos WHERE hash = ? AND size = ? AND "
                            "substr(path, 1, 1) <> '@'",
                            &q)) != PR_OK)
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
    /* A photo kept while missing (restored from a backup elsewhere) is shown again. */
    if ((st = store_prepare(s,
                            "UPDATE photos SET path = ?, mtime = ?, skip_reason = CASE WHEN "
                            "skip_reason = '" PR_STORE_MISSING "' THEN NULL ELSE skip_reason "
                            "END WHERE id = ?",
                            &q)) != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    sqlite3_bind_int64(q, 2, stat_io->mtime);
    sqlite3_bind_int64(q, 3, moved);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return store_db_error(s, "recording a moved photo");
    /* The order of the faces follows the paths: cluster again (the caller's transaction). */
    if ((st = store_mark_dirty(s)) != PR_OK)
        return st;
    *state = PR_PHOTO_MOVED;
    *photo_id = moved;
    return PR_OK;
}

pr_status pr_store_begin(pr_store *s) { return store_exec(s, "BEGIN IMMEDIATE"); }
pr_status pr_store_commit(pr_store *s) { return store_exec(s, "COMMIT"); }
pr_status pr_store_rollback(pr_store *s) { return store_exec(s, "ROLLBACK"); }

pr_status pr_store_abort(pr_store *s, pr_status failure)
{
    char msg[512];
    snprintf(msg, sizeof msg, "%s", pr_last_error());
    (void)pr_store_rollback(s);
    return pr_set_error(failure, "%s", msg);
}

pr_status store_exec_id(pr_store *s, const char *sql, int64_t id, const char *what)
{
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s, sql, &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? PR_OK : store_db_error(s, what);
}

pr_status store_exec_two_ids(pr_store *s, const char *sql, int64_t a, int64_t b, const char *what)
{
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s, sql, &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, a);
    sqlite3_bind_int64(q, 2, b);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    return rc == SQLITE_DONE ? PR_OK : store_db_error(s, what);
}

pr_status store_mark_dirty(pr_store *s) { return pr_store_meta_set(s, PR_STORE_META_DIRTY, "1"); }

pr_status pr_store_meta_get(pr_store *s, const char *key, char **value)
{
    *value = NULL;
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s, "SELECT value FROM meta WHERE key = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW) {
        *value = pr_strdup((const char *)sqlite3_column_text(q, 0));
        if (!*value)
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
    } else if (rc != SQLITE_DONE) {
        st = store_db_error(s, "reading a setting");
    }
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_meta_set(pr_store *s, const char *key, const char *value)
{
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s,
                                 "INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT(key) DO "
                                 "UPDATE SET value = excluded.value",
                                 &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, key, -1, SQLITE_STATIC);
    sqlite3_bind_text(q, 2, value, -1, SQLITE_STATIC);
    if (sqlite3_step(q) != SQLITE_DONE)
        st = store_db_error(s, "writing a setting");
    sqlite3_finalize(q);
    return st;
}

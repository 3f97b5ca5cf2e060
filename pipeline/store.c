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

/* Indexes are only speed: one that went missing is simply built again. */
static const char INDEXES[] = "CREATE INDEX IF NOT EXISTS photos_hash ON photos(hash);"
                              "CREATE INDEX IF NOT EXISTS faces_photo ON faces(photo_id);";

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

static pr_status mark_dirty(pr_store *s);
static pr_status exec_two_ids(pr_store *s, const char *sql, int64_t a, int64_t b,
                              const char *what);

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
                          msg ? msg : db ? sqlite3_errmsg(db) : "out of memory");
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
            return damaged(s->path, why);
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
        return damaged(s->path, sqlite3_errmsg(s->db));
    int rc = sqlite3_step(q);
    char why[300] = "";
    if (rc == SQLITE_ROW) {
        const char *r = (const char *)sqlite3_column_text(q, 0);
        if (!r || strcmp(r, "ok") != 0)
            snprintf(why, sizeof why, "integrity check: %s", r ? r : "no answer");
    } else {
        snprintf(why, sizeof why, "%s", sqlite3_errmsg(s->db));
    }
    sqlite3_finalize(q);
    return why[0] ? damaged(s->path, why) : PR_OK;
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
        st = damaged(db_path, why);
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
    if ((st = exec(s, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; "
                      "PRAGMA foreign_keys=ON;")) != PR_OK)
        goto fail;
    if (version == 1 && (st = exec(s, MIGRATE_1_TO_2)) != PR_OK)
        goto fail;
    if (version >= 1 && version < 3 && (st = exec(s, MIGRATE_2_TO_3)) != PR_OK)
        goto fail;
    /* Version 1 stores get their meta table here; an empty file gets the whole schema. */
    if ((version <= 1 && (st = exec(s, SCHEMA)) != PR_OK) || (st = check_schema(s)) != PR_OK ||
        (st = exec(s, INDEXES)) != PR_OK ||
        (version < 3 && (st = exec(s, "PRAGMA user_version=3")) != PR_OK))
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
    pr_status st = prepare(s, "SELECT id, size, mtime, hash, skip_reason FROM photos WHERE path = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int have = sqlite3_step(q) == SQLITE_ROW;
    int64_t id = have ? sqlite3_column_int64(q, 0) : 0;
    int same_size = have && sqlite3_column_int64(q, 1) == stat_io->size;
    int same = same_size && sqlite3_column_int64(q, 2) == stat_io->mtime;
    uint64_t old_hash = have ? (uint64_t)sqlite3_column_int64(q, 3) : 0;
    int skipped = have && sqlite3_column_type(q, 4) != SQLITE_NULL;
    sqlite3_finalize(q);
    if (same) {
        *state = PR_PHOTO_UNCHANGED;
        *photo_id = id;
        return PR_OK;
    }
    if ((st = pr_file_hash(full, &stat_io->hash)) != PR_OK)
        return st;
    /* Only the time changed (touched, copied back, restored from a backup): the same bytes, so
     * nothing to describe again. A photo skipped last time is tried again all the same. */
    if (same_size && !skipped && stat_io->hash == old_hash) {
        if ((st = exec_two_ids(s, "UPDATE photos SET mtime = ? WHERE id = ?", stat_io->mtime, id,
                               "recording a photo's time")) != PR_OK)
            return st;
        *state = PR_PHOTO_UNCHANGED;
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
    /* The order of the faces follows the paths: cluster again (the caller's transaction). */
    if ((st = mark_dirty(s)) != PR_OK)
        return st;
    *state = PR_PHOTO_MOVED;
    *photo_id = moved;
    return PR_OK;
}

pr_status pr_store_begin(pr_store *s) { return exec(s, "BEGIN IMMEDIATE"); }
pr_status pr_store_commit(pr_store *s) { return exec(s, "COMMIT"); }
pr_status pr_store_rollback(pr_store *s) { return exec(s, "ROLLBACK"); }

/* Intersection over union of two boxes (0 when either is empty). */
static double iou(pr_box a, pr_box b)
{
    double x0 = a.x > b.x ? a.x : b.x, y0 = a.y > b.y ? a.y : b.y;
    double x1 = a.x + a.w < b.x + b.w ? a.x + a.w : b.x + b.w;
    double y1 = a.y + a.h < b.y + b.h ? a.y + a.h : b.y + b.h;
    if (x1 <= x0 || y1 <= y0)
        return 0;
    double inter = (x1 - x0) * (y1 - y0), uni = a.w * a.h + b.w * b.h - inter;
    return uni > 0 ? inter / uni : 0;
}

/* The faces a photo had before it changed. */
typedef struct old_face {
    int64_t id;
    pr_box box;
    int taken;
} old_face;

static pr_status old_faces(pr_store *s, int64_t photo_id, old_face **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, "SELECT id, x, y, w, h FROM faces WHERE photo_id = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, photo_id);
    size_t cap = 0;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 16;
            old_face *grown = pr_realloc(*out, cap * sizeof *grown);
            if (!grown) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                break;
            }
            *out = grown;
        }
        (*out)[*n] = (old_face){sqlite3_column_int64(q, 0),
                                {sqlite3_column_double(q, 1), sqlite3_column_double(q, 2),
                                 sqlite3_column_double(q, 3), sqlite3_column_double(q, 4)},
                                0};
        (*n)++;
    }
    if (st == PR_OK && rc != SQLITE_DONE)
        st = db_error(s, "reading a photo's faces");
    sqlite3_finalize(q);
    return st;
}

/* match[i] = the old face new face i continues (-1: a new face). Greedy on the best overlap, so
 * two new faces never take the same old one. Another tool editing a photo's metadata changes its
 * bytes, not its pixels: the detector finds the same boxes, and the faces keep their ids, names,
 * corrections and forgotten state. */
static void match_faces(const pr_store_face *faces, size_t n, old_face *old, size_t nold,
                        int *match)
{
    for (size_t i = 0; i < n; i++)
        match[i] = -1;
    for (;;) {
        double best = PR_STORE_SAME_FACE_IOU;
        size_t bi = 0, bj = 0;
        int found = 0;
        for (size_t i = 0; i < n; i++)
            for (size_t j = 0; match[i] < 0 && j < nold; j++) {
                double v = old[j].taken ? 0 : iou(faces[i].box, old[j].box);
                if (v >= best && (!found || v > best)) {
                    best = v;
                    bi = i;
                    bj = j;
                    found = 1;
                }
            }
        if (!found)
            return;
        match[bi] = (int)bj;
        old[bj].taken = 1;
    }
}

static void bind_face(sqlite3_stmt *q, const pr_store_face *f, int first)
{
    sqlite3_bind_double(q, first, f->box.x);
    sqlite3_bind_double(q, first + 1, f->box.y);
    sqlite3_bind_double(q, first + 2, f->box.w);
    sqlite3_bind_double(q, first + 3, f->box.h);
    sqlite3_bind_double(q, first + 4, f->score);
    sqlite3_bind_int(q, first + 5, f->pose);
    if (f->features && f->features_size)
        sqlite3_bind_blob(q, first + 6, f->features, (int)f->features_size, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, first + 6);
    if (f->crop && f->crop_size)
        sqlite3_bind_blob(q, first + 7, f->crop, (int)f->crop_size, SQLITE_STATIC);
    else
        sqlite3_bind_null(q, first + 7);
    if (f->descriptor)
        sqlite3_bind_blob(q, first + 8, f->descriptor,
                          (int)(sizeof(float) * PR_STORE_DESCRIPTOR_DIM), SQLITE_STATIC);
    else
        sqlite3_bind_null(q, first + 8);
}

static pr_status mark_dirty(pr_store *s)
{
    return pr_store_meta_set(s, PR_STORE_META_DIRTY, "1");
}

pr_status pr_store_put_photo(pr_store *s, const char *path, const pr_photo_stat *stat,
                             const char *exif_time, int width, int height, const char *reason,
                             const pr_store_face *faces, size_t face_count, int64_t *photo_id)
{
    sqlite3_stmt *q = NULL;
    old_face *old = NULL;
    size_t nold = 0;
    int *match = NULL;
    pr_status st = exec(s, "SAVEPOINT put_photo");
    if (st != PR_OK)
        return st;
    /* Whether the photo's faces were part of the clustering until now. */
    if ((st = prepare(s, "SELECT skip_reason IS NULL FROM photos WHERE path = ?", &q)) != PR_OK)
        goto fail;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int was_visible = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    /* Upsert keeps the photo id stable, so the photo's old faces can be found by it. */
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
    /* The clustering is out of date from here on, in the same transaction as the faces: a run
     * killed before it clusters leaves the album marked, and the next run clusters. (A photo that
     * failed and fails again changes no face the clustering sees.) */
    if ((!reason || was_visible) && (st = mark_dirty(s)) != PR_OK)
        goto fail;
    /* A photo that cannot be read now (a sync tool still writing it, a permission) keeps its
     * faces, hidden while it is skipped: its names come back when it can be read again. */
    if (reason) {
        if ((st = exec(s, "RELEASE put_photo")) != PR_OK)
            goto fail;
        if (photo_id)
            *photo_id = id;
        return PR_OK;
    }
    if ((st = old_faces(s, id, &old, &nold)) != PR_OK)
        goto fail;
    if (face_count && !(match = pr_malloc_array(face_count, sizeof *match))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    match_faces(faces, face_count, old, nold, match);
    /* Old faces nothing continues go, with their assignments (ON DELETE CASCADE), and a person
     * left without faces by that goes too. */
    int gone = 0;
    for (size_t j = 0; j < nold; j++) {
        if (old[j].taken)
            continue;
        if ((st = prepare(s, "DELETE FROM faces WHERE id = ?", &q)) != PR_OK)
            goto fail;
        sqlite3_bind_int64(q, 1, old[j].id);
        if (sqlite3_step(q) != SQLITE_DONE) {
            st = db_error(s, "replacing a photo's faces");
            goto fail;
        }
        sqlite3_finalize(q);
        q = NULL;
        gone = 1;
    }
    if (gone && (st = exec(s, "DELETE FROM people WHERE id NOT IN "
                              "(SELECT person_id FROM assignments)")) != PR_OK)
        goto fail;
    for (size_t i = 0; i < face_count; i++) {
        if (match[i] >= 0)
            st = prepare(s, "UPDATE faces SET x = ?, y = ?, w = ?, h = ?, score = ?, pose = ?, "
                            "features = ?, crop = ?, descriptor = ? WHERE id = ?",
                         &q);
        else
            st = prepare(s, "INSERT INTO faces (x, y, w, h, score, pose, features, crop, "
                            "descriptor, photo_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                         &q);
        if (st != PR_OK)
            goto fail;
        bind_face(q, &faces[i], 1);
        sqlite3_bind_int64(q, 10, match[i] >= 0 ? old[match[i]].id : id);
        if (sqlite3_step(q) != SQLITE_DONE) {
            st = db_error(s, "storing a face");
            goto fail;
        }
        sqlite3_finalize(q);
        q = NULL;
    }
    if ((st = exec(s, "RELEASE put_photo")) != PR_OK)
        goto fail;
    pr_free(old);
    pr_free(match);
    if (photo_id)
        *photo_id = id;
    return PR_OK;
fail:
    sqlite3_finalize(q);
    pr_free(old);
    pr_free(match);
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
    /* One transaction with the dirty mark, as for a stored photo (pr_store_put_photo). */
    pr_status st = exec(s, "SAVEPOINT drop_unseen");
    if (st != PR_OK)
        return st;
    st = exec(s, "DELETE FROM photos WHERE seen = 0");
    int n = st == PR_OK ? sqlite3_changes(s->db) : 0;
    if (st == PR_OK && n > 0)
        st = mark_dirty(s);
    if (st == PR_OK)
        st = exec(s, "RELEASE drop_unseen");
    else
        exec(s, "ROLLBACK TO drop_unseen; RELEASE drop_unseen");
    if (dropped)
        *dropped = st == PR_OK ? n : 0;
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
    /* A seed or a correction changes what the clustering starts from: out of date, in the same
     * transaction (automatic results are the clustering's own). */
    int named = source != PR_SOURCE_AUTO;
    if (named && (st = exec(s, "SAVEPOINT assign")) != PR_OK) {
        sqlite3_finalize(q);
        return st;
    }
    if (sqlite3_step(q) != SQLITE_DONE)
        st = db_error(s, "assigning a face");
    else if (named && sqlite3_changes(s->db) > 0)
        st = mark_dirty(s);
    sqlite3_finalize(q);
    if (named && st == PR_OK)
        st = exec(s, "RELEASE assign");
    else if (named)
        exec(s, "ROLLBACK TO assign; RELEASE assign");
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
                           "AND f.ignored = 0 ORDER BY p.path, f.x, f.y, f.w, f.h, f.score DESC, "
                           "f.id",
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
                           "WITH visible AS (SELECT f.id FROM faces f JOIN photos p ON "
                           "p.id = f.photo_id WHERE f.ignored = 0 AND p.skip_reason IS NULL) "
                           "SELECT (SELECT count(*) FROM photos WHERE skip_reason IS NULL),"
                           " (SELECT count(*) FROM photos WHERE skip_reason IS NOT NULL),"
                           " (SELECT count(*) FROM visible),"
                           " (SELECT count(DISTINCT a.person_id) FROM assignments a JOIN visible v"
                           "  ON v.id = a.face_id),"
                           " (SELECT count(*) FROM assignments a JOIN visible v"
                           "  ON v.id = a.face_id)",
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

pr_status pr_store_check_name(const char *name)
{
    if (!name || !name[0])
        return pr_set_error(PR_ERR_ARG, "a person needs a non-empty name");
    size_t len = strlen(name);
    if (len > PR_STORE_NAME_MAX)
        return pr_set_error(PR_ERR_ARG, "'%.40s...': a name is at most %d bytes", name,
                            PR_STORE_NAME_MAX);
    if (name[0] == ' ' || name[len - 1] == ' ')
        return pr_set_error(PR_ERR_ARG, "'%s': a name cannot start or end with a space", name);
    for (const unsigned char *c = (const unsigned char *)name; *c; c++) {
        if (*c < 0x20 || *c == 0x7f)
            return pr_set_error(PR_ERR_ARG,
                                "a name cannot hold a control character (newline, carriage "
                                "return, tab...): .picasa.ini, people.csv and XMP sidecars could "
                                "not carry it");
        if (*c == ';')
            return pr_set_error(PR_ERR_ARG,
                                "'%s': a name cannot hold ';' (.picasa.ini separates its fields "
                                "with it)",
                                name);
    }
    /* Valid UTF-8 (XMP is UTF-8), without overlong forms or surrogates. */
    for (const unsigned char *c = (const unsigned char *)name; *c;) {
        int n = *c < 0x80 ? 0 : (*c & 0xe0) == 0xc0 ? 1 : (*c & 0xf0) == 0xe0 ? 2
                              : (*c & 0xf8) == 0xf0 ? 3 : -1;
        uint32_t cp = n == 0 ? *c : n == 1 ? *c & 0x1fu : n == 2 ? *c & 0x0fu : *c & 0x07u;
        int ok = n >= 0;
        for (int k = 1; ok && k <= n; k++) {
            ok = (c[k] & 0xc0) == 0x80;
            cp = (cp << 6) | (c[k] & 0x3fu);
        }
        static const uint32_t least[4] = {0, 0x80, 0x800, 0x10000};
        if (!ok || cp < least[n] || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
            return pr_set_error(PR_ERR_ARG, "a name must be valid UTF-8 text");
        c += n + 1;
    }
    return PR_OK;
}

/* "person_<digits>": the names given to people nobody named (pipeline/people_store.c). */
int pr_store_is_auto_name(const char *name)
{
    if (strncmp(name, "person_", 7) != 0 || !name[7])
        return 0;
    for (const char *c = name + 7; *c; c++)
        if (*c < '0' || *c > '9')
            return 0;
    return 1;
}

/* A name a person may give to someone new: storable, and not one the clustering hands out. */
static pr_status check_new_name(const char *name)
{
    pr_status st = pr_store_check_name(name);
    if (st == PR_OK && pr_store_is_auto_name(name))
        st = pr_set_error(PR_ERR_ARG,
                          "'%s': names of the form person_<number> are kept for the people "
                          "nobody named yet; choose another name",
                          name);
    return st;
}

pr_status pr_store_rename_person(pr_store *s, const char *old_name, const char *new_name)
{
    pr_status st = check_new_name(new_name);
    if (st != PR_OK)
        return st;
    int64_t from = 0, to = 0;
    if (!old_name || (st = find_person(s, old_name, &from)) != PR_OK)
        return st != PR_OK ? st : pr_set_error(PR_ERR_ARG, "no person given");
    if (!from)
        return pr_set_error(PR_ERR_ARG, "no person named '%s'", old_name);
    if (strcmp(old_name, new_name) == 0)
        return PR_OK;
    if ((st = find_person(s, new_name, &to)) != PR_OK)
        return st;
    if (to)
        return pr_set_error(PR_ERR_ARG,
                            "there is already a person named '%s'; to make '%s' and '%s' one "
                            "person, use 'personrec people ALBUM merge \"%s\" \"%s\"'",
                            new_name, old_name, new_name, old_name, new_name);
    if ((st = exec(s, "SAVEPOINT rename")) != PR_OK)
        return st;
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
    /* The person's faces are now named by a person: manual, so re-clustering keeps them. */
    if ((st = exec_id(s, "UPDATE assignments SET source = 2, confidence = 1 WHERE person_id = ?",
                      from, "renaming a person")) != PR_OK ||
        (st = mark_dirty(s)) != PR_OK)
        goto fail;
    return exec(s, "RELEASE rename");
fail:
    exec(s, "ROLLBACK TO rename; RELEASE rename");
    return st;
}

pr_status pr_store_merge_people(pr_store *s, const char *from_name, const char *into_name)
{
    int64_t from = 0, to = 0;
    pr_status st = PR_OK;
    if (!from_name || !into_name)
        return pr_set_error(PR_ERR_ARG, "merge needs two people");
    if ((st = find_person(s, from_name, &from)) != PR_OK ||
        (st = find_person(s, into_name, &to)) != PR_OK)
        return st;
    if (!from)
        return pr_set_error(PR_ERR_ARG, "no person named '%s'", from_name);
    if (!to)
        return pr_set_error(PR_ERR_ARG,
                            "no person named '%s' to merge into; to give '%s' a new name, use "
                            "'personrec people ALBUM rename \"%s\" \"%s\"'",
                            into_name, from_name, from_name, into_name);
    if (from == to)
        return PR_OK;
    /* A name stored before names were checked (or read from a label file) gets no more faces
     * until it is renamed to one every writer can carry. */
    if ((st = pr_store_check_name(into_name)) != PR_OK) {
        char why[512];
        snprintf(why, sizeof why, "%s", pr_last_error()); /* the message buffer is reused */
        return pr_set_error(PR_ERR_ARG, "%s; rename that person first", why);
    }
    if ((st = exec(s, "SAVEPOINT merge")) != PR_OK)
        return st;
    /* Every face of both is now named by a person: manual, so re-clustering keeps them. */
    if ((st = exec_two_ids(s, "UPDATE assignments SET person_id = ?, source = 2, confidence = 1 "
                              "WHERE person_id = ?",
                           to, from, "merging people")) != PR_OK ||
        (st = exec_id(s, "UPDATE assignments SET source = 2, confidence = 1 WHERE person_id = ?",
                      to, "merging people")) != PR_OK ||
        (st = exec_id(s, "DELETE FROM people WHERE id = ?", from, "merging people")) != PR_OK ||
        (st = mark_dirty(s)) != PR_OK)
        goto fail;
    return exec(s, "RELEASE merge");
fail:
    exec(s, "ROLLBACK TO merge; RELEASE merge");
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

/* Id of the person to move faces to: an existing one (an unnamed person_<n> included) or a new
 * one under a name a person may give. */
static pr_status target_person(pr_store *s, const char *name, int64_t *pid)
{
    pr_status st = pr_store_check_name(name);
    if (st == PR_OK)
        st = find_person(s, name, pid);
    if (st == PR_OK && !*pid && (st = check_new_name(name)) == PR_OK)
        st = pr_store_person_id(s, name, pid);
    return st;
}

pr_status pr_store_move_face(pr_store *s, int64_t face_id, const char *person_name)
{
    pr_status st = face_exists(s, face_id);
    int64_t pid = 0;
    if (st != PR_OK || (st = exec(s, "SAVEPOINT move")) != PR_OK)
        return st;
    st = target_person(s, person_name, &pid);
    if (st == PR_OK)
        st = pr_store_assign(s, face_id, pid, 1.0, PR_SOURCE_MANUAL);
    if (st == PR_OK) /* the old person may be left without faces */
        st = exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    if (st == PR_OK)
        return exec(s, "RELEASE move");
    exec(s, "ROLLBACK TO move; RELEASE move");
    return st;
}

/* The person's assignment of a face, 0 when the face is someone else's or nobody's. */
static pr_status face_person(pr_store *s, int64_t face_id, int64_t *person_id)
{
    *person_id = 0;
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s, "SELECT person_id FROM assignments WHERE face_id = ?", &q);
    if (st != PR_OK)
        return st;
    sqlite3_bind_int64(q, 1, face_id);
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *person_id = sqlite3_column_int64(q, 0);
    else if (rc != SQLITE_DONE)
        st = db_error(s, "finding a face's person");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_split_person(pr_store *s, const char *person, const int64_t *face_ids,
                                size_t count, const char *new_name)
{
    int64_t from = 0, to = 0;
    pr_status st = PR_OK;
    if (!person || !new_name || !count)
        return pr_set_error(PR_ERR_ARG, "split needs a person, faces and a name");
    if ((st = find_person(s, person, &from)) != PR_OK)
        return st;
    if (!from)
        return pr_set_error(PR_ERR_ARG, "no person named '%s'", person);
    if (strcmp(person, new_name) == 0)
        return pr_set_error(PR_ERR_ARG, "'%s': the faces that leave a person need another name",
                            new_name);
    if ((st = exec(s, "SAVEPOINT split")) != PR_OK)
        return st;
    /* Only the person's own faces move: a mistyped id must not take someone else's. */
    for (size_t i = 0; st == PR_OK && i < count; i++) {
        int64_t owner = 0;
        if ((st = face_exists(s, face_ids[i])) == PR_OK &&
            (st = face_person(s, face_ids[i], &owner)) == PR_OK && owner != from)
            st = pr_set_error(PR_ERR_ARG, "face %lld is not one of %s's faces",
                              (long long)face_ids[i], person);
    }
    if (st == PR_OK)
        st = target_person(s, new_name, &to);
    /* The faces that stay are the person's by the person's word now: without that, the next
     * clustering puts them back with the split faces (one cluster) and names them all new_name. */
    if (st == PR_OK)
        st = exec_id(s, "UPDATE assignments SET source = 2, confidence = 1 WHERE person_id = ?",
                     from, "splitting a person");
    if (st == PR_OK)
        st = mark_dirty(s);
    for (size_t i = 0; st == PR_OK && i < count; i++)
        st = pr_store_assign(s, face_ids[i], to, 1.0, PR_SOURCE_MANUAL);
    if (st == PR_OK)
        st = exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    if (st == PR_OK)
        return exec(s, "RELEASE split");
    exec(s, "ROLLBACK TO split; RELEASE split");
    return st;
}

pr_status pr_store_forget_face(pr_store *s, int64_t face_id)
{
    pr_status st = face_exists(s, face_id);
    if (st != PR_OK || (st = exec(s, "SAVEPOINT forget")) != PR_OK)
        return st;
    st = exec_id(s, "UPDATE faces SET ignored = 1 WHERE id = ?", face_id, "forgetting a face");
    if (st == PR_OK)
        st = exec_id(s, "DELETE FROM assignments WHERE face_id = ?", face_id, "forgetting a face");
    if (st == PR_OK)
        st = exec(s, "DELETE FROM people WHERE id NOT IN (SELECT person_id FROM assignments)");
    if (st == PR_OK)
        st = mark_dirty(s);
    if (st == PR_OK)
        return exec(s, "RELEASE forget");
    exec(s, "ROLLBACK TO forget; RELEASE forget");
    return st;
}

pr_status pr_store_each_person(pr_store *s, pr_store_person_fn fn, void *ctx)
{
    sqlite3_stmt *q = NULL;
    pr_status st = prepare(s,
                           "SELECT pe.id, pe.name, count(a.face_id), "
                           "coalesce(sum(a.source = 2), 0), coalesce(sum(a.source = 1), 0) "
                           "FROM people pe LEFT JOIN (assignments a JOIN faces f ON "
                           "f.id = a.face_id JOIN photos p ON p.id = f.photo_id AND "
                           "p.skip_reason IS NULL) ON a.person_id = pe.id "
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

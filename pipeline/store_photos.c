/* The album store's photos and faces: storing a described photo (its faces matched to the ones
 * it had, so a photo changed by another tool keeps its names), the scan's seen marks, and reading
 * faces, failing photos and counts back. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/store_internal.h"

#include "core/alloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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
    pr_status st = store_prepare(s, "SELECT id, x, y, w, h FROM faces WHERE photo_id = ?", &q);
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
        st = store_db_error(s, "reading a photo's faces");
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

pr_status pr_store_put_photo(pr_store *s, const char *path, const pr_photo_stat *stat,
                             const char *exif_time, int width, int height, const char *reason,
                             const pr_store_face *faces, size_t face_count, int64_t *photo_id)
{
    sqlite3_stmt *q = NULL;
    old_face *old = NULL;
    size_t nold = 0;
    int *match = NULL;
    pr_status st = store_exec(s, "SAVEPOINT put_photo");
    if (st != PR_OK)
        return st;
    /* Whether the photo's faces were part of the clustering until now. */
    if ((st = store_prepare(s, "SELECT skip_reason IS NULL FROM photos WHERE path = ?", &q)) !=
        PR_OK)
        goto fail;
    sqlite3_bind_text(q, 1, path, -1, SQLITE_STATIC);
    int was_visible = sqlite3_step(q) == SQLITE_ROW && sqlite3_column_int(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    /* Upsert keeps the photo id stable, so the photo's old faces can be found by it. */
    st = store_prepare(
        s,
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
        st = store_db_error(s, "storing a photo");
        goto fail;
    }
    int64_t id = sqlite3_column_int64(q, 0);
    sqlite3_finalize(q);
    q = NULL;
    /* The clustering is out of date from here on, in the same transaction as the faces: a run
     * killed before it clusters leaves the album marked, and the next run clusters. (A photo that
     * failed and fails again changes no face the clustering sees.) */
    if ((!reason || was_visible) && (st = store_mark_dirty(s)) != PR_OK)
        goto fail;
    /* A photo that cannot be read now (a sync tool still writing it, a permission) keeps its
     * faces, hidden while it is skipped: its names come back when it can be read again. */
    if (reason) {
        if ((st = store_exec(s, "RELEASE put_photo")) != PR_OK)
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
        if ((st = store_prepare(s, "DELETE FROM faces WHERE id = ?", &q)) != PR_OK)
            goto fail;
        sqlite3_bind_int64(q, 1, old[j].id);
        if (sqlite3_step(q) != SQLITE_DONE) {
            st = store_db_error(s, "replacing a photo's faces");
            goto fail;
        }
        sqlite3_finalize(q);
        q = NULL;
        gone = 1;
    }
    if (gone && (st = store_exec(s, "DELETE FROM people WHERE id NOT IN "
                                    "(SELECT person_id FROM assignments)")) != PR_OK)
        goto fail;
    for (size_t i = 0; i < face_count; i++) {
        if (match[i] >= 0)
            st = store_prepare(s,
                               "UPDATE faces SET x = ?, y = ?, w = ?, h = ?, score = ?, pose = ?, "
                               "features = ?, crop = ?, descriptor = ? WHERE id = ?",
                               &q);
        else
            st = store_prepare(s,
                               "INSERT INTO faces (x, y, w, h, score, pose, features, crop, "
                               "descriptor, photo_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                               &q);
        if (st != PR_OK)
            goto fail;
        bind_face(q, &faces[i], 1);
        sqlite3_bind_int64(q, 10, match[i] >= 0 ? old[match[i]].id : id);
        if (sqlite3_step(q) != SQLITE_DONE) {
            st = store_db_error(s, "storing a face");
            goto fail;
        }
        sqlite3_finalize(q);
        q = NULL;
    }
    if ((st = store_exec(s, "RELEASE put_photo")) != PR_OK)
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
    store_exec(s, "ROLLBACK TO put_photo; RELEASE put_photo");
    return st;
}

/* The photo (photos.id) has a face holding a name a person gave (`personrec people`). */
#define HAS_MANUAL_NAME                                                                            \
    "id IN (SELECT f.photo_id FROM faces f JOIN assignments a ON a.face_id = f.id WHERE "          \
    "a.source = 2)"

pr_status pr_store_begin_scan(pr_store *s) { return store_exec(s, "UPDATE photos SET seen = 0"); }

pr_status pr_store_mark_seen(pr_store *s, int64_t photo_id)
{
    return store_exec_id(s, "UPDATE photos SET seen = 1 WHERE id = ?", photo_id, "marking a photo");
}

pr_status pr_store_drop_unseen(pr_store *s, int *dropped)
{
    /* One transaction with the dirty mark, as for a stored photo (pr_store_put_photo). */
    pr_status st = store_exec(s, "SAVEPOINT drop_unseen");
    if (st != PR_OK)
        return st;
    /* A name a person gave is theirs: nothing the tool does makes it again (seeds come back from
     * their sidecars, automatic names from the clustering). The photo is kept, hidden as a photo
     * that cannot be read is, and comes back with its names when it is found again
     * (pr_store_classify). Marked once: a photo kept by an earlier run changes nothing now. */
    st = store_exec(s, "UPDATE photos SET skip_reason = '" PR_STORE_MISSING "' WHERE seen = 0 "
                       "AND skip_reason IS NOT '" PR_STORE_MISSING "' AND " HAS_MANUAL_NAME);
    int hidden = st == PR_OK ? sqlite3_changes(s->db) : 0;
    if (st == PR_OK)
        st = store_exec(s, "DELETE FROM photos WHERE seen = 0 AND NOT " HAS_MANUAL_NAME);
    int n = st == PR_OK ? sqlite3_changes(s->db) : 0;
    if (st == PR_OK && (n > 0 || hidden > 0))
        st = store_mark_dirty(s);
    if (st == PR_OK)
        st = store_exec(s, "RELEASE drop_unseen");
    else
        store_exec(s, "ROLLBACK TO drop_unseen; RELEASE drop_unseen");
    if (dropped)
        *dropped = st == PR_OK ? n : 0;
    return st;
}

pr_status pr_store_each_face(pr_store *s, pr_store_face_fn fn, void *ctx)
{
    sqlite3_stmt *q = NULL;
    pr_status st =
        store_prepare(s,
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
        row.descriptor =
            sqlite3_column_bytes(q, 17) == (int)(sizeof(float) * PR_STORE_DESCRIPTOR_DIM)
                ? sqlite3_column_blob(q, 17)
                : NULL;
        if (fn(ctx, &row))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = store_db_error(s, "reading faces");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_each_skipped(pr_store *s, pr_store_skipped_fn fn, void *ctx)
{
    sqlite3_stmt *q = NULL;
    pr_status st =
        store_prepare(s,
                      "SELECT path, skip_reason FROM photos WHERE skip_reason IS NOT NULL "
                      "AND skip_reason <> '" PR_STORE_MISSING "' AND substr(path, 1, 1) <> '@' "
                      "ORDER BY path",
                      &q);
    if (st != PR_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW)
        if (fn(ctx, (const char *)sqlite3_column_text(q, 0),
               (const char *)sqlite3_column_text(q, 1)))
            break;
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = store_db_error(s, "reading the skipped photos");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_count(pr_store *s, pr_store_counts *c)
{
    sqlite3_stmt *q = NULL;
    pr_status st =
        store_prepare(s,
                      "WITH visible AS " STORE_SEEN_FACES " "
                      "SELECT (SELECT count(*) FROM photos WHERE skip_reason IS NULL),"
                      " (SELECT count(*) FROM photos WHERE skip_reason IS NOT NULL AND"
                      "  skip_reason <> '" PR_STORE_MISSING "'),"
                      " (SELECT count(*) FROM photos WHERE skip_reason = '" PR_STORE_MISSING "'),"
                      " (SELECT count(*) FROM visible),"
                      " (SELECT count(DISTINCT a.person_id) FROM assignments a JOIN visible v"
                      "  ON v.id = a.face_id),"
                      /* named: the person has a name, not an automatic person_<number> */
                      " (SELECT count(*) FROM assignments a JOIN visible v ON v.id = a.face_id"
                      "  JOIN people pe ON pe.id = a.person_id WHERE NOT (pe.name GLOB 'person_?*'"
                      "  AND substr(pe.name, 8) NOT GLOB '*[^0-9]*'))",
                      &q);
    if (st != PR_OK)
        return st;
    if (sqlite3_step(q) == SQLITE_ROW) {
        c->photos = sqlite3_column_int(q, 0);
        c->skipped = sqlite3_column_int(q, 1);
        c->missing = sqlite3_column_int(q, 2);
        c->faces = sqlite3_column_int(q, 3);
        c->people = sqlite3_column_int(q, 4);
        c->named_faces = sqlite3_column_int(q, 5);
    } else {
        st = store_db_error(s, "counting");
    }
    sqlite3_finalize(q);
    return st;
}

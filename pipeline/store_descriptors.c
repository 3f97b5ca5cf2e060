/* The album store's face descriptors apart from storing a photo: clearing the ones another front
 * end made, listing the photos with a face still without one, and setting one face's
 * (pipeline/store.h). With these the album run keeps the store's descriptors those of one front
 * end (pipeline/refresh_descriptors.h). */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/store_internal.h"

#include <stdio.h>

pr_status pr_store_clear_descriptors(pr_store *s, int *cleared)
{
    if (cleared)
        *cleared = 0;
    /* Refused marks go too: under another front end the net may take the face. */
    pr_status st = store_exec(s, "UPDATE faces SET descriptor = NULL WHERE descriptor IS NOT NULL");
    int n = st == PR_OK ? sqlite3_changes(s->db) : 0;
    if (st == PR_OK && n > 0)
        st = store_mark_dirty(s);
    if (st == PR_OK && cleared)
        *cleared = n;
    return st;
}

/* The SQL below says a descriptor's length in bytes. */
_Static_assert(sizeof(float) * PR_STORE_DESCRIPTOR_DIM == 512, "descriptor bytes in the SQL");

pr_status pr_store_has_descriptors(pr_store *s, int *any)
{
    *any = 0;
    sqlite3_stmt *q = NULL;
    pr_status st =
        store_prepare(s, "SELECT EXISTS (SELECT 1 FROM faces WHERE length(descriptor) = 512)", &q);
    if (st != PR_OK)
        return st;
    int rc = sqlite3_step(q);
    if (rc == SQLITE_ROW)
        *any = sqlite3_column_int(q, 0);
    else
        st = store_db_error(s, "looking for face descriptors");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_each_undescribed(pr_store *s, pr_store_undescribed_fn fn, void *ctx)
{
    sqlite3_stmt *q = NULL;
    /* A blob neither a descriptor nor the refused mark (a damaged store) is read as none, and
     * made again like a missing one. */
    pr_status st = store_prepare(
        s,
        "SELECT f.id, p.id, p.path, f.x, f.y, f.w, f.h, f.descriptor IS NULL OR "
        "length(f.descriptor) NOT IN (0, 512) FROM faces f JOIN photos p ON p.id = f.photo_id "
        "WHERE p.skip_reason IS NULL AND p.seen = 1 AND p.id IN (SELECT photo_id FROM faces "
        "WHERE descriptor IS NULL OR length(descriptor) NOT IN (0, 512)) ORDER BY p.path, f.id",
        &q);
    if (st != PR_OK)
        return st;
    int rc;
    while ((rc = sqlite3_step(q)) == SQLITE_ROW) {
        pr_store_undescribed_row row;
        row.face_id = sqlite3_column_int64(q, 0);
        row.photo_id = sqlite3_column_int64(q, 1);
        row.path = (const char *)sqlite3_column_text(q, 2);
        row.box.x = sqlite3_column_double(q, 3);
        row.box.y = sqlite3_column_double(q, 4);
        row.box.w = sqlite3_column_double(q, 5);
        row.box.h = sqlite3_column_double(q, 6);
        row.missing = sqlite3_column_int(q, 7);
        if (fn(ctx, &row))
            break;
    }
    if (rc != SQLITE_ROW && rc != SQLITE_DONE)
        st = store_db_error(s, "reading the faces without a descriptor");
    sqlite3_finalize(q);
    return st;
}

pr_status pr_store_set_descriptor(pr_store *s, int64_t face_id, const float *descriptor)
{
    sqlite3_stmt *q = NULL;
    pr_status st = store_prepare(s, "UPDATE faces SET descriptor = ? WHERE id = ?", &q);
    if (st != PR_OK)
        return st;
    if (descriptor)
        sqlite3_bind_blob(q, 1, descriptor, (int)(sizeof(float) * PR_STORE_DESCRIPTOR_DIM),
                          SQLITE_STATIC);
    else
        sqlite3_bind_zeroblob(q, 1, 0); /* the refused mark: an empty blob, not NULL */
    sqlite3_bind_int64(q, 2, face_id);
    int rc = sqlite3_step(q);
    sqlite3_finalize(q);
    if (rc != SQLITE_DONE)
        return store_db_error(s, "storing a face descriptor");
    return PR_OK;
}

pr_status pr_store_mark_refused(pr_store *s, int64_t photo_id)
{
    return store_exec_id(s,
                         "UPDATE faces SET descriptor = zeroblob(0) WHERE photo_id = ? AND "
                         "descriptor IS NULL",
                         photo_id, "marking the faces the descriptor net refused");
}

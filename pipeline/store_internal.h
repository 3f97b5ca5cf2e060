/* Inside the album store (store.c, store_photos.c, store_people.c): the handle and the small
 * SQLite helpers they share. Not for other modules: they use store.h. */
#ifndef PR_PIPELINE_STORE_INTERNAL_H
#define PR_PIPELINE_STORE_INTERNAL_H

#include "pipeline/store.h"

#include <sqlite3.h>

struct pr_store {
    sqlite3 *db;
    int lock_fd;
    char *path;
};

/* "path: what: SQLite's message" as PR_ERR_IO. */
pr_status store_db_error(pr_store *s, const char *what);
/* Runs SQL without results. */
pr_status store_exec(pr_store *s, const char *sql);
pr_status store_prepare(pr_store *s, const char *sql, sqlite3_stmt **stmt);
/* Runs a statement taking one id (?1), or two (?1, ?2), to completion. */
pr_status store_exec_id(pr_store *s, const char *sql, int64_t id, const char *what);
pr_status store_exec_two_ids(pr_store *s, const char *sql, int64_t a, int64_t b, const char *what);
/* Marks the clustering out of date (in the caller's transaction). */
pr_status store_mark_dirty(pr_store *s);

/* The ids of the faces outputs show and the clustering sees (pr_store_each_face's): not of a photo
 * skipped now (unreadable, or kept while missing), not forgotten. A subquery, for SQL text. */
#define STORE_SEEN_FACES                                                                           \
    "(SELECT f.id FROM faces f JOIN photos p ON p.id = f.photo_id WHERE f.ignored = 0 AND "        \
    "p.skip_reason IS NULL)"

#endif

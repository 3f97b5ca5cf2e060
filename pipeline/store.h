/* The album store: one SQLite file per album (default ALBUM/.personrec/album.db) holding photos,
 * faces with their feature blobs, people and who-is-who assignments with their source.
 *
 * - Incremental: a photo whose size and mtime are unchanged is not reprocessed, nor one whose
 *   bytes are the same under a new time; a photo that moved is recognised by its content hash and
 *   keeps its faces and names; a photo whose bytes changed (another tool edited its metadata) is
 *   described again and its faces found again by box keep their ids, names and forgotten state.
 * - Crash-safe: each photo's results are written in one transaction (WAL journal), so killing a
 *   run loses at most the photo in flight; the same transaction marks the clustering out of date
 *   (PR_STORE_META_DIRTY), so a run killed before it clusters is made up for by the next.
 * - Never replaced: an existing album.db that is empty, not a database, fails SQLite's quick check
 *   or lacks a table or column is refused (PR_ERR_FORMAT, naming the file and how to recover) and
 *   left as it is. A new store is built under "<db>.new" and renamed into place.
 * - One writer: opening takes an exclusive advisory lock (flock on "<db>.lock", released by the
 *   kernel even on SIGKILL); a second run gets PR_ERR_STATE with a clear message.
 * - Names: assignments have a source, auto < seed < manual. Automatic results never overwrite a
 *   seed or manual assignment. */
#ifndef PR_PIPELINE_STORE_H
#define PR_PIPELINE_STORE_H

#include "core/box.h"
#include "core/fileio.h" /* pr_file_hash: the stat.hash of a photo */
#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_store pr_store;

typedef enum pr_source {
    PR_SOURCE_AUTO = 0,   /* clustering / naming suggestion */
    PR_SOURCE_SEED = 1,   /* from --known photos or existing Picasa/XMP labels */
    PR_SOURCE_MANUAL = 2, /* a person's correction: always wins */
} pr_source;

const char *pr_source_name(pr_source source); /* "auto", "seed", "manual" */

/* Opens (creating folders, file and schema when the file does not exist) and locks. A damaged
 * store gives PR_ERR_FORMAT (see above). *out is caller-owned. */
pr_status pr_store_open(const char *db_path, pr_store **out);
void pr_store_close(pr_store *store); /* accepts NULL; releases the lock */

/* The file facts that decide whether a photo must be processed again. */
typedef struct pr_photo_stat {
    int64_t size;
    int64_t mtime;   /* seconds */
    uint64_t hash;   /* content hash (pr_file_hash) */
} pr_photo_stat;

typedef enum pr_photo_state {
    PR_PHOTO_NEW = 0,       /* never seen: process it */
    PR_PHOTO_UNCHANGED = 1, /* same path, size and mtime: skip */
    PR_PHOTO_CHANGED = 2,   /* same path, different bytes: process again; pr_store_put_photo
                               keeps the faces whose boxes are found again (ids, names, forgotten
                               state) and drops the others */
    PR_PHOTO_MOVED = 3,     /* known by hash under another path that no longer exists: renamed;
                               or a photo kept while missing (PR_STORE_MISSING) found again under
                               its own path with the same bytes: shown again */
} pr_photo_state;

/* The skip reason of a photo kept while it is not in the album folder, for the names people gave
 * its faces (pr_store_drop_unseen). Not a failure: pr_store_each_skipped leaves it out. */
#define PR_STORE_MISSING "missing: not in the album folder"

/* Classifies path (relative to the album) by size and mtime; the hash is only computed when
 * needed (new or changed file) and is then returned in *stat. A moved photo is re-pointed to the
 * new path inside this call. *photo_id is the id for UNCHANGED/MOVED, else 0. album_root is used to
 * check that the old path of a moved photo is really gone. */
pr_status pr_store_classify(pr_store *store, const char *album_root, const char *path,
                            pr_photo_stat *stat, pr_photo_state *state, int64_t *photo_id);

/* The same for a file that lives outside the album (e.g. --known photos): the file is at full,
 * its key in the store is path. Keys starting with '@' are reserved for such files: they are never
 * recognised as moved, and album photos are never taken for moved copies of them. album_root
 * may be NULL (no move detection). */
pr_status pr_store_classify_file(pr_store *store, const char *album_root, const char *full,
                                 const char *path, pr_photo_stat *stat, pr_photo_state *state,
                                 int64_t *photo_id);

/* Length of a stored face descriptor (= PR_FACE_DESCRIPTOR_DIM). */
#define PR_STORE_DESCRIPTOR_DIM 128

typedef struct pr_store_face {
    pr_box box;
    double score;
    int pose;
    const void *features; /* blob, borrowed; may be NULL */
    size_t features_size;
    const void *crop;     /* the face's pixels for album-wide models (eigenfaces); borrowed; may
                             be NULL */
    size_t crop_size;
    const float *descriptor; /* PR_STORE_DESCRIPTOR_DIM floats (features/face_descriptor.h), or
                                NULL; borrowed */
} pr_store_face;

/* Replaces the photo's row and its faces in one transaction, and marks the clustering out of
 * date in it. A face whose box overlaps one of the photo's old faces (PR_STORE_SAME_FACE_IOU)
 * continues that face: same id, assignment and forgotten state; the other old faces go. exif_time
 * may be NULL. skipped photos have reason != NULL and no faces; their old faces stay, hidden
 * while the photo is skipped. Returns the photo id. */
pr_status pr_store_put_photo(pr_store *store, const char *path, const pr_photo_stat *stat,
                             const char *exif_time, int width, int height, const char *reason,
                             const pr_store_face *faces, size_t face_count, int64_t *photo_id);

/* Marks every photo as unseen; pr_store_mark_seen for each photo present in this run; then
 * pr_store_drop_unseen deletes the rest (their faces and assignments cascade), except a photo
 * whose faces hold a name a person gave (a manual assignment: nothing the tool does could make it
 * again, while seeds come back from their sidecars and automatic names from the clustering). Such
 * a photo is kept with the skip reason PR_STORE_MISSING, hidden as a photo that cannot be read is
 * (not shown, not counted, not clustered; its names listed with their people, its
 * person_<number>s still in use), until it is found again: at its path or, by its bytes, under
 * another (pr_store_classify un-hides it, PR_PHOTO_MOVED), or edited at its path (PR_PHOTO_CHANGED:
 * its faces found again by box). The kept photos are counted in pr_store_counts.missing, never as
 * skipped or failing. Returns how many were dropped. */
pr_status pr_store_begin_scan(pr_store *store);
pr_status pr_store_mark_seen(pr_store *store, int64_t photo_id);
pr_status pr_store_drop_unseen(pr_store *store, int *dropped);

/* People and assignments. pr_store_person_id creates the person when missing. */
pr_status pr_store_person_id(pr_store *store, const char *name, int64_t *person_id);
/* Sets face -> person unless the face already has an assignment of a stronger source. */
pr_status pr_store_assign(pr_store *store, int64_t face_id, int64_t person_id, double confidence,
                          pr_source source);
/* Removes the automatic assignments of the faces the clustering sees (pr_store_each_face's),
 * before re-clustering, and the people left without faces. A face hidden now (its photo cannot be
 * read) keeps its automatic person_<number>: the clustering cannot give it back, and the face
 * comes back under it when the photo reads again (the number stays in use meanwhile:
 * pr_store_hidden_numbers). */
pr_status pr_store_clear_auto(pr_store *store);

/* Iteration over all faces of photos that were processed (not skipped) and not forgotten, in
 * (path, face id) order. */
typedef struct pr_store_face_row {
    int64_t face_id;
    int64_t photo_id;
    const char *path;      /* borrowed until the next callback returns */
    pr_box box;
    double score;
    const void *features;  /* borrowed until the callback returns */
    size_t features_size;
    const char *person;    /* NULL when unassigned */
    double confidence;
    pr_source source;
    const void *crop;      /* borrowed until the callback returns; may be NULL */
    size_t crop_size;
    int pose;
    const char *exif_time; /* the photo's, NULL when unknown; borrowed */
    int width, height;     /* the photo's */
    const void *descriptor; /* PR_STORE_DESCRIPTOR_DIM floats (host order) or NULL; borrowed
                               until the callback returns (may be unaligned: copy it) */
} pr_store_face_row;

typedef int (*pr_store_face_fn)(void *ctx, const pr_store_face_row *row); /* nonzero stops */
pr_status pr_store_each_face(pr_store *store, pr_store_face_fn fn, void *ctx);

/* Photos stored with a skip reason (album photos only: keys starting with '@' excluded; photos
 * kept while missing, PR_STORE_MISSING, excluded: they are no failure to report), by path; path and
 * reason are borrowed until the callback returns. */
typedef int (*pr_store_skipped_fn)(void *ctx, const char *path, const char *reason); /* nonzero
                                                                                       stops */
pr_status pr_store_each_skipped(pr_store *store, pr_store_skipped_fn fn, void *ctx);

/* Counts for summaries. skipped: photos that cannot be read now; missing: photos not in the album
 * folder kept for the names people gave their faces (PR_STORE_MISSING). */
typedef struct pr_store_counts {
    int photos, skipped, missing, faces, people, named_faces;
} pr_store_counts;
pr_status pr_store_count(pr_store *store, pr_store_counts *counts);

/* Meta key "1" when the clustering is out of date. Set in the same transaction as every change
 * of the faces (a stored, moved or dropped photo), so a run killed before clustering leaves it
 * set; the album run clears it after clustering. */
#define PR_STORE_META_DIRTY "cluster_dirty"

/* Faces of a changed photo continue its old faces when their boxes overlap this much
 * (intersection over union): same pixels, same boxes. */
#define PR_STORE_SAME_FACE_IOU 0.5

/* Meta key: the name of the front end (pr_face_net_front_end: nets, alignment, flip) that made
 * every descriptor in the store. Descriptors of two front ends are not comparable, so an album run
 * with another front end clears the stored ones and sets the key in one transaction
 * (pr_store_clear_descriptors); the faces are then described again like faces that never had one
 * (pr_store_each_undescribed), a run killed half-way going on where it stopped. */
#define PR_STORE_META_FRONT_END "descriptor_front_end"

/* Face descriptors in the store. A face's descriptor is PR_STORE_DESCRIPTOR_DIM floats; or none
 * (NULL): never described with descriptors on (a version-2 store, models that were missing), or
 * cleared; or a "refused" mark (an empty blob): described under the store's front end and the net
 * could not take the face, so it is not tried again on every run. Readers see both as NULL. */

/* Clears every face's descriptor and refused mark, and marks the clustering out of date when there
 * was any; *cleared (may be NULL) = how many faces had one. In the caller's transaction. */
pr_status pr_store_clear_descriptors(pr_store *store, int *cleared);

/* *any = 1 when a face has a descriptor (not a refused mark, not a malformed blob): what a store
 * without PR_STORE_META_FRONT_END (one from before the stamp) then holds is face-api's own
 * descriptors (PR_FACE_ALIGN_DLIB_SQUARE, no flip). */
pr_status pr_store_has_descriptors(pr_store *store, int *any);

/* The photos marked seen in this scan (pr_store_mark_seen), not skipped, where a face has no
 * descriptor (NULL, or a malformed blob: not a refused mark), with all their faces (forgotten ones too), by photo path
 * and face id: the describer is given all of a photo's boxes, as when the photo was described
 * (pipeline/describe.h pr_describe_known_faces decodes the region around all of them). */
typedef struct pr_store_undescribed_row {
    int64_t face_id;
    int64_t photo_id;
    const char *path; /* the photo's store key; borrowed until the callback returns */
    pr_box box;
    int missing;      /* 1: this face has no descriptor */
} pr_store_undescribed_row;
typedef int (*pr_store_undescribed_fn)(void *ctx, const pr_store_undescribed_row *row); /* nonzero
                                                                                       stops */
pr_status pr_store_each_undescribed(pr_store *store, pr_store_undescribed_fn fn, void *ctx);

/* Sets one face's descriptor, or with descriptor NULL its refused mark (which changes nothing the
 * clustering sees). In the caller's transaction; a descriptor set changes the distances, and the
 * caller marks the clustering out of date (PR_STORE_META_DIRTY) once for all it sets there. */
pr_status pr_store_set_descriptor(pr_store *store, int64_t face_id, const float *descriptor);

/* After the photo was described with descriptors on: its faces stored without one get the refused
 * mark. */
pr_status pr_store_mark_refused(pr_store *store, int64_t photo_id);

/* Small key/value settings of the album (e.g. whether the clustering is out of date). *value is
 * a caller-owned pr_malloc string, NULL when the key is absent. */
pr_status pr_store_meta_get(pr_store *store, const char *key, char **value);
pr_status pr_store_meta_set(pr_store *store, const char *key, const char *value);

/* Corrections (`personrec people`): every face they touch ends up with a manual assignment,
 * so re-runs keep it. Unknown names/faces give PR_ERR_ARG with a message naming them.
 *
 * Names a person gives must be storable by every writer (pr_store_check_name): not empty, at
 * most PR_STORE_NAME_MAX bytes, valid UTF-8, no control character (newline, CR, TAB...), no ';'
 * (.picasa.ini's separator), no space at either end. A new person cannot be called
 * person_<number>: those are the names of unnamed people (pr_store_is_auto_name). */
#define PR_STORE_NAME_MAX 200
pr_status pr_store_check_name(const char *name); /* PR_ERR_ARG with the reason */
int pr_store_is_auto_name(const char *name);
/* Renames a person. A new_name that already exists is refused (PR_ERR_ARG): joining two people
 * is pr_store_merge_people, never a side effect of a typo. */
pr_status pr_store_rename_person(pr_store *store, const char *old_name, const char *new_name);
/* from_name's faces join into_name; both must exist (a missing into_name is refused). */
pr_status pr_store_merge_people(pr_store *store, const char *from_name, const char *into_name);
/* Puts the face under person_name (an existing person, or a new one). A forgotten face is a face
 * again: the move is the person's latest word on it, and the only way back from a forget. */
pr_status pr_store_move_face(pr_store *store, int64_t face_id, const char *person_name);
/* The faces (all of person's, else nothing changes) go to new_name (existing or new); the faces
 * that stay become manual assignments of person, so re-clustering keeps both sides apart. A
 * forgotten face of person's (an older version's move left such) is a face again, as with move;
 * a forgotten face of nobody's is refused, the message naming the move that brings it back. */
pr_status pr_store_split_person(pr_store *store, const char *person, const int64_t *face_ids,
                                size_t count, const char *new_name);
/* The face is not a face / not to be named: hidden from iteration, outputs and counts for as long
 * as it is found in its photo (a photo changed by another tool keeps it forgotten), until a person
 * moves it to someone (pr_store_move_face). */
pr_status pr_store_forget_face(pr_store *store, int64_t face_id);

/* People with their face counts, by name. faces, manual and seed count the faces outputs show (a
 * face of a photo skipped now is kept, not counted; nor is a forgotten face with a person, nor one
 * of a photo outside the album); a person whose faces are all hidden so is listed with 0 faces: the
 * name is still there. outside counts the person's faces in photos outside the album ('@' paths:
 * --known's), which no output shows. */
typedef struct pr_store_person_row {
    int64_t person_id;
    const char *name; /* borrowed until the callback returns */
    int faces, manual, seed, outside;
} pr_store_person_row;
typedef int (*pr_store_person_fn)(void *ctx, const pr_store_person_row *row); /* nonzero stops */
pr_status pr_store_each_person(pr_store *store, pr_store_person_fn fn, void *ctx);
/* The numbers of the person_<number> names held by faces the clustering does not see (a photo
 * that cannot be read now, automatic or not; a forgotten face with a person, as an older version's
 * move left): still in use, so no new person takes one. *numbers is a caller-owned pr_malloc
 * array, NULL when *count is 0. */
pr_status pr_store_hidden_numbers(pr_store *store, int64_t **numbers, int *count);

/* Transactions around a batch of calls (the put functions are atomic on their own). */
pr_status pr_store_begin(pr_store *store);
pr_status pr_store_commit(pr_store *store);
pr_status pr_store_rollback(pr_store *store);
/* After a failure inside a transaction: rolls it back and returns `failure` with the message it
 * had (the failure is what the user must read, not the rollback's own). */
pr_status pr_store_abort(pr_store *store, pr_status failure);

#ifdef __cplusplus
}
#endif
#endif

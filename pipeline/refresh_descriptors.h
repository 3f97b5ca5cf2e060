/* The album's face descriptors kept those of the front end the run describes with (issue 14:
 * "an existing album gets descriptors on its next run, for faces that lack them, without losing
 * any name or correction"). Part of the album scan (pipeline/scan.c), with descriptors on:
 *
 *   0. prepare (before the classification): when the store's front end is not this run's, the
 *      face net is loaded once (pr_describe_nets), so that a model that cannot be loaded stops
 *      the run before a descriptor is cleared or the stamp written.
 *   1. check (in the classification's transaction): when the store's front end
 *      (PR_STORE_META_FRONT_END) is not this run's -- another alignment or flip, or none recorded
 *      while descriptors exist (a store from before the stamp) -- every stored descriptor is
 *      cleared and the key set to this run's front end, in that one transaction. Descriptors of
 *      two front ends are never mixed, and a run killed after it goes on where it stopped.
 *   2. collect: the photos seen and not skipped where a face has no descriptor (cleared ones, a
 *      version-2 store's, ones stored while the models were missing), with all their faces. A
 *      run without --known cannot read the --known photos: their faces wait for one with it, and
 *      the summary says how many.
 *   3. run: each such photo decoded once on a worker of the scan's pool with its face net, its
 *      faces described on their stored boxes (pr_describe_known_faces: the pixels and front end
 *      label uses), stored in chunks, one transaction per chunk. Only the descriptor column
 *      changes: face ids, boxes, names, corrections and forgotten flags stay. A photo that cannot
 *      be read is named (pr_report_problem: the run ends with exit status 1) and its faces keep no
 *      descriptor; the next run tries again.
 *
 * The photos the scan describes in the same run get theirs there, with the same front end. */
#ifndef PR_PIPELINE_REFRESH_DESCRIPTORS_H
#define PR_PIPELINE_REFRESH_DESCRIPTORS_H

#include "pipeline/album.h"

#ifdef __cplusplus
extern "C" {
#endif

/* One photo whose faces need a descriptor (refresh_descriptors.c). */
typedef struct pr_refresh_photo pr_refresh_photo;

typedef struct pr_refresh {
    char front_end[128];      /* this run's (pr_face_net_front_end of describe's nets) */
    char old[128];            /* the store's before this run; "" when it recorded none */
    int stale;                /* descriptors of another front end cleared by the check */
    pr_refresh_photo *photos; /* collected, by path; owned */
    size_t n, cap;
    int made;    /* faces given a descriptor by the run */
    int refused; /* faces the net could not take (stored with the refused mark) */
    int failed;  /* faces of photos that could not be read: none until a later run */
    int waiting; /* faces of --known photos without one, in a run without --known (which cannot
                    read them): none until a run with --known */
} pr_refresh;

/* Zeroes r and names the front end dp's nets describe with. */
void pr_refresh_init(pr_refresh *r, const pr_describe_params *dp);
void pr_refresh_clear(pr_refresh *r); /* accepts a zeroed r */

/* Step 0, before the caller's transaction: when the check will clear and stamp, the nets dp
 * describes with must load, else their error (and nothing in the store changed). */
pr_status pr_refresh_prepare(const pr_describe_params *dp, pr_store *store, pr_refresh *r);

/* Step 1, in the caller's transaction. */
pr_status pr_refresh_check(pr_store *store, pr_refresh *r);

/* Step 2: album photos are read under album_root, --known photos (PR_ALBUM_KNOWN_PREFIX keys)
 * under known_root; with known_root NULL those are left for a run that has them, their faces
 * without a descriptor counted in r->waiting (the caller marks them seen first, as it keeps them:
 * their descriptors were cleared with the others, so no two front ends share the store). */
pr_status pr_refresh_collect(pr_store *store, const char *album_root, const char *known_root,
                             pr_refresh *r);

/* Step 3 over dp->pool with dp->nets (one per worker), chunk photos between commits (0 = 4 per
 * worker), progress (pr_progress_mode) as the scan's. */
pr_status pr_refresh_run(const pr_describe_params *dp, pr_store *store, pr_refresh *r, size_t chunk,
                         int progress);

/* What happened, for the summary: its counts and descriptors_note ("" when nothing did). */
void pr_refresh_summary(const pr_refresh *r, pr_album_summary *sum);

#ifdef __cplusplus
}
#endif
#endif

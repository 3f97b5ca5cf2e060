/* The album labelling pipeline behind `personrec label ALBUM`:
 *
 *     scan (core/files) -> classify against the store (new / changed / moved / unchanged)
 *       -> for new and changed photos: decode, detect, describe every face (pipeline/describe.h),
 *          keep a 64x64 grey face crop for the album's eigenfaces, store the photo atomically
 *       -> drop photos that are gone
 *       -> seeds: faces of --known DIR/<person>/ photos, names in existing Picasa / XMP labels
 *       -> cluster all stored faces (fused cue distances, k-medoids with the same-photo
 *          cannot-link), name clusters from seeds and manual corrections; or, when only new
 *          photos came since the last clustering, place their faces among the people as they
 *          are (pipeline/people.h pr_people_store's place)
 *       -> outputs: people.csv always, .picasa.ini / XMP sidecars on request, an HTML sheet.
 *
 * Every stage is also callable alone (scan, cluster, outputs) so tests and tools can drive them.
 * The front end is pipeline/describe.h, the back end pipeline/people.h: `personrec cluster` runs
 * this same album run into a temporary store, so both give the same people by construction.
 * The store (pipeline/store.h) keeps all state; nothing here is remembered between runs. */
#ifndef PR_PIPELINE_ALBUM_H
#define PR_PIPELINE_ALBUM_H

#include "core/status.h"
#include "datasets/face_labels.h"
#include "pipeline/describe.h"
#include "pipeline/people.h"
#include "pipeline/store.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif


typedef struct pr_album_params {
    const char *album;     /* the album folder; borrowed */
    const char *db;        /* store path; NULL = <out>/album.db */
    const char *out;       /* where outputs go; NULL = <album>/.personrec */
    const char *known;     /* --known DIR (one sub-folder per person), or NULL; borrowed */
    int threads;           /* <= 0 = all CPUs */
    pr_people_params people; /* the back end's settings (default pr_people_params_default; its
                              thread counts follow `threads`) */
    int long_side;         /* working size of the cues (default PR_DESCRIBE_LONG_SIDE) */
    const pr_face_labels *labels; /* face boxes instead of the detector; borrowed; NULL = detect */
    const pr_face_labels *names;  /* named boxes taken as seeds (like Picasa names); borrowed */
    int no_outputs;        /* 1: write nothing beside the store (`personrec cluster`) */
    int descriptor;        /* 1: compute and store the face descriptor of new photos (default 0) */
    const char *models_dir; /* face-api models; NULL = pr_face_net_find_models */
    int write_picasa;      /* write .picasa.ini files (into the album, or under out when out is
                              given and differs from the default) */
    int write_xmp;         /* write XMP sidecars (same rule) */
    int read_labels;       /* take existing Picasa/XMP names in the album as seeds (default 1) */
    const char *report;    /* HTML report path, or NULL; borrowed */
    int progress;          /* pr_progress_mode: 0 auto, 1 quiet, 2 bar */
    uint64_t max_pixels;   /* photos above this are skipped (default 100 MP) */
    int64_t max_bytes;     /* files above this are skipped (default 512 MiB) */
    int chunk;             /* photos processed in parallel between store commits (0 = 4 x threads) */
    int max_photos;        /* stop processing after this many new photos (0 = all; tests) */
    int recluster;         /* 1: cluster every face again even when only new photos came
                              (default 0: their faces are placed, the people kept as they are) */
} pr_album_params;

pr_album_params pr_album_params_default(void);


typedef struct pr_album_summary {
    int photos;          /* images found this run */
    int not_images;      /* other files found (not looked at) */
    int processed;       /* new + changed photos decoded and detected this run */
    int unchanged, moved, dropped;
    int skipped;         /* photos in the store with a skip reason (all runs) */
    int skipped_now;     /* of which skipped in this run */
    int missing_kept;    /* photos no longer in the album folder kept (hidden) for the names
                            people gave their faces (all runs; pr_store_drop_unseen) */
    int skip_kind[PR_SKIP_KINDS]; /* this run's skips by kind */
    int faces;           /* faces in the store */
    int people;          /* people with at least one face */
    int named;           /* faces with a seed or manual name, or a confident suggestion */
    int seeds;           /* seed faces found this run (known folder + existing labels) */
    int clustered;       /* 1 when the clustering ran (0: nothing changed since the last one) */
    int placed;          /* 1 when it only placed new faces (incremental), 0 when it was full */
    int new_faces, joined, new_people; /* placed: faces placed, of which joined a known person,
                                          and the new people the others make */
    const char *full_because; /* a full clustering although only new photos came: why (static
                                 text, or this summary's descriptors_note), else NULL */
    int descriptors_stale;  /* stored descriptors of another front end cleared this run */
    int descriptors_made;   /* faces of photos not described this run given a descriptor (stale
                               or missing ones: pipeline/refresh_descriptors.h) */
    int descriptors_failed; /* faces of photos that could not be read now: none until a later run */
    int descriptors_waiting; /* faces of --known photos in a run without --known: none until a
                                run with it */
    char descriptors_note[384]; /* what happened to the stored descriptors, one line, e.g.
                                   "face descriptors recomputed for 271 faces (front end changed
                                   from A to B)"; "" when nothing */
    double seconds, seconds_process, seconds_cluster, seconds_outputs;
    double cpu_cluster;  /* CPU seconds of the clustering (or placing) stage, all threads */
} pr_album_summary;

/* The whole run. Errors only for what stops the run (album missing, store locked or unwritable,
 * output unwritable); bad photos are skipped and counted. */
pr_status pr_album_label(const pr_album_params *params, pr_album_summary *summary);

/* Clusters the faces of an existing store (params->db) again with params->people, seeds from
 * params->known photos already stored and params->names (Picasa/XMP labels only when
 * read_labels and params->album are given). No scan, no outputs. */
pr_status pr_album_recluster(const pr_album_params *params);

/* Resolved paths for an album: db and out as pr_album_label uses them. Caller-owned pr_malloc
 * strings. */
pr_status pr_album_paths(const pr_album_params *params, char **db, char **out);

/* --- stages (pipeline/scan.c, people_store.c via label.c, outputs.c, seeds.c) --- */

/* Scans the album and processes new or changed photos into the store; fills the scan part of
 * summary. */
pr_status pr_album_scan(const pr_album_params *params, pr_store *store, pr_album_summary *summary);

/* Seeds: names from --known and from existing Picasa/XMP labels, as seed assignments. */
pr_status pr_album_seeds(const pr_album_params *params, pr_store *store, pr_album_summary *summary);

/* Clears automatic assignments, clusters every stored face and names the clusters
 * (pr_people_store with params->people), and marks the clustering up to date. */
pr_status pr_album_cluster(const pr_album_params *params, pr_store *store,
                           pr_album_summary *summary);

/* Writes people.csv (always) and the requested sidecars / report. */
pr_status pr_album_outputs(const pr_album_params *params, pr_store *store, const char *out_dir);

/* people.csv: image,x,y,w,h,person,confidence[,source] (image relative to the album; the
 * source column when source_column), written atomically; path NULL = standard output. */
pr_status pr_album_write_csv(pr_store *store, const char *path, int source_column);

/* The HTML sheet: one row per person with face thumbnails (data: URIs). */
pr_status pr_album_write_report(pr_store *store, const char *album, const char *path);

/* Marks the clustering out of date (after corrections), so the next run re-clusters. */
pr_status pr_album_mark_dirty(pr_store *store);

#ifdef __cplusplus
}
#endif
#endif

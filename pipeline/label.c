/* pr_album_label: the whole run, in the order of album.h, with timings for the summary.
 * Re-clustering is skipped when nothing changed since the last clustering (no photo processed,
 * moved or dropped, no new seed, no correction), so a re-run of an unchanged album costs one stat
 * per photo plus rewriting the outputs. When the only change is new photos (same settings, no
 * photo moved or dropped, and pr_people_store finds the names as the last clustering left them),
 * their faces are placed among the people as they are instead (issue 14, "Incremental"): the
 * cost is new faces x all faces, and nobody's person changes under them. --recluster forces the
 * full clustering. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/album_internal.h"

#include "core/alloc.h"
#include "cluster/choose_k.h"
#include "core/fileio.h"
#include "core/files.h"
#include "core/path.h"
#include "core/progress.h"

#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

pr_album_params pr_album_params_default(void)
{
    pr_album_params p;
    memset(&p, 0, sizeof p);
    p.read_labels = 1;
    p.people = pr_people_params_default();
    p.long_side = PR_DESCRIBE_LONG_SIDE;
    p.max_pixels = 100u * 1000u * 1000u;
    p.max_bytes = (int64_t)512 << 20;
    return p;
}

pr_status pr_album_paths(const pr_album_params *params, char **db, char **out)
{
    *db = *out = NULL;
    if (!params || !params->album)
        return pr_set_error(PR_ERR_ARG, "no album given");
    *out = params->out ? pr_strdup(params->out) : pr_album_join(params->album, ".personrec");
    if (*out)
        *db = params->db ? pr_strdup(params->db) : pr_album_join(*out, "album.db");
    if (!*out || !*db) {
        pr_free(*out);
        pr_free(*db);
        *db = *out = NULL;
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    return PR_OK;
}

static pr_status check_db_folder(const char *db)
{
    char *dir = pr_path_dirname(db);
    if (!dir)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    /* "" = the current folder (a bare file name), which exists */
    pr_status st = !dir[0] || pr_is_directory(dir)
                       ? PR_OK
                       : pr_set_error(PR_ERR_IO,
                                      "%s: --db: the folder %s does not exist "
                                      "(create it first to start a store there)",
                                      db, dir);
    pr_free(dir);
    return st;
}

pr_status pr_album_mark_dirty(pr_store *store)
{
    return pr_store_meta_set(store, PR_ALBUM_META_DIRTY, "1");
}

/* The back end over the store: everything clustered, or (place) only the new faces placed when
 * pr_people_store finds that possible. */
static pr_status cluster_store(const pr_album_params *params, pr_store *store,
                               pr_album_summary *sum, int place)
{
    pr_people_params pp = params->people;
    pr_people_params_threads(&pp, params->threads);
    pr_people_store_info info;
    pr_status st = pr_people_store(&pp, store, place, &info);
    if (st == PR_OK)
        st = pr_store_meta_set(store, PR_ALBUM_META_DIRTY, "0");
    if (st == PR_OK && sum) {
        sum->clustered = 1;
        sum->placed = info.placed;
        sum->new_faces = info.new_faces;
        sum->joined = info.joined;
        sum->new_people = info.new_people;
        sum->full_because = info.full_because;
    }
    return st;
}

pr_status pr_album_cluster(const pr_album_params *params, pr_store *store, pr_album_summary *sum)
{
    return cluster_store(params, store, sum, 0);
}

/* CPU seconds of the whole process (every thread); 0 where the system cannot tell. */
static double process_cpu_seconds(void)
{
    struct timespec ts;
    if (clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts) != 0)
        return 0.0;
    return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

pr_status pr_album_label(const pr_album_params *params, pr_album_summary *sum)
{
    memset(sum, 0, sizeof *sum);
    double t0 = pr_now_seconds();
    char *db = NULL, *out = NULL, *dirty = NULL, *last = NULL;
    pr_store *store = NULL;
    pr_status st = pr_album_paths(params, &db, &out);
    if (st != PR_OK)
        return st;
    /* Checked before the store: opening it creates <album>/.personrec, which would turn a
     * mistyped album path into a new, empty album and a run that "succeeds". */
    if (!pr_is_directory(params->album)) {
        st = pr_set_error(PR_ERR_IO, "%s: no such folder", params->album);
        goto done;
    }
    /* A --db in a folder that does not exist is a typo more often than a wish: creating the
     * folder would start a new, empty store beside the real one. */
    if (params->db && (st = check_db_folder(params->db)) != PR_OK)
        goto done;
    if ((st = pr_store_open(db, &store)) != PR_OK) {
        /* The README's way for a read-only album (or one on a read-only mount) is --out; the
         * error alone ("cannot create folder: Permission denied") does not say so. */
        if (st == PR_ERR_IO && !params->out && !params->db && access(params->album, W_OK) != 0 &&
            !pr_is_directory(out)) {
            char why[512];
            snprintf(why, sizeof why, "%s", pr_last_error());
            st = pr_set_error(st,
                              "%s (the album folder is read-only: --out DIR keeps the store "
                              "and outputs elsewhere)",
                              why);
        }
        goto done;
    }
    if ((st = pr_album_scan(params, store, sum)) != PR_OK)
        goto done;
    sum->seconds_process = pr_now_seconds() - t0;
    if ((st = pr_album_seeds(params, store, sum)) != PR_OK)
        goto done;
    if ((st = pr_store_meta_get(store, PR_ALBUM_META_DIRTY, &dirty)) != PR_OK)
        goto done;
    /* Other clustering settings than last time also mean a new clustering (the key names the
     * back end's version too, so a store clustered by older code is clustered again). */
    char settings[1024];
    pr_people_params_key(&params->people, settings, sizeof settings);
    if ((st = pr_store_meta_get(store, "cluster_settings", &last)) != PR_OK)
        goto done;
    int same_settings = last && strcmp(last, settings) == 0;
    int changed = sum->processed || sum->skipped_now || sum->moved || sum->dropped ||
                  !dirty || strcmp(dirty, "0") != 0 || !same_settings || params->recluster;
    /* Placing is for new photos only; pr_people_store checks the names (corrections, seeds,
     * forgotten faces) itself. Descriptors recomputed (another front end) or given to faces that
     * had none change every distance they enter: the people are found again, names kept. (The
     * fingerprint of the assigned faces covers their descriptors and would say so too; this says
     * why.) */
    int redescribed = sum->descriptors_stale || sum->descriptors_made;
    int place = same_settings && !params->recluster && !sum->moved && !sum->dropped && !redescribed;
    double t1 = pr_now_seconds(), cpu1 = process_cpu_seconds();
    if (changed && ((st = cluster_store(params, store, sum, place)) != PR_OK ||
                    (st = pr_store_meta_set(store, "cluster_settings", settings)) != PR_OK))
        goto done;
    if (changed && same_settings && !place)
        sum->full_because = params->recluster ? "--recluster"
                            : redescribed     ? sum->descriptors_note
                                              : "a photo moved or was dropped";
    if (changed && last && !same_settings)
        sum->full_because = "other clustering settings than last time";
    double t2 = pr_now_seconds();
    sum->seconds_cluster = t2 - t1;
    sum->cpu_cluster = process_cpu_seconds() - cpu1;
    if (!params->no_outputs && (st = pr_album_outputs(params, store, out)) != PR_OK)
        goto done;
    sum->seconds_outputs = pr_now_seconds() - t2;
    pr_store_counts counts;
    if ((st = pr_store_count(store, &counts)) != PR_OK)
        goto done;
    sum->skipped = counts.skipped;
    sum->missing_kept = counts.missing;
    sum->faces = counts.faces;
    sum->people = counts.people;
    sum->named = counts.named_faces;
done:
    sum->seconds = pr_now_seconds() - t0;
    pr_free(dirty);
    pr_free(last);
    pr_store_close(store);
    pr_free(db);
    pr_free(out);
    return st;
}

pr_status pr_album_recluster(const pr_album_params *params)
{
    pr_store *store = NULL;
    if (!params || !params->db)
        return pr_set_error(PR_ERR_ARG, "no store given");
    /* The store must exist: opening would otherwise create an empty one for a mistyped path. */
    if (!pr_file_exists(params->db))
        return pr_set_error(PR_ERR_IO, "%s: no such store", params->db);
    pr_status st = pr_store_open(params->db, &store);
    if (st == PR_OK)
        st = pr_album_seeds(params, store, NULL);
    if (st == PR_OK)
        st = pr_album_cluster(params, store, NULL);
    /* Its settings are now the store's: a later label with its own settings then sees them differ
     * and clusters every face again, instead of placing new faces among these people. */
    if (st == PR_OK) {
        char settings[1024];
        pr_people_params_key(&params->people, settings, sizeof settings);
        st = pr_store_meta_set(store, "cluster_settings", settings);
    }
    pr_store_close(store);
    return st;
}

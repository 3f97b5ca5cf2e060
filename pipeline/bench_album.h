/* bench album: the per-photo front end (pipeline/describe.h) timed stage by stage on real photos,
 * as `personrec label` runs it, optionally brought to phone size first.
 *
 * Lives in pipeline/ (not eval/) because it measures the pipeline itself, through describe's own
 * stage hooks (pr_describe_stats), and stores into a real pipeline store; there is no ground truth.
 *
 *     photos (DIR, every image, evenly spaced down to `limit`) -> with size_mp: each decoded,
 *     upscaled to size_mp megapixels and written as JPEG q90 into a temporary folder (removed at
 *     the end) -> one run on 1 thread, one on `threads` -> per run: wall, process CPU time,
 *     photos/s, per-stage wall and thread-CPU sums, faces; peak memory (getrusage maxrss). */
#ifndef PR_PIPELINE_BENCH_ALBUM_H
#define PR_PIPELINE_BENCH_ALBUM_H

#include "core/status.h"
#include "pipeline/describe.h"

#include <stdio.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_bench_album_params {
    const char *dir;        /* the photos (recursive, pr_list_images); borrowed */
    int limit;              /* at most this many, evenly spaced over the sorted list; 0 = all */
    double size_mp;         /* > 0: upscale/downscale each photo to this many megapixels first */
    int threads;            /* the second run's threads (the first always has 1); <= 1 = one run */
    int descriptor;         /* 1: landmarks + descriptor (needs the face-api models) */
    const char *models_dir; /* NULL = pr_face_net_find_models */
    int decode_long_side;   /* describe's scaled decoding (1 = on, the default) */
    int detail_region;      /* describe's region decode for the descriptor (1 = on, the default) */
    const char *tmp_dir;    /* where the resized photos go; NULL = $TMPDIR or /tmp */
    int detector;           /* pr_detector_kind, or -1 = describe's default detector */
    const char *peer_script; /* scripts/faceapi/bench_album_peer.sh, run on the same photos after
                               the timed runs (while the copies exist); NULL = no peer */
    const char *personrec;  /* the executable the peer decodes with (`info --rgb`) */
} pr_bench_album_params;

pr_bench_album_params pr_bench_album_params_default(void);

typedef struct pr_bench_album_run {
    int threads;
    double wall_ms;         /* describe + store */
    double cpu_ms;          /* process CPU time (user + system) over the run */
    pr_describe_times stages; /* summed over workers; store in PR_STAGE_STORE */
} pr_bench_album_run;

typedef struct pr_bench_album_result {
    int photos;
    int skipped;            /* photos describe skipped (unreadable ...) */
    double megapixels;      /* mean size of the photos timed */
    double prepare_ms;      /* making the phone-size copies (not timed in the runs) */
    int nruns;
    pr_bench_album_run runs[2];
    long maxrss_kb;         /* peak resident memory of the process */
    double load_average;    /* 1-minute load average at the end (the machine may be shared) */
    char *peer;             /* the peer's JSON line ({"skipped": ...} when it skipped), or NULL
                               (no peer asked, or it failed: peer_note says why); owned */
    char peer_note[160];
} pr_bench_album_result;

void pr_bench_album_result_clear(pr_bench_album_result *r); /* frees peer */

pr_status pr_bench_album(const pr_bench_album_params *params, pr_bench_album_result *out);

/* The stage table and the summary lines. */
void pr_bench_album_print(FILE *f, const pr_bench_album_result *r);
/* The same as one JSON object. */
pr_status pr_bench_album_json(FILE *f, const pr_bench_album_result *r);

#ifdef __cplusplus
}
#endif
#endif

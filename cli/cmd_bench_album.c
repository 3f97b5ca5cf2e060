/* personrec bench album: the label pipeline's front end timed stage by stage on real photos (the
 * harness is pipeline/bench_album.h), with face-api's pipeline in node as a peer when present. */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/path.h"
#include "pipeline/bench_album.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef PR_SOURCE_DIR
#define PR_SOURCE_DIR "."
#endif
#ifndef PR_DEFAULT_DATA_DIR
#define PR_DEFAULT_DATA_DIR "../shared/datasets"
#endif

static int run(int argc, char **argv);

const pr_command pr_cmd_bench_album = {
    "bench album",
    "time the per-photo front end stage by stage (decode, detect, descriptor, body, cues, store)",
    "usage: personrec bench album [DIR] [--size MP] [--limit N] [--threads N] [--json OUT]\n"
    "                             [--no-descriptor] [--full-decode] [--models DIR] [--no-peer]\n"
    "                             [--detector cascades|network|both] [--whole-detail]\n"
    "\n"
    "Describes every photo of DIR (default: album/ under $PR_DATA_DIR, else the build's datasets\n"
    "folder) as `personrec label` does, once on 1 thread and once on --threads, and prints per\n"
    "stage the wall ms per photo (summed over workers), its share and the thread CPU ms per\n"
    "photo; then photos/s, CPU utilisation (process CPU time / wall), peak memory and the load\n"
    "average (the figures are only as quiet as the machine). Detectors and nets are built\n"
    "before the clock.\n"
    "\n"
    "options:\n"
    "  --size MP        first bring each photo to MP megapixels (upscaled, JPEG q90, in a\n"
    "                   temporary folder removed afterwards): phone size is 12\n"
    "  --limit N        at most N photos, evenly spaced over the sorted list (default all)\n"
    "  --threads N      the second run's threads (default 2; 1 = one run)\n"
    "  --no-descriptor  skip landmarks + descriptor\n"
    "  --full-decode    decode every photo at full size (describe's scaled decoding off)\n"
    "  --whole-detail   descriptors from a second whole decode, not from the faces' region\n"
    "  --models DIR     face-api models (default: the usual lookup)\n"
    "  --detector K     the detector kind (default: describe's default detector)\n"
    "  --json OUT       also write the figures as JSON to OUT\n"
    "\n"
    "  --no-peer        no face-api peer\n"
    "\n"
    "The peer: after the timed runs, on the same photos, face-api's own pipeline in node (SSD\n"
    "detection + landmarks + descriptor, 1 thread; scripts/faceapi/bench_album_peer.sh in the\n"
    "source tree, npm packages cached in .cache/faceapi); skipped with a note without node/npm.\n",
    run,
};

static int write_json(const char *path, const pr_bench_album_result *r)
{
    FILE *f = fopen(path, "w");
    if (!f) {
        fprintf(stderr, "personrec: cannot write %s\n", path);
        return PR_EXIT_FAIL;
    }
    pr_status st = pr_bench_album_json(f, r);
    if (fclose(f) != 0 || st != PR_OK) {
        fprintf(stderr, "personrec: writing %s failed\n", path);
        return PR_EXIT_FAIL;
    }
    return PR_EXIT_OK;
}

static int run(int argc, char **argv)
{
    pr_bench_album_params bp = pr_bench_album_params_default();
    const char *json_path = NULL, *detector = NULL;
    int no_desc = 0, full = 0, no_peer = 0, whole = 0;
    const pr_option opts[] = {
        {"size", PR_OPT_DOUBLE, &bp.size_mp},   {"limit", PR_OPT_INT, &bp.limit},
        {"threads", PR_OPT_INT, &bp.threads},   {"no-descriptor", PR_OPT_FLAG, &no_desc},
        {"full-decode", PR_OPT_FLAG, &full},    {"models", PR_OPT_STRING, &bp.models_dir},
        {"json", PR_OPT_STRING, &json_path},    {"no-peer", PR_OPT_FLAG, &no_peer},
        {"detector", PR_OPT_STRING, &detector}, {"whole-detail", PR_OPT_FLAG, &whole},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int npos = 0, rc = 0;
    if (pr_cli_args(&pr_cmd_bench_album, argc, argv, opts, 0, 1, &npos, &rc))
        return rc;
    if (bp.size_mp < 0 || bp.size_mp > 100 || bp.limit < 0 || bp.threads < 1)
        return pr_cli_usage_error(&pr_cmd_bench_album,
                                  "--size must be in 0..100, --limit >= 0, --threads >= 1");
    if (detector && (bp.detector = pr_detector_kind_parse(detector)) < 0)
        return pr_cli_usage_error(&pr_cmd_bench_album,
                                  "--detector must be cascades, network or both");
    bp.descriptor = !no_desc;
    bp.decode_long_side = !full;
    bp.detail_region = !whole;
    char *dflt = NULL;
    char *script = pr_path_join_new(PR_SOURCE_DIR, "scripts/faceapi/bench_album_peer.sh");
    char exe[4096];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (!no_peer && script && len > 0 && access(script, X_OK) == 0) {
        exe[len] = '\0';
        bp.peer_script = script;
        bp.personrec = exe;
    } else if (!no_peer) {
        fprintf(stderr, "personrec: bench album: no peer (%s not found)\n",
                script ? script : "the peer script");
    }
    if (npos) {
        bp.dir = argv[1];
    } else {
        const char *data = getenv("PR_DATA_DIR");
        dflt = pr_path_join_new(data && data[0] ? data : PR_DEFAULT_DATA_DIR, "album");
        bp.dir = dflt;
    }
    pr_bench_album_result r;
    memset(&r, 0, sizeof r);
    pr_status st = bp.dir ? pr_bench_album(&bp, &r)
                          : pr_set_error(PR_ERR_NOMEM, "out of memory");
    if (st == PR_OK) {
        pr_bench_album_print(stdout, &r);
        if (json_path)
            rc = write_json(json_path, &r);
    } else {
        pr_cli_report_error("bench album");
        rc = PR_EXIT_FAIL;
    }
    pr_bench_album_result_clear(&r);
    pr_free(dflt);
    pr_free(script);
    return rc;
}

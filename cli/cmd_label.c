/* personrec label ALBUM: find the people in a photo album and say who is who. */
#include "pipeline/album.h"
#include "cli/cli.h"
#include "features/face_descriptor.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_label = {
    "label",
    "label the people in a photo album (incremental; outputs CSV, Picasa, XMP, HTML)",
    "usage: personrec label ALBUM [--known DIR] [--write-picasa] [--write-xmp]\n"
    "                       [--report OUT.html] [--k auto|N] [--threads N] [--out DIR]\n"
    "                       [--db FILE] [--device auto|cpu|gpu] [--recluster] [--quiet]\n"
    "\n"
    "Scans ALBUM recursively (JPEG, PNG, HEIC/HEIF, AVIF, WebP, TIFF, GIF, PNM; sidecars are\n"
    "left alone, other files are counted), detects the faces of every new or changed photo,\n"
    "describes each person (face, clothing, context), groups the faces into people and names\n"
    "them from the seeds. State lives in ALBUM/.personrec/album.db: a second run only processes\n"
    "new or changed photos, keeps every name given with 'personrec people', and a run that was\n"
    "killed continues where it stopped. Photos are never modified. Always writes\n"
    "ALBUM/.personrec/people.csv (image,x,y,w,h,person,confidence,source).\n"
    "\n"
    "When the only change since the last run is new photos, their faces are placed among the\n"
    "people as they are (a face joins the known person it matches, else becomes a new person);\n"
    "nobody else's person or name changes. A correction, a new name (Picasa, XMP, --known), a\n"
    "moved, dropped or edited photo or other settings cluster every face again, keeping every\n"
    "name given and every person_N that did not change; --recluster forces that.\n"
    "\n"
    "A photo that cannot be read (empty, truncated, corrupt, too large, no permission) or a\n"
    "sub-folder that cannot be opened is named on stderr with the reason, on every run and also\n"
    "with --quiet, and skipped: the rest of the album is labelled and the outputs written.\n"
    "Exit status: 0 all done; 1 done, but something was named on stderr (a failing photo or\n"
    "folder) or the run stopped (album missing, store locked or damaged); 2 usage error.\n"
    "\n"
    "options:\n"
    "  --known DIR       seeds: DIR/<person>/ holds photos of <person>\n"
    "  --no-labels       do not take names from existing .picasa.ini / XMP files as seeds\n"
    "  --write-picasa    write .picasa.ini files (merged with existing ones)\n"
    "  --write-xmp       write XMP sidecars (MWG + MP face regions)\n"
    "  --report FILE     write an HTML sheet: one row per person with face thumbnails (a\n"
    "                    file there that is not an HTML page is never replaced)\n"
    "  --k auto|N        number of people (default auto)\n"
    "  --choose M        how auto k is found: silhouette (default, as 'personrec cluster') or\n"
    "                    radius\n"
    "  --radius X        radius method: fused distance (0..1) within one person (default 0.25)\n"
    "  --cluster M       auto (default): with face descriptors (models found), average linkage\n"
    "                    on the descriptor's calibrated same-person log-likelihood ratio, stopped\n"
    "                    at 0, two faces of one photo never one person; else kmedoids (the\n"
    "                    classic cues fused, k-medoids). calibrated | kmedoids force one\n"
    "                    (--k N, --choose radius or --descriptor W alone mean kmedoids)\n"
    "  --thesis          the thesis configuration: k-medoids over the classic cues, no descriptor\n"
    "  --models DIR      face landmark + descriptor models (default: see README)\n"
    "  --descriptor W    k-medoids: weigh the face descriptor W in the fused distance (default 0)\n"
    "  --threads N       worker threads, 1 to 256 (default: all cores; never more than the\n"
    "                    photos to process)\n"
    "  --out DIR         outputs and store go to DIR (for a read-only album); sidecars too\n"
    "  --db FILE         store path (default ALBUM/.personrec/album.db or DIR/album.db)\n"
    "  --device D        auto, cpu or gpu (the labelling stages currently all run on the CPU)\n"
    "  --quiet           no progress bar and no summary (failing photos are still named)\n"
    "  --progress        always draw the progress bar, even when stderr is not a terminal\n"
    "  --max-photos N    process at most N new photos this run (the rest on the next run)\n"
    "  --recluster       cluster every face again, even when only new photos came\n",
    run,
};

static int run(int argc, char **argv)
{
    const char *known = NULL, *report = NULL, *k_text = "auto", *out = NULL, *db = NULL;
    const char *device = "auto", *models = NULL;
    int write_picasa = 0, write_xmp = 0, threads = 0, quiet = 0, progress = 0, no_labels = 0;
    int max_photos = 0, recluster = 0;
    const char *choose = "silhouette", *method = "auto";
    int thesis = 0;
    double radius = 0, descriptor = 0;
    const pr_option opts[] = {
        {"known", PR_OPT_STRING, &known},
        {"no-labels", PR_OPT_FLAG, &no_labels},
        {"write-picasa", PR_OPT_FLAG, &write_picasa},
        {"write-xmp", PR_OPT_FLAG, &write_xmp},
        {"report", PR_OPT_STRING, &report},
        {"k", PR_OPT_STRING, &k_text},
        {"threads", PR_OPT_INT, &threads},
        {"out", PR_OPT_STRING, &out},
        {"db", PR_OPT_STRING, &db},
        {"device", PR_OPT_STRING, &device},
        {"quiet", PR_OPT_FLAG, &quiet},
        {"progress", PR_OPT_FLAG, &progress},
        {"max-photos", PR_OPT_INT, &max_photos},
        {"recluster", PR_OPT_FLAG, &recluster},
        {"choose", PR_OPT_STRING, &choose},
        {"radius", PR_OPT_DOUBLE, &radius},
        {"descriptor", PR_OPT_DOUBLE, &descriptor},
        {"cluster", PR_OPT_STRING, &method},
        {"thesis", PR_OPT_FLAG, &thesis},
        {"models", PR_OPT_STRING, &models},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int n = 0;
    int rc = pr_cli_parse(&pr_cmd_label, argc, argv, opts, &n);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (n != 1)
        return pr_cli_usage_error(&pr_cmd_label, n ? "one ALBUM only" : "which ALBUM?");
    if (pr_cli_parse_device(device) < 0)
        return pr_cli_usage_error(&pr_cmd_label, "--device must be auto, cpu or gpu");
    int k = 0;
    if (strcmp(k_text, "auto") != 0) {
        char *end = NULL;
        long v = strtol(k_text, &end, 10);
        if (!end || *end || v < 1 || v > 1000000)
            return pr_cli_usage_error(&pr_cmd_label, "--k must be auto or a positive number");
        k = (int)v;
    }
    if (max_photos < 0)
        return pr_cli_usage_error(&pr_cmd_label, "--max-photos must be >= 0");

    pr_album_params p = pr_album_params_default();
    p.album = argv[1];
    p.known = known;
    p.read_labels = !no_labels;
    p.write_picasa = write_picasa;
    p.write_xmp = write_xmp;
    p.report = report;
    p.people.cluster.k = k;
    p.threads = threads;
    p.out = out;
    p.db = db;
    p.max_photos = max_photos;
    p.recluster = recluster;
    if (strcmp(choose, "radius") != 0 && strcmp(choose, "silhouette") != 0)
        return pr_cli_usage_error(&pr_cmd_label, "--choose must be radius or silhouette");
    if (strcmp(choose, "radius") == 0)
        p.people.cluster.choose.method = PR_CHOOSE_K_RADIUS;
    if (radius < 0 || radius > 1)
        return pr_cli_usage_error(&pr_cmd_label, "--radius must be in [0, 1]");
    if (radius > 0)
        p.people.cluster.choose.radius = radius;
    if (!(descriptor >= 0))
        return pr_cli_usage_error(&pr_cmd_label, "--descriptor must be >= 0");
    p.people.cues.weights[PR_CUE_DESCRIPTOR] = descriptor;
    if (strcmp(method, "auto") && strcmp(method, "calibrated") && strcmp(method, "kmedoids"))
        return pr_cli_usage_error(&pr_cmd_label, "--cluster must be auto, calibrated or kmedoids");
    if (thesis && (strcmp(method, "auto") || descriptor > 0))
        return pr_cli_usage_error(&pr_cmd_label, "--thesis sets the clustering and cues itself");
    p.people.method = !strcmp(method, "calibrated")           ? PR_PEOPLE_CALIBRATED
                      : !strcmp(method, "kmedoids") || thesis ? PR_PEOPLE_KMEDOIDS
                                                              : PR_PEOPLE_AUTO;
    /* k-medoids options (a fixed k, the radius method, a descriptor weight) ask for k-medoids. */
    if (p.people.method == PR_PEOPLE_AUTO &&
        (k > 0 || strcmp(choose, "silhouette") || descriptor > 0))
        p.people.method = PR_PEOPLE_KMEDOIDS;
    p.descriptor = descriptor > 0 || (p.people.method != PR_PEOPLE_KMEDOIDS &&
                                      pr_face_net_models_available(models, "label"));
    p.models_dir = models;
    p.progress = quiet ? 1 : progress ? 2 : 0;
    pr_album_summary s;
    if (pr_album_label(&p, &s) != PR_OK) {
        pr_cli_report_error(argv[1]);
        return PR_EXIT_FAIL;
    }
    /* Failing photos and folders were named as they were met (pr_report_problem); the album was
     * labelled without them, and the exit status says that something needs a look. */
    int problems = pr_problem_count();
    if (!quiet) {
        /* Photos gone from the folder whose faces hold names given with 'people': kept, hidden,
         * until they are back (not a problem: the exit status stays 0). */
        char kept[64] = "";
        if (s.missing_kept)
            snprintf(kept, sizeof kept, ", %d missing kept for their names", s.missing_kept);
        fprintf(stderr,
                "%s: %d photos (%d processed, %d unchanged, %d moved, %d dropped%s), %d faces, "
                "%d people, %d named faces, %d seeds; %.1f s (processing %.1f s, %s "
                "%.1f s%s, outputs %.1f s)\n",
                argv[1], s.photos, s.processed, s.unchanged, s.moved, s.dropped, kept, s.faces,
                s.people, s.named, s.seeds, s.seconds, s.seconds_process,
                s.placed ? "placing" : "clustering", s.seconds_cluster,
                s.clustered ? "" : ", nothing changed", s.seconds_outputs);
        if (s.clustered)
            fprintf(stderr, "%s: %.2f s CPU\n", s.placed ? "placing" : "clustering",
                    s.cpu_cluster);
        if (s.placed)
            fprintf(stderr, "placed %d new face%s: %d joined known people, %d new people\n",
                    s.new_faces, s.new_faces == 1 ? "" : "s", s.joined, s.new_people);
        else if (s.clustered && s.full_because == s.descriptors_note)
            fprintf(stderr, "clustered every face again: the face descriptors changed\n");
        else if (s.clustered && s.full_because)
            fprintf(stderr, "clustered every face again: %s\n", s.full_because);
        /* On its own line: --recluster or other settings give the clustering another reason. */
        if (s.descriptors_note[0])
            fprintf(stderr, "%s\n", s.descriptors_note);
        if (s.skipped || s.not_images)
            fprintf(stderr,
                    "skipped: %d photos in the store (this run: %d empty, %d too large, %d "
                    "unreadable, %d not decodable); %d files that are not images\n",
                    s.skipped, s.skip_kind[PR_SKIP_EMPTY],
                    s.skip_kind[PR_SKIP_TOO_BIG], s.skip_kind[PR_SKIP_UNREADABLE],
                    s.skip_kind[PR_SKIP_CORRUPT], s.not_images);
        if (problems)
            fprintf(stderr, "%s: %d problem%s named above; exit status 1\n", argv[1], problems,
                    problems == 1 ? "" : "s");
    }
    return problems ? PR_EXIT_FAIL : PR_EXIT_OK;
}

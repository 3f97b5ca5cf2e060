/* personrec cluster: group the faces of an album into people. A thin front to the pipeline: the
 * album is labelled into a store (pipeline/album.h, as `personrec label`), or a saved store is
 * clustered again, with the clustering options given here (pipeline/people.h). */
#define _POSIX_C_SOURCE 200809L
#include "cli/cli.h"
#include "core/alloc.h"
#include "core/fileio.h"
#include "core/path.h"
#include "datasets/face_labels.h"
#include "features/eigenfaces.h"
#include "features/face_descriptor.h"
#include "pipeline/album.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_cluster = {
    "cluster",
    "group the faces of an album into people (descriptor + calibrated average linkage; k-medoids as the thesis)",
    "usage: personrec cluster (--album DIR [--labels FILE] [--save-features F] | --features F)\n"
    "                         [--k auto|N] [--choose silhouette|medoid-silhouette|radius]\n"
    "                         [--radius R] [--k-max N] [--algorithm fasterpam|parkjun] [--seed S]\n"
    "                         [--cues LIST] [--scale rank|zscore] [--no-constraint]\n"
    "                         [--clothing-everywhere] [--cooccurrence W] [--names FILE]\n"
    "                         [--threshold X] [--cluster auto|calibrated|kmedoids] [--thesis]\n"
    "                         [--no-support] [--stranger] [--clothing] [--calibration FILE]\n"
    "                         [--model FILE] [--device auto|cpu|gpu] [--threads N] [--out FILE]\n"
    "\n"
    "Labels the album exactly as `personrec label` does (same front end, same store, same back end,\n"
    "so the two give the same people), into a temporary store or the --save-features store.\n"
    "Finds the faces of every photo under DIR (the detector, or the boxes of --labels), describes\n"
    "each (eigenface coefficients, face SIFT, face/hair band, clothing and background colour),\n"
    "maps each cue's pairwise distances to [0, 1] over the album and fuses them (missing cues drop\n"
    "out; clothing, body SIFT and background count only within one event, from EXIF time), then\n"
    "clusters with k-medoids so that two faces of one photo are never one person. Writes CSV\n"
    "image,x,y,w,h,person,confidence (image relative to DIR; person = person_NN, or a name when\n"
    "--names gives seeds; confidence = the naming confidence, or 1 - the distance to the medoid).\n"
    "\n"
    "options:\n"
    "  --album DIR            the photos (searched recursively)\n"
    "  --labels FILE          face boxes from a label file instead of the detector\n"
    "  --save-features F      keep the album store (faces, cues, crops) in F (SQLite; a later run\n"
    "                         only processes new or changed photos)\n"
    "  --features F           cluster the faces of a store saved earlier instead of an album\n"
    "  --cluster M            auto (default): with face descriptors (models found), average\n"
    "                         linkage on the descriptor's calibrated same-person log-likelihood\n"
    "                         ratio, stopped at 0, cannot-link kept (cluster/calibrated.h); else\n"
    "                         kmedoids. calibrated | kmedoids force one (--cues, --k N or\n"
    "                         --choose alone mean kmedoids)\n"
    "  --no-support           calibrated: drop the support guard (by default a merge needs more\n"
    "                         than half of its face pairs at LLR > 0, so one bridging face cannot\n"
    "                         join two groups)\n"
    "  --stranger             calibrated: two single faces merge only when the stranger model\n"
    "                         (fitted off-album) takes each for someone seen before, given how\n"
    "                         many faces it was compared with (off by default: it did not help)\n"
    "  --clothing             calibrated: add the clothing colour LLR (calibrated leave-one-source-\n"
    "                         out on the album's folders) between faces of one event; with\n"
    "                         --clothing-everywhere between any two photos (off by default)\n"
    "  --calibration FILE     calibrated: cue calibrations from FILE (the format of\n"
    "                         cluster/params/calibration.txt) instead of the shipped ones\n"
    "  --thesis               the thesis configuration: k-medoids over the classic cues, no\n"
    "                         descriptor (= --cluster kmedoids with the default --cues)\n"
    "  --models DIR           face landmark + descriptor models (default: see README)\n"
    "  --k auto|N             number of people (default auto)\n"
    "  --choose METHOD        auto k: silhouette (Rousseeuw's, default), medoid-silhouette or radius\n"
    "  --radius R             radius method: fused distance beyond which two faces differ (0.25)\n"
    "  --k-max N              silhouette methods: largest k tried (default min(n, 100))\n"
    "  --algorithm A          fasterpam (default) or parkjun\n"
    "  --seed S               random seed (default 1)\n"
    "  --cues LIST            name=weight list from eigen, sift, band, body, siftbody, background,\n"
    "                         descriptor (the 128-d face descriptor: computed only when weighted)\n"
    "                         (default eigen=1,sift=1,band=1,body=1,background=0.5)\n"
    "  --scale rank|zscore    per-album scale of each cue (default rank)\n"
    "  --no-constraint        allow two faces of one photo in one cluster\n"
    "  --clothing-everywhere  same-event cues count between all photos (no capture times)\n"
    "  --cooccurrence W       pull of photo companions' clusters on a face (\"Ernie is usually\n"
    "                         with Bert\"), in fused-distance units; 0 = off (default 0)\n"
    "  --names FILE           named faces (label file, boxes matched at IoU >= 0.3): seeds\n"
    "  --threshold X          naming: least confidence for a suggestion (default 0.6)\n"
    "  --model FILE           eigenface model (default: trained on the album's faces)\n"
    "  --device D             pairwise distances on auto (default), cpu or gpu\n"
    "  --threads N            worker threads (default: all CPUs)\n"
    "  --out FILE             CSV output (default: standard output); a file there that is not\n"
    "                         an earlier output of cluster is never replaced\n",
    run,
};

typedef struct options {
    const char *album, *labels, *k, *choose, *algorithm, *cues, *scale, *names, *model, *device;
    const char *out, *features, *save, *method, *models, *calibration;
    double radius, threshold, cooccurrence;
    int k_max, seed, no_constraint, everywhere, threads, thesis, no_support, stranger, clothing;
} options;

/* The clustering options into the back end's parameters; a usage error's message otherwise. */
static const char *to_people(const options *o, pr_people_params *pp)
{
    *pp = pr_people_params_default();
    if (strcmp(o->k, "auto") != 0) {
        char *end;
        long v = strtol(o->k, &end, 10);
        if (*end || v < 1 || v > 1000000)
            return "--k must be auto or a positive integer";
        pp->cluster.k = (int)v;
    }
    if (strcmp(o->choose, "silhouette") && strcmp(o->choose, "medoid-silhouette") &&
        strcmp(o->choose, "radius"))
        return "--choose must be silhouette, medoid-silhouette or radius";
    if (strcmp(o->algorithm, "fasterpam") && strcmp(o->algorithm, "parkjun"))
        return "--algorithm must be fasterpam or parkjun";
    if (strcmp(o->scale, "rank") && strcmp(o->scale, "zscore"))
        return "--scale must be rank or zscore";
    int dev = pr_cli_parse_device(o->device);
    if (dev < 0)
        return "--device must be auto, cpu or gpu";
    if (pr_instances_parse_cues(o->cues ? o->cues : "eigen=1,sift=1,band=1,body=1,background=0.5",
                                pp->cues.weights) != PR_OK)
        return "bad --cues list";
    if (strcmp(o->method, "auto") && strcmp(o->method, "calibrated") &&
        strcmp(o->method, "kmedoids"))
        return "--cluster must be auto, calibrated or kmedoids";
    if (o->thesis && (o->cues || strcmp(o->method, "auto")))
        return "--thesis sets the cues and the clustering itself";
    pp->method = !strcmp(o->method, "calibrated") ? PR_PEOPLE_CALIBRATED
                 : !strcmp(o->method, "kmedoids") || o->cues || o->thesis ? PR_PEOPLE_KMEDOIDS
                                                                           : PR_PEOPLE_AUTO;
    /* k-medoids options (a fixed k, another way to choose it) ask for k-medoids. */
    if (pp->method == PR_PEOPLE_AUTO && (pp->cluster.k > 0 || strcmp(o->choose, "silhouette")))
        pp->method = PR_PEOPLE_KMEDOIDS;
    if (o->k_max < 0) /* 0: the default, min(n, 100) */
        return "--k-max must be a positive number of people";
    if (!(o->radius >= 0) || !(o->threshold >= 0 && o->threshold <= 1) ||
        !(o->cooccurrence >= 0) || !isfinite(o->cooccurrence))
        return "--radius and --cooccurrence must be >= 0, --threshold in [0, 1]";
    pp->cues.scale = strcmp(o->scale, "rank") ? PR_FUSION_ZSCORE : PR_FUSION_RANK;
    pp->cues.clothing_everywhere = o->everywhere;
    pp->cues.device = (pr_distance_device)dev;
    pr_instances_cluster_params *cp = &pp->cluster;
    cp->constraint = !o->no_constraint;
    pp->agglomerative.support = !o->no_support;
    pp->stranger = o->stranger;
    pp->clothing = o->clothing;
    cp->cooccurrence = o->cooccurrence;
    cp->choose.method = strcmp(o->choose, "radius") ? PR_CHOOSE_K_SILHOUETTE : PR_CHOOSE_K_RADIUS;
    cp->choose.criterion = strcmp(o->choose, "medoid-silhouette") ? PR_SILHOUETTE_MEAN
                                                                   : PR_SILHOUETTE_MEDOID;
    cp->choose.radius = o->radius;
    cp->choose.k_max = o->k_max;
    cp->choose.kmedoids.algorithm =
        strcmp(o->algorithm, "parkjun") ? PR_KMEDOIDS_FASTERPAM : PR_KMEDOIDS_PARKJUN;
    cp->choose.kmedoids.seed = (uint64_t)o->seed;
    pp->naming.threshold = o->threshold;
    return NULL;
}

/* A temporary folder for the store of an album clustered without --save-features. */
static char *temp_store(char *dir, size_t size)
{
    const char *tmp = getenv("TMPDIR");
    snprintf(dir, size, "%s/personrec-cluster-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    if (!mkdtemp(dir))
        return NULL;
    return pr_path_join_new(dir, "album.db");
}

static void remove_temp(const char *dir, const char *db)
{
    static const char *const suffix[] = {"", "-wal", "-shm", "-journal", ".lock"};
    char path[4200];
    for (size_t i = 0; i < sizeof suffix / sizeof *suffix; i++) {
        snprintf(path, sizeof path, "%s%s", db, suffix[i]);
        unlink(path);
    }
    rmdir(dir);
}

/* A saved store whose descriptors another alignment made (pr_face_net_front_end) does not fit the
 * shipped calibration, which belongs to the default's: said once, and clustered as asked (it may
 * be a measurement with --calibration); `label` on its album would recompute them. A store from
 * before the stamp (PR_STORE_META_FRONT_END absent) with descriptors holds face-api's own (the
 * square, no flip): said so too. */
static pr_status warn_other_front_end(const options *o)
{
    if (!o->features || o->calibration || !pr_file_exists(o->features))
        return PR_OK; /* (a missing store is the recluster's error to report) */
    pr_store *store = NULL;
    char *made = NULL, current[96], square[96];
    pr_face_net_params np = pr_face_net_params_default();
    pr_face_net_front_end(&np, current, sizeof current);
    np.align = PR_FACE_ALIGN_DLIB_SQUARE;
    np.flip = 0;
    pr_face_net_front_end(&np, square, sizeof square);
    int any = 0;
    pr_status st = pr_store_open(o->features, &store);
    if (st == PR_OK)
        st = pr_store_meta_get(store, PR_STORE_META_FRONT_END, &made);
    if (st == PR_OK && !made)
        st = pr_store_has_descriptors(store, &any);
    if (st == PR_OK && made && strcmp(made, current) != 0)
        fprintf(stderr,
                "personrec cluster: %s: its descriptors were made by %s, the shipped calibration "
                "is for %s (run `personrec label` on its album to recompute them, or give "
                "--calibration)\n",
                o->features, made, current);
    else if (st == PR_OK && !made && any && strcmp(square, current) != 0)
        fprintf(stderr,
                "personrec cluster: %s: its descriptors were made before personrec recorded the "
                "front end (%s), the shipped calibration is for %s (run `personrec label` on its "
                "album to recompute them, or give --calibration)\n",
                o->features, square, current);
    pr_free(made);
    pr_store_close(store);
    return st;
}

/* Labels (or re-clusters) into the store, then writes the CSV from it. */
static pr_status cluster(const options *o, pr_album_params *ap)
{
    pr_album_summary sum;
    pr_status wst = warn_other_front_end(o);
    if (wst != PR_OK)
        return wst;
    /* Failing photos are named by the scan itself (pr_report_problem); run() exits 1 for them. */
    pr_status st = o->features ? pr_album_recluster(ap) : pr_album_label(ap, &sum);
    pr_store *store = NULL;
    if (st == PR_OK)
        st = pr_store_open(ap->db, &store);
    pr_store_counts counts;
    if (st == PR_OK && (st = pr_store_count(store, &counts)) == PR_OK)
        fprintf(stderr, "personrec cluster: %d faces in %d photos, %d people\n", counts.faces,
                counts.photos, counts.people);
    if (st == PR_OK)
        st = pr_album_write_csv(store, o->out, 0);
    pr_store_close(store);
    return st;
}

/* --out names the CSV to write. A file there that is not one written by cluster (the album store
 * after a tab completion of ALBUM/.personrec/, a photo, a truth file) is someone's data: it was
 * replaced at the end of the run, a store with every name a person gave. Checked before the run;
 * no file, an empty one or an earlier output go on. */
static int out_replaceable(const char *path)
{
    static const char head[] = "image,x,y,w,h,person,confidence";
    char got[sizeof head - 1];
    size_t n = pr_file_head(path, got, sizeof got);
    return n == 0 || (n == sizeof got && memcmp(got, head, n) == 0);
}

static int run(int argc, char **argv)
{
    options o = {.k = "auto", .choose = "silhouette", .algorithm = "fasterpam",
                 .method = "auto", .scale = "rank",
                 .device = "auto", .radius = 0.25, .threshold = 0.6, .seed = 1};
    const pr_option opts[] = {
        {"album", PR_OPT_STRING, &o.album},     {"labels", PR_OPT_STRING, &o.labels},
        {"k", PR_OPT_STRING, &o.k},             {"choose", PR_OPT_STRING, &o.choose},
        {"radius", PR_OPT_DOUBLE, &o.radius},   {"k-max", PR_OPT_INT, &o.k_max},
        {"algorithm", PR_OPT_STRING, &o.algorithm}, {"seed", PR_OPT_INT, &o.seed},
        {"cues", PR_OPT_STRING, &o.cues},       {"scale", PR_OPT_STRING, &o.scale},
        {"no-constraint", PR_OPT_FLAG, &o.no_constraint},
        {"clothing-everywhere", PR_OPT_FLAG, &o.everywhere},
        {"cooccurrence", PR_OPT_DOUBLE, &o.cooccurrence},
        {"names", PR_OPT_STRING, &o.names},     {"threshold", PR_OPT_DOUBLE, &o.threshold},
        {"model", PR_OPT_STRING, &o.model},     {"device", PR_OPT_STRING, &o.device},
        {"threads", PR_OPT_INT, &o.threads},    {"out", PR_OPT_STRING, &o.out},
        {"features", PR_OPT_STRING, &o.features}, {"save-features", PR_OPT_STRING, &o.save},
        {"cluster", PR_OPT_STRING, &o.method},  {"thesis", PR_OPT_FLAG, &o.thesis},
        {"models", PR_OPT_STRING, &o.models},
        {"no-support", PR_OPT_FLAG, &o.no_support}, {"stranger", PR_OPT_FLAG, &o.stranger},
        {"clothing", PR_OPT_FLAG, &o.clothing}, {"calibration", PR_OPT_STRING, &o.calibration},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int npos = 0;
    int rc = pr_cli_parse(&pr_cmd_cluster, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (npos > 0)
        return pr_cli_usage_error(&pr_cmd_cluster, "unexpected argument %s", argv[1]);
    if (!o.album == !o.features)
        return pr_cli_usage_error(&pr_cmd_cluster, "give one of --album DIR or --features FILE");
    if (o.out && !out_replaceable(o.out)) {
        fprintf(stderr,
                "personrec cluster: %s: --out would replace a file that is not a CSV written by "
                "cluster; it was left as it is (name another file)\n",
                o.out);
        return PR_EXIT_FAIL;
    }
    pr_album_params ap = pr_album_params_default();
    const char *bad = to_people(&o, &ap.people);
    if (bad)
        return pr_cli_usage_error(&pr_cmd_cluster, "%s", bad);

    int status = PR_EXIT_FAIL;
    pr_face_labels *labels = NULL, *names = NULL;
    pr_eigenfaces *model = NULL;
    char *cal_text = NULL;
    char tmpdir[4096] = "", *db = NULL;
    const char *what = "cluster";
    if (o.labels && pr_face_labels_load(o.labels, &labels) != PR_OK) {
        what = o.labels;
        goto done;
    }
    if (o.names && pr_face_labels_load(o.names, &names) != PR_OK) {
        what = o.names;
        goto done;
    }
    size_t cal_size = 0;
    if (o.calibration && pr_file_read_all(o.calibration, 0, &cal_text, &cal_size) != PR_OK) {
        what = o.calibration;
        goto done;
    }
    ap.people.calibration = cal_text;
    if (o.model && pr_eigenfaces_load(o.model, &model) != PR_OK) {
        what = o.model;
        goto done;
    }
    if (model) {
        pr_eigenfaces_params mp = pr_eigenfaces_model_params(model);
        ap.people.model = model;
        ap.people.eigen.width = mp.width;
        ap.people.eigen.height = mp.height;
        ap.people.eigen.equalize = mp.equalize;
    }
    db = o.features ? pr_strdup(o.features) : o.save ? pr_strdup(o.save)
                                                     : temp_store(tmpdir, sizeof tmpdir);
    if (!db) {
        pr_set_error(PR_ERR_IO, "cannot make a temporary store");
        goto done;
    }
    ap.album = o.features ? NULL : o.album;
    ap.db = db;
    ap.out = tmpdir[0] ? tmpdir : NULL;
    ap.no_outputs = 1;
    ap.read_labels = 0; /* names come from --names only */
    ap.labels = labels;
    ap.names = names;
    ap.threads = o.threads;
    ap.descriptor = ap.people.cues.weights[PR_CUE_DESCRIPTOR] > 0 ||
                    (ap.people.method != PR_PEOPLE_KMEDOIDS &&
                     pr_face_net_models_available(o.models, "cluster"));
    ap.models_dir = o.models;
    ap.progress = 1;
    if (cluster(&o, &ap) == PR_OK)
        status = PR_EXIT_OK;
    what = "cluster"; /* the pipeline's messages name the album or store themselves */
done:
    if (status != PR_EXIT_OK)
        pr_cli_report_error(what);
    else if (pr_problem_count() > 0)
        status = PR_EXIT_FAIL; /* clustered without the photos named on stderr, as label */
    if (tmpdir[0] && db)
        remove_temp(tmpdir, db);
    pr_free(db);
    pr_free(cal_text);
    pr_eigenfaces_delete(model);
    pr_face_labels_delete(labels);
    pr_face_labels_delete(names);
    return status;
}

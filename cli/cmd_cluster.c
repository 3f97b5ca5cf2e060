/* requires: core cluster features detect datasets
 * personrec cluster: group the faces of an album into people (detect -> person records -> the
 * shared path of cluster/instances.h: cues, fused distances, k-medoids with the same-photo
 * constraint, the same code as `personrec label`), optionally naming them from seeds. */
#include "cli/cli.h"
#include "cluster/instances.h"
#include "cluster/matrix.h"
#include "cluster/naming.h"
#include "core/alloc.h"
#include "core/box.h"
#include "core/files.h"
#include "core/image.h"
#include "core/threadpool.h"
#include "datasets/face_labels.h"
#include "detect/detect.h"
#include "features/context.h"
#include "features/eigenfaces.h"
#include "features/person.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_cluster = {
    "cluster",
    "group the faces of an album into people (k-medoids over fused cues)",
    "usage: personrec cluster (--album DIR [--labels FILE] [--save-features F] | --features F)\n"
    "                         [--k auto|N] [--choose silhouette|medoid-silhouette|radius]\n"
    "                         [--radius R] [--k-max N] [--algorithm fasterpam|parkjun] [--seed S]\n"
    "                         [--cues LIST] [--scale rank|zscore] [--no-constraint]\n"
    "                         [--clothing-everywhere] [--cooccurrence W] [--names FILE]\n"
    "                         [--threshold X]\n"
    "                         [--model FILE] [--device auto|cpu|gpu] [--threads N] [--out FILE]\n"
    "\n"
    "Finds the faces of every photo under DIR (the detector, or the boxes of --labels), describes\n"
    "each (eigenface coefficients, face SIFT, face/hair band, clothing and background colour),\n"
    "maps each cue's pairwise distances to [0, 1] over the album and fuses them (missing cues drop\n"
    "out; clothing, body SIFT and background count only within one event, from EXIF time), then\n"
    "clusters with k-medoids so that two faces of one photo are never one person. Writes CSV\n"
    "image,x,y,w,h,person,confidence (image relative to DIR; person = person_NN, or a name when\n"
    "--names gives seeds; confidence = the medoid silhouette, or the naming confidence).\n"
    "\n"
    "options:\n"
    "  --album DIR            the photos (searched recursively)\n"
    "  --labels FILE          face boxes from a label file instead of the detector\n"
    "  --save-features F      also save the faces and their cues to F\n"
    "  --features F           cluster faces saved earlier instead of reading an album\n"
    "  --k auto|N             number of people (default auto)\n"
    "  --choose METHOD        auto k: silhouette (Rousseeuw's, default), medoid-silhouette or radius\n"
    "  --radius R             radius method: fused distance beyond which two faces differ (0.25)\n"
    "  --k-max N              silhouette methods: largest k tried (default min(n, 100))\n"
    "  --algorithm A          fasterpam (default) or parkjun\n"
    "  --seed S               random seed (default 1)\n"
    "  --cues LIST            name=weight list from eigen, sift, band, body, siftbody, background\n"
    "                         (default eigen=1,sift=1,band=1,body=1,background=0.5)\n"
    "  --scale rank|zscore    per-album scale of each cue (default rank)\n"
    "  --no-constraint        allow two faces of one photo in one cluster\n"
    "  --clothing-everywhere  same-event cues count between all photos (no capture times)\n"
    "  --cooccurrence W       pull of photo companions' clusters on a face (\"Ernie is usually\n"
    "                         with Bert\"), in fused-distance units; 0 = off (default 0)\n"
    "  --names FILE           named faces (label file, boxes matched at IoU >= 0.5): suggest names\n"
    "  --threshold X          naming: least confidence for a suggestion (default 0.6)\n"
    "  --model FILE           eigenface model (default: trained on the album's faces)\n"
    "  --device D             pairwise distances on auto (default), cpu or gpu\n"
    "  --threads N            worker threads (default: all CPUs)\n"
    "  --out FILE             CSV output (default: standard output)\n",
    run,
};

typedef struct instance {
    char *image; /* photo path relative to the album; owned */
    int photo;
    pr_box box;
    pr_person *person;
    uint8_t *crop; /* 8-bit grey face crop for the eigenfaces, or NULL */
} instance;

typedef struct album_run {
    pr_file_list photos;
    const char *root;
    instance *inst;
    int n, cap;
} album_run;

static const char *relative(const album_run *a, const char *path)
{
    size_t lr = strlen(a->root);
    if (strncmp(path, a->root, lr) == 0 && path[lr] == '/')
        return path + lr + 1;
    return path;
}

static int same_image(const char *label_image, const char *rel)
{
    if (strcmp(label_image, rel) == 0)
        return 1;
    size_t la = strlen(label_image), lr = strlen(rel);
    return la > lr && strcmp(label_image + la - lr, rel) == 0 && label_image[la - lr - 1] == '/';
}

/* --- saved instances (--save-features / --features) ---------------------------------------------
 * "PRCLF001", u32 count, then per instance: u32 length + relative image path, u32 length + the
 * pr_person blob (features/person.h: box, cues, photo index, event id). Little-endian. */

static int put_u32(FILE *f, uint32_t v)
{
    unsigned char b[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    return fwrite(b, 1, 4, f) == 4 ? 0 : -1;
}

static int get_u32(FILE *f, uint32_t *v)
{
    unsigned char b[4];
    if (fread(b, 1, 4, f) != 4)
        return -1;
    *v = (uint32_t)b[0] | (uint32_t)b[1] << 8 | (uint32_t)b[2] << 16 | (uint32_t)b[3] << 24;
    return 0;
}

static pr_status save_features(const album_run *a, const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s.tmp", path);
    FILE *f = fopen(tmp, "wb");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot write", tmp);
    int bad = fwrite("PRCLF001", 1, 8, f) != 8 || put_u32(f, (uint32_t)a->n);
    for (int i = 0; i < a->n && !bad; i++) {
        uint8_t *blob = NULL;
        size_t size = 0;
        if (pr_person_serialize(a->inst[i].person, &blob, &size) != PR_OK) {
            fclose(f);
            remove(tmp);
            return pr_last_status();
        }
        size_t len = strlen(a->inst[i].image);
        bad = put_u32(f, (uint32_t)len) || fwrite(a->inst[i].image, 1, len, f) != len ||
              put_u32(f, (uint32_t)size) || fwrite(blob, 1, size, f) != size;
        pr_free(blob);
    }
    if (fclose(f) != 0 || bad || rename(tmp, path) != 0) {
        remove(tmp);
        return pr_set_error(PR_ERR_IO, "%s: write failed", path);
    }
    return PR_OK;
}

static pr_status load_features(const char *path, album_run *a)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot open", path);
    pr_status st = PR_OK;
    char magic[8];
    uint32_t count = 0;
    uint8_t *blob = NULL;
    if (fread(magic, 1, 8, f) != 8 || memcmp(magic, "PRCLF001", 8) || get_u32(f, &count) ||
        count > 10000000u) {
        st = pr_set_error(PR_ERR_FORMAT, "%s: not a personrec cluster features file", path);
        goto done;
    }
    if (!(a->inst = pr_calloc(count ? count : 1, sizeof *a->inst))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory reading %s", path);
        goto done;
    }
    a->cap = (int)count;
    for (uint32_t i = 0; i < count; i++) {
        uint32_t len, size;
        if (get_u32(f, &len) || len > 65536) {
            st = pr_set_error(PR_ERR_FORMAT, "%s: instance %u: bad path length", path, i);
            goto done;
        }
        instance *in = &a->inst[a->n];
        if (!(in->image = pr_malloc(len + 1)) || fread(in->image, 1, len, f) != len ||
            get_u32(f, &size) || size > (64u << 20) || !(blob = pr_malloc(size ? size : 1)) ||
            fread(blob, 1, size, f) != size) {
            pr_free(in->image);
            in->image = NULL;
            st = pr_set_error(PR_ERR_FORMAT, "%s: instance %u: truncated", path, i);
            goto done;
        }
        in->image[len] = 0;
        if ((st = pr_person_deserialize(blob, size, &in->person)) != PR_OK) {
            pr_free(in->image);
            in->image = NULL;
            pr_error_context(st, "%s: instance %u", path, i);
            goto done;
        }
        pr_free(blob);
        blob = NULL;
        in->box = in->person->face;
        in->photo = in->person->photo_index;
        a->n++;
    }
done:
    pr_free(blob);
    fclose(f);
    return st;
}

/* --- the command -------------------------------------------------------------------------------- */

static int run(int argc, char **argv)
{
    const char *album = NULL, *labels_file = NULL, *k_text = "auto", *choose = "silhouette";
    const char *algorithm = "fasterpam", *cues_text = "eigen=1,sift=1,band=1,body=1,background=0.5";
    const char *scale = "rank", *names_file = NULL, *model_file = NULL, *device = "auto";
    const char *out_path = NULL, *features_file = NULL, *save_file = NULL;
    double radius = 0.25, threshold = 0.6, cooccurrence = 0;
    int k_max = 0, seed = 1, no_constraint = 0, everywhere = 0, threads = 0;
    const pr_option opts[] = {
        {"album", PR_OPT_STRING, &album},
        {"labels", PR_OPT_STRING, &labels_file},
        {"k", PR_OPT_STRING, &k_text},
        {"choose", PR_OPT_STRING, &choose},
        {"radius", PR_OPT_DOUBLE, &radius},
        {"k-max", PR_OPT_INT, &k_max},
        {"algorithm", PR_OPT_STRING, &algorithm},
        {"seed", PR_OPT_INT, &seed},
        {"cues", PR_OPT_STRING, &cues_text},
        {"scale", PR_OPT_STRING, &scale},
        {"no-constraint", PR_OPT_FLAG, &no_constraint},
        {"clothing-everywhere", PR_OPT_FLAG, &everywhere},
        {"cooccurrence", PR_OPT_DOUBLE, &cooccurrence},
        {"names", PR_OPT_STRING, &names_file},
        {"threshold", PR_OPT_DOUBLE, &threshold},
        {"model", PR_OPT_STRING, &model_file},
        {"device", PR_OPT_STRING, &device},
        {"threads", PR_OPT_INT, &threads},
        {"out", PR_OPT_STRING, &out_path},
        {"features", PR_OPT_STRING, &features_file},
        {"save-features", PR_OPT_STRING, &save_file},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int npos = 0;
    int rc = pr_cli_parse(&pr_cmd_cluster, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (npos > 0)
        return pr_cli_usage_error(&pr_cmd_cluster, "unexpected argument %s", argv[1]);
    if (!album == !features_file)
        return pr_cli_usage_error(&pr_cmd_cluster, "give one of --album DIR or --features FILE");
    int fixed_k = 0;
    if (strcmp(k_text, "auto") != 0) {
        char *end;
        long v = strtol(k_text, &end, 10);
        if (*end || v < 1 || v > 1000000)
            return pr_cli_usage_error(&pr_cmd_cluster, "--k must be auto or a positive integer");
        fixed_k = (int)v;
    }
    if (strcmp(choose, "silhouette") && strcmp(choose, "medoid-silhouette") &&
        strcmp(choose, "radius"))
        return pr_cli_usage_error(&pr_cmd_cluster,
                                  "--choose must be silhouette, medoid-silhouette or radius");
    if (strcmp(algorithm, "fasterpam") && strcmp(algorithm, "parkjun"))
        return pr_cli_usage_error(&pr_cmd_cluster, "--algorithm must be fasterpam or parkjun");
    if (strcmp(scale, "rank") && strcmp(scale, "zscore"))
        return pr_cli_usage_error(&pr_cmd_cluster, "--scale must be rank or zscore");
    int dev = pr_cli_parse_device(device);
    if (dev < 0)
        return pr_cli_usage_error(&pr_cmd_cluster, "--device must be auto, cpu or gpu");
    pr_instances_params ip = pr_instances_params_default();
    if (pr_instances_parse_cues(cues_text, ip.weights) != PR_OK)
        return pr_cli_usage_error(&pr_cmd_cluster, "bad --cues list '%s': %s", cues_text,
                                  pr_last_error());
    ip.scale = strcmp(scale, "rank") ? PR_FUSION_ZSCORE : PR_FUSION_RANK;
    ip.clothing_everywhere = everywhere;
    ip.device = (pr_distance_device)dev;
    ip.threads = threads;
    const double *weights = ip.weights;
    if (!(radius >= 0) || !(threshold >= 0 && threshold <= 1) || !(cooccurrence >= 0) ||
        !isfinite(cooccurrence))
        return pr_cli_usage_error(&pr_cmd_cluster,
                                  "--radius and --cooccurrence must be >= 0, --threshold in [0, 1]");

    int status = PR_EXIT_FAIL, failed = 0;
    album_run a;
    memset(&a, 0, sizeof a);
    a.root = album;
    pr_face_labels *labels = NULL, *names = NULL;
    pr_detector *det = NULL;
    pr_eigenfaces *model = NULL;
    pr_faces det_faces = {0};
    pr_box *boxes = NULL;
    pr_person **persons = NULL;
    double *times = NULL, *inst_time = NULL;
    int *seed_name = NULL, *name_out = NULL;
    int32_t *group = NULL, *event32 = NULL;
    const uint8_t **crops = NULL;
    pr_person **inst_person = NULL;
    double *conf = NULL;
    float *fused = NULL;
    FILE *out = stdout;
    pr_kmedoids_result res;
    memset(&res, 0, sizeof res);

    char *root = NULL;
    if (features_file) {
        if (load_features(features_file, &a) != PR_OK) {
            pr_cli_report_error(features_file);
            goto done;
        }
        album = ".";
    }
    size_t alen = strlen(album);
    while (alen > 1 && album[alen - 1] == '/')
        alen--;
    root = pr_malloc(alen + 1);
    if (!root)
        goto done;
    memcpy(root, album, alen);
    root[alen] = 0;
    a.root = root;
    if (!features_file && pr_list_images(root, &a.photos) != PR_OK) {
        pr_cli_report_error(root);
        goto done;
    }
    if (labels_file && pr_face_labels_load(labels_file, &labels) != PR_OK) {
        pr_cli_report_error(labels_file);
        goto done;
    }
    if (names_file && pr_face_labels_load(names_file, &names) != PR_OK) {
        pr_cli_report_error(names_file);
        goto done;
    }
    if (!labels && !features_file) {
        pr_detector_params dp = pr_detector_params_default();
        if (pr_detector_new(&dp, &det) != PR_OK) {
            pr_cli_report_error("face detector");
            goto done;
        }
    }
    if (model_file && pr_eigenfaces_load(model_file, &model) != PR_OK) {
        pr_cli_report_error(model_file);
        goto done;
    }
    int nphotos = (int)a.photos.count;
    times = pr_malloc_array((size_t)(nphotos ? nphotos : 1), sizeof *times);
    if (!times)
        goto nomem;

    pr_instances_eigen_params ep = pr_instances_eigen_params_default();
    if (model) {
        pr_eigenfaces_params mp = pr_eigenfaces_model_params(model);
        ep.width = mp.width;
        ep.height = mp.height;
        ep.equalize = mp.equalize;
    }
    pr_person_params pp = pr_person_params_default();
    pp.sift = weights[PR_CUE_SIFT] > 0 || weights[PR_CUE_SIFT_BODY] > 0;
    for (int ph = 0; !features_file && ph < nphotos; ph++) {
        const char *path = a.photos.paths[ph];
        const char *rel = relative(&a, path);
        times[ph] = NAN;
        int nb = 0;
        pr_free(boxes);
        boxes = NULL;
        if (labels) { /* photos without labelled faces need not be decoded */
            for (size_t q = 0; q < labels->count; q++)
                nb += same_image(labels->items[q].image, rel);
            if (nb == 0)
                continue;
        }
        pr_image *img = NULL;
        pr_image_info info;
        pr_image_load_params lp = pr_image_load_params_default();
        lp.channels = 3;
        if (pr_image_load(path, &lp, &img, &info) != PR_OK) {
            pr_cli_report_error(path);
            failed = 1;
            continue;
        }
        double secs;
        if (info.has_datetime && pr_exif_time_seconds(info.datetime, &secs) == 0)
            times[ph] = secs;
        nb = 0;
        if (labels) {
            boxes = pr_malloc_array(labels->count ? labels->count : 1, sizeof *boxes);
            for (size_t q = 0; boxes && q < labels->count; q++)
                if (same_image(labels->items[q].image, rel))
                    boxes[nb++] = labels->items[q].box;
        } else if (pr_detector_run(det, img, &det_faces) == PR_OK) {
            boxes = pr_malloc_array(det_faces.count ? det_faces.count : 1, sizeof *boxes);
            for (size_t q = 0; boxes && q < det_faces.count; q++)
                boxes[nb++] = det_faces.items[q].box;
        } else {
            pr_cli_report_error(path);
            failed = 1;
            pr_image_delete(img);
            continue;
        }
        persons = pr_calloc((size_t)(nb ? nb : 1), sizeof *persons);
        if (!boxes || !persons ||
            pr_person_extract_photo(img, boxes, nb, NULL, 0, &pp, NULL, persons) != PR_OK) {
            pr_cli_report_error(path);
            pr_image_delete(img);
            goto done;
        }
        for (int q = 0; q < nb; q++) {
            if (a.n == a.cap) {
                int cap = a.cap ? 2 * a.cap : 64;
                instance *ni = pr_realloc(a.inst, (size_t)cap * sizeof *ni);
                if (!ni) {
                    for (int r = q; r < nb; r++)
                        pr_person_delete(persons[r]);
                    pr_image_delete(img);
                    goto nomem;
                }
                a.inst = ni;
                a.cap = cap;
            }
            instance *in = &a.inst[a.n++];
            in->image = pr_strdup(rel);
            in->photo = ph;
            in->box = boxes[q];
            in->person = persons[q];
            in->person->photo_index = ph;
            in->person->time = times[ph];
            in->crop = pr_malloc_array((size_t)ep.width * ep.height, 1);
            if (in->crop && pr_instances_face_crop(img, &boxes[q], &ep, in->crop) != PR_OK) {
                pr_free(in->crop); /* a face too small for a crop has no eigen cue */
                in->crop = NULL;
            }
        }
        pr_free(persons);
        persons = NULL;
        pr_image_delete(img);
    }
    const int n = a.n;
    if (!features_file)
        fprintf(stderr, "personrec cluster: %d faces in %d photos\n", n, nphotos);
    if (n == 0) {
        status = failed ? PR_EXIT_FAIL : PR_EXIT_OK;
        goto done;
    }

    /* Eigenfaces, events, cues, fusion and k-medoids: cluster/instances.h, as `personrec label`. */
    group = pr_malloc_array((size_t)n, sizeof *group);
    event32 = pr_malloc_array((size_t)n, sizeof *event32);
    inst_time = pr_malloc_array((size_t)n, sizeof *inst_time);
    crops = pr_calloc((size_t)n, sizeof *crops);
    inst_person = pr_calloc((size_t)n, sizeof *inst_person);
    if (!group || !event32 || !inst_time || !crops || !inst_person)
        goto nomem;
    for (int i = 0; i < n; i++) {
        if (!a.inst[i].image)
            goto nomem;
        group[i] = a.inst[i].photo;
        inst_time[i] = features_file ? NAN : times[a.inst[i].photo];
        crops[i] = a.inst[i].crop;
        inst_person[i] = a.inst[i].person;
    }
    if (weights[PR_CUE_EIGEN] > 0 &&
        pr_instances_eigenfaces(&ep, crops, n, model, inst_person, NULL) != PR_OK)
        pr_cli_report_error("eigenfaces");
    if (!features_file) {
        if (pr_instances_events(inst_time, group, n, event32) != PR_OK) {
            pr_cli_report_error("events");
            goto done;
        }
        for (int i = 0; i < n; i++)
            a.inst[i].person->event_id = event32[i];
    }
    for (int i = 0; i < n; i++)
        event32[i] = a.inst[i].person->event_id; /* saved features keep their events */
    int timed = 0;
    for (int i = 0; i < n; i++)
        timed += a.inst[i].person->event_id >= 0;
    fprintf(stderr, "personrec cluster: %d of %d faces have a capture time (event)%s\n", timed, n,
            everywhere ? "; same-event cues count everywhere" : "");
    if (save_file) {
        if (save_features(&a, save_file) != PR_OK) {
            pr_cli_report_error(save_file);
            goto done;
        }
        fprintf(stderr, "personrec cluster: saved %d faces to %s\n", n, save_file);
    }

    if (!(fused = pr_matrix_alloc((size_t)n, (size_t)n)))
        goto nomem;
    if (pr_instances_distances(&ip, (const pr_person *const *)inst_person, n, event32, fused) !=
        PR_OK) {
        pr_cli_report_error("distances");
        goto done;
    }
    pr_instances_cluster_params cp = pr_instances_cluster_params_default();
    cp.k = fixed_k;
    cp.constraint = !no_constraint;
    cp.cooccurrence = cooccurrence;
    cp.choose.method = strcmp(choose, "radius") ? PR_CHOOSE_K_SILHOUETTE : PR_CHOOSE_K_RADIUS;
    cp.choose.criterion = strcmp(choose, "medoid-silhouette") ? PR_SILHOUETTE_MEAN
                                                              : PR_SILHOUETTE_MEDOID;
    cp.choose.radius = radius;
    cp.choose.k_max = k_max;
    cp.choose.kmedoids.algorithm =
        strcmp(algorithm, "parkjun") ? PR_KMEDOIDS_FASTERPAM : PR_KMEDOIDS_PARKJUN;
    cp.choose.kmedoids.seed = (uint64_t)seed;
    cp.choose.kmedoids.threads = threads;
    int moved = 0;
    if (pr_instances_cluster(fused, n, group, &cp, &res, &moved) != PR_OK) {
        pr_cli_report_error("clustering");
        goto done;
    }
    if (cp.constraint && cooccurrence > 0)
        fprintf(stderr, "personrec cluster: co-occurrence moved %d faces\n", moved);
    double sil = 0;
    pr_silhouette(fused, n, res.labels, res.k, threads, &sil, NULL);
    fprintf(stderr, "personrec cluster: %d people (loss %.3f, silhouette %.3f)\n", res.k, res.loss,
            sil);

    /* Names from seeds: a named label box matching an instance (same photo, IoU >= 0.5). */
    char **name_text = NULL;
    int nnames = 0;
    conf = pr_malloc_array((size_t)n, sizeof *conf);
    name_out = pr_malloc_array((size_t)n, sizeof *name_out);
    seed_name = pr_malloc_array((size_t)n, sizeof *seed_name);
    if (!conf || !name_out || !seed_name)
        goto nomem;
    for (int i = 0; i < n; i++) {
        seed_name[i] = -1;
        name_out[i] = -1;
        const float *row = fused + (size_t)i * n;
        double da = row[res.medoids[res.labels[i]]], db = INFINITY;
        for (int c = 0; c < res.k; c++)
            if (c != res.labels[i] && row[res.medoids[c]] < db)
                db = row[res.medoids[c]];
        double m = da > db ? da : db;
        double s = isinf(db) ? 1.0 : (m > 0 ? (db - da) / m : 0.0);
        conf[i] = s > 0 ? s : 0;
    }
    if (names) {
        name_text = pr_calloc(names->count ? names->count : 1, sizeof *name_text);
        if (!name_text)
            goto nomem;
        for (size_t q = 0; q < names->count; q++) {
            const pr_face_label *l = &names->items[q];
            if (!l->person || !*l->person)
                continue;
            int best = -1;
            double best_iou = 0.5;
            for (int i = 0; i < n; i++) {
                if (!same_image(l->image, a.inst[i].image))
                    continue;
                double iou = pr_box_iou(l->box, a.inst[i].box);
                if (iou >= best_iou) {
                    best_iou = iou;
                    best = i;
                }
            }
            if (best < 0)
                continue;
            int id = -1;
            for (int t = 0; t < nnames; t++)
                if (!strcmp(name_text[t], l->person))
                    id = t;
            if (id < 0) {
                id = nnames;
                name_text[nnames++] = l->person;
            }
            seed_name[best] = id;
        }
        pr_suggest_params np = pr_suggest_params_default();
        np.threshold = threshold;
        if (pr_suggest_names(fused, n, res.labels, res.k, seed_name, &np, name_out, conf, NULL) !=
            PR_OK) {
            pr_free(name_text);
            pr_cli_report_error("naming");
            goto done;
        }
    }

    if (out_path && !(out = fopen(out_path, "w"))) {
        pr_free(name_text);
        pr_set_error(PR_ERR_IO, "cannot write");
        pr_cli_report_error(out_path);
        out = stdout;
        goto done;
    }
    fprintf(out, "image,x,y,w,h,person,confidence\n");
    for (int i = 0; i < n; i++) {
        const instance *in = &a.inst[i];
        const char *rel = in->image;
        /* CSV quoting only when a path needs it */
        if (strpbrk(rel, ",\"\n")) {
            fputc('"', out);
            for (const char *s = rel; *s; s++) {
                if (*s == '"')
                    fputc('"', out);
                fputc(*s, out);
            }
            fputc('"', out);
        } else {
            fputs(rel, out);
        }
        fprintf(out, ",%.0f,%.0f,%.0f,%.0f,", in->box.x, in->box.y, in->box.w, in->box.h);
        if (name_out[i] >= 0 && name_text)
            fprintf(out, "%s", name_text[name_out[i]]);
        else
            fprintf(out, "person_%02d", res.labels[i]);
        fprintf(out, ",%.3f\n", conf[i]);
    }
    pr_free(name_text);
    if (out != stdout && fclose(out) != 0) {
        out = stdout;
        pr_set_error(PR_ERR_IO, "write failed");
        pr_cli_report_error(out_path);
        goto done;
    }
    out = stdout;
    status = failed ? PR_EXIT_FAIL : PR_EXIT_OK;
    goto done;
nomem:
    pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_cli_report_error("cluster");
done:
    if (out != stdout)
        fclose(out);
    pr_kmedoids_result_free(&res);
    pr_matrix_free(fused);
    for (int i = 0; i < a.n; i++) {
        pr_person_delete(a.inst[i].person);
        pr_free(a.inst[i].crop);
        pr_free(a.inst[i].image);
    }
    pr_free(a.inst);
    pr_file_list_clear(&a.photos);
    pr_free(root);
    pr_free(boxes);
    pr_free(persons);
    pr_free(times);
    pr_free(inst_time);
    pr_free(crops);
    pr_free(inst_person);
    pr_free(seed_name);
    pr_free(name_out);
    pr_free(conf);
    pr_free(group);
    pr_free(event32);
    pr_faces_free(&det_faces);
    pr_detector_delete(det);
    pr_eigenfaces_delete(model);
    pr_face_labels_delete(labels);
    pr_face_labels_delete(names);
    return status;
}

/* requires: core segment
 * personrec eval segment: Felzenszwalb-Huttenlocher against BSDS500 human segmentations. */
#define _POSIX_C_SOURCE 200809L

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/files.h"
#include "core/image.h"
#include "core/json.h"
#include "core/labels.h"
#include "core/threadpool.h"
#include "segment/felzenszwalb.h"
#include "segment/quality.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_eval_segment = {
    "eval segment",
    "segmentation quality against human segmentations (BSDS500)",
    "usage: personrec eval segment --images DIR --truth DIR [options]\n"
    "\n"
    "Segments every image in DIR and compares it with each human segmentation TRUTH/<id>_<n>.png\n"
    "(16-bit label maps). Per k: mean segment count, achievable segmentation accuracy (ASA, best\n"
    "truth per image, and the mean over truths), undersegmentation error (UE, mean over truths)\n"
    "and boundary recall (BR, tolerance 2 px, mean over truths), averaged over the images.\n"
    "\n"
    "options:\n"
    "  --images DIR       the photos (e.g. ../shared/datasets/bsds500/images)\n"
    "  --truth DIR        the label maps (e.g. ../shared/datasets/bsds500/groundtruth)\n"
    "  --k LIST           comma-separated k values (default 100,300,500,1000)\n"
    "  --sigma S          pre-smoothing (default 0.8)\n"
    "  --min-size N       smallest segment (default 20)\n"
    "  --tolerance T      boundary recall tolerance in pixels (default 2)\n"
    "  --limit N          only the first N images (sorted by name)\n"
    "  --threads N        images in parallel (default: all CPUs)\n"
    "  --json             one JSON object per k\n",
    run,
};

enum { MAX_K = 32 };

typedef struct image_result {
    int ok;
    double asa_best, asa_mean, ue, br, segments, ms;
} image_result;

typedef struct job {
    char **images;
    const char *truth_dir;
    int n_images;
    double ks[MAX_K];
    int n_k;
    pr_fh_params params;
    double tolerance;
    image_result *res; /* n_images * n_k */
} job;

static void basename_id(const char *path, char *id, size_t size)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    snprintf(id, size, "%s", name);
    char *dot = strrchr(id, '.');
    if (dot)
        *dot = '\0';
}

static void do_image(void *ctx, long index, int worker)
{
    job *j = ctx;
    const char *path = j->images[index];
    char id[1024], tpath[4096];
    basename_id(path, id, sizeof id);
    pr_labels *truths[64];
    int nt = 0;
    for (int t = 0; t < 64; t++) {
        snprintf(tpath, sizeof tpath, "%s/%s_%d.png", j->truth_dir, id, t);
        FILE *probe = fopen(tpath, "rb");
        if (!probe)
            break;
        fclose(probe);
        if (pr_labels_load(tpath, &truths[nt]) != PR_OK) {
            fprintf(stderr, "personrec eval segment: %s: %s\n", tpath, pr_last_error());
            break;
        }
        nt++;
    }
    pr_image *img = NULL;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    if (nt == 0) {
        fprintf(stderr, "personrec eval segment: %s: no truth %s/%s_0.png\n", path, j->truth_dir,
                id);
        goto done;
    }
    if (pr_image_load(path, &lp, &img, NULL) != PR_OK) {
        fprintf(stderr, "personrec eval segment: %s: %s\n", path, pr_last_error());
        goto done;
    }
    for (int ki = 0; ki < j->n_k; ki++) {
        image_result *r = &j->res[(size_t)index * j->n_k + ki];
        pr_fh_params p = j->params;
        p.k = j->ks[ki];
        pr_labels *seg = NULL;
        pr_fh_stats st;
        if (pr_fh_segment(img, &p, &seg, &st) != PR_OK) {
            fprintf(stderr, "personrec eval segment: %s: %s\n", path, pr_last_error());
            continue;
        }
        double best = 0, asa = 0, ue = 0, br = 0;
        int used = 0;
        for (int t = 0; t < nt; t++) {
            pr_seg_quality q;
            if (truths[t]->width != img->width || truths[t]->height != img->height) {
                fprintf(stderr, "personrec eval segment: %s: truth %d is %dx%d, image %dx%d\n",
                        path, t, truths[t]->width, truths[t]->height, img->width, img->height);
                continue;
            }
            if (pr_seg_quality_compute(seg, truths[t], j->tolerance, &q) != PR_OK) {
                fprintf(stderr, "personrec eval segment: %s: %s\n", path, pr_last_error());
                continue;
            }
            best = q.asa > best ? q.asa : best;
            asa += q.asa;
            ue += q.ue;
            br += q.boundary_recall;
            used++;
        }
        if (used) {
            r->ok = 1;
            r->asa_best = best;
            r->asa_mean = asa / used;
            r->ue = ue / used;
            r->br = br / used;
            r->segments = st.segments;
            r->ms = st.ms_total;
        }
        pr_labels_delete(seg);
    }
done:
    pr_image_delete(img);
    for (int t = 0; t < nt; t++)
        pr_labels_delete(truths[t]);
    (void)worker;
}

static int parse_ks(const char *text, double *ks, int *n)
{
    *n = 0;
    const char *p = text;
    while (*p) {
        char *end = NULL;
        double v = strtod(p, &end);
        if (end == p || !(v > 0) || *n >= MAX_K)
            return -1;
        ks[(*n)++] = v;
        p = end;
        if (*p == ',')
            p++;
        else if (*p)
            return -1;
    }
    return *n > 0 ? 0 : -1;
}

static int run(int argc, char **argv)
{
    const char *images = NULL, *truth = NULL, *klist = "100,300,500,1000";
    int limit = 0, threads = 0, json = 0;
    double tolerance = 2.0;
    job j;
    memset(&j, 0, sizeof j);
    j.params = pr_fh_params_default();
    const pr_option opts[] = {
        {"images", PR_OPT_STRING, &images},
        {"truth", PR_OPT_STRING, &truth},
        {"k", PR_OPT_STRING, &klist},
        {"sigma", PR_OPT_DOUBLE, &j.params.sigma},
        {"min-size", PR_OPT_INT, &j.params.min_size},
        {"tolerance", PR_OPT_DOUBLE, &tolerance},
        {"limit", PR_OPT_INT, &limit},
        {"threads", PR_OPT_INT, &threads},
        {"json", PR_OPT_FLAG, &json},
        {NULL, PR_OPT_FLAG, NULL},
    };
    int npos = 0;
    int rc = pr_cli_parse(&pr_cmd_eval_segment, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (npos != 0)
        return pr_cli_usage_error(&pr_cmd_eval_segment, "unexpected argument %s", argv[1]);
    if (!images || !truth)
        return pr_cli_usage_error(&pr_cmd_eval_segment, "--images and --truth are required");
    if (parse_ks(klist, j.ks, &j.n_k) != 0)
        return pr_cli_usage_error(&pr_cmd_eval_segment,
                                  "--k must be positive numbers separated by commas (at most %d)",
                                  MAX_K);
    if (pr_fh_params_check(&j.params) != PR_OK)
        return pr_cli_usage_error(&pr_cmd_eval_segment, "%s", pr_last_error());
    if (!(tolerance >= 0 && tolerance <= 20))
        return pr_cli_usage_error(&pr_cmd_eval_segment, "--tolerance must be in [0, 20]");
    if (limit < 0 || threads < 0)
        return pr_cli_usage_error(&pr_cmd_eval_segment, "--limit and --threads must be >= 0");

    pr_file_list files = {0};
    pr_pool *pool = NULL;
    int status = PR_EXIT_FAIL;
    if (pr_list_images(images, &files) != PR_OK) {
        pr_cli_report_error(images);
        goto done;
    }
    if (files.count == 0) {
        fprintf(stderr, "personrec eval segment: %s: no images\n", images);
        goto done;
    }
    j.images = files.paths;
    j.n_images = (int)files.count;
    if (limit > 0 && limit < j.n_images)
        j.n_images = limit;
    j.truth_dir = truth;
    j.tolerance = tolerance;
    j.res = pr_calloc((size_t)j.n_images * (size_t)j.n_k, sizeof(image_result));
    if (!j.res || pr_pool_new(threads, &pool) != PR_OK) {
        pr_cli_report_error("eval segment");
        goto done;
    }
    pr_pool_for(pool, j.n_images, do_image, &j);

    int failed = 0;
    if (!json)
        printf("%d images, sigma %g, min_size %d, boundary tolerance %g px\n"
               "%8s %9s %9s %9s %8s %8s %9s\n",
               j.n_images, j.params.sigma, j.params.min_size, tolerance, "k", "segments",
               "ASA-best", "ASA-mean", "UE", "BR", "ms/image");
    for (int ki = 0; ki < j.n_k; ki++) {
        double asab = 0, asam = 0, ue = 0, br = 0, segs = 0, ms = 0;
        int ok = 0;
        for (int i = 0; i < j.n_images; i++) {
            const image_result *r = &j.res[(size_t)i * j.n_k + ki];
            if (!r->ok)
                continue;
            asab += r->asa_best;
            asam += r->asa_mean;
            ue += r->ue;
            br += r->br;
            segs += r->segments;
            ms += r->ms;
            ok++;
        }
        if (ok < j.n_images)
            failed = 1;
        if (!ok)
            continue;
        if (json) {
            printf("{\"k\":");
            pr_json_number(stdout, j.ks[ki]);
            printf(",\"sigma\":");
            pr_json_number(stdout, j.params.sigma);
            printf(",\"min_size\":%d,\"images\":%d,\"segments\":", j.params.min_size, ok);
            pr_json_number(stdout, segs / ok);
            printf(",\"asa\":");
            pr_json_number(stdout, asab / ok);
            printf(",\"asa_mean\":");
            pr_json_number(stdout, asam / ok);
            printf(",\"ue\":");
            pr_json_number(stdout, ue / ok);
            printf(",\"boundary_recall\":");
            pr_json_number(stdout, br / ok);
            printf(",\"ms\":");
            pr_json_number(stdout, ms / ok);
            printf("}\n");
        } else {
            printf("%8g %9.1f %9.4f %9.4f %8.4f %8.4f %9.1f\n", j.ks[ki], segs / ok, asab / ok,
                   asam / ok, ue / ok, br / ok, ms / ok);
        }
    }
    status = failed ? PR_EXIT_FAIL : PR_EXIT_OK;
done:
    pr_pool_delete(pool);
    pr_free(j.res);
    pr_file_list_clear(&files);
    return status;
}

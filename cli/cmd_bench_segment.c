/* requires: core segment
 * personrec bench segment: Felzenszwalb-Huttenlocher speed, CPU reference against the GPU kernels,
 * measured side by side in one run. Timing: one warm-up run per case, then the median of N runs;
 * before each CPU run a 64 MB buffer is rewritten so the image and the previous run's buffers are
 * not in cache. GPU kernel time comes from CUDA events (upload end to relabel end), end-to-end is
 * the wall clock of the whole call including host copies. Exact mode also checks that every
 * partition equals the CPU reference's byte for byte. */
#define _POSIX_C_SOURCE 200809L

#include "cli/cli.h"
#include "core/alloc.h"
#include "core/files.h"
#include "core/image.h"
#include "core/json.h"
#include "segment/dispatch.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static int run(int argc, char **argv);

const pr_command pr_cmd_bench_segment = {
    "bench segment",
    "time the segmentation on the CPU and the GPU (MPix/s, ratio, exactness)",
    "usage: personrec bench segment [--device cpu|gpu|both] [--mode exact|fast|both]\n"
    "                               [--images DIR | --sizes 0.15,1,12,50] [--source IMAGE]\n"
    "                               [--repeat N] [--limit N] [--sigma S] [--k K] [--min-size M]\n"
    "                               [--json OUT]\n"
    "\n"
    "--sizes resizes one photo (--source, else the first BSDS500 image under $PR_DATA_DIR, else a\n"
    "synthetic image) to each size in megapixels; --images times every image of DIR at its own\n"
    "size (at most --limit, default 50) and reports the totals. Each case: one warm-up run, then\n"
    "the median of --repeat runs (default 5). Columns: kernel time (GPU: CUDA events; CPU: the\n"
    "whole call), end-to-end time with host copies, megapixels per second of each, the speed-up\n"
    "over the CPU reference measured in the same run, whether exact mode matched the CPU labels.\n"
    "Without a usable GPU, --device both times the CPU only (with a notice) and --device gpu fails.\n"
    "\n"
    "options:\n"
    "  --device D     cpu, gpu or both (default both)\n"
    "  --mode M       exact, fast or both (default both; fast is GPU-only)\n"
    "  --images DIR   time the images of DIR at their own size\n"
    "  --sizes LIST   comma-separated megapixels (default 0.15,1,12)\n"
    "  --source IMG   the photo that --sizes resizes\n"
    "  --repeat N     timed runs per case (default 5)\n"
    "  --limit N      at most N images from --images (default 50)\n"
    "  --sigma S, --k K, --min-size M   segmentation parameters (default 0.8, 300, 20)\n"
    "  --json OUT     also write the rows as JSON to OUT\n",
    run,
};

enum { MAX_SIZES = 16, MAX_ROWS = 64 };

typedef struct row {
    double mp;
    int width, height, images;
    const char *device, *mode;
    double ms_kernel, ms_e2e, ms_cpu;
    int match; /* 1 all equal, 0 some differ, -1 not checked */
    long segments, rounds;
} row;

static double now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static void flush_caches(void)
{
    static unsigned char *junk;
    static unsigned char v;
    const size_t size = (size_t)64 << 20;
    if (!junk)
        junk = pr_malloc(size);
    if (junk)
        memset(junk, ++v, size);
}

static int cmp_double(const void *a, const void *b)
{
    const double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/* A deterministic stand-in photo when no image is at hand: smooth gradients, blocks and noise. */
static pr_status synthetic(int w, int h, pr_image **out)
{
    pr_status st = pr_image_new(w, h, 3, out);
    if (st != PR_OK)
        return st;
    uint32_t s = 12345u;
    for (int y = 0; y < h; y++) {
        uint8_t *r = pr_image_row(*out, y);
        for (int x = 0; x < w; x++) {
            s = s * 1664525u + 1013904223u;
            const int noise = (int)(s >> 28) - 8;
            const int block = ((x / 40) + (y / 30)) % 3 * 50;
            for (int c = 0; c < 3; c++) {
                int v = (x * 200 / w + y * 50 / h + block + noise + c * 20) % 256;
                r[x * 3 + c] = (uint8_t)(v < 0 ? 0 : v);
            }
        }
    }
    return PR_OK;
}

/* Times one image on one segmenter: median kernel and end-to-end ms over repeat runs. */
static pr_status time_one(pr_segmenter *s, const pr_image *img, const pr_fh_params *p,
                          pr_fh_mode mode, int repeat, double *kernel, double *e2e,
                          pr_labels **keep, pr_segment_report *rep)
{
    double *k = pr_malloc_array((size_t)repeat, sizeof(double));
    double *e = pr_malloc_array((size_t)repeat, sizeof(double));
    pr_status st = (k && e) ? PR_OK : pr_set_error(PR_ERR_NOMEM, "bench: out of memory");
    pr_labels *l = NULL;
    if (st == PR_OK)
        st = pr_segmenter_run(s, img, p, mode, &l, rep); /* warm-up; its labels are kept */
    for (int i = 0; i < repeat && st == PR_OK; i++) {
        pr_labels *t = NULL;
        pr_segment_report r;
        flush_caches();
        const double t0 = now_ms();
        st = pr_segmenter_run(s, img, p, mode, &t, &r);
        e[i] = now_ms() - t0;
        k[i] = r.device == PR_DEVICE_GPU ? r.ms_kernels : e[i];
        pr_labels_delete(t);
    }
    if (st == PR_OK) {
        *kernel = median(k, repeat);
        *e2e = median(e, repeat);
        *keep = l;
    } else {
        pr_labels_delete(l);
    }
    pr_free(k);
    pr_free(e);
    return st;
}

static void print_row(const row *r)
{
    const double mpix = (double)r->width * r->height * r->images / 1e6;
    char match[8] = "-";
    if (r->match >= 0)
        snprintf(match, sizeof match, "%s", r->match ? "yes" : "NO");
    printf("%7.2f %11s %4d %-4s %-5s %10.2f %9.1f %10.2f %9.1f %8.2fx %5s %8ld %7ld\n", mpix / r->images,
           "", r->images, r->device, r->mode, r->ms_kernel, mpix / (r->ms_kernel / 1e3), r->ms_e2e,
           mpix / (r->ms_e2e / 1e3), r->ms_cpu / r->ms_e2e, match, r->segments, r->rounds);
}

static void json_row(FILE *f, const row *r, int first)
{
    const double mpix = (double)r->width * r->height * r->images / 1e6;
    fprintf(f, "%s\n  {\"megapixels\":", first ? "" : ",");
    pr_json_number(f, mpix / r->images);
    fprintf(f, ",\"width\":%d,\"height\":%d,\"images\":%d,\"device\":", r->width, r->height,
            r->images);
    pr_json_string(f, r->device);
    fputs(",\"mode\":", f);
    pr_json_string(f, r->mode);
    fputs(",\"ms_kernel\":", f);
    pr_json_number(f, r->ms_kernel);
    fputs(",\"ms_end_to_end\":", f);
    pr_json_number(f, r->ms_e2e);
    fputs(",\"mpix_per_s_kernel\":", f);
    pr_json_number(f, mpix / (r->ms_kernel / 1e3));
    fputs(",\"mpix_per_s_end_to_end\":", f);
    pr_json_number(f, mpix / (r->ms_e2e / 1e3));
    fputs(",\"speedup_vs_cpu\":", f);
    pr_json_number(f, r->ms_cpu / r->ms_e2e);
    fprintf(f, ",\"match\":%s,\"segments\":%ld,\"rounds\":%ld}",
            r->match < 0 ? "null" : r->match ? "true" : "false", r->segments, r->rounds);
}

static int run(int argc, char **argv)
{
    const char *device_s = "both", *mode_s = "both", *images_dir = NULL, *sizes_s = NULL;
    const char *source = NULL, *json_path = NULL;
    int repeat = 5, limit = 50;
    double sigma = 0.8, k = 300;
    int min_size = 20;
    const pr_option opts[] = {
        {"device", PR_OPT_STRING, &device_s}, {"mode", PR_OPT_STRING, &mode_s},
        {"images", PR_OPT_STRING, &images_dir}, {"sizes", PR_OPT_STRING, &sizes_s},
        {"source", PR_OPT_STRING, &source},   {"repeat", PR_OPT_INT, &repeat},
        {"limit", PR_OPT_INT, &limit},        {"sigma", PR_OPT_DOUBLE, &sigma},
        {"k", PR_OPT_DOUBLE, &k},             {"min-size", PR_OPT_INT, &min_size},
        {"json", PR_OPT_STRING, &json_path},  {NULL, PR_OPT_FLAG, NULL},
    };
    const pr_command *cmd = &pr_cmd_bench_segment;
    int npos = 0;
    int rc = pr_cli_parse(cmd, argc, argv, opts, &npos);
    if (rc)
        return rc < 0 ? PR_EXIT_OK : rc;
    if (npos)
        return pr_cli_usage_error(cmd, "unexpected argument '%s'", argv[1]);
    const int want_cpu = !strcmp(device_s, "cpu") || !strcmp(device_s, "both");
    int want_gpu = !strcmp(device_s, "gpu") || !strcmp(device_s, "both");
    if (!want_cpu && !want_gpu)
        return pr_cli_usage_error(cmd, "--device must be cpu, gpu or both");
    const int want_exact = !strcmp(mode_s, "exact") || !strcmp(mode_s, "both");
    const int want_fast = !strcmp(mode_s, "fast") || !strcmp(mode_s, "both");
    if (!want_exact && !want_fast)
        return pr_cli_usage_error(cmd, "--mode must be exact, fast or both");
    if (images_dir && sizes_s)
        return pr_cli_usage_error(cmd, "--images and --sizes exclude each other");
    if (repeat < 1 || repeat > 1000 || limit < 1)
        return pr_cli_usage_error(cmd, "--repeat must be in 1..1000 and --limit >= 1");
    pr_fh_params p = pr_fh_params_default();
    p.sigma = sigma;
    p.k = k;
    p.min_size = min_size;
    if (pr_fh_params_check(&p) != PR_OK)
        return pr_cli_usage_error(cmd, "%s", pr_last_error());
    double sizes[MAX_SIZES];
    int nsizes = 0;
    if (!images_dir) {
        const char *s = sizes_s ? sizes_s : "0.15,1,12";
        while (*s && nsizes < MAX_SIZES) {
            char *end = NULL;
            const double v = strtod(s, &end);
            if (end == s || !(v > 0.0) || v > 500.0)
                return pr_cli_usage_error(cmd, "--sizes: bad size list '%s'", sizes_s);
            sizes[nsizes++] = v;
            s = *end == ',' ? end + 1 : end;
            if (*end && *end != ',')
                return pr_cli_usage_error(cmd, "--sizes: bad size list '%s'", sizes_s);
        }
    }

    int status = PR_EXIT_OK;
    pr_segmenter *cpu = NULL, *gpu = NULL;
    pr_image *src = NULL;
    pr_file_list files = {0};
    row rows[MAX_ROWS];
    int nrows = 0;
    if (pr_segmenter_new(PR_DEVICE_CPU, &cpu) != PR_OK) {
        pr_cli_report_error("bench segment");
        return PR_EXIT_FAIL;
    }
    if (want_gpu) {
        if (pr_segmenter_new(PR_DEVICE_GPU, &gpu) != PR_OK) {
            if (!want_cpu) {
                pr_cli_report_error("bench segment");
                status = PR_EXIT_FAIL;
                goto done;
            }
            fprintf(stderr, "personrec bench segment: %s; timing the CPU only\n", pr_last_error());
            want_gpu = 0;
        }
    }
    if (!want_exact && !want_gpu) {
        fprintf(stderr, "personrec bench segment: fast mode is GPU-only; nothing to time\n");
        status = PR_EXIT_FAIL;
        goto done;
    }

    /* the cases: one per size (the source resized), or one with every image of the folder */
    int ncases = images_dir ? 1 : nsizes;
    if (images_dir) {
        if (pr_list_images(images_dir, &files) != PR_OK || files.count == 0) {
            fprintf(stderr, "personrec bench segment: %s: %s\n", images_dir,
                    files.count ? pr_last_error() : "no images");
            status = PR_EXIT_FAIL;
            goto done;
        }
    } else {
        char def[4096];
        if (!source) {
            const char *base = getenv("PR_DATA_DIR");
            snprintf(def, sizeof def, "%s/bsds500/images/100007.jpg",
                     base && *base ? base : "../shared/datasets");
            FILE *f = fopen(def, "rb");
            if (f) {
                fclose(f);
                source = def;
            }
        }
        if (source && pr_image_load(source, NULL, &src, NULL) != PR_OK) {
            fprintf(stderr, "personrec bench segment: %s\n", pr_last_error());
            status = PR_EXIT_FAIL;
            goto done;
        }
        if (!src && synthetic(481, 321, &src) != PR_OK) {
            pr_cli_report_error("bench segment");
            status = PR_EXIT_FAIL;
            goto done;
        }
        printf("source: %s (%dx%d)\n", source ? source : "synthetic", src->width, src->height);
    }
    printf("sigma %g k %g min_size %d, warm-up + median of %d\n", p.sigma, p.k, p.min_size, repeat);
    printf("%7s %11s %4s %-4s %-5s %10s %9s %10s %9s %9s %5s %8s %7s\n", "MP", "", "imgs", "dev",
           "mode", "kernel_ms", "MPix/s", "e2e_ms", "MPix/s", "vs_cpu", "match", "segments",
           "rounds");
    for (int c = 0; c < ncases && status == PR_EXIT_OK; c++) {
        row cr = {0}, ge = {0}, gf = {0};
        const int nimg = images_dir ? ((int)files.count < limit ? (int)files.count : limit) : 1;
        cr.match = -1;
        ge.match = 1;
        gf.match = -1;
        for (int i = 0; i < nimg; i++) {
            pr_image *img = NULL;
            pr_status st;
            if (images_dir) {
                st = pr_image_load(files.paths[i], NULL, &img, NULL);
            } else {
                const double scale = sqrt(sizes[c] * 1e6 / ((double)src->width * src->height));
                int w = (int)lround(src->width * scale), h = (int)lround(src->height * scale);
                st = pr_image_resize(src, w < 1 ? 1 : w, h < 1 ? 1 : h, &img);
            }
            if (st != PR_OK) {
                fprintf(stderr, "personrec bench segment: %s\n", pr_last_error());
                status = PR_EXIT_FAIL;
                break;
            }
            pr_labels *ref = NULL, *lab = NULL;
            pr_segment_report rep;
            double kt = 0, et = 0;
            st = time_one(cpu, img, &p, PR_FH_EXACT, repeat, &kt, &et, &ref, &rep);
            if (st == PR_OK) {
                cr.ms_kernel += kt;
                cr.ms_e2e += et;
                cr.segments += rep.segments;
            }
            for (int m = 0; m < 2 && st == PR_OK && want_gpu; m++) {
                if ((m == 0 && !want_exact) || (m == 1 && !want_fast))
                    continue;
                row *g = m == 0 ? &ge : &gf;
                st = time_one(gpu, img, &p, m == 0 ? PR_FH_EXACT : PR_FH_FAST, repeat, &kt, &et,
                              &lab, &rep);
                if (st != PR_OK)
                    break;
                g->ms_kernel += kt;
                g->ms_e2e += et;
                g->segments += rep.segments;
                g->rounds += rep.rounds_merge + rep.rounds_min_size;
                if (m == 0 && memcmp(lab->data, ref->data,
                                     sizeof(int32_t) * (size_t)img->width * img->height) != 0)
                    ge.match = 0;
                pr_labels_delete(lab);
                lab = NULL;
            }
            if (st != PR_OK) {
                fprintf(stderr, "personrec bench segment: %s\n", pr_last_error());
                status = PR_EXIT_FAIL;
            }
            cr.width = ge.width = gf.width = img->width;
            cr.height = ge.height = gf.height = img->height;
            pr_labels_delete(ref);
            pr_image_delete(img);
        }
        if (status != PR_EXIT_OK)
            break;
        row *targets[3] = {&cr, &ge, &gf};
        int added = 0;
        const char *devs[3] = {"cpu", "gpu", "gpu"}, *modes[3] = {"exact", "exact", "fast"};
        for (int t = 0; t < 3; t++) {
            if ((t == 0 && !want_cpu) || (t > 0 && !want_gpu) || (t == 1 && !want_exact) ||
                (t == 2 && !want_fast))
                continue;
            row *r = targets[t];
            r->images = nimg;
            r->device = devs[t];
            r->mode = modes[t];
            r->ms_cpu = cr.ms_e2e;
            if (nrows < MAX_ROWS) {
                rows[nrows++] = *r;
                added++;
            }
        }
        if (images_dir) {
            /* the MPix/s columns need the total: rows carry the mean image size */
            long long px = 0;
            for (int i = 0; i < nimg; i++) {
                pr_image *img = NULL;
                if (pr_image_load(files.paths[i], NULL, &img, NULL) == PR_OK)
                    px += (long long)img->width * img->height;
                pr_image_delete(img);
            }
            for (int r = 0; r < nrows; r++) {
                rows[r].width = (int)(px / nimg);
                rows[r].height = 1;
            }
        }
        for (int r = nrows - added; r < nrows; r++)
            print_row(&rows[r]);
    }
    if (json_path && status == PR_EXIT_OK) {
        FILE *f = fopen(json_path, "w");
        if (!f) {
            fprintf(stderr, "personrec bench segment: cannot write %s\n", json_path);
            status = PR_EXIT_FAIL;
        } else {
            fprintf(f, "{\"sigma\":%g,\"k\":%g,\"min_size\":%d,\"repeat\":%d,\"rows\":[", p.sigma,
                    p.k, p.min_size, repeat);
            for (int r = 0; r < nrows; r++)
                json_row(f, &rows[r], r == 0);
            fputs("\n]}\n", f);
            if (fclose(f) != 0) {
                fprintf(stderr, "personrec bench segment: cannot write %s\n", json_path);
                status = PR_EXIT_FAIL;
            }
        }
    }
done:
    pr_file_list_clear(&files);
    pr_image_delete(src);
    pr_segmenter_delete(cpu);
    pr_segmenter_delete(gpu);
    return status;
}

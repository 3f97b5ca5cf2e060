/* personrec bench segment's table (segment/bench.h): the CPU reference against the GPU kernels,
 * measured side by side in one run. Timing: one warm-up run per case, then the median of N runs;
 * before each run a 64 MB buffer is rewritten so the image and the previous run's buffers are not
 * in cache. GPU kernel time comes from CUDA events (upload end to relabel end), end-to-end is the
 * wall clock of the whole call including host copies. Exact mode also checks that every partition
 * equals the CPU reference's byte for byte. */
#define _POSIX_C_SOURCE 200809L

#include "segment/bench.h"

#include "core/alloc.h"
#include "core/json.h"
#include "segment/dispatch.h"

#include <string.h>

/* One segmenter in one mode; keeps the labels and report of its first (warm-up) run. */
typedef struct contestant {
    pr_segmenter *seg;
    const pr_fh_params *fh;
    pr_fh_mode mode;
    pr_labels *first;
    pr_segment_report first_report;
} contestant;

static pr_status run_contestant(void *vctx, const pr_image *img, double *kernel_ms, long *segments)
{
    contestant *c = (contestant *)vctx;
    pr_labels *l = NULL;
    pr_segment_report r;
    pr_status st = pr_segmenter_run(c->seg, img, c->fh, c->mode, &l, &r);
    if (st != PR_OK)
        return st;
    *kernel_ms = r.device == PR_DEVICE_GPU ? r.ms_kernels : -1;
    *segments = r.segments;
    if (!c->first) {
        c->first = l;
        c->first_report = r;
    } else {
        pr_labels_delete(l);
    }
    return PR_OK;
}

/* Times c on img and adds the medians to row. */
static pr_status time_into(contestant *c, const pr_image *img, int repeat, pr_seg_bench_row *row)
{
    pr_seg_bench_timing t = pr_seg_bench_timing_default();
    pr_seg_bench_sample s;
    t.repeat = repeat;
    c->first = NULL;
    pr_status st = pr_seg_bench_measure(run_contestant, c, img, &t, &s);
    if (st != PR_OK)
        return st;
    row->ms_kernel += s.ms_kernel;
    row->ms_e2e += s.ms_wall;
    row->segments += c->first_report.segments;
    row->rounds += c->first_report.rounds_merge + c->first_report.rounds_min_size;
    return PR_OK;
}

enum { ROW_CPU, ROW_GPU_EXACT, ROW_GPU_FAST, ROW_KINDS };

typedef struct bench {
    const pr_seg_bench_params *p;
    pr_segmenter *cpu, *gpu;
    pr_file_list files;
    pr_image *src;
    int want_gpu;
} bench;

/* One image of a case on every wanted device and mode, added to rows[ROW_KINDS]. */
static pr_status time_image(bench *b, const pr_image *img, pr_seg_bench_row *rows)
{
    contestant cpu = {b->cpu, &b->p->fh, PR_FH_EXACT, NULL, {0}};
    pr_status st = time_into(&cpu, img, b->p->repeat, &rows[ROW_CPU]);
    for (int m = 0; m < 2 && st == PR_OK && b->want_gpu; m++) {
        if ((m == 0 && !b->p->want_exact) || (m == 1 && !b->p->want_fast))
            continue;
        contestant g = {b->gpu, &b->p->fh, m == 0 ? PR_FH_EXACT : PR_FH_FAST, NULL, {0}};
        st = time_into(&g, img, b->p->repeat, &rows[ROW_GPU_EXACT + m]);
        if (st == PR_OK && m == 0 &&
            memcmp(g.first->data, cpu.first->data,
                   sizeof(int32_t) * (size_t)img->width * img->height) != 0)
            rows[ROW_GPU_EXACT].match = 0;
        pr_labels_delete(g.first);
    }
    for (int r = 0; r < ROW_KINDS; r++) {
        rows[r].width = img->width;
        rows[r].height = img->height;
    }
    pr_labels_delete(cpu.first);
    return st;
}

static void print_header(FILE *out, const pr_seg_bench_params *p)
{
    fprintf(out, "sigma %g k %g min_size %d, warm-up + median of %d\n", p->fh.sigma, p->fh.k,
            p->fh.min_size, p->repeat);
    fprintf(out, "%7s %11s %4s %-4s %-5s %10s %9s %10s %9s %9s %5s %8s %7s\n", "MP", "", "imgs",
            "dev", "mode", "kernel_ms", "MPix/s", "e2e_ms", "MPix/s", "vs_cpu", "match", "segments",
            "rounds");
}

static void print_row(FILE *out, const pr_seg_bench_row *r)
{
    const double mpix = (double)r->width * r->height * r->images / 1e6;
    char match[8] = "-";
    if (r->match >= 0)
        snprintf(match, sizeof match, "%s", r->match ? "yes" : "NO");
    fprintf(out, "%7.2f %11s %4d %-4s %-5s %10.2f %9.1f %10.2f %9.1f %8.2fx %5s %8ld %7ld\n",
            mpix / r->images, "", r->images, r->device, r->mode, r->ms_kernel,
            mpix / (r->ms_kernel / 1e3), r->ms_e2e, mpix / (r->ms_e2e / 1e3), r->ms_cpu / r->ms_e2e,
            match, r->segments, r->rounds);
}

static int row_wanted(const bench *b, int kind)
{
    const pr_seg_bench_params *p = b->p;
    if (kind == ROW_CPU)
        return p->want_cpu;
    return b->want_gpu && (kind == ROW_GPU_EXACT ? p->want_exact : p->want_fast);
}

/* Case c: the source resized to sizes[c], or (images_dir) every image of the folder. */
static pr_status run_case(bench *b, int c, FILE *out, pr_seg_bench_result *res)
{
    static const char *const devs[ROW_KINDS] = {"cpu", "gpu", "gpu"};
    static const char *const modes[ROW_KINDS] = {"exact", "exact", "fast"};
    const pr_seg_bench_params *p = b->p;
    pr_seg_bench_row rows[ROW_KINDS];
    memset(rows, 0, sizeof rows);
    rows[ROW_CPU].match = rows[ROW_GPU_FAST].match = -1;
    rows[ROW_GPU_EXACT].match = 1;
    const int nimg = p->images_dir ? ((int)b->files.count < p->limit ? (int)b->files.count : p->limit)
                                   : 1;
    long long px = 0;
    pr_status st = PR_OK;
    for (int i = 0; i < nimg && st == PR_OK; i++) {
        pr_image *img = NULL;
        st = p->images_dir ? pr_seg_bench_load(b->files.paths[i], 0, 0, &img)
                           : pr_seg_bench_resize_mp(b->src, p->sizes[c], &img);
        if (st == PR_OK)
            st = time_image(b, img, rows);
        if (img)
            px += (long long)img->width * img->height;
        pr_image_delete(img);
    }
    if (st != PR_OK)
        return st;
    const int first = res->nrows;
    for (int t = 0; t < ROW_KINDS; t++) {
        if (!row_wanted(b, t) || res->nrows >= PR_SEG_BENCH_MAX_ROWS)
            continue;
        rows[t].images = nimg;
        rows[t].device = devs[t];
        rows[t].mode = modes[t];
        rows[t].ms_cpu = rows[ROW_CPU].ms_e2e;
        res->rows[res->nrows++] = rows[t];
    }
    for (int r = first; r < res->nrows; r++) {
        if (p->images_dir) { /* the MPix/s columns need the total: rows carry the mean size */
            res->rows[r].width = (int)(px / nimg);
            res->rows[r].height = 1;
        }
        print_row(out, &res->rows[r]);
    }
    return PR_OK;
}

/* The photo --sizes resizes: --source, else the first BSDS500 image, else a synthetic one. */
static pr_status open_source(bench *b, FILE *out)
{
    const char *source = b->p->source;
    char def[4096];
    if (!source) {
        pr_seg_bench_data_path("bsds500/images/100007.jpg", def, sizeof def);
        FILE *f = fopen(def, "rb");
        if (f) {
            fclose(f);
            source = def;
        }
    }
    pr_status st = source ? pr_image_load(source, NULL, &b->src, NULL)
                          : pr_seg_bench_synthetic(481, 321, &b->src);
    if (st == PR_OK)
        fprintf(out, "source: %s (%dx%d)\n", source ? source : "synthetic", b->src->width,
                b->src->height);
    return st;
}

static pr_status open_devices(bench *b)
{
    pr_status st = pr_segmenter_new(PR_DEVICE_CPU, &b->cpu);
    if (st != PR_OK || !b->want_gpu)
        return st;
    if (pr_segmenter_new(PR_DEVICE_GPU, &b->gpu) != PR_OK) {
        if (!b->p->want_cpu)
            return pr_last_status();
        fprintf(stderr, "personrec bench segment: %s; timing the CPU only\n", pr_last_error());
        b->want_gpu = 0;
    }
    if (!b->p->want_exact && !b->want_gpu)
        return pr_set_error(PR_ERR_UNSUPPORTED, "fast mode is GPU-only; nothing to time");
    return PR_OK;
}

pr_status pr_seg_bench_devices(const pr_seg_bench_params *params, FILE *out,
                               pr_seg_bench_result *result)
{
    bench b;
    memset(&b, 0, sizeof b);
    b.p = params;
    b.want_gpu = params->want_gpu;
    result->nrows = 0;
    pr_status st = open_devices(&b);
    if (st == PR_OK && params->images_dir) {
        st = pr_list_images(params->images_dir, &b.files);
        if (st == PR_OK && b.files.count == 0)
            st = pr_set_error(PR_ERR_IO, "%s: no images", params->images_dir);
    } else if (st == PR_OK) {
        st = open_source(&b, out);
    }
    if (st == PR_OK)
        print_header(out, params);
    const int ncases = params->images_dir ? 1 : params->nsizes;
    for (int c = 0; c < ncases && st == PR_OK; c++)
        st = run_case(&b, c, out, result);
    pr_file_list_clear(&b.files);
    pr_image_delete(b.src);
    pr_segmenter_delete(b.cpu);
    pr_segmenter_delete(b.gpu);
    return st;
}

static void json_row(pr_json *w, const pr_seg_bench_row *r)
{
    const double mpix = (double)r->width * r->height * r->images / 1e6;
    pr_json_object(w);
    pr_json_kv_num(w, "megapixels", mpix / r->images);
    pr_json_kv_int(w, "width", r->width);
    pr_json_kv_int(w, "height", r->height);
    pr_json_kv_int(w, "images", r->images);
    pr_json_kv_str(w, "device", r->device);
    pr_json_kv_str(w, "mode", r->mode);
    pr_json_kv_num(w, "ms_kernel", r->ms_kernel);
    pr_json_kv_num(w, "ms_end_to_end", r->ms_e2e);
    pr_json_kv_num(w, "mpix_per_s_kernel", mpix / (r->ms_kernel / 1e3));
    pr_json_kv_num(w, "mpix_per_s_end_to_end", mpix / (r->ms_e2e / 1e3));
    pr_json_kv_num(w, "speedup_vs_cpu", r->ms_cpu / r->ms_e2e);
    pr_json_key(w, "match");
    if (r->match < 0)
        pr_json_null(w);
    else
        pr_json_bool(w, r->match);
    pr_json_kv_int(w, "segments", r->segments);
    pr_json_kv_int(w, "rounds", r->rounds);
    pr_json_end(w);
}

pr_status pr_seg_bench_write_json(const char *path, const pr_seg_bench_params *params,
                                  const pr_seg_bench_result *result)
{
    FILE *f = fopen(path, "w");
    if (!f)
        return pr_set_error(PR_ERR_IO, "cannot write %s", path);
    pr_json w = pr_json_begin(f, 0);
    pr_json_object(&w);
    pr_json_kv_num(&w, "sigma", params->fh.sigma);
    pr_json_kv_num(&w, "k", params->fh.k);
    pr_json_kv_int(&w, "min_size", params->fh.min_size);
    pr_json_kv_int(&w, "repeat", params->repeat);
    pr_json_key(&w, "rows");
    pr_json_array(&w);
    for (int r = 0; r < result->nrows; r++)
        json_row(&w, &result->rows[r]);
    pr_json_end(&w);
    pr_json_end(&w);
    pr_status st = pr_json_finish(&w);
    if (fclose(f) != 0 || st != PR_OK)
        return pr_set_error(PR_ERR_IO, "cannot write %s", path);
    return PR_OK;
}

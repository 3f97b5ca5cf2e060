/* Inputs and timing of the segmentation benchmarks (segment/bench.h). */
#define _POSIX_C_SOURCE 200809L

#include "segment/bench.h"

#include "core/alloc.h"
#include "core/clock.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pr_seg_bench_data_path(const char *rel, char *buf, size_t size)
{
    const char *base = getenv("PR_DATA_DIR");
    snprintf(buf, size, "%s/%s", base && *base ? base : "../shared/datasets", rel);
}

pr_status pr_seg_bench_resize_mp(const pr_image *src, double mp, pr_image **out)
{
    const double scale = sqrt(mp * 1e6 / ((double)src->width * src->height));
    const int w = (int)lround(src->width * scale), h = (int)lround(src->height * scale);
    return pr_image_resize(src, w < 1 ? 1 : w, h < 1 ? 1 : h, out);
}

pr_status pr_seg_bench_load(const char *path, int channels, double mp, pr_image **out)
{
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = channels;
    pr_image *img = NULL;
    *out = NULL;
    pr_status st = pr_image_load(path, &lp, &img, NULL);
    if (st != PR_OK || !(mp > 0)) {
        *out = img;
        return st;
    }
    st = pr_seg_bench_resize_mp(img, mp, out);
    pr_image_delete(img);
    return st;
}

pr_status pr_seg_bench_synthetic(int w, int h, pr_image **out)
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

int pr_seg_bench_parse_sizes(const char *text, double *sizes, int max, int *n)
{
    const char *s = text;
    *n = 0;
    while (*s && *n < max) {
        char *end = NULL;
        const double v = strtod(s, &end);
        if (end == s || !(v > 0.0) || v > 500.0 || (*end && *end != ','))
            return -1;
        sizes[(*n)++] = v;
        s = *end == ',' ? end + 1 : end;
    }
    return 0;
}

pr_seg_bench_timing pr_seg_bench_timing_default(void)
{
    pr_seg_bench_timing t = {1, 5, 1};
    return t;
}

/* Evicts the image and the previous run's buffers from the caches before a timed CPU run. */
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

pr_status pr_seg_bench_measure(pr_seg_bench_fn fn, void *ctx, const pr_image *img,
                               const pr_seg_bench_timing *timing, pr_seg_bench_sample *out)
{
    const int n = timing->repeat;
    double *wall = pr_malloc_array((size_t)(3 * n), sizeof(double));
    if (!wall || n < 1) {
        pr_free(wall);
        return pr_set_error(n < 1 ? PR_ERR_ARG : PR_ERR_NOMEM, "bench: %s",
                            n < 1 ? "repeat must be >= 1" : "out of memory");
    }
    double *kernel = wall + n, *cpu = wall + 2 * n;
    pr_status st = PR_OK;
    memset(out, 0, sizeof *out);
    for (int i = 0; i < timing->warmup && st == PR_OK; i++) {
        double k = -1;
        st = fn(ctx, img, &k, &out->segments);
    }
    for (int i = 0; i < n && st == PR_OK; i++) {
        double k = -1;
        if (timing->flush_caches)
            flush_caches();
        const double c0 = pr_clock_thread_cpu_ms(), t0 = pr_clock_ms();
        st = fn(ctx, img, &k, &out->segments);
        wall[i] = pr_clock_ms() - t0;
        cpu[i] = pr_clock_thread_cpu_ms() - c0;
        kernel[i] = k >= 0 ? k : wall[i];
    }
    if (st == PR_OK) {
        out->ms_wall = median(wall, n);
        out->ms_kernel = median(kernel, n);
        out->ms_cpu = median(cpu, n);
    }
    pr_free(wall);
    return st;
}

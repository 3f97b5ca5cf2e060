/* bench_segment: megapixels per second of our Felzenszwalb-Huttenlocher (pr_fh_segment, the C API)
 * against OpenCV ximgproc's GraphSegmentation with the same sigma, k and min_size, on the same
 * images, one thread each, interleaved image by image (the order alternates so neither side always
 * runs on a warm cache). Decoding and resizing are outside both timings. Both wall-clock and
 * thread-CPU time are reported: on a shared machine the CPU time is the steadier figure.
 *
 *   bench_segment [--images DIR] [--limit N] [--mp X] [--sigma S] [--k K] [--min-size M]
 *                 [--repeat R] [--no-peer]
 *
 * --mp X resizes every image to about X megapixels (aspect kept; bilinear up, area down), for the
 * large-photo figures. Exit 0 on success, 1 when an image fails, 2 on a usage error. */
#define _POSIX_C_SOURCE 200809L

#include "segment/felzenszwalb.h"

#include "core/alloc.h"
#include "core/image.h"
#include "core/status.h"

#include <dirent.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#ifdef PR_BENCH_XIMGPROC
#include "peer_ximgproc.h"
#endif

static double clock_ms(clockid_t id)
{
    struct timespec ts;
    clock_gettime(id, &ts);
    return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec * 1e-6;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static int has_image_ext(const char *name)
{
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    return !strcmp(dot, ".jpg") || !strcmp(dot, ".jpeg") || !strcmp(dot, ".png") ||
           !strcmp(dot, ".ppm") || !strcmp(dot, ".pnm") || !strcmp(dot, ".JPG");
}

/* Sorted image names in dir (caller frees each and the array). */
static char **list_images(const char *dir, int *count)
{
    DIR *d = opendir(dir);
    char **names = NULL;
    int n = 0, cap = 0;
    if (!d)
        return NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (!has_image_ext(e->d_name))
            continue;
        if (n == cap) {
            cap = cap ? cap * 2 : 64;
            char **grown = realloc(names, sizeof(char *) * (size_t)cap);
            if (!grown)
                break;
            names = grown;
        }
        names[n++] = strdup(e->d_name);
    }
    closedir(d);
    if (names)
        qsort(names, (size_t)n, sizeof(char *), cmp_str);
    *count = n;
    return names;
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_segment [--images DIR] [--limit N] [--mp X] [--sigma S] [--k K]\n"
                    "                     [--min-size M] [--repeat R] [--no-peer]\n");
}

int main(int argc, char **argv)
{
    const char *images = NULL;
    char default_dir[4096];
    int limit = 0, repeat = 1, no_peer = 0;
    double mp = 0;
    pr_fh_params params = pr_fh_params_default();
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        const char *v = i + 1 < argc ? argv[i + 1] : NULL;
        if (!strcmp(a, "--no-peer")) {
            no_peer = 1;
            continue;
        }
        if (!v) {
            usage();
            return 2;
        }
        if (!strcmp(a, "--images"))
            images = v;
        else if (!strcmp(a, "--limit"))
            limit = atoi(v);
        else if (!strcmp(a, "--mp"))
            mp = atof(v);
        else if (!strcmp(a, "--sigma"))
            params.sigma = atof(v);
        else if (!strcmp(a, "--k"))
            params.k = atof(v);
        else if (!strcmp(a, "--min-size"))
            params.min_size = atoi(v);
        else if (!strcmp(a, "--repeat"))
            repeat = atoi(v) > 0 ? atoi(v) : 1;
        else {
            usage();
            return 2;
        }
        i++;
    }
    if (pr_fh_params_check(&params) != PR_OK) {
        fprintf(stderr, "bench_segment: %s\n", pr_last_error());
        return 2;
    }
    if (!images) {
        const char *base = getenv("PR_DATA_DIR");
        snprintf(default_dir, sizeof default_dir, "%s/bsds500/images",
                 base && *base ? base : "../shared/datasets");
        images = default_dir;
    }
    int n = 0;
    char **names = list_images(images, &n);
    if (!names || n == 0) {
        fprintf(stderr, "bench_segment: no images in %s\n", images);
        return 1;
    }
    const int total = n;
    if (limit > 0 && limit < n)
        n = limit;
#ifdef PR_BENCH_XIMGPROC
    const int peer = !no_peer;
    pr_peer_ximgproc_init();
#else
    const int peer = 0;
    (void)no_peer;
#endif
    double mpix = 0, ours_ms = 0, peer_ms = 0, ours_cpu = 0, peer_cpu = 0, ours_seg = 0,
           peer_seg = 0;
    double s_smooth = 0, s_edges = 0, s_sort = 0, s_merge = 0;
    long runs = 0;
    int status = 0;
    for (int i = 0; i < n; i++) {
        char path[8192];
        snprintf(path, sizeof path, "%s/%s", images, names[i]);
        pr_image_load_params lp = pr_image_load_params_default();
        lp.channels = 3;
        pr_image *img = NULL;
        if (pr_image_load(path, &lp, &img, NULL) != PR_OK) {
            fprintf(stderr, "bench_segment: %s: %s\n", path, pr_last_error());
            status = 1;
            continue;
        }
        if (mp > 0) {
            double f = sqrt(mp * 1e6 / ((double)img->width * img->height));
            pr_image *big = NULL;
            int w = (int)lround(img->width * f), h = (int)lround(img->height * f);
            if (pr_image_resize(img, w, h, &big) != PR_OK) {
                fprintf(stderr, "bench_segment: %s: %s\n", path, pr_last_error());
                pr_image_delete(img);
                status = 1;
                continue;
            }
            pr_image_delete(img);
            img = big;
        }
        for (int r = 0; r < repeat; r++) {
            for (int turn = 0; turn < 2; turn++) {
                /* Alternate who goes first. */
                const int ours_now = ((i + r) % 2 == 0) ? turn == 0 : turn == 1;
                if (ours_now) {
                    pr_labels *l = NULL;
                    pr_fh_stats st;
                    double c0 = clock_ms(CLOCK_THREAD_CPUTIME_ID);
                    double t0 = clock_ms(CLOCK_MONOTONIC);
                    pr_status s = pr_fh_segment(img, &params, &l, &st);
                    double t1 = clock_ms(CLOCK_MONOTONIC);
                    ours_cpu += clock_ms(CLOCK_THREAD_CPUTIME_ID) - c0;
                    if (s != PR_OK) {
                        fprintf(stderr, "bench_segment: %s: %s\n", path, pr_last_error());
                        status = 1;
                    }
                    ours_ms += t1 - t0;
                    ours_seg += st.segments;
                    s_smooth += st.ms_smooth;
                    s_edges += st.ms_edges;
                    s_sort += st.ms_sort;
                    s_merge += st.ms_merge;
                    pr_labels_delete(l);
                } else if (peer) {
#ifdef PR_BENCH_XIMGPROC
                    int segs = 0;
                    double ms = 0, cpu = 0;
                    if (pr_peer_ximgproc_segment(img->data, img->width, img->height, img->stride,
                                                 params.sigma, params.k, params.min_size, &segs,
                                                 &ms, &cpu) != 0) {
                        fprintf(stderr, "bench_segment: %s: OpenCV failed\n", path);
                        status = 1;
                    }
                    peer_ms += ms;
                    peer_cpu += cpu;
                    peer_seg += segs;
#endif
                }
            }
            mpix += (double)img->width * img->height * 1e-6;
            runs++;
        }
        pr_image_delete(img);
    }
    if (runs == 0)
        return 1;
    printf("images %d x %d runs, %.3f MPix per run (mean), sigma %g k %g min_size %d\n", n, repeat,
           mpix / (double)runs, params.sigma, params.k, params.min_size);
    printf("ours    %8.3f MPix/s wall %8.3f MPix/s cpu  %9.1f ms  mean segments %.1f  "
           "(smooth %.0f, edges %.0f, sort %.0f, merge %.0f ms)\n",
           mpix / (ours_ms * 1e-3), mpix / (ours_cpu * 1e-3), ours_ms, ours_seg / (double)runs,
           s_smooth, s_edges, s_sort, s_merge);
    if (peer) {
        printf("opencv  %8.3f MPix/s wall %8.3f MPix/s cpu  %9.1f ms  mean segments %.1f\n",
               mpix / (peer_ms * 1e-3), mpix / (peer_cpu * 1e-3), peer_ms,
               peer_seg / (double)runs);
        printf("ratio   %8.2f x wall, %.2f x cpu (ours / opencv MPix/s)\n", peer_ms / ours_ms,
               peer_cpu / ours_cpu);
    }
    for (int i = 0; i < total; i++)
        free(names[i]);
    free(names);
    return status;
}

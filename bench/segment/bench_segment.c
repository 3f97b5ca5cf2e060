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

#include "segment/bench.h"
#include "segment/felzenszwalb.h"

#include "core/files.h"
#include "core/image.h"
#include "core/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef PR_BENCH_XIMGPROC
#include "peer_ximgproc.h"
#endif

/* Ours through the C API; sums the stage times of every run. */
typedef struct ours {
    const pr_fh_params *params;
    const char *path;
    double smooth, edges, sort, merge;
    int failed;
} ours;

static pr_status run_ours(void *vctx, const pr_image *img, double *kernel_ms, long *segments)
{
    ours *o = (ours *)vctx;
    pr_labels *l = NULL;
    pr_fh_stats st;
    memset(&st, 0, sizeof st);
    if (pr_fh_segment(img, o->params, &l, &st) != PR_OK) {
        fprintf(stderr, "bench_segment: %s: %s\n", o->path, pr_last_error());
        o->failed = 1;
    }
    o->smooth += st.ms_smooth;
    o->edges += st.ms_edges;
    o->sort += st.ms_sort;
    o->merge += st.ms_merge;
    *segments = st.segments;
    (void)kernel_ms;
    pr_labels_delete(l);
    return PR_OK; /* a failure is counted, and the run still timed, as before */
}

static void usage(void)
{
    fprintf(stderr, "usage: bench_segment [--images DIR] [--limit N] [--mp X] [--sigma S] [--k K]\n"
                    "                     [--min-size M] [--repeat R] [--no-peer]\n");
}

/* Totals over every run of one side. */
typedef struct side {
    double ms, cpu, segments;
} side;

typedef struct totals {
    side ours, peer;
    double mpix;
    long runs;
    int status;
} totals;

/* One run of ours, timed by the shared harness (no warm-up, no cache flush: the interleaving
 * with the peer is what keeps both sides on an equal footing). */
static void time_ours(ours *o, const pr_image *img, totals *t)
{
    pr_seg_bench_timing tm = {0, 1, 0};
    pr_seg_bench_sample s;
    if (pr_seg_bench_measure(run_ours, o, img, &tm, &s) != PR_OK) {
        fprintf(stderr, "bench_segment: %s: %s\n", o->path, pr_last_error());
        t->status = 1;
        return;
    }
    t->ours.ms += s.ms_wall;
    t->ours.cpu += s.ms_cpu;
    t->ours.segments += (double)s.segments;
    if (o->failed)
        t->status = 1;
}

static void time_peer(const ours *o, const pr_image *img, totals *t)
{
#ifdef PR_BENCH_XIMGPROC
    int segs = 0;
    double ms = 0, cpu = 0;
    if (pr_peer_ximgproc_segment(img->data, img->width, img->height, img->stride, o->params->sigma,
                                 o->params->k, o->params->min_size, &segs, &ms, &cpu) != 0) {
        fprintf(stderr, "bench_segment: %s: OpenCV failed\n", o->path);
        t->status = 1;
    }
    t->peer.ms += ms;
    t->peer.cpu += cpu;
    t->peer.segments += segs;
#else
    (void)o;
    (void)img;
    (void)t;
#endif
}

/* Image i, `repeat` times, both sides interleaved; who goes first alternates. */
static void time_image(ours *o, const pr_image *img, int i, int repeat, int peer, totals *t)
{
    for (int r = 0; r < repeat; r++) {
        for (int turn = 0; turn < 2; turn++) {
            const int ours_now = ((i + r) % 2 == 0) ? turn == 0 : turn == 1;
            if (ours_now)
                time_ours(o, img, t);
            else if (peer)
                time_peer(o, img, t);
        }
        t->mpix += (double)img->width * img->height * 1e-6;
        t->runs++;
    }
}

static void report(const totals *t, int n, int repeat, const pr_fh_params *params,
                   const ours *o, int peer)
{
    const double runs = (double)t->runs;
    printf("images %d x %d runs, %.3f MPix per run (mean), sigma %g k %g min_size %d\n", n, repeat,
           t->mpix / runs, params->sigma, params->k, params->min_size);
    printf("ours    %8.3f MPix/s wall %8.3f MPix/s cpu  %9.1f ms  mean segments %.1f  "
           "(smooth %.0f, edges %.0f, sort %.0f, merge %.0f ms)\n",
           t->mpix / (t->ours.ms * 1e-3), t->mpix / (t->ours.cpu * 1e-3), t->ours.ms,
           t->ours.segments / runs, o->smooth, o->edges, o->sort, o->merge);
    if (peer) {
        printf("opencv  %8.3f MPix/s wall %8.3f MPix/s cpu  %9.1f ms  mean segments %.1f\n",
               t->mpix / (t->peer.ms * 1e-3), t->mpix / (t->peer.cpu * 1e-3), t->peer.ms,
               t->peer.segments / runs);
        printf("ratio   %8.2f x wall, %.2f x cpu (ours / opencv MPix/s)\n", t->peer.ms / t->ours.ms,
               t->peer.cpu / t->ours.cpu);
    }
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
        pr_seg_bench_data_path("bsds500/images", default_dir, sizeof default_dir);
        images = default_dir;
    }
    pr_file_list files = {0};
    if (pr_list_images(images, &files) != PR_OK || files.count == 0) {
        fprintf(stderr, "bench_segment: no images in %s\n", images);
        pr_file_list_clear(&files);
        return 1;
    }
    const int n = limit > 0 && (size_t)limit < files.count ? limit : (int)files.count;
#ifdef PR_BENCH_XIMGPROC
    const int peer = !no_peer;
    pr_peer_ximgproc_init();
#else
    const int peer = 0;
    (void)no_peer;
#endif
    totals t;
    memset(&t, 0, sizeof t);
    ours o;
    memset(&o, 0, sizeof o);
    o.params = &params;
    for (int i = 0; i < n; i++) {
        pr_image *img = NULL;
        o.path = files.paths[i];
        if (pr_seg_bench_load(files.paths[i], 3, mp, &img) != PR_OK) {
            fprintf(stderr, "bench_segment: %s: %s\n", files.paths[i], pr_last_error());
            t.status = 1;
            continue;
        }
        time_image(&o, img, i, repeat, peer, &t);
        pr_image_delete(img);
    }
    pr_file_list_clear(&files);
    if (t.runs == 0)
        return 1;
    report(&t, n, repeat, &params, &o, peer);
    return t.status;
}

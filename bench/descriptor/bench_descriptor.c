/* bench_descriptor [--faces N] [--auc-only] [--no-peer] [--models DIR] [--personrec PATH]
 * Times landmarks + descriptor per face on the album's truth boxes (1 and 2 threads), measures
 * sgemm GFLOP/s in the same run for the roofline, runs face-api (node, wasm) on the same faces when
 * node and scripts/faceapi/bench_peer.js are there, and reports the album pair AUC of the
 * descriptor for each alignment. */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "eval/roc.h"
#include "features/blas.h"
#include "features/face_descriptor.h"
#include "nn/faceapi.h"
#include "tests/nn/album.h"

#include <cblas.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

static double clock_s(clockid_t id)
{
    struct timespec t;
    clock_gettime(id, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

/* Wall time, and CPU time of the process (the machine is shared: CPU time is what the code costs,
 * wall time what this run got). */
static double now(void) { return clock_s(CLOCK_MONOTONIC); }
static double cpu_now(void) { return clock_s(CLOCK_PROCESS_CPUTIME_ID); }

/* Single-thread sgemm GFLOP/s (CPU time) at three of the nets' own GEMM shapes (35x35 pixels x
 * 288 taps x 32 channels, 17x17 x 576 x 64, 8x8 x 1152 x 128), pooled. */
static double sgemm_gflops(void)
{
    static const int shapes[3][3] = {{1225, 32, 288}, {289, 64, 576}, {64, 128, 1152}};
    double flops = 0, secs = 0;
    for (int s = 0; s < 3; s++) {
        int m = shapes[s][0], n = shapes[s][1], k = shapes[s][2];
        float *a = pr_calloc((size_t)m * k, 4), *b = pr_calloc((size_t)k * n, 4),
              *c = pr_calloc((size_t)m * n, 4);
        for (size_t i = 0; i < (size_t)m * k; i++)
            a[i] = (float)(i % 7) * 0.1f;
        for (size_t i = 0; i < (size_t)k * n; i++)
            b[i] = (float)(i % 5) * 0.1f;
        int reps = (int)(4e8 / (2.0 * m * n * k)) + 1;
        double t0 = cpu_now();
        for (int r = 0; r < reps; r++)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1, a, k, b, n, 0, c, n);
        secs += cpu_now() - t0;
        flops += 2.0 * m * n * k * reps;
        pr_free(a);
        pr_free(b);
        pr_free(c);
    }
    return flops / secs / 1e9;
}

static pr_face_net *open_net(const char *models, pr_face_align align, int threads)
{
    pr_face_net_params p = pr_face_net_params_default();
    p.models_dir = models;
    p.align = align;
    p.flip = 0; /* each alignment alone, as face-api runs its own */
    p.threads = threads;
    pr_face_net *net = NULL;
    if (pr_face_net_new(&p, &net) != PR_OK) {
        fprintf(stderr, "bench_descriptor: %s\n", pr_last_error());
        exit(1);
    }
    return net;
}

static pr_face_job *make_jobs(const pr_album *al, float *lm, float *desc)
{
    pr_face_job *jobs = pr_calloc((size_t)al->n, sizeof *jobs);
    for (int i = 0; jobs && i < al->n; i++)
        jobs[i] = (pr_face_job){al->images[al->faces[i].image_index], al->faces[i].box,
                                lm + (size_t)i * 136, desc + (size_t)i * 128, PR_OK};
    return jobs;
}

/* Pair AUC and the 0.6-threshold shares over all album face pairs. */
static void auc_report(const pr_album *al, const float *desc, const char *label)
{
    size_t cap = (size_t)al->n * (size_t)(al->n - 1) / 2, np = 0;
    double *scores = pr_malloc_array(cap, sizeof *scores);
    int *labels = pr_malloc_array(cap, sizeof *labels);
    long same = 0, same_ok = 0, diff = 0, diff_ok = 0;
    for (int i = 0; i < al->n; i++)
        for (int j = i + 1; j < al->n; j++) {
            float d = pr_face_descriptor_distance(desc + (size_t)i * 128, desc + (size_t)j * 128);
            if (!strcmp(al->faces[i].person, "unknown") || !strcmp(al->faces[j].person, "unknown"))
                continue; /* unnamed faces are no one's: not in the pairs */
            int s = strcmp(al->faces[i].person, al->faces[j].person) == 0;
            same += s, same_ok += s && d < 0.6f, diff += !s, diff_ok += !s && d >= 0.6f;
            scores[np] = -d;
            labels[np++] = s;
        }
    pr_roc_result roc;
    pr_roc_compute(scores, labels, np, &roc);
    printf("auc %-12s %.4f  (EER %.4f; same < 0.6: %.3f of %ld; different >= 0.6: %.4f of %ld)\n",
           label, roc.auc, roc.eer, (double)same_ok / same, same, (double)diff_ok / diff, diff);
    pr_free(scores);
    pr_free(labels);
}

/* BCubed F of plain average-linkage clustering cut at `cut` over the named faces (the issue's
 * protocol: truth boxes, UPGMA by Lance-Williams updates, merge while the closest pair < cut). */
static double bcubed_avg_linkage(const pr_album *al, const float *desc, double cut)
{
    int n = 0, *idx = pr_malloc_array((size_t)al->n, sizeof *idx);
    for (int i = 0; i < al->n; i++)
        if (strcmp(al->faces[i].person, "unknown") != 0)
            idx[n++] = i;
    double *d = pr_malloc_array((size_t)n * n, sizeof *d);
    int *size = pr_malloc_array((size_t)n, sizeof *size), *label = pr_malloc_array((size_t)n, sizeof *label);
    for (int i = 0; i < n; i++) {
        size[i] = 1;
        label[i] = i;
        for (int j = 0; j < n; j++)
            d[(size_t)i * n + j] = pr_face_descriptor_distance(desc + (size_t)idx[i] * 128,
                                                               desc + (size_t)idx[j] * 128);
    }
    for (;;) {
        int bi = -1, bj = -1;
        double best = cut;
        for (int i = 0; i < n; i++)
            for (int j = i + 1; size[i] && j < n; j++)
                if (size[j] && d[(size_t)i * n + j] < best)
                    best = d[(size_t)i * n + j], bi = i, bj = j;
        if (bi < 0)
            break;
        for (int k = 0; k < n; k++) {
            double v = (size[bi] * d[(size_t)bi * n + k] + size[bj] * d[(size_t)bj * n + k]) /
                       (size[bi] + size[bj]);
            d[(size_t)bi * n + k] = d[(size_t)k * n + bi] = v;
        }
        for (int k = 0; k < n; k++)
            if (label[k] == bj)
                label[k] = bi;
        size[bi] += size[bj];
        size[bj] = 0;
    }
    double p = 0, r = 0;
    for (int i = 0; i < n; i++) {
        int both = 0, cl = 0, same = 0;
        for (int j = 0; j < n; j++) {
            int s = strcmp(al->faces[idx[i]].person, al->faces[idx[j]].person) == 0;
            cl += label[j] == label[i];
            same += s;
            both += s && label[j] == label[i];
        }
        p += (double)both / cl;
        r += (double)both / same;
    }
    p /= n, r /= n;
    pr_free(idx);
    pr_free(d);
    pr_free(size);
    pr_free(label);
    return 2 * p * r / (p + r);
}

typedef struct timing {
    double wall_s, cpu_s;
} timing;

static timing time_faces(const char *models, const pr_album *al, int threads, float *lm,
                         float *desc)
{
    pr_face_net *net = open_net(models, PR_FACE_ALIGN_DLIB_SQUARE, threads);
    pr_face_job *jobs = make_jobs(al, lm, desc);
    pr_face_net_describe_many(net, jobs, al->n < 8 ? al->n : 8); /* warm-up */
    timing best = {1e30, 1e30};
    for (int rep = 0; rep < 3; rep++) {
        double t0 = now(), c0 = cpu_now();
        pr_face_net_describe_many(net, jobs, al->n);
        double t = now() - t0, c = cpu_now() - c0;
        best.wall_s = t < best.wall_s ? t : best.wall_s;
        best.cpu_s = c < best.cpu_s ? c : best.cpu_s;
    }
    pr_free(jobs);
    pr_face_net_delete(net);
    return best;
}

/* face-api itself on the same faces (scripts/faceapi/bench_peer.sh: node, tfjs wasm, one
 * thread); prints its JSON line, or why it was skipped. */
static void run_peer(const pr_album *al, const char *album_dir, const char *personrec,
                     const char *models)
{
    char csv[] = "/tmp/pr_bench_faces_XXXXXX";
    int fd = mkstemp(csv);
    FILE *f = fd >= 0 ? fdopen(fd, "w") : NULL;
    if (!f) {
        printf("face-api peer: skipped (cannot write a face list)\n");
        return;
    }
    fprintf(f, "image,x,y,w,h\n");
    for (int i = 0; i < al->n; i++)
        fprintf(f, "%s,%g,%g,%g,%g\n", al->faces[i].image, al->faces[i].box.x,
                al->faces[i].box.y, al->faces[i].box.w, al->faces[i].box.h);
    fclose(f);
    char cmd[16384], line[4096];
    snprintf(cmd, sizeof cmd, "PR_MODELS='%s' '%s/scripts/faceapi/bench_peer.sh' --personrec '%s' "
             "--root '%s' --repeat 2 '%s'", models, PR_SOURCE_DIR, personrec, album_dir, csv);
    struct rusage before, after;
    getrusage(RUSAGE_CHILDREN, &before);
    FILE *p = popen(cmd, "r");
    int got = 0;
    while (p && fgets(line, sizeof line, p)) {
        printf("face-api peer (same faces, same run): %s", line);
        got = 1;
    }
    int rc = p ? pclose(p) : -1;
    getrusage(RUSAGE_CHILDREN, &after);
    double cpu = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) +
                 (after.ru_utime.tv_usec - before.ru_utime.tv_usec) * 1e-6 +
                 (after.ru_stime.tv_sec - before.ru_stime.tv_sec) +
                 (after.ru_stime.tv_usec - before.ru_stime.tv_usec) * 1e-6;
    /* The peer runs one warm-up and 2 timed passes; its CPU time also holds node's start, the
     * package check and the photo decoding, so this is an upper bound per face. */
    if (got && rc == 0)
        printf("face-api peer CPU time: %.1f s for 3 passes over %d faces = at most %.2f ms CPU "
               "per face\n", cpu, al->n, cpu / (3.0 * al->n) * 1e3);
    if (!got || rc != 0)
        printf("face-api peer: skipped or failed (exit %d; needs node, npm packages and a "
               "personrec with info --rgb at %s)\n", rc, personrec);
    unlink(csv);
}

int main(int argc, char **argv)
{
    int max_faces = 0, auc_only = 0, no_peer = 0;
    const char *personrec = PR_BINARY_DIR "/personrec";
    char models[4096];
    const char *cli_models = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--faces") && i + 1 < argc)
            max_faces = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--auc-only"))
            auc_only = 1;
        else if (!strcmp(argv[i], "--no-peer"))
            no_peer = 1;
        else if (!strcmp(argv[i], "--personrec") && i + 1 < argc)
            personrec = argv[++i];
        else if (!strcmp(argv[i], "--models") && i + 1 < argc)
            cli_models = argv[++i];
    }
    if (pr_face_net_find_models(cli_models, models, sizeof models) != PR_OK) {
        fprintf(stderr, "bench_descriptor: %s\n", pr_last_error());
        return 1;
    }
    const char *data = getenv("PR_DATA_DIR");
    char album_dir[4200];
    snprintf(album_dir, sizeof album_dir, "%s/album", data && *data ? data : PR_DEFAULT_DATA_DIR);
    pr_album al;
    if (pr_album_load(album_dir, max_faces, &al) != PR_OK) {
        fprintf(stderr, "bench_descriptor: %s\n", pr_last_error());
        return 1;
    }
    float *lm = pr_malloc_array((size_t)al.n * 136, sizeof(float));
    float *desc = pr_malloc_array((size_t)al.n * 128, sizeof(float));
    printf("album: %d faces (truth boxes), models %s\n", al.n, models);
    static const struct { pr_face_align a; const char *name; } aligns[] = {
        {PR_FACE_ALIGN_DLIB_SQUARE, "dlib-square"}, {PR_FACE_ALIGN_SIMILARITY, "similarity"},
        {PR_FACE_ALIGN_BOX, "box"}};
    for (int k = 0; k < 3; k++) {
        pr_face_net *net = open_net(models, aligns[k].a, 2);
        pr_face_job *jobs = make_jobs(&al, lm, desc);
        pr_face_net_describe_many(net, jobs, al.n);
        auc_report(&al, desc, aligns[k].name);
        printf("    BCubed F %.4f (average linkage cut at 0.6, named faces)\n",
               bcubed_avg_linkage(&al, desc, 0.6));
        pr_free(jobs);
        pr_face_net_delete(net);
    }
    if (!auc_only) {
        pr_nn_plan *lmp, *recp;
        pr_faceapi_landmark_net(models, &lmp);
        pr_faceapi_recognition_net(models, &recp);
        double macs = pr_nn_plan_macs(lmp) + pr_nn_plan_macs(recp);
        pr_nn_plan_delete(lmp);
        pr_nn_plan_delete(recp);
        pr_blas_set_threads(1);
        double gf = sgemm_gflops();
        double roof_ms = 2 * macs / (gf * 1e9) * 1e3;
        printf("multiply-adds per face %.1f M; sgemm %.1f GFLOP/s on one thread -> roofline "
               "%.2f ms/face\n", macs / 1e6, gf, roof_ms);
        for (int threads = 1; threads <= 2; threads++) {
            timing t = time_faces(models, &al, threads, lm, desc);
            double cpu_ms = t.cpu_s / al.n * 1e3;
            printf("threads %d: %.2f ms/face wall (%.1f faces/s); %.2f ms CPU per face (%.0f%% of "
                   "the roofline)\n", threads, t.wall_s / al.n * 1e3, al.n / t.wall_s, cpu_ms,
                   roof_ms / cpu_ms * 100);
        }
        if (!no_peer)
            run_peer(&al, album_dir, personrec, models);
    }
    pr_free(lm);
    pr_free(desc);
    pr_album_free(&al);
    return 0;
}

/* Clustering benchmark on synthetic person instances with realistic dimensions.
 *
 *   bench_cluster [--n N]... [--threads T] [--device cpu|gpu|auto] [--seed S]
 *
 * An album of n instances: n / 20 people, each with an eigenface prototype (100 coefficients,
 * L2), a face colour histogram prototype (64 bins, chi-square) and one clothing histogram per event
 * (64 bins, chi-square, same-event only); instances are noisy copies; photos hold 1..4 different
 * people of one event (the cannot-link groups); 5 % of the face cues are missing (NaN), as for
 * profile faces. Prints, per n: the time of each pairwise distance matrix (CPU with T threads, and
 * the GPU when one is usable), of the fusion, of FasterPAM (default: 3 random starts + the
 * Park-Jun start) and Park-Jun, both with the constraint, k = number of people; the BCubed F
 * against the synthetic truth; and the peak resident memory. Defaults: n = 1000 and 10000,
 * T = 2, device auto. */
#define _POSIX_C_SOURCE 200809L
#include "cluster/distance.h"
#include "cluster/fusion.h"
#include "cluster/kmedoids.h"
#include "cluster/matrix.h"
#include "core/device.h"
#include "core/progress.h"
#include "core/rng.h"
#include "cuda/gpu.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>

enum { EIG = 100, HIST = 64 };

/* Process CPU seconds (all threads): with other jobs on the machine, wall time alone misleads. */
static double cpu_seconds(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec * 1e-6 + ru.ru_stime.tv_sec +
           ru.ru_stime.tv_usec * 1e-6;
}

static double peak_mb(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return ru.ru_maxrss / 1024.0; /* Linux: kilobytes */
}

static void random_hist(pr_rng *rng, float *h)
{
    double sum = 0;
    for (int b = 0; b < HIST; b++) {
        double u = pr_rng_uniform(rng);
        h[b] = (float)(u * u * u); /* peaky, like real colour histograms */
        sum += h[b];
    }
    for (int b = 0; b < HIST; b++)
        h[b] = (float)(h[b] / sum);
}

static void noisy_hist(pr_rng *rng, const float *proto, float *h, double noise)
{
    double sum = 0;
    for (int b = 0; b < HIST; b++) {
        double v = proto[b] * exp(noise * pr_rng_normal(rng));
        h[b] = (float)v;
        sum += v;
    }
    for (int b = 0; b < HIST; b++)
        h[b] = (float)(h[b] / sum);
}

static int cmp_i64(const void *a_, const void *b_)
{
    int64_t a = *(const int64_t *)a_, b = *(const int64_t *)b_;
    return (a > b) - (a < b);
}

/* BCubed F of labels against truth (Bagga & Baldwin 1998; Amigo et al. 2009). */
static double bcubed_f(int n, const int *labels, const int *truth)
{
    int64_t *key = malloc((size_t)n * sizeof *key);
    int *csize = calloc((size_t)n, sizeof *csize), *tsize = calloc((size_t)n, sizeof *tsize);
    for (int i = 0; i < n; i++) {
        key[i] = (int64_t)labels[i] * n + truth[i];
        csize[labels[i]]++;
        tsize[truth[i]]++;
    }
    qsort(key, (size_t)n, sizeof *key, cmp_i64);
    double p = 0, r = 0;
    for (int s = 0; s < n;) {
        int e = s + 1;
        while (e < n && key[e] == key[s])
            e++;
        int both = e - s, c = (int)(key[s] / n), t = (int)(key[s] % n);
        p += (double)both * both / csize[c];
        r += (double)both * both / tsize[t];
        s = e;
    }
    free(key);
    free(csize);
    free(tsize);
    p /= n;
    r /= n;
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

static int run(int n, int threads, pr_device device, uint64_t seed)
{
    int people = n / 20 > 2 ? n / 20 : 2, events = n / 100 > 1 ? n / 100 : 1;
    pr_rng rng;
    pr_rng_seed(&rng, seed);
    float *eig_proto = malloc((size_t)people * EIG * sizeof(float));
    float *face_proto = malloc((size_t)people * HIST * sizeof(float));
    float *body_proto = malloc((size_t)people * events * HIST * sizeof(float));
    float *eig = malloc((size_t)n * EIG * sizeof(float));
    float *face = malloc((size_t)n * HIST * sizeof(float));
    float *body = malloc((size_t)n * HIST * sizeof(float));
    int *truth = malloc((size_t)n * sizeof(int));
    int32_t *event = malloc((size_t)n * sizeof(int32_t)), *photo = malloc((size_t)n * sizeof(int32_t));
    int missing = 0;
    for (int q = 0; q < people; q++) {
        for (int t = 0; t < EIG; t++)
            eig_proto[q * EIG + t] = (float)(pr_rng_normal(&rng) * 10.0 / (1 + t * 0.1));
        random_hist(&rng, face_proto + (size_t)q * HIST);
        for (int e = 0; e < events; e++)
            random_hist(&rng, body_proto + ((size_t)q * events + e) * HIST);
    }
    int ph = -1, left = 0, ev = 0;
    for (int i = 0; i < n; i++) {
        if (left == 0) {
            ph++;
            left = 1 + (int)pr_rng_below(&rng, 4);
            ev = (int)pr_rng_below(&rng, (uint64_t)events);
        }
        /* distinct people within a photo: consecutive ids from a random start */
        int q = (int)pr_rng_below(&rng, (uint64_t)people);
        for (int j = i - 1; j >= 0 && photo[j] == ph; j--)
            if (truth[j] == q) {
                q = (q + 1) % people;
                j = i;
            }
        truth[i] = q;
        photo[i] = ph;
        event[i] = ev;
        left--;
        for (int t = 0; t < EIG; t++)
            eig[(size_t)i * EIG + t] = eig_proto[q * EIG + t] +
                                       (float)(pr_rng_normal(&rng) * 7.0 / (1 + t * 0.1));
        noisy_hist(&rng, face_proto + (size_t)q * HIST, face + (size_t)i * HIST, 0.6);
        noisy_hist(&rng, body_proto + ((size_t)q * events + ev) * HIST, body + (size_t)i * HIST,
                   0.6);
    }
    size_t nn = (size_t)n * n;
    float *d_eig = pr_matrix_alloc((size_t)n, (size_t)n), *d_face = pr_matrix_alloc((size_t)n, (size_t)n);
    float *d_body = pr_matrix_alloc((size_t)n, (size_t)n), *fused = pr_matrix_alloc((size_t)n, (size_t)n);
    if (!d_eig || !d_face || !d_body || !fused) {
        fprintf(stderr, "bench_cluster: out of memory for n = %d\n", n);
        return 1;
    }
    printf("n %d: %d people, %d events, %d photos, dims eigenface %d / histograms %d, %d threads\n",
           n, people, events, ph + 1, EIG, HIST, threads);
    /* First touch of 4 x n^2 floats is page-fault work of the kernel, not of the kernels: time it
     * apart so the figures below are the computation. */
    double t_touch = pr_now_seconds();
    memset(d_eig, 0, nn * sizeof(float));
    memset(d_face, 0, nn * sizeof(float));
    memset(d_body, 0, nn * sizeof(float));
    memset(fused, 0, nn * sizeof(float));
    printf("  first touch of 4 matrices (%.0f MB) %8.3f s\n", 4.0 * nn * sizeof(float) / 1048576.0,
           pr_now_seconds() - t_touch);

    struct {
        const char *name;
        pr_distance_metric metric;
        const float *x;
        int dim;
        float *out;
    } cues[3] = {{"eigenface L2", PR_DISTANCE_L2, eig, EIG, d_eig},
                 {"face hist chi2", PR_DISTANCE_CHI2, face, HIST, d_face},
                 {"body hist chi2", PR_DISTANCE_CHI2, body, HIST, d_body}};
    double t_dist_cpu = 0;
    for (int c = 0; c < 3; c++) {
        pr_distance_params dp = pr_distance_params_default();
        dp.metric = cues[c].metric;
        dp.threads = threads;
        dp.device = PR_DEVICE_CPU;
        double t0 = pr_now_seconds(), c0 = cpu_seconds();
        if (pr_distance_pairwise(&dp, cues[c].x, n, cues[c].x, n, cues[c].dim, cues[c].out,
                                 NULL) != PR_OK)
            return 1;
        double t = pr_now_seconds() - t0;
        t_dist_cpu += t;
        printf("  distance %-15s cpu %8.3f s wall, %7.3f s cpu (%.1f Mpairs/s)", cues[c].name, t,
               cpu_seconds() - c0, (double)n * n / 2 / t / 1e6);
        if (device != PR_DEVICE_CPU && pr_gpu_available()) {
            float *g = malloc(nn * sizeof(float));
            dp.device = PR_DEVICE_GPU;
            t0 = pr_now_seconds();
            pr_status st = pr_distance_pairwise(&dp, cues[c].x, n, cues[c].x, n, cues[c].dim, g,
                                                NULL);
            double tg = pr_now_seconds() - t0;
            if (st == PR_OK)
                printf("  gpu %8.3f s (x%.1f, %s)", tg, t / tg,
                       memcmp(g, cues[c].out, nn * sizeof(float)) ? "DIFFERS" : "identical");
            else
                printf("  gpu failed");
            free(g);
        }
        printf("\n");
    }
    for (size_t e = 0; e < nn; e++) {
        size_t i = e / (size_t)n, j = e % (size_t)n;
        /* ~5 % of instances have no usable eigenface (profile) */
        if (i != j && ((i * 2654435761u) % 100 < 5 || (j * 2654435761u) % 100 < 5))
            d_eig[e] = NAN;
    }
    for (int i = 0; i < n; i++)
        missing += (int)(((size_t)i * 2654435761u) % 100 < 5);

    pr_cue_matrix cm[3] = {{"eigenface", d_eig, 1.0, 0}, {"face colour", d_face, 0.5, 0},
                           {"body colour", d_body, 1.0, 1}};
    pr_fusion_params fp = pr_fusion_params_default();
    fp.event = event;
    fp.threads = threads;
    double t0 = pr_now_seconds(), c0 = cpu_seconds();
    if (pr_fuse_distances(&fp, cm, 3, n, fused) != PR_OK)
        return 1;
    double t_fuse = pr_now_seconds() - t0;
    printf("  fusion (rank, 3 cues, %d instances without eigenface) %8.3f s wall, %7.3f s cpu\n",
           missing, t_fuse, cpu_seconds() - c0);

    double t_fp = 0;
    for (int alg = 0; alg < 2; alg++) {
        pr_kmedoids_params kp = pr_kmedoids_params_default();
        kp.k = people;
        kp.seed = seed;
        kp.group = photo;
        kp.threads = threads;
        kp.algorithm = alg ? PR_KMEDOIDS_PARKJUN : PR_KMEDOIDS_FASTERPAM;
        pr_kmedoids_result r;
        t0 = pr_now_seconds();
        c0 = cpu_seconds();
        if (pr_kmedoids(fused, n, &kp, &r) != PR_OK) {
            fprintf(stderr, "%s\n", pr_last_error());
            return 1;
        }
        double t = pr_now_seconds() - t0;
        if (!alg)
            t_fp = t;
        printf("  %-9s k %4d: %8.3f s wall, %7.3f s cpu, %d passes, %d swaps, loss %.2f "
               "(unconstrained %.2f), constraint %s, BCubed F %.3f\n",
               alg ? "Park-Jun" : "FasterPAM", people, t, cpu_seconds() - c0, r.passes, r.swaps, r.loss,
               r.loss_unconstrained, pr_kmedoids_constraint_ok(n, photo, r.labels) ? "ok" : "VIOLATED",
               bcubed_f(n, r.labels, truth));
        pr_kmedoids_result_free(&r);
    }
    printf("  total (cpu distances + fusion + FasterPAM): %.3f s; peak memory %.0f MB\n",
           t_dist_cpu + t_fuse + t_fp, peak_mb());
    free(eig_proto);
    free(face_proto);
    free(body_proto);
    free(eig);
    free(face);
    free(body);
    free(truth);
    free(event);
    free(photo);
    pr_matrix_free(d_eig);
    pr_matrix_free(d_face);
    pr_matrix_free(d_body);
    pr_matrix_free(fused);
    return 0;
}

int main(int argc, char **argv)
{
    int ns[8], count = 0, threads = 2;
    uint64_t seed = 1;
    pr_device device = PR_DEVICE_AUTO;
    for (int a = 1; a < argc; a++) {
        if (!strcmp(argv[a], "--n") && a + 1 < argc && count < 8)
            ns[count++] = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--threads") && a + 1 < argc)
            threads = atoi(argv[++a]);
        else if (!strcmp(argv[a], "--seed") && a + 1 < argc)
            seed = strtoull(argv[++a], NULL, 10);
        else if (!strcmp(argv[a], "--device") && a + 1 < argc && pr_device_parse(argv[a + 1]) >= 0)
            device = (pr_device)pr_device_parse(argv[++a]);
        else {
            fprintf(stderr, "usage: bench_cluster [--n N]... [--threads T] [--device cpu|gpu|auto] "
                            "[--seed S]\n");
            return 2;
        }
    }
    if (count == 0) {
        ns[count++] = 1000;
        ns[count++] = 10000;
    }
    pr_gpu_info info;
    if (pr_gpu_probe(&info) == PR_OK)
        printf("GPU: %s\n", info.name);
    else
        printf("GPU: none (%s)\n", pr_last_error());
    for (int c = 0; c < count; c++)
        if (ns[c] < 2 || run(ns[c], threads, device, seed) != 0)
            return 1;
    return 0;
}

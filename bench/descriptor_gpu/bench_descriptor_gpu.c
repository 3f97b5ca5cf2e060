/* bench_descriptor_gpu [--models DIR] [--batches 1,64,1024] [--repeat R] [--device auto|cpu|gpu]
 *                      [--tf32] [--json FILE]
 * Faces per second of the two face-api nets (landmarks 112x112 + descriptor 150x150) run as
 * batches through the GPU runner (cuda/nn.h), or the CPU runner for the CPU column. Times are wall
 * clock per call, host copies included (inputs prepared beforehand: crops and alignment are CPU
 * work measured by bench_descriptor); the achieved GFLOP/s (2 x multiply-adds per face x faces/s)
 * is printed beside it for the roofline. Inputs are seeded random values in the range of real net
 * inputs: the nets' cost does not depend on the values. On the CPU, batches above 64 are skipped
 * (about 15 ms a face: bench_descriptor measures that column). */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "core/device.h"
#include "core/rng.h"
#include "cuda/gpu.h"
#include "cuda/nn.h"
#include "nn/dispatch.h"
#include "nn/faceapi.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

typedef struct net {
    pr_nn_plan *plan;
    pr_cuda_nn *gpu;     /* GPU column */
    pr_nn_runner *cpu;   /* CPU column */
    float *in, *out;
    size_t in_f, out_f;
} net;

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec * 1e-9;
}

static size_t floats(pr_nn_shape s) { return (size_t)s.h * s.w * s.c; }

static pr_status net_open(net *n, pr_nn_plan *plan, int gpu, int tf32, int max_batch)
{
    memset(n, 0, sizeof *n);
    n->plan = plan;
    n->in_f = floats(plan->values[0]);
    n->out_f = floats(plan->values[plan->output]);
    n->in = pr_malloc_array((size_t)max_batch * n->in_f, sizeof(float));
    n->out = pr_malloc_array((size_t)max_batch * n->out_f, sizeof(float));
    if (!n->in || !n->out)
        return pr_set_error(PR_ERR_NOMEM, "bench: out of memory");
    pr_rng rng;
    pr_rng_seed(&rng, 42);
    for (size_t i = 0; i < (size_t)max_batch * n->in_f; i++)
        n->in[i] = (float)(pr_rng_uniform(&rng) * 1.2 - 0.6);
    if (!gpu)
        return pr_nn_runner_new(plan, PR_DEVICE_CPU, 0, &n->cpu);
    pr_cuda_nn_params p = pr_cuda_nn_params_default();
    p.max_batch = max_batch;
    p.tf32 = tf32;
    return pr_cuda_nn_new(plan, &p, &n->gpu);
}

static void net_close(net *n)
{
    pr_cuda_nn_delete(n->gpu);
    pr_nn_runner_delete(n->cpu);
    pr_free(n->in);
    pr_free(n->out);
    pr_nn_plan_delete(n->plan);
}

static pr_status net_run(net *n, int batch)
{
    return n->gpu ? pr_cuda_nn_run(n->gpu, n->in, batch, n->out)
                  : pr_nn_runner_run(n->cpu, n->in, batch, n->out);
}

/* Best-of-repeat seconds for one batch through the net (after one warm-up call). */
static pr_status time_net(net *n, int batch, int repeat, double *best)
{
    pr_status st = net_run(n, batch);
    *best = 1e30;
    for (int r = 0; st == PR_OK && r < repeat; r++) {
        double t0 = now();
        st = net_run(n, batch);
        double t = now() - t0;
        *best = t < *best ? t : *best;
    }
    return st;
}

static int parse_batches(const char *text, int *b, int max)
{
    int n = 0;
    for (const char *p = text; *p && n < max;) {
        b[n] = atoi(p);
        if (b[n] < 1)
            return 0;
        n++;
        p = strchr(p, ',');
        if (!p)
            break;
        p++;
    }
    return n;
}

/* One table row (and JSON object) per batch size. */
static int bench_batches(net *lm, net *rec, const int *batches, int n_batches, int repeat,
                         int gpu, FILE *js)
{
    double macs = pr_nn_plan_macs(lm->plan) + pr_nn_plan_macs(rec->plan);
    printf("%-6s %7s %12s %12s %14s %10s\n", "device", "batch", "faces/s", "desc faces/s",
           "lm+desc ms/b", "GFLOP/s");
    for (int i = 0; i < n_batches; i++) {
        int b = batches[i];
        if (!gpu && b > 64) {
            printf("%-6s %7d  skipped on the CPU (bench_descriptor measures the CPU)\n", "cpu", b);
            continue;
        }
        double t_lm, t_rec;
        if (time_net(lm, b, repeat, &t_lm) != PR_OK || time_net(rec, b, repeat, &t_rec) != PR_OK) {
            fprintf(stderr, "bench_descriptor_gpu: batch %d: %s\n", b, pr_last_error());
            return 1;
        }
        double fps = b / (t_lm + t_rec), desc = b / t_rec, gflops = 2 * macs * fps / 1e9;
        printf("%-6s %7d %12.0f %12.0f %14.3f %10.1f\n", gpu ? "gpu" : "cpu", b, fps, desc,
               (t_lm + t_rec) * 1e3, gflops);
        if (js)
            fprintf(js, "%s{\"device\":\"%s\",\"batch\":%d,\"faces_per_s\":%.1f,"
                        "\"descriptor_faces_per_s\":%.1f,\"ms_landmarks\":%.4f,"
                        "\"ms_descriptor\":%.4f,\"gflops\":%.1f}",
                    i ? ",\n " : "", gpu ? "gpu" : "cpu", b, fps, desc, t_lm * 1e3, t_rec * 1e3,
                    gflops);
    }
    return 0;
}

static int bench_main(const char *models, const int *batches, int n_batches, int repeat,
                      pr_device device, int tf32, const char *json)
{
    pr_gpu_info info;
    int gpu = device != PR_DEVICE_CPU && pr_gpu_probe(&info) == PR_OK;
    if (!gpu && device == PR_DEVICE_GPU) {
        fprintf(stderr, "bench_descriptor_gpu: GPU requested: %s\n", pr_last_error());
        return 1;
    }
    if (!gpu && device == PR_DEVICE_AUTO)
        printf("note: %s: CPU column only\n", pr_last_error());
    int max_batch = 1;
    for (int i = 0; i < n_batches; i++)
        max_batch = batches[i] > max_batch ? batches[i] : max_batch;
    if (!gpu && max_batch > 64)
        max_batch = 64;
    pr_nn_plan *lp = NULL, *rp = NULL;
    net lm, rec;
    memset(&lm, 0, sizeof lm);
    memset(&rec, 0, sizeof rec);
    int rc = 1;
    if (pr_faceapi_landmark_net(models, &lp) != PR_OK ||
        pr_faceapi_recognition_net(models, &rp) != PR_OK) {
        fprintf(stderr, "bench_descriptor_gpu: %s\n", pr_last_error());
        pr_nn_plan_delete(lp);
        return 1;
    }
    pr_status st = net_open(&lm, lp, gpu, tf32, max_batch);
    if (st == PR_OK)
        st = net_open(&rec, rp, gpu, tf32, max_batch);
    else
        pr_nn_plan_delete(rp);
    if (st != PR_OK) {
        fprintf(stderr, "bench_descriptor_gpu: %s\n", pr_last_error());
        goto done;
    }
    if (gpu)
        printf("GPU: %s (sm_%d%d, %d SMs), math %s\n", info.name, info.major, info.minor,
               info.multiprocessors, tf32 ? "TF32 tensor cores" : "FP32 (no TF32)");
    printf("multiply-adds per face: landmarks %.1f M + descriptor %.1f M; best of %d\n",
           pr_nn_plan_macs(lp) / 1e6, pr_nn_plan_macs(rp) / 1e6, repeat);
    FILE *js = json ? fopen(json, "w") : NULL;
    if (json && !js)
        fprintf(stderr, "bench_descriptor_gpu: cannot write %s\n", json);
    if (js)
        fprintf(js, "{\"tf32\":%d,\"rows\":[", tf32);
    rc = bench_batches(&lm, &rec, batches, n_batches, repeat, gpu, js);
    if (js) {
        fprintf(js, "]}\n");
        fclose(js);
    }
done:
    net_close(&lm);
    net_close(&rec);
    return rc;
}

static int usage(void)
{
    fprintf(stderr, "usage: bench_descriptor_gpu [--models DIR] [--batches 1,64,1024] "
                    "[--repeat R] [--device auto|cpu|gpu] [--tf32] [--json FILE]\n");
    return 2;
}

int main(int argc, char **argv)
{
    const char *models = getenv("PERSONREC_MODELS"), *json = NULL;
    if (!models || !*models)
        models = PR_SOURCE_DIR "/../shared/models/faceapi";
    int batches[16] = {1, 64, 1024}, n_batches = 3, repeat = 5, tf32 = 0, device = PR_DEVICE_AUTO;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models = argv[++i];
        else if (!strcmp(argv[i], "--batches") && i + 1 < argc)
            n_batches = parse_batches(argv[++i], batches, 16);
        else if (!strcmp(argv[i], "--repeat") && i + 1 < argc)
            repeat = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--device") && i + 1 < argc)
            device = pr_device_parse(argv[++i]);
        else if (!strcmp(argv[i], "--tf32"))
            tf32 = 1;
        else if (!strcmp(argv[i], "--json") && i + 1 < argc)
            json = argv[++i];
        else
            return usage();
    }
    if (n_batches < 1 || repeat < 1 || device < 0)
        return usage();
    return bench_main(models, batches, n_batches, repeat, (pr_device)device, tf32, json);
}

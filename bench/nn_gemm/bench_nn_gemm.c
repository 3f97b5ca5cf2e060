/* bench_nn_gemm [--models DIR] [--net ssd|landmark|recognition] [--rounds R] [--min-ms MS]
 *               [--no-whole] [--op SUBSTRING] [--kernel avx512|avx2|blas]
 * Our sgemm (nn/gemm.h: AVX-512 and AVX2 kernels) against cblas_sgemm, one thread, on the GEMMs
 * a net's convolutions make (default: the SSD detector at 512 x 512): the shapes are taken from
 * the loaded plan the way nn/ops_fast.c cuts them (gemm_shape). B = the net's real weights, A
 * random.
 * Each op's GEMMs are timed as the net runs them (same buffers, block after block), the best of
 * R rounds of at least MS ms each, in process CPU time (the machine may be shared). Prints per op
 * and per kernel GFLOP/s, the sum over the net (= the net's GEMM time per image), and, unless
 * --no-whole, one whole pr_nn_run of the net as ops_fast.c does it today, for the GEMMs' share.
 * --op: only the convolutions whose weights' name contains SUBSTRING; --kernel: time only that
 * kernel (the others still run once for the comparison).
 * Set OPENBLAS_CORETYPE before the run to choose OpenBLAS's kernel; its choice is printed. */
#define _POSIX_C_SOURCE 200809L
#include "core/alloc.h"
#include "nn/faceapi.h"
#include "nn/gemm.h"
#include "nn/ops.h"
#include "nn/run.h"
#include "nn/ssd.h"

#include <cblas.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static double cpu_now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
    return t.tv_sec + t.tv_nsec * 1e-9;
}

static uint64_t state = 17;

static float frand(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (float)((state >> 40) / (double)(1 << 24)) * 2.0f - 1.0f;
}

/* The GEMMs of one convolution op, as pr_nn_conv_fast_n (nn/ops_fast.c) makes them for one
 * image: the 1x1 map case, the pointwise path in output blocks of max(PR_NN_OUT_BLOCK_FLOATS /
 * cout, 4 cout) rows (each block its own rows of the input), im2col in blocks of
 * pr_nn_conv_col_floats / k rows (every block in the same scratch). Keep in step with it. */
typedef struct gemm_op {
    const pr_nn_op *op;
    int m, n, k;    /* the whole product: m output pixels, n = cout, k taps */
    int rows;       /* rows per GEMM call */
    int a_advances; /* 1: block i reads A's rows of block i (pointwise); 0: one im2col buffer */
    const float *w; /* B */
} gemm_op;

static void gemm_shape(const pr_nn_op *op, pr_nn_shape xs, pr_nn_shape ys, gemm_op *g)
{
    g->op = op;
    g->n = ys.c;
    g->w = op->weights;
    g->a_advances = 0;
    if (xs.h == 1 && xs.w == 1 && ys.h == 1 && ys.w == 1 && op->pad_top < op->kh &&
        op->pad_left < op->kw) {
        g->m = g->rows = 1;
        g->k = xs.c;
        g->w += (size_t)(op->pad_top * op->kw + op->pad_left) * xs.c * ys.c;
        return;
    }
    g->m = ys.h * ys.w;
    g->k = op->kh * op->kw * xs.c;
    if (op->kh == 1 && op->kw == 1 && op->stride == 1 && op->pad_top == 0 && op->pad_left == 0 &&
        ys.h == xs.h && ys.w == xs.w) {
        int rows = PR_NN_OUT_BLOCK_FLOATS / g->n;
        rows = rows > 4 * g->n ? rows : 4 * g->n;
        g->rows = rows < g->m ? rows : g->m;
        g->a_advances = 1;
    } else {
        g->rows = (int)(pr_nn_conv_col_floats(op, xs, ys, 1) / (size_t)g->k);
    }
}

enum { KERNELS = 3 };
static const pr_nn_gemm_kernel kernels[KERNELS] = {PR_NN_GEMM_AVX512, PR_NN_GEMM_AVX2,
                                                   PR_NN_GEMM_BLAS};

/* One pass of the op's GEMMs with kernel: a is the im2col block (or the whole input), c the op's
 * output. */
static void run_op(const gemm_op *g, pr_nn_gemm_kernel kern, const float *a, float *c)
{
    for (int p0 = 0; p0 < g->m; p0 += g->rows) {
        int r = g->m - p0 < g->rows ? g->m - p0 : g->rows;
        const float *ap = g->a_advances ? a + (size_t)p0 * g->k : a;
        if (kern == PR_NN_GEMM_BLAS)
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, r, g->n, g->k, 1.0f, ap, g->k,
                        g->w, g->n, 1.0f, c + (size_t)p0 * g->n, g->n);
        else
            pr_nn_sgemm_with(kern, r, g->n, g->k, ap, g->k, g->w, g->n, c + (size_t)p0 * g->n,
                             g->n);
    }
}

/* Seconds of CPU per pass: the best of rounds rounds of at least min_s each. */
static double time_op(const gemm_op *g, pr_nn_gemm_kernel kern, const float *a, float *c,
                      int rounds, double min_s)
{
    double t0 = cpu_now();
    run_op(g, kern, a, c);
    double once = cpu_now() - t0;
    int reps = once > 0 ? (int)(min_s / once) + 1 : 1000;
    double best = HUGE_VAL;
    for (int r = 0; r < rounds; r++) {
        t0 = cpu_now();
        for (int i = 0; i < reps; i++)
            run_op(g, kern, a, c);
        double t = (cpu_now() - t0) / reps;
        best = t < best ? t : best;
    }
    return best;
}

static pr_status load_net(const char *net, const char *models, pr_nn_plan **plan)
{
    if (!strcmp(net, "ssd")) {
        float *anchors = NULL;
        pr_status st = pr_ssd_load(models, plan, &anchors);
        pr_free(anchors);
        return st;
    }
    if (!strcmp(net, "landmark"))
        return pr_faceapi_landmark_net(models, plan);
    if (!strcmp(net, "recognition"))
        return pr_faceapi_recognition_net(models, plan);
    return pr_set_error(PR_ERR_ARG, "bench_nn_gemm: unknown net '%s'", net);
}

int main(int argc, char **argv)
{
    const char *models = PR_SOURCE_DIR "/../shared/models/faceapi", *net = "ssd";
    const char *only = NULL, *only_kernel = NULL;
    int rounds = 3, whole = 1;
    double min_s = 0.1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--models") && i + 1 < argc)
            models = argv[++i];
        else if (!strcmp(argv[i], "--net") && i + 1 < argc)
            net = argv[++i];
        else if (!strcmp(argv[i], "--rounds") && i + 1 < argc)
            rounds = atoi(argv[++i]);
        else if (!strcmp(argv[i], "--min-ms") && i + 1 < argc)
            min_s = atof(argv[++i]) / 1000.0;
        else if (!strcmp(argv[i], "--no-whole"))
            whole = 0;
        else if (!strcmp(argv[i], "--op") && i + 1 < argc)
            only = argv[++i];
        else if (!strcmp(argv[i], "--kernel") && i + 1 < argc)
            only_kernel = argv[++i];
        else {
            fprintf(stderr, "usage: bench_nn_gemm [--models DIR] [--net ssd|landmark|recognition] "
                            "[--rounds R] [--min-ms MS] [--no-whole] [--op SUBSTRING]\n"
                            "                     [--kernel avx512|avx2|blas]\n");
            return 2;
        }
    }
    if (rounds < 1)
        rounds = 1;
    pr_nn_plan *plan = NULL;
    if (load_net(net, models, &plan) != PR_OK) {
        fprintf(stderr, "bench_nn_gemm: %s\n", pr_last_error());
        return 1;
    }
    openblas_set_num_threads(1);
    const char *coretype = getenv("OPENBLAS_CORETYPE");
    printf("net %s (%s), 1 thread, process CPU time, best of %d rounds of >= %.0f ms\n", net,
           models, rounds, min_s * 1000);
    printf("OpenBLAS core %s (OPENBLAS_CORETYPE=%s), config: %s\n", openblas_get_corename(),
           coretype ? coretype : "(unset)", openblas_get_config());
    printf("pr_nn_sgemm chooses %s; avx512 %s, avx2 %s\n\n",
           pr_nn_sgemm_kernel_name(pr_nn_sgemm_kernel()),
           pr_nn_sgemm_available(PR_NN_GEMM_AVX512) ? "available" : "not available",
           pr_nn_sgemm_available(PR_NN_GEMM_AVX2) ? "available" : "not available");
    printf("%-44s %6s %5s %5s %5s | %8s %8s %8s | %s\n", "op", "m", "n", "k", "calls", "avx512",
           "avx2", "blas", "max |ours-blas|/max|blas|");
    printf("%-44s %6s %5s %5s %5s | %26s |\n", "", "", "", "", "", "GFLOP/s (CPU time)");

    double total[KERNELS] = {0}, flops_total = 0, worst_diff = 0;
    for (int i = 0; i < plan->n_ops; i++) {
        const pr_nn_op *op = &plan->ops[i];
        if (op->kind != PR_NN_CONV || (only && !strstr(op->name, only)))
            continue;
        gemm_op g;
        gemm_shape(op, plan->values[op->in0], plan->values[op->out], &g);
        size_t na = (size_t)(g.a_advances ? g.m : g.rows) * g.k, nc = (size_t)g.m * g.n;
        float *a = pr_malloc_array(na, sizeof *a);
        float *c[KERNELS];
        for (int kk = 0; kk < KERNELS; kk++)
            c[kk] = pr_calloc(nc, sizeof(float));
        for (size_t j = 0; j < na; j++)
            a[j] = frand();
        double flops = 2.0 * g.m * g.n * g.k, secs[KERNELS] = {0};
        flops_total += flops;
        for (int kk = 0; kk < KERNELS; kk++) {
            if (!pr_nn_sgemm_available(kernels[kk]) ||
                (only_kernel && strcmp(only_kernel, pr_nn_sgemm_kernel_name(kernels[kk]))))
                continue;
            run_op(&g, kernels[kk], a, c[kk]); /* the values compared below: C = A * B once */
            secs[kk] = time_op(&g, kernels[kk], a, c[kk], rounds, min_s);
            total[kk] += secs[kk];
        }
        /* Compare one fresh pass of each kernel against BLAS's. */
        double maxd = 0, maxv = 0;
        for (int kk = 0; kk < KERNELS; kk++) {
            memset(c[kk], 0, nc * sizeof(float));
            if (pr_nn_sgemm_available(kernels[kk]))
                run_op(&g, kernels[kk], a, c[kk]);
        }
        for (size_t j = 0; j < nc; j++) {
            maxv = fmax(maxv, fabs(c[2][j]));
            for (int kk = 0; kk < 2; kk++)
                if (pr_nn_sgemm_available(kernels[kk]))
                    maxd = fmax(maxd, fabs((double)c[kk][j] - c[2][j]));
        }
        double rel = maxv > 0 ? maxd / maxv : 0;
        worst_diff = fmax(worst_diff, rel);
        char gf[KERNELS][16];
        for (int kk = 0; kk < KERNELS; kk++)
            if (secs[kk] > 0)
                snprintf(gf[kk], sizeof gf[kk], "%.1f", flops / secs[kk] / 1e9);
            else
                snprintf(gf[kk], sizeof gf[kk], "-");
        printf("%-44.44s %6d %5d %5d %5d | %8s %8s %8s | %.1e\n", op->name, g.rows, g.n, g.k,
               (g.m + g.rows - 1) / g.rows, gf[0], gf[1], gf[2], rel);
        pr_free(a);
        for (int kk = 0; kk < KERNELS; kk++)
            pr_free(c[kk]);
    }
    printf("\nall convolutions: %.3f GFLOP per image\n", flops_total / 1e9);
    for (int kk = 0; kk < KERNELS; kk++)
        if (total[kk] > 0)
            printf("  %-7s %8.2f ms CPU per image  (%.1f GFLOP/s)\n",
                   pr_nn_sgemm_kernel_name(kernels[kk]), total[kk] * 1e3,
                   flops_total / total[kk] / 1e9);
    printf("  largest relative difference to BLAS: %.1e\n", worst_diff);

    if (whole) {
        pr_nn_shape in = plan->values[0], out = plan->values[plan->output];
        size_t nin = (size_t)in.h * in.w * in.c;
        float *x = pr_malloc_array(nin, sizeof *x),
              *y = pr_malloc_array((size_t)out.h * out.w * out.c, sizeof *y);
        float *ws = pr_nn_workspace_new(plan);
        for (size_t j = 0; j < nin; j++)
            x[j] = frand();
        double best = HUGE_VAL;
        pr_nn_run(plan, PR_NN_MODE_FAST, x, y, ws);
        for (int r = 0; r < rounds; r++) {
            double t0 = cpu_now();
            pr_nn_run(plan, PR_NN_MODE_FAST, x, y, ws);
            double t = cpu_now() - t0;
            best = t < best ? t : best;
        }
        printf("\nwhole net, pr_nn_run fast (nn/ops_fast.c as built): %.2f ms CPU per image "
               "(best of %d)\n",
               best * 1e3, rounds);
        pr_free(x);
        pr_free(y);
        pr_free(ws);
    }
    pr_nn_plan_delete(plan);
    return 0;
}

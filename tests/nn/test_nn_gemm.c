/* nn/gemm: every kernel this CPU can run (BLAS, AVX2, AVX-512) against a double-precision
 * reference on random matrices (fixed seed): awkward sizes around the register tiles and the
 * blocks, strides wider than the matrices, and the SSD's own GEMM shapes. Our kernels must also
 * equal the scalar chain c = fmaf(a, b, c) over p in order bit for bit (the order nn/gemm.h
 * promises), give the same bits on a second call and in four threads at once (TSan-clean), and
 * leave C's padding alone. */
#include "core/alloc.h"
#include "nn/gemm.h"
#include "tests/test.h"

#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

static uint64_t state = 20261202;

static uint32_t next_u32(void)
{
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(state >> 32);
}

static float frand(void) { return (float)(next_u32() >> 8) / (float)(1 << 24) * 2.0f - 1.0f; }

static int irand(int lo, int hi) { return lo + (int)(next_u32() % (uint32_t)(hi - lo + 1)); }

#define SENTINEL 12345.0f

typedef struct shape {
    int m, n, k, pad_a, pad_b, pad_c;
} shape;

/* Runs one shape through every available kernel (failures counted by the PR_CHECKs). */
static void check_shape(shape s)
{
    int lda = s.k + s.pad_a, ldb = s.n + s.pad_b, ldc = s.n + s.pad_c;
    size_t na = (size_t)s.m * lda, nb = (size_t)s.k * ldb, nc = (size_t)s.m * ldc;
    float *a = pr_malloc_array(na, sizeof *a), *b = pr_malloc_array(nb, sizeof *b);
    float *c0 = pr_malloc_array(nc, sizeof *c0), *c = pr_malloc_array(nc, sizeof *c);
    float *c2 = pr_malloc_array(nc, sizeof *c2), *chain = pr_malloc_array(nc, sizeof *chain);
    double *ref = pr_malloc_array(nc, sizeof *ref), *scale = pr_malloc_array(nc, sizeof *scale);
    PR_CHECK(a && b && c0 && c && c2 && chain && ref && scale);
    if (!(a && b && c0 && c && c2 && chain && ref && scale))
        goto done;
    for (size_t i = 0; i < na; i++)
        a[i] = frand();
    for (size_t i = 0; i < nb; i++)
        b[i] = frand();
    /* C starts as a bias would: non-zero, and the padding holds a sentinel. */
    for (int i = 0; i < s.m; i++)
        for (int j = 0; j < ldc; j++)
            c0[(size_t)i * ldc + j] = j < s.n ? frand() : SENTINEL;
    for (int i = 0; i < s.m; i++)
        for (int j = 0; j < s.n; j++) {
            double sum = c0[(size_t)i * ldc + j], mag = fabs(sum);
            float f = c0[(size_t)i * ldc + j];
            for (int p = 0; p < s.k; p++) {
                float x = a[(size_t)i * lda + p], y = b[(size_t)p * ldb + j];
                sum += (double)x * y;
                mag += fabs((double)x * y);
                f = fmaf(x, y, f);
            }
            ref[(size_t)i * ldc + j] = sum;
            scale[(size_t)i * ldc + j] = mag;
            chain[(size_t)i * ldc + j] = f;
        }
    static const pr_nn_gemm_kernel kernels[3] = {PR_NN_GEMM_BLAS, PR_NN_GEMM_AVX2,
                                                 PR_NN_GEMM_AVX512};
    double tol = 1e-5 * sqrt((double)s.k);
    for (int kk = 0; kk < 3; kk++) {
        pr_nn_gemm_kernel kern = kernels[kk];
        if (!pr_nn_sgemm_available(kern))
            continue;
        memcpy(c, c0, nc * sizeof *c);
        memcpy(c2, c0, nc * sizeof *c2);
        pr_nn_sgemm_with(kern, s.m, s.n, s.k, a, lda, b, ldb, c, ldc);
        pr_nn_sgemm_with(kern, s.m, s.n, s.k, a, lda, b, ldb, c2, ldc);
        double worst = 0;
        int pad_ok = 1, chain_ok = 1;
        for (int i = 0; i < s.m; i++)
            for (int j = 0; j < ldc; j++) {
                size_t at = (size_t)i * ldc + j;
                if (j >= s.n) {
                    pad_ok &= c[at] == SENTINEL;
                    continue;
                }
                double err = fabs((double)c[at] - ref[at]) / (scale[at] > 0 ? scale[at] : 1);
                if (!(err <= worst)) /* NaN too (fmax would drop it) */
                    worst = err;
                chain_ok &= memcmp(&c[at], &chain[at], sizeof(float)) == 0;
            }
        PR_CHECK_MSG(worst <= tol, "%s m %d n %d k %d (ld %d %d %d): relative error %.3g > %.3g",
                     pr_nn_sgemm_kernel_name(kern), s.m, s.n, s.k, lda, ldb, ldc, worst, tol);
        PR_CHECK_MSG(pad_ok, "%s m %d n %d k %d: C's padding columns written",
                     pr_nn_sgemm_kernel_name(kern), s.m, s.n, s.k);
        if (kern != PR_NN_GEMM_BLAS) {
            PR_CHECK_MSG(chain_ok, "%s m %d n %d k %d: not the fmaf chain in p order",
                         pr_nn_sgemm_kernel_name(kern), s.m, s.n, s.k);
            PR_CHECK_MSG(!memcmp(c, c2, nc * sizeof *c), "%s m %d n %d k %d: second call differs",
                         pr_nn_sgemm_kernel_name(kern), s.m, s.n, s.k);
        }
    }
done:
    pr_free(a);
    pr_free(b);
    pr_free(c0);
    pr_free(c);
    pr_free(c2);
    pr_free(chain);
    pr_free(ref);
    pr_free(scale);
}

/* (m, n, k) of the SSD's convolutions at 512 x 512 (nn/ssd_net.c; bench/nn_gemm prints them
 * from the loaded plan): conv_0 as im2col blocks, the 13 pointwise layers, the extra layers (3x3
 * stride 2 through im2col), the box and class heads. */
static const int ssd_shapes[][3] = {
    {2427, 32, 27},   {65536, 64, 32},  {16384, 128, 64}, {16384, 128, 128}, {4096, 256, 128},
    {4096, 256, 256}, {1024, 512, 256}, {1024, 512, 512}, {256, 1024, 512},  {256, 1024, 1024},
    {256, 256, 1024}, {28, 512, 2304},  {8, 512, 2304},   {64, 128, 512},    {16, 256, 1152},
    {16, 128, 256},   {4, 256, 1152},   {4, 64, 256},     {1, 128, 576},     {1024, 12, 512},
    {1024, 9, 512},   {256, 24, 1024},  {256, 18, 1024},  {64, 24, 512},     {64, 18, 512},
    {16, 24, 256},    {4, 24, 256},     {1, 24, 128},     {1, 18, 128},
};

/* Several threads at once, from the very first call (the kernel choice races): each gets the
 * bits of the single-threaded product. */
enum { THREAD_M = 97, THREAD_N = 70, THREAD_K = 300, THREADS = 4 };

typedef struct thread_job {
    const float *a, *b;
    float c[THREAD_M * THREAD_N];
} thread_job;

static void *thread_main(void *arg)
{
    thread_job *job = arg;
    for (int rep = 0; rep < 20; rep++) {
        memset(job->c, 0, sizeof job->c);
        pr_nn_sgemm(THREAD_M, THREAD_N, THREAD_K, job->a, THREAD_K, job->b, THREAD_N, job->c,
                    THREAD_N);
    }
    return NULL;
}

static void check_threads(void)
{
    float *a = pr_malloc_array((size_t)THREAD_M * THREAD_K, sizeof *a);
    float *b = pr_malloc_array((size_t)THREAD_K * THREAD_N, sizeof *b);
    thread_job *jobs = pr_calloc(THREADS + 1, sizeof *jobs);
    PR_CHECK(a && b && jobs);
    if (!(a && b && jobs))
        goto done;
    for (int i = 0; i < THREAD_M * THREAD_K; i++)
        a[i] = frand();
    for (int i = 0; i < THREAD_K * THREAD_N; i++)
        b[i] = frand();
    pthread_t th[THREADS];
    int started = 0;
    for (int t = 0; t <= THREADS; t++) {
        jobs[t].a = a;
        jobs[t].b = b;
    }
    for (; started < THREADS; started++)
        if (pthread_create(&th[started], NULL, thread_main, &jobs[started]) != 0)
            break;
    PR_CHECK(started == THREADS);
    for (int t = 0; t < started; t++)
        pthread_join(th[t], NULL);
    thread_main(&jobs[THREADS]);
    for (int t = 0; t < started; t++)
        PR_CHECK_MSG(!memcmp(jobs[t].c, jobs[THREADS].c, sizeof jobs[t].c),
                     "thread %d: product differs from the single-threaded one", t);
done:
    pr_free(a);
    pr_free(b);
    pr_free(jobs);
}

int main(void)
{
    check_threads();
    pr_nn_gemm_kernel chosen = pr_nn_sgemm_kernel();
    PR_CHECK(pr_nn_sgemm_available(chosen));
    PR_CHECK(chosen != PR_NN_GEMM_AUTO);
    printf("pr_nn_sgemm uses %s; avx2 %s, avx512 %s\n", pr_nn_sgemm_kernel_name(chosen),
           pr_nn_sgemm_available(PR_NN_GEMM_AVX2) ? "tested" : "not available here",
           pr_nn_sgemm_available(PR_NN_GEMM_AVX512) ? "tested" : "not available here");

    /* Around the tiles (6 x 16, 12 x 32) and the k slice (256). */
    static const int ks[] = {1, 2, 17, 255, 256, 257, 600};
    static const int ns[] = {1, 2, 7, 8, 9, 15, 16, 17, 24, 31, 32, 33, 48, 63, 64, 65};
    for (int m = 1; m <= 13; m += 1)
        for (size_t ni = 0; ni < sizeof ns / sizeof ns[0]; ni++)
            for (size_t ki = 0; ki < sizeof ks / sizeof ks[0]; ki++)
                check_shape((shape){m, ns[ni], ks[ki], 0, 0, 0});
    /* Random sizes and strides, past the m block (240). */
    for (int t = 0; t < 60; t++)
        check_shape((shape){irand(1, 300), irand(1, 300), irand(1, 300), irand(0, 5), irand(0, 40),
                            irand(0, 7)});
    /* The SSD's shapes, m cut so that each stays under ~20 M multiply-adds (the blocking over m is
     * exercised above). */
    for (size_t i = 0; i < sizeof ssd_shapes / sizeof ssd_shapes[0]; i++) {
        int m = ssd_shapes[i][0], n = ssd_shapes[i][1], k = ssd_shapes[i][2];
        long cap = 20000000L / ((long)n * k);
        check_shape((shape){m < cap ? m : (int)(cap > 1 ? cap : 1), n, k, 0, 0, 0});
    }
    /* C unchanged for an empty product. */
    float one = 1.5f, x = 2.0f;
    pr_nn_sgemm(1, 1, 0, &x, 1, &x, 1, &one, 1);
    PR_CHECK(one == 1.5f);
    return pr_test_finish();
}

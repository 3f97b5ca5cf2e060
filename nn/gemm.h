/* Our own single-threaded sgemm for the nets' convolutions: C += A * B, row-major, with an
 * AVX-512 and an AVX2+FMA kernel chosen once at run time, cblas_sgemm otherwise.
 *
 * Why: OpenBLAS's speed on these shapes depends on the kernel it is told to use
 * (OPENBLAS_CORETYPE=Haswell runs its AVX2 kernels on an AVX-512 machine) and on which BLAS the
 * system provides; the SSD's pointwise convolutions are most of a photo's detection time.
 *
 * Every C element is one chain of fused multiply-adds over p = 0 .. k-1 in order, starting from
 * the C value passed in: c = fma(a[i][p], b[p][j], c). Both kernels therefore give the same bits
 * as each other and as that scalar loop, whatever the blocking; only the BLAS fallback differs.
 * Thread-safe, no allocation and no state but the kernel choice: each call packs B into 64 KiB
 * of its own stack. That is safe on every thread that calls it: the pool's threads
 * (core/threadpool.c) get glibc's default stack, RLIMIT_STACK (8 MiB by default) or 2 MiB when
 * that is unlimited. Measured (personrec label, 6 album photos, 2 threads, ulimit -s lowered to
 * shrink every thread's stack): it runs at 272 KiB and overflows at 256 KiB, in sgemm512, whose
 * frame is 65 KiB under 2 KiB of callers up to worker_main; the rest is the libraries' static TLS
 * (OpenBLAS 60 KiB, cuBLAS 104 KiB), which glibc carves from each thread's stack. A thread made
 * with a smaller stack must allow for ~70 KiB here (gemm.c is built with stack-clash probes, so
 * such an overflow stops at the guard page). */
#ifndef PR_NN_GEMM_H
#define PR_NN_GEMM_H

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_nn_gemm_kernel {
    PR_NN_GEMM_AUTO = 0, /* the best available (pr_nn_sgemm's choice) */
    PR_NN_GEMM_BLAS,     /* cblas_sgemm */
    PR_NN_GEMM_AVX2,     /* AVX2 + FMA, 6 x 16 register tile */
    PR_NN_GEMM_AVX512    /* AVX-512F, 12 x 32 register tile */
} pr_nn_gemm_kernel;

/* C (m x n, row stride ldc) += A (m x k, stride lda) * B (k x n, stride ldb); row-major, one
 * thread. m, n or k of 0: C unchanged. */
void pr_nn_sgemm(int m, int n, int k, const float *a, int lda, const float *b, int ldb, float *c,
                 int ldc);

/* The kernel pr_nn_sgemm uses: the widest this CPU and OS support, chosen at the first call.
 * $PERSONREC_SGEMM = blas | avx2 | avx512 asks for one (ignored when not available here), so a
 * user can compare with the BLAS. */
pr_nn_gemm_kernel pr_nn_sgemm_kernel(void);

/* Whether kernel can run here (AUTO and BLAS always can). */
int pr_nn_sgemm_available(pr_nn_gemm_kernel kernel);

/* pr_nn_sgemm with a given kernel (tests, benchmarks); one not available here runs as AUTO. */
void pr_nn_sgemm_with(pr_nn_gemm_kernel kernel, int m, int n, int k, const float *a, int lda,
                      const float *b, int ldb, float *c, int ldc);

const char *pr_nn_sgemm_kernel_name(pr_nn_gemm_kernel kernel);

#ifdef __cplusplus
}
#endif
#endif

/* C += A * B with our own kernels (nn/gemm.h). Blocking: k in slices of GEMM_KC, m in blocks of
 * GEMM_MC rows, n in panels of one register tile's width. A panel of B (GEMM_KC x tile width) is
 * packed contiguously on the stack, zero-padded past n, and reused from L1 by every row tile of
 * the m block; A is read where it lies (a tile's rows are MR sequential streams), its
 * GEMM_MC x GEMM_KC block staying in L2 across the panels. The register tile loads C, adds the
 * slice's products with one FMA per element in p order and stores C, so the slices continue the
 * same chain: the sum order depends on nothing but k. When all of B fits the stack buffer
 * (SMALL_B floats: the first, wide layers with k <= 128), it is packed once and each row tile of
 * A goes through all panels, so A and C stream through once. The next row tile's C is prefetched:
 * with a short k, waiting for C would be most of a tile's time. */
#include "nn/gemm.h"

#include <cblas.h>
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* A 32-column panel of GEMM_KC rows is 32 KiB: L1 (48 KiB here) holds it with a row tile of A.
 * GEMM_MC x GEMM_KC of A is 240 KiB, well inside L2 (1 MiB); block_rows evens the m blocks out. */
#ifndef GEMM_KC
#define GEMM_KC 256
#endif
#ifndef GEMM_MC
#define GEMM_MC 240
#endif
/* Floats of packed B on the stack (64 KiB): a whole small B (k * n up to this), else one panel. */
#define SMALL_B 16384
/* Rows of B prefetched ahead while packing: its rows are ldb floats apart, a stride the hardware
 * prefetchers do not follow. */
#define PACK_AHEAD 16

static void sgemm_blas(int m, int n, int k, const float *a, int lda, const float *b, int ldb,
                       float *c, int ldc)
{
    cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, m, n, k, 1.0f, a, lda, b, ldb, 1.0f, c,
                ldc);
}

/* PR_NN_GEMM_NO_SIMD: build the BLAS fallback alone (as on other architectures). */
#if (defined(__x86_64__) || defined(__i386__)) && (defined(__GNUC__) || defined(__clang__)) &&     \
    !defined(PR_NN_GEMM_NO_SIMD)
#define GEMM_X86 1
#include <immintrin.h>

static int min_int(int a, int b) { return a < b ? a : b; }

/* Rows per m block: m cut into equal blocks of at most about GEMM_MC rows, rounded up to whole
 * tiles of mr rows, so that no block is a thin remainder that packs B for a few rows. */
static int block_rows(int m, int mr)
{
    int blocks = (m + GEMM_MC - 1) / GEMM_MC, rows = (m + blocks - 1) / blocks;
    return (rows + mr - 1) / mr * mr;
}

/* ---- AVX-512: 12 rows x 32 columns (24 accumulators in zmm registers) ---- */

#define T512      __attribute__((target("avx512f,avx512vl,avx512bw,avx512dq,fma")))
#define INLINE512 static inline __attribute__((always_inline)) T512
#define MR512     12
#define NR512     32

INLINE512 __mmask16 mask16(int cols)
{
    return cols >= 16 ? (__mmask16)0xffff : cols <= 0 ? 0 : (__mmask16)((1u << cols) - 1);
}

/* kc rows of nr (<= 32) columns of B into bp, 32 floats a row, zeros past nr. Every address
 * formed lies in B (C11 6.5.6: a pointer past the array's end, even one never read, is undefined):
 * rows are indexed rather than stepped past the last, and the second half (its load and its
 * prefetch) only exists where its columns do, since with nr <= 16 its line may lie beyond B's
 * last row. */
static T512 void pack512(int kc, int nr, const float *b, size_t ldb, float *bp)
{
    __mmask16 m0 = mask16(nr), m1 = mask16(nr - 16);
    for (int p = 0; p < kc; p++, bp += NR512) {
        const float *row = b + (size_t)p * ldb;
        if (p + PACK_AHEAD < kc) {
            const float *ahead = row + PACK_AHEAD * ldb;
            _mm_prefetch((const char *)ahead, _MM_HINT_T0);
            if (m1)
                _mm_prefetch((const char *)(ahead + 16), _MM_HINT_T0);
        }
        _mm512_store_ps(bp, _mm512_maskz_loadu_ps(m0, row));
        _mm512_store_ps(bp + 16, m1 ? _mm512_maskz_loadu_ps(m1, row + 16) : _mm512_setzero_ps());
    }
}

/* C[rows x 32] += A[rows x kc] * panel; m0, m1: the columns of C that exist (masked loads of C
 * never touch the others). rows is a constant after inlining, so the tile lives in registers.
 * With m1 empty the second half is addressed at the first (c1 = c): c + 16 may lie past C's end,
 * and the masked operations touch nothing either way. */
INLINE512 void tile512(int rows, int kc, const float *a, size_t lda, const float *bp, float *c,
                       size_t ldc, __mmask16 m0, __mmask16 m1)
{
    __m512 acc0[MR512], acc1[MR512];
    float *c1 = m1 ? c + 16 : c;
#pragma GCC unroll 12
    for (int r = 0; r < rows; r++) {
        acc0[r] = _mm512_maskz_loadu_ps(m0, c + r * ldc);
        acc1[r] = _mm512_maskz_loadu_ps(m1, c1 + r * ldc);
    }
    for (int p = 0; p < kc; p++, bp += NR512) {
        __m512 b0 = _mm512_load_ps(bp), b1 = _mm512_load_ps(bp + 16);
#pragma GCC unroll 12
        for (int r = 0; r < rows; r++) {
            __m512 av = _mm512_set1_ps(a[r * lda + p]);
            acc0[r] = _mm512_fmadd_ps(av, b0, acc0[r]);
            acc1[r] = _mm512_fmadd_ps(av, b1, acc1[r]);
        }
    }
#pragma GCC unroll 12
    for (int r = 0; r < rows; r++) {
        _mm512_mask_storeu_ps(c + r * ldc, m0, acc0[r]);
        _mm512_mask_storeu_ps(c1 + r * ldc, m1, acc1[r]);
    }
}

/* The last rows (fewer than MR512) of an m block: one specialised tile per height. */
static T512 void tail512(int rows, int kc, const float *a, size_t lda, const float *bp, float *c,
                         size_t ldc, __mmask16 m0, __mmask16 m1)
{
    switch (rows) {
#define TAIL(r)                                                                                    \
    case r: tile512(r, kc, a, lda, bp, c, ldc, m0, m1); break;
        TAIL(1)
        TAIL(2)
        TAIL(3)
        TAIL(4)
        TAIL(5)
        TAIL(6)
        TAIL(7)
        TAIL(8)
        TAIL(9)
        TAIL(10)
        TAIL(11)
#undef TAIL
    default: break;
    }
}

/* The next row tile's C at column jc, so that its loads do not wait: with a short k, C's
 * latency would be most of a tile's time. wide: the tile has columns past 16 (else c + 16 may lie
 * past C's end, and that line is not used). */
INLINE512 void prefetch_c512(const float *c, size_t ldc, int rows, int wide)
{
    for (int r = 0; r < rows; r++) {
        _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
        if (wide)
            _mm_prefetch((const char *)(c + r * ldc + 16), _MM_HINT_T0);
    }
}

/* All of B (k x n, k * n rounded up to panels <= SMALL_B floats) packed once; each row tile of A
 * then runs through every panel: A and C are read once, in order (the first, wide layers: k 27
 * to 128, m up to 65536). */
static T512 void small_b512(int m, int n, int k, const float *a, size_t lda, const float *b,
                            size_t ldb, float *c, size_t ldc, float *bp)
{
    for (int jc = 0; jc < n; jc += NR512)
        pack512(k, min_int(NR512, n - jc), b + jc, ldb, bp + (size_t)jc * k);
    for (int ir = 0; ir < m; ir += MR512) {
        int rows = min_int(MR512, m - ir), next = min_int(MR512, m - ir - rows);
        for (int jc = 0; jc < n; jc += NR512) {
            int nr = min_int(NR512, n - jc);
            __mmask16 m0 = mask16(nr), m1 = mask16(nr - 16);
            float *cp = c + (size_t)ir * ldc + jc;
            if (next > 0)
                prefetch_c512(cp + MR512 * ldc, ldc, next, nr > 16);
            if (rows == MR512)
                tile512(MR512, k, a + (size_t)ir * lda, lda, bp + (size_t)jc * k, cp, ldc, m0, m1);
            else
                tail512(rows, k, a + (size_t)ir * lda, lda, bp + (size_t)jc * k, cp, ldc, m0, m1);
        }
    }
}

static T512 void sgemm512(int m, int n, int k, const float *a, size_t lda, const float *b,
                          size_t ldb, float *c, size_t ldc)
{
    float bp[SMALL_B] __attribute__((aligned(64)));
    if ((size_t)k * ((n + NR512 - 1) / NR512 * NR512) <= SMALL_B) {
        small_b512(m, n, k, a, lda, b, ldb, c, ldc, bp);
        return;
    }
    int mb = block_rows(m, MR512);
    for (int pc = 0; pc < k; pc += GEMM_KC) {
        int kc = min_int(GEMM_KC, k - pc);
        for (int ic = 0; ic < m; ic += mb) {
            int mc = min_int(mb, m - ic);
            for (int jc = 0; jc < n; jc += NR512) {
                int nr = min_int(NR512, n - jc);
                __mmask16 m0 = mask16(nr), m1 = mask16(nr - 16);
                pack512(kc, nr, b + (size_t)pc * ldb + jc, ldb, bp);
                const float *ap = a + (size_t)ic * lda + pc;
                float *cp = c + (size_t)ic * ldc + jc;
                int ir = 0;
                for (; ir + MR512 <= mc; ir += MR512) {
                    int next = min_int(MR512, mc - ir - MR512); /* no address past C's end */
                    if (next > 0)
                        prefetch_c512(cp + (size_t)(ir + MR512) * ldc, ldc, next, nr > 16);
                    tile512(MR512, kc, ap + ir * lda, lda, bp, cp + ir * ldc, ldc, m0, m1);
                }
                if (ir < mc)
                    tail512(mc - ir, kc, ap + ir * lda, lda, bp, cp + ir * ldc, ldc, m0, m1);
            }
        }
    }
}

/* ---- AVX2 + FMA: 6 rows x 16 columns (12 accumulators of the 16 ymm registers) ---- */

#define T256      __attribute__((target("avx2,fma")))
#define INLINE256 static inline __attribute__((always_inline)) T256
#define MR256     6
#define NR256     16

INLINE256 __m256i mask8(int cols)
{
    __m256i lane = _mm256_setr_epi32(0, 1, 2, 3, 4, 5, 6, 7);
    return _mm256_cmpgt_epi32(_mm256_set1_epi32(cols), lane);
}

/* As pack512 (rows indexed, so no address past B's last row is formed). */
static T256 void pack256(int kc, int nr, const float *b, size_t ldb, float *bp)
{
    for (int p = 0; p < kc; p++, bp += NR256) {
        const float *row = b + (size_t)p * ldb;
        if (p + PACK_AHEAD < kc)
            _mm_prefetch((const char *)(row + PACK_AHEAD * ldb), _MM_HINT_T0);
        if (nr == NR256) {
            _mm256_store_ps(bp, _mm256_loadu_ps(row));
            _mm256_store_ps(bp + 8, _mm256_loadu_ps(row + 8));
        } else {
            int j = 0;
            for (; j < nr; j++)
                bp[j] = row[j];
            for (; j < NR256; j++)
                bp[j] = 0.0f;
        }
    }
}

/* As tile512; full: all 16 columns exist (plain loads and stores), else masked by k0, k1 (an
 * empty k1 addressed at c, as in tile512). */
INLINE256 void tile256(int rows, int full, int kc, const float *a, size_t lda, const float *bp,
                       float *c, size_t ldc, __m256i k0, __m256i k1)
{
    __m256 acc0[MR256], acc1[MR256];
    float *c1 = full || !_mm256_testz_si256(k1, k1) ? c + 8 : c;
#pragma GCC unroll 6
    for (int r = 0; r < rows; r++) {
        acc0[r] = full ? _mm256_loadu_ps(c + r * ldc) : _mm256_maskload_ps(c + r * ldc, k0);
        acc1[r] = full ? _mm256_loadu_ps(c1 + r * ldc) : _mm256_maskload_ps(c1 + r * ldc, k1);
    }
    for (int p = 0; p < kc; p++, bp += NR256) {
        __m256 b0 = _mm256_load_ps(bp), b1 = _mm256_load_ps(bp + 8);
#pragma GCC unroll 6
        for (int r = 0; r < rows; r++) {
            __m256 av = _mm256_broadcast_ss(a + r * lda + p);
            acc0[r] = _mm256_fmadd_ps(av, b0, acc0[r]);
            acc1[r] = _mm256_fmadd_ps(av, b1, acc1[r]);
        }
    }
#pragma GCC unroll 6
    for (int r = 0; r < rows; r++) {
        if (full) {
            _mm256_storeu_ps(c + r * ldc, acc0[r]);
            _mm256_storeu_ps(c + r * ldc + 8, acc1[r]);
        } else {
            _mm256_maskstore_ps(c + r * ldc, k0, acc0[r]);
            _mm256_maskstore_ps(c1 + r * ldc, k1, acc1[r]);
        }
    }
}

static T256 void rows256(int rows, int full, int kc, const float *a, size_t lda, const float *bp,
                         float *c, size_t ldc, __m256i k0, __m256i k1)
{
    switch (rows * 2 + (full != 0)) {
#define ROWS(r)                                                                                    \
    case 2 * r: tile256(r, 0, kc, a, lda, bp, c, ldc, k0, k1); break;                              \
    case 2 * r + 1: tile256(r, 1, kc, a, lda, bp, c, ldc, k0, k1); break;
        ROWS(1)
        ROWS(2)
        ROWS(3)
        ROWS(4)
        ROWS(5)
        ROWS(6)
#undef ROWS
    default: break;
    }
}

INLINE256 void prefetch_c256(const float *c, size_t ldc, int rows)
{
    for (int r = 0; r < rows; r++)
        _mm_prefetch((const char *)(c + r * ldc), _MM_HINT_T0);
}

/* As small_b512. */
static T256 void small_b256(int m, int n, int k, const float *a, size_t lda, const float *b,
                            size_t ldb, float *c, size_t ldc, float *bp)
{
    for (int jc = 0; jc < n; jc += NR256)
        pack256(k, min_int(NR256, n - jc), b + jc, ldb, bp + (size_t)jc * k);
    for (int ir = 0; ir < m; ir += MR256) {
        int rows = min_int(MR256, m - ir), next = min_int(MR256, m - ir - rows);
        for (int jc = 0; jc < n; jc += NR256) {
            int nr = min_int(NR256, n - jc);
            float *cp = c + (size_t)ir * ldc + jc;
            if (next > 0)
                prefetch_c256(cp + MR256 * ldc, ldc, next);
            rows256(rows, nr == NR256, k, a + (size_t)ir * lda, lda, bp + (size_t)jc * k, cp, ldc,
                    mask8(nr), mask8(nr - 8));
        }
    }
}

static T256 void sgemm256(int m, int n, int k, const float *a, size_t lda, const float *b,
                          size_t ldb, float *c, size_t ldc)
{
    float bp[SMALL_B] __attribute__((aligned(32)));
    if ((size_t)k * ((n + NR256 - 1) / NR256 * NR256) <= SMALL_B) {
        small_b256(m, n, k, a, lda, b, ldb, c, ldc, bp);
        return;
    }
    int mb = block_rows(m, MR256);
    for (int pc = 0; pc < k; pc += GEMM_KC) {
        int kc = min_int(GEMM_KC, k - pc);
        for (int ic = 0; ic < m; ic += mb) {
            int mc = min_int(mb, m - ic);
            for (int jc = 0; jc < n; jc += NR256) {
                int nr = min_int(NR256, n - jc), full = nr == NR256;
                __m256i k0 = mask8(nr), k1 = mask8(nr - 8);
                pack256(kc, nr, b + (size_t)pc * ldb + jc, ldb, bp);
                const float *ap = a + (size_t)ic * lda + pc;
                float *cp = c + (size_t)ic * ldc + jc;
                for (int ir = 0; ir < mc; ir += MR256) {
                    int next = min_int(MR256, mc - ir - MR256); /* no address past C's end */
                    if (next > 0)
                        prefetch_c256(cp + (size_t)(ir + MR256) * ldc, ldc, next);
                    rows256(min_int(MR256, mc - ir), full, kc, ap + ir * lda, lda, bp,
                            cp + ir * ldc, ldc, k0, k1);
                }
            }
        }
    }
}
#endif /* GEMM_X86 */

int pr_nn_sgemm_available(pr_nn_gemm_kernel kernel)
{
    switch (kernel) {
    case PR_NN_GEMM_AUTO:
    case PR_NN_GEMM_BLAS: return 1;
#ifdef GEMM_X86
    /* __builtin_cpu_supports also checks that the OS saves the wide registers (XCR0). */
    case PR_NN_GEMM_AVX2:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma");
    case PR_NN_GEMM_AVX512:
        __builtin_cpu_init();
        return __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512vl") &&
               __builtin_cpu_supports("avx512bw") && __builtin_cpu_supports("avx512dq") &&
               __builtin_cpu_supports("fma");
#endif
    default: return 0;
    }
}

const char *pr_nn_sgemm_kernel_name(pr_nn_gemm_kernel kernel)
{
    switch (kernel) {
    case PR_NN_GEMM_AUTO: return "auto";
    case PR_NN_GEMM_BLAS: return "blas";
    case PR_NN_GEMM_AVX2: return "avx2";
    case PR_NN_GEMM_AVX512: return "avx512";
    }
    return "?";
}

static pr_nn_gemm_kernel choose(void)
{
    const char *want = getenv("PERSONREC_SGEMM");
    static const pr_nn_gemm_kernel named[3] = {PR_NN_GEMM_BLAS, PR_NN_GEMM_AVX2, PR_NN_GEMM_AVX512};
    for (int i = 0; want && i < 3; i++)
        if (!strcmp(want, pr_nn_sgemm_kernel_name(named[i])) && pr_nn_sgemm_available(named[i]))
            return named[i];
    if (pr_nn_sgemm_available(PR_NN_GEMM_AVX512))
        return PR_NN_GEMM_AVX512;
    if (pr_nn_sgemm_available(PR_NN_GEMM_AVX2))
        return PR_NN_GEMM_AVX2;
    return PR_NN_GEMM_BLAS;
}

/* The choice, made once: racing first callers compute the same value, so a relaxed atomic cache
 * is enough (no lock, nothing else shared). */
static atomic_int chosen_kernel;

pr_nn_gemm_kernel pr_nn_sgemm_kernel(void)
{
    int k = atomic_load_explicit(&chosen_kernel, memory_order_relaxed);
    if (k == PR_NN_GEMM_AUTO) {
        k = (int)choose();
        atomic_store_explicit(&chosen_kernel, k, memory_order_relaxed);
    }
    return (pr_nn_gemm_kernel)k;
}

static void run_kernel(pr_nn_gemm_kernel kernel, int m, int n, int k, const float *a, int lda,
                       const float *b, int ldb, float *c, int ldc)
{
    if (m <= 0 || n <= 0 || k <= 0)
        return;
    switch (kernel) {
#ifdef GEMM_X86
    case PR_NN_GEMM_AVX512:
        sgemm512(m, n, k, a, (size_t)lda, b, (size_t)ldb, c, (size_t)ldc);
        return;
    case PR_NN_GEMM_AVX2: sgemm256(m, n, k, a, (size_t)lda, b, (size_t)ldb, c, (size_t)ldc); return;
#endif
    default: sgemm_blas(m, n, k, a, lda, b, ldb, c, ldc); return;
    }
}

void pr_nn_sgemm_with(pr_nn_gemm_kernel kernel, int m, int n, int k, const float *a, int lda,
                      const float *b, int ldb, float *c, int ldc)
{
    if (kernel == PR_NN_GEMM_AUTO || !pr_nn_sgemm_available(kernel))
        kernel = pr_nn_sgemm_kernel();
    run_kernel(kernel, m, n, k, a, lda, b, ldb, c, ldc);
}

void pr_nn_sgemm(int m, int n, int k, const float *a, int lda, const float *b, int ldb, float *c,
                 int ldc)
{
    run_kernel(pr_nn_sgemm_kernel(), m, n, k, a, lda, b, ldb, c, ldc);
}

/* Pairwise L2 and chi-square distances as tiled CUDA kernels.
 *
 * Each 16 x 16 thread block computes a 64 x 64 tile of the output, 4 x 4 outputs per thread held in
 * registers; the block stages 16 dimensions of its 64 a-rows and 64 b-rows in shared memory at a
 * time (the classic GEMM tiling, here with a per-element distance instead of a product). Every
 * output still sums its dimensions one after another in k order in a float, with --fmad=false and
 * IEEE division/sqrt, which is exactly what the CPU reference (cluster/distance.c) does, so the two
 * agree bit for bit. The output is produced in row chunks so a 50k x 50k request does not need
 * 10 GB of device memory at once. */
#include "cuda/distance.h"

#include <cuda_runtime.h>

#include <stdint.h>
#include <stdio.h>

namespace {

constexpr int kThreads = 16; /* threads per block side */
constexpr int kPer = 4;      /* outputs per thread side */
constexpr int kTile = kThreads * kPer;
constexpr int kDepth = 16;   /* dimensions staged per step */

template <int Metric>
__device__ __forceinline__ float step(float acc, float a, float b)
{
    if (Metric == PR_CUDA_DIST_L2) {
        float e = a - b;
        return acc + e * e;
    } else {
        float t = a + b;
        float e = a - b;
        float q = (e * e) / (t > 0.0f ? t : 1.0f);
        return t > 0.0f ? acc + q : acc;
    }
}

template <int Metric>
__device__ __forceinline__ float finish(float acc)
{
    return Metric == PR_CUDA_DIST_L2 ? sqrtf(acc) : 0.5f * acc;
}

template <int Metric>
__global__ void pairwise_kernel(const float *__restrict__ A, int na, const float *__restrict__ B,
                                int nb, int dim, float *__restrict__ out)
{
    __shared__ float as[kDepth][kTile + 1];
    __shared__ float bs[kDepth][kTile + 1];
    const int tx = threadIdx.x, ty = threadIdx.y, tid = ty * kThreads + tx;
    const int row0 = blockIdx.y * kTile, col0 = blockIdx.x * kTile;
    float acc[kPer][kPer];
#pragma unroll
    for (int i = 0; i < kPer; i++)
#pragma unroll
        for (int j = 0; j < kPer; j++)
            acc[i][j] = 0.0f;

    for (int k0 = 0; k0 < dim; k0 += kDepth) {
        for (int e = tid; e < kTile * kDepth; e += kThreads * kThreads) {
            int r = e / kDepth, kk = e % kDepth, gk = k0 + kk;
            int ga = row0 + r, gb = col0 + r;
            as[kk][r] = (ga < na && gk < dim) ? A[(size_t)ga * dim + gk] : 0.0f;
            bs[kk][r] = (gb < nb && gk < dim) ? B[(size_t)gb * dim + gk] : 0.0f;
        }
        __syncthreads();
        const int kmax = dim - k0 < kDepth ? dim - k0 : kDepth;
        for (int kk = 0; kk < kmax; kk++) {
            float a[kPer], b[kPer];
#pragma unroll
            for (int i = 0; i < kPer; i++)
                a[i] = as[kk][ty + kThreads * i];
#pragma unroll
            for (int j = 0; j < kPer; j++)
                b[j] = bs[kk][tx + kThreads * j];
#pragma unroll
            for (int i = 0; i < kPer; i++)
#pragma unroll
                for (int j = 0; j < kPer; j++)
                    acc[i][j] = step<Metric>(acc[i][j], a[i], b[j]);
        }
        __syncthreads();
    }
#pragma unroll
    for (int i = 0; i < kPer; i++) {
        int r = row0 + ty + kThreads * i;
        if (r >= na)
            continue;
#pragma unroll
        for (int j = 0; j < kPer; j++) {
            int c = col0 + tx + kThreads * j;
            if (c < nb)
                out[(size_t)r * nb + c] = finish<Metric>(acc[i][j]);
        }
    }
}

pr_status cuda_fail(cudaError_t err, const char *what)
{
    cudaGetLastError(); /* clear a sticky launch error so the CPU fallback starts clean */
    return pr_set_error(PR_ERR_CUDA, "%s: %s", what, cudaGetErrorString(err));
}

} // namespace

#define PR_CUDA_TRY(call, what)                                                                    \
    do {                                                                                           \
        cudaError_t err_ = (call);                                                                 \
        if (err_ != cudaSuccess) {                                                                 \
            st = cuda_fail(err_, what);                                                            \
            goto done;                                                                             \
        }                                                                                          \
    } while (0)

extern "C" pr_status pr_cuda_pairwise_distance(int metric, const float *a, int na, const float *b,
                                               int nb, int dim, float *out)
{
    if (!a || !b || !out || na < 0 || nb < 0 || dim < 1 ||
        (metric != PR_CUDA_DIST_L2 && metric != PR_CUDA_DIST_CHI2))
        return pr_set_error(PR_ERR_ARG, "pr_cuda_pairwise_distance: bad arguments");
    if (na == 0 || nb == 0)
        return PR_OK;
    pr_status st = PR_OK;
    float *da = NULL, *db = NULL, *dout = NULL;
    /* Rows per chunk: keep the output chunk near 256 MB. */
    size_t rows = ((size_t)256 << 20) / ((size_t)nb * sizeof(float));
    if (rows < (size_t)kTile)
        rows = kTile;
    if (rows > (size_t)na)
        rows = (size_t)na;
    PR_CUDA_TRY(cudaMalloc(&da, rows * (size_t)dim * sizeof(float)), "cudaMalloc(a)");
    PR_CUDA_TRY(cudaMalloc(&db, (size_t)nb * (size_t)dim * sizeof(float)), "cudaMalloc(b)");
    PR_CUDA_TRY(cudaMalloc(&dout, rows * (size_t)nb * sizeof(float)), "cudaMalloc(out)");
    PR_CUDA_TRY(cudaMemcpy(db, b, (size_t)nb * (size_t)dim * sizeof(float), cudaMemcpyHostToDevice),
                "cudaMemcpy(b)");
    for (size_t r0 = 0; r0 < (size_t)na; r0 += rows) {
        size_t nr = (size_t)na - r0 < rows ? (size_t)na - r0 : rows;
        PR_CUDA_TRY(cudaMemcpy(da, a + r0 * (size_t)dim, nr * (size_t)dim * sizeof(float),
                               cudaMemcpyHostToDevice),
                    "cudaMemcpy(a)");
        dim3 block(kThreads, kThreads);
        dim3 grid((unsigned)((nb + kTile - 1) / kTile), (unsigned)((nr + kTile - 1) / kTile));
        if (metric == PR_CUDA_DIST_L2)
            pairwise_kernel<PR_CUDA_DIST_L2><<<grid, block>>>(da, (int)nr, db, nb, dim, dout);
        else
            pairwise_kernel<PR_CUDA_DIST_CHI2><<<grid, block>>>(da, (int)nr, db, nb, dim, dout);
        PR_CUDA_TRY(cudaGetLastError(), "pairwise distance kernel launch");
        PR_CUDA_TRY(cudaMemcpy(out + r0 * (size_t)nb, dout, nr * (size_t)nb * sizeof(float),
                               cudaMemcpyDeviceToHost),
                    "pairwise distance kernel / cudaMemcpy(out)");
    }
done:
    if (da)
        cudaFree(da);
    if (db)
        cudaFree(db);
    if (dout)
        cudaFree(dout);
    return st;
}

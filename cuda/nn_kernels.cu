/* Element-wise kernels of the nn GPU runner: one thread per output element (grid-stride, 64-bit
 * indices: im2col of a 1024-face batch passes 2^31 elements). The loops inside follow the CPU
 * code's order with --fmad=false, so pooling, addition, the mean and the depthwise convolution
 * round exactly as nn/ops_common.c and nn/ops_fast.c do. */
#include "cuda/nn_kernels.cuh"

#include <float.h>
#include <stdint.h>

namespace {

constexpr int kThreads = 256;

unsigned blocks_for(size_t total)
{
    size_t b = (total + kThreads - 1) / kThreads;
    return (unsigned)(b > 65535u * 16u ? 65535u * 16u : (b ? b : 1));
}

/* The geometry of one windowed op, passed by value to the kernels. */
struct win {
    int kh, kw, stride, pad_top, pad_left;
};

win win_of(const pr_nn_op *op) { return win{op->kh, op->kw, op->stride, op->pad_top, op->pad_left}; }

#define PR_GRID_LOOP(i, total)                                                                   \
    for (size_t i = (size_t)blockIdx.x * blockDim.x + threadIdx.x; i < (total);                   \
         i += (size_t)gridDim.x * blockDim.x)

__global__ void im2col_kernel(win g, pr_nn_shape xs, const float *__restrict__ x, pr_nn_shape ys,
                              size_t total, float *__restrict__ col)
{
    PR_GRID_LOOP(e, total)
    {
        size_t t = e;
        int ci = (int)(t % xs.c);
        t /= xs.c;
        int kx = (int)(t % g.kw);
        t /= g.kw;
        int ky = (int)(t % g.kh);
        t /= g.kh;
        int ox = (int)(t % ys.w);
        t /= ys.w;
        int oy = (int)(t % ys.h);
        size_t b = t / ys.h;
        int iy = oy * g.stride + ky - g.pad_top, ix = ox * g.stride + kx - g.pad_left;
        float v = 0.0f;
        if (iy >= 0 && iy < xs.h && ix >= 0 && ix < xs.w)
            v = x[((b * xs.h + iy) * xs.w + ix) * xs.c + ci];
        col[e] = v;
    }
}

/* pr_nn_act (nn/ops.h) on the device: 0 none, 1 ReLU, PR_NN_RELU6 clamp to [0, 6]. */
__device__ __forceinline__ float act(float v, int relu)
{
    if (relu && v < 0)
        return 0.0f;
    return relu == PR_NN_RELU6 && v > 6.0f ? 6.0f : v;
}

__global__ void bias_relu_kernel(float *y, size_t total, int cols, const float *bias, int relu)
{
    PR_GRID_LOOP(i, total)
    {
        float v = y[i];
        if (bias)
            v += bias[i % cols];
        y[i] = act(v, relu);
    }
}

__global__ void dwconv_kernel(win g, const float *__restrict__ w, const float *__restrict__ bias,
                              int relu, pr_nn_shape xs, const float *__restrict__ x,
                              pr_nn_shape ys, size_t total, float *__restrict__ y)
{
    PR_GRID_LOOP(e, total)
    {
        int ch = (int)(e % ys.c);
        size_t t = e / ys.c;
        int ox = (int)(t % ys.w);
        t /= ys.w;
        int oy = (int)(t % ys.h);
        size_t b = t / ys.h;
        float acc = bias ? bias[ch] : 0.0f;
        for (int ky = 0; ky < g.kh; ky++) {
            int iy = oy * g.stride + ky - g.pad_top;
            if (iy < 0 || iy >= xs.h)
                continue;
            for (int kx = 0; kx < g.kw; kx++) {
                int ix = ox * g.stride + kx - g.pad_left;
                if (ix < 0 || ix >= xs.w)
                    continue;
                acc += x[((b * xs.h + iy) * xs.w + ix) * xs.c + ch] * w[(ky * g.kw + kx) * xs.c + ch];
            }
        }
        y[e] = act(acc, relu);
    }
}

__global__ void pool_kernel(win g, int is_max, pr_nn_shape xs, const float *__restrict__ x,
                            pr_nn_shape ys, size_t total, float *__restrict__ y)
{
    const float inv = 1.0f / (float)(g.kh * g.kw);
    PR_GRID_LOOP(e, total)
    {
        int ch = (int)(e % ys.c);
        size_t t = e / ys.c;
        int ox = (int)(t % ys.w);
        t /= ys.w;
        int oy = (int)(t % ys.h);
        size_t b = t / ys.h;
        float acc = is_max ? -FLT_MAX : 0.0f;
        for (int ky = 0; ky < g.kh; ky++)
            for (int kx = 0; kx < g.kw; kx++) {
                float v = x[((b * xs.h + (size_t)oy * g.stride + ky) * xs.w +
                             (size_t)ox * g.stride + kx) * xs.c + ch];
                acc = is_max ? (v > acc ? v : acc) : acc + v;
            }
        y[e] = is_max ? acc : acc * inv;
    }
}

__device__ float zext(pr_nn_shape s, const float *v, size_t b, int yy, int xx, int ch)
{
    if (yy >= s.h || xx >= s.w || ch >= s.c)
        return 0.0f;
    return v[((b * s.h + yy) * s.w + xx) * s.c + ch];
}

__global__ void add_kernel(int relu, pr_nn_shape as, const float *__restrict__ a, pr_nn_shape bs,
                           const float *__restrict__ bv, pr_nn_shape ys, size_t total,
                           float *__restrict__ y)
{
    PR_GRID_LOOP(e, total)
    {
        int ch = (int)(e % ys.c);
        size_t t = e / ys.c;
        int xx = (int)(t % ys.w);
        t /= ys.w;
        int yy = (int)(t % ys.h);
        size_t b = t / ys.h;
        float v = zext(as, a, b, yy, xx, ch) + zext(bs, bv, b, yy, xx, ch);
        y[e] = act(v, relu);
    }
}

/* One thread per (input, channel), pixels summed in raster order like pr_nn_mean. */
__global__ void mean_kernel(pr_nn_shape xs, const float *__restrict__ x, size_t total,
                            float *__restrict__ y)
{
    const size_t pixels = (size_t)xs.h * xs.w;
    PR_GRID_LOOP(e, total)
    {
        int ch = (int)(e % xs.c);
        size_t b = e / xs.c;
        const float *p = x + b * pixels * xs.c + ch;
        float acc = 0.0f;
        for (size_t i = 0; i < pixels; i++)
            acc += p[i * xs.c];
        y[e] = acc / (float)pixels;
    }
}

size_t floats(int n, pr_nn_shape s) { return (size_t)n * s.h * s.w * s.c; }

} // namespace

cudaError_t pr_nn_gpu_im2col(const pr_nn_op *op, int n, pr_nn_shape xs, const float *x,
                             pr_nn_shape ys, float *col, cudaStream_t s)
{
    size_t total = (size_t)n * ys.h * ys.w * op->kh * op->kw * xs.c;
    im2col_kernel<<<blocks_for(total), kThreads, 0, s>>>(win_of(op), xs, x, ys, total, col);
    return cudaGetLastError();
}

cudaError_t pr_nn_gpu_bias_relu(float *y, size_t rows, int cols, const float *bias, int relu,
                                cudaStream_t s)
{
    size_t total = rows * (size_t)cols;
    bias_relu_kernel<<<blocks_for(total), kThreads, 0, s>>>(y, total, cols, bias, relu);
    return cudaGetLastError();
}

cudaError_t pr_nn_gpu_dwconv(const pr_nn_op *op, const float *w, const float *bias, int n,
                             pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y,
                             cudaStream_t s)
{
    size_t total = floats(n, ys);
    dwconv_kernel<<<blocks_for(total), kThreads, 0, s>>>(win_of(op), w, bias, op->relu, xs, x, ys,
                                                        total, y);
    return cudaGetLastError();
}

cudaError_t pr_nn_gpu_pool(const pr_nn_op *op, int n, pr_nn_shape xs, const float *x,
                           pr_nn_shape ys, float *y, cudaStream_t s)
{
    size_t total = floats(n, ys);
    pool_kernel<<<blocks_for(total), kThreads, 0, s>>>(win_of(op), op->kind == PR_NN_MAXPOOL, xs,
                                                      x, ys, total, y);
    return cudaGetLastError();
}

cudaError_t pr_nn_gpu_add(int relu, int n, pr_nn_shape as, const float *a, pr_nn_shape bs,
                          const float *b, pr_nn_shape ys, float *y, cudaStream_t s)
{
    size_t total = floats(n, ys);
    add_kernel<<<blocks_for(total), kThreads, 0, s>>>(relu, as, a, bs, b, ys, total, y);
    return cudaGetLastError();
}

cudaError_t pr_nn_gpu_mean(int n, pr_nn_shape xs, const float *x, float *y, cudaStream_t s)
{
    size_t total = (size_t)n * xs.c;
    mean_kernel<<<blocks_for(total), kThreads, 0, s>>>(xs, x, total, y);
    return cudaGetLastError();
}

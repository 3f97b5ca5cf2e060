/* Internal to cuda/: the element-wise kernels of the nn GPU runner (cuda/nn.cu), each over a whole
 * batch stored batch-major ([n, h, w, c]). Every launcher returns the launch's cudaError_t. Their
 * CPU twins are in nn/ops_common.c and nn/ops_fast.c. */
#ifndef PR_CUDA_NN_KERNELS_CUH
#define PR_CUDA_NN_KERNELS_CUH

#include "nn/plan.h"

#include <cuda_runtime.h>

/* col [n*ys.h*ys.w, kh*kw*xs.c] row-major, taps in the filters' (ky, kx, ci) order, zeros where
 * the window leaves the input. */
cudaError_t pr_nn_gpu_im2col(const pr_nn_op *op, int n, pr_nn_shape xs, const float *x,
                             pr_nn_shape ys, float *col, cudaStream_t s);
/* y[r, c] = relu?(y[r, c] + bias[c]) for rows*cols floats; bias may be NULL. */
cudaError_t pr_nn_gpu_bias_relu(float *y, size_t rows, int cols, const float *bias, int relu,
                                cudaStream_t s);
/* Depthwise convolution; bias (device, may be NULL) and ReLU as the op says. */
cudaError_t pr_nn_gpu_dwconv(const pr_nn_op *op, const float *w, const float *bias, int n,
                             pr_nn_shape xs, const float *x, pr_nn_shape ys, float *y,
                             cudaStream_t s);
cudaError_t pr_nn_gpu_pool(const pr_nn_op *op, int n, pr_nn_shape xs, const float *x,
                           pr_nn_shape ys, float *y, cudaStream_t s);
/* Residual addition with each side zero-extended to ys (face-api's residualDown). */
cudaError_t pr_nn_gpu_add(int relu, int n, pr_nn_shape as, const float *a, pr_nn_shape bs,
                          const float *b, pr_nn_shape ys, float *y, cudaStream_t s);
cudaError_t pr_nn_gpu_mean(int n, pr_nn_shape xs, const float *x, float *y, cudaStream_t s);

#endif

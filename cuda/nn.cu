/* The nn GPU runner: see nn.h.
 *
 * Convolution: an im2col kernel over the whole batch, then ONE cublasSgemm with the batch folded
 * into M (rows = every output pixel of every input). All inputs share the same filter matrix, so a
 * strided-batched GEMM would only repeat the same B with stride 0 over n small problems; one tall
 * GEMM gives cuBLAS the biggest M to tile and one launch per layer, which wins at the small spatial
 * sizes of the late layers (8x8 pixels x 256 channels per face). 1x1 stride-1 convolutions skip
 * im2col: the NHWC batch already is the [pixels, channels] matrix. Bias and ReLU follow in one
 * fused element-wise kernel (GEMM with beta = 0).
 *
 * Row-major Y[M,N] = A[M,K] W[K,N] is computed as the column-major Y^T = W^T A^T, i.e.
 * cublasSgemm(N, N, n=N, m=M, k=K, W, ldb=N, A, lda=K, Y, ldc=N): no transposes anywhere.
 *
 * Math mode: CUBLAS_DEFAULT_MATH (unless params.tf32). For FP32 GEMMs it keeps FP32 inputs and
 * accumulation (TF32 tensor cores only run under CUBLAS_TF32_TENSOR_OP_MATH or the
 * NVIDIA_TF32_OVERRIDE switch, which we do not set), at cuBLAS's full FP32 speed.
 * CUBLAS_PEDANTIC_MATH would also pin reduction paths but is documented as slower and buys no
 * parity: the summation order differs from OpenBLAS's either way, so the test bounds the error. */
#include "cuda/nn.h"

#include "cuda/nn_kernels.cuh"

#include "core/alloc.h"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <stdint.h>
#include <string.h>

struct pr_cuda_nn {
    const pr_nn_plan *plan; /* borrowed */
    pr_cuda_nn_params params;
    cudaStream_t stream;
    cublasHandle_t blas;
    cudaEvent_t ev_start, ev_stop;
    float *d_weights;       /* every op's weights and biases, one allocation */
    size_t *w_at, *b_at;    /* per op: float offset into d_weights, SIZE_MAX when absent */
    float *d_values, *d_col;
    int cap;                /* inputs the value buffers hold */
    double last_ms;
};

namespace {

pr_status cuda_fail(const char *what, cudaError_t e)
{
    cudaGetLastError(); /* clear a non-sticky error so the next call starts clean */
    return pr_set_error(PR_ERR_CUDA, "%s: %s", what, cudaGetErrorString(e));
}

#define CUDA_OK(what, call)                                                                      \
    do {                                                                                         \
        cudaError_t e_ = (call);                                                                 \
        if (e_ != cudaSuccess)                                                                   \
            return cuda_fail(what, e_);                                                          \
    } while (0)

#define BLAS_OK(what, call)                                                                      \
    do {                                                                                         \
        cublasStatus_t s_ = (call);                                                              \
        if (s_ != CUBLAS_STATUS_SUCCESS)                                                         \
            return pr_set_error(PR_ERR_CUDA, "%s: %s", what, cublasGetStatusString(s_));        \
    } while (0)

size_t shape_floats(pr_nn_shape s) { return (size_t)s.h * s.w * s.c; }

/* Weight and bias float counts of one op (0 for ops without). */
void op_sizes(const pr_nn_plan *p, const pr_nn_op *op, size_t *w, size_t *b)
{
    pr_nn_shape x = p->values[op->in0], y = p->values[op->out];
    *w = *b = 0;
    if (op->kind == PR_NN_CONV)
        *w = (size_t)op->kh * op->kw * x.c * y.c;
    else if (op->kind == PR_NN_DWCONV)
        *w = (size_t)op->kh * op->kw * x.c;
    else if (op->kind == PR_NN_FC)
        *w = shape_floats(x) * y.c;
    if (op->bias && *w)
        *b = (size_t)y.c;
}

pr_status upload_weights(pr_cuda_nn *c)
{
    const pr_nn_plan *p = c->plan;
    size_t total = 0;
    for (int i = 0; i < p->n_ops; i++) {
        size_t w, b;
        op_sizes(p, &p->ops[i], &w, &b);
        c->w_at[i] = w ? total : SIZE_MAX;
        total += w;
        c->b_at[i] = b ? total : SIZE_MAX;
        total += b;
    }
    if (total == 0)
        return PR_OK;
    CUDA_OK("cudaMalloc(weights)", cudaMalloc((void **)&c->d_weights, total * sizeof(float)));
    for (int i = 0; i < p->n_ops; i++) {
        size_t w, b;
        op_sizes(p, &p->ops[i], &w, &b);
        if (w)
            CUDA_OK("cudaMemcpy(weights)", cudaMemcpy(c->d_weights + c->w_at[i], p->ops[i].weights,
                                                      w * sizeof(float), cudaMemcpyHostToDevice));
        if (b)
            CUDA_OK("cudaMemcpy(bias)", cudaMemcpy(c->d_weights + c->b_at[i], p->ops[i].bias,
                                                   b * sizeof(float), cudaMemcpyHostToDevice));
    }
    return PR_OK;
}

/* Grows the activation buffers to hold n inputs (never shrinks: batches repeat). */
pr_status reserve(pr_cuda_nn *c, int n)
{
    if (n <= c->cap)
        return PR_OK;
    CUDA_OK("cudaFree(values)", cudaFree(c->d_values));
    c->d_values = NULL;
    c->cap = 0;
    CUDA_OK("cudaFree(im2col)", cudaFree(c->d_col));
    c->d_col = NULL;
    size_t col = c->plan->col_floats ? c->plan->col_floats : 1;
    CUDA_OK("cudaMalloc(values)",
            cudaMalloc((void **)&c->d_values, c->plan->value_floats * n * sizeof(float)));
    CUDA_OK("cudaMalloc(im2col)", cudaMalloc((void **)&c->d_col, col * n * sizeof(float)));
    c->cap = n;
    return PR_OK;
}

float *value(const pr_cuda_nn *c, int v) { return c->d_values + c->plan->offsets[v] * c->cap; }
const float *dev(const pr_cuda_nn *c, size_t at) { return at == SIZE_MAX ? NULL : c->d_weights + at; }

pr_status run_conv(pr_cuda_nn *c, int i, int n)
{
    const pr_nn_op *op = &c->plan->ops[i];
    pr_nn_shape xs = c->plan->values[op->in0], ys = c->plan->values[op->out];
    const float *a = value(c, op->in0);
    float *y = value(c, op->out);
    int m = n * ys.h * ys.w, k = op->kh * op->kw * xs.c, cols = ys.c;
    if (!(op->kh == 1 && op->kw == 1 && op->stride == 1 && op->pad_top == 0 &&
          op->pad_left == 0 && ys.h == xs.h && ys.w == xs.w)) {
        CUDA_OK("im2col kernel", pr_nn_gpu_im2col(op, n, xs, a, ys, c->d_col, c->stream));
        a = c->d_col;
    }
    const float one = 1.0f, zero = 0.0f;
    BLAS_OK("cublasSgemm(conv)", cublasSgemm(c->blas, CUBLAS_OP_N, CUBLAS_OP_N, cols, m, k, &one,
                                             dev(c, c->w_at[i]), cols, a, k, &zero, y, cols));
    if (op->bias || op->relu)
        CUDA_OK("bias_relu kernel", pr_nn_gpu_bias_relu(y, (size_t)m, cols, dev(c, c->b_at[i]),
                                                        op->relu, c->stream));
    return PR_OK;
}

pr_status run_fc(pr_cuda_nn *c, int i, int n)
{
    const pr_nn_op *op = &c->plan->ops[i];
    pr_nn_shape xs = c->plan->values[op->in0], ys = c->plan->values[op->out];
    int k = (int)shape_floats(xs), cols = ys.c;
    float *y = value(c, op->out);
    const float one = 1.0f, zero = 0.0f;
    BLAS_OK("cublasSgemm(fc)", cublasSgemm(c->blas, CUBLAS_OP_N, CUBLAS_OP_N, cols, n, k, &one,
                                           dev(c, c->w_at[i]), cols, value(c, op->in0), k, &zero,
                                           y, cols));
    if (op->bias || op->relu)
        CUDA_OK("bias_relu kernel", pr_nn_gpu_bias_relu(y, (size_t)n, cols, dev(c, c->b_at[i]),
                                                        op->relu, c->stream));
    return PR_OK;
}

pr_status run_op(pr_cuda_nn *c, int i, int n)
{
    const pr_nn_plan *p = c->plan;
    const pr_nn_op *op = &p->ops[i];
    pr_nn_shape xs = p->values[op->in0], ys = p->values[op->out];
    const float *x = value(c, op->in0);
    float *y = value(c, op->out);
    cudaStream_t s = c->stream;
    switch (op->kind) {
    case PR_NN_CONV:
        return run_conv(c, i, n);
    case PR_NN_FC:
        return run_fc(c, i, n);
    case PR_NN_DWCONV:
        CUDA_OK("dwconv kernel", pr_nn_gpu_dwconv(op, dev(c, c->w_at[i]), dev(c, c->b_at[i]), n,
                                                  xs, x, ys, y, s));
        return PR_OK;
    case PR_NN_MAXPOOL:
    case PR_NN_AVGPOOL:
        CUDA_OK("pool kernel", pr_nn_gpu_pool(op, n, xs, x, ys, y, s));
        return PR_OK;
    case PR_NN_ADD:
        CUDA_OK("add kernel", pr_nn_gpu_add(op->relu, n, xs, x, p->values[op->in1],
                                            value(c, op->in1), ys, y, s));
        return PR_OK;
    case PR_NN_MEAN:
        CUDA_OK("mean kernel", pr_nn_gpu_mean(n, xs, x, y, s));
        return PR_OK;
    case PR_NN_CONCAT: {
        /* Per batch item: a's floats then b's (rows of a pitched 2-D copy). */
        size_t an = shape_floats(xs), bn = shape_floats(p->values[op->in1]), yn = an + bn;
        CUDA_OK("concat copy", cudaMemcpy2DAsync(y, yn * sizeof(float), x, an * sizeof(float),
                                                 an * sizeof(float), (size_t)n,
                                                 cudaMemcpyDeviceToDevice, s));
        CUDA_OK("concat copy", cudaMemcpy2DAsync(y + an, yn * sizeof(float), value(c, op->in1),
                                                 bn * sizeof(float), bn * sizeof(float), (size_t)n,
                                                 cudaMemcpyDeviceToDevice, s));
        return PR_OK;
    }
    }
    return pr_set_error(PR_ERR_INTERNAL, "nn gpu: unknown op kind %d", (int)op->kind);
}

pr_status run_chunk(pr_cuda_nn *c, const float *in, int n, float *out)
{
    const pr_nn_plan *p = c->plan;
    size_t in_f = shape_floats(p->values[0]), out_f = shape_floats(p->values[p->output]);
    CUDA_OK("cudaMemcpyAsync(inputs)", cudaMemcpyAsync(value(c, 0), in, in_f * n * sizeof(float),
                                                       cudaMemcpyHostToDevice, c->stream));
    for (int i = 0; i < p->n_ops; i++) {
        pr_status st = run_op(c, i, n);
        if (st != PR_OK)
            return pr_error_context(st, "op %d (%s)", i, p->ops[i].name);
    }
    CUDA_OK("cudaMemcpyAsync(outputs)",
            cudaMemcpyAsync(out, value(c, p->output), out_f * n * sizeof(float),
                            cudaMemcpyDeviceToHost, c->stream));
    CUDA_OK("cudaStreamSynchronize", cudaStreamSynchronize(c->stream));
    return PR_OK;
}

pr_status setup(pr_cuda_nn *c)
{
    CUDA_OK("cudaStreamCreate", cudaStreamCreateWithFlags(&c->stream, cudaStreamNonBlocking));
    CUDA_OK("cudaEventCreate", cudaEventCreate(&c->ev_start));
    CUDA_OK("cudaEventCreate", cudaEventCreate(&c->ev_stop));
    BLAS_OK("cublasCreate", cublasCreate(&c->blas));
    BLAS_OK("cublasSetStream", cublasSetStream(c->blas, c->stream));
    BLAS_OK("cublasSetMathMode", cublasSetMathMode(c->blas, c->params.tf32
                                                                ? CUBLAS_TF32_TENSOR_OP_MATH
                                                                : CUBLAS_DEFAULT_MATH));
    return upload_weights(c);
}

} // namespace

extern "C" pr_cuda_nn_params pr_cuda_nn_params_default(void)
{
    pr_cuda_nn_params p;
    memset(&p, 0, sizeof p);
    p.max_batch = 256;
    return p;
}

extern "C" pr_status pr_cuda_nn_new(const pr_nn_plan *plan, const pr_cuda_nn_params *params,
                                    pr_cuda_nn **out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_cuda_nn_new: out is NULL");
    *out = NULL;
    if (!plan || plan->output < 0 || !plan->offsets)
        return pr_set_error(PR_ERR_ARG, "pr_cuda_nn_new: need a finished plan");
    pr_cuda_nn_params def = pr_cuda_nn_params_default();
    if (params && params->max_batch < 1)
        return pr_set_error(PR_ERR_ARG, "pr_cuda_nn_new: max_batch %d < 1", params->max_batch);
    pr_cuda_nn *c = (pr_cuda_nn *)pr_calloc(1, sizeof *c);
    if (!c)
        return pr_set_error(PR_ERR_NOMEM, "pr_cuda_nn_new: out of memory");
    c->plan = plan;
    c->params = params ? *params : def;
    c->w_at = (size_t *)pr_malloc_array((size_t)plan->n_ops + 1, sizeof *c->w_at);
    c->b_at = (size_t *)pr_malloc_array((size_t)plan->n_ops + 1, sizeof *c->b_at);
    pr_status st = c->w_at && c->b_at ? setup(c)
                                      : pr_set_error(PR_ERR_NOMEM, "pr_cuda_nn_new: out of memory");
    if (st != PR_OK) {
        pr_cuda_nn_delete(c);
        return st;
    }
    *out = c;
    return PR_OK;
}

extern "C" void pr_cuda_nn_delete(pr_cuda_nn *c)
{
    if (!c)
        return;
    /* Teardown: a failure here has no caller to tell and nothing to retry; the sticky-error reset
     * at the end keeps it from surfacing in the next, unrelated call. */
    cudaFree(c->d_values);
    cudaFree(c->d_col);
    cudaFree(c->d_weights);
    if (c->blas)
        cublasDestroy(c->blas);
    if (c->ev_start)
        cudaEventDestroy(c->ev_start);
    if (c->ev_stop)
        cudaEventDestroy(c->ev_stop);
    if (c->stream)
        cudaStreamDestroy(c->stream);
    cudaGetLastError();
    pr_free(c->w_at);
    pr_free(c->b_at);
    pr_free(c);
}

extern "C" pr_status pr_cuda_nn_run(pr_cuda_nn *c, const float *inputs, int n, float *outputs)
{
    if (!c || n < 0 || (n > 0 && (!inputs || !outputs)))
        return pr_set_error(PR_ERR_ARG, "pr_cuda_nn_run: bad arguments");
    const pr_nn_plan *p = c->plan;
    size_t in_f = shape_floats(p->values[0]), out_f = shape_floats(p->values[p->output]);
    c->last_ms = 0;
    for (int done = 0; done < n;) {
        int b = n - done < c->params.max_batch ? n - done : c->params.max_batch;
        pr_status st = reserve(c, b);
        if (st != PR_OK)
            return st;
        CUDA_OK("cudaEventRecord", cudaEventRecord(c->ev_start, c->stream));
        if ((st = run_chunk(c, inputs + in_f * done, b, outputs + out_f * done)) != PR_OK)
            return st;
        CUDA_OK("cudaEventRecord", cudaEventRecord(c->ev_stop, c->stream));
        CUDA_OK("cudaEventSynchronize", cudaEventSynchronize(c->ev_stop));
        float ms = 0;
        CUDA_OK("cudaEventElapsedTime", cudaEventElapsedTime(&ms, c->ev_start, c->ev_stop));
        c->last_ms += ms;
        done += b;
    }
    return PR_OK;
}

extern "C" double pr_cuda_nn_last_ms(const pr_cuda_nn *c) { return c ? c->last_ms : 0.0; }

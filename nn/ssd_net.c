/* face-api's SSD MobileNet v1 as an nn plan (layer list: detect/SSD_ARCH.md). */
#include "nn/ssd.h"

#include "core/alloc.h"
#include "nn/tfjs.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

/* Known files of @vladmandic/face-api 1.7.15 (../shared/models/faceapi/SOURCE.txt). */
#define SSD_MANIFEST_SHA "888f744dffbc84f5f060d1f8427d9742341943a2dfaaf9205d10029b7e7a2955"
#define SSD_BIN_SHA "2835640602d53718aa6ae9a42896327eaa21beefed056c218d32ca7d79e1e2f8"

/* tfjs's batchNorm epsilon in face-api's depthwise layers (0.001 as float32). */
#define BN_EPSILON 0.0010000000474974513

typedef struct builder {
    pr_nn_weights *w;
    pr_nn_plan *plan;
} builder;

static pr_status copy(builder *b, const char *name, int ndim, const int *shape, float **out)
{
    return pr_nn_weights_copy(b->w, name, ndim, shape, out);
}

/* face-api's pointwiseConvLayer: conv 'same' (k x k, stride) + offset, then ReLU6. */
static pr_status pointwise(builder *b, const char *prefix, int idx, int in, int k, int stride,
                           int cout, int *out)
{
    char wn[96], bn[96];
    int cin = b->plan->values[in].c;
    int ws[4] = {k, k, cin, cout}, bs[1] = {cout};
    float *w = NULL, *bias = NULL;
    snprintf(wn, sizeof wn, "%s/Conv2d_%d_pointwise/weights", prefix, idx);
    snprintf(bn, sizeof bn, "%s/Conv2d_%d_pointwise/convolution_bn_offset", prefix, idx);
    pr_status st = copy(b, wn, 4, ws, &w);
    if (st == PR_OK)
        st = copy(b, bn, 1, bs, &bias);
    if (st != PR_OK) {
        pr_free(w);
        pr_free(bias);
        return st;
    }
    return pr_nn_plan_conv(b->plan, wn, in, k, stride, PR_NN_SAME, cout, w, bias, PR_NN_RELU6, out);
}

/* face-api's depthwiseConvLayer: depthwise 3x3 'same', batch norm, ReLU6; the norm is folded:
 * w' = w * g / sqrt(var + eps), b' = beta - mean * g / sqrt(var + eps). */
static pr_status depthwise(builder *b, int idx, int in, int stride, int *out)
{
    static const char *const leaf[4] = {"gamma", "beta", "moving_mean", "moving_variance"};
    int c = b->plan->values[in].c, ws[4] = {3, 3, c, 1}, vs[1] = {c};
    const float *f, *v[4];
    char name[112];
    snprintf(name, sizeof name, "MobilenetV1/Conv2d_%d_depthwise/depthwise_weights", idx);
    pr_status st = pr_nn_weights_get(b->w, name, 4, ws, &f);
    for (int i = 0; i < 4 && st == PR_OK; i++) {
        char vn[112];
        snprintf(vn, sizeof vn, "MobilenetV1/Conv2d_%d_depthwise/BatchNorm/%s", idx, leaf[i]);
        st = pr_nn_weights_get(b->w, vn, 1, vs, &v[i]);
    }
    if (st != PR_OK)
        return st;
    float *wf = pr_malloc_array((size_t)9 * c, sizeof(float));
    float *bf = pr_malloc_array((size_t)c, sizeof(float));
    if (!wf || !bf) {
        pr_free(wf);
        pr_free(bf);
        return pr_set_error(PR_ERR_NOMEM, "ssd: out of memory");
    }
    for (int ch = 0; ch < c; ch++) {
        double s = (double)v[0][ch] / sqrt((double)v[3][ch] + BN_EPSILON);
        bf[ch] = (float)((double)v[1][ch] - (double)v[2][ch] * s);
        for (int t = 0; t < 9; t++)
            wf[t * c + ch] = (float)((double)f[t * c + ch] * s);
    }
    return pr_nn_plan_dwconv_bias(b->plan, name, in, 3, stride, PR_NN_SAME, wf, bf, PR_NN_RELU6,
                                  out);
}

/* MobileNet v1: conv_0 (3x3 s2), then 13 depthwise + pointwise pairs; *conv11 = pair 11's out. */
static pr_status mobilenet(builder *b, int *out, int *conv11)
{
    static const int cout[14] = {32, 64, 128, 128, 256, 256, 512, 512, 512, 512, 512, 512, 1024, 1024};
    int v;
    pr_status st = pointwise(b, "MobilenetV1", 0, 0, 3, 2, cout[0], &v);
    for (int i = 1; i < 14 && st == PR_OK; i++) {
        int stride = i == 2 || i == 4 || i == 6 || i == 12 ? 2 : 1;
        st = depthwise(b, i, v, stride, &v);
        if (st == PR_OK)
            st = pointwise(b, "MobilenetV1", i, v, 1, 1, cout[i], &v);
        if (i == 11)
            *conv11 = v;
    }
    *out = v;
    return st;
}

/* One head of box predictor idx: 1x1 conv + bias, no activation. */
static pr_status head(builder *b, int idx, const char *kind, int in, int cout, int *out)
{
    char wn[96], bn[96];
    int cin = b->plan->values[in].c, ws[4] = {1, 1, cin, cout}, bs[1] = {cout};
    float *w = NULL, *bias = NULL;
    snprintf(wn, sizeof wn, "Prediction/BoxPredictor_%d/%s/weights", idx, kind);
    snprintf(bn, sizeof bn, "Prediction/BoxPredictor_%d/%s/biases", idx, kind);
    pr_status st = copy(b, wn, 4, ws, &w);
    if (st == PR_OK)
        st = copy(b, bn, 1, bs, &bias);
    if (st != PR_OK) {
        pr_free(w);
        pr_free(bias);
        return st;
    }
    return pr_nn_plan_conv(b->plan, wn, in, 1, 1, PR_NN_SAME, cout, w, bias, 0, out);
}

/* The extra feature maps and the six heads; the output value: all box encodings (4 per anchor),
 * then all class logits (3 per anchor), heads in order 0..5. */
static pr_status prediction(builder *b, int x, int conv11, int *out)
{
    static const int cmid[8] = {256, 512, 128, 256, 128, 256, 64, 128};
    int maps[6] = {conv11, x, -1, -1, -1, -1}, v = x;
    pr_status st = PR_OK;
    for (int i = 0; i < 8 && st == PR_OK; i++) {
        st = pointwise(b, "Prediction", i, v, i % 2 ? 3 : 1, i % 2 ? 2 : 1, cmid[i], &v);
        if (i % 2)
            maps[2 + i / 2] = v;
    }
    int boxes = -1, classes = -1;
    for (int h = 0; h < 6 && st == PR_OK; h++) {
        int anchors = h == 0 ? 3 : 6, bv, cv;
        st = head(b, h, "BoxEncodingPredictor", maps[h], 4 * anchors, &bv);
        if (st == PR_OK)
            st = head(b, h, "ClassPredictor", maps[h], 3 * anchors, &cv);
        if (st == PR_OK)
            st = boxes < 0 ? (boxes = bv, PR_OK) : pr_nn_plan_concat(b->plan, boxes, bv, &boxes);
        if (st == PR_OK)
            st = classes < 0 ? (classes = cv, PR_OK)
                             : pr_nn_plan_concat(b->plan, classes, cv, &classes);
    }
    if (st == PR_OK)
        st = pr_nn_plan_concat(b->plan, boxes, classes, out);
    return st;
}

pr_status pr_ssd_load(const char *dir, pr_nn_plan **plan, float **anchors)
{
    builder b = {NULL, NULL};
    int out = -1, x = -1, conv11 = -1;
    int as[3] = {1, PR_SSD_ANCHORS, 4};
    *plan = NULL;
    *anchors = NULL;
    pr_status st = pr_nn_weights_load(dir, "ssd_mobilenetv1_model", SSD_MANIFEST_SHA, SSD_BIN_SHA,
                                      &b.w);
    if (st == PR_OK)
        st = pr_nn_plan_new((pr_nn_shape){PR_SSD_INPUT, PR_SSD_INPUT, 3}, &b.plan);
    if (st == PR_OK)
        st = mobilenet(&b, &x, &conv11);
    if (st == PR_OK)
        st = prediction(&b, x, conv11, &out);
    if (st == PR_OK && b.plan->values[out].c != PR_SSD_ANCHORS * 7)
        st = pr_set_error(PR_ERR_FORMAT, "ssd: %d outputs, expected %d", b.plan->values[out].c,
                          PR_SSD_ANCHORS * 7);
    if (st == PR_OK)
        st = pr_nn_plan_finish(b.plan, out);
    if (st == PR_OK)
        st = copy(&b, "Output/extra_dim", 3, as, anchors);
    pr_nn_weights_delete(b.w);
    if (st != PR_OK) {
        pr_nn_plan_delete(b.plan);
        return pr_error_context(st, "ssd model in %s", dir);
    }
    *plan = b.plan;
    return PR_OK;
}

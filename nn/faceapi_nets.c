/* The two nets of face-api as plans, from their tfjs weights (layer list: ARCH.md). */
#include "nn/faceapi.h"

#include "core/alloc.h"
#include "nn/tfjs.h"

#include <stdio.h>
#include <string.h>

/* Known files of @vladmandic/face-api 1.7.15 (../shared/models/faceapi/SOURCE.txt). */
#define LANDMARK_MANIFEST_SHA "ca4886639f86e99b39fed0c155f81b63317225773bd9616716e887b0153389c9"
#define LANDMARK_BIN_SHA "4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b"
#define RECOGNITION_MANIFEST_SHA "cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b"
#define RECOGNITION_BIN_SHA "b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589"

typedef struct builder {
    pr_nn_weights *w;
    pr_nn_plan *plan;
} builder;

static pr_status copy(builder *b, const char *name, int ndim, const int *shape, float **out)
{
    return pr_nn_weights_copy(b->w, name, ndim, shape, out);
}

static pr_status getp(builder *b, const char *prefix, const char *leaf, int ndim, const int *shape,
                      const float **out)
{
    char name[96];
    snprintf(name, sizeof name, "%s/%s", prefix, leaf);
    return pr_nn_weights_get(b->w, name, ndim, shape, out);
}

/* Recognition "conv layer": (conv(x) + b) * s + beta, folded to conv(x; W*s) + (b*s + beta). */
static pr_status rec_conv(builder *b, const char *prefix, int in, int stride, pr_nn_padding pad,
                          int k, int cout, int relu, int *out)
{
    int cin = b->plan->values[in].c;
    int fshape[4] = {k, k, cin, cout}, vshape[1] = {cout};
    const float *f, *bias, *s, *beta;
    pr_status st;
    if ((st = getp(b, prefix, "conv/filters", 4, fshape, &f)) != PR_OK ||
        (st = getp(b, prefix, "conv/bias", 1, vshape, &bias)) != PR_OK ||
        (st = getp(b, prefix, "scale/weights", 1, vshape, &s)) != PR_OK ||
        (st = getp(b, prefix, "scale/biases", 1, vshape, &beta)) != PR_OK)
        return st;
    size_t n = (size_t)k * k * cin * cout;
    float *wf = pr_malloc_array(n, sizeof(float)), *bf = pr_malloc_array((size_t)cout, sizeof(float));
    if (!wf || !bf) {
        pr_free(wf);
        pr_free(bf);
        return pr_set_error(PR_ERR_NOMEM, "nn: out of memory");
    }
    for (size_t i = 0; i < n; i++)
        wf[i] = (float)((double)f[i] * s[i % (size_t)cout]);
    for (int o = 0; o < cout; o++)
        bf[o] = (float)((double)bias[o] * s[o] + beta[o]);
    return pr_nn_plan_conv(b->plan, prefix, in, k, stride, pad, cout, wf, bf, relu, out);
}

static pr_status residual(builder *b, const char *name, int in, int *out)
{
    char p1[64], p2[64];
    int c = b->plan->values[in].c, y1, y2;
    snprintf(p1, sizeof p1, "%s/conv1", name);
    snprintf(p2, sizeof p2, "%s/conv2", name);
    pr_status st;
    if ((st = rec_conv(b, p1, in, 1, PR_NN_SAME, 3, c, 1, &y1)) != PR_OK ||
        (st = rec_conv(b, p2, y1, 1, PR_NN_SAME, 3, c, 0, &y2)) != PR_OK)
        return st;
    return pr_nn_plan_add(b->plan, y2, in, 1, out);
}

/* residualDown: 3x3/2 valid then 3x3/1 same; shortcut avgpool 2x2/2 with zero channels appended;
 * the main path gets a zero row/column when it is one short (the ADD op zero-extends both). */
static pr_status residual_down(builder *b, const char *name, int in, int cout, int *out)
{
    char p1[64], p2[64];
    int y1, y2, pooled;
    snprintf(p1, sizeof p1, "%s/conv1", name);
    snprintf(p2, sizeof p2, "%s/conv2", name);
    pr_status st;
    if ((st = rec_conv(b, p1, in, 2, PR_NN_VALID, 3, cout, 1, &y1)) != PR_OK ||
        (st = rec_conv(b, p2, y1, 1, PR_NN_SAME, 3, cout, 0, &y2)) != PR_OK ||
        (st = pr_nn_plan_pool(b->plan, PR_NN_AVGPOOL, in, 2, 2, &pooled)) != PR_OK)
        return st;
    return pr_nn_plan_add(b->plan, pooled, y2, 1, out);
}

static pr_status build_recognition(builder *b)
{
    static const struct { const char *name; int down_to; } blocks[] = {
        {"conv32_1", 0},     {"conv32_2", 0},    {"conv32_3", 0},  {"conv64_down", 64},
        {"conv64_1", 0},     {"conv64_2", 0},    {"conv64_3", 0},  {"conv128_down", 128},
        {"conv128_1", 0},    {"conv128_2", 0},   {"conv256_down", 256},
        {"conv256_1", 0},    {"conv256_2", 0},   {"conv256_down_out", 256},
    };
    int v, fc_shape[2] = {256, 128};
    pr_status st;
    if ((st = rec_conv(b, "conv32_down", 0, 2, PR_NN_VALID, 7, 32, 1, &v)) != PR_OK ||
        (st = pr_nn_plan_pool(b->plan, PR_NN_MAXPOOL, v, 3, 2, &v)) != PR_OK)
        return st;
    for (size_t i = 0; i < sizeof blocks / sizeof blocks[0]; i++) {
        st = blocks[i].down_to ? residual_down(b, blocks[i].name, v, blocks[i].down_to, &v)
                               : residual(b, blocks[i].name, v, &v);
        if (st != PR_OK)
            return st;
    }
    float *fc;
    if ((st = pr_nn_plan_mean(b->plan, v, &v)) != PR_OK ||
        (st = copy(b, "fc", 2, fc_shape, &fc)) != PR_OK ||
        (st = pr_nn_plan_fc(b->plan, "fc", v, 128, fc, NULL, &v)) != PR_OK)
        return st;
    return pr_nn_plan_finish(b->plan, v);
}

/* Landmark separable conv: depthwise 3x3 'same' (no bias), pointwise 1x1 + bias. */
static pr_status sep(builder *b, const char *prefix, int in, int stride, int cout, int relu,
                     int *out)
{
    int cin = b->plan->values[in].c;
    int dshape[4] = {3, 3, cin, 1}, pshape[4] = {1, 1, cin, cout}, bshape[1] = {cout}, d;
    char n1[96], n2[96], n3[96];
    snprintf(n1, sizeof n1, "%s/depthwise_filter", prefix);
    snprintf(n2, sizeof n2, "%s/pointwise_filter", prefix);
    snprintf(n3, sizeof n3, "%s/bias", prefix);
    float *dw = NULL, *pw = NULL, *bias = NULL;
    pr_status st;
    if ((st = copy(b, n1, 4, dshape, &dw)) != PR_OK)
        return st;
    if ((st = pr_nn_plan_dwconv(b->plan, prefix, in, 3, stride, PR_NN_SAME, dw, &d)) != PR_OK)
        return st;
    if ((st = copy(b, n2, 4, pshape, &pw)) != PR_OK || (st = copy(b, n3, 1, bshape, &bias)) != PR_OK) {
        pr_free(pw);
        return st;
    }
    return pr_nn_plan_conv(b->plan, prefix, d, 1, 1, PR_NN_VALID, cout, pw, bias, relu, out);
}

/* denseBlock4 in face-api's addition order: relu(o1 + (o2 + (o3 + o4))). */
static pr_status dense_block(builder *b, int k, int in, int cout, int *out)
{
    char p[4][32];
    for (int i = 0; i < 4; i++)
        snprintf(p[i], sizeof p[i], "dense%d/conv%d", k, i);
    int o1, o2, o3, o4, t, in3, in4;
    pr_status st;
    if (k == 0) {
        int fshape[4] = {3, 3, b->plan->values[in].c, cout}, bshape[1] = {cout};
        char nf[64], nb[64];
        float *f = NULL, *bias = NULL;
        snprintf(nf, sizeof nf, "%s/filters", p[0]);
        snprintf(nb, sizeof nb, "%s/bias", p[0]);
        if ((st = copy(b, nf, 4, fshape, &f)) != PR_OK || (st = copy(b, nb, 1, bshape, &bias)) != PR_OK) {
            pr_free(f);
            return st;
        }
        st = pr_nn_plan_conv(b->plan, p[0], in, 3, 2, PR_NN_SAME, cout, f, bias, 1, &o1);
    } else {
        st = sep(b, p[0], in, 2, cout, 1, &o1);
    }
    if (st != PR_OK || (st = sep(b, p[1], o1, 1, cout, 0, &o2)) != PR_OK ||
        (st = pr_nn_plan_add(b->plan, o1, o2, 1, &in3)) != PR_OK ||
        (st = sep(b, p[2], in3, 1, cout, 0, &o3)) != PR_OK ||
        (st = pr_nn_plan_add(b->plan, o2, o3, 0, &t)) != PR_OK ||
        (st = pr_nn_plan_add(b->plan, o1, t, 1, &in4)) != PR_OK ||
        (st = sep(b, p[3], in4, 1, cout, 0, &o4)) != PR_OK ||
        (st = pr_nn_plan_add(b->plan, o3, o4, 0, &t)) != PR_OK ||
        (st = pr_nn_plan_add(b->plan, o2, t, 0, &t)) != PR_OK)
        return st;
    return pr_nn_plan_add(b->plan, o1, t, 1, out);
}

static pr_status build_landmark(builder *b)
{
    int v = 0, wshape[2] = {256, 136}, bshape[1] = {136};
    static const int widths[4] = {32, 64, 128, 256};
    pr_status st;
    for (int k = 0; k < 4; k++)
        if ((st = dense_block(b, k, v, widths[k], &v)) != PR_OK)
            return st;
    float *fw = NULL, *fb = NULL;
    if ((st = pr_nn_plan_pool(b->plan, PR_NN_AVGPOOL, v, 7, 2, &v)) != PR_OK)
        return st;
    if ((st = copy(b, "fc/weights", 2, wshape, &fw)) != PR_OK ||
        (st = copy(b, "fc/bias", 1, bshape, &fb)) != PR_OK) {
        pr_free(fw);
        return st;
    }
    if ((st = pr_nn_plan_fc(b->plan, "fc", v, 136, fw, fb, &v)) != PR_OK)
        return st;
    return pr_nn_plan_finish(b->plan, v);
}

static pr_status load(const char *dir, const char *stem, const char *msha, const char *bsha,
                      int size, pr_status (*build)(builder *), pr_nn_plan **out)
{
    builder b = {NULL, NULL};
    *out = NULL;
    pr_status st = pr_nn_weights_load(dir, stem, msha, bsha, &b.w);
    if (st == PR_OK)
        st = pr_nn_plan_new((pr_nn_shape){size, size, 3}, &b.plan);
    if (st == PR_OK)
        st = build(&b);
    if (st == PR_OK)
        st = pr_nn_weights_check_all_used(b.w);
    pr_nn_weights_delete(b.w);
    if (st != PR_OK) {
        pr_nn_plan_delete(b.plan);
        return st;
    }
    *out = b.plan;
    return PR_OK;
}

pr_status pr_faceapi_landmark_net(const char *dir, pr_nn_plan **out)
{
    return load(dir, "face_landmark_68_model", LANDMARK_MANIFEST_SHA, LANDMARK_BIN_SHA,
                PR_FACEAPI_LANDMARK_SIZE, build_landmark, out);
}

pr_status pr_faceapi_recognition_net(const char *dir, pr_nn_plan **out)
{
    return load(dir, "face_recognition_model", RECOGNITION_MANIFEST_SHA, RECOGNITION_BIN_SHA,
                PR_FACEAPI_RECOGNITION_SIZE, build_recognition, out);
}

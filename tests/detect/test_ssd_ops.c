/* The ops nn/ gained for the SSD: depthwise with bias, ReLU6 and CONCAT, on a small plan whose
 * output is known by hand, through both CPU paths and the batched runner. */
#include "core/alloc.h"
#include "nn/plan.h"
#include "nn/run.h"
#include "tests/test.h"

#include <string.h>

/* Input 1x2x1 {a, b}; depthwise 1x1 weight 4, bias -1, ReLU6: {clamp(4a-1)}; 1x1 conv to 2
 * channels (weights 1 and -1, no bias, no activation); output = concat(depthwise, conv). */
static pr_nn_plan *small_plan(void)
{
    pr_nn_plan *p = NULL;
    float *dw = pr_malloc(sizeof(float)), *db = pr_malloc(sizeof(float));
    float *cw = pr_malloc(2 * sizeof(float));
    int v1, v2, v3;
    if (!dw || !db || !cw || pr_nn_plan_new((pr_nn_shape){1, 2, 1}, &p) != PR_OK) {
        pr_free(dw);
        pr_free(db);
        pr_free(cw);
        return p;
    }
    dw[0] = 4.0f;
    db[0] = -1.0f;
    cw[0] = 1.0f;
    cw[1] = -1.0f;
    PR_CHECK_OK(pr_nn_plan_dwconv_bias(p, "dw", 0, 1, 1, PR_NN_SAME, dw, db, PR_NN_RELU6, &v1));
    PR_CHECK_OK(pr_nn_plan_conv(p, "pw", v1, 1, 1, PR_NN_SAME, 2, cw, NULL, 0, &v2));
    PR_CHECK_OK(pr_nn_plan_concat(p, v1, v2, &v3));
    PR_CHECK_EQ_INT(p->values[v3].c, 6);
    PR_CHECK_OK(pr_nn_plan_finish(p, v3));
    return p;
}

int main(void)
{
    pr_nn_plan *p = small_plan();
    PR_CHECK(p != NULL);
    if (!p)
        return pr_test_finish();
    /* a = 3 -> 11 clamps to 6; b = -2 -> -9 clamps to 0. Two inputs for the batch path. */
    const float in[4] = {3.0f, -2.0f, 0.5f, 1.0f};
    const float want[12] = {6, 0, 6, -6, 0, 0, 1, 3, 1, -1, 3, -3};
    float out[12];
    for (int mode = 0; mode < 2; mode++) {
        float *ws = pr_nn_workspace_new(p);
        PR_CHECK(ws != NULL);
        for (int b = 0; ws && b < 2; b++) {
            pr_nn_run(p, (pr_nn_mode)mode, in + 2 * b, out, ws);
            for (int i = 0; i < 6; i++)
                PR_CHECK_NEAR(out[i], want[6 * b + i], 1e-6);
        }
        pr_free(ws);
    }
    float *wsn = pr_nn_workspace_new_n(p, 2);
    PR_CHECK(wsn != NULL);
    if (wsn) {
        memset(out, 0, sizeof out);
        pr_nn_run_n(p, PR_NN_MODE_FAST, 2, in, out, wsn);
        for (int i = 0; i < 12; i++)
            PR_CHECK_NEAR(out[i], want[i], 1e-6);
    }
    pr_free(wsn);
    pr_nn_plan_delete(p);
    return pr_test_finish();
}

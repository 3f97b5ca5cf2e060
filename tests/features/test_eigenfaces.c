#include "features/eigenfaces.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "tests/test.h"

#include <math.h>
#include <stdint.h>
#include <stdio.h>

/* Points spread with standard deviations 5, 2, 0.5 along three known orthonormal axes of R^4
 * (plus an offset): PCA must find those axes in that order, with those variances. */
static void known_axes(void)
{
    const double h = 0.5; /* axes: rotated basis of R^4 */
    const float axes[3][4] = {{(float)h, (float)h, (float)h, (float)h},
                              {(float)h, (float)-h, (float)h, (float)-h},
                              {(float)h, (float)h, (float)-h, (float)-h}};
    const double sd[3] = {5.0, 2.0, 0.5};
    const float offset[4] = {10, -3, 7, 1};
    enum { N = 2000, D = 4 };
    float *rows = (float *)pr_malloc(sizeof(float) * N * D);
    pr_rng rng;
    pr_rng_seed(&rng, 42);
    for (int i = 0; i < N; i++) {
        double c[3];
        for (int a = 0; a < 3; a++)
            c[a] = sd[a] * pr_rng_normal(&rng);
        for (int j = 0; j < D; j++) {
            double v = offset[j];
            for (int a = 0; a < 3; a++)
                v += c[a] * axes[a][j];
            rows[i * D + j] = (float)v;
        }
    }
    pr_eigenfaces_params p = pr_eigenfaces_params_default();
    p.components = 3;
    pr_eigenfaces *m = NULL;
    PR_CHECK_OK(pr_eigenfaces_train(&p, rows, N, D, &m)); /* n > dim: covariance path */
    if (m) {
        PR_CHECK_EQ_INT(pr_eigenfaces_components(m), 3);
        const float *basis = pr_eigenfaces_basis(m);
        const float *ev = pr_eigenfaces_eigenvalues(m);
        for (int a = 0; a < 3; a++) {
            double dot = 0;
            for (int j = 0; j < D; j++)
                dot += basis[a * D + j] * axes[a][j];
            PR_CHECK_MSG(fabs(fabs(dot) - 1.0) < 0.01, "axis %d: |dot| = %f", a, fabs(dot));
            PR_CHECK_MSG(fabs(sqrt(ev[a]) - sd[a]) < 0.1 * sd[a], "axis %d: sd %f vs %f", a,
                         sqrt(ev[a]), sd[a]);
        }
        for (int j = 0; j < D; j++)
            PR_CHECK_NEAR(pr_eigenfaces_mean(m)[j], offset[j], 0.3);
    }
    /* Snapshot path (n <= dim): 3 points in R^4 span a plane through their mean; the two axes
     * found must reconstruct every training point exactly. */
    float few[3 * D] = {1, 2, 3, 4, 2, 0, 1, 5, -1, 3, 3, 0};
    pr_eigenfaces *s = NULL;
    pr_eigenfaces_params ps = pr_eigenfaces_params_default();
    ps.components = 0;
    ps.energy = 1.0;
    PR_CHECK_OK(pr_eigenfaces_train(&ps, few, 3, D, &s));
    if (s) {
        PR_CHECK_EQ_INT(pr_eigenfaces_components(s), 2);
        for (int i = 0; i < 3; i++) {
            float c[2];
            PR_CHECK_OK(pr_eigenfaces_project(s, few + i * D, c));
            for (int j = 0; j < D; j++) {
                double rec = pr_eigenfaces_mean(s)[j];
                for (int a = 0; a < 2; a++)
                    rec += c[a] * pr_eigenfaces_basis(s)[a * D + j];
                PR_CHECK_NEAR(rec, few[i * D + j], 1e-4);
            }
            PR_CHECK_NEAR(pr_eigenfaces_distance_l2(c, c, 0, 2), 0.0, 0.0);
            PR_CHECK_NEAR(pr_eigenfaces_distance_wcos(s, c, c, 0, 2), 0.0, 1e-9);
        }
    }
    /* Save / load round trip, and a truncated file is refused. */
    if (m) {
        const char *path = "test_eigenfaces_model.bin";
        PR_CHECK_OK(pr_eigenfaces_save(m, path));
        pr_eigenfaces *l = NULL;
        PR_CHECK_OK(pr_eigenfaces_load(path, &l));
        if (l) {
            PR_CHECK_EQ_INT(pr_eigenfaces_components(l), 3);
            PR_CHECK_EQ_INT(pr_eigenfaces_dim(l), D);
            PR_CHECK(memcmp(pr_eigenfaces_basis(l), pr_eigenfaces_basis(m), sizeof(float) * 12) ==
                     0);
        }
        pr_eigenfaces_delete(l);
        FILE *f = fopen(path, "r+b");
        if (f) {
            fseek(f, 0, SEEK_END);
            long sz = ftell(f);
            fclose(f);
            uint8_t *bytes = (uint8_t *)pr_malloc((size_t)sz);
            f = fopen(path, "rb");
            PR_CHECK(fread(bytes, 1, (size_t)sz, f) == (size_t)sz);
            fclose(f);
            f = fopen(path, "wb");
            fwrite(bytes, 1, (size_t)sz - 3, f);
            fclose(f);
            l = NULL;
            PR_CHECK(pr_eigenfaces_load(path, &l) == PR_ERR_FORMAT && l == NULL);
            pr_free(bytes);
        }
        remove(path);
        PR_CHECK_OK(pr_eigenfaces_truncate(m, 1));
        PR_CHECK_EQ_INT(pr_eigenfaces_components(m), 1);
        PR_CHECK(pr_eigenfaces_truncate(m, 2) == PR_ERR_ARG);
    }
    /* Rows that do not vary (three copies of one photo) carry no variance: a model with no
     * components (the mean alone), which projects to nothing -- not an error that stops an
     * album run, not a crash -- and survives a save/load round trip. */
    float flat[3 * D];
    for (int i = 0; i < 3 * D; i++)
        flat[i] = 0.25f + 0.5f * (float)(i % D) / D; /* three copies of one row */
    pr_eigenfaces *z = NULL;
    PR_CHECK_OK(pr_eigenfaces_train(&ps, flat, 3, D, &z));
    PR_CHECK(z != NULL);
    if (z) {
        float coeff[1] = {42.0f};
        PR_CHECK_EQ_INT(pr_eigenfaces_components(z), 0);
        PR_CHECK(fabsf(pr_eigenfaces_mean(z)[1] - flat[1]) < 1e-6f);
        PR_CHECK_OK(pr_eigenfaces_project(z, flat, coeff));
        PR_CHECK(coeff[0] == 42.0f); /* nothing written */
        char zpath[] = "test_eigenfaces_flat.bin";
        pr_eigenfaces *zl = NULL;
        PR_CHECK_OK(pr_eigenfaces_save(z, zpath));
        PR_CHECK_OK(pr_eigenfaces_load(zpath, &zl));
        PR_CHECK_EQ_INT(pr_eigenfaces_components(zl), 0);
        pr_eigenfaces_delete(zl);
        remove(zpath);
    }
    pr_eigenfaces_delete(z);
    /* Every allocation failure is reported as PR_ERR_NOMEM: allocation k fails, k = 1, 2, ...
     * until the first run that succeeds. */
    pr_status st = PR_ERR_NOMEM;
    long runs = 0;
    for (long k = 1; st != PR_OK && k <= 100000; k++, runs++) {
        pr_eigenfaces *t = NULL;
        pr_alloc_fail_at(k);
        st = pr_eigenfaces_train(&ps, few, 3, D, &t);
        pr_alloc_fail_at(0);
        PR_CHECK(st == PR_OK || st == PR_ERR_NOMEM);
        PR_CHECK(st == PR_OK || t == NULL);
        pr_eigenfaces_delete(t);
    }
    PR_CHECK_EQ_INT(st, PR_OK);
    PR_CHECK(runs > 1);
    pr_eigenfaces_delete(m);
    pr_eigenfaces_delete(s);
    pr_free(rows);
}

static void preprocess(void)
{
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_new(100, 80, 3, &img));
    if (!img)
        return;
    for (int y = 0; y < 80; y++)
        for (int x = 0; x < 100; x++)
            for (int c = 0; c < 3; c++)
                pr_image_row(img, y)[3 * x + c] = (uint8_t)(x + y + 20 * c);
    pr_eigenfaces_params p = pr_eigenfaces_params_default();
    p.equalize = 1;
    float *row = (float *)pr_malloc(sizeof(float) * 64 * 64);
    pr_box box = {-10, 10, 60, 50}; /* partly outside: clipped */
    PR_CHECK_OK(pr_eigenfaces_preprocess(img, &box, &p, row));
    float lo = 1, hi = 0;
    for (int i = 0; i < 64 * 64; i++) {
        lo = row[i] < lo ? row[i] : lo;
        hi = row[i] > hi ? row[i] : hi;
    }
    PR_CHECK(lo >= 0 && hi <= 1 && hi - lo > 0.9f); /* equalised: full range */
    pr_box tiny = {95, 75, 20, 20};                 /* 5x5 inside after clipping, then 3x3 */
    pr_box out = {200, 200, 10, 10};
    PR_CHECK(pr_eigenfaces_preprocess(img, &out, &p, row) == PR_ERR_ARG);
    tiny.x = 97;
    tiny.y = 77;
    PR_CHECK(pr_eigenfaces_preprocess(img, &tiny, &p, row) == PR_ERR_ARG);
    pr_free(row);
    pr_image_delete(img);
}

int main(void)
{
    known_axes();
    preprocess();
    return pr_test_finish();
}

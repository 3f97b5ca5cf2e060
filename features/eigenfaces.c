/* Eigenfaces: PCA face space by the snapshot method.
 *
 * Turk & Pentland, "Eigenfaces for recognition", J. Cognitive Neuroscience 3(1), 1991. With n
 * faces of dim pixels (n << dim), the covariance's non-zero eigenvectors are A^T v / sqrt(lambda)
 * for the eigenpairs (lambda, v) of the n x n Gram matrix G = A A^T of the centred rows A (Sirovich
 * & Kirby's snapshot method), so the decomposition costs O(n^2 dim + n^3) instead of O(dim^3).
 * G comes from OpenBLAS sgemm, its eigenpairs from LAPACKE ssyevr (MRRR, all pairs). When n > dim
 * the dim x dim covariance is decomposed directly instead.
 *
 * Signs of eigenvectors are arbitrary in LAPACK; each basis row is flipped so that its largest
 * absolute entry is positive, making saved models and coefficients reproducible.
 *
 * Preprocessing follows common practice for the AT&T set: grey, resize to a fixed size, global
 * histogram equalisation (reduces the global lighting differences the first components otherwise
 * spend themselves on). */
#include "features/eigenfaces.h"

#include "core/alloc.h"
#include "core/fileio.h"
#include "features/bytes_internal.h"

#include <cblas.h>
#include <lapacke.h>

#include <math.h>
#include <stdio.h>
#include <string.h>

struct pr_eigenfaces {
    pr_eigenfaces_params params;
    int dim;
    int k;
    float *mean;   /* dim */
    float *basis;  /* k x dim */
    float *eigval; /* k */
};

pr_eigenfaces_params pr_eigenfaces_params_default(void)
{
    pr_eigenfaces_params p;
    p.width = 64;
    p.height = 64;
    p.equalize = 0;
    p.components = 0;
    p.energy = 0.95;
    return p;
}

static void equalize_u8(uint8_t *px, int n)
{
    long hist[256] = {0};
    for (int i = 0; i < n; i++)
        hist[px[i]]++;
    long cdf[256], acc = 0, cdf_min = 0;
    for (int v = 0; v < 256; v++) {
        acc += hist[v];
        cdf[v] = acc;
        if (!cdf_min && acc)
            cdf_min = acc;
    }
    if (n - cdf_min <= 0)
        return; /* flat image: nothing to spread */
    uint8_t lut[256];
    for (int v = 0; v < 256; v++) {
        double t = (double)(cdf[v] - cdf_min) / (double)(n - cdf_min);
        lut[v] = (uint8_t)(t < 0 ? 0 : lrint(t * 255.0));
    }
    for (int i = 0; i < n; i++)
        px[i] = lut[px[i]];
}

pr_status pr_eigenfaces_preprocess(const pr_image *img, const pr_box *box,
                                   const pr_eigenfaces_params *params, float *out)
{
    if (!img || !params || !out || params->width < 4 || params->height < 4)
        return pr_set_error(PR_ERR_ARG, "eigenfaces preprocess: bad arguments");
    /* Empty, NaN or far-outside boxes give no pixel (pr_box_pixels never converts them to int). */
    const pr_pixel_rect pix = pr_box_pixels(box ? *box : (pr_box){0, 0, img->width, img->height},
                                            img->width, img->height);
    const int x0 = pix.x0, y0 = pix.y0, x1 = pix.x1, y1 = pix.y1;
    if (x1 - x0 < 4 || y1 - y0 < 4)
        return pr_set_error(PR_ERR_ARG, "eigenfaces preprocess: face box too small (%dx%d)",
                            x1 - x0, y1 - y0);
    pr_image *crop = NULL, *grey = NULL, *small = NULL;
    pr_status st = pr_image_crop(img, x0, y0, x1 - x0, y1 - y0, &crop);
    if (st != PR_OK)
        goto fail;
    if ((st = pr_image_to_gray(crop, &grey)) != PR_OK)
        goto fail;
    if ((st = pr_image_resize(grey, params->width, params->height, &small)) != PR_OK)
        goto fail;
    {
        int w = params->width, h = params->height;
        uint8_t *px = (uint8_t *)pr_malloc((size_t)w * h);
        if (!px) {
            st = pr_set_error(PR_ERR_NOMEM, "eigenfaces preprocess: out of memory");
            goto fail;
        }
        for (int y = 0; y < h; y++)
            memcpy(px + (size_t)y * w, pr_image_row(small, y), (size_t)w);
        if (params->equalize)
            equalize_u8(px, w * h);
        for (int i = 0; i < w * h; i++)
            out[i] = px[i] * (1.0f / 255.0f);
        pr_free(px);
    }
fail:
    pr_image_delete(crop);
    pr_image_delete(grey);
    pr_image_delete(small);
    return st;
}

static pr_status model_alloc(int dim, int k, pr_eigenfaces **out)
{
    pr_eigenfaces *m = (pr_eigenfaces *)pr_calloc(1, sizeof *m);
    if (!m)
        return pr_set_error(PR_ERR_NOMEM, "eigenfaces: out of memory");
    m->dim = dim;
    m->k = k;
    m->mean = (float *)pr_malloc_array((size_t)dim, sizeof(float));
    m->basis = (float *)pr_malloc_array((size_t)(k > 0 ? k : 1) * dim, sizeof(float));
    m->eigval = (float *)pr_malloc_array((size_t)(k > 0 ? k : 1), sizeof(float));
    if (!m->mean || !m->basis || !m->eigval) {
        pr_eigenfaces_delete(m);
        return pr_set_error(PR_ERR_NOMEM, "eigenfaces: out of memory");
    }
    *out = m;
    return PR_OK;
}

void pr_eigenfaces_delete(pr_eigenfaces *model)
{
    if (!model)
        return;
    pr_free(model->mean);
    pr_free(model->basis);
    pr_free(model->eigval);
    pr_free(model);
}

static void normalise_row(float *r, int dim)
{
    double s = 0;
    int imax = 0;
    for (int i = 0; i < dim; i++) {
        s += (double)r[i] * r[i];
        if (fabsf(r[i]) > fabsf(r[imax]))
            imax = i;
    }
    float inv = s > 0 ? (float)(1.0 / sqrt(s)) : 0.0f;
    if (r[imax] < 0)
        inv = -inv;
    for (int i = 0; i < dim; i++)
        r[i] *= inv;
}

pr_status pr_eigenfaces_train(const pr_eigenfaces_params *params, const float *rows, int n,
                              int dim, pr_eigenfaces **out)
{
    if (!params || !rows || !out || n < 2 || dim < 1)
        return pr_set_error(PR_ERR_ARG, "eigenfaces train: need at least 2 rows (got %d)", n);
    *out = NULL;
    pr_status st = PR_OK;
    int snapshot = n <= dim;
    int m = snapshot ? n : dim; /* order of the symmetric matrix */
    float *mean = (float *)pr_calloc((size_t)dim, sizeof(float));
    float *a = (float *)pr_malloc_array((size_t)n * dim, sizeof(float));
    float *g = (float *)pr_malloc_array((size_t)m * m, sizeof(float));
    float *w = (float *)pr_malloc_array((size_t)m, sizeof(float));
    float *z = (float *)pr_malloc_array((size_t)m * m, sizeof(float));
    lapack_int *isuppz = (lapack_int *)pr_malloc_array((size_t)2 * m, sizeof(lapack_int));
    float *vsel = NULL;
    pr_eigenfaces *model = NULL;
    if (!mean || !a || !g || !w || !z || !isuppz) {
        st = pr_set_error(PR_ERR_NOMEM, "eigenfaces train: out of memory (%d x %d)", n, dim);
        goto fail;
    }
    {
        double *acc = (double *)pr_calloc((size_t)dim, sizeof(double));
        if (!acc) {
            st = pr_set_error(PR_ERR_NOMEM, "eigenfaces train: out of memory");
            goto fail;
        }
        for (int i = 0; i < n; i++)
            for (int j = 0; j < dim; j++)
                acc[j] += rows[(size_t)i * dim + j];
        for (int j = 0; j < dim; j++)
            mean[j] = (float)(acc[j] / n);
        pr_free(acc);
    }
    for (int i = 0; i < n; i++)
        for (int j = 0; j < dim; j++)
            a[(size_t)i * dim + j] = rows[(size_t)i * dim + j] - mean[j];
    if (snapshot)
        cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasTrans, n, n, dim, 1.0f, a, dim, a, dim,
                    0.0f, g, n);
    else
        cblas_sgemm(CblasRowMajor, CblasTrans, CblasNoTrans, dim, dim, n, 1.0f, a, dim, a, dim,
                    0.0f, g, dim);
    lapack_int found = 0;
    lapack_int info = LAPACKE_ssyevr(LAPACK_ROW_MAJOR, 'V', 'A', 'U', m, g, m, 0.0f, 0.0f, 0, 0,
                                     0.0f, &found, w, z, m, isuppz);
    if (info != 0 || found < 1) {
        st = pr_set_error(PR_ERR_INTERNAL, "eigenfaces train: ssyevr failed (info %d)", (int)info);
        goto fail;
    }
    /* Eigenvalues come ascending; keep the significant ones from the top. The centred rows span
     * at most n - 1 dimensions, so the snapshot's last eigenvalue is ~0 and is dropped here. */
    {
        float wmax = w[found - 1] > 0 ? w[found - 1] : 0;
        int rank = 0;
        double total = 0;
        for (int j = found - 1; j >= 0 && w[j] > wmax * 1e-6f && w[j] > 0; j--) {
            rank++;
            total += w[j];
        }
        if (snapshot && rank > n - 1)
            rank = n - 1;
        /* Rows that do not vary (copies of one photo: normal in an album) span no axis. The
         * model is then the mean alone, with no components: every face projects to nothing, and
         * the eigen cue is absent rather than the whole run failing. */
        int k = rank;
        if (k < 1) {
            k = 0;
        } else if (params->components > 0) {
            if (params->components < k)
                k = params->components;
        } else {
            double target = params->energy > 0 && params->energy <= 1 ? params->energy : 0.95;
            double acc = 0;
            for (k = 0; k < rank;) {
                acc += w[found - 1 - k];
                k++;
                if (acc >= target * total)
                    break;
            }
        }
        if ((st = model_alloc(dim, k, &model)) != PR_OK)
            goto fail;
        model->params = *params;
        memcpy(model->mean, mean, (size_t)dim * sizeof(float));
        for (int c = 0; c < k; c++)
            model->eigval[c] = w[found - 1 - c] / (float)(n - 1);
        if (snapshot) {
            /* vsel (k x n): the chosen eigenvectors as rows; basis = vsel * A, row c scaled by
             * 1/sqrt(lambda_c) (then renormalised, which also fixes float drift). */
            vsel = (float *)pr_malloc_array((size_t)k * n, sizeof(float));
            if (!vsel) {
                st = pr_set_error(PR_ERR_NOMEM, "eigenfaces train: out of memory");
                goto fail;
            }
            for (int c = 0; c < k; c++)
                for (int i = 0; i < n; i++)
                    vsel[(size_t)c * n + i] = z[(size_t)i * m + (found - 1 - c)];
            cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, k, dim, n, 1.0f, vsel, n, a,
                        dim, 0.0f, model->basis, dim);
        } else {
            for (int c = 0; c < k; c++)
                for (int i = 0; i < dim; i++)
                    model->basis[(size_t)c * dim + i] = z[(size_t)i * m + (found - 1 - c)];
        }
        for (int c = 0; c < k; c++)
            normalise_row(model->basis + (size_t)c * dim, dim);
    }
    *out = model;
    model = NULL;
fail:
    pr_eigenfaces_delete(model);
    pr_free(mean);
    pr_free(a);
    pr_free(g);
    pr_free(w);
    pr_free(z);
    pr_free(isuppz);
    pr_free(vsel);
    return st;
}

int pr_eigenfaces_dim(const pr_eigenfaces *model) { return model ? model->dim : 0; }
int pr_eigenfaces_components(const pr_eigenfaces *model) { return model ? model->k : 0; }
pr_eigenfaces_params pr_eigenfaces_model_params(const pr_eigenfaces *model)
{
    return model ? model->params : pr_eigenfaces_params_default();
}
const float *pr_eigenfaces_mean(const pr_eigenfaces *model) { return model->mean; }
const float *pr_eigenfaces_basis(const pr_eigenfaces *model) { return model->basis; }
const float *pr_eigenfaces_eigenvalues(const pr_eigenfaces *model) { return model->eigval; }

pr_status pr_eigenfaces_truncate(pr_eigenfaces *model, int k)
{
    if (!model || k < 1 || k > model->k)
        return pr_set_error(PR_ERR_ARG, "eigenfaces truncate: %d components asked, model has %d",
                            k, model ? model->k : 0);
    model->k = k; /* the tail of basis/eigval stays allocated but unused */
    return PR_OK;
}

pr_status pr_eigenfaces_project(const pr_eigenfaces *model, const float *row, float *coeffs)
{
    if (!model || !row || !coeffs)
        return pr_set_error(PR_ERR_ARG, "eigenfaces project: NULL argument");
    float *d = (float *)pr_malloc_array((size_t)model->dim, sizeof(float));
    if (!d)
        return pr_set_error(PR_ERR_NOMEM, "eigenfaces project: out of memory");
    for (int i = 0; i < model->dim; i++)
        d[i] = row[i] - model->mean[i];
    if (model->k > 0) /* a model of rows that did not vary has no axis to project on */
        cblas_sgemv(CblasRowMajor, CblasNoTrans, model->k, model->dim, 1.0f, model->basis,
                    model->dim, d, 1, 0.0f, coeffs, 1);
    pr_free(d);
    return PR_OK;
}

double pr_eigenfaces_distance_l2(const float *a, const float *b, int skip, int k)
{
    double s = 0;
    for (int i = skip; i < k; i++) {
        double d = (double)a[i] - b[i];
        s += d * d;
    }
    return sqrt(s);
}

double pr_eigenfaces_distance_cos(const float *a, const float *b, int skip, int k)
{
    return pr_eigenfaces_distance_wcos(NULL, a, b, skip, k);
}

double pr_eigenfaces_distance_wcos(const pr_eigenfaces *model, const float *a, const float *b,
                                   int skip, int k)
{
    double ab = 0, aa = 0, bb = 0;
    for (int i = skip; i < k; i++) {
        double lam = model && i < model->k && model->eigval[i] > 0 ? model->eigval[i] : 1.0;
        double x = a[i] / sqrt(lam), y = b[i] / sqrt(lam);
        ab += x * y;
        aa += x * x;
        bb += y * y;
    }
    if (aa <= 0 || bb <= 0)
        return 1.0;
    return 1.0 - ab / sqrt(aa * bb);
}

#define PR_EIGF_MAGIC "PREIGF01"
#define PR_EIGF_VERSION 1u

pr_status pr_eigenfaces_save(const pr_eigenfaces *model, const char *path)
{
    if (!model || !path)
        return pr_set_error(PR_ERR_ARG, "eigenfaces save: NULL argument");
    pr_wbuf b = {0};
    pr_wbuf_put(&b, PR_EIGF_MAGIC, 8);
    pr_wbuf_u32(&b, PR_EIGF_VERSION);
    pr_wbuf_i32(&b, model->params.width);
    pr_wbuf_i32(&b, model->params.height);
    pr_wbuf_i32(&b, model->params.equalize);
    pr_wbuf_i32(&b, model->dim);
    pr_wbuf_i32(&b, model->k);
    for (int i = 0; i < model->dim; i++)
        pr_wbuf_f32(&b, model->mean[i]);
    for (int i = 0; i < model->k; i++)
        pr_wbuf_f32(&b, model->eigval[i]);
    for (size_t i = 0; i < (size_t)model->k * model->dim; i++)
        pr_wbuf_f32(&b, model->basis[i]);
    if (b.failed) {
        pr_free(b.data);
        return pr_set_error(PR_ERR_NOMEM, "eigenfaces save: out of memory");
    }
    pr_status st = pr_file_write_atomic(path, b.data, b.size);
    pr_free(b.data);
    return st;
}

pr_status pr_eigenfaces_load(const char *path, pr_eigenfaces **out)
{
    if (!path || !out)
        return pr_set_error(PR_ERR_ARG, "eigenfaces load: NULL argument");
    *out = NULL;
    uint8_t *bytes = NULL;
    size_t size = 0;
    pr_status st = pr_read_file(path, (size_t)1 << 30, &bytes, &size);
    if (st != PR_OK)
        return st;
    pr_rbuf r = {bytes, size, 0, 0};
    char magic[8];
    pr_eigenfaces *m = NULL;
    pr_rbuf_get(&r, magic, 8);
    if (r.failed || memcmp(magic, PR_EIGF_MAGIC, 8) != 0) {
        st = pr_set_error(PR_ERR_FORMAT, "%s: not a personrec eigenface model", path);
        goto fail;
    }
    uint32_t version = pr_rbuf_u32(&r);
    if (version != PR_EIGF_VERSION) {
        st = pr_set_error(PR_ERR_FORMAT, "%s: eigenface model version %u not supported", path,
                          (unsigned)version);
        goto fail;
    }
    pr_eigenfaces_params p = pr_eigenfaces_params_default();
    p.width = pr_rbuf_i32(&r);
    p.height = pr_rbuf_i32(&r);
    p.equalize = pr_rbuf_i32(&r);
    int dim = pr_rbuf_i32(&r), k = pr_rbuf_i32(&r);
    /* Check the declared sizes against the bytes present before allocating anything. */
    if (r.failed || dim < 1 || k < 0 || k > dim ||
        (uint64_t)(r.size - r.pos) != 4ull * ((uint64_t)dim + k + (uint64_t)k * dim)) {
        st = pr_set_error(PR_ERR_FORMAT, "%s: eigenface model header is inconsistent", path);
        goto fail;
    }
    p.components = k;
    if ((st = model_alloc(dim, k, &m)) != PR_OK)
        goto fail;
    m->params = p;
    for (int i = 0; i < dim; i++)
        m->mean[i] = pr_rbuf_f32(&r);
    for (int i = 0; i < k; i++)
        m->eigval[i] = pr_rbuf_f32(&r);
    for (size_t i = 0; i < (size_t)k * dim; i++)
        m->basis[i] = pr_rbuf_f32(&r);
    *out = m;
    m = NULL;
fail:
    pr_eigenfaces_delete(m);
    pr_free(bytes);
    return st;
}

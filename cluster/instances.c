#define _POSIX_C_SOURCE 200809L
/* From person records to people: the shared path of `personrec cluster` and `personrec label`.
 *
 * Algorithm notes.
 * - One n x n matrix per cue: eigenface L2 and the chi-square of the HSV colour histograms through
 *   cluster/distance.h (GPU when present), SIFT as 1 - the share of Lowe ratio-test matches (0.8)
 *   row by row in our pool. A cue a record lacks (no body, a face too small) is NaN for its pairs.
 * - Events (Graham et al. 2002, features/context.h) over the photos that hold the instances; the
 *   clothing, body SIFT and background cues count only within one event (cluster/fusion.h
 *   same_event_only: both instances need the same known event) unless clothing_everywhere.
 * - Fusion by per-album ranks and the weights of pr_instances_params (cluster/fusion.h), then
 *   k-medoids (FasterPAM, Schubert & Rousseeuw 2021) with the same-photo cannot-link, k from
 *   Rousseeuw's (1987) silhouette by default (cluster/choose_k.h), and optionally the
 *   co-occurrence refinement (cluster/cooccur.h). */
#include "cluster/instances.h"

#include "cluster/cooccur.h"
#include "cluster/matrix.h"
#include "core/alloc.h"
#include "core/threadpool.h"
#include "features/blas.h"
#include "features/context.h"
#include "features/sift.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const cue_names[PR_CUE_COUNT] = {"eigen",    "sift",       "band",
                                                     "body",     "siftbody",   "background",
                                                     "descriptor"};
static const int cue_same_event[PR_CUE_COUNT] = {0, 0, 0, 1, 1, 1, 0};

const char *pr_instance_cue_name(int cue)
{
    return cue >= 0 && cue < PR_CUE_COUNT ? cue_names[cue] : NULL;
}

int pr_instance_cue_same_event(int cue)
{
    return cue >= 0 && cue < PR_CUE_COUNT ? cue_same_event[cue] : 0;
}

pr_instances_params pr_instances_params_default(void)
{
    pr_instances_params p;
    memset(&p, 0, sizeof p);
    /* thesis/results/cluster.md: fixed before the album measurement, not tuned on it */
    p.weights[PR_CUE_EIGEN] = 1;
    p.weights[PR_CUE_SIFT] = 1;
    p.weights[PR_CUE_BAND] = 1;
    p.weights[PR_CUE_BODY] = 1;
    p.weights[PR_CUE_SIFT_BODY] = 0;
    p.weights[PR_CUE_BACKGROUND] = 0.5;
    p.scale = PR_FUSION_RANK;
    p.device = PR_DISTANCE_AUTO;
    return p;
}

pr_status pr_instances_parse_cues(const char *text, double weights[PR_CUE_COUNT])
{
    for (int c = 0; c < PR_CUE_COUNT; c++)
        weights[c] = 0;
    if (!text)
        return pr_set_error(PR_ERR_ARG, "no cue list");
    char buf[512];
    if (strlen(text) >= sizeof buf)
        return pr_set_error(PR_ERR_ARG, "cue list too long");
    snprintf(buf, sizeof buf, "%s", text);
    double sum = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
        char *eq = strchr(tok, '=');
        double w = 1.0;
        if (eq) {
            *eq = 0;
            char *end;
            w = strtod(eq + 1, &end);
            if (*end || !(w >= 0) || !isfinite(w))
                return pr_set_error(PR_ERR_ARG, "cue %s: bad weight '%s'", tok, eq + 1);
        }
        int found = -1;
        for (int c = 0; c < PR_CUE_COUNT; c++)
            if (!strcmp(tok, cue_names[c]))
                found = c;
        if (found < 0)
            return pr_set_error(PR_ERR_ARG, "unknown cue '%s'", tok);
        weights[found] = w;
    }
    for (int c = 0; c < PR_CUE_COUNT; c++)
        sum += weights[c];
    if (!(sum > 0))
        return pr_set_error(PR_ERR_ARG, "the cue list switches every cue off");
    return PR_OK;
}

/* --- cue matrices -------------------------------------------------------------------------------- */

static const pr_color_hist *hist_of(const pr_person *p, int cue)
{
    return cue == PR_CUE_BAND ? &p->band_hist : cue == PR_CUE_BODY ? &p->body_hist : &p->background;
}

/* Instance i's vector for a vector cue (eigen, a histogram, the descriptor) and its length; NULL
 * when it has none. */
static const float *cue_vector(const pr_person *const *persons, const float *const *descriptors,
                               int i, int cue, int *dim)
{
    *dim = 0;
    if (cue == PR_CUE_DESCRIPTOR) {
        const float *d = descriptors ? descriptors[i] : NULL;
        *dim = d ? PR_INSTANCES_DESCRIPTOR_DIM : 0;
        return d;
    }
    const pr_person *p = persons[i];
    if (!p)
        return NULL;
    *dim = cue == PR_CUE_EIGEN ? p->n_eigen : hist_of(p, cue)->n;
    return cue == PR_CUE_EIGEN ? p->eigen : hist_of(p, cue)->h;
}

static pr_status vector_cue(const pr_instances_params *ip, const pr_person *const *persons,
                            const float *const *descriptors, int n, int cue, float *out)
{
    int dim = 0;
    for (int i = 0; i < n; i++) {
        int d;
        cue_vector(persons, descriptors, i, cue, &d);
        if (d > dim)
            dim = d;
    }
    if (dim == 0) {
        for (size_t e = 0; e < (size_t)n * n; e++)
            out[e] = NAN;
        for (int i = 0; i < n; i++)
            out[(size_t)i * n + i] = 0;
        return PR_OK;
    }
    float *x = pr_calloc((size_t)n * dim, sizeof *x);
    unsigned char *has = pr_calloc((size_t)n, 1);
    if (!x || !has) {
        pr_free(x);
        pr_free(has);
        return pr_set_error(PR_ERR_NOMEM, "out of memory for the %s cue", cue_names[cue]);
    }
    for (int i = 0; i < n; i++) {
        int d;
        const float *src = cue_vector(persons, descriptors, i, cue, &d);
        if (d == dim && src) {
            memcpy(x + (size_t)i * dim, src, (size_t)dim * sizeof *x);
            has[i] = 1;
        }
    }
    pr_distance_params dp = pr_distance_params_default();
    dp.device = ip->device;
    dp.threads = ip->threads;
    dp.metric = cue == PR_CUE_EIGEN || cue == PR_CUE_DESCRIPTOR ? PR_DISTANCE_L2 : PR_DISTANCE_CHI2;
    pr_status st = pr_distance_pairwise(&dp, x, n, x, n, dim, out, NULL);
    for (int i = 0; st == PR_OK && i < n; i++)
        if (!has[i])
            for (int j = 0; j < n; j++)
                if (j != i)
                    out[(size_t)i * n + j] = out[(size_t)j * n + i] = NAN;
    pr_free(x);
    pr_free(has);
    if (st != PR_OK)
        pr_error_context(st, "%s cue", cue_names[cue]);
    return st;
}

typedef struct sift_job {
    const pr_person *const *persons;
    int n, body;
    float *out;
} sift_job;

static void sift_row(void *ctx, long i_, int worker)
{
    (void)worker;
    const sift_job *J = ctx;
    int n = J->n, i = (int)i_;
    J->out[(size_t)i * n + i] = 0;
    for (int j = i + 1; j < n; j++) {
        const pr_person *p = J->persons[i], *q = J->persons[j];
        double s = NAN;
        if (p && q) {
            const pr_sift_set *a = J->body ? p->sift_body : p->sift_face;
            const pr_sift_set *b = J->body ? q->sift_body : q->sift_face;
            if (a && b)
                s = pr_sift_similarity(a, b, 0.8);
        }
        float d = isnan(s) ? NAN : (float)(1.0 - s);
        J->out[(size_t)i * n + j] = J->out[(size_t)j * n + i] = d;
    }
}

pr_status pr_instances_distances(const pr_instances_params *params, const pr_person *const *persons,
                                 const float *const *descriptors, int n, const int32_t *event,
                                 float *fused)
{
    if (!params || n < 1 || !persons || !fused)
        return pr_set_error(PR_ERR_ARG, "pr_instances_distances: bad arguments");
    float *m[PR_CUE_COUNT] = {NULL};
    int32_t *everywhere = NULL;
    pr_pool *pool = NULL;
    pr_cue_matrix cues[PR_CUE_COUNT];
    int ncues = 0, same_event_used = 0;
    pr_status st = PR_OK;
    for (int c = 0; c < PR_CUE_COUNT; c++)
        if (!(params->weights[c] >= 0) || !isfinite(params->weights[c]))
            return pr_set_error(PR_ERR_ARG, "cue %s: weight must be >= 0", cue_names[c]);

    /* Our pool parallelises over rows of SIFT pairs: OpenBLAS threads inside would fight it. */
    pr_blas_set_threads(1);
    if ((st = pr_pool_new(params->threads, &pool)) != PR_OK)
        goto done;
    for (int c = 0; c < PR_CUE_COUNT; c++) {
        if (params->weights[c] <= 0)
            continue;
        if (!(m[c] = pr_matrix_alloc((size_t)n, (size_t)n))) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory for %d x %d %s distances", n, n,
                              cue_names[c]);
            goto done;
        }
        if (c == PR_CUE_SIFT || c == PR_CUE_SIFT_BODY) {
            sift_job J = {persons, n, c == PR_CUE_SIFT_BODY, m[c]};
            pr_pool_for(pool, n, sift_row, &J);
        } else if ((st = vector_cue(params, persons, descriptors, n, c, m[c])) != PR_OK) {
            goto done;
        }
        cues[ncues++] = (pr_cue_matrix){cue_names[c], m[c], params->weights[c], cue_same_event[c]};
        same_event_used |= cue_same_event[c];
    }
    pr_fusion_params fp = pr_fusion_params_default();
    fp.scale = params->scale;
    fp.threads = params->threads;
    if (same_event_used) {
        if (params->clothing_everywhere || !event) {
            /* one event for all: the same-event cues count between every pair */
            if (!(everywhere = pr_calloc((size_t)n, sizeof *everywhere))) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                goto done;
            }
            fp.event = everywhere;
        } else {
            fp.event = event;
        }
    }
    st = pr_fuse_distances(&fp, cues, ncues, n, fused);
done:
    for (int c = 0; c < PR_CUE_COUNT; c++)
        pr_matrix_free(m[c]);
    pr_free(everywhere);
    pr_pool_delete(pool);
    return st;
}

/* --- clustering ---------------------------------------------------------------------------------- */

pr_instances_cluster_params pr_instances_cluster_params_default(void)
{
    pr_instances_cluster_params p;
    memset(&p, 0, sizeof p);
    p.choose = pr_choose_k_params_default();
    p.constraint = 1;
    p.cooccurrence = 0; /* not shown to help on the evaluation album (thesis/results/cluster.md) */
    return p;
}

pr_status pr_instances_cluster(const float *fused, int n, const int32_t *group,
                               const pr_instances_cluster_params *params, pr_kmedoids_result *out,
                               int *moved)
{
    if (moved)
        *moved = 0;
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_instances_cluster: no result");
    memset(out, 0, sizeof *out);
    if (!params || !fused || n < 1 || (params->constraint && !group))
        return pr_set_error(PR_ERR_ARG, "pr_instances_cluster: bad arguments");
    const int32_t *g = params->constraint ? group : NULL;
    pr_status st;
    if (n == 1) {
        out->n = out->k = 1;
        out->medoids = pr_calloc(1, sizeof(int));
        out->labels = pr_calloc(1, sizeof(int));
        if (!out->medoids || !out->labels) {
            pr_kmedoids_result_free(out);
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        }
        return PR_OK;
    }
    if (params->k > 0) {
        int kmin = g ? pr_group_max_size(g, n) : 1;
        pr_kmedoids_params kp = params->choose.kmedoids;
        kp.k = params->k < kmin ? kmin : params->k > n ? n : params->k;
        kp.group = g;
        kp.init = NULL;
        st = pr_kmedoids(fused, n, &kp, out);
    } else {
        pr_choose_k_params cp = params->choose;
        cp.kmedoids.group = g;
        cp.kmedoids.init = NULL;
        if (cp.k_min > n)
            cp.k_min = n;
        st = pr_kmedoids_auto(fused, n, &cp, out, NULL);
    }
    if (st != PR_OK)
        return st;
    /* Co-occurrence re-assigns a photo's faces jointly under the constraint; without the
     * constraint the photo grouping is not to be imposed. */
    if (g && params->cooccurrence > 0) {
        pr_cooccur_params cop = pr_cooccur_params_default();
        cop.weight = params->cooccurrence;
        if ((st = pr_cooccur_refine(fused, n, g, out->medoids, out->k, &cop, out->labels,
                                    moved)) != PR_OK) {
            pr_kmedoids_result_free(out);
            return st;
        }
        out->loss = pr_kmedoids_loss(fused, n, out->medoids, out->labels);
    }
    return PR_OK;
}

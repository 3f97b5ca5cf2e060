/* calibrated: descriptor LLRs -> average linkage -> medoids + probability distances
 * (cluster/calibrated.h). */
#include "cluster/calibrated.h"

#include "core/alloc.h"

#include <math.h>
#include <string.h>

float pr_calibrated_descriptor_llr(const pr_calibration *cal, const float *a, const float *b)
{
    if (!a || !b)
        return 0.0f;
    double s = 0;
    for (int c = 0; c < PR_CALIBRATED_DIM; c++) {
        double t = (double)a[c] - b[c];
        s += t * t;
    }
    return (float)pr_calibration_llr(cal, sqrt(s));
}

void pr_calibrated_descriptor_scores(const pr_calibration *cal, const float *const *desc, int n,
                                     float *score)
{
    for (int i = 0; i < n; i++) {
        score[(size_t)i * n + i] = 0.0f;
        for (int j = i + 1; j < n; j++) {
            float v = desc ? pr_calibrated_descriptor_llr(cal, desc[i], desc[j]) : 0.0f;
            score[(size_t)i * n + j] = score[(size_t)j * n + i] = v;
        }
    }
}

pr_status pr_stranger_shipped(pr_stranger_model *out)
{
    double v[3];
    pr_status st = pr_calibration_shipped_line("stranger", 3, v);
    if (st != PR_OK)
        return st;
    if (!(v[1] > 0))
        return pr_set_error(PR_ERR_FORMAT, "cluster/params/calibration.txt: stranger needs c1 > 0");
    out->c0 = v[0];
    out->c1 = v[1];
    out->c2 = v[2];
    return PR_OK;
}

void pr_stranger_min_scores(const pr_stranger_model *m, const float *const *desc,
                            const int32_t *group, int n, float *out)
{
    int with = 0;
    for (int i = 0; i < n; i++)
        with += desc && desc[i] != NULL;
    for (int i = 0; i < n; i++) {
        if (!desc || !desc[i]) {
            out[i] = INFINITY;
            continue;
        }
        int cand = with - 1;
        if (group)
            for (int j = 0; j < n; j++)
                cand -= j != i && desc[j] && group[j] == group[i];
        out[i] = pr_stranger_min_score(m, cand);
    }
}

float pr_stranger_min_score(const pr_stranger_model *m, int candidates)
{
    double lm = log(candidates > 1 ? (double)candidates : 1.0);
    return (float)(-(m->c0 + m->c2 * lm) / m->c1);
}

/* The member with the highest summed score to its cluster (ties: the first). */
static void pick_medoids(const float *score, int n, const int *labels, int k, int *medoid)
{
    double *best = pr_malloc_array((size_t)k, sizeof *best);
    for (int c = 0; c < k; c++)
        medoid[c] = -1;
    for (int i = 0; i < n; i++) {
        double s = 0;
        for (int j = 0; j < n; j++)
            if (j != i && labels[j] == labels[i])
                s += score[(size_t)i * n + j];
        int c = labels[i];
        if (medoid[c] < 0 || (best && s > best[c])) {
            medoid[c] = i;
            if (best)
                best[c] = s;
        }
    }
    pr_free(best);
}

pr_status pr_calibrated_partition(float *distance, int n, const int32_t *group,
                                  const pr_agglomerative_params *params, pr_kmedoids_result *out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_calibrated_partition: no result");
    memset(out, 0, sizeof *out);
    if (n < 1 || !distance)
        return pr_set_error(PR_ERR_ARG, "pr_calibrated_partition: bad arguments");
    pr_status st = PR_OK;
    out->n = n;
    out->labels = pr_malloc_array((size_t)n, sizeof *out->labels);
    int *medoids = pr_malloc_array((size_t)n, sizeof *medoids);
    if (!out->labels || !medoids) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory for %d faces", n);
        goto done;
    }
    if ((st = pr_agglomerate(distance, n, group, params, out->labels, &out->k)) != PR_OK)
        goto done;
    pick_medoids(distance, n, out->labels, out->k, medoids);
    for (size_t i = 0; i < (size_t)n * (size_t)n; i++)
        distance[i] = (float)(1.0 / (1.0 + exp((double)distance[i])));
    for (int i = 0; i < n; i++) {
        distance[(size_t)i * n + i] = 0.0f;
        out->loss += distance[(size_t)i * n + medoids[out->labels[i]]];
    }
    out->loss_unconstrained = out->loss;
    out->medoids = medoids;
    medoids = NULL;
done:
    pr_free(medoids);
    if (st != PR_OK)
        pr_kmedoids_result_free(out);
    return st;
}

pr_status pr_calibrated_cluster(const pr_calibration *cal, const float *const *descriptors, int n,
                                const int32_t *group, const pr_agglomerative_params *params,
                                float *distance, pr_kmedoids_result *out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_calibrated_cluster: no result");
    memset(out, 0, sizeof *out);
    if (n < 1 || !distance)
        return pr_set_error(PR_ERR_ARG, "pr_calibrated_cluster: bad arguments");
    pr_calibration shipped;
    if (!cal) {
        pr_status st = pr_calibration_shipped("descriptor", &shipped);
        if (st != PR_OK)
            return st;
        cal = &shipped;
    }
    /* The score matrix lives in distance's memory until it is turned into distances. */
    pr_calibrated_descriptor_scores(cal, descriptors, n, distance);
    return pr_calibrated_partition(distance, n, group, params, out);
}

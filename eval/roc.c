/* ROC AUC and equal error rate.
 *
 * AUC by the Mann-Whitney U statistic with mid-ranks for ties (Hanley & McNeil 1982): sort all
 * scores once, AUC = (sum of positive ranks - P(P+1)/2) / (P N). EER: walk the thresholds from the
 * highest score down (accept score >= t); FAR rises from 0 and FRR falls to 0; the EER is where
 * they cross, linearly interpolated between the two neighbouring operating points. */
#include "eval/roc.h"

#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>

typedef struct scored {
    double s;
    int pos;
} scored;

static int by_score_desc(const void *pa, const void *pb)
{
    const scored *a = (const scored *)pa, *b = (const scored *)pb;
    if (a->s != b->s)
        return a->s > b->s ? -1 : 1;
    return 0;
}

pr_status pr_roc_compute(const double *scores, const int *labels, size_t n, pr_roc_result *out)
{
    if (!out || (n > 0 && (!scores || !labels)))
        return pr_set_error(PR_ERR_ARG, "roc: NULL argument");
    out->auc = out->eer = out->eer_threshold = NAN;
    out->positives = out->negatives = out->skipped = 0;
    scored *v = (scored *)pr_malloc_array(n ? n : 1, sizeof *v);
    if (!v)
        return pr_set_error(PR_ERR_NOMEM, "roc: out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (isnan(scores[i])) {
            out->skipped++;
            continue;
        }
        v[m].s = scores[i];
        v[m].pos = labels[i] != 0;
        if (v[m].pos)
            out->positives++;
        else
            out->negatives++;
        m++;
    }
    if (out->positives == 0 || out->negatives == 0) {
        pr_free(v);
        return pr_set_error(PR_ERR_ARG, "roc: need positives and negatives (got %ld and %ld)",
                            out->positives, out->negatives);
    }
    qsort(v, m, sizeof *v, by_score_desc);
    double P = (double)out->positives, N = (double)out->negatives;
    /* Ranks ascending: the element at sorted (descending) position i has rank m - i. */
    double rank_sum = 0;
    double tp = 0, fp = 0, prev_far = 0, prev_frr = 1, prev_t = v[0].s;
    int eer_done = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i;
        double tp_here = 0, fp_here = 0;
        while (j < m && v[j].s == v[i].s) {
            if (v[j].pos)
                tp_here++;
            else
                fp_here++;
            j++;
        }
        /* mid-rank of the tie group [i, j): ranks m-i down to m-j+1 */
        double mid = ((double)(m - i) + (double)(m - j + 1)) / 2.0;
        rank_sum += tp_here * mid;
        tp += tp_here;
        fp += fp_here;
        double far = fp / N, frr = 1.0 - tp / P;
        if (!eer_done && far >= frr) {
            /* crossing between the previous point and this one */
            double d0 = prev_frr - prev_far, d1 = frr - far; /* d0 > 0 >= d1 */
            double t = d0 - d1 > 0 ? d0 / (d0 - d1) : 0;
            out->eer = prev_far + t * (far - prev_far);
            out->eer_threshold = t < 0.5 ? prev_t : v[i].s;
            eer_done = 1;
        }
        prev_far = far;
        prev_frr = frr;
        prev_t = v[i].s;
        i = j;
    }
    out->auc = (rank_sum - P * (P + 1) / 2.0) / (P * N);
    pr_free(v);
    return PR_OK;
}

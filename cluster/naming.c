/* Naming suggestions (see naming.h). The confidence is a ratio test in the spirit of Lowe's
 * nearest / second-nearest rule: a suggestion is trusted when the instance is much closer to its
 * name's seeds than to anybody else's, and discounted by how much the cluster's seeds disagree. */
#include "cluster/naming.h"

#include "core/alloc.h"

#include <math.h>
#include <string.h>

pr_suggest_params pr_suggest_params_default(void)
{
    pr_suggest_params p;
    memset(&p, 0, sizeof p);
    p.threshold = 0.6;
    return p;
}

pr_status pr_suggest_names(const float *d, int n, const int *labels, int k, const int *seed_name,
                           const pr_suggest_params *params, int *name_out, double *confidence_out,
                           int *cluster_name)
{
    pr_suggest_params p = params ? *params : pr_suggest_params_default();
    if (!d || !labels || !seed_name || !name_out || !confidence_out || n < 1 || k < 1)
        return pr_set_error(PR_ERR_ARG, "pr_suggest_names: bad arguments");
    int names = 0;
    for (int i = 0; i < n; i++) {
        if (labels[i] < 0 || labels[i] >= k)
            return pr_set_error(PR_ERR_ARG, "instance %d has cluster %d outside [0, %d)", i,
                                labels[i], k);
        if (seed_name[i] >= names)
            names = seed_name[i] + 1;
    }
    pr_status st = PR_OK;
    int *votes = NULL, *cname = NULL;
    double *purity = NULL, *closeness = NULL;
    int *members = NULL;
    cname = pr_malloc_array((size_t)k, sizeof *cname);
    purity = pr_calloc((size_t)k, sizeof *purity);
    members = pr_calloc((size_t)k, sizeof *members);
    if (names > 0) {
        votes = pr_calloc((size_t)names, sizeof *votes);
        closeness = pr_calloc((size_t)names, sizeof *closeness);
    }
    if (!cname || !purity || !members || (names > 0 && (!votes || !closeness))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory suggesting names");
        goto done;
    }
    for (int i = 0; i < n; i++)
        members[labels[i]]++;
    for (int c = 0; c < k; c++) {
        cname[c] = -1;
        int seeds = 0;
        for (int q = 0; q < names; q++) {
            votes[q] = 0;
            closeness[q] = 0;
        }
        for (int i = 0; i < n; i++)
            if (labels[i] == c && seed_name[i] >= 0) {
                votes[seed_name[i]]++;
                seeds++;
                for (int j = 0; j < n; j++)
                    if (labels[j] == c)
                        closeness[seed_name[i]] += d[(size_t)i * n + j];
            }
        if (seeds == 0)
            continue;
        int best = -1;
        for (int q = 0; q < names; q++) {
            if (votes[q] == 0)
                continue;
            double mean_q = closeness[q] / votes[q];
            if (best < 0 || votes[q] > votes[best] ||
                (votes[q] == votes[best] && mean_q < closeness[best] / votes[best]))
                best = q;
        }
        cname[c] = best;
        purity[c] = (double)votes[best] / seeds;
    }
    for (int i = 0; i < n; i++) {
        if (seed_name[i] >= 0) {
            name_out[i] = seed_name[i];
            confidence_out[i] = 1.0;
            continue;
        }
        name_out[i] = -1;
        confidence_out[i] = 0.0;
        int c = labels[i];
        if (cname[c] < 0)
            continue;
        double a = INFINITY, b = INFINITY;
        const float *row = d + (size_t)i * n;
        for (int j = 0; j < n; j++) {
            if (seed_name[j] < 0)
                continue;
            if (seed_name[j] == cname[c]) {
                if (row[j] < a)
                    a = row[j];
            } else if (row[j] < b) {
                b = row[j];
            }
        }
        double margin = isinf(b) ? 1.0 : (a + b > 0 ? b / (a + b) : 0.5);
        double conf = purity[c] * margin;
        confidence_out[i] = conf;
        if (conf >= p.threshold)
            name_out[i] = cname[c];
    }
    if (cluster_name)
        memcpy(cluster_name, cname, (size_t)k * sizeof *cname);
done:
    pr_free(votes);
    pr_free(cname);
    pr_free(purity);
    pr_free(closeness);
    pr_free(members);
    return st;
}

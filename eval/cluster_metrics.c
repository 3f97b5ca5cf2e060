/* Clustering metrics from the contingency table of (class, cluster) pairs (see
 * cluster_metrics.h for definitions and references). The table is built by sorting the n pairs,
 * so everything is O(n log n) and exact in integer counts up to the final divisions. */
#include "eval/cluster_metrics.h"

#include "core/alloc.h"
#include "core/json.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

typedef struct pair {
    int a, b;
} pair;

static int cmp_pair(const void *x, const void *y)
{
    const pair *p = x, *q = y;
    if (p->a != q->a)
        return p->a < q->a ? -1 : 1;
    return p->b < q->b ? -1 : p->b > q->b;
}

static int cmp_int(const void *x, const void *y)
{
    int a = *(const int *)x, b = *(const int *)y;
    return a < b ? -1 : a > b;
}

static double choose2(double k)
{
    return k * (k - 1) / 2;
}

/* Sizes of the groups of equal values in v (sorted copy); returns the group count. */
static size_t group_sizes(const int *v, size_t n, int *tmp, double *sizes)
{
    memcpy(tmp, v, n * sizeof *tmp);
    qsort(tmp, n, sizeof *tmp, cmp_int);
    size_t g = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && tmp[j] == tmp[i])
            j++;
        sizes[g++] = (double)(j - i);
        i = j;
    }
    return g;
}

/* Size of the group of value x in sorted tmp[0..n). */
static double size_of(const int *sorted, size_t n, int x)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] < x) lo = mid + 1; else hi = mid;
    }
    size_t first = lo;
    hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (sorted[mid] <= x) lo = mid + 1; else hi = mid;
    }
    return (double)(lo - first);
}

static double f1(double p, double r)
{
    return p + r > 0 ? 2 * p * r / (p + r) : 0;
}

pr_status pr_cluster_scores_compute(const int *truth, const int *pred, size_t n,
                                    pr_cluster_scores *out)
{
    if (!out || (n && (!truth || !pred)))
        return pr_set_error(PR_ERR_ARG, "pr_cluster_scores_compute: bad argument");
    memset(out, 0, sizeof *out);
    out->items = n;
    if (n == 0) {
        out->pairwise_precision = out->pairwise_recall = out->pairwise_f1 = 1;
        out->bcubed_precision = out->bcubed_recall = out->bcubed_f1 = 1;
        out->nmi = out->ari = 1;
        return PR_OK;
    }
    pair *pairs = pr_malloc_array(n, sizeof *pairs);
    int *st = pr_malloc_array(n, sizeof *st), *sp = pr_malloc_array(n, sizeof *sp);
    double *a = pr_malloc_array(n, sizeof *a), *b = pr_malloc_array(n, sizeof *b);
    pr_status status = PR_OK;
    if (!pairs || !st || !sp || !a || !b) {
        status = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t na = group_sizes(truth, n, st, a), nb = group_sizes(pred, n, sp, b);
    out->classes = na;
    out->clusters = nb;
    for (size_t i = 0; i < n; i++) {
        pairs[i].a = truth[i];
        pairs[i].b = pred[i];
        if (truth[i] < 0 || pred[i] < 0) {
            status = pr_set_error(PR_ERR_ARG, "pr_cluster_scores_compute: negative label");
            goto done;
        }
    }
    qsort(pairs, n, sizeof *pairs, cmp_pair);
    double dn = (double)n, sum_ij2 = 0, sum_a2 = 0, sum_b2 = 0;
    double bc_p = 0, bc_r = 0, mi = 0, ha = 0, hb = 0;
    for (size_t i = 0; i < n;) {
        size_t j = i + 1;
        while (j < n && pairs[j].a == pairs[i].a && pairs[j].b == pairs[i].b)
            j++;
        double nij = (double)(j - i);
        double ai = size_of(st, n, pairs[i].a), bj = size_of(sp, n, pairs[i].b);
        sum_ij2 += choose2(nij);
        bc_p += nij * nij / bj;
        bc_r += nij * nij / ai;
        mi += nij / dn * log(dn * nij / (ai * bj));
        i = j;
    }
    for (size_t i = 0; i < na; i++) {
        sum_a2 += choose2(a[i]);
        ha -= a[i] / dn * log(a[i] / dn);
    }
    for (size_t i = 0; i < nb; i++) {
        sum_b2 += choose2(b[i]);
        hb -= b[i] / dn * log(b[i] / dn);
    }
    out->pairwise_precision = sum_b2 > 0 ? sum_ij2 / sum_b2 : 1;
    out->pairwise_recall = sum_a2 > 0 ? sum_ij2 / sum_a2 : 1;
    out->pairwise_f1 = f1(out->pairwise_precision, out->pairwise_recall);
    out->bcubed_precision = bc_p / dn;
    out->bcubed_recall = bc_r / dn;
    out->bcubed_f1 = f1(out->bcubed_precision, out->bcubed_recall);
    /* Entropies of exactly one group are exactly 0 (log(1) = 0), so the tests below are exact. */
    if (ha == 0 && hb == 0)
        out->nmi = 1;
    else
        out->nmi = fmax(0.0, fmin(1.0, mi / (0.5 * (ha + hb))));
    double expected = n > 1 ? sum_a2 * sum_b2 / choose2(dn) : 0;
    double maximum = 0.5 * (sum_a2 + sum_b2);
    out->ari = maximum - expected != 0 ? (sum_ij2 - expected) / (maximum - expected) : 1;
done:
    pr_free(pairs);
    pr_free(st);
    pr_free(sp);
    pr_free(a);
    pr_free(b);
    return status;
}

typedef struct skey {
    const char *s;
    size_t index;
} skey;

static int cmp_skey(const void *x, const void *y)
{
    const skey *p = x, *q = y;
    int c = strcmp(p->s, q->s);
    return c ? c : (p->index < q->index ? -1 : p->index > q->index);
}

pr_status pr_cluster_string_ids(const char *const *strings, size_t n, int *ids, size_t *distinct)
{
    if (n > INT32_MAX)
        return pr_set_error(PR_ERR_LIMIT, "too many faces");
    skey *k = pr_malloc_array(n + 1, sizeof *k);
    if (!k)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        if (strings[i]) {
            k[m].s = strings[i];
            k[m].index = i;
            m++;
        }
    }
    qsort(k, m, sizeof *k, cmp_skey);
    int next = 0;
    for (size_t i = 0; i < m;) {
        size_t j = i + 1;
        while (j < m && strcmp(k[j].s, k[i].s) == 0)
            j++;
        for (size_t q = i; q < j; q++)
            ids[k[q].index] = next;
        next++;
        i = j;
    }
    for (size_t i = 0; i < n; i++)
        if (!strings[i])
            ids[i] = next++;
    if (distinct)
        *distinct = (size_t)next;
    pr_free(k);
    return PR_OK;
}

pr_cluster_eval_params pr_cluster_eval_params_default(void)
{
    pr_cluster_eval_params p;
    p.match = pr_face_match_params_default();
    p.unmatched_pred_as_errors = 1;
    return p;
}

pr_status pr_cluster_eval(const pr_face_labels *truth, const pr_face_labels *pred,
                          const pr_cluster_eval_params *params, pr_cluster_eval_result *out)
{
    if (!truth || !pred || !out)
        return pr_set_error(PR_ERR_ARG, "pr_cluster_eval: bad argument");
    memset(out, 0, sizeof *out);
    pr_cluster_eval_params p = params ? *params : pr_cluster_eval_params_default();
    pr_face_match m;
    pr_status st = pr_face_match_compute(truth, pred, &p.match, &m);
    if (st != PR_OK)
        return st;
    size_t nt = truth->count, np = pred->count;
    const char **tnames = pr_malloc_array(nt + 1, sizeof *tnames);
    const char **pnames = pr_malloc_array(np + 1, sizeof *pnames);
    int *tid = pr_malloc_array(nt + 1, sizeof *tid), *pid = pr_malloc_array(np + 1, sizeof *pid);
    int *ta = pr_malloc_array(np + 1, sizeof *ta), *pa = pr_malloc_array(np + 1, sizeof *pa);
    if (!tnames || !pnames || !tid || !pid || !ta || !pa) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* People: distinct names of truth faces that count. */
    size_t nt_count = 0;
    for (size_t i = 0; i < nt; i++)
        if (pr_face_match_truth_counts(truth, i, p.match.ignore_name))
            tnames[nt_count++] = truth->items[i].person;
    if ((st = pr_cluster_string_ids(tnames, nt_count, tid, &out->people)))
        goto done;
    /* Truth class ids over all truth faces (non-counting faces unused). */
    for (size_t i = 0; i < nt; i++)
        tnames[i] = pr_face_match_truth_counts(truth, i, p.match.ignore_name)
                        ? truth->items[i].person : NULL;
    if ((st = pr_cluster_string_ids(tnames, nt, tid, NULL)))
        goto done;
    for (size_t i = 0; i < np; i++)
        pnames[i] = pred->items[i].person && pred->items[i].person[0] ? pred->items[i].person
                                                                      : NULL;
    if ((st = pr_cluster_string_ids(pnames, np, pid, NULL)))
        goto done;
    /* Items. Noise classes for unmatched predictions come after every truth class id. */
    int noise = (int)nt + 1;
    size_t n = 0;
    for (size_t i = 0; i < np; i++) {
        long t = m.pred_to_truth[i];
        if (t >= 0) {
            ta[n] = tid[t];
            pa[n] = pid[i];
            n++;
        } else if (t == PR_MATCH_NONE && p.unmatched_pred_as_errors) {
            ta[n] = noise++;
            pa[n] = pid[i];
            n++;
        }
    }
    /* Clusters among the predictions that count. */
    {
        size_t c = 0;
        for (size_t i = 0; i < np; i++)
            if (m.pred_to_truth[i] != PR_MATCH_IGNORED)
                pnames[c++] = pnames[i];
        /* pid is free again: the items above already hold the cluster ids. */
        if ((st = pr_cluster_string_ids(pnames, c, pid, &out->clusters)))
            goto done;
    }
    if ((st = pr_cluster_scores_compute(ta, pa, n, &out->scores)))
        goto done;
    out->matched = m.matched;
    out->unmatched_pred = m.unmatched_pred;
    out->unmatched_truth = m.unmatched_truth;
    out->ignored_pred = m.ignored_pred;
done:
    pr_face_match_free(&m);
    pr_free(tnames);
    pr_free(pnames);
    pr_free(tid);
    pr_free(pid);
    pr_free(ta);
    pr_free(pa);
    return st;
}

void pr_cluster_eval_write_json(FILE *f, const pr_cluster_eval_result *r)
{
    const pr_cluster_scores *s = &r->scores;
    pr_json w = pr_json_begin(f, 0);
    pr_json_object(&w);
    pr_json_kv_num(&w, "pairwise_precision", s->pairwise_precision);
    pr_json_kv_num(&w, "pairwise_recall", s->pairwise_recall);
    pr_json_kv_num(&w, "pairwise_f1", s->pairwise_f1);
    pr_json_kv_num(&w, "bcubed_precision", s->bcubed_precision);
    pr_json_kv_num(&w, "bcubed_recall", s->bcubed_recall);
    pr_json_kv_num(&w, "bcubed_f1", s->bcubed_f1);
    pr_json_kv_num(&w, "nmi", s->nmi);
    pr_json_kv_num(&w, "ari", s->ari);
    pr_json_kv_int(&w, "clusters", (long long)r->clusters);
    pr_json_kv_int(&w, "people", (long long)r->people);
    pr_json_kv_int(&w, "matched", (long long)r->matched);
    pr_json_kv_int(&w, "unmatched_pred", (long long)r->unmatched_pred);
    pr_json_kv_int(&w, "unmatched_truth", (long long)r->unmatched_truth);
    pr_json_kv_int(&w, "ignored_pred", (long long)r->ignored_pred);
    pr_json_end(&w);
    pr_json_finish(&w);
}

void pr_cluster_eval_write_text(FILE *f, const pr_cluster_eval_result *r)
{
    const pr_cluster_scores *s = &r->scores;
    fprintf(f, "pairwise  precision %.4f  recall %.4f  F1 %.4f\n", s->pairwise_precision,
            s->pairwise_recall, s->pairwise_f1);
    fprintf(f, "BCubed    precision %.4f  recall %.4f  F1 %.4f\n", s->bcubed_precision,
            s->bcubed_recall, s->bcubed_f1);
    fprintf(f, "NMI %.4f  ARI %.4f\n", s->nmi, s->ari);
    fprintf(f, "clusters %zu  people %zu\n", r->clusters, r->people);
    fprintf(f, "matched %zu  unmatched predictions %zu  unmatched truth %zu  ignored %zu\n",
            r->matched, r->unmatched_pred, r->unmatched_truth, r->ignored_pred);
}

/* Picasa-style naming evaluation (protocol in naming.h). Cluster and person ids are dense ints
 * from pr_cluster_string_ids, so one seed costs O(n log n) for the id maps plus O(n) counting. */
#include "eval/naming.h"

#include "core/alloc.h"
#include "core/json.h"
#include "core/rng.h"
#include "eval/cluster_metrics.h"

#include <math.h>
#include <string.h>

pr_naming_params pr_naming_params_default(void)
{
    pr_naming_params p;
    p.match = pr_face_match_params_default();
    p.named_per_person = 1;
    p.seeds = 10;
    p.first_seed = 1;
    return p;
}

pr_status pr_naming_eval_seed(const pr_face_labels *truth, const pr_face_labels *pred,
                              const pr_face_match *m, const pr_naming_params *params,
                              uint64_t seed, pr_naming_run *out)
{
    memset(out, 0, sizeof *out);
    pr_naming_params p = params ? *params : pr_naming_params_default();
    size_t nt = truth->count, np = pred->count;
    const char **names = pr_malloc_array(nt + np + 1, sizeof *names);
    int *tid = pr_malloc_array(nt + 1, sizeof *tid), *cid = pr_malloc_array(np + 1, sizeof *cid);
    int *faces = pr_malloc_array(nt + 1, sizeof *faces); /* truth faces grouped by person */
    size_t *start = pr_calloc(nt + 2, sizeof *start);
    unsigned char *named = pr_calloc(nt + 1, 1);
    int *cluster_name = pr_malloc_array(np + 1, sizeof *cluster_name);
    pr_status st = PR_OK;
    if (!names || !tid || !cid || !faces || !start || !named || !cluster_name) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    size_t people = 0, clusters = 0;
    for (size_t i = 0; i < nt; i++)
        names[i] = pr_face_match_truth_counts(truth, i, p.match.ignore_name)
                       ? truth->items[i].person : NULL;
    if ((st = pr_cluster_string_ids(names, nt, tid, &people)))
        goto done;
    /* pr_cluster_string_ids numbers names in sorted order first, so ids < named_people are the
     * people in name order; the NULL (non-counting) faces get the ids after them. */
    for (size_t i = 0; i < np; i++)
        names[i] = pred->items[i].person && pred->items[i].person[0] ? pred->items[i].person
                                                                     : NULL;
    if ((st = pr_cluster_string_ids(names, np, cid, &clusters)))
        goto done;
    /* Bucket matched truth faces by person (counting sort keeps truth order inside a person). */
    for (size_t i = 0; i < nt; i++)
        if (m->truth_to_pred[i] >= 0)
            start[tid[i] + 1]++;
    for (size_t k = 0; k < people; k++)
        start[k + 1] += start[k];
    {
        size_t *fill = pr_malloc_array(people + 1, sizeof *fill);
        if (!fill) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto done;
        }
        memcpy(fill, start, (people + 1) * sizeof *fill);
        for (size_t i = 0; i < nt; i++)
            if (m->truth_to_pred[i] >= 0)
                faces[fill[tid[i]]++] = (int)i;
        pr_free(fill);
    }
    /* The user names n faces per person. */
    pr_rng rng;
    pr_rng_seed(&rng, seed);
    for (size_t k = 0; k < people; k++) {
        int cnt = (int)(start[k + 1] - start[k]);
        if (cnt <= 0)
            continue;
        int *f = faces + start[k];
        pr_rng_shuffle_int(&rng, f, cnt);
        for (int j = 0; j < cnt && j < p.named_per_person; j++) {
            named[f[j]] = 1;
            out->named++;
        }
    }
    /* Votes per cluster: (cluster, person) counts from named faces; pick the winner. */
    for (size_t c = 0; c < clusters; c++)
        cluster_name[c] = -1;
    /* Named faces are bucketed by cluster, then each cluster's names are tallied in a shared
     * per-person counter that is reset through the list of persons it touched: O(n) total. */
    {
        long *tally = pr_calloc(people + 1, sizeof *tally);
        int *touched = pr_malloc_array(nt + 1, sizeof *touched);
        int *order = pr_malloc_array(nt + 1, sizeof *order); /* named faces sorted by cluster */
        size_t *cstart = pr_calloc(clusters + 2, sizeof *cstart);
        size_t *cfill = pr_malloc_array(clusters + 1, sizeof *cfill);
        if (!tally || !touched || !order || !cstart || !cfill) {
            pr_free(tally);
            pr_free(touched);
            pr_free(order);
            pr_free(cstart);
            pr_free(cfill);
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto done;
        }
        for (size_t i = 0; i < nt; i++)
            if (named[i])
                cstart[cid[m->truth_to_pred[i]] + 1]++;
        for (size_t c = 0; c < clusters; c++)
            cstart[c + 1] += cstart[c];
        memcpy(cfill, cstart, (clusters + 1) * sizeof *cfill);
        for (size_t i = 0; i < nt; i++)
            if (named[i])
                order[cfill[cid[m->truth_to_pred[i]]]++] = (int)i;
        pr_free(cfill);
        for (size_t c = 0; c < clusters; c++) {
            int nt_touched = 0, best = -1;
            long best_count = 0;
            for (size_t q = cstart[c]; q < cstart[c + 1]; q++) {
                int person = tid[order[q]];
                if (tally[person]++ == 0)
                    touched[nt_touched++] = person;
                /* ids follow name order, so the smaller id wins a tie */
                if (tally[person] > best_count ||
                    (tally[person] == best_count && person < best)) {
                    best = person;
                    best_count = tally[person];
                }
            }
            for (int q = 0; q < nt_touched; q++)
                tally[touched[q]] = 0;
            cluster_name[c] = best;
        }
        pr_free(tally);
        pr_free(touched);
        pr_free(order);
        pr_free(cstart);
    }
    /* Suggestions. */
    for (size_t i = 0; i < np; i++) {
        long t = m->pred_to_truth[i];
        if (t == PR_MATCH_IGNORED || (t >= 0 && named[t]))
            continue;
        int name = cluster_name[cid[i]];
        if (name < 0)
            continue;
        out->suggested++;
        if (t >= 0 && tid[t] == name)
            out->correct++;
    }
    long unnamed_suggested = 0;
    for (size_t i = 0; i < nt; i++) {
        if (!pr_face_match_truth_counts(truth, i, p.match.ignore_name) || named[i])
            continue;
        out->unnamed_truth++;
        long q = m->truth_to_pred[i];
        if (q >= 0 && cluster_name[cid[q]] >= 0)
            unnamed_suggested++;
    }
    out->precision = out->suggested ? (double)out->correct / (double)out->suggested : 0;
    out->recall = out->unnamed_truth ? (double)out->correct / (double)out->unnamed_truth : 0;
    out->unsuggested = out->unnamed_truth
                           ? (double)(out->unnamed_truth - unnamed_suggested) /
                                 (double)out->unnamed_truth
                           : 0;
done:
    pr_free(names);
    pr_free(tid);
    pr_free(cid);
    pr_free(faces);
    pr_free(start);
    pr_free(named);
    pr_free(cluster_name);
    return st;
}

static void mean_std(const double *v, int n, double *mean, double *sd)
{
    double s = 0;
    for (int i = 0; i < n; i++)
        s += v[i];
    *mean = n ? s / n : 0;
    double q = 0;
    for (int i = 0; i < n; i++)
        q += (v[i] - *mean) * (v[i] - *mean);
    *sd = n > 1 ? sqrt(q / (n - 1)) : 0;
    if (*sd < 1e-12) /* identical runs: rounding noise, not spread */
        *sd = 0;
}

pr_status pr_naming_eval(const pr_face_labels *truth, const pr_face_labels *pred,
                         const pr_naming_params *params, pr_naming_result *out)
{
    if (!truth || !pred || !out)
        return pr_set_error(PR_ERR_ARG, "pr_naming_eval: bad argument");
    memset(out, 0, sizeof *out);
    pr_naming_params p = params ? *params : pr_naming_params_default();
    if (p.seeds < 1 || p.seeds > 100000 || p.named_per_person < 1)
        return pr_set_error(PR_ERR_ARG, "naming: seeds must be 1..100000 and n >= 1");
    pr_face_match m;
    pr_status st = pr_face_match_compute(truth, pred, &p.match, &m);
    if (st != PR_OK)
        return st;
    double *v = pr_malloc_array((size_t)p.seeds * 3, sizeof *v);
    if (!v) {
        pr_face_match_free(&m);
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    double sums[4] = {0, 0, 0, 0};
    for (int s = 0; s < p.seeds; s++) {
        pr_naming_run r;
        if ((st = pr_naming_eval_seed(truth, pred, &m, &p, p.first_seed + (uint64_t)s, &r)))
            goto done;
        v[s] = r.precision;
        v[p.seeds + s] = r.recall;
        v[2 * p.seeds + s] = r.unsuggested;
        sums[0] += (double)r.suggested;
        sums[1] += (double)r.correct;
        sums[2] += (double)r.named;
        sums[3] += (double)r.unnamed_truth;
    }
    mean_std(v, p.seeds, &out->precision, &out->precision_std);
    mean_std(v + p.seeds, p.seeds, &out->recall, &out->recall_std);
    mean_std(v + 2 * p.seeds, p.seeds, &out->unsuggested, &out->unsuggested_std);
    out->suggested = sums[0] / p.seeds;
    out->correct = sums[1] / p.seeds;
    out->named = sums[2] / p.seeds;
    out->unnamed_truth = sums[3] / p.seeds;
    out->seeds = p.seeds;
    out->named_per_person = p.named_per_person;
    out->matched = m.matched;
    out->unmatched_pred = m.unmatched_pred;
    out->unmatched_truth = m.unmatched_truth;
done:
    pr_free(v);
    pr_face_match_free(&m);
    return st;
}

void pr_naming_write_json(FILE *f, const pr_naming_result *r)
{
    pr_json w = pr_json_begin(f, 0);
    pr_json_object(&w);
    pr_json_kv_num(&w, "precision", r->precision);
    pr_json_kv_num(&w, "recall", r->recall);
    pr_json_kv_num(&w, "suggested", r->suggested);
    pr_json_kv_num(&w, "correct", r->correct);
    pr_json_kv_num(&w, "precision_std", r->precision_std);
    pr_json_kv_num(&w, "recall_std", r->recall_std);
    pr_json_kv_num(&w, "unsuggested", r->unsuggested);
    pr_json_kv_num(&w, "unsuggested_std", r->unsuggested_std);
    pr_json_kv_num(&w, "named", r->named);
    pr_json_kv_num(&w, "unnamed_truth", r->unnamed_truth);
    pr_json_kv_int(&w, "named_per_person", r->named_per_person);
    pr_json_kv_int(&w, "seeds", r->seeds);
    pr_json_kv_int(&w, "matched", (long long)r->matched);
    pr_json_kv_int(&w, "unmatched_pred", (long long)r->unmatched_pred);
    pr_json_kv_int(&w, "unmatched_truth", (long long)r->unmatched_truth);
    pr_json_end(&w);
    pr_json_finish(&w);
}

void pr_naming_write_text(FILE *f, const pr_naming_params *p, const pr_naming_result *r)
{
    fprintf(f, "named %d per person, %d seeds from %llu\n", p->named_per_person, p->seeds,
            (unsigned long long)p->first_seed);
    fprintf(f, "precision %.4f (sd %.4f)  recall %.4f (sd %.4f)  unsuggested %.4f (sd %.4f)\n",
            r->precision, r->precision_std, r->recall, r->recall_std, r->unsuggested,
            r->unsuggested_std);
    fprintf(f, "mean per seed: named %.1f  suggested %.1f  correct %.1f  unnamed truth %.1f\n",
            r->named, r->suggested, r->correct, r->unnamed_truth);
    fprintf(f, "matched %zu  unmatched predictions %zu  unmatched truth %zu\n", r->matched,
            r->unmatched_pred, r->unmatched_truth);
}

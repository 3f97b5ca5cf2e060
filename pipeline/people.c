/* people: records -> events, eigenfaces, fused distances, k-medoids, names, confidence
 * (pipeline/people.h). The stages themselves live in cluster/instances.h (distances, clustering),
 * cluster/naming.h and features/ (eigenfaces, events); this file is the one order in which they
 * run and the one confidence rule. */
#define _POSIX_C_SOURCE 200809L
#include "pipeline/people.h"

#include "cluster/calibrated.h"
#include "cluster/matrix.h"
#include "core/alloc.h"
#include "features/color_hist.h"
#include "features/events.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

pr_people_params pr_people_params_default(void)
{
    pr_people_params p;
    memset(&p, 0, sizeof p);
    p.method = PR_PEOPLE_AUTO;
    p.agglomerative = pr_agglomerative_params_default();
    p.cues = pr_instances_params_default();
    p.cluster = pr_instances_cluster_params_default();
    p.eigen = pr_eigen_album_params_default();
    p.model = NULL;
    p.naming = pr_suggest_params_default();
    return p;
}

void pr_people_params_threads(pr_people_params *p, int threads)
{
    p->cues.threads = threads;
    p->cluster.choose.kmedoids.threads = threads;
}

void pr_people_params_key(const pr_people_params *p, char *buf, size_t size)
{
    const pr_choose_k_params *c = &p->cluster.choose;
    int len = snprintf(buf, size, "people1 cues");
    for (int i = 0; i < PR_CUE_COUNT && len >= 0 && (size_t)len < size; i++)
        len += snprintf(buf + len, size - (size_t)len, "%s%s=%.6g", i ? "," : "=",
                        pr_instance_cue_name(i), p->cues.weights[i]);
    if (len < 0 || (size_t)len >= size)
        return;
    snprintf(buf + len, size - (size_t)len,
             " scale=%d everywhere=%d k=%d choose=%d crit=%d radius=%.6g kmin=%d kmax=%d alg=%d "
             "seed=%llu constraint=%d cooc=%.6g eigen=%dx%d/%d/%d model=%s threshold=%.6g "
             "method=%d llr=%.6g support=%d stranger=%d clothing=%d cal=%s",
             (int)p->cues.scale, p->cues.clothing_everywhere, p->cluster.k, (int)c->method,
             (int)c->criterion, c->radius, c->k_min, c->k_max, (int)c->kmedoids.algorithm,
             (unsigned long long)c->kmedoids.seed, p->cluster.constraint, p->cluster.cooccurrence,
             p->eigen.width, p->eigen.height, p->eigen.equalize, p->eigen.components,
             p->model ? "given" : "album", p->naming.threshold, (int)p->method,
             p->agglomerative.threshold, p->agglomerative.support, p->stranger, p->clothing,
             p->calibration ? "given" : "shipped");
}

void pr_people_result_free(pr_people_result *r)
{
    if (!r)
        return;
    pr_free(r->cluster);
    pr_free(r->medoid);
    pr_free(r->name);
    pr_free(r->confidence);
    memset(r, 0, sizeof *r);
}

pr_status pr_people_prepare(const pr_people_params *p, pr_people_face *faces, int n,
                            int32_t *group, int32_t *event)
{
    double *times = pr_malloc_array((size_t)n, sizeof *times);
    const uint8_t **crops = pr_calloc((size_t)n, sizeof *crops);
    pr_person **persons = pr_calloc((size_t)n, sizeof *persons);
    pr_status st = PR_OK;
    if (!times || !crops || !persons) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++) {
        group[i] = faces[i].photo;
        times[i] = faces[i].time;
        crops[i] = faces[i].crop;
        persons[i] = faces[i].person;
    }
    if ((st = pr_events_by_photo(times, group, n, event)) != PR_OK)
        goto done;
    for (int i = 0; i < n; i++)
        if (persons[i]) {
            persons[i]->event_id = event[i];
            persons[i]->time = times[i];
        }
    if (p->cues.weights[PR_CUE_EIGEN] > 0)
        st = pr_eigen_album(&p->eigen, crops, n, p->model, persons, NULL);
done:
    pr_free(times);
    pr_free(crops);
    pr_free(persons);
    return st;
}

/* Names from the seeds' majority; confidence by the one rule of people.h. */
static pr_status name_clusters(const pr_people_params *p, const pr_people_face *faces, int n,
                               const float *fused, const pr_kmedoids_result *km,
                               pr_people_result *out)
{
    int *seed = pr_malloc_array((size_t)n, sizeof *seed);
    int *name_out = pr_malloc_array((size_t)n, sizeof *name_out);
    int *cluster_name = pr_malloc_array((size_t)km->k, sizeof *cluster_name);
    pr_status st = PR_OK;
    if (!seed || !name_out || !cluster_name) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    for (int i = 0; i < n; i++)
        seed[i] = faces[i].seed;
    if ((st = pr_suggest_names(fused, n, km->labels, km->k, seed, &p->naming, name_out,
                               out->confidence, cluster_name)) != PR_OK)
        goto done;
    for (int i = 0; i < n; i++) {
        int c = km->labels[i];
        out->name[i] = cluster_name[c];
        if (cluster_name[c] < 0) {
            float d = fused[(size_t)i * n + km->medoids[c]];
            out->confidence[i] = d < 0 ? 1.0 : d > 1 ? 0.0 : 1.0 - d;
        }
    }
done:
    pr_free(seed);
    pr_free(name_out);
    pr_free(cluster_name);
    return st;
}

/* A cue's calibration: from params->calibration when given, else the shipped one. */
static pr_status calibration_of(const pr_people_params *p, const char *cue, pr_calibration *cal)
{
    return p->calibration ? pr_calibration_parse(p->calibration, "--calibration", cue, cal)
                          : pr_calibration_shipped(cue, cal);
}

/* The calibrated clothing LLR of faces i and j: faces of two photos of one event (any two photos
 * when everywhere); 0 when either has no clothing histogram. */
static float clothing_llr(const pr_calibration *cal, pr_person *const *persons,
                          const int32_t *group, const int32_t *event, int everywhere, int i, int j)
{
    if (!persons[i] || persons[i]->body_hist.n == 0 || !persons[j] ||
        persons[j]->body_hist.n == 0 || group[i] == group[j])
        return 0.0f;
    if (!everywhere && (event[i] < 0 || event[i] != event[j]))
        return 0.0f;
    double d = pr_color_hist_distance(&persons[i]->body_hist, &persons[j]->body_hist,
                                      PR_HIST_CHI2);
    return isnan(d) ? 0.0f : (float)pr_calibration_llr(cal, d);
}

/* Adds the calibrated clothing LLR to score for the pairs of faces of two photos of one event
 * (any two photos when everywhere). Faces without a clothing histogram add nothing. */
static pr_status add_clothing(const pr_people_params *p, pr_person *const *persons,
                              const int32_t *group, const int32_t *event, int n, int everywhere,
                              float *score)
{
    pr_calibration cal;
    pr_status st = calibration_of(p, "body", &cal);
    if (st != PR_OK)
        return st;
    for (int i = 0; i < n; i++) {
        if (!persons[i] || persons[i]->body_hist.n == 0)
            continue;
        for (int j = i + 1; j < n; j++) {
            float v = clothing_llr(&cal, persons, group, event, everywhere, i, j);
            score[(size_t)i * n + j] += v;
            score[(size_t)j * n + i] += v;
        }
    }
    return PR_OK;
}

/* The calibrated path: descriptor LLRs (+ clothing), the stranger gate, average linkage. */
static pr_status cluster_calibrated(const pr_people_params *p, pr_person *const *persons,
                                    const float *const *descriptors, const int32_t *group,
                                    const int32_t *event, int n, float *fused,
                                    pr_kmedoids_result *km)
{
    pr_calibration cal;
    pr_status st = calibration_of(p, "descriptor", &cal);
    if (st != PR_OK)
        return st;
    pr_calibrated_descriptor_scores(&cal, descriptors, n, fused);
    if (p->clothing &&
        (st = add_clothing(p, persons, group, event, n, p->cues.clothing_everywhere, fused)) != PR_OK)
        return st;
    pr_agglomerative_params ap = p->agglomerative;
    ap.constraint = p->cluster.constraint;
    ap.single_min = NULL;
    float *single_min = NULL;
    if (p->stranger) {
        pr_stranger_model sm;
        if ((st = pr_stranger_shipped(&sm)) != PR_OK)
            return st;
        single_min = pr_malloc_array((size_t)n, sizeof *single_min);
        if (!single_min)
            return pr_set_error(PR_ERR_NOMEM, "out of memory for %d faces", n);
        pr_stranger_min_scores(&sm, descriptors, group, n, single_min);
        ap.single_min = single_min;
    }
    st = pr_calibrated_partition(fused, n, group, &ap, km);
    pr_free(single_min);
    return st;
}

/* Which path people.h's method picks: AUTO takes the calibrated one when any face has a
 * descriptor (faces without one then stay singletons: no evidence). */
static int calibrated(const pr_people_params *p, const pr_people_face *faces, int n)
{
    if (p->method != PR_PEOPLE_AUTO)
        return p->method == PR_PEOPLE_CALIBRATED;
    for (int i = 0; i < n; i++)
        if (faces[i].descriptor)
            return 1;
    return 0;
}

pr_status pr_people_cluster(const pr_people_params *p, pr_people_face *faces, int n,
                            pr_people_result *out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_people_cluster: no result");
    memset(out, 0, sizeof *out);
    if (!p || n < 1 || !faces)
        return pr_set_error(PR_ERR_ARG, "pr_people_cluster: bad arguments");
    int32_t *group = pr_malloc_array((size_t)n, sizeof *group);
    int32_t *event = pr_malloc_array((size_t)n, sizeof *event);
    pr_person **persons = pr_calloc((size_t)n, sizeof *persons);
    const float **descriptors = pr_calloc((size_t)n, sizeof *descriptors);
    float *fused = pr_matrix_alloc((size_t)n, (size_t)n);
    pr_kmedoids_result km;
    memset(&km, 0, sizeof km);
    out->n = n;
    out->cluster = pr_malloc_array((size_t)n, sizeof *out->cluster);
    out->name = pr_malloc_array((size_t)n, sizeof *out->name);
    out->confidence = pr_malloc_array((size_t)n, sizeof *out->confidence);
    pr_status st = PR_OK;
    if (!group || !event || !persons || !descriptors || !fused || !out->cluster || !out->name ||
        !out->confidence) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory for %d faces", n);
        goto done;
    }
    if ((st = pr_people_prepare(p, faces, n, group, event)) != PR_OK)
        goto done;
    for (int i = 0; i < n; i++) {
        persons[i] = faces[i].person;
        descriptors[i] = faces[i].descriptor;
    }
    if (calibrated(p, faces, n)) {
        if ((st = cluster_calibrated(p, persons, descriptors, group, event, n, fused, &km)) !=
            PR_OK)
            goto done;
    } else {
        if ((st = pr_instances_distances(&p->cues, (const pr_person *const *)persons, descriptors,
                                         n, event, fused)) != PR_OK)
            goto done;
        if ((st = pr_instances_cluster(fused, n, group, &p->cluster, &km, NULL)) != PR_OK)
            goto done;
    }
    if ((st = name_clusters(p, faces, n, fused, &km, out)) != PR_OK)
        goto done;
    out->k = km.k;
    out->loss = km.loss;
    memcpy(out->cluster, km.labels, sizeof(int) * (size_t)n);
    out->medoid = km.medoids; /* handed over */
    km.medoids = NULL;
done:
    if (st != PR_OK)
        pr_people_result_free(out);
    pr_kmedoids_result_free(&km);
    pr_matrix_free(fused);
    pr_free(group);
    pr_free(event);
    pr_free(persons);
    pr_free(descriptors);
    return st;
}

/* --- incremental placement (pr_people_place) --- */

/* One pair's score on the calibrated path: what cluster_calibrated's matrix holds. */
typedef struct pair_ctx {
    pr_calibration desc, body;
    int clothing, everywhere;
    const pr_people_face *faces;
    pr_person **persons;
    int32_t *group, *event;
} pair_ctx;

static float pair_llr(const pair_ctx *c, int i, int j)
{
    float v = pr_calibrated_descriptor_llr(&c->desc, c->faces[i].descriptor,
                                           c->faces[j].descriptor);
    if (c->clothing)
        v += clothing_llr(&c->body, c->persons, c->group, c->event, c->everywhere, i, j);
    return v;
}

/* 1 - P(same) from an LLR, as pr_calibrated_partition turns scores into distances. */
static float llr_distance(float llr)
{
    return (float)(1.0 / (1.0 + exp((double)llr)));
}

/* The stranger gate's minimum of every face (pr_stranger_min_scores without its O(n^2) count:
 * candidates = faces with a descriptor in other photos, counted per photo). */
static pr_status stranger_mins(const pr_people_face *faces, int n, float *out)
{
    pr_stranger_model sm;
    pr_status st = pr_stranger_shipped(&sm);
    if (st != PR_OK)
        return st;
    int maxp = 0;
    for (int i = 0; i < n; i++) {
        if (faces[i].photo < 0)
            return pr_set_error(PR_ERR_ARG, "pr_people_place: face %d has no photo index", i);
        maxp = faces[i].photo > maxp ? faces[i].photo : maxp;
    }
    int *per_photo = pr_calloc((size_t)maxp + 1, sizeof *per_photo);
    if (!per_photo)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    int with = 0;
    for (int i = 0; i < n; i++)
        if (faces[i].descriptor) {
            with++;
            per_photo[faces[i].photo]++;
        }
    for (int i = 0; i < n; i++)
        out[i] = faces[i].descriptor
                     ? pr_stranger_min_score(&sm, with - per_photo[faces[i].photo])
                     : INFINITY;
    pr_free(per_photo);
    return PR_OK;
}

/* The member of person c (labels over all n faces) with the highest summed LLR to the others
 * (ties: the first), as pr_calibrated_partition picks medoids. */
static int person_medoid(const pair_ctx *pc, const int *labels, int n, int c)
{
    int best = -1;
    double bv = 0;
    for (int i = 0; i < n; i++) {
        if (labels[i] != c)
            continue;
        double s = 0;
        for (int j = 0; j < n; j++)
            if (j != i && labels[j] == c)
                s += pair_llr(pc, i, j);
        if (best < 0 || s > bv) {
            best = i;
            bv = s;
        }
    }
    return best;
}

/* Naming confidence of new face i in a person named `name` (cluster/naming.h's rule; the purity
 * is 1: a kept person is the faces of one name). */
static double naming_confidence(const pair_ctx *pc, const float *row, const int *old, int nf,
                                int name)
{
    double a = INFINITY, b = INFINITY;
    for (int x = 0; x < nf; x++) {
        int seed = pc->faces[old[x]].seed;
        if (seed < 0)
            continue;
        double d = llr_distance(row[x]);
        if (seed == name)
            a = d < a ? d : a;
        else
            b = d < b ? d : b;
    }
    double margin = isinf(b) ? 1.0 : (a + b > 0 ? b / (a + b) : 0.5);
    return margin;
}

pr_status pr_people_place(const pr_people_params *p, pr_people_face *faces, int n,
                          const int *fixed, int m, const int *person_name, pr_people_result *out)
{
    if (!out)
        return pr_set_error(PR_ERR_ARG, "pr_people_place: no result");
    memset(out, 0, sizeof *out);
    if (!p || n < 1 || !faces || !fixed || m < 0 || (m > 0 && !person_name))
        return pr_set_error(PR_ERR_ARG, "pr_people_place: bad arguments");
    if (!calibrated(p, faces, n))
        return pr_set_error(PR_ERR_ARG, "pr_people_place: only the calibrated clustering places "
                                        "faces (k-medoids clusters everything again)");
    pair_ctx pc;
    memset(&pc, 0, sizeof pc);
    pc.faces = faces;
    pc.clothing = p->clothing;
    pc.everywhere = p->cues.clothing_everywhere;
    int *old = pr_malloc_array((size_t)n, sizeof *old);
    int *new_ = pr_malloc_array((size_t)n, sizeof *new_);
    int *old_label = pr_malloc_array((size_t)n, sizeof *old_label);
    int32_t *old_group = pr_malloc_array((size_t)n, sizeof *old_group);
    int32_t *new_group = pr_malloc_array((size_t)n, sizeof *new_group);
    int *placed = pr_malloc_array((size_t)n, sizeof *placed);
    float *cross = NULL, *free_score = NULL, *mins = NULL, *single = NULL;
    double *times = NULL;
    pc.persons = pr_calloc((size_t)n, sizeof *pc.persons);
    pc.group = pr_malloc_array((size_t)n, sizeof *pc.group);
    pc.event = pr_malloc_array((size_t)n, sizeof *pc.event);
    out->n = n;
    out->cluster = pr_malloc_array((size_t)n, sizeof *out->cluster);
    out->name = pr_malloc_array((size_t)n, sizeof *out->name);
    out->confidence = pr_malloc_array((size_t)n, sizeof *out->confidence);
    pr_status st = PR_OK;
    if (!old || !new_ || !old_label || !old_group || !new_group || !placed || !pc.persons ||
        !pc.group || !pc.event || !out->cluster || !out->name || !out->confidence)
        goto nomem;
    if ((st = calibration_of(p, "descriptor", &pc.desc)) != PR_OK ||
        (p->clothing && (st = calibration_of(p, "body", &pc.body)) != PR_OK))
        goto done;
    int nf = 0, q = 0;
    for (int i = 0; i < n; i++) {
        if (fixed[i] >= m) {
            st = pr_set_error(PR_ERR_ARG, "pr_people_place: face %d in person %d of %d", i,
                              fixed[i], m);
            goto done;
        }
        pc.persons[i] = faces[i].person;
        pc.group[i] = faces[i].photo;
        pc.event[i] = -1;
        if (fixed[i] >= 0) {
            old_group[nf] = faces[i].photo;
            old_label[nf] = fixed[i];
            old[nf++] = i;
        } else {
            new_group[q] = faces[i].photo;
            new_[q++] = i;
        }
    }
    if (p->clothing) { /* events over every photo, as pr_people_prepare finds them */
        if (!(times = pr_malloc_array((size_t)n, sizeof *times)))
            goto nomem;
        for (int i = 0; i < n; i++)
            times[i] = faces[i].time;
        if ((st = pr_events_by_photo(times, pc.group, n, pc.event)) != PR_OK)
            goto done;
    }
    /* The scores that involve a new face: q x nf and q x q. */
    cross = pr_malloc_array((size_t)q * (size_t)nf + 1, sizeof *cross);
    free_score = pr_malloc_array((size_t)q * (size_t)q + 1, sizeof *free_score);
    if (!cross || !free_score)
        goto nomem;
    for (int f = 0; f < q; f++) {
        for (int x = 0; x < nf; x++)
            cross[(size_t)f * nf + x] = pair_llr(&pc, new_[f], old[x]);
        free_score[(size_t)f * q + f] = 0.0f;
        for (int h = f + 1; h < q; h++)
            free_score[(size_t)f * q + h] = free_score[(size_t)h * q + f] =
                pair_llr(&pc, new_[f], new_[h]);
    }
    pr_agglomerative_params ap = p->agglomerative;
    ap.constraint = p->cluster.constraint;
    ap.single_min = NULL;
    if (p->stranger) {
        mins = pr_malloc_array((size_t)n, sizeof *mins);
        single = pr_malloc_array((size_t)n, sizeof *single);
        if (!mins || !single)
            goto nomem;
        if ((st = stranger_mins(faces, n, mins)) != PR_OK)
            goto done;
        for (int x = 0; x < nf; x++)
            single[x] = mins[old[x]];
        for (int f = 0; f < q; f++)
            single[nf + f] = mins[new_[f]];
        ap.single_min = single;
    }
    int k = m;
    if ((st = pr_agglomerate_extend(cross, free_score, q, old_label, old_group, nf, m, new_group,
                                    &ap, placed, &k)) != PR_OK)
        goto done;
    out->k = k;
    out->medoid = pr_malloc_array((size_t)k + 1, sizeof *out->medoid);
    if (!out->medoid)
        goto nomem;
    for (int i = 0; i < n; i++) {
        out->cluster[i] = fixed[i];
        out->name[i] = fixed[i] >= 0 ? person_name[fixed[i]] : -1;
        out->confidence[i] = -1.0;
    }
    for (int f = 0; f < q; f++)
        out->cluster[new_[f]] = placed[f];
    /* Medoids: each new person's; each kept unnamed person's that gained a face (with them). */
    for (int c = 0; c < k; c++)
        out->medoid[c] = -1;
    for (int f = 0; f < q; f++) {
        int c = placed[f];
        if (out->medoid[c] < 0 && (c >= m || person_name[c] < 0))
            out->medoid[c] = person_medoid(&pc, out->cluster, n, c);
    }
    for (int f = 0; f < q; f++) {
        int i = new_[f], c = placed[f];
        if (c < m && person_name[c] >= 0) {
            out->name[i] = person_name[c];
            out->confidence[i] =
                naming_confidence(&pc, cross + (size_t)f * nf, old, nf, person_name[c]);
            continue;
        }
        int med = out->medoid[c];
        float d = med == i ? 0.0f : llr_distance(pair_llr(&pc, i, med));
        out->confidence[i] = d < 0 ? 1.0 : d > 1 ? 0.0 : 1.0 - d;
    }
    for (int c = 0; c < m; c++) /* kept people: their medoid is not this call's business */
        out->medoid[c] = -1;
    goto done;
nomem:
    st = pr_set_error(PR_ERR_NOMEM, "out of memory placing the new faces of %d", n);
done:
    if (st != PR_OK)
        pr_people_result_free(out);
    pr_free(old);
    pr_free(new_);
    pr_free(old_label);
    pr_free(old_group);
    pr_free(new_group);
    pr_free(placed);
    pr_free(cross);
    pr_free(free_score);
    pr_free(mins);
    pr_free(single);
    pr_free(times);
    pr_free(pc.persons);
    pr_free(pc.group);
    pr_free(pc.event);
    return st;
}

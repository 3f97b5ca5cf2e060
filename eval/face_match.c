/* Greedy best-first face matching (see face_match.h). Faces are grouped by photo through a sort
 * of index arrays on the image path, so matching costs O(n log n) plus the pairs inside photos. */
#include "eval/face_match.h"

#include "core/alloc.h"
#include "core/box.h"
#include "core/path.h"

#include <stdlib.h>
#include <string.h>

pr_face_match_params pr_face_match_params_default(void)
{
    pr_face_match_params p = {0.3, "unknown"};
    return p;
}

int pr_face_match_truth_counts(const pr_face_labels *truth, size_t t, const char *ignore_name)
{
    const char *p = truth->items[t].person;
    return p && p[0] && !(ignore_name && strcmp(p, ignore_name) == 0);
}

static int eyes_inside(const pr_face_label *t, pr_box b)
{
    for (int e = 0; e < 2; e++) {
        double x = t->eyes[2 * e], y = t->eyes[2 * e + 1];
        if (!(x >= b.x && x < b.x + b.w && y >= b.y && y < b.y + b.h))
            return 0;
    }
    return 1;
}

typedef struct cand {
    double score;
    size_t t, p;
} cand;

static int cmp_cand(const void *a, const void *b)
{
    const cand *x = a, *y = b;
    if (x->score != y->score)
        return x->score > y->score ? -1 : 1;
    if (x->t != y->t)
        return x->t < y->t ? -1 : 1;
    return x->p < y->p ? -1 : x->p > y->p;
}

typedef struct key {
    const char *image;
    size_t index;
} key;

static int cmp_key(const void *a, const void *b)
{
    const key *x = a, *y = b;
    int c = strcmp(x->image, y->image);
    return c ? c : (x->index < y->index ? -1 : x->index > y->index);
}

void pr_face_match_free(pr_face_match *m)
{
    if (!m)
        return;
    pr_free(m->pred_to_truth);
    pr_free(m->truth_to_pred);
    memset(m, 0, sizeof *m);
}

pr_status pr_face_match_compute(const pr_face_labels *truth, const pr_face_labels *pred,
                                const pr_face_match_params *params, pr_face_match *out)
{
    if (!truth || !pred || !out)
        return pr_set_error(PR_ERR_ARG, "pr_face_match_compute: bad argument");
    memset(out, 0, sizeof *out);
    pr_face_match_params p = params ? *params : pr_face_match_params_default();
    size_t nt = truth->count, np = pred->count;
    key *tk = NULL, *pk = NULL;
    cand *cands = NULL;
    size_t ccap = 0;
    pr_status st = PR_OK;
    out->pred_to_truth = pr_malloc_array(np + 1, sizeof(long));
    out->truth_to_pred = pr_malloc_array(nt + 1, sizeof(long));
    tk = pr_malloc_array(nt + 1, sizeof *tk);
    pk = pr_malloc_array(np + 1, sizeof *pk);
    if (!out->pred_to_truth || !out->truth_to_pred || !tk || !pk) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    out->pred_count = np;
    out->truth_count = nt;
    for (size_t i = 0; i < np; i++) {
        out->pred_to_truth[i] = PR_MATCH_NONE;
        pk[i].image = pr_path_skip_dot(pred->items[i].image);
        pk[i].index = i;
    }
    for (size_t i = 0; i < nt; i++) {
        out->truth_to_pred[i] =
            pr_face_match_truth_counts(truth, i, p.ignore_name) ? PR_MATCH_NONE : PR_MATCH_IGNORED;
        tk[i].image = pr_path_skip_dot(truth->items[i].image);
        tk[i].index = i;
    }
    qsort(tk, nt, sizeof *tk, cmp_key);
    qsort(pk, np, sizeof *pk, cmp_key);
    /* Walk truth photos; for each, find the prediction photos with the same image (equal keys are
     * adjacent; suffix matches need a scan over prediction photos, done once per truth photo). */
    for (size_t a = 0; a < nt;) {
        size_t b = a + 1;
        while (b < nt && strcmp(tk[b].image, tk[a].image) == 0)
            b++;
        size_t nc = 0;
        for (size_t c = 0; c < np;) {
            size_t d = c + 1;
            while (d < np && strcmp(pk[d].image, pk[c].image) == 0)
                d++;
            if (pr_path_same_photo(tk[a].image, pk[c].image)) {
                /* candidates: truth [a,b) x pred [c,d) */
                for (size_t i = a; i < b; i++) {
                    const pr_face_label *t = &truth->items[tk[i].index];
                    for (size_t j = c; j < d; j++) {
                        pr_box pb = pred->items[pk[j].index].box;
                        double iou = pr_box_iou(t->box, pb);
                        int ok = t->has_eyes ? eyes_inside(t, pb) : iou >= p.iou;
                        if (!ok)
                            continue;
                        if (nc == ccap) {
                            size_t ncap = ccap ? 2 * ccap : 64;
                            cand *nb = pr_realloc(cands, ncap * sizeof *nb);
                            if (!nb) {
                                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                                goto fail;
                            }
                            cands = nb;
                            ccap = ncap;
                        }
                        cands[nc].score = iou + (t->has_eyes ? 1e-9 : 0);
                        cands[nc].t = tk[i].index;
                        cands[nc].p = pk[j].index;
                        nc++;
                    }
                }
            }
            c = d;
        }
        if (nc > 1)
            qsort(cands, nc, sizeof *cands, cmp_cand);
        /* Real faces first, then ignore faces soak up what is left. */
        for (int pass = 0; pass < 2; pass++) {
            for (size_t k = 0; k < nc; k++) {
                size_t t = cands[k].t, q = cands[k].p;
                if (out->pred_to_truth[q] != PR_MATCH_NONE)
                    continue;
                int counts = out->truth_to_pred[t] != PR_MATCH_IGNORED;
                if (pass == 0 && counts && out->truth_to_pred[t] == PR_MATCH_NONE) {
                    out->truth_to_pred[t] = (long)q;
                    out->pred_to_truth[q] = (long)t;
                } else if (pass == 1 && !counts && cands[k].score >= p.iou) {
                    out->pred_to_truth[q] = PR_MATCH_IGNORED;
                }
            }
        }
        a = b;
    }
    for (size_t i = 0; i < np; i++) {
        if (out->pred_to_truth[i] >= 0)
            out->matched++;
        else if (out->pred_to_truth[i] == PR_MATCH_IGNORED)
            out->ignored_pred++;
        else
            out->unmatched_pred++;
    }
    for (size_t i = 0; i < nt; i++)
        out->unmatched_truth += out->truth_to_pred[i] == PR_MATCH_NONE;
    pr_free(tk);
    pr_free(pk);
    pr_free(cands);
    return PR_OK;
fail:
    pr_free(tk);
    pr_free(pk);
    pr_free(cands);
    pr_face_match_free(out);
    return st;
}

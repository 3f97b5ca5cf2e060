/* Multi-cascade fusion: grouping boxes from several Haar cascades into one face each.
 *
 * Each stock cascade errs differently (default fires on textures, alt misses tilted faces, the
 * profile cascade sees sides the frontal ones cannot), so a face seen by two cascades is much
 * likelier to be real than one seen by one, and a face seen by only one still survives when that
 * cascade is confident (many grouped windows). This is the "voting" combination of detectors in
 * the spirit of Kittler et al., "On combining classifiers", PAMI 1998 (sum rule over
 * per-detector confidences), with OpenCV's neighbour count as the confidence.
 *
 * Greedy grouping by descending score keeps the strongest box as each group's anchor, so a weak
 * box cannot chain two faces together (single-linkage would). */
#include "detect/detect.h"

#include "core/alloc.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void pr_faces_free(pr_faces *faces)
{
    if (!faces)
        return;
    pr_free(faces->items);
    memset(faces, 0, sizeof *faces);
}

pr_status pr_faces_push(pr_faces *faces, const pr_face *face)
{
    if (faces->count == faces->capacity) {
        size_t cap = faces->capacity ? faces->capacity * 2 : 16;
        pr_face *items = (pr_face *)pr_realloc(faces->items, cap * sizeof *items);
        if (!items)
            return pr_set_error(PR_ERR_NOMEM, "out of memory for %zu faces", cap);
        faces->items = items;
        faces->capacity = cap;
    }
    faces->items[faces->count++] = *face;
    return PR_OK;
}

static int by_score_desc(const void *a, const void *b)
{
    const pr_face *fa = (const pr_face *)a, *fb = (const pr_face *)b;
    if (fa->score != fb->score)
        return fa->score < fb->score ? 1 : -1;
    /* Ties: larger box first, then position, so the order never depends on qsort's whims. */
    if (fa->box.w != fb->box.w)
        return fa->box.w < fb->box.w ? 1 : -1;
    if (fa->box.x != fb->box.x)
        return fa->box.x < fb->box.x ? -1 : 1;
    return fa->box.y < fb->box.y ? -1 : (fa->box.y > fb->box.y);
}

static int same_face(pr_box a, pr_box b, double group_iou)
{
    if (pr_box_iou(a, b) >= group_iou)
        return 1;
    double dx = (a.x + a.w / 2) - (b.x + b.w / 2), dy = (a.y + a.h / 2) - (b.y + b.h / 2);
    double small = fmin(fmin(a.w, a.h), fmin(b.w, b.h));
    double big = fmax(fmax(a.w, a.h), fmax(b.w, b.h));
    /* Centres close and sizes similar: the cascades disagree on the box, not on the face. */
    return big <= 1.6 * small && sqrt(dx * dx + dy * dy) <= 0.25 * small;
}

typedef struct group {
    pr_face face;                     /* anchor box (the strongest member) and accumulated fields */
    double best[PR_CASCADE_COUNT];    /* best member score per cascade */
    double sx, sy, sw, sh, sweight;   /* score-weighted sums of member boxes */
} group;

pr_status pr_detect_fuse(const pr_face *in, size_t n, double group_iou, pr_faces *out)
{
    if (!out || (n && !in))
        return pr_set_error(PR_ERR_ARG, "pr_detect_fuse: NULL argument");
    if (n == 0)
        return PR_OK;
    pr_status st = PR_OK;
    pr_face *sorted = (pr_face *)pr_malloc_array(n, sizeof *sorted);
    group *groups = (group *)pr_calloc(n, sizeof *groups);
    size_t ngroups = 0;
    if (!sorted || !groups) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory fusing %zu boxes", n);
        goto fail;
    }
    memcpy(sorted, in, n * sizeof *sorted);
    qsort(sorted, n, sizeof *sorted, by_score_desc);
    for (size_t i = 0; i < n; i++) {
        const pr_face *c = &sorted[i];
        group *g = NULL;
        for (size_t k = 0; k < ngroups && !g; k++)
            if (same_face(groups[k].face.box, c->box, group_iou))
                g = &groups[k];
        if (!g) {
            g = &groups[ngroups++];
            g->face = *c;
            g->face.cascades_mask = 0;
        }
        double w = c->score > 0 ? c->score : 1e-3;
        g->sx += w * c->box.x;
        g->sy += w * c->box.y;
        g->sw += w * c->box.w;
        g->sh += w * c->box.h;
        g->sweight += w;
        g->face.cascades_mask |= c->cascades_mask;
        for (int b = 0; b < PR_CASCADE_COUNT; b++)
            if ((c->cascades_mask & (1u << b)) && c->score > g->best[b])
                g->best[b] = c->score;
    }
    for (size_t k = 0; k < ngroups; k++) {
        group *g = &groups[k];
        pr_face f = g->face;
        f.box.x = g->sx / g->sweight;
        f.box.y = g->sy / g->sweight;
        f.box.w = g->sw / g->sweight;
        f.box.h = g->sh / g->sweight;
        f.score = 0;
        f.votes = 0;
        for (int b = 0; b < PR_CASCADE_COUNT; b++)
            if (f.cascades_mask & (1u << b)) {
                f.score += g->best[b];
                f.votes++;
            }
        unsigned frontal = (1u << PR_CASCADE_DEFAULT) | (1u << PR_CASCADE_ALT) |
                           (1u << PR_CASCADE_ALT2) | (1u << PR_CASCADE_ALT_TREE);
        if (f.cascades_mask & frontal)
            f.pose = PR_POSE_FRONTAL;
        else if (g->best[PR_CASCADE_PROFILE] >= g->best[PR_CASCADE_PROFILE_MIRROR])
            f.pose = PR_POSE_LEFT;
        else
            f.pose = PR_POSE_RIGHT;
        if ((st = pr_faces_push(out, &f)) != PR_OK)
            goto fail;
    }
fail:
    pr_free(sorted);
    pr_free(groups);
    return st;
}

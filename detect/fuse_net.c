/* PR_DETECTOR_BOTH: cascade faces and network faces matched by IoU, the union kept where the
 * evidence holds (rules in detect.h and detect/SSD_ARCH.md). */
#include "detect/detect.h"

#include "core/alloc.h"

#include <string.h>

/* The unused cascade face overlapping box most (IoU >= min_iou), or -1. */
static long best_match(const pr_faces *c, const unsigned char *used, pr_box box, double min_iou)
{
    long best = -1;
    double best_iou = min_iou;
    for (size_t i = 0; i < c->count; i++) {
        double iou = used[i] ? 0.0 : pr_box_iou(c->items[i].box, box);
        if (iou >= best_iou) {
            best_iou = iou;
            best = (long)i;
        }
    }
    return best;
}

pr_status pr_detect_fuse_network(const pr_faces *cascades, const pr_faces *net,
                                 const pr_detector_params *p, double short_side, pr_faces *out)
{
    unsigned char *used = pr_calloc(cascades->count ? cascades->count : 1, 1);
    if (!used)
        return pr_set_error(PR_ERR_NOMEM, "detect: out of memory");
    pr_status st = PR_OK;
    /* net is by descending score (the SSD's order): the surest network faces choose first. */
    for (size_t k = 0; k < net->count && st == PR_OK; k++) {
        pr_face f = net->items[k];
        long m = best_match(cascades, used, f.box, p->match_iou);
        if (m >= 0) {
            used[m] = 1;
            pr_face c = cascades->items[m];
            c.net_score = f.net_score;
            c.score = 100.0 * f.net_score + c.score;
            st = pr_faces_push(out, &c);
        } else if (f.net_score >= p->net_alone_score) {
            st = pr_faces_push(out, &f);
        }
    }
    double min_side = p->cascade_alone_min_rel * short_side;
    for (size_t i = 0; i < cascades->count && st == PR_OK; i++) {
        const pr_face *c = &cascades->items[i];
        if (!used[i] && p->cascade_alone_votes > 0 && c->votes >= p->cascade_alone_votes &&
            (c->box.w < c->box.h ? c->box.w : c->box.h) >= min_side)
            st = pr_faces_push(out, c);
    }
    pr_free(used);
    return st;
}

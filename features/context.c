/* Context: events from capture times, and the background colour.
 *
 * Event segmentation follows PhotoTOC (Graham, Garcia-Molina, Paepcke & Winograd, "Time as
 * essence for photo browsing through personal digital libraries", JCDL 2002; the same adaptive
 * local threshold is used by Platt et al. 2003): sort photos by time, take the gaps g_i between
 * consecutive photos, and start a new event at gap N when
 *     log(g_N) >= K + 1/(2d+1) * sum_{i=-d..d} log(g_{N+i}),  K = log(17), d = 10,
 * i.e. when the gap is much larger than the gaps around it. Cooper et al. ("Temporal event
 * clustering for digital photo collections", ACM TOMCCAP 2005) compare this with similarity-based
 * methods; its simplicity and lack of training make it the choice here. Absolute floors and
 * ceilings (a minute, two days) keep bursts from splitting and long pauses from merging. */
#include "features/context.h"

#include "core/alloc.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

pr_event_params pr_event_params_default(void)
{
    pr_event_params p;
    p.log_k = log(17.0);
    p.window = 10;
    p.min_gap = 60.0;
    p.max_gap = 2 * 86400.0;
    return p;
}

typedef struct time_idx {
    double t;
    int i;
} time_idx;

static int by_time(const void *pa, const void *pb)
{
    const time_idx *a = (const time_idx *)pa, *b = (const time_idx *)pb;
    if (a->t != b->t)
        return a->t < b->t ? -1 : 1;
    return a->i - b->i;
}

pr_status pr_events_from_times(const double *times, int n, const pr_event_params *params,
                               int *event_ids, int *n_events)
{
    if (n < 0 || (n > 0 && (!times || !event_ids)))
        return pr_set_error(PR_ERR_ARG, "events: bad arguments");
    pr_event_params p = params ? *params : pr_event_params_default();
    int nt = 0, events = 0;
    time_idx *ti = (time_idx *)pr_malloc_array((size_t)(n > 0 ? n : 1), sizeof *ti);
    double *lg = (double *)pr_malloc_array((size_t)(n > 0 ? n : 1), sizeof *lg);
    if (!ti || !lg) {
        pr_free(ti);
        pr_free(lg);
        return pr_set_error(PR_ERR_NOMEM, "events: out of memory");
    }
    for (int i = 0; i < n; i++) {
        event_ids[i] = -1;
        if (isfinite(times[i])) {
            ti[nt].t = times[i];
            ti[nt].i = i;
            nt++;
        }
    }
    qsort(ti, (size_t)nt, sizeof *ti, by_time);
    /* lg[j] = log of the gap between photo j and j+1 (seconds, +1 so equal times give 0). */
    for (int j = 0; j + 1 < nt; j++)
        lg[j] = log(ti[j + 1].t - ti[j].t + 1.0);
    if (nt > 0) {
        event_ids[ti[0].i] = 0;
        events = 1;
    }
    for (int j = 0; j + 1 < nt; j++) {
        double gap = ti[j + 1].t - ti[j].t;
        int split;
        if (gap < p.min_gap) {
            split = 0;
        } else if (gap > p.max_gap) {
            split = 1;
        } else {
            double s = 0;
            int c = 0;
            for (int q = j - p.window; q <= j + p.window; q++)
                if (q >= 0 && q + 1 < nt) {
                    s += lg[q];
                    c++;
                }
            split = lg[j] >= p.log_k + s / c;
        }
        if (split)
            events++;
        event_ids[ti[j + 1].i] = events - 1;
    }
    pr_free(ti);
    pr_free(lg);
    if (n_events)
        *n_events = events;
    return PR_OK;
}

pr_status pr_background_hist(const pr_image *img, const pr_box *exclude, int n_exclude,
                             const pr_color_hist_params *params, pr_color_hist *out)
{
    return pr_background_hist_masks(img, exclude, n_exclude, NULL, NULL, 0, params, out);
}

pr_status pr_background_hist_masks(const pr_image *img, const pr_box *exclude, int n_exclude,
                                   const uint8_t *const *masks, const size_t *strides,
                                   int n_masks, const pr_color_hist_params *params,
                                   pr_color_hist *out)
{
    if (!img || !out || (n_exclude > 0 && !exclude) || n_masks < 0 ||
        (n_masks > 0 && (!masks || !strides)))
        return pr_set_error(PR_ERR_ARG, "background histogram: bad arguments");
    size_t w = (size_t)img->width, h = (size_t)img->height;
    uint8_t *mask = (uint8_t *)pr_malloc_array(w > 0 ? w : 1, h > 0 ? h : 1);
    if (!mask)
        return pr_set_error(PR_ERR_NOMEM, "background histogram: out of memory");
    memset(mask, 1, w * h);
    for (int k = 0; k < n_exclude; k++) {
        const pr_pixel_rect pix = pr_box_pixels(exclude[k], img->width, img->height);
        for (int y = pix.y0; y < pix.y1; y++)
            if (pix.x1 > pix.x0)
                memset(mask + (size_t)y * w + pix.x0, 0, (size_t)(pix.x1 - pix.x0));
    }
    for (int k = 0; k < n_masks; k++) {
        if (!masks[k])
            continue;
        for (size_t y = 0; y < h; y++) {
            const uint8_t *src = masks[k] + y * strides[k];
            uint8_t *dst = mask + y * w;
            for (size_t x = 0; x < w; x++)
                if (src[x])
                    dst[x] = 0;
        }
    }
    pr_box all = {0, 0, (double)img->width, (double)img->height};
    pr_status st = pr_color_hist_compute(img, all, mask, w, params, out);
    pr_free(mask);
    return st;
}

/* Segmentation quality measures (see quality.h). The overlap between segments and truth regions is
 * one dense table (segments x regions); with BSDS500 sizes that is at most a few hundred thousand
 * counts. */
#include "segment/quality.h"

#include "core/alloc.h"

#include <stdint.h>
#include <string.h>

/* Renumbers into a fresh array (0..count-1, first appearance) without touching the input. Any
 * label value in [0, 2^26) is accepted (truth files need not be compact or 0-based). */
static pr_status compact(const pr_labels *l, int32_t **out, int *count)
{
    const size_t n = (size_t)l->width * (size_t)l->height;
    int32_t mx = 0;
    for (size_t p = 0; p < n; p++) {
        if (l->data[p] < 0 || l->data[p] >= (1 << 26))
            return pr_set_error(PR_ERR_FORMAT, "segment quality: label %ld out of range",
                                (long)l->data[p]);
        mx = l->data[p] > mx ? l->data[p] : mx;
    }
    int32_t *data = pr_malloc_array(n, sizeof(int32_t));
    int32_t *map = pr_malloc_array((size_t)mx + 1, sizeof(int32_t));
    if (!data || !map) {
        pr_free(data);
        pr_free(map);
        return pr_set_error(PR_ERR_NOMEM, "segment quality: out of memory");
    }
    for (int32_t i = 0; i <= mx; i++)
        map[i] = -1;
    int next = 0;
    for (size_t p = 0; p < n; p++) {
        const int32_t v = l->data[p];
        if (map[v] < 0)
            map[v] = next++;
        data[p] = map[v];
    }
    pr_free(map);
    *out = data;
    *count = next;
    return PR_OK;
}

static int is_boundary(const int32_t *l, int w, int h, int x, int y)
{
    const int32_t v = l[(size_t)y * w + x];
    return (x + 1 < w && l[(size_t)y * w + x + 1] != v) ||
           (y + 1 < h && l[(size_t)(y + 1) * w + x] != v);
}

pr_status pr_seg_quality_compute(const pr_labels *seg, const pr_labels *truth, double tolerance,
                                 pr_seg_quality *out)
{
    if (!seg || !truth || !out || seg->width != truth->width || seg->height != truth->height ||
        seg->width <= 0 || seg->height <= 0)
        return pr_set_error(PR_ERR_ARG, "segment quality: segmentation and truth differ in size");
    const int w = seg->width, h = seg->height;
    const size_t n = (size_t)w * (size_t)h;
    int32_t *s = NULL, *g = NULL;
    int ns = 0, ng = 0;
    int64_t *table = NULL, *ssize = NULL;
    uint8_t *sb = NULL;
    pr_status st;
    if ((st = compact(seg, &s, &ns)) != PR_OK || (st = compact(truth, &g, &ng)) != PR_OK)
        goto fail;
    if ((int64_t)ns * ng > ((int64_t)1 << 26)) {
        st = pr_set_error(PR_ERR_LIMIT, "segment quality: %d segments x %d regions is too many",
                          ns, ng);
        goto fail;
    }
    table = pr_calloc((size_t)ns * (size_t)ng, sizeof(int64_t));
    ssize = pr_calloc((size_t)ns, sizeof(int64_t));
    sb = pr_calloc(n, 1);
    if (!table || !ssize || !sb) {
        st = pr_set_error(PR_ERR_NOMEM, "segment quality: out of memory");
        goto fail;
    }
    for (size_t p = 0; p < n; p++) {
        table[(size_t)s[p] * ng + (size_t)g[p]]++;
        ssize[s[p]]++;
    }
    int64_t asa = 0, ue = 0;
    for (int i = 0; i < ns; i++) {
        int64_t best = 0;
        for (int j = 0; j < ng; j++) {
            const int64_t c = table[(size_t)i * ng + j];
            if (c > best)
                best = c;
            if (c > 0)
                ue += c < ssize[i] - c ? c : ssize[i] - c;
        }
        asa += best;
    }
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++)
            sb[(size_t)y * w + x] = (uint8_t)is_boundary(s, w, h, x, y);
    const int r = (int)tolerance;
    const double r2 = tolerance * tolerance;
    int64_t tb = 0, hit = 0;
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            if (!is_boundary(g, w, h, x, y))
                continue;
            tb++;
            int found = 0;
            for (int dy = -r; dy <= r && !found; dy++)
                for (int dx = -r; dx <= r && !found; dx++) {
                    const int xx = x + dx, yy = y + dy;
                    if (xx < 0 || yy < 0 || xx >= w || yy >= h ||
                        (double)(dx * dx + dy * dy) > r2)
                        continue;
                    found = sb[(size_t)yy * w + xx];
                }
            hit += found;
        }
    out->asa = (double)asa / (double)n;
    out->ue = (double)ue / (double)n;
    out->boundary_recall = tb ? (double)hit / (double)tb : 1.0;
    out->segments = ns;
    out->truth_segments = ng;
    st = PR_OK;
fail:
    pr_free(s);
    pr_free(g);
    pr_free(table);
    pr_free(ssize);
    pr_free(sb);
    return st;
}

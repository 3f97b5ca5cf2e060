/* Colour histograms with soft binning.
 *
 * Each pixel is mapped to three coordinates in [0, 1) (hue in HSV wraps around). With b bins on an
 * axis the bin centres are at (i + 0.5) / b; a value between two centres gives each of them a
 * weight proportional to closeness (linear interpolation), so a small colour shift moves weight
 * smoothly instead of jumping between bins (the "soft assignment" used by van de Sande et al.,
 * "Evaluating color descriptors for object and scene recognition", PAMI 2010 / CVPR 2008). The
 * 3-D weight is the product of the three 1-D weights (trilinear).
 *
 * The opponent axes are scaled to [0, 1) by their exact ranges for 8-bit RGB. RGI uses
 * chromaticity r = R/(R+G+B), g = G/(R+G+B) (black pixels: r = g = 1/3) and I = (R+G+B)/765. */
#include "features/color_hist.h"

#include <math.h>
#include <string.h>

pr_color_hist_params pr_color_hist_params_for(pr_color_space space)
{
    pr_color_hist_params p;
    p.space = space;
    if (space == PR_COLOR_HSV) {
        p.bins[0] = 16;
        p.bins[1] = 4;
        p.bins[2] = 4;
    } else {
        p.bins[0] = 8;
        p.bins[1] = 8;
        p.bins[2] = 4;
    }
    p.soft = 1;
    p.min_pixels = 64;
    return p;
}

pr_color_hist_params pr_color_hist_params_default(void)
{
    return pr_color_hist_params_for(PR_COLOR_HSV);
}

static void to_coords(pr_color_space space, int r, int g, int b, float c[3])
{
    switch (space) {
    case PR_COLOR_HSV: {
        int mx = r > g ? (r > b ? r : b) : (g > b ? g : b);
        int mn = r < g ? (r < b ? r : b) : (g < b ? g : b);
        float d = (float)(mx - mn), h = 0;
        if (d > 0) {
            if (mx == r)
                h = (float)(g - b) / d;
            else if (mx == g)
                h = 2.0f + (float)(b - r) / d;
            else
                h = 4.0f + (float)(r - g) / d;
            h /= 6.0f;
            if (h < 0)
                h += 1.0f;
        }
        c[0] = h;
        c[1] = mx > 0 ? d / (float)mx : 0;
        c[2] = mx / 255.0f;
        break;
    }
    case PR_COLOR_RGI: {
        int s = r + g + b;
        c[0] = s > 0 ? (float)r / (float)s : 1.0f / 3;
        c[1] = s > 0 ? (float)g / (float)s : 1.0f / 3;
        c[2] = (float)s / 765.0f;
        break;
    }
    default: { /* opponent: ranges [-255, 255]/sqrt2, [-510, 510]/sqrt6, [0, 765]/sqrt3 */
        c[0] = (float)(r - g + 255) / 510.0f;
        c[1] = (float)(r + g - 2 * b + 510) / 1020.0f;
        c[2] = (float)(r + g + b) / 765.0f;
        break;
    }
    }
}

/* Splits value v in [0, 1] over the two nearest of nb bins: bins i0, i1 with weights w0, 1-w0. */
static void soft_axis(float v, int nb, int wrap, int soft, int *i0, int *i1, float *w0)
{
    if (v < 0)
        v = 0;
    if (v > 1)
        v = 1;
    if (!soft) {
        int i = (int)(v * nb);
        if (i >= nb)
            i = wrap ? 0 : nb - 1;
        *i0 = *i1 = i;
        *w0 = 1.0f;
        return;
    }
    float t = v * nb - 0.5f; /* position in bin-centre units */
    int lo = (int)floorf(t);
    float f = t - (float)lo;
    int hi = lo + 1;
    if (wrap) {
        lo = (lo % nb + nb) % nb;
        hi = (hi % nb + nb) % nb;
    } else {
        if (lo < 0) {
            lo = 0;
            f = 0;
        }
        if (hi > nb - 1) {
            hi = nb - 1;
            if (lo > nb - 1)
                lo = nb - 1;
        }
    }
    *i0 = lo;
    *i1 = hi;
    *w0 = 1.0f - f;
}

pr_status pr_color_hist_compute(const pr_image *img, pr_box roi, const uint8_t *mask,
                                size_t mask_stride, const pr_color_hist_params *params,
                                pr_color_hist *out)
{
    if (!img || !out)
        return pr_set_error(PR_ERR_ARG, "colour histogram: NULL argument");
    pr_color_hist_params p = params ? *params : pr_color_hist_params_default();
    if ((int)p.space < 0 || p.space >= PR_COLOR_SPACE_COUNT)
        return pr_set_error(PR_ERR_ARG, "colour histogram: unknown colour space %d", (int)p.space);
    pr_color_hist_params def = pr_color_hist_params_for(p.space);
    for (int a = 0; a < 3; a++)
        if (p.bins[a] <= 0)
            p.bins[a] = def.bins[a];
    if ((long)p.bins[0] * p.bins[1] * p.bins[2] > PR_COLOR_HIST_MAX_BINS)
        return pr_set_error(PR_ERR_ARG, "colour histogram: %dx%dx%d bins exceed %d", p.bins[0],
                            p.bins[1], p.bins[2], PR_COLOR_HIST_MAX_BINS);
    if (img->channels != 1 && img->channels != 3)
        return pr_set_error(PR_ERR_UNSUPPORTED, "colour histogram: %d channels", img->channels);
    memset(out, 0, sizeof *out);
    out->space = (int)p.space;
    memcpy(out->bins, p.bins, sizeof p.bins);
    int n = p.bins[0] * p.bins[1] * p.bins[2];
    double acc[PR_COLOR_HIST_MAX_BINS] = {0};
    const pr_pixel_rect pix = pr_box_pixels(roi, img->width, img->height); /* empty for NaN boxes */
    const int x0 = pix.x0, y0 = pix.y0, x1 = pix.x1, y1 = pix.y1;
    long count = 0;
    int wrap0 = p.space == PR_COLOR_HSV;
    for (int y = y0; y < y1; y++) {
        const uint8_t *row = pr_image_row(img, y);
        const uint8_t *mrow = mask ? mask + (size_t)y * mask_stride : NULL;
        for (int x = x0; x < x1; x++) {
            if (mrow && !mrow[x])
                continue;
            int r, g, bl;
            if (img->channels == 3) {
                r = row[3 * x];
                g = row[3 * x + 1];
                bl = row[3 * x + 2];
            } else {
                r = g = bl = row[x];
            }
            float c[3];
            to_coords(p.space, r, g, bl, c);
            int i0[3], i1[3];
            float w0[3];
            for (int a = 0; a < 3; a++)
                soft_axis(c[a], p.bins[a], a == 0 && wrap0, p.soft, &i0[a], &i1[a], &w0[a]);
            for (int s = 0; s < 8; s++) {
                int ia = s & 1 ? i1[0] : i0[0], ib = s & 2 ? i1[1] : i0[1];
                int ic = s & 4 ? i1[2] : i0[2];
                float w = (s & 1 ? 1 - w0[0] : w0[0]) * (s & 2 ? 1 - w0[1] : w0[1]) *
                          (s & 4 ? 1 - w0[2] : w0[2]);
                if (w > 0)
                    acc[(ia * p.bins[1] + ib) * p.bins[2] + ic] += w;
            }
            count++;
        }
    }
    out->pixels = (double)count;
    if (count < (p.min_pixels > 0 ? p.min_pixels : 1))
        return PR_OK; /* n stays 0: no cue */
    double total = 0;
    for (int i = 0; i < n; i++)
        total += acc[i];
    for (int i = 0; i < n; i++)
        out->h[i] = (float)(acc[i] / total);
    out->n = n;
    return PR_OK;
}

double pr_color_hist_distance(const pr_color_hist *a, const pr_color_hist *b,
                              pr_hist_distance metric)
{
    if (!a || !b || a->n == 0 || b->n == 0 || a->n != b->n || a->space != b->space ||
        memcmp(a->bins, b->bins, sizeof a->bins) != 0)
        return NAN;
    /* Sums in double and normalised by the actual masses (float histograms sum to 1 only up to
     * rounding), so that a histogram against itself gives exactly 0 and results stay in [0, 1]. */
    double s = 0, sa = 0, sb = 0, d;
    for (int i = 0; i < a->n; i++) {
        sa += a->h[i];
        sb += b->h[i];
    }
    double norm = sqrt(sa * sb);
    switch (metric) {
    case PR_HIST_CHI2:
        for (int i = 0; i < a->n; i++) {
            double u = a->h[i] / sa, v = b->h[i] / sb;
            if (u + v > 0)
                s += (u - v) * (u - v) / (u + v);
        }
        d = 0.5 * s;
        break;
    case PR_HIST_BHATTACHARYYA:
        for (int i = 0; i < a->n; i++)
            s += sqrt((double)a->h[i] * b->h[i]);
        s /= norm;
        d = s >= 1 ? 0.0 : sqrt(1 - s);
        break;
    case PR_HIST_INTERSECTION:
        for (int i = 0; i < a->n; i++)
            s += a->h[i] < b->h[i] ? a->h[i] : b->h[i];
        s /= norm;
        d = s >= 1 ? 0.0 : 1 - s;
        break;
    default:
        return NAN;
    }
    return d < 0 ? 0.0 : d > 1 ? 1.0 : d;
}

int pr_color_hist_top_bins(const pr_color_hist *h, int k, int *bins)
{
    int got = 0;
    if (!h || !bins)
        return 0;
    for (int j = 0; j < k && j < h->n; j++) {
        int best = -1;
        for (int i = 0; i < h->n; i++) {
            int used = 0;
            for (int q = 0; q < got; q++)
                used |= bins[q] == i;
            if (!used && (best < 0 || h->h[i] > h->h[best]))
                best = i;
        }
        if (best < 0 || h->h[best] <= 0)
            break;
        bins[got++] = best;
    }
    return got;
}

const char *pr_color_space_name(pr_color_space space)
{
    switch (space) {
    case PR_COLOR_HSV: return "hsv";
    case PR_COLOR_RGI: return "rgi";
    case PR_COLOR_OPPONENT: return "opponent";
    default: return "?";
    }
}

const char *pr_hist_distance_name(pr_hist_distance metric)
{
    switch (metric) {
    case PR_HIST_CHI2: return "chi2";
    case PR_HIST_BHATTACHARYYA: return "bhattacharyya";
    case PR_HIST_INTERSECTION: return "intersection";
    default: return "?";
    }
}

int pr_color_space_parse(const char *name)
{
    for (int s = 0; s < PR_COLOR_SPACE_COUNT; s++)
        if (name && strcmp(name, pr_color_space_name((pr_color_space)s)) == 0)
            return s;
    return -1;
}

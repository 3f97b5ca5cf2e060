/* Colour histograms over a masked region: the clothing (body), face/hair band and background cues.
 *
 * Three colour spaces: HSV (hue is circular), normalised rg chromaticity + intensity (RGI: r and g
 * do not change when the light gets brighter or dimmer), and the opponent colour space of van de
 * Sande et al. 2008 (O1 = (R-G)/sqrt2, O2 = (R+G-2B)/sqrt6 carry colour, O3 = intensity). Values
 * are soft-binned (each pixel shares its weight between the two nearest bins on every axis) and
 * the histogram is L1-normalised, so regions of different sizes compare. */
#ifndef PR_FEATURES_COLOR_HIST_H
#define PR_FEATURES_COLOR_HIST_H

#include "core/box.h"
#include "core/image.h"
#include "core/status.h"

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef enum pr_color_space {
    PR_COLOR_HSV = 0,
    PR_COLOR_RGI = 1,      /* normalised r, g + intensity */
    PR_COLOR_OPPONENT = 2, /* O1, O2, O3 */
    PR_COLOR_SPACE_COUNT = 3
} pr_color_space;

typedef enum pr_hist_distance {
    PR_HIST_CHI2 = 0,          /* 0.5 * sum (a-b)^2 / (a+b), in [0, 1] */
    PR_HIST_BHATTACHARYYA = 1, /* sqrt(1 - sum sqrt(a b)), in [0, 1] */
    PR_HIST_INTERSECTION = 2,  /* 1 - sum min(a, b), in [0, 1] */
    PR_HIST_DISTANCE_COUNT = 3
} pr_hist_distance;

#define PR_COLOR_HIST_MAX_BINS 512

typedef struct pr_color_hist_params {
    pr_color_space space; /* default PR_COLOR_HSV */
    int bins[3];          /* per axis; product <= PR_COLOR_HIST_MAX_BINS (default 16, 4, 4;
                             0 = the space's default) */
    int soft;             /* soft binning (default 1) */
    long min_pixels;      /* fewer counted pixels = no cue (default 64) */
} pr_color_hist_params;

pr_color_hist_params pr_color_hist_params_default(void);
/* Defaults for a given space: HSV 16x4x4, RGI 8x8x4, opponent 8x8x4 (256 bins each). */
pr_color_hist_params pr_color_hist_params_for(pr_color_space space);

/* A value type (no heap): copy it freely. n == 0 means "no cue" (region empty or too small). */
typedef struct pr_color_hist {
    int space;
    int bins[3];
    int n;          /* bins[0]*bins[1]*bins[2], or 0 for no cue */
    double pixels;  /* pixels counted */
    float h[PR_COLOR_HIST_MAX_BINS]; /* sums to 1 when n > 0 */
} pr_color_hist;

/* Histogram of the pixels of img (grey or RGB) inside roi (clipped to the image) whose mask byte
 * is non-zero. mask NULL = every pixel of roi; else mask has the image's width x height with row
 * stride mask_stride bytes (borrowed for the call). A region with fewer than min_pixels pixels
 * gives out->n = 0 and PR_OK. */
pr_status pr_color_hist_compute(const pr_image *img, pr_box roi, const uint8_t *mask,
                                size_t mask_stride, const pr_color_hist_params *params,
                                pr_color_hist *out);

/* Distance in [0, 1]; NAN when either side is "no cue" or the two were made differently. */
double pr_color_hist_distance(const pr_color_hist *a, const pr_color_hist *b,
                              pr_hist_distance metric);

/* Index of the i-th largest bin into *bin (for printing); returns the count written (<= k). */
int pr_color_hist_top_bins(const pr_color_hist *h, int k, int *bins);

const char *pr_color_space_name(pr_color_space space);      /* "hsv", "rgi", "opponent" */
const char *pr_hist_distance_name(pr_hist_distance metric); /* "chi2", "bhattacharyya", ... */
/* Parses a name from pr_color_space_name; -1 when unknown. */
int pr_color_space_parse(const char *name);

#ifdef __cplusplus
}
#endif
#endif

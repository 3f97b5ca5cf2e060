/* The largest difference between two float vectors relative to the largest |b|, for the face-net
 * tests; a NaN anywhere gives +inf, so that it fails every bound (fmax would drop it). */
#ifndef PR_TESTS_NN_REL_DIFF_H
#define PR_TESTS_NN_REL_DIFF_H

#include <math.h>

static inline double pr_test_rel_diff(const float *a, const float *b, int n)
{
    double maxd = 0, maxv = 0;
    for (int i = 0; i < n; i++) {
        double d = fabs((double)a[i] - b[i]);
        if (isnan(d))
            return INFINITY;
        maxd = fmax(maxd, d);
        maxv = fmax(maxv, fabs((double)b[i]));
    }
    return maxv > 0 ? maxd / maxv : 1;
}

#endif

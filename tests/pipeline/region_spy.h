/* Counts describe's full-scale region decodes (core/image.h pr_image_load_region) through the
 * linker's --wrap: a test that includes this once links with
 * "LINKER:--wrap=pr_image_load_region" (tests/pipeline/CMakeLists.txt). */
#ifndef PR_TESTS_PIPELINE_REGION_SPY_H
#define PR_TESTS_PIPELINE_REGION_SPY_H

#include "core/image.h"

#include <math.h>

static long region_calls;    /* every call */
static long region_decoded;  /* the calls that decoded a part */
static double region_largest; /* the largest part decoded, in pixels */

pr_status __real_pr_image_load_region(const char *path, const pr_image_load_params *params,
                                      const int want[4], pr_image **out, int origin[2],
                                      pr_image_info *info);
pr_status __wrap_pr_image_load_region(const char *path, const pr_image_load_params *params,
                                      const int want[4], pr_image **out, int origin[2],
                                      pr_image_info *info);

pr_status __wrap_pr_image_load_region(const char *path, const pr_image_load_params *params,
                                      const int want[4], pr_image **out, int origin[2],
                                      pr_image_info *info)
{
    pr_status st = __real_pr_image_load_region(path, params, want, out, origin, info);
    region_calls++;
    if (st == PR_OK && *out) {
        region_decoded++;
        region_largest = fmax(region_largest, (double)(*out)->width * (*out)->height);
    }
    return st;
}

#endif

/* Problems with one sidecar file or entry (datasets/sidecar_errors_internal.h). */
#include "datasets/sidecar_errors_internal.h"

#include <stdio.h>

pr_status pr_sidecar_with_note(pr_status code, const char *why)
{
    char msg[1024];
    snprintf(msg, sizeof msg, "%s", pr_last_error());
    return pr_set_error(code, "%s (%s)", msg, why);
}

pr_status pr_sidecar_bad_entry(pr_region_skip_fn skip, void *ctx, pr_status st)
{
    if (!skip)
        return st;
    skip(ctx, pr_last_error());
    return PR_OK;
}

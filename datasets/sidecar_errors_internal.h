/* Private to datasets/: how the sidecar readers and writers (picasa.c, picasa_write.c,
 * xmp_regions.c) tell of a problem with one file or one entry, the same way everywhere. */
#ifndef PR_DATASETS_SIDECAR_ERRORS_INTERNAL_H
#define PR_DATASETS_SIDECAR_ERRORS_INTERNAL_H

#include "core/status.h"
#include "datasets/regions.h"

/* Adds " (why)" after the current message, so that it still starts with the file it is about;
 * returns code. */
pr_status pr_sidecar_with_note(pr_status code, const char *why);

/* A bad entry (st, its message current): a strict reader (skip NULL) fails with it, a lenient one
 * tells skip and goes on (PR_OK). */
pr_status pr_sidecar_bad_entry(pr_region_skip_fn skip, void *ctx, pr_status st);

#endif

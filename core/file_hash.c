/* pr_file_hash (fileio.h), alone in its file so that a program linking an older copy of it does
 * not also pull this one. */
#include "core/fileio.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

pr_status pr_file_hash(const char *path, uint64_t *hash)
{
    if (!path || !hash)
        return pr_set_error(PR_ERR_ARG, "pr_file_hash: bad argument");
    FILE *f = fopen(path, "rb");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    uint64_t h = 0xcbf29ce484222325ULL;
    unsigned char buf[1 << 16];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, f)) > 0)
        for (size_t i = 0; i < n; i++)
            h = (h ^ buf[i]) * 0x100000001b3ULL;
    int failed = ferror(f);
    fclose(f);
    if (failed)
        return pr_set_error(PR_ERR_IO, "%s: read error", path);
    *hash = h;
    return PR_OK;
}

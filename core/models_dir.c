/* The models folder search (core/models_dir.h). */
#define _POSIX_C_SOURCE 200809L /* readlink */
#include "core/models_dir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static int holds(const char *dir, const char *marker)
{
    char path[4400];
    if (!dir || !*dir || snprintf(path, sizeof path, "%s/%s", dir, marker) >= (int)sizeof path)
        return 0;
    return access(path, R_OK) == 0;
}

static pr_status put(char *out, size_t size, const char *dir)
{
    if (snprintf(out, size, "%s", dir) >= (int)size)
        return pr_set_error(PR_ERR_LIMIT, "models folder path too long: %s", dir);
    return PR_OK;
}

pr_status pr_models_find(const char *given, const char *marker, const char *fallback, char *out,
                         size_t size)
{
    const char *env = getenv("PERSONREC_MODELS");
    if (given && *given)
        return put(out, size, given);
    if (env && *env)
        return put(out, size, env);
    char exe[4096], dir[4200];
    ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
    if (n > 0) {
        exe[n] = '\0';
        char *slash = strrchr(exe, '/');
        if (slash) {
            *slash = '\0';
            static const char *const below[] = {"models", "../share/personrec/models"};
            for (int i = 0; i < 2; i++)
                if (snprintf(dir, sizeof dir, "%s/%s", exe, below[i]) < (int)sizeof dir &&
                    holds(dir, marker))
                    return put(out, size, dir);
        }
    }
    if (holds(fallback, marker))
        return put(out, size, fallback);
    return pr_set_error(PR_ERR_IO, "no models folder holds %s", marker);
}

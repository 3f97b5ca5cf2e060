/* Path strings (see path.h). Pure string work: nothing here touches the file system. */
#include "core/path.h"

#include "core/alloc.h"

#include <string.h>

pr_status pr_path_join(char *buf, size_t size, const char *a, const char *b)
{
    if (!buf || !a || !b)
        return pr_set_error(PR_ERR_ARG, "pr_path_join: bad argument");
    size_t na = b[0] == '/' ? 0 : strlen(a), nb = strlen(b);
    int sep = na > 0 && a[na - 1] != '/';
    if (na + (size_t)sep + nb + 1 > size)
        return pr_set_error(PR_ERR_LIMIT, "path %s/%s too long", a, b);
    memmove(buf, a, na); /* memmove: callers may pass buf as a */
    if (sep)
        buf[na] = '/';
    memcpy(buf + na + (size_t)sep, b, nb + 1);
    return PR_OK;
}

char *pr_path_join_new(const char *a, const char *b)
{
    if (!a || !b)
        return NULL;
    size_t size = strlen(a) + strlen(b) + 2;
    char *out = pr_malloc(size);
    if (out && pr_path_join(out, size, a, b) != PR_OK) {
        pr_free(out);
        return NULL;
    }
    return out;
}

char *pr_path_dirname(const char *path)
{
    if (!path)
        return NULL;
    const char *slash = strrchr(path, '/');
    if (!slash)
        return pr_strdup("");
    if (slash == path)
        return pr_strdup("/");
    size_t n = (size_t)(slash - path);
    char *out = pr_malloc(n + 1);
    if (out) {
        memcpy(out, path, n);
        out[n] = '\0';
    }
    return out;
}

const char *pr_path_basename(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? slash + 1 : path;
}

const char *pr_path_skip_dot(const char *path)
{
    while (path[0] == '.' && path[1] == '/') {
        path += 2;
        while (path[0] == '/')
            path++;
    }
    return path;
}

const char *pr_path_relative(const char *root, const char *path)
{
    const char *r = pr_path_skip_dot(root), *p = pr_path_skip_dot(path);
    size_t nr = strlen(r);
    while (nr > 0 && r[nr - 1] == '/')
        nr--;
    if (nr == 1 && r[0] == '.')
        nr = 0, r = "";
    if (nr == 0 && r[0] != '/')
        return p; /* root "." or "": everything is under it */
    if (nr == 0)
        return p[0] == '/' ? p + 1 : path;
    if (strncmp(p, r, nr) == 0 && p[nr] == '/')
        return p + nr + 1;
    return path;
}

int pr_path_same_photo(const char *a, const char *b)
{
    if (!a || !b)
        return 0;
    a = pr_path_skip_dot(a);
    b = pr_path_skip_dot(b);
    size_t na = strlen(a), nb = strlen(b);
    if (na < nb) {
        const char *t = a;
        a = b;
        b = t;
        size_t tn = na;
        na = nb;
        nb = tn;
    }
    if (nb == 0)
        return 0;
    if (na == nb)
        return strcmp(a, b) == 0;
    return a[na - nb - 1] == '/' && strcmp(a + na - nb, b) == 0;
}

/* Whole-file I/O (see fileio.h). The atomic write fsyncs before the rename so that after a crash
 * the file holds either the old or the new content, never a prefix of the new one. */
#define _POSIX_C_SOURCE 200809L
#include "core/fileio.h"

#include "core/alloc.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static pr_status grow(char **buf, size_t *cap, size_t max_bytes, const char *path)
{
    if (*cap >= max_bytes)
        return pr_set_error(PR_ERR_LIMIT, "%s: file larger than %zu bytes", path, max_bytes);
    size_t ncap = *cap * 2 > max_bytes ? max_bytes : *cap * 2;
    char *nb = pr_realloc(*buf, ncap + 1);
    if (!nb)
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory", path);
    *buf = nb;
    *cap = ncap;
    return PR_OK;
}

pr_status pr_file_read_all(const char *path, size_t max_bytes, char **data, size_t *size)
{
    if (!path || !data || !size)
        return pr_set_error(PR_ERR_ARG, "pr_file_read_all: bad argument");
    *data = NULL;
    *size = 0;
    if (max_bytes == 0)
        max_bytes = PR_FILE_DEFAULT_MAX_BYTES;
    FILE *f = fopen(path, "rb");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot open: %s", path, strerror(errno));
    /* A regular file is read in one allocation of its size (photos are megabytes); pipes and
     * files that grow meanwhile fall back to doubling. */
    struct stat sb;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && (uint64_t)sb.st_size > max_bytes) {
        fclose(f);
        return pr_set_error(PR_ERR_LIMIT, "%s: file is %lld bytes, above the limit of %zu", path,
                            (long long)sb.st_size, max_bytes);
    }
    size_t cap = max_bytes < 65536 ? max_bytes : 65536, len = 0;
    if (fstat(fileno(f), &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0 &&
        (uint64_t)sb.st_size <= max_bytes)
        cap = (size_t)sb.st_size;
    else if (fstat(fileno(f), &sb) == 0 && S_ISDIR(sb.st_mode)) {
        fclose(f);
        return pr_set_error(PR_ERR_IO, "%s: not a regular file (a folder)", path);
    }
    char *buf = pr_malloc(cap + 1);
    pr_status st = buf ? PR_OK : pr_set_error(PR_ERR_NOMEM, "%s: out of memory", path);
    while (st == PR_OK) {
        if (len == cap) {
            /* Full: at the end of the file (the usual case after a sized read) nothing grows. A
             * file exactly max_bytes long reads fine; one byte more is refused by grow(). */
            int c = fgetc(f);
            if (c == EOF)
                break;
            if ((st = grow(&buf, &cap, max_bytes, path)) != PR_OK)
                break;
            buf[len++] = (char)c;
        }
        size_t got = fread(buf + len, 1, cap - len, f);
        len += got;
        if (got == 0) {
            if (ferror(f))
                st = pr_set_error(PR_ERR_IO, "%s: read error", path);
            break;
        }
    }
    fclose(f);
    if (st != PR_OK) {
        pr_free(buf);
        return st;
    }
    buf[len] = '\0';
    *data = buf;
    *size = len;
    return PR_OK;
}

pr_status pr_file_write_atomic_stream(const char *path, pr_file_writer write_fn, const void *ctx)
{
    if (!path || !write_fn)
        return pr_set_error(PR_ERR_ARG, "pr_file_write_atomic_stream: bad argument");
    size_t n = strlen(path) + 16;
    char *tmp = pr_malloc(n);
    if (!tmp)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    snprintf(tmp, n, "%s.tmpXXXXXX", path);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        pr_status st = pr_set_error(PR_ERR_IO, "%s: cannot create a file there: %s", path,
                                    strerror(errno));
        pr_free(tmp);
        return st;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        pr_status st = pr_set_error(PR_ERR_IO, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        pr_free(tmp);
        return st;
    }
    pr_status st = write_fn(f, ctx, path);
    if (fflush(f) != 0 && st == PR_OK)
        st = pr_set_error(PR_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    /* EINVAL: a file system without fsync; the rename is still atomic there. */
    if (st == PR_OK && fsync(fd) != 0 && errno != EINVAL)
        st = pr_set_error(PR_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    if (fclose(f) != 0 && st == PR_OK)
        st = pr_set_error(PR_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    /* mkstemp creates 0600; derived files should be as readable as any other file. */
    if (st == PR_OK) {
        mode_t mask = umask(0);
        umask(mask);
        chmod(tmp, 0666 & ~mask);
    }
    if (st == PR_OK && rename(tmp, path) != 0)
        st = pr_set_error(PR_ERR_IO, "%s: cannot rename into place: %s", path, strerror(errno));
    if (st != PR_OK)
        unlink(tmp);
    pr_free(tmp);
    return st;
}

typedef struct bytes {
    const void *data;
    size_t size;
} bytes;

static pr_status write_bytes(FILE *f, const void *ctx, const char *name)
{
    const bytes *b = ctx;
    if (b->size && fwrite(b->data, 1, b->size, f) != b->size)
        return pr_set_error(PR_ERR_IO, "%s: write failed: %s", name, strerror(errno));
    return PR_OK;
}

pr_status pr_file_write_atomic(const char *path, const void *data, size_t size)
{
    if (!path || (!data && size))
        return pr_set_error(PR_ERR_ARG, "pr_file_write_atomic: bad argument");
    bytes b = {data, size};
    return pr_file_write_atomic_stream(path, write_bytes, &b);
}

pr_status pr_mkdir_p(const char *dir)
{
    if (!dir)
        return pr_set_error(PR_ERR_ARG, "pr_mkdir_p: bad argument");
    char *tmp = pr_strdup(dir);
    if (!tmp)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    pr_status st = PR_OK;
    for (char *p = tmp + 1; tmp[0]; p++) {
        if (*p != '/' && *p != '\0')
            continue;
        char saved = *p;
        *p = '\0';
        struct stat sb;
        if (mkdir(tmp, 0777) != 0 && !(errno == EEXIST && stat(tmp, &sb) == 0 &&
                                       S_ISDIR(sb.st_mode))) {
            st = pr_set_error(PR_ERR_IO, "%s: cannot create folder: %s", tmp,
                              errno == EEXIST ? "not a folder" : strerror(errno));
            break;
        }
        *p = saved;
        if (saved == '\0')
            break;
    }
    pr_free(tmp);
    return st;
}

pr_status pr_mkdir_parents(const char *path)
{
    if (!path)
        return pr_set_error(PR_ERR_ARG, "pr_mkdir_parents: bad argument");
    const char *slash = strrchr(path, '/');
    if (!slash || slash == path)
        return PR_OK;
    size_t n = (size_t)(slash - path);
    char *dir = pr_malloc(n + 1);
    if (!dir)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    memcpy(dir, path, n);
    dir[n] = '\0';
    pr_status st = pr_mkdir_p(dir);
    pr_free(dir);
    return st;
}

int pr_file_exists(const char *path)
{
    struct stat sb;
    return path && stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

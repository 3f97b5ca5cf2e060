/* Whole-file I/O (see fileio.h). The atomic write fsyncs before the rename so that after a crash
 * the file holds either the old or the new content, never a prefix of the new one; a kill during
 * the write leaves a hidden temporary file that names its process, which the next run removes
 * (pr_file_remove_stale_temps). */
#define _DEFAULT_SOURCE
#include "core/fileio.h"

#include "core/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <signal.h>
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

/* The temporary file's name: hidden, ours by its prefix, with our process id, so that the next run
 * can tell a leftover of a killed process from a file another process is writing right now. */
#define TMP_PREFIX ".personrec-tmp."

/* path with its symbolic links resolved (a pr_malloc string), so that a sidecar that is a link
 * into another folder is rewritten where it lives and stays a link. path itself when it is not a
 * link or does not exist yet. */
static pr_status resolve_target(const char *path, char **out)
{
    struct stat lst;
    if (lstat(path, &lst) != 0 || !S_ISLNK(lst.st_mode)) {
        *out = pr_strdup(path);
        return *out ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    char *real = realpath(path, NULL);
    if (!real)
        return pr_set_error(PR_ERR_IO, "%s: a symbolic link whose target cannot be reached: %s",
                            path, strerror(errno));
    *out = pr_strdup(real);
    free(real); /* realpath's malloc */
    return *out ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
}

pr_status pr_file_write_atomic_stream(const char *path, pr_file_writer write_fn, const void *ctx)
{
    if (!path || !write_fn)
        return pr_set_error(PR_ERR_ARG, "pr_file_write_atomic_stream: bad argument");
    char *target = NULL;
    pr_status st = resolve_target(path, &target);
    if (st != PR_OK)
        return st;
    const char *slash = strrchr(target, '/');
    int dl = slash ? (int)(slash - target) + 1 : 0;
    size_t n = (size_t)dl + sizeof TMP_PREFIX + 32;
    char *tmp = pr_malloc(n);
    if (!tmp) {
        pr_free(target);
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    snprintf(tmp, n, "%.*s" TMP_PREFIX "%ld.XXXXXX", dl, target, (long)getpid());
    /* The file it replaces keeps its mode and owner (a sidecar someone made private stays
     * private; as root, the owner's file stays the owner's). */
    struct stat old;
    int have_old = stat(target, &old) == 0 && S_ISREG(old.st_mode);
    int fd = mkstemp(tmp);
    if (fd < 0) {
        st = pr_set_error(PR_ERR_IO, "%s: cannot create a file there: %s", path, strerror(errno));
        pr_free(tmp);
        pr_free(target);
        return st;
    }
    FILE *f = fdopen(fd, "wb");
    if (!f) {
        st = pr_set_error(PR_ERR_IO, "%s: %s", path, strerror(errno));
        close(fd);
        unlink(tmp);
        pr_free(tmp);
        pr_free(target);
        return st;
    }
    st = write_fn(f, ctx, path);
    if (fflush(f) != 0 && st == PR_OK)
        st = pr_set_error(PR_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    /* EINVAL: a file system without fsync; the rename is still atomic there. */
    if (st == PR_OK && fsync(fd) != 0 && errno != EINVAL)
        st = pr_set_error(PR_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    if (st == PR_OK && have_old) {
        /* Owner first: chown may clear set-id bits that the mode then restores. Not being allowed
         * to give the file away (not root) leaves it ours, which is all an ordinary user can do. */
        if ((old.st_uid != geteuid() || old.st_gid != getegid()) &&
            fchown(fd, old.st_uid, old.st_gid) != 0 && old.st_gid != getegid()) {
            int ignored = fchown(fd, (uid_t)-1, old.st_gid); /* a group we belong to */
            (void)ignored;
        }
        if (fchmod(fd, old.st_mode & 07777) != 0)
            st = pr_set_error(PR_ERR_IO, "%s: cannot keep its mode: %s", path, strerror(errno));
    } else if (st == PR_OK) {
        /* mkstemp creates 0600; a new derived file is as readable as any other file. */
        mode_t mask = umask(0);
        umask(mask);
        if (fchmod(fd, 0666 & ~mask) != 0)
            st = pr_set_error(PR_ERR_IO, "%s: cannot set its mode: %s", path, strerror(errno));
    }
    if (fclose(f) != 0 && st == PR_OK)
        st = pr_set_error(PR_ERR_IO, "%s: write failed: %s", path, strerror(errno));
    if (st == PR_OK && rename(tmp, target) != 0)
        st = pr_set_error(PR_ERR_IO, "%s: cannot rename into place: %s", path, strerror(errno));
    if (st != PR_OK)
        unlink(tmp);
    pr_free(tmp);
    pr_free(target);
    return st;
}

/* ".personrec-tmp.<pid>.XXXXXX" -> pid; 0 when the name is not one of ours. */
static long temp_owner(const char *name)
{
    size_t pn = strlen(TMP_PREFIX);
    if (strncmp(name, TMP_PREFIX, pn) != 0)
        return 0;
    const char *p = name + pn;
    long pid = 0;
    while (*p >= '0' && *p <= '9' && pid < 100000000)
        pid = pid * 10 + (*p++ - '0');
    if (*p != '.' || strlen(p + 1) != 6)
        return 0;
    return pid;
}

int pr_file_remove_stale_temps(const char *dir)
{
    DIR *d = dir ? opendir(dir) : NULL;
    if (!d)
        return 0;
    int removed = 0;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        long pid = temp_owner(e->d_name);
        /* Alive (kill answers, or EPERM: someone else's live process) or ours: being written. */
        if (pid <= 0 || pid == (long)getpid() || kill((pid_t)pid, 0) == 0 || errno != ESRCH)
            continue;
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat sb;
        if (n > 0 && (size_t)n < sizeof path && lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
            unlink(path) == 0)
            removed++;
    }
    closedir(d);
    return removed;
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

size_t pr_file_head(const char *path, void *buf, size_t n)
{
    FILE *f = path ? fopen(path, "rb") : NULL;
    if (!f)
        return 0;
    size_t got = fread(buf, 1, n, f);
    fclose(f);
    return got;
}

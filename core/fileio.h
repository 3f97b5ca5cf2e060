/* Whole-file I/O shared by every writer and reader: read a file into memory with a size cap, write
 * one atomically (temporary file in the same folder + fsync + rename, so a reader or a crash never
 * leaves a half-written file), create folders like `mkdir -p`, and hash a file's bytes. */
#ifndef PR_CORE_FILEIO_H
#define PR_CORE_FILEIO_H

#include "core/status.h"

#include <stddef.h>
#include <stdio.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define PR_FILE_DEFAULT_MAX_BYTES ((size_t)256 << 20)

/* Reads a whole file into a NUL-terminated buffer (*data caller-owned, pr_free; *size excludes the
 * NUL). PR_ERR_IO when unreadable, PR_ERR_LIMIT when above max_bytes (0 = 256 MiB). */
pr_status pr_file_read_all(const char *path, size_t max_bytes, char **data, size_t *size);

/* THE atomic writer: write_fn fills a stream opened on a new temporary file beside path
 * (".personrec-tmp.<pid>.XXXXXX", mkstemp, so threads and processes never share one); the stream
 * is flushed, fsynced and renamed over path. On any failure the temporary file is removed and path
 * keeps its old content. When path is a symbolic link, the file it points to is replaced (the link
 * stays a link). A file that existed keeps its mode and, where allowed (root), its owner and group;
 * a new one gets the usual 0666 & ~umask. name (for messages) is path. */
typedef pr_status (*pr_file_writer)(FILE *f, const void *ctx, const char *name);
pr_status pr_file_write_atomic_stream(const char *path, pr_file_writer write_fn, const void *ctx);

/* The same for a buffer: size bytes of data. */
pr_status pr_file_write_atomic(const char *path, const void *data, size_t size);

/* Removes the temporary files of the atomic writer in dir whose process is gone (a kill during a
 * write); files of a live process are left alone. Returns how many were removed. */
int pr_file_remove_stale_temps(const char *dir);

/* Creates dir and every missing parent (like `mkdir -p dir`); an existing folder is fine. */
pr_status pr_mkdir_p(const char *dir);
/* Creates every missing folder of path's parent (mkdir -p of dirname(path)). */
pr_status pr_mkdir_parents(const char *path);

/* 1 when path is an existing regular file (symbolic links followed). */
int pr_file_exists(const char *path);

/* Reads up to n bytes from the start of path into buf; returns how many (0 when the file is
 * missing, unreadable or empty). For "is the file there ours?" checks before replacing it. */
size_t pr_file_head(const char *path, void *buf, size_t n);

/* FNV-1a 64 over the file's bytes: cheap, and enough to recognise a moved photo. Same values as the
 * store has always written, so stored hashes stay valid. */
pr_status pr_file_hash(const char *path, uint64_t *hash);

#ifdef __cplusplus
}
#endif
#endif

/* Path strings: join, dirname, basename, relative to a root, and the ONE rule that decides whether
 * the image path written in a label file names a given photo of the album. */
#ifndef PR_CORE_PATH_H
#define PR_CORE_PATH_H

#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* buf = a + "/" + b (just b when a is "" or b is absolute; no doubled "/" when a ends with one).
 * PR_ERR_LIMIT when it does not fit in size bytes. */
pr_status pr_path_join(char *buf, size_t size, const char *a, const char *b);

/* a + "/" + b as a new string (caller-owned, pr_free); NULL when out of memory. */
char *pr_path_join_new(const char *a, const char *b);

/* dirname of path as a new string ("" for a bare file name, "/" for the root); caller-owned,
 * pr_free; NULL when out of memory. */
char *pr_path_dirname(const char *path);

/* The part after the last "/" (borrowed: points into path). */
const char *pr_path_basename(const char *path);

/* path relative to root when path lies under root ("root/a/b.jpg" -> "a/b.jpg"; a trailing "/" on
 * root and leading "./" on either are ignored); otherwise path itself. Borrowed: points into path. */
const char *pr_path_relative(const char *root, const char *path);

/* Leading "./" segments skipped (borrowed: points into path). */
const char *pr_path_skip_dot(const char *path);

/* The photo-path matcher: 1 when two image paths name the same photo. After skipping leading "./",
 * they match when equal, or when the longer ends with "/" + the shorter (so a label file's
 * "album/a.jpg" meets the scanned "a.jpg", and "a.jpg" meets "trip/a.jpg"). Case-sensitive: photo
 * names differing in case are different files on the systems we target. */
int pr_path_same_photo(const char *a, const char *b);

#ifdef __cplusplus
}
#endif
#endif

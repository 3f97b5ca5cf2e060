/* Listing the image files under a folder: recursive, sorted by path (so every run visits photos in
 * the same order), hidden entries (".personrec", ".git", dot-files) skipped, symbolic links to
 * folders not followed (no loops). An image is chosen by extension: .jpg .jpeg .png .pgm .ppm .pnm
 * (any case); other files are counted as skipped. */
#ifndef PR_CORE_FILES_H
#define PR_CORE_FILES_H

#include "core/status.h"

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct pr_file_list {
    char **paths;    /* count paths, each "root/sub/name"; owned */
    size_t count;
    size_t skipped;  /* regular files that are not images by extension */
    size_t capacity;
} pr_file_list;

/* Appends the images under root (or root itself when it is a file, whatever its extension) to
 * list, which must be zero-initialised before the first call. */
pr_status pr_list_images(const char *root, pr_file_list *list);
void pr_file_list_clear(pr_file_list *list); /* frees the paths; the list is empty again */

/* 1 when the name has an image extension. */
int pr_has_image_extension(const char *name);
/* 1 when path is a folder. */
int pr_is_directory(const char *path);

#ifdef __cplusplus
}
#endif
#endif

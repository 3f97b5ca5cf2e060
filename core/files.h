/* Listing the image files under a folder: recursive, sorted by path (so every run visits photos in
 * the same order), hidden entries (".personrec", ".git", dot-files) skipped, symbolic links to
 * folders not followed (no loops). An image is chosen by extension: .jpg .jpeg .png .pgm .ppm .pnm
 * .heic .heif .avif .webp .tif .tiff .gif (any case; the decoder is then chosen by content). Side
 * files that belong beside photos (XMP sidecars, Picasa.ini, Thumbs.db, iOS .aae edits, ...) are
 * counted apart; other files are counted as skipped.
 *
 * A sub-folder that cannot be read (no permission, vanished) and a link with an image name that
 * leads nowhere do not stop the listing: each is recorded in `failed` ("path: why") and the rest of
 * the tree is listed, so one locked folder never costs the whole album. Only an unreadable root is
 * an error. */
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
    size_t skipped;  /* regular files that are not images by extension (side files excepted) */
    size_t capacity;
    size_t side_files; /* sidecars and other files that belong beside photos (pr_is_side_file) */
    char **failed;   /* nfailed "path: why" for folders and links that could not be read; owned */
    size_t nfailed, failed_capacity;
} pr_file_list;

/* Appends the images under root (or root itself when it is a file, whatever its extension) to
 * list, which must be zero-initialised before the first call. */
pr_status pr_list_images(const char *root, pr_file_list *list);
void pr_file_list_clear(pr_file_list *list); /* frees the paths; the list is empty again */

/* 1 when the name has an image extension. */
int pr_has_image_extension(const char *name);
/* 1 when the file belongs beside photos and is no failure to find there: XMP sidecars
 * ("photo.jpg.xmp", "photo.xmp", darktable's "photo.jpg_01.xmp"), Picasa.ini, Thumbs.db,
 * desktop.ini, iOS edit files (.aae), camera thumbnails (.thm). */
int pr_is_side_file(const char *name);
/* 1 when path is a folder. */
int pr_is_directory(const char *path);

#ifdef __cplusplus
}
#endif
#endif

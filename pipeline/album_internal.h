/* Helpers shared by the album run's files in pipeline/ (scan, seeds, outputs, label). */
#ifndef PR_PIPELINE_ALBUM_INTERNAL_H
#define PR_PIPELINE_ALBUM_INTERNAL_H

#include "pipeline/album.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Room for one more element in a growing array (items: *cap elements of elem bytes, n used):
 * doubles the capacity when full (64 first). Returns the array (moved or not), or NULL when out of
 * memory (items is then unchanged and still owned by the caller). */
void *pr_album_grow(void *items, size_t *cap, size_t n, size_t elem);

/* a + "/" + b into a new pr_malloc string (NULL when out of memory). */
char *pr_album_join(const char *a, const char *b);

/* Store keys of --known photos: "@known/<person>/<file>". */
#define PR_ALBUM_KNOWN_PREFIX "@known/"

/* 1 when a store key is a --known photo (not part of the album's outputs). */
int pr_album_is_known(const char *path);

/* Meta key set when the clustering must run again. */
#define PR_ALBUM_META_DIRTY PR_STORE_META_DIRTY

#ifdef __cplusplus
}
#endif
#endif

/* One described photo into the store, as `label` stores it: the records of its faces serialized
 * (features/person.h), their grey crops and descriptors, in one pr_store_put_photo. Shared by the
 * album scan (pipeline/scan.c) and the front-end benchmark (pipeline/bench_album.c), so that the
 * benchmark times what label does. */
#ifndef PR_PIPELINE_PHOTO_PUT_H
#define PR_PIPELINE_PHOTO_PUT_H

#include "pipeline/describe.h"
#include "pipeline/store.h"

#ifdef __cplusplus
extern "C" {
#endif

/* key: the photo's store key; stat: its size, mtime and content hash. reason: why the photo is
 * skipped (stored without faces), or NULL to store ph's faces. photo_id may be NULL. */
pr_status pr_photo_put(pr_store *store, const char *key, const pr_photo_stat *stat,
                       const pr_described_photo *ph, const char *reason, int64_t *photo_id);

#ifdef __cplusplus
}
#endif
#endif

/* One described photo into the store (pipeline/photo_put.h). */
#include "pipeline/photo_put.h"

#include "core/alloc.h"
#include "features/person.h"

pr_status pr_photo_put(pr_store *store, const char *key, const pr_photo_stat *stat,
                       const pr_described_photo *ph, const char *reason, int64_t *photo_id)
{
    pr_store_face *faces = NULL;
    int n = reason ? 0 : ph->nfaces;
    pr_status st = PR_OK;
    if (n && !(faces = pr_calloc((size_t)n, sizeof *faces)))
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    for (int i = 0; i < n && st == PR_OK; i++) {
        const pr_described_face *f = &ph->faces[i];
        uint8_t *blob = NULL;
        size_t size = 0;
        st = pr_person_serialize(f->person, &blob, &size);
        faces[i] = (pr_store_face){f->box,    f->score, f->pose,
                                   blob,      size,     f->crop,
                                   f->crop ? (size_t)PR_DESCRIBE_CROP * PR_DESCRIBE_CROP : 0,
                                   f->descriptor};
    }
    if (st == PR_OK)
        st = pr_store_put_photo(store, key, stat, ph->has_time ? ph->exif_time : NULL, ph->width,
                                ph->height, reason, faces, (size_t)n, photo_id);
    for (int i = 0; i < n; i++)
        pr_free((void *)faces[i].features);
    pr_free(faces);
    return st;
}

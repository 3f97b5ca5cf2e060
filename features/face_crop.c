/* Grey face crops (features/face_crop.h). */
#include "features/face_crop.h"

#include "core/alloc.h"

pr_status pr_face_crop_grey(const pr_image *img, const pr_box *box,
                                 const pr_eigen_album_params *params, uint8_t *crop)
{
    pr_eigenfaces_params ep = pr_eigenfaces_params_default();
    ep.width = params->width;
    ep.height = params->height;
    ep.equalize = params->equalize;
    size_t dim = (size_t)ep.width * ep.height;
    float *row = pr_malloc_array(dim, sizeof *row);
    if (!row)
        return pr_set_error(PR_ERR_NOMEM, "out of memory for a face crop");
    pr_status st = pr_eigenfaces_preprocess(img, box, &ep, row);
    if (st == PR_OK)
        for (size_t k = 0; k < dim; k++) {
            float v = row[k] * 255.0f + 0.5f;
            crop[k] = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
    pr_free(row);
    return st;
}


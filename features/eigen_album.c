/* Album eigenfaces (features/eigen_album.h): Turk & Pentland (1991) over the album's crops. */
#include "features/eigen_album.h"

#include "core/alloc.h"

#include <string.h>

pr_eigen_album_params pr_eigen_album_params_default(void)
{
    pr_eigenfaces_params ep = pr_eigenfaces_params_default();
    pr_eigen_album_params p;
    p.width = ep.width;
    p.height = ep.height;
    p.equalize = ep.equalize;
    p.components = 20;
    p.min_rows = 3;
    return p;
}

pr_status pr_eigen_album(const pr_eigen_album_params *params,
                                  const uint8_t *const *crops, int n,
                                  const pr_eigenfaces *model, pr_person **persons,
                                  pr_eigenfaces **model_out)
{
    if (model_out)
        *model_out = NULL;
    if (!params || n < 0 || (n > 0 && (!crops || !persons)))
        return pr_set_error(PR_ERR_ARG, "pr_eigen_album: bad arguments");
    pr_eigenfaces_params ep = model ? pr_eigenfaces_model_params(model)
                                    : pr_eigenfaces_params_default();
    if (!model) {
        ep.width = params->width;
        ep.height = params->height;
        ep.equalize = params->equalize;
    } else if (ep.width != params->width || ep.height != params->height) {
        return pr_set_error(PR_ERR_ARG, "eigenface model is %d x %d, the crops %d x %d", ep.width,
                            ep.height, params->width, params->height);
    }
    int dim = ep.width * ep.height, nr = 0;
    for (int i = 0; i < n; i++)
        nr += crops[i] != NULL && persons[i] != NULL;
    pr_eigenfaces *learnt = NULL;
    float *rows = NULL;
    pr_status st = PR_OK;
    if (nr == 0 || (!model && (nr < params->min_rows || nr < 2)))
        return PR_OK; /* too few faces for a face space: no eigen cue */
    if (!(rows = pr_malloc_array((size_t)nr * dim, sizeof *rows)))
        return pr_set_error(PR_ERR_NOMEM, "out of memory for %d face crops", nr);
    for (int i = 0, r = 0; i < n; i++)
        if (crops[i] && persons[i]) {
            for (int k = 0; k < dim; k++)
                rows[(size_t)r * dim + k] = crops[i][k] / 255.0f;
            r++;
        }
    if (!model) {
        ep.components = params->components < nr - 1 ? params->components : nr - 1;
        if ((st = pr_eigenfaces_train(&ep, rows, nr, dim, &learnt)) != PR_OK)
            goto done;
        model = learnt;
    }
    int kc = pr_eigenfaces_components(model);
    for (int i = 0, r = 0; i < n; i++) {
        if (!crops[i] || !persons[i])
            continue;
        pr_person *p = persons[i];
        pr_free(p->eigen);
        p->n_eigen = 0;
        if (!(p->eigen = pr_malloc_array((size_t)(kc > 0 ? kc : 1), sizeof(float)))) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory for eigenface coefficients");
            goto done;
        }
        if ((st = pr_eigenfaces_project(model, rows + (size_t)r * dim, p->eigen)) != PR_OK)
            goto done;
        p->n_eigen = kc;
        r++;
    }
    if (model_out) {
        *model_out = learnt;
        learnt = NULL;
    }
done:
    pr_eigenfaces_delete(learnt);
    pr_free(rows);
    return st;
}


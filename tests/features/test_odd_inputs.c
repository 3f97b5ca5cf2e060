/* Person records from odd inputs: photos of 1x1 and 1xN pixels, grey photos, faces partly or
 * wholly outside the photo, 1x1 and sub-pixel faces, NaN / infinite / huge boxes (no cue, never
 * a crash or a float->int conversion of NaN), and corrupted blobs (refused or parsed, never a
 * crash). Best run under the ASan build. */
#include "features/context.h"
#include "features/person.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "tests/test.h"

static pr_image *noise(int w, int h, int c)
{
    pr_image *img = NULL;
    if (pr_image_new(w, h, c, &img) != PR_OK)
        return NULL;
    pr_rng rng;
    pr_rng_seed(&rng, 3);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w * c; x++)
            pr_image_row(img, y)[x] = (uint8_t)pr_rng_below(&rng, 256);
    return img;
}

/* Extracts, round-trips every record; returns the extraction status. */
static pr_status extract(const pr_image *img, const pr_box *faces, int n, int segment)
{
    pr_person_params pp = pr_person_params_default();
    pp.body_segment = segment;
    pr_person *out[8] = {NULL};
    pr_status st = pr_person_extract_photo(img, faces, n, NULL, 0, &pp, NULL, out);
    for (int i = 0; i < n; i++) {
        PR_CHECK(st == PR_OK ? out[i] != NULL : out[i] == NULL);
        if (!out[i])
            continue;
        uint8_t *b = NULL;
        size_t sz = 0;
        PR_CHECK_OK(pr_person_serialize(out[i], &b, &sz));
        pr_person *q = NULL;
        if (b)
            PR_CHECK_OK(pr_person_deserialize(b, sz, &q));
        pr_person_delete(q);
        pr_free(b);
        pr_person_delete(out[i]);
    }
    return st;
}

int main(void)
{
    const int sizes[][2] = {{1, 1}, {2, 2}, {1, 50}, {50, 1}, {7, 5}, {64, 48}};
    for (size_t s = 0; s < sizeof sizes / sizeof *sizes; s++)
        for (int c = 1; c <= 3; c += 2) {
            const int w = sizes[s][0], h = sizes[s][1];
            pr_image *img = noise(w, h, c);
            PR_CHECK(img != NULL);
            if (!img)
                continue;
            pr_box faces[8] = {{0, 0, 1, 1},           {-10, -10, 20, 20},
                               {w - 5.0, h - 5.0, 40, 40}, {w * 0.4, h * 0.4, w * 0.2, h * 0.2},
                               {w + 10.0, h + 10.0, 5, 5}, {0.5, 0.5, 0.2, 0.2},
                               {0, 0, w, h},           {-1e6, -1e6, 2e6, 2e6}};
            for (int segment = 0; segment < 2; segment++) {
                PR_CHECK_MSG(extract(img, faces, 8, segment) == PR_OK, "%dx%dx%d: %s", w, h, c,
                             pr_last_error());
                for (int i = 0; i < 8; i++)
                    PR_CHECK_MSG(extract(img, &faces[i], 1, segment) == PR_OK, "%dx%dx%d face %d",
                                 w, h, c, i);
            }
            pr_image_delete(img);
        }

    /* Non-finite and huge boxes: the prior-box path gives records without cues; the segmenting
     * path may refuse the photo (PR_ERR_ARG) but never crashes. */
    pr_image *img = noise(100, 80, 3);
    PR_CHECK(img != NULL);
    if (!img)
        return pr_test_finish();
    const pr_box bad[] = {{NAN, 10, 20, 20},     {10, 10, NAN, NAN},       {INFINITY, 0, 10, 10},
                          {1e300, 1e300, 1e300, 1e300}, {0, 0, INFINITY, INFINITY},
                          {-1e12, 0, 2e12, 10},  {-INFINITY, -INFINITY, INFINITY, INFINITY}};
    const int nb = (int)(sizeof bad / sizeof *bad);
    for (int i = 0; i < nb; i++) {
        PR_CHECK_EQ_INT(extract(img, &bad[i], 1, 0), PR_OK);
        pr_status st = extract(img, &bad[i], 1, 1);
        PR_CHECK(st == PR_OK || st == PR_ERR_ARG);
        pr_color_hist hist;
        PR_CHECK_OK(pr_color_hist_compute(img, bad[i], NULL, 0, NULL, &hist));
        pr_sift_set *sift = NULL;
        PR_CHECK_OK(pr_sift_extract(img, bad[i], NULL, 0, NULL, &sift));
        pr_sift_set_delete(sift);
        PR_CHECK_OK(pr_background_hist_masks(img, &bad[i], 1, NULL, NULL, 0, NULL, &hist));
        pr_eigenfaces_params ep = pr_eigenfaces_params_default();
        ep.width = ep.height = 16;
        float row[256];
        pr_status es = pr_eigenfaces_preprocess(img, &bad[i], &ep, row);
        PR_CHECK(es == PR_OK || es == PR_ERR_ARG);
    }
    {
        pr_person_params pp = pr_person_params_default();
        pp.body_segment = 0;
        pr_person *p = NULL;
        PR_CHECK_OK(pr_person_extract_photo(img, &bad[0], 1, NULL, 0, &pp, NULL, &p));
        if (p) {
            PR_CHECK_EQ_INT(p->body_hist.n, 0);
            PR_CHECK_EQ_INT(p->band_hist.n, 0);
            PR_CHECK_EQ_INT(p->sift_face->count, 0);
            PR_CHECK(p->background.n > 0);
        }
        pr_person_delete(p);
    }

    /* Corrupted blobs: every truncation is refused; random byte changes never crash. */
    pr_box faces[2] = {{20, 10, 24, 24}, {60, 10, 24, 24}};
    pr_person_params pp = pr_person_params_default();
    pr_person *people[2] = {NULL, NULL};
    PR_CHECK_OK(pr_person_extract_photo(img, faces, 2, NULL, 0, &pp, NULL, people));
    uint8_t *blob = NULL;
    size_t size = 0;
    if (people[0])
        PR_CHECK_OK(pr_person_serialize(people[0], &blob, &size));
    if (blob) {
        uint8_t *copy = (uint8_t *)pr_malloc(size);
        int refused = 0;
        for (size_t t = 0; t < size; t += t < 600 ? 1 : 97) {
            pr_person *q = NULL;
            memcpy(copy, blob, t);
            refused += pr_person_deserialize(copy, t, &q) != PR_OK;
            pr_person_delete(q);
        }
        int tried = 0;
        for (size_t t = 0; t < size; t += t < 600 ? 1 : 97)
            tried++;
        PR_CHECK_EQ_INT(refused, tried);
        pr_rng rng;
        pr_rng_seed(&rng, 11);
        for (int it = 0; it < 3000; it++) {
            memcpy(copy, blob, size);
            for (int k = 0; k < 3; k++) {
                size_t pos = (size_t)pr_rng_below(&rng, size < 400 ? size : 400);
                if (pr_rng_below(&rng, 4) == 0)
                    pos = (size_t)pr_rng_below(&rng, size);
                copy[pos] = (uint8_t)pr_rng_below(&rng, 256);
            }
            pr_person *q = NULL;
            pr_status st = pr_person_deserialize(copy, size, &q);
            PR_CHECK(st == PR_OK ? q != NULL : q == NULL);
            pr_person_delete(q);
        }
        pr_free(copy);
        pr_free(blob);
    }
    pr_person_delete(people[0]);
    pr_person_delete(people[1]);
    pr_image_delete(img);
    return pr_test_finish();
}

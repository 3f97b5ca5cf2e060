#include "features/person.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "tests/test.h"

/* Two "people": skin-toned squares with dark eyes over a red and a blue noisy shirt. */
static pr_image *two_people(void)
{
    pr_image *img = NULL;
    if (pr_image_new(320, 240, 3, &img) != PR_OK)
        return NULL;
    pr_rng rng;
    pr_rng_seed(&rng, 7);
    for (int y = 0; y < 240; y++)
        for (int x = 0; x < 320; x++) {
            uint8_t *p = pr_image_row(img, y) + 3 * x;
            int n = (int)pr_rng_below(&rng, 40);
            p[0] = (uint8_t)(60 + n);
            p[1] = (uint8_t)(140 + n);
            p[2] = (uint8_t)(60 + n); /* green background */
            for (int k = 0; k < 2; k++) {
                int fx = 50 + 160 * k, fy = 40;
                if (x >= fx && x < fx + 40 && y >= fy && y < fy + 40) {
                    int eye = y > fy + 12 && y < fy + 18 &&
                              ((x > fx + 8 && x < fx + 16) || (x > fx + 24 && x < fx + 32));
                    p[0] = eye ? 30 : (uint8_t)(200 + n / 4);
                    p[1] = eye ? 30 : (uint8_t)(150 + n / 4);
                    p[2] = eye ? 30 : (uint8_t)(120 + n / 4);
                }
                if (x >= fx - 40 && x < fx + 80 && y >= fy + 40) {
                    p[0] = k == 0 ? (uint8_t)(180 + n) : (uint8_t)(20 + n);
                    p[1] = (uint8_t)(20 + n);
                    p[2] = k == 0 ? (uint8_t)(20 + n) : (uint8_t)(180 + n);
                }
            }
        }
    return img;
}

int main(void)
{
    pr_image *img = two_people();
    PR_CHECK(img != NULL);
    if (!img)
        return pr_test_finish();
    pr_box faces[3] = {{50, 40, 40, 40}, {210, 40, 40, 40}, {400, 400, 30, 30} /* off-image */};
    /* A tiny eigenface model from both faces and their shifted copies, so coefficients exist. */
    pr_eigenfaces_params ep = pr_eigenfaces_params_default();
    ep.width = ep.height = 16;
    float rows[4 * 256];
    pr_box train[4] = {{50, 40, 40, 40}, {210, 40, 40, 40}, {52, 42, 40, 40}, {205, 38, 40, 40}};
    for (int i = 0; i < 4; i++)
        PR_CHECK_OK(pr_eigenfaces_preprocess(img, &train[i], &ep, rows + 256 * i));
    pr_eigenfaces *model = NULL;
    PR_CHECK_OK(pr_eigenfaces_train(&ep, rows, 4, 256, &model));

    pr_person_params pp = pr_person_params_default();
    pp.body_segment = 0; /* the prior box (masks: test_features_body_mask) */
    pr_person *people[3] = {NULL, NULL, NULL};
    PR_CHECK_OK(pr_person_extract_photo(img, faces, 3, NULL, 0, &pp, model, people));
    if (people[0] && people[1] && people[2]) {
        pr_person *a = people[0], *b = people[1], *c = people[2];
        PR_CHECK(a->body_hist.n > 0 && b->body_hist.n > 0);
        PR_CHECK(pr_color_hist_distance(&a->body_hist, &b->body_hist, PR_HIST_CHI2) > 0.8);
        PR_CHECK(pr_color_hist_distance(&a->band_hist, &b->band_hist, PR_HIST_CHI2) < 0.3);
        PR_CHECK(a->background.n > 0);
        PR_CHECK(a->n_eigen == pr_eigenfaces_components(model) && a->n_eigen > 0);
        PR_CHECK_EQ_INT(a->n_others, 2);
        PR_CHECK(a->sift_face && a->sift_body);
        /* The off-image face: every cue "no cue", no crash. */
        PR_CHECK_EQ_INT(c->body_hist.n, 0);
        PR_CHECK_EQ_INT(c->sift_face->count, 0);
        PR_CHECK_EQ_INT(c->n_eigen, 0);
        /* prior box (segment/body.h): 3 widths centred, from 1.1 face heights below the face's
         * top, 4 heights tall, clipped at the photo's bottom (y 84 + 156 = 240) */
        PR_CHECK_NEAR(a->body.x, 10, 1e-9);
        PR_CHECK_NEAR(a->body.y, 84, 1e-9);
        PR_CHECK_NEAR(a->body.w, 120, 1e-9);
        PR_CHECK_NEAR(a->body.h, 156, 1e-9);

        /* Round trip through the binary record. */
        uint8_t *blob = NULL;
        size_t size = 0;
        PR_CHECK_OK(pr_person_serialize(a, &blob, &size));
        pr_person *r = NULL;
        PR_CHECK_OK(pr_person_deserialize(blob, size, &r));
        if (r) {
            PR_CHECK_NEAR(r->face.x, a->face.x, 0.0);
            PR_CHECK_NEAR(r->body.h, a->body.h, 0.0);
            PR_CHECK_EQ_INT(r->body_hist.n, a->body_hist.n);
            PR_CHECK(memcmp(r->body_hist.h, a->body_hist.h, sizeof(float) * a->body_hist.n) == 0);
            PR_CHECK_EQ_INT(r->sift_body->count, a->sift_body->count);
            if (a->sift_body->count > 0)
                PR_CHECK(memcmp(r->sift_body->desc, a->sift_body->desc,
                                sizeof(float) * PR_SIFT_DIM * a->sift_body->count) == 0);
            PR_CHECK_EQ_INT(r->n_eigen, a->n_eigen);
            PR_CHECK_EQ_INT(r->n_others, 2);
            PR_CHECK_EQ_INT(r->others[1], 2);
            PR_CHECK(isnan(r->time));
            uint8_t *blob2 = NULL;
            size_t size2 = 0;
            PR_CHECK_OK(pr_person_serialize(r, &blob2, &size2));
            PR_CHECK(size2 == size && memcmp(blob, blob2, size) == 0);
            pr_free(blob2);
        }
        pr_person_delete(r);
        /* Every truncation and a bad version are refused cleanly. */
        int refused = 0;
        for (size_t cut = 0; cut < size; cut += (size < 400 ? 1 : size / 397)) {
            pr_person *t = NULL;
            refused += pr_person_deserialize(blob, cut, &t) == PR_ERR_FORMAT && t == NULL;
            pr_person_delete(t);
        }
        PR_CHECK(refused > 0);
        int tried = 0;
        for (size_t cut = 0; cut < size; cut += (size < 400 ? 1 : size / 397))
            tried++;
        PR_CHECK_EQ_INT(refused, tried);
        blob[4] = 9;
        pr_person *t = NULL;
        PR_CHECK(pr_person_deserialize(blob, size, &t) == PR_ERR_FORMAT && t == NULL);
        pr_free(blob);
    }
    for (int i = 0; i < 3; i++)
        pr_person_delete(people[i]);

    /* Allocation failures: PR_ERR_NOMEM and nothing left allocated, with prior boxes and with
     * masks from segmentation. Allocation k fails, k = 1, 2, ... until the first run that
     * succeeds, so every allocation of the extraction fails once. */
    for (int seg = 0; seg < 2; seg++) {
        pp.body_segment = seg;
        pr_status st = PR_ERR_NOMEM;
        long runs = 0;
        for (long k = 1; st != PR_OK && k <= 100000; k++, runs++) {
            pr_person *q[2] = {NULL, NULL};
            pr_alloc_fail_at(k);
            st = pr_person_extract_photo(img, faces, 2, NULL, 0, &pp, model, q);
            pr_alloc_fail_at(0);
            PR_CHECK_MSG(st == PR_OK || (st == PR_ERR_NOMEM && !q[0] && !q[1]),
                         "body_segment %d, allocation %ld: %s", seg, k, pr_status_name(st));
            pr_person_delete(q[0]);
            pr_person_delete(q[1]);
        }
        PR_CHECK_EQ_INT(st, PR_OK);
        PR_CHECK(runs > 1);
        fprintf(stderr, "person (body_segment %d): %ld allocation failures before the first "
                        "success\n", seg, runs - 1);
    }
    pr_eigenfaces_delete(model);
    pr_image_delete(img);
    return pr_test_finish();
}

/* Body masks on synthetic photos: the mask covers the shirt below the face and not the background
 * or the face; two people side by side get disjoint masks; a face at the bottom edge and a face
 * whose shirt matches the background still get sane masks; parameters are checked. */
#include "segment/body.h"

#include "core/rng.h"
#include "tests/test.h"

#include <stdint.h>
#include <stdlib.h>

static void fill(pr_image *img, int x0, int y0, int w, int h, int r, int g, int b)
{
    for (int y = y0; y < y0 + h && y < img->height; y++)
        for (int x = x0; x < x0 + w && x < img->width; x++) {
            if (x < 0 || y < 0)
                continue;
            uint8_t *p = pr_image_row(img, y) + 3 * x;
            p[0] = (uint8_t)r;
            p[1] = (uint8_t)g;
            p[2] = (uint8_t)b;
        }
}

static void noise(pr_image *img, pr_rng *rng, int amp)
{
    for (int y = 0; y < img->height; y++)
        for (int x = 0; x < img->width * 3; x++) {
            uint8_t *p = pr_image_row(img, y) + x;
            int v = *p + (int)pr_rng_below(rng, (uint64_t)(2 * amp + 1)) - amp;
            *p = (uint8_t)(v < 0 ? 0 : v > 255 ? 255 : v);
        }
}

/* Fraction of the mask inside the rectangle, and the fraction of the rectangle covered. */
static void overlap(const pr_image *m, int x0, int y0, int w, int h, double *precision,
                    double *coverage)
{
    long in = 0, all = 0, rect = 0;
    for (int y = 0; y < m->height; y++)
        for (int x = 0; x < m->width; x++) {
            const int inside = x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
            rect += inside;
            if (pr_image_row(m, y)[x]) {
                all++;
                in += inside;
            }
        }
    *precision = all ? (double)in / all : 0;
    *coverage = rect ? (double)in / rect : 0;
}

static int mask_at(const pr_image *m, int x, int y)
{
    return pr_image_row(m, y)[x] != 0;
}

int main(void)
{
    pr_rng rng;
    pr_rng_seed(&rng, 5);
    /* One person: blue-grey wall, skin face 40x50 at (180,60), red shirt 110 wide below it. */
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_new(400, 360, 3, &img));
    fill(img, 0, 0, 400, 360, 120, 130, 150);
    fill(img, 145, 118, 110, 242, 200, 30, 40);
    fill(img, 180, 60, 40, 50, 220, 180, 150);
    noise(img, &rng, 6);
    pr_box face = {180, 60, 40, 50};
    pr_image *mask = NULL;
    PR_CHECK_OK(pr_body_masks(img, &face, 1, NULL, &mask));
    PR_CHECK(mask && mask->width == 400 && mask->height == 360 && mask->channels == 1);
    double prec = 0, cov = 0;
    overlap(mask, 145, 118, 110, 242, &prec, &cov);
    fprintf(stderr, "one person: precision %.3f coverage %.3f area %zu\n", prec, cov,
            pr_mask_area(mask));
    PR_CHECK(prec > 0.9);
    PR_CHECK(cov > 0.5);
    PR_CHECK(!mask_at(mask, 200, 80)); /* face */
    PR_CHECK(!mask_at(mask, 20, 300)); /* wall */
    pr_box prior = pr_body_prior(face, 400, 360, NULL);
    PR_CHECK_NEAR(prior.x, 140, 1e-9);
    PR_CHECK_NEAR(prior.w, 120, 1e-9);
    PR_CHECK_NEAR(prior.y, 115, 1e-9);
    PR_CHECK_NEAR(prior.h, 200, 1e-9);
    pr_image_delete(mask);

    /* The same face at the bottom edge: the prior is clipped; the mask stays inside the photo and
     * below the face. */
    pr_box low = {180, 330, 40, 50};
    PR_CHECK_OK(pr_body_masks(img, &low, 1, NULL, &mask));
    PR_CHECK(mask != NULL);
    if (mask)
        for (int y = 0; y < 330 + 55; y++)
            if (y < mask->height)
                for (int x = 0; x < 400; x++)
                    PR_CHECK(!mask_at(mask, x, y) || y >= 330 + 50);
    pr_image_delete(mask);
    /* Wholly outside: empty mask, no error. */
    pr_box out = {180, 400, 40, 50};
    PR_CHECK_OK(pr_body_masks(img, &out, 1, NULL, &mask));
    PR_CHECK(mask && pr_mask_area(mask) == 0);
    pr_image_delete(mask);

    /* A shirt the colour of the wall: no segment is mostly inside the prior, so the chest box. */
    pr_image *plain = NULL;
    PR_CHECK_OK(pr_image_new(400, 360, 3, &plain));
    fill(plain, 0, 0, 400, 360, 120, 130, 150);
    fill(plain, 180, 60, 40, 50, 220, 180, 150);
    PR_CHECK_OK(pr_body_masks(plain, &face, 1, NULL, &mask));
    PR_CHECK(mask && pr_mask_area(mask) > 0);
    PR_CHECK(mask && mask_at(mask, 200, 60 + 75));
    pr_image_delete(mask);
    pr_image_delete(plain);
    pr_image_delete(img);

    /* Two people side by side whose priors overlap: disjoint masks, each on its own shirt. */
    PR_CHECK_OK(pr_image_new(400, 300, 3, &img));
    fill(img, 0, 0, 400, 300, 90, 140, 90);
    fill(img, 90, 110, 100, 190, 200, 40, 40);
    fill(img, 210, 110, 100, 190, 40, 40, 200);
    fill(img, 120, 50, 40, 50, 220, 180, 150);
    fill(img, 240, 50, 40, 50, 220, 180, 150);
    noise(img, &rng, 5);
    pr_box two[2] = {{120, 50, 40, 50}, {240, 50, 40, 50}};
    pr_image *m2[2] = {NULL, NULL};
    PR_CHECK_OK(pr_body_masks(img, two, 2, NULL, m2));
    long both = 0;
    for (int y = 0; y < 300; y++)
        for (int x = 0; x < 400; x++)
            both += mask_at(m2[0], x, y) && mask_at(m2[1], x, y);
    PR_CHECK_EQ_INT(both, 0);
    long on_faces = 0;
    for (int k = 0; k < 2; k++)
        for (int f = 0; f < 2; f++)
            for (int y = (int)two[f].y; y < (int)(two[f].y + two[f].h); y++)
                for (int x = (int)two[f].x; x < (int)(two[f].x + two[f].w); x++)
                    on_faces += mask_at(m2[k], x, y);
    PR_CHECK_EQ_INT(on_faces, 0);
    overlap(m2[0], 90, 110, 100, 190, &prec, &cov);
    PR_CHECK(prec > 0.9 && cov > 0.4);
    overlap(m2[1], 210, 110, 100, 190, &prec, &cov);
    PR_CHECK(prec > 0.9 && cov > 0.4);
    pr_image_delete(m2[0]);
    pr_image_delete(m2[1]);

    /* Parameters and arguments. */
    pr_body_params p = pr_body_params_default();
    p.inside = 1.5;
    PR_CHECK_EQ_INT(pr_body_masks(img, two, 2, &p, m2), PR_ERR_ARG);
    PR_CHECK(m2[0] == NULL && m2[1] == NULL);
    p = pr_body_params_default();
    p.fh.k = -1;
    PR_CHECK_EQ_INT(pr_body_params_check(&p), PR_ERR_ARG);
    pr_box bad = {10, 10, 0, 20};
    PR_CHECK_EQ_INT(pr_body_masks(img, &bad, 1, NULL, m2), PR_ERR_ARG);
    PR_CHECK_OK(pr_body_masks(img, NULL, 0, NULL, NULL));
    pr_image_delete(img);
    return pr_test_finish();
}

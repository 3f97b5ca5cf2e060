/* Body masks from segmentation in the person record: a solid-colour shirt below a face on a
 * different-coloured background gets a mask on the shirt, and the record made with the mask
 * differs from the prior-box record (whose box also takes in the background). */
#include "features/body.h"
#include "features/person.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "tests/test.h"

enum { W = 320, H = 300 };
/* Face 40x40 at (140, 40); red shirt x 115..205, y 84..260; light blue background. */
static const int SX0 = 115, SX1 = 205, SY0 = 84, SY1 = 260;

static pr_image *shirt_photo(void)
{
    pr_image *img = NULL;
    if (pr_image_new(W, H, 3, &img) != PR_OK)
        return NULL;
    pr_rng rng;
    pr_rng_seed(&rng, 11);
    for (int y = 0; y < H; y++)
        for (int x = 0; x < W; x++) {
            uint8_t *p = pr_image_row(img, y) + 3 * x;
            int n = (int)pr_rng_below(&rng, 8);
            p[0] = (uint8_t)(150 + n);
            p[1] = (uint8_t)(190 + n);
            p[2] = (uint8_t)(230 + n);
            if (x >= 140 && x < 180 && y >= 40 && y < 80) {
                p[0] = (uint8_t)(210 + n);
                p[1] = (uint8_t)(160 + n);
                p[2] = (uint8_t)(130 + n);
            } else if (x >= SX0 && x < SX1 && y >= SY0 && y < SY1) {
                p[0] = (uint8_t)(190 + n);
                p[1] = (uint8_t)(25 + n);
                p[2] = (uint8_t)(30 + n);
            }
        }
    return img;
}

int main(void)
{
    pr_image *img = shirt_photo();
    PR_CHECK(img != NULL);
    if (!img)
        return pr_test_finish();
    pr_box face = {140, 40, 40, 40};

    /* One geometry: the features prior is segment/body.h's, starting 1.1 face heights below the
     * face's top (y = 84), 3 x 4 face sizes, centred. */
    pr_box fp = pr_body_prior_box(face, W, H, NULL), sp = pr_body_prior(face, W, H, NULL);
    PR_CHECK(fp.x == sp.x && fp.y == sp.y && fp.w == sp.w && fp.h == sp.h);
    PR_CHECK_NEAR(sp.y, 84.0, 1e-9);
    PR_CHECK_NEAR(sp.x, 100.0, 1e-9);
    PR_CHECK_NEAR(sp.w, 120.0, 1e-9);
    PR_CHECK_NEAR(sp.h, 160.0, 1e-9);

    /* The mask lies on the shirt: most of it is shirt, and it covers most of the shirt inside the
     * prior (which starts 1.1 face heights below the face's top, y = 84, and is 4 tall). */
    pr_image *mask = NULL;
    PR_CHECK_OK(pr_body_segment_masks(img, &face, 1, &mask));
    long on = 0, off = 0, shirt = 0;
    for (int y = 0; mask && y < H; y++)
        for (int x = 0; x < W; x++) {
            int in_shirt = x >= SX0 && x < SX1 && y >= SY0 && y < SY1;
            int m = pr_image_row(mask, y)[x] != 0;
            on += m && in_shirt;
            off += m && !in_shirt;
            shirt += in_shirt;
        }
    PR_CHECK(on > 0.8 * (double)shirt);
    PR_CHECK(off < 0.05 * (double)(on + off));
    double area = 0;
    pr_box bounds = mask ? pr_mask_bounds(mask->data, mask->stride, W, H, &area) : (pr_box){0};
    PR_CHECK_NEAR(area, (double)(on + off), 0.0);
    PR_CHECK(bounds.x >= SX0 - 3 && bounds.x + bounds.w <= SX1 + 3);

    /* Records: segmentation (default params with body_segment), the caller's mask, the prior. */
    pr_person_params pp = pr_person_params_default();
    pp.sift = 1;
    pr_person *seg = NULL, *given = NULL, *prior = NULL;
    pp.body_segment = 1;
    PR_CHECK_OK(pr_person_extract_photo(img, &face, 1, NULL, 0, &pp, NULL, &seg));
    const uint8_t *mp[1] = {mask ? mask->data : NULL};
    PR_CHECK_OK(pr_person_extract_photo(img, &face, 1, mp, mask ? mask->stride : 0, &pp, NULL,
                                        &given));
    pp.body_segment = 0;
    PR_CHECK_OK(pr_person_extract_photo(img, &face, 1, NULL, 0, &pp, NULL, &prior));
    if (seg && given && prior) {
        PR_CHECK_EQ_INT(seg->body_from_mask, 1);
        PR_CHECK_EQ_INT(prior->body_from_mask, 0);
        PR_CHECK_NEAR(seg->body_area, area, 0.0);
        PR_CHECK_NEAR(prior->body_area, 120.0 * 160.0, 1e-9);
        /* Segmentation inside the record = the same mask given by the caller. */
        PR_CHECK_NEAR(pr_color_hist_distance(&seg->body_hist, &given->body_hist, PR_HIST_CHI2),
                      0.0, 0.0);
        /* The mask's histogram is the shirt's; the prior box's is shirt plus background. */
        pr_color_hist red;
        pr_box shirt_box = {SX0 + 2, SY0 + 2, SX1 - SX0 - 4, 100};
        PR_CHECK_OK(pr_color_hist_compute(img, shirt_box, NULL, 0, &pp.body_hist, &red));
        double d_seg = pr_color_hist_distance(&seg->body_hist, &red, PR_HIST_CHI2);
        double d_prior = pr_color_hist_distance(&prior->body_hist, &red, PR_HIST_CHI2);
        PR_CHECK(d_seg < 0.05);
        /* The prior (x 100..220 over a shirt at 115..205) is a quarter background: measured
         * d_prior 0.143 against d_seg 0.016. */
        PR_CHECK(d_prior > 0.1);
        PR_CHECK(d_prior > 5 * d_seg);
        PR_CHECK(pr_color_hist_distance(&seg->body_hist, &prior->body_hist, PR_HIST_CHI2) > 0.07);
        /* Records differ as bytes too. */
        uint8_t *a = NULL, *b = NULL;
        size_t na = 0, nb = 0;
        PR_CHECK_OK(pr_person_serialize(seg, &a, &na));
        PR_CHECK_OK(pr_person_serialize(prior, &b, &nb));
        PR_CHECK(a && b && (na != nb || memcmp(a, b, na) != 0));
        pr_free(a);
        pr_free(b);
        /* The background is outside the mask and the prior box: no red in it. */
        PR_CHECK(pr_color_hist_distance(&seg->background, &red, PR_HIST_CHI2) > 0.9);
    }
    pr_person_delete(seg);
    pr_person_delete(given);
    pr_person_delete(prior);
    pr_image_delete(mask);
    pr_image_delete(img);
    return pr_test_finish();
}

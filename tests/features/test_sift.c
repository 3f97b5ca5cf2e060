#include "features/sift.h"

#include "core/alloc.h"
#include "core/rng.h"
#include "tests/test.h"

/* A textured grey scene: random discs and rectangles, then a small box blur. */
static pr_image *scene(uint64_t seed, int size)
{
    pr_image *img = NULL;
    if (pr_image_new(size, size, 1, &img) != PR_OK)
        return NULL;
    pr_rng rng;
    pr_rng_seed(&rng, seed);
    for (int y = 0; y < size; y++)
        memset(pr_image_row(img, y), 110, (size_t)size);
    for (int k = 0; k < 60; k++) {
        int cx = (int)pr_rng_below(&rng, (uint64_t)size), cy = (int)pr_rng_below(&rng, (uint64_t)size);
        int r = 4 + (int)pr_rng_below(&rng, 18);
        uint8_t v = (uint8_t)pr_rng_below(&rng, 256);
        int disc = (int)pr_rng_below(&rng, 2);
        for (int y = cy - r; y <= cy + r; y++)
            for (int x = cx - r; x <= cx + r; x++)
                if (x >= 0 && y >= 0 && x < size && y < size &&
                    (!disc || (x - cx) * (x - cx) + (y - cy) * (y - cy) <= r * r))
                    pr_image_row(img, y)[x] = v;
    }
    pr_image *out = NULL;
    if (pr_image_clone(img, &out) == PR_OK)
        for (int y = 1; y < size - 1; y++)
            for (int x = 1; x < size - 1; x++) {
                int s = 0;
                for (int dy = -1; dy <= 1; dy++)
                    for (int dx = -1; dx <= 1; dx++)
                        s += pr_image_row(img, y + dy)[x + dx];
                pr_image_row(out, y)[x] = (uint8_t)(s / 9);
            }
    pr_image_delete(img);
    return out;
}

/* src rotated by angle (radians) and scaled by s about its centre, bilinear, into a larger canvas
 * filled with mid grey. */
static pr_image *rotate_scale(const pr_image *src, double angle, double s, int size)
{
    pr_image *dst = NULL;
    if (pr_image_new(size, size, 1, &dst) != PR_OK)
        return NULL;
    double ca = cos(angle), sa = sin(angle);
    double cx = src->width / 2.0, cy = src->height / 2.0, dx0 = size / 2.0, dy0 = size / 2.0;
    for (int y = 0; y < size; y++)
        for (int x = 0; x < size; x++) {
            double u = x - dx0, v = y - dy0;
            double sx = (ca * u + sa * v) / s + cx, sy = (-sa * u + ca * v) / s + cy;
            int ix = (int)floor(sx), iy = (int)floor(sy);
            uint8_t val = 110;
            if (ix >= 0 && iy >= 0 && ix + 1 < src->width && iy + 1 < src->height) {
                double fx = sx - ix, fy = sy - iy;
                double a = pr_image_row(src, iy)[ix], b = pr_image_row(src, iy)[ix + 1];
                double c = pr_image_row(src, iy + 1)[ix], d = pr_image_row(src, iy + 1)[ix + 1];
                val = (uint8_t)lround((a * (1 - fx) + b * fx) * (1 - fy) + (c * (1 - fx) + d * fx) * fy);
            }
            pr_image_row(dst, y)[x] = val;
        }
    return dst;
}

int main(void)
{
    pr_image *a = scene(1, 200), *other = scene(2, 200);
    pr_image *rot = a ? rotate_scale(a, 0.5, 0.8, 240) : NULL; /* ~29 degrees, 80 % size */
    PR_CHECK(a && other && rot);
    if (!a || !other || !rot)
        return pr_test_finish();
    for (int root = 0; root <= 1; root++) {
        pr_sift_params p = pr_sift_params_default();
        p.target_size = 0; /* native scale: the test is about SIFT's own invariance */
        p.root_sift = root;
        pr_sift_set *sa = NULL, *sr = NULL, *so = NULL;
        pr_box all = {0, 0, 200, 200}, allr = {0, 0, 240, 240};
        PR_CHECK_OK(pr_sift_extract(a, all, NULL, 0, &p, &sa));
        PR_CHECK_OK(pr_sift_extract(rot, allr, NULL, 0, &p, &sr));
        PR_CHECK_OK(pr_sift_extract(other, all, NULL, 0, &p, &so));
        if (sa && sr && so) {
            PR_CHECK(sa->count > 30 && sr->count > 30 && so->count > 30);
            double self = pr_sift_similarity(sa, sa, p.ratio);
            double same = pr_sift_similarity(sa, sr, p.ratio);
            double diff = pr_sift_similarity(sa, so, p.ratio);
            fprintf(stderr, "root %d: counts %d %d %d; self %.3f rotated/scaled %.3f other %.3f\n",
                    root, sa->count, sr->count, so->count, self, same, diff);
            PR_CHECK_NEAR(self, 1.0, 1e-9);
            PR_CHECK_MSG(same > 0.3, "rotated/scaled copy similarity %.3f", same);
            PR_CHECK_MSG(same > 3 * diff, "same %.3f vs other %.3f", same, diff);
            PR_CHECK_NEAR(pr_sift_similarity(sa, sr, p.ratio), pr_sift_similarity(sr, sa, p.ratio),
                          1e-12);
            for (int i = 0; i < sa->count; i++) {
                double n2 = 0;
                for (int j = 0; j < PR_SIFT_DIM; j++)
                    n2 += sa->desc[i * PR_SIFT_DIM + j] * sa->desc[i * PR_SIFT_DIM + j];
                if (fabs(n2 - 1) > 1e-4) {
                    PR_CHECK_MSG(0, "descriptor %d norm^2 %g", i, n2);
                    break;
                }
            }
        }
        pr_sift_set_delete(sa);
        pr_sift_set_delete(sr);
        pr_sift_set_delete(so);
    }
    /* Mask: keypoints outside it are dropped (left half only -> every x < 100). */
    {
        uint8_t *mask = (uint8_t *)pr_calloc(200 * 200, 1);
        for (int y = 0; y < 200; y++)
            memset(mask + y * 200, 1, 100);
        pr_sift_params p = pr_sift_params_default();
        pr_sift_set *sm = NULL;
        pr_box all = {0, 0, 200, 200};
        PR_CHECK_OK(pr_sift_extract(a, all, mask, 200, &p, &sm));
        if (sm) {
            PR_CHECK(sm->count > 0);
            int outside = 0;
            for (int i = 0; i < sm->count; i++)
                outside += lround(sm->frames[i * 4]) >= 100;
            PR_CHECK_EQ_INT(outside, 0);
        }
        pr_sift_set_delete(sm);
        pr_free(mask);
    }
    /* Empty, tiny, flat regions: no cue (count 0, similarity NAN), never a crash. */
    {
        pr_sift_params p = pr_sift_params_default();
        pr_box boxes[3] = {{300, 300, 50, 50}, {10, 10, 5, 5}, {0, 0, 0, 0}};
        pr_sift_set *s0 = NULL, *sa = NULL;
        pr_box all = {0, 0, 200, 200};
        PR_CHECK_OK(pr_sift_extract(a, all, NULL, 0, &p, &sa));
        for (int k = 0; k < 3; k++) {
            PR_CHECK_OK(pr_sift_extract(a, boxes[k], NULL, 0, &p, &s0));
            PR_CHECK(s0 && s0->count == 0);
            PR_CHECK(isnan(pr_sift_similarity(s0, sa, p.ratio)));
            pr_sift_set_delete(s0);
            s0 = NULL;
        }
        pr_image *flat = NULL;
        pr_image_new(64, 64, 3, &flat);
        pr_box fb = {0, 0, 64, 64};
        PR_CHECK_OK(pr_sift_extract(flat, fb, NULL, 0, &p, &s0));
        PR_CHECK(s0 && s0->count == 0);
        pr_sift_set_delete(s0);
        pr_image_delete(flat);
        /* Allocation k fails, k = 1, 2, ... until the first run that succeeds: every allocation
         * of the extraction has failed once, and each failure gave PR_ERR_NOMEM and no set. */
        pr_status st = PR_ERR_NOMEM;
        long runs = 0;
        for (long k = 1; st != PR_OK && k <= 100000; k++, runs++) {
            pr_sift_set *t = NULL;
            pr_alloc_fail_at(k);
            st = pr_sift_extract(a, all, NULL, 0, &p, &t);
            pr_alloc_fail_at(0);
            PR_CHECK_MSG(st == PR_OK || (st == PR_ERR_NOMEM && t == NULL), "allocation %ld: %s", k,
                         pr_status_name(st));
            pr_sift_set_delete(t);
        }
        PR_CHECK_EQ_INT(st, PR_OK);
        PR_CHECK(runs > 1);
        fprintf(stderr, "sift: %ld allocation failures before the first success\n", runs - 1);
        pr_sift_set_delete(sa);
    }
    pr_image_delete(a);
    pr_image_delete(other);
    pr_image_delete(rot);
    return pr_test_finish();
}

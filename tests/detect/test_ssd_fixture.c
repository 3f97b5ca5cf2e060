/* Our SSD MobileNet v1 (nn/ssd.h) against face-api's own detections on real photos
 * (tests/nn/fixtures/faceapi_ssd.json, made by scripts/faceapi/make_detect_fixture.sh from the
 * same decoded pixels): the same number of faces in the same order, boxes within 0.5 px, scores
 * within 1e-4. With the argument "gpu" the net runs through nn/dispatch.h on the GPU (exit 77
 * without one); scores then within 1e-3 (cuBLAS sums in another order). */
#include "core/alloc.h"
#include "nn/ssd.h"
#include "tests/nn/models.h"
#include "tests/test.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static double score_tol = 1e-4;

static double num(json_t *o, const char *key) { return json_number_value(json_object_get(o, key)); }

static void check_photo(pr_ssd *ssd, const char *data, json_t *photo, double *worst_px,
                        double *worst_score, size_t *faces)
{
    const char *name = json_string_value(json_object_get(photo, "image"));
    json_t *dets = json_object_get(photo, "detections");
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", data, name);
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_load(path, &lp, &img, NULL));
    if (!img)
        return;
    PR_CHECK(img->width == (int)num(photo, "width") && img->height == (int)num(photo, "height"));
    pr_ssd_box *b = NULL;
    size_t n = 0;
    PR_CHECK_OK(pr_ssd_detect(ssd, img, &b, &n));
    PR_CHECK_MSG(n == json_array_size(dets), "%s: %zu faces, face-api %zu", name, n,
                 json_array_size(dets));
    for (size_t i = 0; i < n && i < json_array_size(dets); i++) {
        json_t *d = json_array_get(dets, i);
        double px = fmax(fmax(fabs(b[i].x - num(d, "x")), fabs(b[i].y - num(d, "y"))),
                         fmax(fabs(b[i].w - num(d, "w")), fabs(b[i].h - num(d, "h"))));
        double ds = fabs(b[i].score - num(d, "score"));
        PR_CHECK_MSG(px <= 0.5, "%s face %zu: box off by %.3g px", name, i, px);
        PR_CHECK_MSG(ds <= score_tol, "%s face %zu: score %.6f, face-api %.6f", name, i, b[i].score,
                     num(d, "score"));
        *worst_px = fmax(*worst_px, px);
        *worst_score = fmax(*worst_score, ds);
    }
    *faces += n;
    pr_free(b);
    pr_image_delete(img);
}

int main(int argc, char **argv)
{
    int gpu = argc > 1 && strcmp(argv[1], "gpu") == 0;
    const char *models = pr_test_models_dir();
    const char *data = pr_test_data_dir(NULL);
    json_error_t err;
    json_t *root = json_load_file(PR_SOURCE_DIR "/tests/nn/fixtures/faceapi_ssd.json", 0, &err);
    PR_CHECK_MSG(root != NULL, "fixture: %s", err.text);
    if (!root)
        return pr_test_finish();
    json_t *photos = json_object_get(root, "photos");
    PR_CHECK(json_array_size(photos) >= 10);
    pr_ssd_params p = pr_ssd_params_default();
    p.models_dir = models;
    pr_ssd *ssd = NULL;
    if (gpu) {
        p.device = PR_DEVICE_GPU;
        score_tol = 1e-3;
        pr_status st = pr_ssd_new(&p, &ssd);
        if (st == PR_ERR_UNSUPPORTED || st == PR_ERR_CUDA) {
            fprintf(stderr, "skipped: %s\n", pr_last_error());
            json_decref(root);
            return PR_TEST_SKIP;
        }
        PR_CHECK_OK(st);
    } else {
        PR_CHECK_OK(pr_ssd_new(&p, &ssd));
    }
    double worst_px = 0, worst_score = 0;
    size_t faces = 0;
    for (size_t i = 0; ssd && i < json_array_size(photos); i++)
        check_photo(ssd, data, json_array_get(photos, i), &worst_px, &worst_score, &faces);
    PR_CHECK(faces >= 20);
    fprintf(stderr, "%zu photos, %zu faces: boxes max |d| %.3g px, scores max |d| %.3g\n",
            json_array_size(photos), faces, worst_px, worst_score);
    pr_ssd_delete(ssd);
    json_decref(root);
    return pr_test_finish();
}

/* Our landmarks and descriptors against face-api's own on the album faces of
 * tests/nn/fixtures/faceapi_album.json (made by scripts/faceapi/make_fixture.sh): landmarks within
 * 0.01 px, descriptors within L2 1e-4, and the same aligned square. */
#include "core/alloc.h"
#include "features/face_descriptor.h"
#include "nn/faceapi.h"
#include "tests/nn/models.h"
#include "tests/test.h"

#include <jansson.h>
#include <math.h>
#include <string.h>

static double num(json_t *o, const char *key) { return json_number_value(json_object_get(o, key)); }

static void check_face(pr_face_net *net, const char *album, json_t *face, double *worst_lm,
                       double *worst_desc)
{
    const char *name = json_string_value(json_object_get(face, "image"));
    json_t *box = json_object_get(face, "box"), *al = json_object_get(face, "aligned");
    json_t *lmj = json_object_get(face, "landmarks"), *dj = json_object_get(face, "descriptor");
    char path[4400];
    snprintf(path, sizeof path, "%s/%s", album, name);
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_load(path, &lp, &img, NULL));
    if (!img)
        return;
    pr_box b = {num(box, "x"), num(box, "y"), num(box, "w"), num(box, "h")};
    float lm[136], d[128];
    PR_CHECK_OK(pr_face_net_describe(net, img, b, lm, d));
    double lm_err = 0, d2 = 0, pts[136];
    for (int i = 0; i < 68; i++)
        for (int k = 0; k < 2; k++) {
            double ref = json_number_value(json_array_get(json_array_get(lmj, (size_t)i), (size_t)k));
            lm_err = fmax(lm_err, fabs(lm[2 * i + k] - ref));
            pts[2 * i + k] = ref;
        }
    for (int i = 0; i < 128; i++) {
        double e = d[i] - json_number_value(json_array_get(dj, (size_t)i));
        d2 += e * e;
    }
    /* The square from face-api's own landmarks must be the one it cut. */
    json_t *crop = json_object_get(face, "crop");
    double sq[4];
    pr_faceapi_dlib_square(pts, (int)num(crop, "w"), (int)num(crop, "h"), sq);
    PR_CHECK_MSG(sq[0] == num(al, "x") && sq[1] == num(al, "y") && sq[2] == num(al, "w") &&
                 sq[3] == num(al, "h"), "%s: square %g %g %g %g", name, sq[0], sq[1], sq[2], sq[3]);
    PR_CHECK_MSG(lm_err <= 0.01, "%s (%s): landmarks off by %.3g px", name,
                 json_string_value(json_object_get(face, "kind")), lm_err);
    PR_CHECK_MSG(sqrt(d2) <= 1e-4, "%s (%s): descriptor L2 %.3g", name,
                 json_string_value(json_object_get(face, "kind")), sqrt(d2));
    *worst_lm = fmax(*worst_lm, lm_err);
    *worst_desc = fmax(*worst_desc, sqrt(d2));
    pr_image_delete(img);
}

int main(void)
{
    const char *models = pr_test_models_dir();
    const char *album = pr_test_data_dir("album");
    json_error_t err;
    json_t *root = json_load_file(PR_SOURCE_DIR "/tests/nn/fixtures/faceapi_album.json", 0, &err);
    PR_CHECK_MSG(root != NULL, "fixture: %s", err.text);
    if (!root)
        return pr_test_finish();
    json_t *faces = json_object_get(root, "faces");
    PR_CHECK(json_array_size(faces) >= 20);
    pr_face_net_params p = pr_face_net_params_default();
    p.models_dir = models;
    p.align = PR_FACE_ALIGN_DLIB_SQUARE; /* face-api's own chain, not the product's default */
    p.flip = 0;
    pr_face_net *net;
    PR_CHECK_OK(pr_face_net_new(&p, &net));
    double worst_lm = 0, worst_desc = 0;
    for (size_t i = 0; i < json_array_size(faces); i++)
        check_face(net, album, json_array_get(faces, i), &worst_lm, &worst_desc);
    fprintf(stderr, "%zu faces: landmarks max |d| %.3g px, descriptor max L2 %.3g\n",
            json_array_size(faces), worst_lm, worst_desc);
    pr_face_net_delete(net);
    json_decref(root);
    return pr_test_finish();
}

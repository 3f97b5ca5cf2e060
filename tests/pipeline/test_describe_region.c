/* describe's full-size pixels for the descriptor from a region decode (detail_region 1, the
 * default) against a second whole decode (detail_region 0): real album photos brought to phone
 * size (4032 px long side, JPEG q90, in the test's folder), so that the first decode is DCT-scaled
 * and every face needs the full-size pixels. Same faces, same boxes, the same grey crops byte for
 * byte, landmarks within 1e-3 px and descriptors within L2 1e-5 (the face-api parity bound of
 * tests/cli/test_cli_features.sh is 1e-4): the region decode gives the same pixels, only float
 * rounding of the shifted landmarks can differ. Photos: one centred face, two faces, a face near
 * the border, five faces spread over the photo.
 *
 * That the region path was taken is seen, not assumed: the test is linked with
 * -Wl,--wrap=pr_image_load_region (tests/pipeline/CMakeLists.txt), so describe's calls of it come
 * here first and are counted with the size of the part they decoded. With detail_region 1 every
 * photo with faces takes exactly one region decode, smaller than the photo (under half of it for
 * one face); with 0 none. */
#include "core/alloc.h"
#include "core/image.h"
#include "core/image_jpeg_region.h"
#include "pipeline/describe.h"
#include "tests/nn/models.h"
#include "tests/pipeline/region_spy.h"
#include "tests/test.h"

#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

static const char *const photos[] = {
    "album/lfw10x10/Tony_Blair/Tony_Blair_0001.jpg",
    "album/immich_testassets_faces/portrait.jpg",
    "album/face_recognition_knn/images/knn_examples/test/obama_and_biden.jpg",
    "album/face_recognition_knn/images/knn_examples/test/kit_with_rose.jpg",
    "album/face_recognition_knn/images/knn_examples/test/alex_lacamoire1.jpg",
    "album/faceapi_bbt/bbt1.jpg",
    "album/opencv4nodejs_walkingdead/face-recognition/daryl-rick.jpg",
};

static void region_reset(void)
{
    region_calls = region_decoded = 0;
    region_largest = 0;
}

/* The photo upscaled to a 4032 px long side, saved as JPEG (pr_image_save: quality 90). */
static int make_phone_size(const char *src, const char *dst)
{
    pr_image *img = NULL, *big = NULL;
    if (pr_image_load(src, NULL, &img, NULL) != PR_OK)
        return 0;
    double s = 4032.0 / (img->width > img->height ? img->width : img->height);
    int ok = pr_image_resize(img, (int)lround(img->width * s), (int)lround(img->height * s),
                             &big) == PR_OK &&
             pr_image_save(dst, big) == PR_OK;
    pr_image_delete(img);
    pr_image_delete(big);
    return ok;
}

int main(void)
{
    const char *models = pr_test_models_dir();
    char data[4096], src[8192], dst[64];
    snprintf(data, sizeof data, "%s", pr_test_data_dir("album"));
    data[strlen(data) - strlen("/album")] = '\0';

    pr_describe_params p = pr_describe_params_default();
    p.descriptor = 1;
    p.models_dir = models;
    p.detector.models_dir = models;
    p.detector.detector = PR_DETECTOR_NETWORK; /* the faces themselves do not matter here */
    pr_detector **det = NULL;
    pr_face_net **net = NULL;
    PR_CHECK_OK(pr_describe_detectors(&p, 1, &det));
    PR_CHECK_OK(pr_describe_nets(&p, 1, &net));
    if (!det || !net)
        return pr_test_finish();
    int faces = 0;
    for (size_t i = 0; i < sizeof photos / sizeof photos[0]; i++) {
        snprintf(src, sizeof src, "%s/%s", data, photos[i]);
        snprintf(dst, sizeof dst, "test_describe_region_%ld_%zu.jpg", (long)getpid(), i);
        if (access(src, R_OK) != 0)
            continue;
        PR_CHECK_MSG(make_phone_size(src, dst), "cannot write %s", dst);
        pr_described_photo a, b;
        p.detail_region = 1;
        region_reset();
        PR_CHECK_OK(pr_describe_photo(&p, det[0], net[0], dst, NULL, &a));
        long calls = region_calls, decoded = region_decoded;
        double largest = region_largest, whole = (double)a.width * a.height;
        p.detail_region = 0;
        region_reset();
        PR_CHECK_OK(pr_describe_photo(&p, det[0], net[0], dst, NULL, &b));
        remove(dst);
        PR_CHECK_MSG(a.skip_reason == NULL && b.skip_reason == NULL, "%s skipped", photos[i]);
        fprintf(stderr, "%s: %d faces, %ld region decode(s), largest part %.3f of the photo\n",
                photos[i], a.nfaces, decoded, largest / whole);
        PR_CHECK_MSG(region_calls == 0, "%s: detail_region 0 decoded a region", photos[i]);
        PR_CHECK_MSG(calls == (a.nfaces > 0) && decoded == calls,
                     "%s: %d faces, %ld region decode calls, %ld decoded", photos[i], a.nfaces,
                     calls, decoded);
        /* Measured: 0.05 to 0.68 of the photo here (0.22 at most for one face). */
        PR_CHECK_MSG(a.nfaces == 0 || largest < (a.nfaces == 1 ? 0.5 : 1.0) * whole,
                     "%s: the region (%.0f px) is not the faces' part of the photo (%.0f px)",
                     photos[i], largest, whole);
        PR_CHECK_EQ_INT(a.nfaces, b.nfaces);
        for (int f = 0; f < a.nfaces && f < b.nfaces; f++) {
            const pr_described_face *fa = &a.faces[f], *fb = &b.faces[f];
            PR_CHECK(memcmp(&fa->box, &fb->box, sizeof fa->box) == 0);
            PR_CHECK((fa->crop == NULL) == (fb->crop == NULL));
            if (fa->crop && fb->crop)
                PR_CHECK_MSG(memcmp(fa->crop, fb->crop, (size_t)p.crop_side * p.crop_side) == 0,
                             "%s face %d: grey crops differ", photos[i], f);
            PR_CHECK((fa->descriptor == NULL) == (fb->descriptor == NULL));
            if (!fa->descriptor || !fb->descriptor)
                continue;
            double l2 = 0, lm = 0;
            for (int k = 0; k < PR_FACE_DESCRIPTOR_DIM; k++)
                l2 += (fa->descriptor[k] - fb->descriptor[k]) * (double)(fa->descriptor[k] -
                                                                          fb->descriptor[k]);
            for (int k = 0; k < 2 * PR_FACE_LANDMARKS; k++)
                lm = fmax(lm, fabs(fa->landmarks[k] - fb->landmarks[k]));
            PR_CHECK_MSG(sqrt(l2) <= 1e-5 && lm <= 1e-3, "%s face %d: descriptor L2 %g, "
                         "landmarks %g px", photos[i], f, sqrt(l2), lm);
            faces++;
        }
        pr_described_photo_clear(&a);
        pr_described_photo_clear(&b);
    }
    PR_CHECK_MSG(faces >= 8, "only %d faces described", faces);
    fprintf(stderr, "%d faces compared\n", faces);
    pr_describe_detectors_delete(det, 1);
    pr_describe_nets_delete(net, 1);
    return pr_test_finish();
}

/* The detector on real photos (dlib_faces): finds the hand-boxed faces, maps boxes back from the
 * working resolution, and a corrupt photo in a batch is reported while the rest are processed. */
#include "detect/batch.h"
#include "detect/detect.h"

#include "core/alloc.h"
#include "core/box.h"
#include "tests/test.h"

#include <stdio.h>

/* 2008_001322.jpg (500x375): three faces hand-boxed in dlib's boxes.csv. */
static const pr_box truth[3] = {{104, 162, 76, 76}, {232, 218, 63, 63}, {344, 155, 90, 90}};

static int hits(const pr_faces *faces, double scale)
{
    int n = 0;
    for (int t = 0; t < 3; t++) {
        pr_box tb = {truth[t].x * scale, truth[t].y * scale, truth[t].w * scale, truth[t].h * scale};
        for (size_t i = 0; i < faces->count; i++)
            if (pr_box_iou(faces->items[i].box, tb) >= 0.3) {
                n++;
                break;
            }
    }
    return n;
}

int main(void)
{
    const char *dir = pr_test_data_dir("dlib_faces");
    char path[4200];
    snprintf(path, sizeof path, "%s/2008_001322.jpg", dir);
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_load(path, NULL, &img, NULL));
    if (!img)
        return pr_test_finish();

    pr_detector_params p = pr_detector_params_default();
    p.detector = PR_DETECTOR_CASCADES; /* the cascades' own test (the network's: test_detect_network) */
    pr_detector *det = NULL;
    PR_CHECK_OK(pr_detector_new(&p, &det));
    pr_faces faces = {0};
    if (det) {
        PR_CHECK_OK(pr_detector_run(det, img, &faces));
        PR_CHECK_EQ_INT(hits(&faces, 1.0), 3);
        PR_CHECK(faces.count <= 4);
        for (size_t i = 0; i < faces.count; i++) {
            PR_CHECK(faces.items[i].votes >= 1 && faces.items[i].cascades_mask != 0);
            if (i)
                PR_CHECK(faces.items[i - 1].score >= faces.items[i].score);
        }
    }
    /* Upscaled 2x with a working long side of 500: detection runs on nearly the same pixels
     * (up- then down-sampled, so neighbour counts may move a little), and the boxes must come
     * back at twice the size. */
    pr_image *big = NULL;
    PR_CHECK_OK(pr_image_resize(img, img->width * 2, img->height * 2, &big));
    pr_detector_params q = p;
    q.working_long_side = 500;
    pr_detector *det2 = NULL;
    PR_CHECK_OK(pr_detector_new(&q, &det2));
    if (det2 && big) {
        PR_CHECK_OK(pr_detector_run(det2, big, &faces));
        PR_CHECK(hits(&faces, 2.0) >= 2);
        PR_CHECK(faces.count >= 2);
    }
    /* Single cascade as OpenCV runs it. */
    pr_detector_params s = pr_detector_params_single("alt");
    pr_detector *det3 = NULL;
    PR_CHECK_OK(pr_detector_new(&s, &det3));
    if (det3) {
        PR_CHECK_OK(pr_detector_run(det3, img, &faces));
        PR_CHECK(hits(&faces, 1.0) >= 2);
        for (size_t i = 0; i < faces.count; i++)
            PR_CHECK(faces.items[i].cascades_mask == (1u << PR_CASCADE_ALT));
    }

    /* A batch with a truncated JPEG in the middle. */
    char bad[64];
    snprintf(bad, sizeof bad, "corrupt_%ld.jpg", (long)pr_alloc_count());
    FILE *in = fopen(path, "rb"), *out = fopen(bad, "wb");
    PR_CHECK(in && out);
    if (in && out) {
        char buf[300];
        size_t n = fread(buf, 1, sizeof buf, in);
        fwrite(buf, 1, n, out);
    }
    if (in)
        fclose(in);
    if (out)
        fclose(out);
    pr_detect_item items[3];
    memset(items, 0, sizeof items);
    items[0].path = path;
    items[1].path = bad;
    items[2].path = path;
    PR_CHECK_OK(pr_detect_batch(&p, 2, items, 3, NULL, NULL));
    PR_CHECK_EQ_INT(items[0].status, PR_OK);
    PR_CHECK(items[1].status != PR_OK);
    PR_CHECK(items[1].error != NULL && strstr(items[1].error, "corrupt_") != NULL);
    PR_CHECK_EQ_INT(items[2].status, PR_OK);
    PR_CHECK_EQ_INT(hits(&items[2].faces, 1.0), 3);
    PR_CHECK_EQ_INT(items[0].faces.count, items[2].faces.count);
    pr_detect_items_free(items, 3);
    remove(bad);

    pr_faces_free(&faces);
    pr_detector_delete(det);
    pr_detector_delete(det2);
    pr_detector_delete(det3);
    pr_image_delete(img);
    pr_image_delete(big);
    return pr_test_finish();
}

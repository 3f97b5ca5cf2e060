/* pr_describe_known_faces (descriptors of an album store's boxes) against pr_describe_photo with
 * the same boxes as its label file: 20 album photos (truth.csv boxes, real models), the same
 * landmarks and descriptors bit for bit and the same faces refused. Two passes, so that every
 * way to the pixels is taken and seen to be taken (counted, not assumed):
 *   1. the default working size: most album photos are within it (the descriptor comes from the
 *      first decode), the two larger ones take the full-scale region decode;
 *   2. a 200 px working size: every JPEG's first decode is DCT-scaled, so the region is decoded,
 *      and some faces' chips leave it, so they are described again from a whole decode (stats'
 *      whole_decodes): describe.c is built into this test with a region margin of 0.1 of the face
 *      (PR_DESCRIBE_REGION_MARGIN, tests/pipeline/CMakeLists.txt), which most faces' footprints
 *      pass.
 * Region decodes are counted through the linker's --wrap=pr_image_load_region. Then the
 * failures: a missing file, a file that is no image and a truncated JPEG return an error naming the
 * file with nothing written (ok[] and descriptors keep their sentinel bytes); n = 0 reads nothing;
 * bad arguments are PR_ERR_ARG. */
#include "core/alloc.h"
#include "core/image.h"
#include "core/image_jpeg_region.h"
#include "datasets/face_labels.h"
#include "pipeline/describe.h"
#include "tests/nn/models.h"
#include "tests/pipeline/region_spy.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

#define N_PHOTOS  20
#define MAX_FACES 16

/* The photos: every k-th of truth.csv's distinct images, plus the two above 1600 px. */
static int pick_photos(const pr_face_labels *truth, const char **out)
{
    const char *distinct[512];
    int n = 0, picked = 0;
    for (size_t i = 0; i < truth->count && n < 512; i++)
        if (n == 0 || strcmp(distinct[n - 1], truth->items[i].image) != 0)
            distinct[n++] = truth->items[i].image;
    for (int i = 0; i < n && picked < N_PHOTOS - 2; i += n / (N_PHOTOS - 2))
        out[picked++] = distinct[i];
    out[picked++] = "face_recognition_knn/images/knn_examples/test/obama_and_biden.jpg";
    out[picked++] = "face_recognition_knn/images/knn_examples/train/biden/biden.jpg";
    return picked;
}

/* Photo's truth boxes into boxes[] and a label set. */
static int photo_boxes(const pr_face_labels *truth, const char *photo, pr_box *boxes,
                       pr_face_labels *labels)
{
    int n = 0;
    for (size_t i = 0; i < truth->count && n < MAX_FACES; i++) {
        if (strcmp(truth->items[i].image, photo) != 0)
            continue;
        boxes[n] = truth->items[i].box;
        PR_CHECK_OK(pr_face_labels_add(labels, photo, boxes[n++], NULL, NULL, 0));
    }
    return n;
}

typedef struct pass_result {
    int faces, described, regions;
    long whole_decodes;
} pass_result;

/* One photo: pr_describe_known_faces against pr_describe_photo, face by face (matched by box). */
static void compare_photo(pr_describe_params *p, pr_face_net *net, const char *dir,
                          const pr_face_labels *truth, const char *photo, pass_result *r)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", dir, photo);
    pr_face_labels *labels = NULL;
    PR_CHECK_OK(pr_face_labels_new(dir, &labels));
    if (!labels)
        return;
    pr_box boxes[MAX_FACES];
    int n = photo_boxes(truth, photo, boxes, labels);
    static float lm[MAX_FACES][136], desc[MAX_FACES][128];
    unsigned char ok[MAX_FACES];
    memset(ok, 0xab, sizeof ok);
    long before = region_decoded;
    PR_CHECK_OK(pr_describe_known_faces(p, net, path, boxes, n, &lm[0][0], &desc[0][0], ok));
    r->regions += region_decoded > before;
    pr_described_photo ph;
    p->labels = labels;
    PR_CHECK_OK(pr_describe_photo(p, NULL, net, path, photo, &ph));
    p->labels = NULL;
    PR_CHECK_MSG(ph.skip_reason == NULL && ph.nfaces == n, "%s: skipped (%s) or %d faces, not %d",
                 photo, ph.skip_reason ? ph.skip_reason : "-", ph.nfaces, n);
    for (int f = 0; f < ph.nfaces; f++) {
        const pr_described_face *df = &ph.faces[f];
        int i = 0;
        while (i < n && memcmp(&boxes[i], &df->box, sizeof df->box) != 0)
            i++;
        PR_CHECK_MSG(i < n, "%s: face %d's box is not one given", photo, f);
        if (i == n)
            continue;
        r->faces++;
        PR_CHECK_MSG(ok[i] == (df->descriptor != NULL), "%s face %d: ok %d, described %d", photo, i,
                     ok[i], df->descriptor != NULL);
        if (!df->descriptor || ok[i] != 1)
            continue;
        r->described++;
        PR_CHECK_MSG(memcmp(desc[i], df->descriptor, sizeof desc[i]) == 0 &&
                         memcmp(lm[i], df->landmarks, sizeof lm[i]) == 0,
                     "%s face %d: descriptor or landmarks differ from pr_describe_photo's", photo,
                     i);
    }
    pr_described_photo_clear(&ph);
    pr_face_labels_delete(labels);
}

static pass_result run_pass(pr_describe_params *p, pr_face_net *net, const char *dir,
                            const pr_face_labels *truth, const char **photos, int n)
{
    pass_result r = {0, 0, 0, 0};
    pr_describe_stats *stats = NULL;
    PR_CHECK_OK(pr_describe_stats_new(1, &stats));
    p->stats = stats;
    for (int i = 0; i < n; i++)
        compare_photo(p, net, dir, truth, photos[i], &r);
    pr_describe_times t;
    pr_describe_stats_sum(stats, &t);
    r.whole_decodes = t.whole_decodes;
    p->stats = NULL;
    pr_describe_stats_delete(stats);
    fprintf(stderr,
            "long side %d: %d faces (%d described), %d photos by region, %ld whole "
            "decodes\n",
            p->long_side, r.faces, r.described, r.regions, r.whole_decodes);
    return r;
}

/* A failure: the status, a message naming the file, and nothing written. */
static void check_failure(pr_describe_params *p, pr_face_net *net, const char *path, pr_status want)
{
    pr_box box = {10, 10, 50, 50};
    float desc[128], lm[136];
    unsigned char ok = 0xab;
    memset(desc, 0xcd, sizeof desc);
    memset(lm, 0xcd, sizeof lm);
    pr_status st = pr_describe_known_faces(p, net, path, &box, 1, lm, desc, &ok);
    PR_CHECK_MSG(st == want, "%s: status %d, want %d", path, (int)st, (int)want);
    PR_CHECK_MSG(strstr(pr_last_error(), path) != NULL, "message \"%s\" does not name %s",
                 pr_last_error(), path);
    unsigned char sentinel[sizeof lm]; /* the larger of the two */
    memset(sentinel, 0xcd, sizeof sentinel);
    PR_CHECK_MSG(ok == 0xab && memcmp(desc, sentinel, sizeof desc) == 0 &&
                     memcmp(lm, sentinel, sizeof lm) == 0,
                 "%s: written on failure", path);
}

static void check_failures(pr_describe_params *p, pr_face_net *net, const char *jpeg)
{
    char missing[64], garbage[64], truncated[64];
    snprintf(missing, sizeof missing, "test_describe_known_%ld_missing.jpg", (long)getpid());
    snprintf(garbage, sizeof garbage, "test_describe_known_%ld_garbage.jpg", (long)getpid());
    snprintf(truncated, sizeof truncated, "test_describe_known_%ld_cut.jpg", (long)getpid());
    check_failure(p, net, missing, PR_ERR_IO);
    FILE *f = fopen(garbage, "wb");
    PR_CHECK(f && fputs("this is no image, only text where pixels should be\n", f) >= 0);
    if (f)
        fclose(f);
    check_failure(p, net, garbage, PR_ERR_FORMAT);
    /* The first 2000 bytes of a JPEG: headers, then the data stops. */
    uint8_t *bytes = NULL;
    size_t size = 0;
    PR_CHECK_OK(pr_read_file(jpeg, 0, &bytes, &size));
    f = fopen(truncated, "wb");
    PR_CHECK(f && bytes && size > 2000 && fwrite(bytes, 1, 2000, f) == 2000);
    if (f)
        fclose(f);
    pr_free(bytes);
    check_failure(p, net, truncated, PR_ERR_FORMAT);
    remove(garbage);
    remove(truncated);
    /* No face: nothing is read, so even a missing file is fine. */
    PR_CHECK_OK(pr_describe_known_faces(p, net, missing, NULL, 0, NULL, NULL, NULL));
    float desc[128];
    unsigned char ok;
    pr_box box = {0, 0, 10, 10};
    PR_CHECK(pr_describe_known_faces(p, NULL, jpeg, &box, 1, NULL, desc, &ok) == PR_ERR_ARG);
    PR_CHECK(pr_describe_known_faces(p, net, jpeg, &box, 1, NULL, NULL, &ok) == PR_ERR_ARG);
}

int main(void)
{
    const char *models = pr_test_models_dir();
    char dir[4096], truth_path[4200];
    snprintf(dir, sizeof dir, "%s", pr_test_data_dir("album"));
    snprintf(truth_path, sizeof truth_path, "%s/truth.csv", dir);
    pr_face_labels *truth = NULL;
    PR_CHECK_OK(pr_face_labels_load(truth_path, &truth));
    pr_describe_params p = pr_describe_params_default();
    p.descriptor = 1;
    p.models_dir = models;
    pr_face_net **net = NULL;
    PR_CHECK_OK(pr_describe_nets(&p, 1, &net));
    if (!truth || !net)
        return pr_test_finish();
    const char *photos[N_PHOTOS];
    int n = pick_photos(truth, photos);
    pass_result r1 = run_pass(&p, net[0], dir, truth, photos, n);
    p.long_side = 200;
    pass_result r2 = run_pass(&p, net[0], dir, truth, photos, n);
    PR_CHECK_MSG(r1.described >= 20 && r2.described >= 20, "too few faces described: %d, %d",
                 r1.described, r2.described);
    PR_CHECK_MSG(r1.regions == 2 && r1.regions < n,
                 "default size: %d photos by region, want the "
                 "two above 1600 px",
                 r1.regions);
    PR_CHECK_MSG(r2.regions >= n - 2, "200 px: only %d of %d photos by region", r2.regions, n);
    PR_CHECK_MSG(r2.whole_decodes > 0 && r2.whole_decodes < r2.described,
                 "200 px: %ld of %d faces from the whole decode, want some but not all",
                 r2.whole_decodes, r2.described);
    char jpeg[8192];
    snprintf(jpeg, sizeof jpeg, "%s/%s", dir, photos[n - 1]);
    check_failures(&p, net[0], jpeg);
    pr_describe_nets_delete(net, 1);
    pr_face_labels_delete(truth);
    return pr_test_finish();
}

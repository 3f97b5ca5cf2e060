/* End to end on real photos: the five TV-cast stills of faceapi_bbt (labels.csv boxes, five or so
 * people per still) plus the 25 gallery crops, described by the face net and clustered by the
 * default calibrated path (shipped calibration, average linkage to LLR 0, cannot-link). The same
 * character's faces must come together: BCubed F >= 0.9 (a wrong calibration sign, a threshold
 * that merges everyone or splits everyone, or a broken constraint all fail it), no two faces of
 * one still share a cluster, and the number of people is 5..10 for 7 named characters. */
#include "cluster/calibrated.h"
#include "cluster/matrix.h"
#include "core/image.h"
#include "core/path.h"
#include "datasets/face_labels.h"
#include "features/face_descriptor.h"
#include "tests/nn/models.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>

#define MAXF 64

static float desc[MAXF][PR_FACE_DESCRIPTOR_DIM];
static char who[MAXF][32];
static int32_t photo[MAXF];
static int nfaces;

static void add_face(pr_face_net *net, const char *path, const pr_box *box, const char *person,
                     int32_t group)
{
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_load(path, &lp, &img, NULL));
    if (!img || nfaces == MAXF)
        return;
    pr_box whole = {0, 0, img->width, img->height};
    PR_CHECK_OK(pr_face_net_describe(net, img, box ? *box : whole, NULL, desc[nfaces]));
    snprintf(who[nfaces], sizeof who[nfaces], "%s", person);
    photo[nfaces] = group;
    nfaces++;
    pr_image_delete(img);
}

static void load(pr_face_net *net, const char *dir)
{
    char path[4200];
    pr_face_labels *l = NULL;
    snprintf(path, sizeof path, "%s/labels.csv", dir);
    PR_CHECK_OK(pr_face_labels_load(path, &l));
    for (size_t i = 0; l && i < l->count; i++) {
        const pr_face_label *f = &l->items[i];
        if (!f->person || !strcmp(f->person, "unknown") || !strcmp(f->person, "person"))
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, f->image);
        add_face(net, path, &f->box, f->person, f->image[3] - '0'); /* bbtN.jpg */
    }
    pr_face_labels_delete(l);
    static const char *cast[] = {"amy", "bernadette", "howard", "leonard", "penny", "raj",
                                 "sheldon"};
    for (int c = 0; c < 7; c++)
        for (int k = 1; k <= 5; k++) {
            snprintf(path, sizeof path, "%s/%s/%s%d.png", dir, cast[c], cast[c], k);
            FILE *f = fopen(path, "rb");
            if (!f)
                continue;
            fclose(f);
            add_face(net, path, NULL, cast[c], 100 + nfaces); /* one photo each */
        }
}

static double bcubed_f(const int *labels)
{
    double p = 0, r = 0;
    for (int i = 0; i < nfaces; i++) {
        int both = 0, cl = 0, same = 0;
        for (int j = 0; j < nfaces; j++) {
            int a = labels[j] == labels[i], b = !strcmp(who[j], who[i]);
            both += a && b;
            cl += a;
            same += b;
        }
        p += (double)both / cl;
        r += (double)both / same;
    }
    p /= nfaces;
    r /= nfaces;
    fprintf(stderr, "BCubed P %.4f R %.4f over %d faces\n", p, r, nfaces);
    return 2 * p * r / (p + r);
}

int main(void)
{
    const char *dir = pr_test_data_dir("faceapi_bbt");
    pr_face_net_params np = pr_face_net_params_default();
    np.models_dir = pr_test_models_dir();
    pr_face_net *net = NULL;
    PR_CHECK_OK(pr_face_net_new(&np, &net));
    if (!net)
        return pr_test_finish();
    load(net, dir);
    PR_CHECK(nfaces >= 40);
    const float *ptr[MAXF];
    for (int i = 0; i < nfaces; i++)
        ptr[i] = desc[i];
    float *dist = pr_matrix_alloc((size_t)nfaces, (size_t)nfaces);
    pr_kmedoids_result res;
    PR_CHECK_OK(pr_calibrated_cluster(NULL, ptr, nfaces, photo, NULL, dist, &res));
    double f = bcubed_f(res.labels);
    fprintf(stderr, "%d clusters, BCubed F %.4f\n", res.k, f);
    PR_CHECK(f >= 0.9);
    PR_CHECK(res.k >= 5 && res.k <= 10);
    for (int i = 0; i < nfaces; i++)
        for (int j = i + 1; j < nfaces; j++)
            PR_CHECK(photo[i] != photo[j] || res.labels[i] != res.labels[j]);
    for (int c = 0; c < res.k; c++)
        PR_CHECK(res.labels[res.medoids[c]] == c);
    pr_kmedoids_result_free(&res);
    pr_matrix_free(dist);
    pr_face_net_delete(net);
    return pr_test_finish();
}

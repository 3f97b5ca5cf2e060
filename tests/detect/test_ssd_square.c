/* Refits the SSD box -> Haar square mapping of detect.h (PR_SSD_HAAR_*) on photos outside album:
 * every 10th Essex Faces94 photo and dlib_faces' photos. Each face found by both the fused
 * cascades and the network gives one pair; the medians of the centre shifts (in SSD widths /
 * heights) and of the side ratio (Haar side / sqrt(SSD w * h)) must be the committed constants
 * within 0.02. */
#include "core/alloc.h"
#include "detect/detect.h"
#include "nn/ssd.h"
#include "tests/nn/models.h"
#include "tests/test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#define MAX_PAIRS 512

typedef struct fit {
    double dx[MAX_PAIRS], dy[MAX_PAIRS], k[MAX_PAIRS];
    int n;
} fit;

static void add_photo(pr_detector *det, pr_ssd *ssd, const char *path, fit *f)
{
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_load(path, &lp, &img, NULL));
    if (!img)
        return;
    pr_faces faces = {0};
    pr_ssd_box *b = NULL;
    size_t nb = 0;
    PR_CHECK_OK(pr_detector_run(det, img, &faces));
    PR_CHECK_OK(pr_ssd_detect(ssd, img, &b, &nb));
    for (size_t i = 0; i < faces.count && f->n < MAX_PAIRS; i++) {
        pr_box h = faces.items[i].box;
        double hx = h.x + h.w / 2, hy = h.y + h.h / 2;
        for (size_t j = 0; j < nb; j++) {
            double sx = b[j].x + b[j].w / 2, sy = b[j].y + b[j].h / 2, g = sqrt(b[j].w * b[j].h);
            /* One face: each centre inside the other box, sizes within a factor 1.6. */
            if (fabs(sx - hx) > h.w / 2 || fabs(hy - sy) > h.h / 2 || fabs(sx - hx) > b[j].w / 2 ||
                fabs(sy - hy) > b[j].h / 2 || h.w / g > 1.6 || g / h.w > 1.6)
                continue;
            f->dx[f->n] = (hx - sx) / b[j].w;
            f->dy[f->n] = (hy - sy) / b[j].h;
            f->k[f->n] = h.w / g;
            f->n++;
            break;
        }
    }
    pr_free(b);
    pr_faces_free(&faces);
    pr_image_delete(img);
}

static int cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp);
    return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

static void essex(pr_detector *det, pr_ssd *ssd, const char *dir, fit *f)
{
    char path[8192], line[1024];
    if (snprintf(path, sizeof path, "%s/labels.csv", dir) >= (int)sizeof path)
        return;
    FILE *csv = fopen(path, "r");
    PR_CHECK(csv != NULL);
    for (int row = 0; csv && fgets(line, sizeof line, csv); row++) {
        if (row == 0 || row % 10 != 1)
            continue;
        line[strcspn(line, ",")] = '\0';
        if (snprintf(path, sizeof path, "%s/%s", dir, line) >= (int)sizeof path)
            continue;
        add_photo(det, ssd, path, f);
    }
    if (csv)
        fclose(csv);
}

int main(void)
{
    static const char *const dlib[] = {"2007_007763", "2008_001009", "2008_001322", "2008_002079",
                                       "2008_002470", "2008_002506", "2008_004176", "2008_007676",
                                       "2009_004587", "bald_guys"};
    pr_ssd_params sp = pr_ssd_params_default();
    sp.models_dir = pr_test_models_dir();
    char data[4096];
    snprintf(data, sizeof data, "%s", pr_test_data_dir(NULL));
    pr_detector_params dp = pr_detector_params_default();
    pr_detector *det = NULL;
    pr_ssd *ssd = NULL;
    PR_CHECK_OK(pr_detector_new(&dp, &det));
    PR_CHECK_OK(pr_ssd_new(&sp, &ssd));
    if (!det || !ssd)
        return pr_test_finish();
    static fit f;
    char path[4400];
    snprintf(path, sizeof path, "%s/essex_faces94_subset", data);
    essex(det, ssd, path, &f);
    for (size_t i = 0; i < sizeof dlib / sizeof *dlib; i++) {
        snprintf(path, sizeof path, "%s/dlib_faces/%s.jpg", data, dlib[i]);
        add_photo(det, ssd, path, &f);
    }
    PR_CHECK_MSG(f.n >= 40, "%d pairs", f.n);
    if (f.n > 0) {
        double dx = median(f.dx, f.n), dy = median(f.dy, f.n), k = median(f.k, f.n);
        fprintf(stderr, "%d pairs: dx %.4f dy %.4f side %.4f (committed %.3f %.3f %.3f)\n", f.n,
                dx, dy, k, PR_SSD_HAAR_DX, PR_SSD_HAAR_DY, PR_SSD_HAAR_SIDE);
        PR_CHECK(fabs(dx - PR_SSD_HAAR_DX) <= 0.02);
        PR_CHECK(fabs(dy - PR_SSD_HAAR_DY) <= 0.02);
        PR_CHECK(fabs(k - PR_SSD_HAAR_SIDE) <= 0.02);
    }
    pr_ssd_delete(ssd);
    pr_detector_delete(det);
    return pr_test_finish();
}

/* How many faces describe has to describe again from a whole decode because the descriptor's
 * input (the similarity chip: dlib's 0.25 padding around the eye-to-mouth face, turned and scaled)
 * reaches past the region decoded around the boxes (PR_DESCRIBE_REGION_MARGIN in
 * pipeline/describe.h, 0.4, set off-album on dlib_faces for the similarity chip): every photo of a
 * box file described with the boxes as labels and a 200 px working size, so that every JPEG's
 * first decode is DCT-scaled and the descriptor takes the region path (the geometry of region and
 * chip scales with the face, so the count is the one of full-size phone photos).
 *
 *     test_describe_known_margin [BOXES.csv MAX_FRACTION]
 *
 * prints faces, faces described, and whole decodes, and fails when more than MAX_FRACTION of the
 * described faces needed the whole decode. Without arguments (ctest) it runs dlib_faces/boxes.csv
 * (off-album: the margin was chosen there) and album/truth.csv, at most 0.05 each; it prints the
 * need under face-api's square too, for comparison. */
#include "datasets/face_labels.h"
#include "pipeline/describe.h"
#include "tests/nn/models.h"
#include "tests/test.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The margin (a multiple of the face's longer side, as PR_DESCRIBE_REGION_MARGIN) a face's region
 * would need to hold the net's footprint (1 px slack as describe allows) inside the photo. */
static double needed_margin(const pr_described_face *f, const pr_face_net_params *fp, int w, int h)
{
    double r[4];
    const pr_box *b = &f->box;
    pr_face_net_footprint(fp, *b, f->landmarks, w, h, r);
    /* The slack pixel is not needed where the footprint stops at the photo's border: the region
     * stops there too. */
    double left = b->x - (r[0] - (r[0] > 0)), top = b->y - (r[1] - (r[1] > 0));
    double right = r[2] + (r[2] < w) - (b->x + b->w), bottom = r[3] + (r[3] < h) - (b->y + b->h);
    double over = fmax(fmax(left, right), fmax(top, bottom));
    return over / fmax(b->w, b->h);
}

static int by_value(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static void print_quantiles(const char *what, double *need, long n)
{
    qsort(need, (size_t)n, sizeof *need, by_value);
    printf("  margin the %s footprint needs: median %.3f, 0.9 %.3f, 0.95 %.3f, 0.98 %.3f, "
           "max %.3f\n",
           what, need[n / 2], need[n * 9 / 10], need[n * 95 / 100], need[n * 98 / 100],
           need[n - 1]);
}

/* One box file: the faces, and the fraction of them that needed the whole decode. */
static void run_boxes(const char *models, const char *boxes, double max_fraction)
{
    pr_face_labels *labels = NULL;
    PR_CHECK_OK(pr_face_labels_load(boxes, &labels));
    pr_describe_params p = pr_describe_params_default();
    p.descriptor = 1;
    p.models_dir = models;
    p.long_side = 200;
    p.crop_side = 0;
    p.person.body_segment = 0; /* only the descriptor's pixels matter here */
    p.labels = labels;
    pr_face_net **net = NULL;
    pr_describe_stats *stats = NULL;
    PR_CHECK_OK(pr_describe_nets(&p, 1, &net));
    PR_CHECK_OK(pr_describe_stats_new(1, &stats));
    p.stats = stats;
    long faces = 0, described = 0;
    double *need = labels ? calloc(labels->count + 1, sizeof *need) : NULL;
    double *need_square = labels ? calloc(labels->count + 1, sizeof *need) : NULL;
    PR_CHECK(need && need_square);
    /* The same landmarks under face-api's square, for comparison: the earlier margin (0.3) was set
     * for it; PR_DESCRIBE_REGION_MARGIN is set for the similarity chip. */
    pr_face_net_params square = pr_face_net_params_default();
    square.align = PR_FACE_ALIGN_DLIB_SQUARE;
    for (size_t i = 0; need && need_square && labels && net && stats && i < labels->count; i++) {
        if (i > 0 && strcmp(labels->items[i].image, labels->items[i - 1].image) == 0)
            continue;
        char path[8192];
        PR_CHECK_OK(pr_face_labels_image_path(labels, i, path, sizeof path));
        pr_described_photo ph;
        PR_CHECK_OK(pr_describe_photo(&p, NULL, net[0], path, labels->items[i].image, &ph));
        PR_CHECK_MSG(ph.skip_reason == NULL, "%s skipped: %s", path, ph.skip_reason);
        faces += ph.nfaces;
        for (int f = 0; f < ph.nfaces; f++)
            if (ph.faces[f].descriptor) {
                need_square[described] = needed_margin(&ph.faces[f], &square, ph.width, ph.height);
                need[described++] = needed_margin(&ph.faces[f], pr_face_net_get_params(net[0]),
                                                  ph.width, ph.height);
            }
        pr_described_photo_clear(&ph);
    }
    pr_describe_times t;
    pr_describe_stats_sum(stats, &t);
    double fraction = described ? (double)t.whole_decodes / described : 0;
    printf("%s: %ld faces, %ld described, %ld whole decodes (%.3f)\n", boxes, faces, described,
           t.whole_decodes, fraction);
    long above = 0;
    if (need && need_square && described > 0) {
        print_quantiles("square", need_square, described);
        print_quantiles("default (similarity)", need, described);
        for (long i = 0; i < described; i++)
            above += need[i] > PR_DESCRIBE_REGION_MARGIN;
        printf("  faces whose footprint needs more than %.2f: %ld\n", PR_DESCRIBE_REGION_MARGIN,
               above);
    }
    PR_CHECK_MSG(described == 0 || above <= max_fraction * described,
                 "%s: %ld of %ld faces need a margin above %.2f", boxes, above, described,
                 PR_DESCRIBE_REGION_MARGIN);
    free(need);
    free(need_square);
    PR_CHECK_MSG(described > 0, "%s: no face described", boxes);
    PR_CHECK_MSG(fraction <= max_fraction, "%s: %.3f of the faces needed the whole decode (> %g)",
                 boxes, fraction, max_fraction);
    pr_describe_stats_delete(stats);
    pr_describe_nets_delete(net, 1);
    pr_face_labels_delete(labels);
}

int main(int argc, char **argv)
{
    const char *models = pr_test_models_dir();
    if (argc == 3) {
        run_boxes(models, argv[1], atof(argv[2]));
        return pr_test_finish();
    }
    if (argc != 1) {
        fprintf(stderr, "usage: %s [BOXES.csv MAX_FRACTION]\n", argv[0]);
        return 2;
    }
    char dlib[4200], album[4200];
    snprintf(dlib, sizeof dlib, "%s/boxes.csv", pr_test_data_dir("dlib_faces"));
    snprintf(album, sizeof album, "%s/truth.csv", pr_test_data_dir("album"));
    run_boxes(models, dlib, 0.05);
    run_boxes(models, album, 0.05);
    return pr_test_finish();
}

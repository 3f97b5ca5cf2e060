#define _DEFAULT_SOURCE
/* album/truth.csv -> Picasa -> labels, -> XMP -> labels, -> CSV -> labels: every face comes back
 * with its box within 1 pixel and its name exactly. Image sizes come from the album's photos. */
#include "datasets/face_labels.h"
#include "datasets/picasa.h"
#include "datasets/xmp_regions.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Each truth face must have exactly one partner in back (same image, all edges within 1 px). */
static void compare(const pr_face_labels *truth, const pr_face_labels *back, const char *what)
{
    PR_CHECK_MSG(back->count == truth->count, "%s: %zu faces back, %zu written", what,
                 back->count, truth->count);
    unsigned char *used = calloc(back->count + 1, 1);
    size_t ok = 0;
    double worst = 0;
    for (size_t i = 0; i < truth->count; i++) {
        const pr_face_label *t = &truth->items[i];
        for (size_t j = 0; j < back->count; j++) {
            const pr_face_label *b = &back->items[j];
            if (used[j] || strcmp(t->image, b->image) != 0)
                continue;
            double d = fabs(t->box.x - b->box.x);
            d = fmax(d, fabs(t->box.y - b->box.y));
            d = fmax(d, fabs(t->box.x + t->box.w - b->box.x - b->box.w));
            d = fmax(d, fabs(t->box.y + t->box.h - b->box.y - b->box.h));
            if (d > 1.0)
                continue;
            if (!t->person != !b->person || (t->person && strcmp(t->person, b->person) != 0))
                continue;
            used[j] = 1;
            worst = fmax(worst, d);
            ok++;
            break;
        }
    }
    PR_CHECK_MSG(ok == truth->count, "%s: %zu of %zu faces came back", what, ok, truth->count);
    fprintf(stderr, "%s: %zu/%zu faces back, largest edge error %.4f px\n", what, ok,
            truth->count, worst);
    free(used);
}

int main(void)
{
    char album[4096], truth_path[4200];
    snprintf(album, sizeof album, "%s", pr_test_data_dir("album"));
    snprintf(truth_path, sizeof truth_path, "%s/truth.csv", album);
    pr_face_labels *truth = NULL;
    PR_CHECK_OK(pr_face_labels_load(truth_path, &truth));
    if (!truth)
        return pr_test_finish();

    char dir[] = "/tmp/pr_test_rt_XXXXXX";
    PR_CHECK(mkdtemp(dir) != NULL);
    char sub[4200];
    pr_face_labels_load_params lp = pr_face_labels_load_params_default();
    lp.image_dir = album;

    /* Picasa */
    snprintf(sub, sizeof sub, "%s/picasa", dir);
    pr_picasa_save_params pp = pr_picasa_save_params_default();
    pp.image_dir = album;
    PR_CHECK_OK(pr_picasa_save(truth, sub, &pp));
    pr_face_labels *back = NULL;
    PR_CHECK_OK(pr_face_labels_load_ex(sub, &lp, &back));
    if (back)
        compare(truth, back, "csv -> picasa -> labels");
    pr_face_labels_delete(back);
    back = NULL;

    /* XMP */
    if (pr_xmp_available()) {
        snprintf(sub, sizeof sub, "%s/xmp", dir);
        pr_xmp_save_params xp = pr_xmp_save_params_default();
        xp.image_dir = album;
        PR_CHECK_OK(pr_xmp_save(truth, sub, &xp));
        PR_CHECK_OK(pr_face_labels_load_ex(sub, &lp, &back));
        if (back)
            compare(truth, back, "csv -> xmp -> labels");
        /* and on to CSV */
        char csv[4300];
        snprintf(csv, sizeof csv, "%s/back.csv", dir);
        if (back) {
            PR_CHECK_OK(pr_face_labels_save_csv(back, csv));
            pr_face_labels *again = NULL;
            PR_CHECK_OK(pr_face_labels_load(csv, &again));
            if (again)
                compare(truth, again, "csv -> xmp -> csv");
            pr_face_labels_delete(again);
        }
        pr_face_labels_delete(back);
        back = NULL;
    }

    /* CSV itself is exact. */
    snprintf(sub, sizeof sub, "%s/t.csv", dir);
    PR_CHECK_OK(pr_face_labels_save_csv(truth, sub));
    PR_CHECK_OK(pr_face_labels_load(sub, &back));
    if (back) {
        compare(truth, back, "csv -> csv");
        for (size_t i = 0; i < back->count && i < truth->count; i++)
            PR_CHECK(back->items[i].extra && truth->items[i].extra &&
                     strcmp(back->items[i].extra, truth->items[i].extra) == 0);
    }
    pr_face_labels_delete(back);
    pr_face_labels_delete(truth);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    PR_CHECK(system(cmd) == 0);
    return pr_test_finish();
}

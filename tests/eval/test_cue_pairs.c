/* eval/cue_pairs on the five BBT photos (22 named faces, truth boxes, prior bodies): counts of
 * photos, instances and pairs; every cue has a name and an AUC in [0, 1]; the figures do not
 * depend on the thread count; the face descriptor cue is there and near-perfect; the JSON writer
 * keeps the keys thesis/results/features.md reads. */
#include "eval/cue_pairs.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>

static pr_cue_pairs_result *run(const pr_face_labels *set, int threads)
{
    pr_cue_pairs_params p = pr_cue_pairs_params_default();
    p.body_mask = 0;
    p.threads = threads;
    pr_cue_pairs_result *r = NULL;
    PR_CHECK_OK(pr_cue_pairs_run(set, &p, &r));
    return r;
}

int main(void)
{
    const char *root = pr_test_data_dir("faceapi_bbt");
    char truth[4200];
    snprintf(truth, sizeof truth, "%s/labels.csv", root);
    pr_face_labels *set = NULL;
    PR_CHECK_OK(pr_face_labels_load(truth, &set));
    if (!set)
        return pr_test_finish();
    pr_cue_pairs_result *a = run(set, 1), *b = run(set, 2);
    if (!a || !b)
        return pr_test_finish();
    PR_CHECK_EQ_INT(a->photos, 5);
    PR_CHECK_EQ_INT(a->instances, 22);
    PR_CHECK_EQ_INT(a->pairs, 231);
    PR_CHECK(a->same_pairs > 0 && a->same_pairs < 231);
    PR_CHECK_EQ_INT(a->n_cues, 23);
    PR_CHECK_STR(a->cues[0].name, "eigenface_l2");
    PR_CHECK_STR(a->cues[a->n_cues - 1].name, "body_opponent_chi2_same_event");
    for (int c = 0; c < a->n_cues; c++) {
        const pr_cue_pairs_cue *x = &a->cues[c], *y = &b->cues[c];
        PR_CHECK(x->name[0] != 0);
        PR_CHECK_MSG(isnan(x->all.auc) || (x->all.auc >= 0 && x->all.auc <= 1), "%s", x->name);
        PR_CHECK_MSG((isnan(x->all.auc) && isnan(y->all.auc)) || x->all.auc == y->all.auc, "%s",
                     x->name);
        PR_CHECK(x->all.positives == y->all.positives && x->all.skipped == y->all.skipped);
    }
    /* The face descriptor (models from the source tree's ../shared/models/faceapi) separates
     * these faces almost perfectly (0.9998 measured); the best classic cue is near 0.7. */
    int found = 0;
    for (int c = 0; c < a->n_cues; c++)
        if (strcmp(a->cues[c].name, "face_descriptor_l2") == 0) {
            found = 1;
            PR_CHECK_MSG(a->cues[c].all.auc > 0.99, "descriptor AUC %.4f", a->cues[c].all.auc);
            PR_CHECK_EQ_INT(a->cues[c].all.skipped, 0);
        }
    PR_CHECK(found);
    char buf[16384] = {0};
    FILE *f = tmpfile();
    PR_CHECK(f != NULL);
    if (f) {
        pr_cue_pairs_params p = pr_cue_pairs_params_default();
        p.body_mask = 0;
        PR_CHECK_OK(pr_cue_pairs_write_json(f, "bbt", &p, a));
        rewind(f);
        buf[fread(buf, 1, sizeof buf - 1, f)] = 0;
        fclose(f);
    }
    const char *keys[] = {"{\"truth\":\"bbt\"", "\"photos\":5", "\"instances\":22",
                          "\"pairs\":231", "\"same_photo_pairs\":", "\"face_boxes\":\"truth\"",
                          "\"body\":\"prior\"", "\"eigen_components\":", "\"cues\":[{\"cue\":",
                          "\"cross_photo_auc\":", "\"timing\":{\"extract_seconds\":",
                          "\"image_load_per_second\":"};
    for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
        PR_CHECK_MSG(strstr(buf, keys[i]) != NULL, "%s", keys[i]);
    pr_cue_pairs_result_delete(a);
    pr_cue_pairs_result_delete(b);
    pr_face_labels_delete(set);
    return pr_test_finish();
}

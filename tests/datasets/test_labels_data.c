/* The shared datasets' label files load with the expected counts, and dlib's XML agrees with
 * boxes.csv box for box. */
#include "datasets/face_labels.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>

static pr_face_labels *load(const char *dir, const char *file)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, file);
    pr_face_labels *s = NULL;
    PR_CHECK_OK(pr_face_labels_load(path, &s));
    return s;
}

int main(void)
{
    const char *album = pr_test_data_dir("album");
    char album_dir[4096];
    snprintf(album_dir, sizeof album_dir, "%s", album);
    pr_face_labels *t = load(album_dir, "truth.csv");
    if (t) {
        /* README: 277 boxes, 258 named + 19 unknown. */
        PR_CHECK_EQ_INT(t->count, 277);
        size_t unknown = 0;
        for (size_t i = 0; i < t->count; i++)
            unknown += t->items[i].person && strcmp(t->items[i].person, "unknown") == 0;
        PR_CHECK_EQ_INT(unknown, 19);
        PR_CHECK_STR(t->extra_names, "origin");
        PR_CHECK_STR(t->items[0].image, "azure_face_family/images/Family1-Dad1.jpg");
        PR_CHECK_STR(t->base_dir, album_dir);
    }
    pr_face_labels_delete(t);

    char dlib[4096];
    snprintf(dlib, sizeof dlib, "%s", pr_test_data_dir("dlib_faces"));
    pr_face_labels *csv = load(dlib, "boxes.csv");
    pr_face_labels *test = load(dlib, "testing.xml");
    pr_face_labels *train = load(dlib, "training.xml");
    pr_face_labels *lm = load(dlib, "training_with_face_landmarks.xml");
    if (csv && test && train && lm) {
        PR_CHECK_EQ_INT(csv->count, 43);
        PR_CHECK_EQ_INT(test->count, 25);
        PR_CHECK_EQ_INT(train->count, 18);
        PR_CHECK_EQ_INT(lm->count, 18);
        /* Every XML box appears in boxes.csv with the same image and split. */
        size_t found = 0;
        for (int which = 0; which < 2; which++) {
            pr_face_labels *x = which ? train : test;
            const char *split = which ? "training" : "testing";
            for (size_t i = 0; i < x->count; i++) {
                for (size_t j = 0; j < csv->count; j++) {
                    if (strcmp(csv->items[j].image, x->items[i].image) == 0 &&
                        memcmp(&csv->items[j].box, &x->items[i].box, sizeof(pr_box)) == 0 &&
                        csv->items[j].extra && strcmp(csv->items[j].extra, split) == 0) {
                        found++;
                        break;
                    }
                }
            }
        }
        PR_CHECK_EQ_INT(found, 43);
    }
    pr_face_labels_delete(csv);
    pr_face_labels_delete(test);
    pr_face_labels_delete(train);
    pr_face_labels_delete(lm);

    char bbt[4096];
    snprintf(bbt, sizeof bbt, "%s", pr_test_data_dir("faceapi_bbt"));
    pr_face_labels *b = load(bbt, "labels.csv");
    if (b) {
        PR_CHECK_EQ_INT(b->count, 23);
        PR_CHECK_STR(b->items[0].person, "raj");
    }
    pr_face_labels_delete(b);
    return pr_test_finish();
}

/* Reads a labelled album's people.csv, .picasa.ini files and XMP sidecars back through the
 * datasets readers and checks that every face of the CSV is in each sidecar with the same name
 * and box (within the rect64 rounding). Usage: check_outputs ALBUM PEOPLE_CSV [--no-xmp]
 * Exit 0 = all match, 1 = mismatch (printed), 77 = XMP asked for but no exempi. */
#include "core/alloc.h"
#include "datasets/face_labels.h"
#include "datasets/picasa.h"
#include "datasets/xmp_regions.h"

#include <stdio.h>
#include <string.h>

static int find(const pr_face_labels *set, const pr_face_label *want, const char *kind)
{
    for (size_t i = 0; i < set->count; i++) {
        const pr_face_label *l = &set->items[i];
        const char *a = strrchr(l->image, '/'), *b = strrchr(want->image, '/');
        if (strcmp(a ? a + 1 : l->image, b ? b + 1 : want->image) != 0)
            continue;
        if (pr_box_iou(l->box, want->box) < 0.95)
            continue;
        if (!l->person || strcmp(l->person, want->person) != 0) {
            fprintf(stderr, "%s: %s: face at %.0f,%.0f named '%s', CSV says '%s'\n", kind,
                    want->image, want->box.x, want->box.y, l->person ? l->person : "(none)",
                    want->person);
            return 0;
        }
        return 1;
    }
    fprintf(stderr, "%s: %s: face at %.0f,%.0f %.0fx%.0f (%s) missing\n", kind, want->image,
            want->box.x, want->box.y, want->box.w, want->box.h, want->person);
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    int xmp = !(argc > 3 && strcmp(argv[3], "--no-xmp") == 0);
    if (xmp && !pr_xmp_available())
        return 77;
    pr_face_labels *csv = NULL, *side = NULL;
    if (pr_face_labels_load(argv[2], &csv) != PR_OK) {
        fprintf(stderr, "%s\n", pr_last_error());
        return 1;
    }
    int bad = 0;
    size_t faces = 0;
    for (size_t i = 0; i < csv->count; i++) {
        const pr_face_label *want = &csv->items[i];
        if (!want->person || !want->person[0])
            continue;
        faces++;
        char path[4096];
        const char *slash = strrchr(want->image, '/');
        int dir_len = slash ? (int)(slash - want->image) : 0;
        snprintf(path, sizeof path, "%s/%.*s%s.picasa.ini", argv[1], dir_len, want->image,
                 dir_len ? "/" : "");
        pr_face_labels_load_params lp = pr_face_labels_load_params_default();
        if (pr_picasa_load(path, &lp, &side) != PR_OK) {
            fprintf(stderr, "%s\n", pr_last_error());
            bad++;
        } else {
            bad += !find(side, want, path);
        }
        pr_face_labels_delete(side);
        side = NULL;
        if (!xmp)
            continue;
        snprintf(path, sizeof path, "%s/%s.xmp", argv[1], want->image);
        if (pr_xmp_load(path, &lp, &side) != PR_OK) {
            fprintf(stderr, "%s\n", pr_last_error());
            bad++;
        } else {
            bad += !find(side, want, path);
        }
        pr_face_labels_delete(side);
        side = NULL;
    }
    printf("%zu faces checked, %d problems\n", faces, bad);
    pr_face_labels_delete(csv);
    pr_face_labels_delete(side);
    return bad ? 1 : 0;
}

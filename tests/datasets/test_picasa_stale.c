/* A .picasa.ini section for a photo that was deleted or moved away is stale: its faces are dropped
 * and the other photos' names still load (one stale entry used to make every seed unusable). */
#define _POSIX_C_SOURCE 200809L
#include "core/image.h"
#include "datasets/face_labels.h"
#include "tests/test.h"

#include <sys/stat.h>

int main(void)
{
    char dir[1024], path[1200];
    snprintf(dir, sizeof dir, "%s/test-scratch-picasa-stale", PR_BINARY_DIR);
    mkdir(dir, 0777);
    pr_image *img = NULL;
    PR_CHECK_OK(pr_image_new(200, 100, 3, &img));
    snprintf(path, sizeof path, "%s/here.png", dir);
    PR_CHECK_OK(pr_image_save(path, img));
    pr_image_delete(img);
    snprintf(path, sizeof path, "%s/gone.jpg", dir);
    remove(path);

    snprintf(path, sizeof path, "%s/.picasa.ini", dir);
    FILE *f = fopen(path, "w");
    PR_CHECK(f != NULL);
    if (!f)
        return pr_test_finish();
    /* rect64(3fff3fff7fff7fff): l,t,r,b = 0.25, 0.25, 0.5, 0.5 */
    fputs("[gone.jpg]\nfaces=rect64(3fff3fff7fff7fff),aa;rect64(7fff7fffbfffbfff),bb\n"
          "[here.png]\nfaces=rect64(3fff3fff7fff7fff),aa\n"
          "[Contacts2]\naa=Ann;;\nbb=Bob;;\n",
          f);
    fclose(f);

    pr_face_labels *set = NULL;
    PR_CHECK_OK(pr_face_labels_load(path, &set));
    if (set) {
        PR_CHECK_EQ_INT(set->count, 1);
        PR_CHECK_STR(set->items[0].image, "here.png");
        PR_CHECK_STR(set->items[0].person, "Ann");
        PR_CHECK_NEAR(set->items[0].box.x, 50.0, 0.01);
        PR_CHECK_NEAR(set->items[0].box.h, 25.0, 0.01);
    }
    pr_face_labels_delete(set);

    /* An image that exists but is not readable as an image is still an error. */
    snprintf(path, sizeof path, "%s/here.png", dir);
    f = fopen(path, "w");
    fputs("not a png", f);
    fclose(f);
    snprintf(path, sizeof path, "%s/.picasa.ini", dir);
    set = NULL;
    PR_CHECK(pr_face_labels_load(path, &set) != PR_OK);
    PR_CHECK(set == NULL);
    return pr_test_finish();
}

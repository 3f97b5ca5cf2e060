/* Data test: every BSDS500 image and every ground-truth label map loads with the right size. */
#include "core/image.h"
#include "core/labels.h"
#include "tests/test.h"

#include <dirent.h>

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

int main(void)
{
    char images[4096], truth[4096], path[8192];
    snprintf(images, sizeof images, "%s/images", pr_test_data_dir("bsds500"));
    snprintf(truth, sizeof truth, "%s/groundtruth", pr_test_data_dir("bsds500"));
    int n_images = 0, n_truth = 0;
    DIR *d = opendir(images);
    PR_CHECK(d != NULL);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!ends_with(e->d_name, ".jpg"))
            continue;
        snprintf(path, sizeof path, "%s/%s", images, e->d_name);
        pr_image *img = NULL;
        PR_CHECK_OK(pr_image_load(path, NULL, &img, NULL));
        if (img) {
            PR_CHECK_MSG((img->width == 481 && img->height == 321) ||
                             (img->width == 321 && img->height == 481),
                         "%s is %dx%d", path, img->width, img->height);
            PR_CHECK_EQ_INT(img->channels, 3);
        }
        pr_image_delete(img);
        n_images++;
    }
    if (d)
        closedir(d);
    d = opendir(truth);
    PR_CHECK(d != NULL);
    for (struct dirent *e; d && (e = readdir(d));) {
        if (!ends_with(e->d_name, ".png"))
            continue;
        snprintf(path, sizeof path, "%s/%s", truth, e->d_name);
        pr_labels *l = NULL;
        PR_CHECK_OK(pr_labels_load(path, &l));
        if (l) {
            PR_CHECK(l->width * l->height == 481 * 321);
            int max = 0;
            for (int i = 0; i < l->width * l->height; i++)
                max = l->data[i] > max ? l->data[i] : max;
            PR_CHECK_MSG(max >= 1, "%s has a single label", path);
        }
        pr_labels_delete(l);
        n_truth++;
    }
    if (d)
        closedir(d);
    PR_CHECK_EQ_INT(n_images, 500);
    PR_CHECK_MSG(n_truth >= 2696, "%d truth maps", n_truth);
    return pr_test_finish();
}

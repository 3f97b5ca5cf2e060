#define _DEFAULT_SOURCE
/* Gallagher eyes format: eyes kept, box estimated around them, errors, round trip. */
#include "datasets/face_labels.h"
#include "tests/test.h"

#include <string.h>
#include <unistd.h>

int main(void)
{
    const char *text = "# image lx ly rx ry id\n"
                       "img 001.jpg\t100\t50\t140\t50\t3\n"
                       "b.jpg 10 10 20 10 7\n";
    pr_face_labels *s = NULL;
    PR_CHECK_OK(pr_face_labels_parse_gallagher(text, strlen(text), "g.tsv", "", &s));
    if (s && s->count == 2) {
        PR_CHECK_STR(s->items[0].image, "img 001.jpg");
        PR_CHECK_STR(s->items[0].person, "3");
        PR_CHECK(s->items[0].has_eyes);
        PR_CHECK_NEAR(s->items[0].eyes[2], 140, 0);
        /* eye distance 40 -> side 88, centre x 120, eyes at 0.4 of the height */
        PR_CHECK_NEAR(s->items[0].box.w, 88, 1e-9);
        PR_CHECK_NEAR(s->items[0].box.x, 120 - 44, 1e-9);
        PR_CHECK_NEAR(s->items[0].box.y, 50 - 0.4 * 88, 1e-9);
        char path[] = "/tmp/pr_test_gal_XXXXXX.tsv";
        int fd = mkstemps(path, 4);
        close(fd);
        PR_CHECK_OK(pr_face_labels_save_gallagher(s, path));
        pr_face_labels *r = NULL;
        PR_CHECK_OK(pr_face_labels_load(path, &r));
        if (r && r->count == 2)
            for (int k = 0; k < 4; k++)
                PR_CHECK_NEAR(r->items[1].eyes[k], s->items[1].eyes[k], 0);
        else
            PR_CHECK(0);
        pr_face_labels_delete(r);
        remove(path);
    } else {
        PR_CHECK(0);
    }
    pr_face_labels_delete(s);
    static const char *const bad[] = {"a.jpg\t1\t2\t3\t4\n", "a.jpg\t1\t2\t3\tx\t5\n",
                                      "a.jpg\t1\t2\t1\t2\t5\n", "a.jpg\t1\t2\t3\t4\t5\t6\n"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = NULL;
        PR_CHECK_EQ_INT(pr_face_labels_parse_gallagher(bad[i], strlen(bad[i]), "g.tsv", "", &s),
                        PR_ERR_FORMAT);
        PR_CHECK(strncmp(pr_last_error(), "g.tsv:1:", 8) == 0);
    }
    return pr_test_finish();
}

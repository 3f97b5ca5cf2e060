/* Label maps: 16-bit PNG and 32-bit raw round trips, limits, canonical renumbering. */
#include "core/labels.h"
#include "tests/core/image_fixtures.h"
#include "tests/test.h"

int main(void)
{
    const char *dir = fixture_dir("labels");
    char path[1200];
    pr_labels *l = NULL, *back = NULL;
    PR_CHECK_OK(pr_labels_new(300, 7, &l));
    for (int i = 0; i < 300 * 7; i++)
        l->data[i] = (i * 977) % 65536;
    snprintf(path, sizeof path, "%s/l.png", dir);
    PR_CHECK_OK(pr_labels_save(path, l));
    PR_CHECK_OK(pr_labels_load(path, &back));
    PR_CHECK(back && memcmp(back->data, l->data, sizeof(int32_t) * 300 * 7) == 0);
    pr_labels_delete(back);

    l->data[5] = 70000;
    PR_CHECK_EQ_INT(pr_labels_save(path, l), PR_ERR_LIMIT);
    snprintf(path, sizeof path, "%s/l.raw", dir);
    PR_CHECK_OK(pr_labels_save(path, l));
    PR_CHECK_OK(pr_labels_load(path, &back));
    PR_CHECK(back && back->data[5] == 70000 && memcmp(back->data, l->data, 4 * 300 * 7) == 0);
    pr_labels_delete(back);
    pr_labels_delete(l);

    /* Canonical: first appearance order. */
    PR_CHECK_OK(pr_labels_new(3, 2, &l));
    int32_t raw[6] = {5, 5, 2, 0, 2, 5}, want[6] = {0, 0, 1, 2, 1, 0};
    memcpy(l->data, raw, sizeof raw);
    int count = 0;
    PR_CHECK_OK(pr_labels_canonicalize(l, &count));
    PR_CHECK_EQ_INT(count, 3);
    PR_CHECK(memcmp(l->data, want, sizeof want) == 0);
    l->data[0] = 6;
    PR_CHECK_EQ_INT(pr_labels_canonicalize(l, &count), PR_ERR_ARG);
    pr_labels_delete(l);

    snprintf(path, sizeof path, "%s/bad.png", dir);
    fixture_write(path, "\x89PNG\r\n\x1a\nxx", 10);
    PR_CHECK_EQ_INT(pr_labels_load(path, &back), PR_ERR_FORMAT);
    snprintf(path, sizeof path, "%s/bad.raw", dir);
    fixture_write(path, "PRL1\n100 100\n\x01", 14);
    PR_CHECK_EQ_INT(pr_labels_load(path, &back), PR_ERR_FORMAT);
    return pr_test_finish();
}

/* core/path: join, dirname, basename, relative, and the photo-path matcher. */
#include "core/alloc.h"
#include "core/path.h"
#include "tests/test.h"

int main(void)
{
    char buf[64];
    PR_CHECK_OK(pr_path_join(buf, sizeof buf, "album", "a.jpg"));
    PR_CHECK_STR(buf, "album/a.jpg");
    PR_CHECK_OK(pr_path_join(buf, sizeof buf, "album/", "a.jpg"));
    PR_CHECK_STR(buf, "album/a.jpg");
    PR_CHECK_OK(pr_path_join(buf, sizeof buf, "", "a.jpg"));
    PR_CHECK_STR(buf, "a.jpg");
    PR_CHECK_OK(pr_path_join(buf, sizeof buf, "album", "/abs/a.jpg"));
    PR_CHECK_STR(buf, "/abs/a.jpg");
    PR_CHECK_EQ_INT(pr_path_join(buf, 8, "album", "a.jpg"), PR_ERR_LIMIT);
    PR_CHECK_OK(pr_path_join(buf, 12, "album", "a.jpg")); /* exactly fits: 11 chars + NUL */
    char *j = pr_path_join_new("x", "y");
    PR_CHECK_STR(j, "x/y");
    pr_free(j);

    char *d = pr_path_dirname("a/b/c.jpg");
    PR_CHECK_STR(d, "a/b");
    pr_free(d);
    d = pr_path_dirname("c.jpg");
    PR_CHECK_STR(d, "");
    pr_free(d);
    d = pr_path_dirname("/c.jpg");
    PR_CHECK_STR(d, "/");
    pr_free(d);
    PR_CHECK_STR(pr_path_basename("a/b/c.jpg"), "c.jpg");
    PR_CHECK_STR(pr_path_basename("c.jpg"), "c.jpg");

    PR_CHECK_STR(pr_path_relative("album", "album/sub/a.jpg"), "sub/a.jpg");
    PR_CHECK_STR(pr_path_relative("album/", "album/a.jpg"), "a.jpg");
    PR_CHECK_STR(pr_path_relative("./album", "album/a.jpg"), "a.jpg");
    PR_CHECK_STR(pr_path_relative("album", "albumX/a.jpg"), "albumX/a.jpg"); /* not a prefix dir */
    PR_CHECK_STR(pr_path_relative("other", "album/a.jpg"), "album/a.jpg");
    PR_CHECK_STR(pr_path_relative(".", "./a.jpg"), "a.jpg");
    PR_CHECK_STR(pr_path_skip_dot("././a.jpg"), "a.jpg");

    /* The photo-path matcher. */
    PR_CHECK(pr_path_same_photo("a.jpg", "a.jpg"));
    PR_CHECK(pr_path_same_photo("album/a.jpg", "a.jpg"));
    PR_CHECK(pr_path_same_photo("a.jpg", "trip/a.jpg")); /* symmetric */
    PR_CHECK(pr_path_same_photo("./trip/a.jpg", "trip/a.jpg"));
    PR_CHECK(pr_path_same_photo("/home/u/album/trip/a.jpg", "trip/a.jpg"));
    PR_CHECK(!pr_path_same_photo("xa.jpg", "a.jpg"));        /* not at a folder boundary */
    PR_CHECK(!pr_path_same_photo("trip/a.jpg", "home/a.jpg"));
    PR_CHECK(!pr_path_same_photo("A.jpg", "a.jpg"));         /* case matters */
    PR_CHECK(!pr_path_same_photo("", "a.jpg"));
    PR_CHECK(!pr_path_same_photo("a.jpg", "./"));
    PR_CHECK(!pr_path_same_photo(NULL, "a.jpg"));
    return pr_test_finish();
}

#define _DEFAULT_SOURCE
/* dlib imglab XML: boxes, labels, ignore flags, Latin-1, entities; malformed XML; round trip. */
#include "datasets/face_labels.h"
#include "tests/test.h"

#include <string.h>
#include <unistd.h>

static const char *k_xml =
    "<?xml version='1.0' encoding='ISO-8859-1'?>\n"
    "<?xml-stylesheet type='text/xsl' href='image_metadata_stylesheet.xsl'?>\n"
    "<dataset>\n<name>Testing faces</name>\n<!-- a comment <box> -->\n<images>\n"
    "  <image file='a &amp; b.jpg' width='500' height='332'>\n"
    "    <box top='181' left='274' width='52' height='53'/>\n"
    "    <box top='10' left='20' width='30' height='40' ignore='1'/>\n"
    "    <box top='1' left='2' width='3' height='4'>\n"
    "      <label>Jos\xe9</label>\n"
    "      <part name='00' x='201' y='107'/>\n"
    "    </box>\n"
    "  </image>\n"
    "  <image file='c.jpg'>\n  </image>\n"
    "</images>\n</dataset>\n";

int main(void)
{
    pr_face_labels *s = NULL;
    PR_CHECK_OK(pr_face_labels_parse_dlib(k_xml, strlen(k_xml), "t.xml", "", &s));
    if (s) {
        PR_CHECK_EQ_INT(s->count, 3);
        PR_CHECK_STR(s->items[0].image, "a & b.jpg");
        PR_CHECK_NEAR(s->items[0].box.x, 274, 0);
        PR_CHECK_NEAR(s->items[0].box.y, 181, 0);
        PR_CHECK_NEAR(s->items[0].box.w, 52, 0);
        PR_CHECK_NEAR(s->items[0].box.h, 53, 0);
        PR_CHECK(s->items[0].person == NULL);
        PR_CHECK_STR(s->items[1].extra, "ignore");
        PR_CHECK_STR(s->items[2].person, "Jos\xc3\xa9"); /* Latin-1 e-acute as UTF-8 */

        char path[] = "/tmp/pr_test_dlib_XXXXXX.xml";
        int fd = mkstemps(path, 4);
        PR_CHECK(fd >= 0);
        close(fd);
        PR_CHECK_OK(pr_face_labels_save_dlib(s, path));
        pr_face_labels *r = NULL;
        PR_CHECK_OK(pr_face_labels_load(path, &r));
        if (r) {
            PR_CHECK_EQ_INT(r->count, 3);
            for (size_t i = 0; i < 3 && i < r->count; i++) {
                PR_CHECK_STR(r->items[i].image, s->items[i].image);
                PR_CHECK(memcmp(&r->items[i].box, &s->items[i].box, sizeof(pr_box)) == 0);
            }
            if (r->count == 3) {
                PR_CHECK_STR(r->items[2].person, "Jos\xc3\xa9");
                PR_CHECK_STR(r->items[1].extra, "ignore");
            }
        }
        pr_face_labels_delete(r);
        remove(path);
    }
    pr_face_labels_delete(s);

    static const char *const bad[] = {
        "<dataset><images><image file='a'><box top='1' left='2' width='3'/></image></images>"
        "</dataset>",                                                      /* no height */
        "<dataset><images><image file='a'><box top='x' left='2' width='3' height='4'/>"
        "</image></images></dataset>",                                     /* bad number */
        "<dataset><images><image file='a'></images></dataset>",            /* mismatched */
        "<dataset><images><image file='a'>",                               /* truncated */
        "<dataset><box top='1' left='2' width='3' height='4'/></dataset>", /* box outside image */
        "<dataset a=b></dataset>",                                         /* unquoted attr */
        "<dataset>&bogus;</dataset>",                                      /* unknown entity */
        "<dataset><!-- never closed",                                      /* comment */
        "<images></images>",                                               /* not dlib */
        "<dataset><image file='\xff'></image></dataset>",                  /* bad UTF-8 */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = NULL;
        pr_status st = pr_face_labels_parse_dlib(bad[i], strlen(bad[i]), "t.xml", "", &s);
        PR_CHECK_MSG(st == PR_ERR_FORMAT, "case %zu gave %d (%s)", i, (int)st, pr_last_error());
        PR_CHECK(s == NULL);
        PR_CHECK_MSG(strncmp(pr_last_error(), "t.xml:", 6) == 0, "case %zu: %s", i,
                     pr_last_error());
    }
    /* Deep nesting is refused, not a stack overflow. */
    char deep[4096] = "<dataset>";
    for (int i = 0; i < 300; i++)
        strcat(deep, "<a>");
    s = NULL;
    PR_CHECK_EQ_INT(pr_face_labels_parse_dlib(deep, strlen(deep), "t.xml", "", &s), PR_ERR_FORMAT);
    return pr_test_finish();
}

#define _DEFAULT_SOURCE
/* CSV face labels: header mapping, comments, quoting, extra columns, errors with file:line, and a
 * write/read round trip. */
#include "core/alloc.h"
#include "datasets/face_labels.h"
#include "tests/test.h"

#include <stdio.h>
#include <string.h>
#include <unistd.h>

static pr_face_labels *parse(const char *text, pr_status *st)
{
    pr_face_labels *set = NULL;
    *st = pr_face_labels_parse_csv(text, strlen(text), "t.csv", "base", &set);
    return set;
}

int main(void)
{
    pr_status st;
    pr_face_labels *s = parse("# comment\n"
                              "image,x,y,w,h,person,origin\n"
                              "a/b.jpg,9,40,155,155,family1_dad,haar\r\n"
                              "\n"
                              "c.jpg, 1.5 ,2,3,4,,manual\n"
                              "\"d,e.jpg\",1,2,3,4,\"O'Neil, \"\"Jr\"\"\",x\n",
                              &st);
    PR_CHECK_OK(st);
    if (s) {
        PR_CHECK_EQ_INT(s->count, 3);
        PR_CHECK_STR(s->base_dir, "base");
        PR_CHECK_STR(s->extra_names, "origin");
        PR_CHECK_STR(s->items[0].image, "a/b.jpg");
        PR_CHECK_NEAR(s->items[0].box.x, 9, 0);
        PR_CHECK_NEAR(s->items[0].box.h, 155, 0);
        PR_CHECK_STR(s->items[0].person, "family1_dad");
        PR_CHECK_STR(s->items[0].extra, "haar");
        PR_CHECK_NEAR(s->items[1].box.x, 1.5, 0);
        PR_CHECK(s->items[1].person == NULL);
        PR_CHECK_STR(s->items[2].image, "d,e.jpg");
        PR_CHECK_STR(s->items[2].person, "O'Neil, \"Jr\"");
        char buf[64];
        PR_CHECK_OK(pr_face_labels_image_path(s, 0, buf, sizeof buf));
        PR_CHECK_STR(buf, "base/a/b.jpg");
        PR_CHECK_EQ_INT(pr_face_labels_image_path(s, 0, buf, 5), PR_ERR_LIMIT);

        /* Round trip through a file. */
        char path[] = "/tmp/pr_test_csv_XXXXXX.csv";
        int fd = mkstemps(path, 4);
        PR_CHECK(fd >= 0);
        close(fd);
        PR_CHECK_OK(pr_face_labels_save_csv(s, path));
        pr_face_labels *r = NULL;
        PR_CHECK_OK(pr_face_labels_load(path, &r));
        if (r) {
            PR_CHECK_EQ_INT(r->count, 3);
            for (size_t i = 0; i < r->count && i < s->count; i++) {
                PR_CHECK_STR(r->items[i].image, s->items[i].image);
                PR_CHECK(memcmp(&r->items[i].box, &s->items[i].box, sizeof(pr_box)) == 0);
                PR_CHECK((r->items[i].person == NULL) == (s->items[i].person == NULL));
                if (s->items[i].person)
                    PR_CHECK_STR(r->items[i].person, s->items[i].person);
                PR_CHECK_STR(r->items[i].extra, s->items[i].extra);
            }
            PR_CHECK_STR(r->extra_names, "origin");
        }
        pr_face_labels_delete(r);
        remove(path);
    }
    pr_face_labels_delete(s);

    /* boxes.csv style: a "split" column is extra, not a person. */
    s = parse("image,x,y,w,h,split\n2007_007763.jpg,194,90,37,37,training\n", &st);
    PR_CHECK_OK(st);
    if (s) {
        PR_CHECK(s->items[0].person == NULL);
        PR_CHECK_STR(s->items[0].extra, "training");
    }
    pr_face_labels_delete(s);

    /* No header: sixth column is the person. */
    s = parse("x.jpg,1,2,3,4,bob\n", &st);
    PR_CHECK_OK(st);
    if (s)
        PR_CHECK_STR(s->items[0].person, "bob");
    pr_face_labels_delete(s);

    /* Errors carry file:line. */
    static const char *const bad[] = {
        "image,x,y,w,h\na.jpg,1,2,3\n",           /* too few fields */
        "image,x,y,w,h\na.jpg,1,2,abc,4\n",       /* not a number */
        "a.jpg,1,2,nan,4\n",                      /* NaN */
        "a.jpg,1,2,inf,4\n",                      /* infinity */
        "a.jpg,1,2,0,4\n",                        /* no area */
        "a.jpg,1,2,-3,4\n",                       /* negative */
        "\"a.jpg,1,2,3,4\n",                      /* unterminated quote */
        "a.jpg,1,2,3,4,\xff\xfe\n",               /* bad UTF-8 */
        ",1,2,3,4\n",                             /* empty image */
        "a.jpg,1e400,2,3,4\n",                    /* overflow */
        "a.jpg,0x10,2,3,4\n",                     /* hex */
        "image,y,w,h\na,1,2,3\n",                 /* header without x */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = parse(bad[i], &st);
        PR_CHECK_MSG(st == PR_ERR_FORMAT, "case %zu gave %d", i, (int)st);
        PR_CHECK(s == NULL);
        PR_CHECK_MSG(strstr(pr_last_error(), "t.csv:") != NULL, "case %zu: %s", i,
                     pr_last_error());
    }
    s = parse("image,x,y,w,h\na.jpg,1,2,3\n", &st);
    PR_CHECK(strstr(pr_last_error(), "t.csv:2:") != NULL);

    /* Empty input is an empty set. */
    s = parse("", &st);
    PR_CHECK_OK(st);
    PR_CHECK(s && s->count == 0);
    pr_face_labels_delete(s);

    /* Every allocation failure returns PR_ERR_NOMEM and leaks nothing (ASan checks leaks). */
    const char *text = "image,x,y,w,h,person,origin\na.jpg,1,2,3,4,p,haar\nb.jpg,1,2,3,4,q,x\n";
    /* Allocation n fails, n = 1, 2, ... until the first run that succeeds. */
    st = PR_ERR_NOMEM;
    long runs = 0;
    for (long n = 1; st != PR_OK && n <= 100000; n++, runs++) {
        pr_alloc_fail_at(n);
        s = parse(text, &st);
        pr_alloc_fail_at(0);
        PR_CHECK(st == PR_OK || st == PR_ERR_NOMEM);
        PR_CHECK((st == PR_OK) == (s != NULL));
        pr_face_labels_delete(s);
    }
    PR_CHECK_EQ_INT(st, PR_OK);
    PR_CHECK(runs > 1);
    return pr_test_finish();
}

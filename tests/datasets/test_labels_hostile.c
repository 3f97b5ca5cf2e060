/* Hostile input for every parser: huge lines, NUL bytes, every truncation of a valid file, and
 * seeded random byte flips. Each call must return PR_OK or PR_ERR_FORMAT/PR_ERR_LIMIT with a
 * "name:" message, never crash (run under ASan in the sanitizer build). */
#include "core/alloc.h"
#include "core/rng.h"
#include "datasets/face_labels.h"
#include "datasets/picasa.h"
#include "datasets/text_internal.h"
#include "tests/test.h"

#define PR_TEXT_MAX_LINE_FOR_TEST PR_TEXT_MAX_LINE

#include <stdlib.h>
#include <string.h>

typedef pr_status (*parse_fn)(const char *, size_t, const char *, const char *, pr_face_labels **);

static pr_status parse_ini(const char *d, size_t n, const char *name, const char *base,
                           pr_face_labels **out)
{
    return pr_picasa_parse_ini(d, n, name, base, NULL, out);
}

static int g_bad;

static void try_one(parse_fn f, const char *d, size_t n)
{
    pr_face_labels *s = NULL;
    pr_status st = f(d, n, "h.txt", "", &s);
    if (st == PR_OK) {
        for (size_t i = 0; s && i < s->count; i++)
            if (!(s->items[i].box.w > 0 && s->items[i].box.h > 0))
                g_bad++;
    } else if ((st != PR_ERR_FORMAT && st != PR_ERR_LIMIT) ||
               strncmp(pr_last_error(), "h.txt", 5) != 0) {
        g_bad++;
        fprintf(stderr, "unexpected %d: %s\n", (int)st, pr_last_error());
    }
    PR_CHECK((st == PR_OK) == (s != NULL));
    pr_face_labels_delete(s);
}

int main(void)
{
    static const struct {
        parse_fn f;
        const char *valid;
    } cases[] = {
        {pr_face_labels_parse_csv,
         "image,x,y,w,h,person,origin\na/b.jpg,9,40,155,155,dad,haar\n\"c,d\",1,2,3,4,\"x\",m\n"},
        {pr_face_labels_parse_dlib,
         "<?xml version='1.0'?><dataset><images><image file='a.jpg'><box top='1' left='2' "
         "width='3' height='4'><label>x&amp;y</label></box></image></images></dataset>"},
        {pr_face_labels_parse_gallagher, "a.jpg\t1\t2\t3\t4\t5\nb.jpg 1 2 3 4 5\n"},
        {parse_ini, "[a.jpg]\nfaces=rect64(3f845bcb59418507),1;rect64(80004000ffff),"
                    "ffffffffffffffff\n[Contacts2]\n1=Ann;;\n"},
    };
    size_t big = (size_t)PR_TEXT_MAX_LINE_FOR_TEST;
    char *buf = malloc(big + 64);
    pr_rng rng;
    pr_rng_seed(&rng, 42);
    for (size_t c = 0; c < sizeof cases / sizeof cases[0]; c++) {
        const char *v = cases[c].valid;
        size_t n = strlen(v);
        /* The valid input parses. */
        pr_face_labels *s = NULL;
        PR_CHECK_OK(cases[c].f(v, n, "h.txt", "", &s));
        PR_CHECK(s && s->count >= 1);
        pr_face_labels_delete(s);
        /* Every truncation. */
        for (size_t k = 0; k <= n; k++)
            try_one(cases[c].f, v, k);
        /* NUL bytes and byte flips. */
        char tmp[512];
        for (int it = 0; it < 3000; it++) {
            memcpy(tmp, v, n);
            int flips = 1 + (int)pr_rng_below(&rng, 4);
            for (int q = 0; q < flips; q++)
                tmp[pr_rng_below(&rng, n)] = (char)pr_rng_below(&rng, 256);
            try_one(cases[c].f, tmp, n);
        }
        /* A huge line. */
        memset(buf, 'a', big + 10);
        try_one(cases[c].f, buf, big + 10);
    }
    PR_CHECK_EQ_INT(g_bad, 0);
    free(buf);
    return pr_test_finish();
}

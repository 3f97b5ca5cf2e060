/* core/csv + core/strbuf: RFC 4180 quoting (commas, quotes, line breaks, edge blanks, leading '#'),
 * numbers that parse back exactly, and the same bytes to a FILE as to a buffer. */
#include "core/alloc.h"
#include "core/csv.h"
#include "tests/test.h"

#include <stdlib.h>

static void write_rows(pr_csv *w)
{
    static const char *const head[] = {"image", "person"};
    pr_csv_row(w, head, 2);
    pr_csv_field(w, "a,b.jpg");
    pr_csv_field(w, "Ann \"Jr\"");
    pr_csv_end_row(w);
    pr_csv_field(w, "line\nbreak");
    pr_csv_field(w, " padded");
    pr_csv_field(w, "#hash");
    pr_csv_field(w, NULL);
    pr_csv_field(w, "plain");
    pr_csv_end_row(w);
    pr_csv_int(w, -42);
    pr_csv_double(w, 3.0);
    pr_csv_double(w, 0.1);
    pr_csv_double(w, NAN);
    pr_csv_fixed(w, 2.0 / 3.0, 3);
    pr_csv_fieldf(w, "%d,%d", 1, 2);
    pr_csv_end_row(w);
}

static const char *const expected = "image,person\n"
                                    "\"a,b.jpg\",\"Ann \"\"Jr\"\"\"\n"
                                    "\"line\nbreak\",\" padded\",\"#hash\",,plain\n"
                                    "-42,3,0.1,,0.667,\"1,2\"\n";

int main(void)
{
    pr_strbuf b = {0};
    PR_CHECK_STR(pr_strbuf_str(&b), "");
    pr_csv w = pr_csv_to_buf(&b);
    write_rows(&w);
    PR_CHECK_OK(pr_csv_status(&w));
    PR_CHECK_STR(pr_strbuf_str(&b), expected);

    FILE *f = tmpfile();
    PR_CHECK(f != NULL);
    pr_csv wf = pr_csv_to_file(f);
    write_rows(&wf);
    PR_CHECK_OK(pr_csv_status(&wf));
    rewind(f);
    char got[512] = "";
    size_t n = fread(got, 1, sizeof got - 1, f);
    got[n] = '\0';
    fclose(f);
    PR_CHECK_STR(got, expected);

    /* The shortest text that reads back to the same double. */
    pr_strbuf_reset(&b);
    w = pr_csv_to_buf(&b);
    double v = 1.0 / 3.0;
    pr_csv_double(&w, v);
    PR_CHECK(strtod(pr_strbuf_str(&b), NULL) == v);

    PR_CHECK(pr_csv_needs_quotes("a\rb"));
    PR_CHECK(pr_csv_needs_quotes("tail\t"));
    PR_CHECK(!pr_csv_needs_quotes("Ann Lee"));
    PR_CHECK(!pr_csv_needs_quotes(""));

    /* A long formatted field (beyond any stack buffer) and a failed allocation. */
    pr_strbuf_reset(&b);
    w = pr_csv_to_buf(&b);
    char longtext[2000];
    memset(longtext, 'x', sizeof longtext - 1);
    longtext[sizeof longtext - 1] = '\0';
    pr_csv_fieldf(&w, "%s,", longtext);
    PR_CHECK_EQ_INT(b.len, sizeof longtext - 1 + 3); /* quoted because of the comma */
    pr_strbuf_free(&b);
    w = pr_csv_to_buf(&b);
    pr_alloc_fail_at(1);
    pr_csv_field(&w, "x");
    pr_alloc_fail_at(0);
    PR_CHECK_EQ_INT(pr_csv_status(&w), PR_ERR_NOMEM);
    pr_strbuf_free(&b);

    pr_strbuf s = {0};
    pr_strbuf_printf(&s, "%s-%d", "n", 7);
    pr_strbuf_putc(&s, '!');
    PR_CHECK_STR(pr_strbuf_str(&s), "n-7!");
    PR_CHECK_OK(pr_strbuf_status(&s));
    pr_strbuf_free(&s);
    PR_CHECK(s.data == NULL && s.len == 0);
    return pr_test_finish();
}

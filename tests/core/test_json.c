/* core/json: commas and nesting placed by the writer, escaping, null for non-finite numbers,
 * pretty printing, and misuse (value without key, unbalanced end) reported by pr_json_finish. */
#include "core/json.h"
#include "tests/test.h"

static void read_back(FILE *f, char *buf, size_t size)
{
    rewind(f);
    size_t n = fread(buf, 1, size - 1, f);
    buf[n] = '\0';
}

int main(void)
{
    char got[512];
    FILE *f = tmpfile();
    PR_CHECK(f != NULL);
    pr_json w = pr_json_begin(f, 0);
    pr_json_object(&w);
    pr_json_kv_num(&w, "precision", 0.5);
    pr_json_kv_num(&w, "nan", NAN);
    pr_json_kv_int(&w, "tp", 12);
    pr_json_kv_bool(&w, "gpu", 1);
    pr_json_kv_str(&w, "name", "a \"q\"\n\x01");
    pr_json_key(&w, "curve");
    pr_json_array(&w);
    pr_json_num(&w, 1);
    pr_json_object(&w);
    pr_json_end(&w);
    pr_json_null(&w);
    pr_json_end(&w);
    pr_json_key(&w, "empty");
    pr_json_array(&w);
    pr_json_end(&w);
    pr_json_end(&w);
    PR_CHECK_OK(pr_json_finish(&w));
    read_back(f, got, sizeof got);
    PR_CHECK_STR(got, "{\"precision\":0.5,\"nan\":null,\"tp\":12,\"gpu\":true,"
                      "\"name\":\"a \\\"q\\\"\\n\\u0001\",\"curve\":[1,{},null],\"empty\":[]}\n");
    fclose(f);

    f = tmpfile();
    w = pr_json_begin(f, 2);
    pr_json_object(&w);
    pr_json_kv_int(&w, "a", 1);
    pr_json_key(&w, "b");
    pr_json_array(&w);
    pr_json_num_exact(&w, 0.1);
    pr_json_end(&w);
    pr_json_end(&w);
    PR_CHECK_OK(pr_json_finish(&w));
    read_back(f, got, sizeof got);
    PR_CHECK_STR(got, "{\n  \"a\": 1,\n  \"b\": [\n    0.10000000000000001\n  ]\n}\n");
    fclose(f);

    /* A file name that is not UTF-8 (Latin-1, or a byte cut from a sequence) made the whole line
     * invalid JSON, which strict readers refuse (Python's json, serde): each byte of a bad
     * sequence is written as U+FFFD; UTF-8 (2, 3 and 4 bytes) passes as it is. Overlong forms,
     * surrogates and sequences cut short are bad sequences too. */
    f = tmpfile();
    pr_json_string(f, "bad\xffname \xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xb7 \xc0\xaf \xed\xa0\x80 "
                      "\xe2\x82");
    read_back(f, got, sizeof got);
    PR_CHECK_STR(got, "\"bad\\ufffdname \xc3\xa9\xe2\x82\xac\xf0\x9f\x93\xb7 \\ufffd\\ufffd "
                      "\\ufffd\\ufffd\\ufffd \\ufffd\\ufffd\"");
    fclose(f);

    f = tmpfile();
    w = pr_json_begin(f, 0);
    pr_json_object(&w);
    pr_json_num(&w, 1); /* a value without a key */
    pr_json_end(&w);
    PR_CHECK_EQ_INT(pr_json_finish(&w), PR_ERR_ARG);
    w = pr_json_begin(f, 0);
    pr_json_array(&w); /* left open */
    PR_CHECK_EQ_INT(pr_json_finish(&w), PR_ERR_ARG);
    w = pr_json_begin(f, 0);
    pr_json_end(&w); /* nothing to close */
    PR_CHECK_EQ_INT(pr_json_finish(&w), PR_ERR_ARG);
    fclose(f);
    return pr_test_finish();
}

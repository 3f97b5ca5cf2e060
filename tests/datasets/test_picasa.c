#define _DEFAULT_SOURCE
/* Picasa: the rect64 example from the issue, [Contacts2] and contacts.xml names, unnamed faces,
 * malformed entries (strict: an error; lenient: skipped and reported, the rest read), and a
 * write/read round trip that keeps unrelated keys and every entry it did not make of an existing
 * file: a malformed one, a name given in Picasa (whose face is then not added twice), while its
 * own entries of an earlier write are replaced, not duplicated. */
#include "datasets/picasa.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    if (f) {
        fputs(text, f);
        fclose(f);
    }
}

static int skipped;
static void count_skip(void *ctx, const char *message)
{
    (void)ctx;
    skipped++;
    fprintf(stderr, "skipped as expected: %s\n", message);
}

static char *read_all(const char *path)
{
    static char buf[65536];
    FILE *f = fopen(path, "rb");
    size_t n = f ? fread(buf, 1, sizeof buf - 1, f) : 0;
    if (f)
        fclose(f);
    buf[n] = '\0';
    return buf;
}

int main(void)
{
    double ltrb[4];
    PR_CHECK(pr_picasa_rect64_decode("3f845bcb59418507", 16, ltrb));
    PR_CHECK_NEAR(ltrb[0], 0.2481, 5e-5);
    PR_CHECK_NEAR(ltrb[1], 0.3586, 5e-5);
    PR_CHECK_NEAR(ltrb[2], 0.3487, 5e-5);
    PR_CHECK_NEAR(ltrb[3], 0.5196, 5e-5);
    char hex[17];
    pr_picasa_rect64_encode(ltrb, hex);
    PR_CHECK_STR(hex, "3f845bcb59418507");
    /* Leading zeros are dropped: left = 0 gives a 12-digit number. */
    double z[4] = {0, 0.5, 0.25, 1};
    pr_picasa_rect64_encode(z, hex);
    PR_CHECK_STR(hex, "80004000ffff"); /* 0.5 -> 32768, 0.25 -> 16384 (rounded) */
    PR_CHECK(pr_picasa_rect64_decode("80004000ffff", 12, ltrb));
    PR_CHECK_NEAR(ltrb[0], 0, 0);
    PR_CHECK_NEAR(ltrb[3], 1, 0);
    PR_CHECK(!pr_picasa_rect64_decode("12345678901234567", 17, ltrb));
    PR_CHECK(!pr_picasa_rect64_decode("12g4", 4, ltrb));
    PR_CHECK(!pr_picasa_rect64_decode("", 0, ltrb));

    const char *ini = "[Picasa]\nname=Holiday\n"
                      "[a.jpg]\nstar=yes\n"
                      "faces=rect64(3f845bcb59418507),8e62398ebda8c1a5;rect64(80003fffffff),"
                      "ffffffffffffffff;rect64(1000100020002),1234\n"
                      "[Contacts2]\n8e62398ebda8c1a5=Ann Smith;ann@example.org;\n";
    pr_picasa_contacts *c = NULL;
    PR_CHECK_OK(pr_picasa_contacts_new(&c));
    const char *xml = "<contacts><contact id=\"1234\" name=\"Bob &amp; Co\" "
                      "modified_time=\"x\"/><contact id=\"8e62398ebda8c1a5\" name=\"Other\"/>"
                      "</contacts>";
    PR_CHECK_OK(pr_picasa_contacts_parse_xml(c, xml, strlen(xml), "contacts.xml"));
    pr_face_labels *s = NULL;
    PR_CHECK_OK(pr_picasa_parse_ini(ini, strlen(ini), "t.ini", "", c, &s));
    if (s) {
        PR_CHECK_EQ_INT(s->count, 3);
        PR_CHECK_STR(s->items[0].image, "a.jpg");
        PR_CHECK_STR(s->items[0].person, "Ann Smith"); /* the ini's own table wins */
        PR_CHECK_NEAR(s->items[0].box.x, 0.2481, 5e-5);
        PR_CHECK_NEAR(s->items[0].box.w, 0.3487 - 0.2481, 1e-4);
        PR_CHECK(s->items[1].person == NULL);
        PR_CHECK(s->items[1].extra == NULL);
        PR_CHECK_STR(s->items[2].person, "Bob & Co");
    }
    pr_face_labels_delete(s);
    /* Without contacts.xml the id is kept. */
    s = NULL;
    PR_CHECK_OK(pr_picasa_parse_ini(ini, strlen(ini), "t.ini", "", NULL, &s));
    if (s)
        PR_CHECK_STR(s->items[2].extra, "contact=1234");
    pr_face_labels_delete(s);
    pr_picasa_contacts_delete(c);

    static const char *const bad[] = {
        "[a.jpg]\nfaces=rect(1234),ffffffffffffffff\n",
        "[a.jpg]\nfaces=rect64(12345,ffffffffffffffff\n",
        "[a.jpg]\nfaces=rect64(zz),ffffffffffffffff\n",
        "[a.jpg]\nfaces=rect64(3f845bcb59418507)\n",
        "[a.jpg]\nfaces=rect64(85075bcb59413f84),ffffffffffffffff\n", /* right < left */
        "[a.jpg\nfaces=rect64(1),1\n",
        "[a.jpg]\nfaces=rect64(3f845bcb59418507),\n",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        s = NULL;
        pr_status st = pr_picasa_parse_ini(bad[i], strlen(bad[i]), "t.ini", "", NULL, &s);
        PR_CHECK_MSG(st == PR_ERR_FORMAT, "case %zu gave %d", i, (int)st);
        PR_CHECK_MSG(strncmp(pr_last_error(), "t.ini:2:", 8) == 0 || i == 5, "case %zu: %s", i,
                     pr_last_error());
        PR_CHECK(s == NULL);
    }

    /* Round trip through files with a 200 x 100 image. */
    char dir[] = "/tmp/pr_test_picasa_XXXXXX";
    PR_CHECK(mkdtemp(dir) != NULL);
    char path[512], sub[512];
    snprintf(sub, sizeof sub, "%s/sub", dir);
    mkdir(sub, 0777);
    snprintf(path, sizeof path, "%s/sub/p.pgm", dir);
    FILE *f = fopen(path, "wb");
    if (f) {
        fprintf(f, "P5\n# c\n200 100\n255\n");
        for (int i = 0; i < 200 * 100; i++)
            fputc(0, f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/sub/.picasa.ini", dir);
    write_file(path, "[p.pgm]\nstar=yes\nfaces=rect64(1),ffffffffffffffff\n[other.jpg]\n"
                     "faces=rect64(3f845bcb59418507),ffffffffffffffff\n[Contacts2]\nabc=Keep;;\n");
    pr_face_labels *w = NULL;
    PR_CHECK_OK(pr_face_labels_new(dir, &w));
    pr_box b1 = {10, 20, 30, 40}, b2 = {100.5, 0, 99.5, 100};
    PR_CHECK_OK(pr_face_labels_add(w, "sub/p.pgm", b1, "Ann", NULL, 0));
    PR_CHECK_OK(pr_face_labels_add(w, "sub/p.pgm", b2, NULL, NULL, 0));
    PR_CHECK_OK(pr_picasa_save(w, dir, NULL));
    const char *text = read_all(path);
    PR_CHECK(strstr(text, "star=yes") != NULL);
    PR_CHECK(strstr(text, "[other.jpg]\nfaces=rect64(3f845bcb59418507)") != NULL);
    PR_CHECK(strstr(text, "abc=Keep;;") != NULL);
    /* The zero-area entry is not ours: kept as it was (and the reader skips it). */
    PR_CHECK(strstr(text, "faces=rect64(1),ffffffffffffffff;") != NULL);
    PR_CHECK(strstr(text, "=Ann;;") != NULL);
    pr_face_labels *r = NULL;
    char inipath[600];
    snprintf(inipath, sizeof inipath, "%s/sub/.picasa.ini", dir);
    PR_CHECK_EQ_INT(pr_picasa_load(inipath, NULL, &r), PR_ERR_FORMAT); /* strict */
    pr_face_labels_load_params lp = pr_face_labels_load_params_default();
    PR_CHECK_OK(pr_picasa_load_ex(inipath, &lp, count_skip, NULL, &r));
    PR_CHECK_EQ_INT(skipped, 1);
    /* other.jpg has no image file here: its stale section is dropped and the rest loads. */
    for (size_t i = 0; r && i < r->count; i++)
        PR_CHECK(strstr(r->items[i].image, "other.jpg") == NULL);
    PR_CHECK(r && r->count == 2);
    pr_face_labels_delete(r);
    r = NULL;
    /* An unnamed entry on Ann's face (ours, or Picasa's unnamed detection) is replaced; a second
     * write gives the same file (our own entries are recognised, not duplicated). */
    write_file(path, "[p.pgm]\nfaces=rect64(ccd333333339999),ffffffffffffffff\n");
    PR_CHECK_OK(pr_picasa_save(w, dir, NULL));
    char first[65536];
    snprintf(first, sizeof first, "%s", read_all(path));
    PR_CHECK_OK(pr_picasa_save(w, dir, NULL));
    PR_CHECK_STR(read_all(path), first);
    PR_CHECK_OK(pr_face_labels_load(dir, &r));
    if (r) {
        PR_CHECK_EQ_INT(r->count, 2);
        if (r->count != 2)
            fprintf(stderr, "%s\n", read_all(path));
        for (size_t i = 0; i < 2 && i < r->count; i++) {
            PR_CHECK_STR(r->items[i].image, w->items[i].image);
            PR_CHECK_NEAR(r->items[i].box.x, w->items[i].box.x, 0.01);
            PR_CHECK_NEAR(r->items[i].box.y, w->items[i].box.y, 0.01);
            PR_CHECK_NEAR(r->items[i].box.w, w->items[i].box.w, 0.01);
            PR_CHECK_NEAR(r->items[i].box.h, w->items[i].box.h, 0.01);
        }
        if (r->count == 2) {
            PR_CHECK_STR(r->items[0].person, "Ann");
            PR_CHECK(r->items[1].person == NULL);
        }
    }
    pr_face_labels_delete(r);
    r = NULL;
    /* A name given in Picasa on Ann's face (a contact id that is not our hash of the name) stays
     * with its contact line; our face there is not added a second time; our old contact line for
     * a name no face uses any more (a renamed person) goes. */
    char id9[17], fixture[400];
    pr_picasa_contact_id("person_9", id9);
    snprintf(fixture, sizeof fixture, "[p.pgm]\nfaces=rect64(ccd333333339999),1234abcd1234abcd\n"
             "[Contacts2]\n1234abcd1234abcd=Anna;;\n%s=person_9;;\n", id9);
    write_file(path, fixture);
    PR_CHECK_OK(pr_picasa_save(w, dir, NULL));
    text = read_all(path);
    PR_CHECK(strstr(text, "faces=rect64(ccd333333339999),1234abcd1234abcd;rect64(") != NULL);
    PR_CHECK(strstr(text, "1234abcd1234abcd=Anna;;") != NULL);
    PR_CHECK(strstr(text, "=Ann;;") == NULL);
    PR_CHECK(strstr(text, id9) == NULL);
    PR_CHECK_OK(pr_face_labels_load(dir, &r));
    PR_CHECK(r && r->count == 2 && r->items[0].person && strcmp(r->items[0].person, "Anna") == 0);
    pr_face_labels_delete(r);
    r = NULL;
    /* The same with the older [Contacts] section, which the writer now reads as the reader does:
     * Anna's entry stays hers, and her contact line moves into the one [Contacts2] section. */
    snprintf(fixture, sizeof fixture, "[p.pgm]\nfaces=rect64(ccd333333339999),1234abcd1234abcd\n"
             "[Contacts]\n1234abcd1234abcd=Anna;;\n");
    write_file(path, fixture);
    PR_CHECK_OK(pr_picasa_save(w, dir, NULL));
    text = read_all(path);
    PR_CHECK(strstr(text, "faces=rect64(ccd333333339999),1234abcd1234abcd;rect64(") != NULL);
    PR_CHECK(strstr(text, "1234abcd1234abcd=Anna;;") != NULL);
    PR_CHECK(strstr(text, "[Contacts]") == NULL); /* one contacts section, [Contacts2] */
    PR_CHECK_OK(pr_face_labels_load(dir, &r));
    PR_CHECK(r && r->count == 2 && r->items[0].person && strcmp(r->items[0].person, "Anna") == 0);
    pr_face_labels_delete(r);
    r = NULL;
    /* A file Picasa wrote on Windows (CRLF line ends, some with a UTF-8 byte order mark) keeps
     * them: every line, ours too, ends in CRLF and the mark stays (every line was turned into an
     * LF line and the mark dropped), and a second write gives the same bytes. */
    snprintf(fixture, sizeof fixture,
             "\xEF\xBB\xBF[p.pgm]\r\nstar=yes\r\nfaces=rect64(ccd333333339999),1234abcd1234abcd\r\n"
             "[Contacts2]\r\n1234abcd1234abcd=Anna;;\r\n");
    write_file(path, fixture);
    PR_CHECK_OK(pr_picasa_save(w, dir, NULL));
    text = read_all(path);
    PR_CHECK(strncmp(text, "\xEF\xBB\xBF[p.pgm]\r\n", 12) == 0);
    PR_CHECK(strstr(text, "\r\nstar=yes\r\n") != NULL);
    PR_CHECK(strstr(text, "1234abcd1234abcd=Anna;;\r\n") != NULL);
    int lf_alone = 0;
    for (const char *ch = text; *ch; ch++)
        lf_alone += *ch == '\n' && (ch == text || ch[-1] != '\r');
    PR_CHECK_MSG(lf_alone == 0, "%d lines end in LF alone:\n%s", lf_alone, text);
    snprintf(first, sizeof first, "%s", text);
    PR_CHECK_OK(pr_picasa_save(w, dir, NULL));
    PR_CHECK_STR(read_all(path), first);
    PR_CHECK_OK(pr_face_labels_load(dir, &r));
    PR_CHECK(r && r->count == 2 && r->items[0].person && strcmp(r->items[0].person, "Anna") == 0);
    pr_face_labels_delete(r);
    r = NULL;
    /* Names and file names .picasa.ini cannot carry: reported, that face or photo left out, the
     * rest written. */
    pr_face_labels *odd = NULL;
    PR_CHECK_OK(pr_face_labels_new(dir, &odd));
    PR_CHECK_OK(pr_face_labels_add(odd, "sub/p.pgm", b1, "Ann;Lee", NULL, 0));
    PR_CHECK_OK(pr_face_labels_add(odd, "sub/p.pgm", b2, "Bo", NULL, 0));
    PR_CHECK_OK(pr_face_labels_add(odd, "sub/[x].pgm", b1, "Cy", NULL, 0));
    pr_picasa_save_params sp = pr_picasa_save_params_default();
    sp.problem = count_skip;
    skipped = 0;
    remove(path);
    PR_CHECK_OK(pr_picasa_save(odd, dir, &sp));
    PR_CHECK_EQ_INT(skipped, 2);
    text = read_all(path);
    PR_CHECK(strstr(text, "=Bo;;") != NULL && strstr(text, "Ann") == NULL &&
             strstr(text, "[x]") == NULL);
    PR_CHECK_EQ_INT(pr_picasa_save(odd, dir, NULL), PR_ERR_ARG); /* strict: the first stops */
    pr_face_labels_delete(odd);
    pr_face_labels_delete(r);
    pr_face_labels_delete(w);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    PR_CHECK(system(cmd) == 0);
    return pr_test_finish();
}

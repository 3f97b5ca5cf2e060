#define _DEFAULT_SOURCE
/* XMP sidecars: MWG regions (centre + size, AppliedToDimensions), the MP fallback, malformed
 * packets, writing into an existing sidecar that keeps an unrelated property, and keeping the
 * regions another tool made: a face drawn by hand elsewhere, a pet, and a named face on one of
 * ours (which is then not written twice), while our own regions of an earlier write are replaced
 * (a second write gives the same file). */
#include "datasets/xmp_regions.h"
#include "tests/test.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *k_mwg =
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
    "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
    "<rdf:Description rdf:about='' xmlns:mwg-rs='http://www.metadataworkinggroup.com/schemas/"
    "regions/' xmlns:stDim='http://ns.adobe.com/xap/1.0/sType/Dimensions#' "
    "xmlns:stArea='http://ns.adobe.com/xmp/sType/Area#'>"
    "<mwg-rs:Regions rdf:parseType='Resource'>"
    "<mwg-rs:AppliedToDimensions stDim:w='400' stDim:h='200' stDim:unit='pixel'/>"
    "<mwg-rs:RegionList><rdf:Bag>"
    "<rdf:li><rdf:Description mwg-rs:Name='Ann' mwg-rs:Type='Face'>"
    "<mwg-rs:Area stArea:x='0.5' stArea:y='0.5' stArea:w='0.25' stArea:h='0.5' "
    "stArea:unit='normalized'/></rdf:Description></rdf:li>"
    "<rdf:li><rdf:Description mwg-rs:Type='Pet'>"
    "<mwg-rs:Area stArea:x='0.1' stArea:y='0.1' stArea:w='0.1' stArea:h='0.1'/>"
    "</rdf:Description></rdf:li>"
    "</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF></x:xmpmeta>";

static const char *k_mp =
    "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF "
    "xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#'>"
    "<rdf:Description rdf:about='' xmlns:MP='http://ns.microsoft.com/photo/1.2/' "
    "xmlns:MPRI='http://ns.microsoft.com/photo/1.2/t/RegionInfo#' "
    "xmlns:MPReg='http://ns.microsoft.com/photo/1.2/t/Region#'>"
    "<MP:RegionInfo rdf:parseType='Resource'><MPRI:Regions><rdf:Bag>"
    "<rdf:li MPReg:Rectangle='0.1, 0.2, 0.3, 0.4' MPReg:PersonDisplayName='Bob'/>"
    "</rdf:Bag></MPRI:Regions></MP:RegionInfo></rdf:Description></rdf:RDF></x:xmpmeta>";

int main(void)
{
    if (!pr_xmp_available()) {
        fprintf(stderr, "skipped: built without exempi\n");
        return PR_TEST_SKIP;
    }
    pr_face_labels *s = NULL;
    PR_CHECK_OK(pr_face_labels_new("", &s));
    int px = 0;
    PR_CHECK_OK(pr_xmp_parse_regions(k_mwg, strlen(k_mwg), "a.xmp", "a.jpg", s, &px));
    PR_CHECK_EQ_INT(px, 1);
    PR_CHECK_EQ_INT(s->count, 1); /* the pet is not a face */
    if (s->count == 1) {
        PR_CHECK_NEAR(s->items[0].box.x, 150, 1e-9);
        PR_CHECK_NEAR(s->items[0].box.y, 50, 1e-9);
        PR_CHECK_NEAR(s->items[0].box.w, 100, 1e-9);
        PR_CHECK_NEAR(s->items[0].box.h, 100, 1e-9);
        PR_CHECK_STR(s->items[0].person, "Ann");
    }
    PR_CHECK_OK(pr_xmp_parse_regions(k_mp, strlen(k_mp), "b.xmp", "b.jpg", s, &px));
    PR_CHECK_EQ_INT(px, 0);
    PR_CHECK_EQ_INT(s->count, 2);
    if (s->count == 2) {
        PR_CHECK_NEAR(s->items[1].box.x, 0.1, 1e-12);
        PR_CHECK_NEAR(s->items[1].box.h, 0.4, 1e-12);
        PR_CHECK_STR(s->items[1].person, "Bob");
    }
    static const char *const bad[] = {
        "<x:xmpmeta", "not xml at all \xff",
        "<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-"
        "rdf-syntax-ns#'><rdf:Description rdf:about='' xmlns:MP='http://ns.microsoft.com/photo/"
        "1.2/' xmlns:MPRI='http://ns.microsoft.com/photo/1.2/t/RegionInfo#' xmlns:MPReg='http://"
        "ns.microsoft.com/photo/1.2/t/Region#'><MP:RegionInfo rdf:parseType='Resource'>"
        "<MPRI:Regions><rdf:Bag><rdf:li MPReg:Rectangle='0.1, x, 0.3, 0.4'/></rdf:Bag>"
        "</MPRI:Regions></MP:RegionInfo></rdf:Description></rdf:RDF></x:xmpmeta>",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        pr_status st = pr_xmp_parse_regions(bad[i], strlen(bad[i]), "c.xmp", "c.jpg", s, &px);
        PR_CHECK_MSG(st == PR_ERR_FORMAT, "case %zu gave %d: %s", i, (int)st, pr_last_error());
        PR_CHECK_EQ_INT(s->count, 2); /* unchanged */
    }
    pr_face_labels_delete(s);

    /* Writing: a 300 x 150 image and a sidecar with an unrelated rating and old regions. */
    char dir[] = "/tmp/pr_test_xmp_XXXXXX";
    PR_CHECK(mkdtemp(dir) != NULL);
    char path[512];
    snprintf(path, sizeof path, "%s/p.ppm", dir);
    FILE *f = fopen(path, "wb");
    if (f) {
        fprintf(f, "P6 300 150 255\n");
        for (int i = 0; i < 300 * 150 * 3; i++)
            fputc(7, f);
        fclose(f);
    }
    snprintf(path, sizeof path, "%s/p.ppm.xmp", dir);
    f = fopen(path, "wb");
    if (f) {
        fputs("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/"
              "22-rdf-syntax-ns#'><rdf:Description rdf:about='' xmlns:xmp='http://ns.adobe.com/"
              "xap/1.0/' xmp:Rating='4'/></rdf:RDF></x:xmpmeta>", f);
        fclose(f);
    }
    pr_face_labels *w = NULL;
    PR_CHECK_OK(pr_face_labels_new(dir, &w));
    pr_box b1 = {10, 20, 30, 40}, b2 = {150.25, 75, 100, 50};
    PR_CHECK_OK(pr_face_labels_add(w, "p.ppm", b1, "Zoë", NULL, 0));
    PR_CHECK_OK(pr_face_labels_add(w, "p.ppm", b2, NULL, NULL, 0));
    PR_CHECK_OK(pr_xmp_save(w, dir, NULL));
    PR_CHECK_OK(pr_xmp_save(w, dir, NULL)); /* a second write replaces, not appends */
    pr_face_labels *r = NULL;
    PR_CHECK_OK(pr_face_labels_load(path, &r));
    if (r) {
        PR_CHECK_EQ_INT(r->count, 2);
        for (size_t i = 0; i < 2 && i < r->count; i++) {
            PR_CHECK_STR(r->items[i].image, "p.ppm");
            PR_CHECK_NEAR(r->items[i].box.x, w->items[i].box.x, 0.01);
            PR_CHECK_NEAR(r->items[i].box.y, w->items[i].box.y, 0.01);
            PR_CHECK_NEAR(r->items[i].box.w, w->items[i].box.w, 0.01);
            PR_CHECK_NEAR(r->items[i].box.h, w->items[i].box.h, 0.01);
        }
        if (r->count == 2) {
            PR_CHECK_STR(r->items[0].person, "Zoë");
            PR_CHECK(r->items[1].person == NULL);
        }
    }
    pr_face_labels_delete(r);
    /* The unrelated property survived, and both schemas were written. */
    char text[65536] = "";
    f = fopen(path, "rb");
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    PR_CHECK(strstr(text, "Rating") != NULL && strstr(text, "4") != NULL);
    PR_CHECK(strstr(text, "MPReg:Rectangle") != NULL);
    PR_CHECK(strstr(text, "mwg-rs:RegionList") != NULL);
    /* Regions another tool made stay: Alice on our first face, Bob elsewhere, Rex the pet. */
    f = fopen(path, "wb");
    if (f) {
        /* 300 x 150: b1 (10, 20, 30, 40) has its centre at (25/300, 40/150). */
        fputs("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/"
              "22-rdf-syntax-ns#'><rdf:Description rdf:about='' xmlns:xmp='http://ns.adobe.com/"
              "xap/1.0/' xmp:Rating='3' xmlns:mwg-rs='http://www.metadataworkinggroup.com/schemas/"
              "regions/' xmlns:stArea='http://ns.adobe.com/xmp/sType/Area#'>"
              "<mwg-rs:Regions rdf:parseType='Resource'><mwg-rs:RegionList><rdf:Bag>"
              "<rdf:li><rdf:Description mwg-rs:Name='Alice' mwg-rs:Type='Face'><mwg-rs:Area "
              "stArea:x='0.083333' stArea:y='0.266667' stArea:w='0.1' stArea:h='0.266667' "
              "stArea:unit='normalized'/></rdf:Description></rdf:li>"
              "<rdf:li><rdf:Description mwg-rs:Name='Bob' mwg-rs:Type='Face'><mwg-rs:Area "
              "stArea:x='0.05' stArea:y='0.9' stArea:w='0.05' stArea:h='0.08' "
              "stArea:unit='normalized'/></rdf:Description></rdf:li>"
              "<rdf:li><rdf:Description mwg-rs:Name='Rex' mwg-rs:Type='Pet'><mwg-rs:Area "
              "stArea:x='0.9' stArea:y='0.5' stArea:w='0.1' stArea:h='0.1' "
              "stArea:unit='normalized'/></rdf:Description></rdf:li>"
              "</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF>"
              "</x:xmpmeta>", f);
        fclose(f);
    }
    PR_CHECK_OK(pr_xmp_save(w, dir, NULL));
    char once[65536] = "";
    f = fopen(path, "rb");
    if (f) {
        size_t n = fread(once, 1, sizeof once - 1, f);
        once[n] = '\0';
        fclose(f);
    }
    PR_CHECK_OK(pr_xmp_save(w, dir, NULL));
    f = fopen(path, "rb");
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    PR_CHECK_STR(text, once);
    PR_CHECK(strstr(text, "Alice") && strstr(text, "Bob") && strstr(text, "Rex") &&
             strstr(text, "Pet") && strstr(text, "Rating"));
    PR_CHECK(strstr(text, "Zoë") == NULL); /* Alice's region covers that face */
    PR_CHECK(strstr(text, "personrec:Made") != NULL);
    PR_CHECK_OK(pr_face_labels_load(path, &r));
    if (r) {
        PR_CHECK_EQ_INT(r->count, 3); /* Alice, Bob, our unnamed face; not the pet */
        if (r->count == 3) {
            PR_CHECK_STR(r->items[0].person, "Alice");
            PR_CHECK_STR(r->items[1].person, "Bob");
            PR_CHECK(r->items[2].person == NULL);
            PR_CHECK_NEAR(r->items[2].box.x, b2.x, 0.01);
        }
    }
    pr_face_labels_delete(r);
    r = NULL;
    /* Our marker holds a hash of the name we wrote: a region of ours whose name someone changed
     * since (exiftool edits the name, leaves the marker) is theirs and stays; one still as we
     * wrote it is ours and goes. cbf29ce484222325 is the tag of "" (no name). */
    f = fopen(path, "wb");
    if (f) {
        fputs("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/"
              "22-rdf-syntax-ns#'><rdf:Description rdf:about='' xmlns:mwg-rs='http://www."
              "metadataworkinggroup.com/schemas/regions/' xmlns:stArea='http://ns.adobe.com/xmp/"
              "sType/Area#' xmlns:personrec='http://ns.personrec.invalid/xmp/1.0/'>"
              "<mwg-rs:Regions rdf:parseType='Resource'><mwg-rs:RegionList><rdf:Bag>"
              "<rdf:li rdf:parseType='Resource'><mwg-rs:Name>Zed</mwg-rs:Name>"
              "<mwg-rs:Type>Face</mwg-rs:Type><mwg-rs:Area stArea:x='0.9' stArea:y='0.2' "
              "stArea:w='0.1' stArea:h='0.1'/><mwg-rs:Extensions rdf:parseType='Resource'>"
              "<personrec:Made>cbf29ce484222325</personrec:Made></mwg-rs:Extensions></rdf:li>"
              "<rdf:li rdf:parseType='Resource'><mwg-rs:Type>Face</mwg-rs:Type>"
              "<mwg-rs:Area stArea:x='0.9' stArea:y='0.8' stArea:w='0.1' stArea:h='0.1'/>"
              "<mwg-rs:Extensions rdf:parseType='Resource'><personrec:Made>cbf29ce484222325"
              "</personrec:Made></mwg-rs:Extensions></rdf:li>"
              "</rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions></rdf:Description></rdf:RDF>"
              "</x:xmpmeta>", f);
        fclose(f);
    }
    pr_face_labels *one = NULL;
    PR_CHECK_OK(pr_face_labels_new(dir, &one));
    PR_CHECK_OK(pr_face_labels_add(one, "p.ppm", b2, NULL, NULL, 0));
    PR_CHECK_OK(pr_xmp_save(one, dir, NULL));
    pr_face_labels_delete(one);
    PR_CHECK_OK(pr_face_labels_load(path, &r));
    PR_CHECK(r && r->count == 2);
    if (r && r->count == 2) {
        PR_CHECK_STR(r->items[0].person, "Zed");
        PR_CHECK(r->items[1].person == NULL);
        PR_CHECK_NEAR(r->items[1].box.x, b2.x, 0.01); /* ours at b2, the stale one gone */
    }
    pr_face_labels_delete(r);
    r = NULL;
    /* Windows Photo Gallery names (MP) stay readable next to MWG regions: an MP region no MWG
     * face covers is read, one that repeats an MWG face is not read twice. */
    f = fopen(path, "wb");
    if (f) {
        fputs("<x:xmpmeta xmlns:x='adobe:ns:meta/'><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/"
              "22-rdf-syntax-ns#'><rdf:Description rdf:about='' xmlns:mwg-rs='http://www."
              "metadataworkinggroup.com/schemas/regions/' xmlns:stArea='http://ns.adobe.com/xmp/"
              "sType/Area#' xmlns:MP='http://ns.microsoft.com/photo/1.2/' xmlns:MPRI='http://ns."
              "microsoft.com/photo/1.2/t/RegionInfo#' xmlns:MPReg='http://ns.microsoft.com/photo/"
              "1.2/t/Region#'><mwg-rs:Regions rdf:parseType='Resource'><mwg-rs:RegionList>"
              "<rdf:Bag><rdf:li><rdf:Description mwg-rs:Name='Ann' mwg-rs:Type='Face'>"
              "<mwg-rs:Area stArea:x='0.5' stArea:y='0.5' stArea:w='0.2' stArea:h='0.2'/>"
              "</rdf:Description></rdf:li></rdf:Bag></mwg-rs:RegionList></mwg-rs:Regions>"
              "<MP:RegionInfo rdf:parseType='Resource'><MPRI:Regions><rdf:Bag>"
              "<rdf:li MPReg:Rectangle='0.4, 0.4, 0.2, 0.2' MPReg:PersonDisplayName='Ann'/>"
              "<rdf:li MPReg:Rectangle='0.05, 0.1, 0.1, 0.2' MPReg:PersonDisplayName='Bob'/>"
              "</rdf:Bag></MPRI:Regions></MP:RegionInfo></rdf:Description></rdf:RDF>"
              "</x:xmpmeta>", f);
        fclose(f);
    }
    PR_CHECK_OK(pr_face_labels_load(path, &r));
    PR_CHECK(r && r->count == 2);
    if (r && r->count == 2) {
        PR_CHECK_STR(r->items[0].person, "Ann");
        PR_CHECK_STR(r->items[1].person, "Bob");
        PR_CHECK_NEAR(r->items[1].box.x, 0.05 * 300, 0.01);
    }
    pr_face_labels_delete(r);
    r = NULL;
    /* A sidecar that is not XMP is never overwritten: the photo's problem, others written. */
    pr_face_labels_delete(w);
    PR_CHECK_OK(pr_face_labels_new(dir, &w));
    PR_CHECK_OK(pr_face_labels_add(w, "p.ppm", b1, "Zoë", NULL, 0));
    f = fopen(path, "wb");
    if (f) {
        fputs("<x:xmpmeta broken", f);
        fclose(f);
    }
    PR_CHECK_EQ_INT(pr_xmp_save(w, dir, NULL), PR_ERR_FORMAT);
    f = fopen(path, "rb");
    if (f) {
        size_t n = fread(text, 1, sizeof text - 1, f);
        text[n] = '\0';
        fclose(f);
    }
    PR_CHECK_STR(text, "<x:xmpmeta broken");
    pr_face_labels_delete(w);
    char cmd[600];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    PR_CHECK(system(cmd) == 0);
    return pr_test_finish();
}

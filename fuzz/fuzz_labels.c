/* libFuzzer targets for the face-label parsers. One source, one target per parser, chosen at
 * compile time with -DPR_FUZZ_<NAME> (scripts/run-fuzzers builds them all with clang
 * -fsanitize=fuzzer,address,undefined). Each parser must return PR_OK or an error for any bytes,
 * never crash, leak or read out of bounds; an error must carry a message. */
#include "core/status.h"
#include "datasets/face_labels.h"
#include "datasets/picasa.h"
#include "datasets/xmp_regions.h"

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_error(pr_status st)
{
    if (st != PR_OK && pr_last_error()[0] == '\0')
        abort(); /* an error without a message is a bug */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *text = (const char *)data;
    pr_face_labels *set = NULL;
    pr_status st;
#if defined(PR_FUZZ_CSV)
    st = pr_face_labels_parse_csv(text, size, "fuzz.csv", "", &set);
#elif defined(PR_FUZZ_DLIB)
    st = pr_face_labels_parse_dlib(text, size, "fuzz.xml", "", &set);
#elif defined(PR_FUZZ_GALLAGHER)
    st = pr_face_labels_parse_gallagher(text, size, "fuzz.tsv", "", &set);
#elif defined(PR_FUZZ_PICASA_INI)
    /* The first line (up to 200 bytes) is a contacts table; the rest the ini. */
    pr_picasa_contacts *c = NULL;
    if (pr_picasa_contacts_new(&c) != PR_OK)
        return 0;
    pr_picasa_contacts_add(c, "1234", "Someone");
    st = pr_picasa_parse_ini(text, size, "fuzz.ini", "", c, &set);
    pr_picasa_contacts_delete(c);
#elif defined(PR_FUZZ_CONTACTS_XML)
    pr_picasa_contacts *c = NULL;
    if (pr_picasa_contacts_new(&c) != PR_OK)
        return 0;
    st = pr_picasa_contacts_parse_xml(c, text, size, "contacts.xml");
    pr_picasa_contacts_delete(c);
#elif defined(PR_FUZZ_XMP)
    if (pr_face_labels_new("", &set) != PR_OK)
        return 0;
    int px = 0;
    st = pr_xmp_parse_regions(text, size, "fuzz.xmp", "a.jpg", set, &px);
#else
#error "define one PR_FUZZ_<NAME>"
#endif
    check_error(st);
    if (set) {
        /* Touch every string so ASan sees any bad one. */
        size_t sum = 0;
        for (size_t i = 0; i < set->count; i++) {
            sum += strlen(set->items[i].image);
            if (set->items[i].person)
                sum += strlen(set->items[i].person);
            if (set->items[i].extra)
                sum += strlen(set->items[i].extra);
            if (!(set->items[i].box.w > 0))
                abort(); /* parsers promise boxes with area */
        }
        (void)sum;
    }
    pr_face_labels_delete(set);
    return 0;
}

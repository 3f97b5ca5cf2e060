/* HEIF orientation: the primary item's irot/imir properties as an EXIF Orientation.
 *
 * libheif (1.15, Debian 12) applies irot/imir itself but does not say what they were, and the
 * loader wants the stored pixels plus an orientation like every other format (so apply_orientation
 * = 0 and the reported orientation mean the same thing everywhere, and XMP regions can be mapped
 * to the stored frame). So we read the boxes: meta > pitm (primary item), meta > iprp > ipco (the
 * properties, numbered from 1) and ipma (which properties each item has, in the order they apply:
 * irot before imir). Bounds-checked throughout; anything odd gives 1 (upright), because libheif
 * has already accepted or refused the file and this only decides a rotation. The EXIF Orientation
 * inside a HEIF is ignored: the HEIF standard makes irot/imir authoritative and iPhones write both,
 * so honouring the EXIF one as well would rotate twice. */
#include "core/image_internal.h"

#include <string.h>

typedef struct {
    const uint8_t *p;
    size_t n;
} span;

static uint32_t be(const uint8_t *p, int bytes)
{
    uint32_t v = 0;
    for (int i = 0; i < bytes; i++)
        v = v << 8 | p[i];
    return v;
}

/* Finds the first child box of `type` in s; *body gets its payload. */
static int find_box(span s, const char *type, span *body)
{
    size_t pos = 0;
    while (s.n - pos >= 8) {
        uint64_t size = be(s.p + pos, 4), header = 8;
        if (size == 1) {
            if (s.n - pos < 16)
                return 0;
            size = (uint64_t)be(s.p + pos + 8, 4) << 32 | be(s.p + pos + 12, 4);
            header = 16;
        } else if (size == 0) {
            size = s.n - pos;
        }
        if (size < header || size > s.n - pos)
            return 0;
        if (memcmp(s.p + pos + 4, type, 4) == 0) {
            body->p = s.p + pos + header;
            body->n = (size_t)(size - header);
            return 1;
        }
        pos += (size_t)size;
    }
    return 0;
}

/* The index-th (1-based) box of ipco, or 0. */
static int nth_box(span s, uint32_t index, span *box)
{
    size_t pos = 0;
    for (uint32_t i = 1; s.n - pos >= 8; i++) {
        uint32_t size = be(s.p + pos, 4);
        if (size < 8 || size > s.n - pos)
            return 0;
        if (i == index) {
            box->p = s.p + pos;
            box->n = size;
            return 1;
        }
        pos += size;
    }
    return 0;
}

/* Rows: irot angle (multiples of 90 degrees anticlockwise); columns: no mirror, left and right
 * exchanged (imir axis 1), top and bottom exchanged (axis 0). ISO/IEC 23008-12:2022 6.5.12 states
 * it so (Exif 2 = axis 1, Exif 4 = axis 0); the 2017 wording ("a vertical (axis = 0) axis") was
 * read the other way by some; libheif and libavif follow 2022, and the test checks against
 * libheif's own decoding. */
static const int k_orientation[4][3] = {{1, 2, 4}, {8, 7, 5}, {3, 4, 2}, {6, 5, 7}};

/* Applies the properties listed for the item (ipma entry at e, count associations). */
static int orientation_of(span ipco, const uint8_t *e, size_t left, uint32_t count, int wide)
{
    int angle = 0, mirror = 0;
    size_t step = wide ? 2 : 1;
    if (left < count * step)
        return 1;
    for (uint32_t i = 0; i < count; i++, e += step) {
        uint32_t index = wide ? be(e, 2) & 0x7FFF : e[0] & 0x7F;
        span box;
        if (!index || !nth_box(ipco, index, &box) || box.n < 9)
            continue;
        if (memcmp(box.p + 4, "irot", 4) == 0)
            angle = box.p[8] & 3;
        else if (memcmp(box.p + 4, "imir", 4) == 0)
            mirror = (box.p[8] & 1) ? 1 : 2;
    }
    return k_orientation[angle][mirror];
}

int pr_heif_orientation(const uint8_t *bytes, size_t size)
{
    span file = {bytes, size}, meta, pitm, iprp, ipco, ipma;
    if (!find_box(file, "meta", &meta) || meta.n < 4)
        return 1;
    meta.p += 4, meta.n -= 4; /* FullBox version and flags */
    if (!find_box(meta, "pitm", &pitm) || pitm.n < 6 || !find_box(meta, "iprp", &iprp) ||
        !find_box(iprp, "ipco", &ipco) || !find_box(iprp, "ipma", &ipma) || ipma.n < 8)
        return 1;
    uint32_t primary = pitm.p[0] == 0 ? be(pitm.p + 4, 2) : pitm.n >= 8 ? be(pitm.p + 4, 4) : 0;
    int version = ipma.p[0], wide = ipma.p[3] & 1, id_bytes = version < 1 ? 2 : 4;
    uint32_t entries = be(ipma.p + 4, 4);
    size_t pos = 8;
    for (uint32_t i = 0; i < entries; i++) {
        if (ipma.n - pos < (size_t)id_bytes + 1)
            return 1;
        uint32_t id = be(ipma.p + pos, id_bytes), count = ipma.p[pos + id_bytes];
        pos += (size_t)id_bytes + 1;
        if (id == primary)
            return orientation_of(ipco, ipma.p + pos, ipma.n - pos, count, wide);
        size_t skip = (size_t)count * (wide ? 2 : 1);
        if (ipma.n - pos < skip)
            return 1;
        pos += skip;
    }
    return 1;
}

/* Picasa .picasa.ini face labels and contacts.xml (see picasa.h for the format).
 *
 * The rect64 rule (as Picasa 3.x writes it, and as digiKam, exiftool-based tools and Immich's
 * importer read it): the 64-bit value, printed as hex without leading zeros, is four 16-bit
 * fields left, top, right, bottom, each a fraction of 65535 of the stored image's width or
 * height -- the image as stored, before its EXIF orientation, like MWG regions: ExifTool's
 * picasa_faces.config copies rect64 into MWG areas unchanged for JPEG, and picasa2digikam turns
 * rect64 by the EXIF orientation into digiKam's upright rectangles (regions.h,
 * thesis/notes/regions-orientation.md). Example: rect64(3f845bcb59418507) -> 0x3f84/65535 = 0.2481 (left), 0x5bcb = 0.3586
 * (top), 0x5941 = 0.3487 (right), 0x8507 = 0.5196 (bottom). Rounding to 1/65535 moves a box edge
 * by at most width/131070 pixels, far below the 1-pixel round-trip promise. */
#define _POSIX_C_SOURCE 200809L
#include "datasets/picasa_internal.h"

#include "core/image_probe.h"
#include "core/alloc.h"
#include "datasets/labels_internal.h"
#include "datasets/text_internal.h"
#include "datasets/xml_internal.h"
#include "datasets/regions.h"
#include "datasets/sidecar_errors_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int pr_picasa_rect64_decode(const char *hex, size_t n, double ltrb[4])
{
    if (n == 0 || n > 16)
        return 0;
    uint64_t v = 0;
    for (size_t i = 0; i < n; i++) {
        char c = hex[i];
        unsigned d;
        if (c >= '0' && c <= '9') d = (unsigned)(c - '0');
        else if (c >= 'a' && c <= 'f') d = (unsigned)(c - 'a' + 10);
        else if (c >= 'A' && c <= 'F') d = (unsigned)(c - 'A' + 10);
        else return 0;
        v = (v << 4) | d;
    }
    for (int k = 0; k < 4; k++)
        ltrb[k] = (double)((v >> (48 - 16 * k)) & 0xFFFF) / 65535.0;
    return 1;
}

void pr_picasa_rect64_encode(const double ltrb[4], char buf[17])
{
    uint64_t v = 0;
    for (int k = 0; k < 4; k++) {
        double f = ltrb[k];
        if (!(f > 0)) f = 0; /* also NaN */
        if (f > 1) f = 1;
        uint64_t q = (uint64_t)llround(f * 65535.0);
        v = (v << 16) | q;
    }
    snprintf(buf, 17, "%llx", (unsigned long long)v);
}

/* ---- contacts ---------------------------------------------------------------------------- */

pr_status pr_picasa_contacts_new(pr_picasa_contacts **out)
{
    *out = pr_calloc(1, sizeof **out);
    return *out ? PR_OK : pr_set_error(PR_ERR_NOMEM, "out of memory");
}

void pr_picasa_contacts_delete(pr_picasa_contacts *c)
{
    if (!c)
        return;
    for (size_t i = 0; i < c->count; i++) {
        pr_free(c->ids[i]);
        pr_free(c->names[i]);
    }
    pr_free(c->ids);
    pr_free(c->names);
    pr_free(c);
}

const char *pr_picasa_contacts_find(const pr_picasa_contacts *c, const char *id)
{
    if (!c)
        return NULL;
    for (size_t i = 0; i < c->count; i++)
        if (strcmp(c->ids[i], id) == 0)
            return c->names[i];
    return NULL;
}

pr_status pr_picasa_contacts_add(pr_picasa_contacts *c, const char *id, const char *name)
{
    if (pr_picasa_contacts_find(c, id))
        return PR_OK; /* first definition wins */
    if (c->count == c->capacity) {
        size_t ncap = c->capacity ? 2 * c->capacity : 16;
        char **ni = pr_realloc(c->ids, ncap * sizeof *ni);
        if (!ni)
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        c->ids = ni;
        char **nn = pr_realloc(c->names, ncap * sizeof *nn);
        if (!nn)
            return pr_set_error(PR_ERR_NOMEM, "out of memory");
        c->names = nn;
        c->capacity = ncap;
    }
    char *i = pr_strdup(id), *n = pr_strdup(name);
    if (!i || !n) {
        pr_free(i);
        pr_free(n);
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    c->ids[c->count] = i;
    c->names[c->count] = n;
    c->count++;
    return PR_OK;
}

pr_status pr_picasa_contacts_parse_xml(pr_picasa_contacts *c, const char *data, size_t size,
                                       const char *name)
{
    if (!name)
        name = "contacts.xml";
    pr_xml_scanner x;
    pr_status st = pr_xml_init(&x, data, size, name);
    if (st != PR_OK)
        goto done;
    for (;;) {
        pr_xml_token t;
        if ((st = pr_xml_next(&x, &t)) || t.kind == PR_XML_EOF)
            break;
        if (t.kind != PR_XML_START || strcmp(t.name, "contact") != 0)
            continue;
        const char *id = pr_xml_attr(&t, "id"), *nm = pr_xml_attr(&t, "name");
        if (!id || !*id) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:%d: <contact> lacks 'id'", name, t.line);
            break;
        }
        if (!nm || !*nm)
            continue; /* a contact without a name names nothing */
        if ((st = pr_labels_check_field(id, strlen(id), name, t.line, "contact id")) ||
            (st = pr_labels_check_field(nm, strlen(nm), name, t.line, "contact name")) ||
            (st = pr_picasa_contacts_add(c, id, nm)))
            break;
    }
done:
    pr_xml_free(&x);
    return st;
}

pr_status pr_picasa_contacts_save_xml(const pr_picasa_contacts *c, const char *path)
{
    pr_strbuf b = {0};
    pr_strbuf_puts(&b, "<?xml version=\"1.0\" encoding=\"utf-8\" ?>\n<contacts>\n");
    for (size_t i = 0; i < c->count; i++) {
        pr_strbuf_puts(&b, " <contact id=\"");
        pr_xml_escape(&b, c->ids[i]);
        pr_strbuf_puts(&b, "\" name=\"");
        pr_xml_escape(&b, c->names[i]);
        pr_strbuf_puts(&b, "\" local_contact=\"1\"/>\n");
    }
    pr_strbuf_puts(&b, "</contacts>\n");
    pr_status st = b.failed ? pr_set_error(PR_ERR_NOMEM, "out of memory")
                            : pr_file_write_atomic(path, b.data, b.len);
    pr_strbuf_free(&b);
    return st;
}

void pr_picasa_contact_id(const char *name, char buf[17])
{
    uint64_t h = 0xcbf29ce484222325ULL;
    for (const unsigned char *s = (const unsigned char *)name; *s; s++) {
        h ^= *s;
        h *= 0x100000001b3ULL;
    }
    if (h == UINT64_MAX)
        h--;
    snprintf(buf, 17, "%016llx", (unsigned long long)h);
}

/* ---- .picasa.ini reading ------------------------------------------------------------------ */

int picasa_str_eq(const char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

int picasa_is_contacts_section(const char *s, size_t n)
{
    return picasa_str_eq(s, n, "Contacts2") || picasa_str_eq(s, n, "Contacts");
}

/* The next non-empty entry of a faces= value ("rect64(HEX),ID;rect64(HEX),ID;..."), trimmed,
 * from *i on; 0 at the end. */
int picasa_next_face_entry(const char *v, size_t vn, size_t *i, const char **e, size_t *en)
{
    while (*i < vn) {
        size_t s = *i;
        while (*i < vn && v[*i] != ';')
            (*i)++;
        *e = v + s;
        *en = *i - s;
        if (*i < vn)
            (*i)++;
        pr_text_trim(e, en);
        if (*en)
            return 1;
    }
    return 0;
}

/* One face entry "rect64(HEX),ID" (trimmed): 1 with its fractions and contact id when well formed
 * and with an area; 0 with PR_ERR_FORMAT "name:line: ..." set otherwise. */
int picasa_parse_entry(const char *e, size_t en, const char *name, int line, double ltrb[4],
                       const char **id_out, size_t *idn_out)
{
    if (en < 9 || memcmp(e, "rect64(", 7) != 0) {
        pr_set_error(PR_ERR_FORMAT, "%s:%d: face entry does not start with rect64(", name, line);
        return 0;
    }
    const char *close = memchr(e, ')', en);
    if (!close) {
        pr_set_error(PR_ERR_FORMAT, "%s:%d: rect64( without ')'", name, line);
        return 0;
    }
    if (!pr_picasa_rect64_decode(e + 7, (size_t)(close - e - 7), ltrb)) {
        pr_set_error(PR_ERR_FORMAT, "%s:%d: rect64 is not 1 to 16 hex digits", name, line);
        return 0;
    }
    const char *id = close + 1;
    size_t idn = en - (size_t)(id - e);
    if (idn == 0 || id[0] != ',') {
        pr_set_error(PR_ERR_FORMAT, "%s:%d: face entry lacks ',contact'", name, line);
        return 0;
    }
    id++;
    idn--;
    pr_text_trim(&id, &idn);
    if (idn == 0 || idn > 32) {
        pr_set_error(PR_ERR_FORMAT, "%s:%d: bad contact id", name, line);
        return 0;
    }
    if (pr_labels_check_field(id, idn, name, line, "contact id") != PR_OK)
        return 0;
    pr_box box = {ltrb[0], ltrb[1], ltrb[2] - ltrb[0], ltrb[3] - ltrb[1]};
    if (pr_labels_check_box(box, name, line) != PR_OK)
        return 0;
    *id_out = id;
    *idn_out = idn;
    return 1;
}

pr_status pr_picasa_parse_ini_ex(const char *data, size_t size, const char *name,
                                 const char *base_dir, const pr_picasa_contacts *contacts,
                                 pr_region_skip_fn skip, void *ctx, pr_face_labels **out)
{
    if (!out || (!data && size))
        return pr_set_error(PR_ERR_ARG, "pr_picasa_parse_ini: bad argument");
    *out = NULL;
    if (!name)
        name = ".picasa.ini";
    pr_face_labels *set = NULL;
    pr_picasa_contacts *local = NULL;
    char *section = NULL;
    char extra[40];
    pr_status st = pr_face_labels_new(base_dir, &set);
    if (st != PR_OK)
        return st;
    if ((st = pr_picasa_contacts_new(&local)))
        goto fail;
    pr_line_reader r;
    pr_line_reader_init(&r, data ? data : "", size, name);
    const char *line;
    size_t len;
    int got, in_contacts = 0;
    while ((got = pr_line_next(&r, &line, &len)) == 1) {
        pr_text_trim(&line, &len);
        if (len == 0 || line[0] == ';' || line[0] == '#')
            continue;
        if (line[0] == '[') {
            pr_free(section);
            section = NULL; /* the lines of a bad section belong to nothing */
            in_contacts = 0;
            if (line[len - 1] != ']' || len < 3) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: bad section header", name, r.line);
                if ((st = pr_sidecar_bad_entry(skip, ctx, st)))
                    goto fail;
                continue;
            }
            const char *s = line + 1;
            size_t n = len - 2;
            if ((st = pr_labels_check_field(s, n, name, r.line, "section name"))) {
                if ((st = pr_sidecar_bad_entry(skip, ctx, st)))
                    goto fail;
                continue;
            }
            section = pr_text_strndup(s, n);
            if (!section) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                goto fail;
            }
            in_contacts = picasa_is_contacts_section(s, n);
            continue;
        }
        const char *eq = memchr(line, '=', len);
        if (!eq || !section)
            continue; /* Picasa ignores stray lines; so do we */
        const char *key = line, *val = eq + 1;
        size_t kn = (size_t)(eq - line), vn = len - kn - 1;
        pr_text_trim(&key, &kn);
        pr_text_trim(&val, &vn);
        if (in_contacts) {
            const char *semi = memchr(val, ';', vn);
            size_t nn = semi ? (size_t)(semi - val) : vn;
            if (kn == 0 || nn == 0)
                continue;
            if ((st = pr_labels_check_field(key, kn, name, r.line, "contact id")) ||
                (st = pr_labels_check_field(val, nn, name, r.line, "contact name"))) {
                if ((st = pr_sidecar_bad_entry(skip, ctx, st)))
                    goto fail;
                continue;
            }
            char *id = pr_text_strndup(key, kn), *nm = pr_text_strndup(val, nn);
            st = id && nm ? pr_picasa_contacts_add(local, id, nm)
                          : pr_set_error(PR_ERR_NOMEM, "out of memory");
            pr_free(id);
            pr_free(nm);
            if (st)
                goto fail;
            continue;
        }
        if (!picasa_str_eq(key, kn, "faces"))
            continue;
        /* faces=rect64(HEX),ID;rect64(HEX),ID;... */
        size_t i = 0;
        const char *e;
        size_t en;
        while (picasa_next_face_entry(val, vn, &i, &e, &en)) {
            double ltrb[4];
            const char *id;
            size_t idn;
            if (!picasa_parse_entry(e, en, name, r.line, ltrb, &id, &idn)) {
                if ((st = pr_sidecar_bad_entry(skip, ctx, PR_ERR_FORMAT)))
                    goto fail;
                continue;
            }
            pr_box box = {ltrb[0], ltrb[1], ltrb[2] - ltrb[0], ltrb[3] - ltrb[1]};
            snprintf(extra, sizeof extra, "contact=%.*s", (int)idn, id);
            if ((st = pr_face_labels_add(set, section, box, NULL, extra, 0)))
                goto fail;
        }
    }
    if (got < 0) {
        st = PR_ERR_FORMAT;
        goto fail;
    }
    /* Resolve contact ids now that every [Contacts2] line has been seen. */
    for (size_t k = 0; k < set->count; k++) {
        pr_face_label *l = &set->items[k];
        const char *id = l->extra + 8;
        if (strcmp(id, PR_PICASA_UNNAMED) == 0) {
            pr_free(l->extra);
            l->extra = NULL;
            continue;
        }
        const char *nm = pr_picasa_contacts_find(local, id);
        if (!nm)
            nm = pr_picasa_contacts_find(contacts, id);
        if (!nm)
            continue; /* keep "contact=<id>" so the id is not lost */
        if (!(l->person = pr_strdup(nm))) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto fail;
        }
        pr_free(l->extra);
        l->extra = NULL;
    }
    pr_free(section);
    pr_picasa_contacts_delete(local);
    *out = set;
    return PR_OK;
fail:
    pr_free(section);
    pr_picasa_contacts_delete(local);
    pr_face_labels_delete(set);
    return st;
}

pr_status pr_picasa_parse_ini(const char *data, size_t size, const char *name,
                              const char *base_dir, const pr_picasa_contacts *contacts,
                              pr_face_labels **out)
{
    return pr_picasa_parse_ini_ex(data, size, name, base_dir, contacts, NULL, NULL, out);
}

pr_status pr_picasa_to_pixels(pr_face_labels *set, size_t first, const char *image_dir,
                              pr_region_skip_fn skip, void *ctx)
{
    const char *dir = image_dir ? image_dir : set->base_dir;
    char cached[4096] = "", path[4096];
    int have = 0, missing = 0;
    pr_region_frame fr = {0, 0, 1};
    pr_status st = PR_OK;
    size_t kept = first, i = first;
    for (; i < set->count; i++) {
        pr_face_label *l = &set->items[i];
        if (!have || strcmp(cached, l->image) != 0) {
            if (strlen(l->image) >= sizeof cached ||
                (st = pr_path_join(path, sizeof path, l->image[0] == '/' ? "" : dir, l->image))) {
                st = pr_set_error(PR_ERR_LIMIT, "%s: image path too long", l->image);
                break;
            }
            st = pr_region_frame_of(path, &fr);
            /* A section for a photo that was deleted or moved away is stale, not an error. */
            missing = st != PR_OK && access(path, F_OK) != 0;
            if (st != PR_OK && !missing) {
                st = pr_sidecar_with_note(st, "its Picasa faces need its size and orientation");
                if ((st = pr_sidecar_bad_entry(skip, ctx, st)) != PR_OK)
                    break;
                missing = 1; /* its faces cannot be placed: left out */
            }
            st = PR_OK;
            strcpy(cached, l->image);
            have = 1;
        }
        if (missing) {
            pr_free(l->image);
            pr_free(l->person);
            pr_free(l->extra);
            continue;
        }
        const double u[4] = {l->box.x, l->box.y, l->box.w, l->box.h};
        l->box = pr_region_from_stored(&fr, u);
        set->items[kept++] = *l;
    }
    for (; i < set->count; i++)
        set->items[kept++] = set->items[i];
    set->count = kept;
    return st;
}

pr_status pr_picasa_load_ex(const char *path, const pr_face_labels_load_params *params,
                            pr_region_skip_fn skip, void *ctx, pr_face_labels **out)
{
    *out = NULL;
    pr_face_labels_load_params p = params ? *params : pr_face_labels_load_params_default();
    char *data = NULL, *dir = NULL, *cdata = NULL;
    size_t size = 0, csize = 0;
    pr_picasa_contacts *contacts = NULL;
    pr_face_labels *set = NULL;
    char cpath[4096];
    pr_status st = pr_file_read_all(path, p.max_bytes, &data, &size);
    if (st != PR_OK)
        return st;
    if (!(dir = pr_path_dirname(path))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((st = pr_picasa_contacts_new(&contacts)))
        goto done;
    const char *cfile = p.contacts;
    if (!cfile) {
        snprintf(cpath, sizeof cpath, "%s%scontacts.xml", dir, dir[0] ? "/" : "");
        if (pr_file_exists(cpath))
            cfile = cpath;
    }
    if (cfile) {
        if ((st = pr_file_read_all(cfile, p.max_bytes, &cdata, &csize)) ||
            (st = pr_picasa_contacts_parse_xml(contacts, cdata, csize, cfile))) {
            /* Lenient: the names in the .picasa.ini's own [Contacts2] still count. */
            if ((st = pr_sidecar_bad_entry(skip, ctx, st)))
                goto done;
        }
    }
    if ((st = pr_picasa_parse_ini_ex(data, size, path, dir, contacts, skip, ctx, &set)))
        goto done;
    if ((st = pr_picasa_to_pixels(set, 0, p.image_dir ? p.image_dir : dir, skip, ctx)))
        goto done;
    *out = set;
    set = NULL;
done:
    pr_free(data);
    pr_free(cdata);
    pr_free(dir);
    pr_picasa_contacts_delete(contacts);
    pr_face_labels_delete(set);
    return st;
}

pr_status pr_picasa_load(const char *path, const pr_face_labels_load_params *params,
                         pr_face_labels **out)
{
    return pr_picasa_load_ex(path, params, NULL, NULL, out);
}

/* ---- .picasa.ini writing ------------------------------------------------------------------ *
 * Ours and theirs: an entry whose contact id is our hash of its name (pr_picasa_contact_id), or
 * an unnamed entry on one of our faces, is ours and is written again; every other entry (a name
 * given in Picasa, a malformed entry) stays exactly as it was, and one of our faces that such a
 * named entry covers is not added a second time. */

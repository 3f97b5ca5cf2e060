/* Picasa .picasa.ini face labels and contacts.xml (see picasa.h for the format).
 *
 * The rect64 rule (as Picasa 3.x writes it, and as digiKam, exiftool-based tools and Immich's
 * importer read it): the 64-bit value, printed as hex without leading zeros, is four 16-bit
 * fields left, top, right, bottom, each a fraction of 65535 of the stored image's width or
 * height. Example: rect64(3f845bcb59418507) -> 0x3f84/65535 = 0.2481 (left), 0x5bcb = 0.3586
 * (top), 0x5941 = 0.3487 (right), 0x8507 = 0.5196 (bottom). Rounding to 1/65535 moves a box edge
 * by at most width/131070 pixels, far below the 1-pixel round-trip promise. */
#define _POSIX_C_SOURCE 200809L
#include "datasets/picasa.h"

#include "core/image_probe.h"
#include "core/alloc.h"
#include "datasets/labels_internal.h"
#include "datasets/text_internal.h"
#include "datasets/xml_internal.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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

static int str_eq(const char *s, size_t n, const char *lit)
{
    return n == strlen(lit) && memcmp(s, lit, n) == 0;
}

static int is_contacts_section(const char *s, size_t n)
{
    return str_eq(s, n, "Contacts2") || str_eq(s, n, "Contacts");
}

pr_status pr_picasa_parse_ini(const char *data, size_t size, const char *name,
                              const char *base_dir, const pr_picasa_contacts *contacts,
                              pr_face_labels **out)
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
            if (line[len - 1] != ']' || len < 3) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: bad section header", name, r.line);
                goto fail;
            }
            const char *s = line + 1;
            size_t n = len - 2;
            if ((st = pr_labels_check_field(s, n, name, r.line, "section name")))
                goto fail;
            pr_free(section);
            section = pr_text_strndup(s, n);
            if (!section) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                goto fail;
            }
            in_contacts = is_contacts_section(s, n);
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
                (st = pr_labels_check_field(val, nn, name, r.line, "contact name")))
                goto fail;
            char *id = pr_text_strndup(key, kn), *nm = pr_text_strndup(val, nn);
            st = id && nm ? pr_picasa_contacts_add(local, id, nm)
                          : pr_set_error(PR_ERR_NOMEM, "out of memory");
            pr_free(id);
            pr_free(nm);
            if (st)
                goto fail;
            continue;
        }
        if (!str_eq(key, kn, "faces"))
            continue;
        /* faces=rect64(HEX),ID;rect64(HEX),ID;... */
        size_t i = 0;
        while (i < vn) {
            size_t s = i;
            while (i < vn && val[i] != ';')
                i++;
            const char *e = val + s;
            size_t en = i - s;
            if (i < vn)
                i++;
            pr_text_trim(&e, &en);
            if (en == 0)
                continue;
            if (en < 9 || memcmp(e, "rect64(", 7) != 0) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: face entry does not start with rect64(",
                                  name, r.line);
                goto fail;
            }
            const char *close = memchr(e, ')', en);
            if (!close) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: rect64( without ')'", name, r.line);
                goto fail;
            }
            double ltrb[4];
            if (!pr_picasa_rect64_decode(e + 7, (size_t)(close - e - 7), ltrb)) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: rect64 is not 1 to 16 hex digits", name,
                                  r.line);
                goto fail;
            }
            const char *id = close + 1;
            size_t idn = en - (size_t)(id - e);
            if (idn == 0 || id[0] != ',') {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: face entry lacks ',contact'", name,
                                  r.line);
                goto fail;
            }
            id++;
            idn--;
            pr_text_trim(&id, &idn);
            if (idn == 0 || idn > 32) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: bad contact id", name, r.line);
                goto fail;
            }
            if ((st = pr_labels_check_field(id, idn, name, r.line, "contact id")))
                goto fail;
            pr_box box = {ltrb[0], ltrb[1], ltrb[2] - ltrb[0], ltrb[3] - ltrb[1]};
            if ((st = pr_labels_check_box(box, name, r.line)))
                goto fail;
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

pr_status pr_picasa_load(const char *path, const pr_face_labels_load_params *params,
                         pr_face_labels **out)
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
            (st = pr_picasa_contacts_parse_xml(contacts, cdata, csize, cfile)))
            goto done;
    }
    if ((st = pr_picasa_parse_ini(data, size, path, dir, contacts, &set)))
        goto done;
    if ((st = pr_face_labels_scale_from_unit(set, 0, p.image_dir ? p.image_dir : dir)))
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

/* ---- .picasa.ini writing ------------------------------------------------------------------ */

pr_picasa_save_params pr_picasa_save_params_default(void)
{
    pr_picasa_save_params p = {NULL, 1};
    return p;
}

/* Length of the folder part of an image path ("a/b/c.jpg" -> 3, "c.jpg" -> 0). */
static size_t dir_len(const char *image)
{
    const char *slash = strrchr(image, '/');
    return slash ? (size_t)(slash - image) : 0;
}

typedef struct sort_entry {
    const char *image;
    size_t index;
} sort_entry;

static int cmp_by_dir(const void *a, const void *b)
{
    const sort_entry *ea = a, *eb = b;
    size_t dx = dir_len(ea->image), dy = dir_len(eb->image);
    size_t m = dx < dy ? dx : dy;
    int c = memcmp(ea->image, eb->image, m);
    if (c == 0 && dx != dy)
        c = dx < dy ? -1 : 1;
    if (c == 0) /* keep the set's order inside a folder */
        c = ea->index < eb->index ? -1 : ea->index > eb->index;
    return c;
}


static const char *base_of(const char *image)
{
    const char *slash = strrchr(image, '/');
    return slash ? slash + 1 : image;
}

/* The faces= line of one image: items idx[from..to) of that folder with this image. */
static pr_status faces_line(const pr_face_labels *set, const size_t *idx, size_t from, size_t to,
                            const char *image, const char *image_dir, pr_strbuf *b,
                            pr_picasa_contacts *used)
{
    char path[4096];
    pr_status st = pr_path_join(path, sizeof path, image_dir ? image_dir : "",
                                     base_of(image));
    if (st != PR_OK)
        return st;
    int w, h;
    st = pr_image_probe(path, &w, &h);
    if (st != PR_OK)
        return pr_error_context(st, "Picasa faces need the image size");
    pr_strbuf_puts(b, "faces=");
    int first = 1;
    for (size_t k = from; k < to; k++) {
        const pr_face_label *l = &set->items[idx[k]];
        if (strcmp(l->image, image) != 0)
            continue;
        double ltrb[4] = {l->box.x / w, l->box.y / h, (l->box.x + l->box.w) / w,
                          (l->box.y + l->box.h) / h};
        char hex[17], id[17];
        pr_picasa_rect64_encode(ltrb, hex);
        if (l->person) {
            if (strpbrk(l->person, ";\r\n"))
                return pr_set_error(PR_ERR_ARG, "%s: name '%s' holds ';' or a newline, which "
                                    ".picasa.ini cannot store", image, l->person);
            pr_picasa_contact_id(l->person, id);
            if ((st = pr_picasa_contacts_add(used, id, l->person)))
                return st;
        } else {
            memcpy(id, PR_PICASA_UNNAMED, 17);
        }
        pr_strbuf_printf(b, "%srect64(%s),%s", first ? "" : ";", hex, id);
        first = 0;
    }
    pr_strbuf_puts(b, "\n");
    return PR_OK;
}

/* Is image (a file name) one of ours in idx[from..to)? */
static int ours(const pr_face_labels *set, const size_t *idx, size_t from, size_t to,
                const char *file, size_t n)
{
    for (size_t k = from; k < to; k++) {
        const char *b = base_of(set->items[idx[k]].image);
        if (strlen(b) == n && memcmp(b, file, n) == 0)
            return 1;
    }
    return 0;
}

static pr_status write_folder(const pr_face_labels *set, const size_t *idx, size_t from, size_t to,
                              const char *out_dir, const pr_picasa_save_params *p,
                              pr_picasa_contacts *all)
{
    const char *first = set->items[idx[from]].image;
    size_t dl = dir_len(first);
    char ini[4096], imgdir[4096];
    const char *img_root = p->image_dir ? p->image_dir : out_dir;
    int n1 = snprintf(ini, sizeof ini, "%s/%.*s%s.picasa.ini", out_dir, (int)dl, first,
                      dl ? "/" : "");
    int n2 = snprintf(imgdir, sizeof imgdir, "%s%s%.*s", img_root, dl ? "/" : "", (int)dl, first);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof ini || (size_t)n2 >= sizeof imgdir)
        return pr_set_error(PR_ERR_LIMIT, "%s: path too long", first);
    pr_strbuf b = {0};
    pr_picasa_contacts *used = NULL;
    char *old = NULL;
    size_t old_size = 0;
    unsigned char *done_img = NULL;
    pr_status st = pr_picasa_contacts_new(&used);
    if (st != PR_OK)
        return st;
    done_img = pr_calloc(to - from, 1);
    if (!done_img) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    /* Contacts first (their ids are needed when filtering the old [Contacts2]), faces lines are
     * built per image below. */
    pr_strbuf faces = {0};
    for (size_t k = from; k < to; k++) {
        const char *img = set->items[idx[k]].image;
        int seen = 0;
        for (size_t j = from; j < k && !seen; j++)
            seen = strcmp(set->items[idx[j]].image, img) == 0;
        if (seen)
            continue;
        faces.len = 0;
        if ((st = faces_line(set, idx, from, to, img, imgdir, &faces, used)))
            goto fail_faces;
    }
    pr_strbuf_free(&faces);
    for (size_t k = 0; k < used->count; k++)
        if ((st = pr_picasa_contacts_add(all, used->ids[k], used->names[k])))
            goto fail;
    if (pr_file_exists(ini) && (st = pr_file_read_all(ini, 0, &old, &old_size)))
        goto fail;
    int contacts_done = 0;
    if (old) {
        pr_line_reader r;
        pr_line_reader_init(&r, old, old_size, ini);
        const char *line;
        size_t len;
        int got, sect_ours = 0, sect_contacts = 0;
        while ((got = pr_line_next(&r, &line, &len)) == 1) {
            const char *t = line;
            size_t tn = len;
            pr_text_trim(&t, &tn);
            if (tn >= 2 && t[0] == '[' && t[tn - 1] == ']') {
                const char *s = t + 1;
                size_t sn = tn - 2;
                sect_contacts = is_contacts_section(s, sn) && str_eq(s, sn, "Contacts2");
                sect_ours = !sect_contacts && ours(set, idx, from, to, s, sn);
                pr_strbuf_append(&b, line, len);
                pr_strbuf_puts(&b, "\n");
                if (sect_ours) {
                    for (size_t k = from; k < to; k++) {
                        const char *img = set->items[idx[k]].image;
                        if (strlen(base_of(img)) == sn && memcmp(base_of(img), s, sn) == 0) {
                            if (!done_img[k - from] &&
                                (st = faces_line(set, idx, from, to, img, imgdir, &b, used)))
                                goto fail;
                            for (size_t j = from; j < to; j++)
                                if (strcmp(set->items[idx[j]].image, img) == 0)
                                    done_img[j - from] = 1;
                            break;
                        }
                    }
                }
                if (sect_contacts && !contacts_done) {
                    for (size_t k = 0; k < used->count; k++)
                        pr_strbuf_printf(&b, "%s=%s;;\n", used->ids[k], used->names[k]);
                    contacts_done = 1;
                }
                continue;
            }
            const char *eq = memchr(t, '=', tn);
            if (eq) {
                const char *key = t;
                size_t kn = (size_t)(eq - t);
                pr_text_trim(&key, &kn);
                if (sect_ours && str_eq(key, kn, "faces"))
                    continue;
                if (sect_contacts) {
                    char id[64];
                    if (kn < sizeof id) {
                        memcpy(id, key, kn);
                        id[kn] = '\0';
                        if (pr_picasa_contacts_find(used, id))
                            continue;
                    }
                }
            }
            pr_strbuf_append(&b, line, len);
            pr_strbuf_puts(&b, "\n");
        }
        if (got < 0) {
            st = PR_ERR_FORMAT;
            goto fail;
        }
    }
    for (size_t k = from; k < to; k++) {
        if (done_img[k - from])
            continue;
        const char *img = set->items[idx[k]].image;
        if (strpbrk(base_of(img), "[]\r\n")) {
            st = pr_set_error(PR_ERR_ARG, "%s: file name that .picasa.ini cannot store", img);
            goto fail;
        }
        pr_strbuf_printf(&b, "[%s]\n", base_of(img));
        if ((st = faces_line(set, idx, from, to, img, imgdir, &b, used)))
            goto fail;
        for (size_t j = from; j < to; j++)
            if (strcmp(set->items[idx[j]].image, img) == 0)
                done_img[j - from] = 1;
    }
    if (!contacts_done && used->count) {
        pr_strbuf_puts(&b, "[Contacts2]\n");
        for (size_t k = 0; k < used->count; k++)
            pr_strbuf_printf(&b, "%s=%s;;\n", used->ids[k], used->names[k]);
    }
    if (b.failed) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto fail;
    }
    if ((st = pr_mkdir_parents(ini)) || (st = pr_file_write_atomic(ini, b.data, b.len)))
        goto fail;
    goto fail; /* shared cleanup with st == PR_OK */
fail_faces:
    pr_strbuf_free(&faces);
fail:
    pr_strbuf_free(&b);
    pr_picasa_contacts_delete(used);
    pr_free(old);
    pr_free(done_img);
    return st;
}

pr_status pr_picasa_save(const pr_face_labels *set, const char *out_dir,
                         const pr_picasa_save_params *params)
{
    if (!set || !out_dir)
        return pr_set_error(PR_ERR_ARG, "pr_picasa_save: bad argument");
    pr_picasa_save_params p = params ? *params : pr_picasa_save_params_default();
    if (set->count == 0)
        return PR_OK;
    size_t *idx = pr_malloc_array(set->count, sizeof *idx);
    sort_entry *ents = pr_malloc_array(set->count, sizeof *ents);
    pr_picasa_contacts *all = NULL;
    pr_status st;
    if (!idx || !ents) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    if ((st = pr_picasa_contacts_new(&all)))
        goto done;
    for (size_t i = 0; i < set->count; i++) {
        ents[i].image = set->items[i].image;
        ents[i].index = i;
    }
    qsort(ents, set->count, sizeof *ents, cmp_by_dir);
    for (size_t i = 0; i < set->count; i++)
        idx[i] = ents[i].index;
    for (size_t from = 0; from < set->count;) {
        const char *a = set->items[idx[from]].image;
        size_t da = dir_len(a), to = from + 1;
        while (to < set->count) {
            const char *b = set->items[idx[to]].image;
            if (dir_len(b) != da || memcmp(a, b, da) != 0)
                break;
            to++;
        }
        if ((st = write_folder(set, idx, from, to, out_dir, &p, all)))
            goto done;
        from = to;
    }
    if (p.write_contacts_xml && all->count) {
        char path[4096];
        int n = snprintf(path, sizeof path, "%s/contacts.xml", out_dir);
        if (n < 0 || (size_t)n >= sizeof path) {
            st = pr_set_error(PR_ERR_LIMIT, "%s: path too long", out_dir);
            goto done;
        }
        st = pr_picasa_contacts_save_xml(all, path);
    }
done:
    pr_free(idx);
    pr_free(ents);
    pr_picasa_contacts_delete(all);
    return st;
}

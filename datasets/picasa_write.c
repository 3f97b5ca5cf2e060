/* Writing .picasa.ini: personrec's faces merged into what is there, never changing or removing an
 * entry, contact or key another tool made (see picasa.h; the rect64 rule is in picasa.c). */
#define _POSIX_C_SOURCE 200809L
#include "datasets/picasa_internal.h"

#include "core/image_probe.h"
#include "core/alloc.h"
#include "core/path.h"
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

pr_picasa_save_params pr_picasa_save_params_default(void)
{
    pr_picasa_save_params p = {NULL, 1, NULL, NULL};
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

/* One of our faces, in fractions of the stored image (rect64's frame). */
typedef struct pface {
    double ltrb[4];
    const char *person; /* NULL: unnamed; borrowed from the set */
    char id[17];
    int covered;        /* an entry another tool made lies on it: that one stays, ours is not added */
} pface;

/* One photo of the folder being written. */
typedef struct pimage {
    const char *image; /* as in the set; borrowed */
    pface *faces;
    int nf;
    int ok;            /* 0: skipped (reported); its section is left as it was */
    int written;       /* its faces line is in the new file */
    pr_strbuf old;     /* its faces= entries in the existing file */
} pimage;

/* A problem with one photo or folder: the caller's callback goes on, no callback stops. */
static pr_status report(const pr_picasa_save_params *p, pr_status st)
{
    if (!p->problem)
        return st;
    p->problem(p->problem_ctx, pr_last_error());
    return PR_OK;
}

static double ltrb_iou(const double a[4], const double b[4])
{
    const double ua[4] = {a[0], a[1], a[2] - a[0], a[3] - a[1]};
    const double ub[4] = {b[0], b[1], b[2] - b[0], b[3] - b[1]};
    return pr_region_unit_iou(ua, ub);
}

/* Is a well-formed entry with contact id (and that id's name in the file, or NULL) ours? We name
 * our contacts by a hash of the name (pr_picasa_contact_id), which Picasa's random ids never
 * match; an unnamed entry is ours to replace when it lies on one of our faces. */
static int entry_is_ours(const char *id, const char *name, const double ltrb[4], const pimage *im)
{
    if (strcmp(id, PR_PICASA_UNNAMED) == 0) {
        for (int k = 0; k < im->nf; k++)
            if (ltrb_iou(im->faces[k].ltrb, ltrb) >= 0.5)
                return 1;
        return 0;
    }
    if (!name)
        return 0;
    char mine[17];
    pr_picasa_contact_id(name, mine);
    return strcmp(mine, id) == 0;
}

/* The faces= line of one photo: the entries another tool made (verbatim), then ours that no such
 * entry covers. Nothing when both are empty. */
static void faces_line(pimage *im, const pr_picasa_contacts *oldc, pr_strbuf *b)
{
    pr_strbuf line = {0};
    const char *v = pr_strbuf_str(&im->old);
    size_t vn = im->old.len;
    for (int pass = 0; pass < 2; pass++) {
        size_t i = 0;
        const char *e;
        size_t en;
        while (picasa_next_face_entry(v, vn, &i, &e, &en)) {
            double ltrb[4];
            const char *id;
            size_t idn;
            char ids[40];
            int good = picasa_parse_entry(e, en, "", 0, ltrb, &id, &idn);
            if (good) {
                snprintf(ids, sizeof ids, "%.*s", (int)idn, id);
                if (entry_is_ours(ids, pr_picasa_contacts_find(oldc, ids), ltrb, im))
                    continue;
            }
            if (pass == 0 && good && strcmp(ids, PR_PICASA_UNNAMED) != 0) {
                for (int k = 0; k < im->nf; k++)
                    if (ltrb_iou(im->faces[k].ltrb, ltrb) >= 0.5)
                        im->faces[k].covered = 1;
            }
            if (pass == 1) /* kept exactly as written, malformed or not */
                pr_strbuf_printf(&line, "%s%.*s", line.len ? ";" : "", (int)en, e);
        }
    }
    for (int k = 0; k < im->nf; k++) {
        if (im->faces[k].covered)
            continue;
        char hex[17];
        pr_picasa_rect64_encode(im->faces[k].ltrb, hex);
        pr_strbuf_printf(&line, "%srect64(%s),%s", line.len ? ";" : "", hex, im->faces[k].id);
    }
    if (line.len)
        pr_strbuf_printf(b, "faces=%s\n", pr_strbuf_str(&line));
    if (line.failed)
        b->failed = 1;
    pr_strbuf_free(&line);
}

/* The text was built with LF line ends (the reader drops every line's own end). A file Picasa
 * wrote on Windows has CRLF ends, and some a UTF-8 byte order mark: the file is given back its
 * own style, so the lines we did not make are not all changed and an unchanged file is
 * rewritten byte for byte. */
static pr_status windows_style(const char *old, size_t old_size, pr_strbuf *b)
{
    const char *lf = old ? memchr(old, '\n', old_size) : NULL;
    int crlf = lf && lf > old && lf[-1] == '\r';
    int bom = old_size >= 3 && memcmp(old, "\xEF\xBB\xBF", 3) == 0;
    if (!crlf && !bom)
        return PR_OK;
    pr_strbuf out = {0};
    if (bom)
        pr_strbuf_puts(&out, "\xEF\xBB\xBF");
    const char *s = pr_strbuf_str(b), *end = s + b->len;
    for (const char *nl; s < end; s = nl + 1) {
        nl = memchr(s, '\n', (size_t)(end - s));
        if (!nl || !crlf) {
            pr_strbuf_append(&out, s, (size_t)(end - s));
            break;
        }
        pr_strbuf_append(&out, s, (size_t)(nl - s));
        pr_strbuf_puts(&out, "\r\n");
    }
    if (out.failed) {
        pr_strbuf_free(&out);
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    }
    pr_strbuf_free(b);
    *b = out;
    return PR_OK;
}

static pimage *find_image(pimage *ims, int n, const char *section, size_t sn)
{
    for (int i = 0; i < n; i++) {
        const char *b = pr_path_basename(ims[i].image);
        if (ims[i].ok && strlen(b) == sn && memcmp(b, section, sn) == 0)
            return &ims[i];
    }
    return NULL;
}

/* A name .picasa.ini can carry: [Contacts2] lines are "id=name;email;" and names are read back
 * trimmed and without control characters. */
static int name_storable(const char *name)
{
    size_t n = strlen(name);
    return n > 0 && !strpbrk(name, ";") && name[0] != ' ' && name[0] != '\t' &&
           name[n - 1] != ' ' && name[n - 1] != '\t' &&
           pr_labels_check_field(name, n, "", 0, "name") == PR_OK;
}

/* Collects the contact ids used by faces= lines of text into ids. */
static pr_status referenced_ids(const char *text, size_t size, pr_picasa_contacts *ids)
{
    pr_line_reader r;
    pr_line_reader_init(&r, text, size, "");
    const char *line;
    size_t len;
    while (pr_line_next(&r, &line, &len) == 1) {
        pr_text_trim(&line, &len);
        if (len < 6 || memcmp(line, "faces=", 6) != 0)
            continue;
        const char *v = line + 6;
        size_t vn = len - 6, i = 0;
        while (i < vn) {
            size_t s = i;
            while (i < vn && v[i] != ';')
                i++;
            const char *e = v + s;
            size_t en = i - s;
            if (i < vn)
                i++;
            pr_text_trim(&e, &en);
            double ltrb[4];
            const char *id;
            size_t idn;
            char ids_[40];
            if (en == 0 || !picasa_parse_entry(e, en, "", 0, ltrb, &id, &idn))
                continue;
            snprintf(ids_, sizeof ids_, "%.*s", (int)idn, id);
            pr_status st = pr_picasa_contacts_add(ids, ids_, "");
            if (st != PR_OK)
                return st;
        }
    }
    return PR_OK;
}

static pr_status write_folder(const pr_face_labels *set, const size_t *idx, size_t from, size_t to,
                              const char *out_dir, const pr_picasa_save_params *p,
                              pr_picasa_contacts *all)
{
    const char *first = set->items[idx[from]].image;
    size_t dl = dir_len(first);
    char ini[4096], imgdir[4096], ipath[4096];
    const char *img_root = p->image_dir ? p->image_dir : out_dir;
    int n1 = snprintf(ini, sizeof ini, "%s/%.*s%s.picasa.ini", out_dir, (int)dl, first,
                      dl ? "/" : "");
    int n2 = snprintf(imgdir, sizeof imgdir, "%s%s%.*s", img_root, dl ? "/" : "", (int)dl, first);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof ini || (size_t)n2 >= sizeof imgdir)
        return report(p, pr_set_error(PR_ERR_LIMIT, "%s: path too long", first));
    pr_strbuf b = {0}, c2 = {0};
    pr_picasa_contacts *used = NULL, *oldc = NULL, *refs = NULL, *bad_names = NULL;
    char *old = NULL;
    size_t old_size = 0;
    pimage *ims = pr_calloc(to - from, sizeof *ims);
    pface *faces = pr_calloc(to - from, sizeof *faces);
    int nims = 0;
    pr_status st = PR_OK;
    if (!ims || !faces || (st = pr_picasa_contacts_new(&used)) ||
        (st = pr_picasa_contacts_new(&oldc)) || (st = pr_picasa_contacts_new(&refs)) ||
        (st = pr_picasa_contacts_new(&bad_names))) {
        st = st ? st : pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* The photos of this folder, each with its faces in rect64's frame (the stored image). */
    size_t nfaces = 0;
    for (size_t k = from; k < to; k++) {
        const char *img = set->items[idx[k]].image;
        int seen = 0;
        for (int j = 0; j < nims && !seen; j++)
            seen = strcmp(ims[j].image, img) == 0;
        if (seen)
            continue;
        pimage *im = &ims[nims++];
        im->image = img;
        im->faces = faces + nfaces;
        const char *base = pr_path_basename(img);
        if (strpbrk(base, "[]\r\n")) {
            if ((st = report(p, pr_set_error(PR_ERR_ARG, "%s: a file name .picasa.ini cannot "
                                             "store as a section; its faces are not written "
                                             "there", img))))
                goto done;
            continue;
        }
        pr_region_frame fr;
        if ((st = pr_path_join(ipath, sizeof ipath, imgdir, base)) ||
            (st = pr_region_frame_of(ipath, &fr))) {
            pr_sidecar_with_note(st, "its Picasa faces need its size and orientation");
            if ((st = report(p, st)))
                goto done;
            continue;
        }
        for (size_t j = k; j < to; j++) {
            const pr_face_label *l = &set->items[idx[j]];
            if (strcmp(l->image, img) != 0)
                continue;
            if (l->person && !name_storable(l->person)) {
                if (!pr_picasa_contacts_find(bad_names, l->person)) {
                    if ((st = pr_picasa_contacts_add(bad_names, l->person, "")))
                        goto done;
                    st = pr_set_error(PR_ERR_ARG, "%s: the name '%s' holds ';', a control "
                                      "character or spaces at an end, which .picasa.ini cannot "
                                      "store; that face is not written there", ini, l->person);
                    if ((st = report(p, st)))
                        goto done;
                }
                continue;
            }
            pface *f = &im->faces[im->nf++];
            double u[4];
            pr_region_to_stored(&fr, l->box, u);
            f->ltrb[0] = u[0];
            f->ltrb[1] = u[1];
            f->ltrb[2] = u[0] + u[2];
            f->ltrb[3] = u[1] + u[3];
            f->person = l->person;
            if (l->person)
                pr_picasa_contact_id(l->person, f->id);
            else
                memcpy(f->id, PR_PICASA_UNNAMED, 17);
        }
        nfaces += (size_t)im->nf;
        im->ok = 1;
    }
    /* The existing file: its [Contacts2] names (to tell our entries from Picasa's) and the
     * faces= entries of our photos' sections. */
    struct stat sb;
    if (stat(ini, &sb) == 0 && (st = pr_file_read_all(ini, 0, &old, &old_size))) {
        st = report(p, pr_sidecar_with_note(st, "the .picasa.ini is left as it is"));
        goto done;
    }
    pr_line_reader r;
    const char *line;
    size_t len;
    int got = 1;
    if (old) {
        pr_line_reader_init(&r, old, old_size, ini);
        int in_c2 = 0;
        pimage *cur = NULL;
        while ((got = pr_line_next(&r, &line, &len)) == 1) {
            const char *t = line;
            size_t tn = len;
            pr_text_trim(&t, &tn);
            if (tn >= 2 && t[0] == '[' && t[tn - 1] == ']') {
                in_c2 = picasa_is_contacts_section(t + 1, tn - 2);
                cur = in_c2 ? NULL : find_image(ims, nims, t + 1, tn - 2);
                continue;
            }
            const char *eq = memchr(t, '=', tn);
            if (!eq)
                continue;
            const char *key = t, *val = eq + 1;
            size_t kn = (size_t)(eq - t), vn = tn - kn - 1;
            pr_text_trim(&key, &kn);
            pr_text_trim(&val, &vn);
            if (in_c2) {
                const char *semi = memchr(val, ';', vn);
                size_t nn = semi ? (size_t)(semi - val) : vn;
                char *id = pr_text_strndup(key, kn), *nm = pr_text_strndup(val, nn);
                st = id && nm ? pr_picasa_contacts_add(oldc, id, nm)
                              : pr_set_error(PR_ERR_NOMEM, "out of memory");
                pr_free(id);
                pr_free(nm);
                if (st)
                    goto done;
            } else if (cur && picasa_str_eq(key, kn, "faces")) {
                pr_strbuf_printf(&cur->old, "%s%.*s", cur->old.len ? ";" : "", (int)vn, val);
            }
        }
        if (got < 0) {
            st = report(p,
                        pr_sidecar_with_note(PR_ERR_FORMAT, "the .picasa.ini is left as it is"));
            goto done;
        }
    }
    /* The new file: every line as it was, but our photos' faces= lines rebuilt and [Contacts2]
     * gathered at the end. */
    if (old) {
        pr_line_reader_init(&r, old, old_size, ini);
        int in_c2 = 0;
        pimage *cur = NULL;
        while ((got = pr_line_next(&r, &line, &len)) == 1) {
            const char *t = line;
            size_t tn = len;
            pr_text_trim(&t, &tn);
            if (tn >= 2 && t[0] == '[' && t[tn - 1] == ']') {
                in_c2 = picasa_is_contacts_section(t + 1, tn - 2);
                cur = in_c2 ? NULL : find_image(ims, nims, t + 1, tn - 2);
                if (in_c2)
                    continue;
                pr_strbuf_append(&b, line, len);
                pr_strbuf_puts(&b, "\n");
                if (cur && !cur->written) {
                    faces_line(cur, oldc, &b);
                    cur->written = 1;
                }
                continue;
            }
            if (in_c2) {
                pr_strbuf_append(&c2, line, len);
                pr_strbuf_puts(&c2, "\n");
                continue;
            }
            const char *eq = memchr(t, '=', tn);
            if (cur && eq) {
                const char *key = t;
                size_t kn = (size_t)(eq - t);
                pr_text_trim(&key, &kn);
                if (picasa_str_eq(key, kn, "faces"))
                    continue;
            }
            pr_strbuf_append(&b, line, len);
            pr_strbuf_puts(&b, "\n");
        }
    }
    for (int i = 0; i < nims; i++) {
        pimage *im = &ims[i];
        if (!im->ok || im->written)
            continue;
        size_t before = b.len;
        pr_strbuf_printf(&b, "[%s]\n", pr_path_basename(im->image));
        size_t head = b.len;
        faces_line(im, oldc, &b);
        if (b.len == head) /* nothing to say about this photo */
            b.len = before;
        im->written = 1;
    }
    /* [Contacts2]: the names of our faces, plus every line we did not make. One of ours that no
     * face refers to any more (a renamed person) goes. */
    for (int i = 0; i < nims; i++)
        for (int k = 0; k < ims[i].nf; k++)
            if (ims[i].faces[k].person && !ims[i].faces[k].covered &&
                (st = pr_picasa_contacts_add(used, ims[i].faces[k].id, ims[i].faces[k].person)))
                goto done;
    if ((st = referenced_ids(pr_strbuf_str(&b), b.len, refs)))
        goto done;
    pr_strbuf contacts = {0};
    if (c2.len) {
        pr_line_reader_init(&r, pr_strbuf_str(&c2), c2.len, ini);
        while (pr_line_next(&r, &line, &len) == 1) {
            const char *t = line;
            size_t tn = len;
            pr_text_trim(&t, &tn);
            const char *eq = memchr(t, '=', tn);
            if (eq) {
                char id[64], mine[17], *nm;
                const char *val = eq + 1;
                size_t kn = (size_t)(eq - t), vn = tn - kn - 1;
                const char *semi = memchr(val, ';', vn);
                if (kn < sizeof id) {
                    memcpy(id, t, kn);
                    id[kn] = '\0';
                    if (pr_picasa_contacts_find(used, id))
                        continue; /* written again below */
                    if ((nm = pr_text_strndup(val, semi ? (size_t)(semi - val) : vn))) {
                        pr_picasa_contact_id(nm, mine);
                        int stale = strcmp(mine, id) == 0 && !pr_picasa_contacts_find(refs, id);
                        pr_free(nm);
                        if (stale)
                            continue;
                    }
                }
            }
            pr_strbuf_append(&contacts, line, len);
            pr_strbuf_puts(&contacts, "\n");
        }
    }
    for (size_t k = 0; k < used->count; k++) {
        pr_strbuf_printf(&contacts, "%s=%s;;\n", used->ids[k], used->names[k]);
        if ((st = pr_picasa_contacts_add(all, used->ids[k], used->names[k]))) {
            pr_strbuf_free(&contacts);
            goto done;
        }
    }
    if (contacts.len) {
        pr_strbuf_puts(&b, "[Contacts2]\n");
        pr_strbuf_append(&b, pr_strbuf_str(&contacts), contacts.len);
    }
    if (contacts.failed)
        b.failed = 1;
    pr_strbuf_free(&contacts);
    if (b.failed) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    if (!old && b.len == 0)
        goto done; /* nothing to write and no file to keep */
    if ((st = windows_style(old, old_size, &b)))
        goto done;
    if ((st = pr_mkdir_parents(ini)) ||
        (st = pr_file_write_atomic(ini, pr_strbuf_str(&b), b.len)))
        st = report(p, st);
done:
    for (int i = 0; i < nims; i++)
        pr_strbuf_free(&ims[i].old);
    pr_free(ims);
    pr_free(faces);
    pr_strbuf_free(&b);
    pr_strbuf_free(&c2);
    pr_picasa_contacts_delete(used);
    pr_picasa_contacts_delete(oldc);
    pr_picasa_contacts_delete(refs);
    pr_picasa_contacts_delete(bad_names);
    pr_free(old);
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

/* Gallagher "Collection Person" ground truth (Gallagher & Chen, CVPR 2008): one face per line,
 * image, left eye x, y, right eye x, y, person id, separated by tabs (or spaces when the line has
 * no tab). Faces are marked by eye positions, not boxes, so matching uses "both eyes inside the
 * detection" (eval/face_match); the box stored here is only an estimate for drawing and IoU
 * fallbacks: centred between the eyes horizontally, 2.2 eye distances square, eyes at 40 % of
 * its height (about where a frontal Haar box puts them). */
#include "core/alloc.h"
#include "datasets/face_labels.h"
#include "datasets/labels_internal.h"
#include "datasets/text_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

enum { G_FIELDS = 6 };

pr_status pr_face_labels_parse_gallagher(const char *data, size_t size, const char *name,
                                         const char *base_dir, pr_face_labels **out)
{
    if (!out || (!data && size))
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_parse_gallagher: bad argument");
    *out = NULL;
    if (!name)
        name = "(gallagher)";
    pr_face_labels *set = NULL;
    char *image = NULL, *person = NULL;
    pr_status st = pr_face_labels_new(base_dir, &set);
    if (st != PR_OK)
        return st;
    pr_line_reader r;
    pr_line_reader_init(&r, data ? data : "", size, name);
    const char *line;
    size_t len;
    int got;
    while ((got = pr_line_next(&r, &line, &len)) == 1) {
        const char *t = line;
        size_t tn = len;
        pr_text_trim(&t, &tn);
        if (tn == 0 || t[0] == '#')
            continue;
        int tabs = memchr(t, '\t', tn) != NULL;
        const char *fs[G_FIELDS];
        size_t fn[G_FIELDS];
        int nf = 0;
        size_t i = 0;
        while (i < tn) {
            if (!tabs)
                while (i < tn && t[i] == ' ')
                    i++;
            size_t s = i;
            while (i < tn && t[i] != (tabs ? '\t' : ' '))
                i++;
            if (nf == G_FIELDS) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: more than %d fields", name, r.line,
                                  G_FIELDS);
                goto fail;
            }
            fs[nf] = t + s;
            fn[nf] = i - s;
            pr_text_trim(&fs[nf], &fn[nf]);
            nf++;
            if (i < tn)
                i++;
        }
        if (nf != G_FIELDS) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:%d: %d fields, expected %d (image, left eye x y, "
                              "right eye x y, person)", name, r.line, nf, G_FIELDS);
            goto fail;
        }
        double e[4];
        for (int k = 0; k < 4; k++) {
            if (!pr_text_parse_double(fs[1 + k], fn[1 + k], &e[k])) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: eye coordinate %d is not a number", name,
                                  r.line, k + 1);
                goto fail;
            }
        }
        if (fn[0] == 0 || fn[5] == 0) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:%d: empty image or person", name, r.line);
            goto fail;
        }
        if ((st = pr_labels_check_field(fs[0], fn[0], name, r.line, "image")) ||
            (st = pr_labels_check_field(fs[5], fn[5], name, r.line, "person")))
            goto fail;
        double d = hypot(e[2] - e[0], e[3] - e[1]);
        if (!(d > 0)) {
            st = pr_set_error(PR_ERR_FORMAT, "%s:%d: both eyes at the same point", name, r.line);
            goto fail;
        }
        double cx = 0.5 * (e[0] + e[2]), cy = 0.5 * (e[1] + e[3]), side = 2.2 * d;
        pr_box box = {cx - 0.5 * side, cy - 0.4 * side, side, side};
        image = pr_text_strndup(fs[0], fn[0]);
        person = pr_text_strndup(fs[5], fn[5]);
        if (!image || !person) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto fail;
        }
        if ((st = pr_face_labels_add(set, image, box, person, NULL, 0)))
            goto fail;
        pr_face_label *l = &set->items[set->count - 1];
        l->has_eyes = 1;
        memcpy(l->eyes, e, sizeof e);
        pr_free(image);
        pr_free(person);
        image = person = NULL;
    }
    if (got < 0) {
        st = PR_ERR_FORMAT;
        goto fail;
    }
    *out = set;
    return PR_OK;
fail:
    pr_free(image);
    pr_free(person);
    pr_face_labels_delete(set);
    return st;
}

pr_status pr_face_labels_save_gallagher(const pr_face_labels *set, const char *path)
{
    if (!set || !path)
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_save_gallagher: bad argument");
    pr_strbuf b = {0};
    char num[4][40];
    for (size_t i = 0; i < set->count; i++) {
        const pr_face_label *l = &set->items[i];
        if (!l->has_eyes || !l->person) {
            pr_strbuf_free(&b);
            return pr_set_error(PR_ERR_ARG, "%s: face %zu has no eye positions or no person; the "
                                "Gallagher format needs both", path, i);
        }
        if (strchr(l->image, '\t') || strchr(l->person, '\t')) {
            pr_strbuf_free(&b);
            return pr_set_error(PR_ERR_ARG, "%s: a tab in an image path or name", path);
        }
        for (int k = 0; k < 4; k++)
            pr_format_double(l->eyes[k], num[k], sizeof num[k]);
        pr_strbuf_printf(&b, "%s\t%s\t%s\t%s\t%s\t%s\n", l->image, num[0], num[1], num[2], num[3],
                         l->person);
    }
    pr_status st = b.failed ? pr_set_error(PR_ERR_NOMEM, "out of memory")
                            : pr_file_write_atomic(path, b.data ? b.data : "", b.len);
    pr_strbuf_free(&b);
    return st;
}

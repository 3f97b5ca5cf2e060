/* dlib imglab XML: <dataset><images><image file='..'><box top left width height [ignore='1']>
 * [<label>name</label>] [<part .../>]*</box></image></images></dataset>. Boxes are pixels with a
 * top-left origin, like pr_box. An ignored box keeps extra = "ignore". */
#include "core/alloc.h"
#include "datasets/face_labels.h"
#include "datasets/labels_internal.h"
#include "datasets/text_internal.h"
#include "datasets/xml_internal.h"

#include <string.h>

static pr_status attr_number(const pr_xml_token *t, const char *attr, const char *name,
                             double *out)
{
    const char *v = pr_xml_attr(t, attr);
    if (!v)
        return pr_set_error(PR_ERR_FORMAT, "%s:%d: <box> lacks '%s'", name, t->line, attr);
    if (!pr_text_parse_double(v, strlen(v), out))
        return pr_set_error(PR_ERR_FORMAT, "%s:%d: <box> %s is not a number", name, t->line,
                            attr);
    return PR_OK;
}

pr_status pr_face_labels_parse_dlib(const char *data, size_t size, const char *name,
                                    const char *base_dir, pr_face_labels **out)
{
    if (!out || (!data && size))
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_parse_dlib: bad argument");
    *out = NULL;
    if (!name)
        name = "(dlib xml)";
    pr_face_labels *set = NULL;
    char *image = NULL;
    pr_strbuf label = {0};
    pr_xml_scanner x;
    pr_status st = pr_xml_init(&x, data, size, name);
    if (st != PR_OK)
        goto fail;
    if ((st = pr_face_labels_new(base_dir, &set)))
        goto fail;
    int in_box = 0, in_label = 0, box_line = 0, ignore = 0, saw_dataset = 0;
    pr_box box = {0, 0, 0, 0};
    for (;;) {
        pr_xml_token t;
        if ((st = pr_xml_next(&x, &t)))
            goto fail;
        if (t.kind == PR_XML_EOF)
            break;
        if (t.kind == PR_XML_TEXT) {
            if (in_label)
                pr_strbuf_puts(&label, t.text);
            continue;
        }
        if (t.kind == PR_XML_START && strcmp(t.name, "dataset") == 0)
            saw_dataset = 1;
        if (t.kind == PR_XML_START && strcmp(t.name, "image") == 0) {
            if (in_box || image) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: nested <image>", name, t.line);
                goto fail;
            }
            const char *file = pr_xml_attr(&t, "file");
            if (!file || !*file) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: <image> lacks 'file'", name, t.line);
                goto fail;
            }
            if ((st = pr_labels_check_field(file, strlen(file), name, t.line, "image file")))
                goto fail;
            if (!t.self_closing && !(image = pr_strdup(file))) {
                st = pr_set_error(PR_ERR_NOMEM, "out of memory");
                goto fail;
            }
        } else if (t.kind == PR_XML_END && strcmp(t.name, "image") == 0) {
            pr_free(image);
            image = NULL;
        } else if (t.kind == PR_XML_START && strcmp(t.name, "box") == 0) {
            if (!image || in_box) {
                st = pr_set_error(PR_ERR_FORMAT, "%s:%d: <box> outside an <image>", name, t.line);
                goto fail;
            }
            if ((st = attr_number(&t, "left", name, &box.x)) ||
                (st = attr_number(&t, "top", name, &box.y)) ||
                (st = attr_number(&t, "width", name, &box.w)) ||
                (st = attr_number(&t, "height", name, &box.h)))
                goto fail;
            if ((st = pr_labels_check_box(box, name, t.line)))
                goto fail;
            const char *ig = pr_xml_attr(&t, "ignore");
            ignore = ig && strcmp(ig, "0") != 0;
            box_line = t.line;
            label.len = 0;
            if (label.data)
                label.data[0] = '\0';
            in_box = 1;
            if (t.self_closing)
                goto add_box;
        } else if (t.kind == PR_XML_END && strcmp(t.name, "box") == 0) {
            goto add_box;
        } else if (t.kind == PR_XML_START && strcmp(t.name, "label") == 0 && in_box) {
            in_label = !t.self_closing;
        } else if (t.kind == PR_XML_END && strcmp(t.name, "label") == 0) {
            in_label = 0;
        }
        continue;
    add_box:
        if (label.failed) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory");
            goto fail;
        }
        {
            const char *person = label.len ? label.data : NULL;
            size_t pn = label.len;
            if (person) {
                pr_text_trim(&person, &pn);
                if ((st = pr_labels_check_field(person, pn, name, box_line, "label")))
                    goto fail;
                label.data[(size_t)(person - label.data) + pn] = '\0';
                if (pn == 0)
                    person = NULL;
            }
            st = pr_face_labels_add(set, image, box, person, ignore ? "ignore" : NULL, 0);
            if (st != PR_OK)
                goto fail;
        }
        in_box = in_label = 0;
    }
    if (!saw_dataset) {
        st = pr_set_error(PR_ERR_FORMAT, "%s:1: not a dlib dataset (no <dataset> element)", name);
        goto fail;
    }
    pr_xml_free(&x);
    pr_strbuf_free(&label);
    *out = set;
    return PR_OK;
fail:
    pr_xml_free(&x);
    pr_free(image);
    pr_strbuf_free(&label);
    pr_face_labels_delete(set);
    return st;
}

pr_status pr_face_labels_save_dlib(const pr_face_labels *set, const char *path)
{
    if (!set || !path)
        return pr_set_error(PR_ERR_ARG, "pr_face_labels_save_dlib: bad argument");
    pr_strbuf b = {0};
    pr_strbuf_puts(&b, "<?xml version='1.0' encoding='UTF-8'?>\n<dataset>\n<name>personrec face "
                       "labels</name>\n<images>\n");
    char num[4][40];
    for (size_t i = 0; i < set->count;) {
        const char *img = set->items[i].image;
        pr_strbuf_puts(&b, "  <image file='");
        pr_xml_escape(&b, img);
        pr_strbuf_puts(&b, "'>\n");
        /* Consecutive labels of one image share the element. */
        for (; i < set->count && strcmp(set->items[i].image, img) == 0; i++) {
            const pr_face_label *l = &set->items[i];
            pr_format_double(l->box.y, num[0], sizeof num[0]);
            pr_format_double(l->box.x, num[1], sizeof num[1]);
            pr_format_double(l->box.w, num[2], sizeof num[2]);
            pr_format_double(l->box.h, num[3], sizeof num[3]);
            pr_strbuf_printf(&b, "    <box top='%s' left='%s' width='%s' height='%s'%s", num[0],
                             num[1], num[2], num[3],
                             l->extra && strcmp(l->extra, "ignore") == 0 ? " ignore='1'" : "");
            if (l->person) {
                pr_strbuf_puts(&b, ">\n      <label>");
                pr_xml_escape(&b, l->person);
                pr_strbuf_puts(&b, "</label>\n    </box>\n");
            } else {
                pr_strbuf_puts(&b, "/>\n");
            }
        }
        pr_strbuf_puts(&b, "  </image>\n");
    }
    pr_strbuf_puts(&b, "</images>\n</dataset>\n");
    pr_status st = b.failed ? pr_set_error(PR_ERR_NOMEM, "out of memory")
                            : pr_file_write_atomic(path, b.data, b.len);
    pr_strbuf_free(&b);
    return st;
}

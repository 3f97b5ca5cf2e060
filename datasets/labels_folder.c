/* Loading every face label below a folder: each folder's .picasa.ini and every XMP sidecar
 * ("photo.jpg.xmp" or "photo.xmp"). When one photo has both, the sidecar wins (it is the newer,
 * tool-neutral record; Picasa faces of that photo are skipped). Folders are walked in name order
 * (scandir + alphasort) so the result does not depend on the file system; hidden folders and
 * symbolic links are not followed, and the depth is capped. */
#define _DEFAULT_SOURCE
#include "core/alloc.h"
#include "datasets/labels_internal.h"
#include "datasets/picasa.h"
#include "datasets/text_internal.h"
#include "datasets/xmp_regions.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

enum { MAX_DEPTH = 32 };

typedef struct walk {
    const char *root;       /* folder given by the caller */
    const char *image_root; /* where images are (params->image_dir or root) */
    const pr_face_labels_load_params *params;
    pr_picasa_contacts *contacts;
    pr_face_labels *out;
} walk;

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n > m && strcasecmp(s + n - m, suf) == 0;
}

static int image_in(const pr_face_labels *set, size_t from, size_t to, const char *image)
{
    for (size_t i = from; i < to; i++)
        if (strcmp(set->items[i].image, image) == 0)
            return 1;
    return 0;
}

static pr_status walk_dir(walk *w, const char *rel, int depth)
{
    char dir[4096], idir[4096], path[4096];
    int n1 = rel[0] ? snprintf(dir, sizeof dir, "%s/%s", w->root, rel)
                    : snprintf(dir, sizeof dir, "%s", w->root);
    int n2 = rel[0] ? snprintf(idir, sizeof idir, "%s/%s", w->image_root, rel)
                    : snprintf(idir, sizeof idir, "%s", w->image_root);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof dir || (size_t)n2 >= sizeof idir)
        return pr_set_error(PR_ERR_LIMIT, "%s: path too long", rel);
    struct dirent **names = NULL;
    int count = scandir(dir, &names, NULL, alphasort);
    if (count < 0)
        return pr_set_error(PR_ERR_IO, "%s: cannot list the folder", dir);
    pr_status st = PR_OK;
    size_t first = w->out->count;
    pr_face_labels *part = NULL;
    char *data = NULL;
    /* Pass 1: sidecars. */
    for (int i = 0; i < count && st == PR_OK; i++) {
        const char *name = names[i]->d_name;
        if (name[0] == '.' || !has_suffix(name, ".xmp"))
            continue;
        if ((st = pr_path_join(path, sizeof path, dir, name)))
            break;
        pr_face_labels_load_params p = *w->params;
        p.image_dir = idir;
        st = pr_xmp_load(path, &p, &part);
        if (st == PR_OK)
            st = pr_face_labels_append(w->out, part, rel);
        pr_face_labels_delete(part);
        part = NULL;
    }
    /* Pass 2: .picasa.ini, skipping photos that had a sidecar. */
    size_t xmp_end = w->out->count;
    for (int i = 0; i < count && st == PR_OK; i++) {
        const char *name = names[i]->d_name;
        if (strcasecmp(name, ".picasa.ini") != 0 && strcasecmp(name, "picasa.ini") != 0)
            continue;
        if ((st = pr_path_join(path, sizeof path, dir, name)))
            break;
        size_t size = 0;
        if ((st = pr_file_read_all(path, w->params->max_bytes, &data, &size)))
            break;
        if ((st = pr_picasa_parse_ini(data, size, path, dir, w->contacts, &part)) ||
            (st = pr_picasa_to_pixels(part, 0, idir, NULL, NULL)))
            break;
        char full[4096];
        for (size_t k = 0; k < part->count && st == PR_OK; k++) {
            const pr_face_label *l = &part->items[k];
            if ((st = pr_path_join(full, sizeof full, rel, l->image)))
                break;
            if (image_in(w->out, first, xmp_end, full))
                continue;
            st = pr_face_labels_add(w->out, full, l->box, l->person, l->extra, l->score);
        }
        pr_free(data);
        data = NULL;
        pr_face_labels_delete(part);
        part = NULL;
        break; /* one ini per folder */
    }
    /* Pass 3: sub-folders. */
    for (int i = 0; i < count && st == PR_OK; i++) {
        const char *name = names[i]->d_name;
        if (name[0] == '.')
            continue;
        if ((st = pr_path_join(path, sizeof path, dir, name)))
            break;
        struct stat sb;
        if (lstat(path, &sb) != 0 || !S_ISDIR(sb.st_mode))
            continue;
        if (depth + 1 > MAX_DEPTH) {
            st = pr_set_error(PR_ERR_LIMIT, "%s: folders nested deeper than %d", path, MAX_DEPTH);
            break;
        }
        char sub[4096];
        if ((st = pr_path_join(sub, sizeof sub, rel, name)))
            break;
        st = walk_dir(w, sub, depth + 1);
    }
    pr_free(data);
    pr_face_labels_delete(part);
    for (int i = 0; i < count; i++)
        free(names[i]); /* scandir allocates with malloc */
    free(names);
    return st;
}

pr_status pr_face_labels_load_folder(const char *folder, const pr_face_labels_load_params *params,
                                     pr_face_labels **out)
{
    *out = NULL;
    pr_face_labels_load_params p = params ? *params : pr_face_labels_load_params_default();
    walk w = {folder, p.image_dir ? p.image_dir : folder, &p, NULL, NULL};
    char *cdata = NULL;
    size_t csize = 0;
    char cpath[4096];
    pr_status st = pr_picasa_contacts_new(&w.contacts);
    if (st != PR_OK)
        return st;
    const char *cfile = p.contacts;
    struct stat sb;
    if ((st = pr_path_join(cpath, sizeof cpath, folder, "contacts.xml")))
        goto done;
    if (!cfile && stat(cpath, &sb) == 0 && S_ISREG(sb.st_mode))
        cfile = cpath;
    if (cfile && ((st = pr_file_read_all(cfile, p.max_bytes, &cdata, &csize)) ||
                  (st = pr_picasa_contacts_parse_xml(w.contacts, cdata, csize, cfile))))
        goto done;
    if ((st = pr_face_labels_new(folder, &w.out)) || (st = walk_dir(&w, "", 0)))
        goto done;
    *out = w.out;
    w.out = NULL;
done:
    pr_free(cdata);
    pr_picasa_contacts_delete(w.contacts);
    pr_face_labels_delete(w.out);
    return st;
}

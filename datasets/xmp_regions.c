/* XMP sidecar face regions through exempi (see xmp_regions.h for the two schemas).
 *
 * MWG Regions: Metadata Working Group, "Guidelines for Handling Image Metadata" 2.0 (2010),
 * section 5.9: stArea x/y are the region's centre, w/h its size, all normalised to the image as
 * given by AppliedToDimensions. MP regions: Microsoft Windows Live Photo Gallery "People Tagging
 * Overview": MPReg:Rectangle is "left, top, width, height" normalised. Both are fractions of the
 * image as stored, before its EXIF orientation (regions.h; thesis/notes/regions-orientation.md).
 * Every number is checked before use; a sidecar that exempi cannot parse is PR_ERR_FORMAT naming
 * the file, a region with bad numbers too (strict) or is skipped and reported (lenient).
 *
 * Writing never touches a region it did not make: ours carry personrec:Made (in mwg-rs:Extensions
 * for MWG, a field of the MP region) holding a hash of the name we wrote, and are dropped and
 * written again -- unless someone changed the name since, which makes the region theirs; every other region (a face
 * drawn in digiKam, a pet, a focus area) stays exactly as it was, and a face it covers is not
 * written a second time. */
#define _POSIX_C_SOURCE 200809L
#include "datasets/xmp_regions.h"

#include "core/alloc.h"
#include "datasets/labels_internal.h"
#include "datasets/regions.h"
#include "datasets/sidecar_errors_internal.h"
#include "datasets/text_internal.h"

#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#ifdef PR_HAVE_EXEMPI
#include <exempi/xmp.h>
#include <pthread.h>

#define NS_MWGRS "http://www.metadataworkinggroup.com/schemas/regions/"
#define NS_STDIM "http://ns.adobe.com/xap/1.0/sType/Dimensions#"
#define NS_STAREA "http://ns.adobe.com/xmp/sType/Area#"
#define NS_MP "http://ns.microsoft.com/photo/1.2/"
#define NS_MPRI "http://ns.microsoft.com/photo/1.2/t/RegionInfo#"
#define NS_MPREG "http://ns.microsoft.com/photo/1.2/t/Region#"
/* Our marker on the regions we write (personrec:Made), so that a later run can tell them from
 * regions a person or another tool made. ".invalid" (RFC 2606) can never name anyone else's
 * schema; the URI is only an identifier. */
#define NS_PERSONREC "http://ns.personrec.invalid/xmp/1.0/"

enum { MAX_REGIONS = 10000 };

static pthread_once_t g_once = PTHREAD_ONCE_INIT;
static int g_ready;

static int register_ns(const char *uri, const char *prefix)
{
    XmpStringPtr got = xmp_string_new();
    if (!got)
        return 0;
    int ok = xmp_register_namespace(uri, prefix, got);
    /* The toolkit answers with "prefix:"; a different prefix would break our paths. */
    const char *g = xmp_string_cstr(got);
    size_t n = strlen(prefix);
    ok = ok && g && strncmp(g, prefix, n) == 0 && (g[n] == ':' || g[n] == '\0');
    xmp_string_free(got);
    return ok;
}

static void init_once(void)
{
    if (!xmp_init())
        return;
    g_ready = register_ns(NS_MWGRS, "mwg-rs") && register_ns(NS_STDIM, "stDim") &&
              register_ns(NS_STAREA, "stArea") && register_ns(NS_MP, "MP") &&
              register_ns(NS_MPRI, "MPRI") && register_ns(NS_MPREG, "MPReg") &&
              register_ns(NS_PERSONREC, "personrec");
}

static pr_status ensure_init(void)
{
    pthread_once(&g_once, init_once);
    return g_ready ? PR_OK
                   : pr_set_error(PR_ERR_UNSUPPORTED, "exempi failed to initialise the XMP "
                                  "toolkit or its namespaces");
}

int pr_xmp_available(void)
{
    return ensure_init() == PR_OK;
}

/* Property text into buf; 0 when absent or too long. */
static int get_prop(XmpPtr xmp, XmpStringPtr s, const char *ns, const char *path, char *buf,
                    size_t size)
{
    uint32_t bits = 0;
    if (!xmp_get_property(xmp, ns, path, s, &bits))
        return 0;
    const char *v = xmp_string_cstr(s);
    size_t n = v ? strlen(v) : 0;
    if (!v || n >= size)
        return 0;
    memcpy(buf, v, n + 1);
    return 1;
}

static int get_num(XmpPtr xmp, XmpStringPtr s, const char *ns, const char *path, double *out)
{
    char buf[80];
    return get_prop(xmp, s, ns, path, buf, sizeof buf) &&
           pr_text_parse_double(buf, strlen(buf), out);
}

/* AppliedToDimensions w and h; 0 when absent or not positive. */
static int get_dims(XmpPtr xmp, XmpStringPtr s, double *w, double *h)
{
    return get_num(xmp, s, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:w", w) &&
           get_num(xmp, s, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:h", h) &&
           *w >= 1 && *h >= 1;
}

/* MWG region i: its Area as a unit box (left, top, width, height); 0 when missing, not numbers,
 * or without area. */
static int mwg_area(XmpPtr xmp, XmpStringPtr s, int i, double unit[4])
{
    char path[160];
    double v[4];
    static const char *const f[4] = {"x", "y", "w", "h"};
    for (int k = 0; k < 4; k++) {
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Area/stArea:%s", i,
                 f[k]);
        if (!get_num(xmp, s, NS_MWGRS, path, &v[k]))
            return 0;
    }
    unit[0] = v[0] - 0.5 * v[2]; /* x, y are the centre */
    unit[1] = v[1] - 0.5 * v[3];
    unit[2] = v[2];
    unit[3] = v[3];
    return v[2] > 0 && v[3] > 0;
}

/* MP region i: Rectangle "left, top, width, height"; -1 when absent (a person tag without a
 * rectangle names the whole photo), 0 when malformed or without area, 1 when read. */
static int mp_rect(XmpPtr xmp, XmpStringPtr s, int i, double unit[4])
{
    char path[160], text[PR_TEXT_MAX_FIELD + 1];
    snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/MPReg:Rectangle", i);
    if (!get_prop(xmp, s, NS_MP, path, text, sizeof text))
        return -1;
    const char *p = text;
    for (int k = 0; k < 4; k++) {
        const char *c = strchr(p, ',');
        size_t n = c ? (size_t)(c - p) : strlen(p);
        if ((k < 3) != (c != NULL) || !pr_text_parse_double(p, n, &unit[k]))
            return 0;
        p = c ? c + 1 : p + n;
    }
    return unit[2] > 0 && unit[3] > 0;
}

/* The regions of a parsed packet as unit boxes (in the frame the file uses) added to set: the MWG
 * faces, then the Microsoft Photo regions -- only when there is no MWG face (fallback), or with
 * union_mp those that no MWG face already covers (a name given in Windows Photo Gallery stays
 * readable after MWG regions were added for other faces). */
static pr_status read_regions(XmpPtr xmp, const char *name, const char *image, pr_face_labels *set,
                              int union_mp, pr_region_skip_fn skip, void *ctx)
{
    XmpStringPtr s = xmp_string_new();
    if (!s)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    char path[160], text[PR_TEXT_MAX_FIELD + 1];
    size_t first = set->count;
    pr_status st = PR_OK;
    for (int i = 1; i <= MAX_REGIONS && st == PR_OK; i++) {
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]", i);
        if (!xmp_has_property(xmp, NS_MWGRS, path))
            break;
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Type", i);
        if (get_prop(xmp, s, NS_MWGRS, path, text, sizeof text) && strcmp(text, "Face") != 0)
            continue; /* pets, focus areas, bar codes */
        double u[4];
        if (!mwg_area(xmp, s, i, u)) {
            st = pr_sidecar_bad_entry(skip, ctx,
                                      pr_set_error(PR_ERR_FORMAT, "%s:1: MWG region %d: Area "
                                                   "missing, not numbers or without area", name,
                                                   i));
            continue;
        }
        pr_box box = {u[0], u[1], u[2], u[3]};
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Name", i);
        const char *person = NULL;
        if (get_prop(xmp, s, NS_MWGRS, path, text, sizeof text) && text[0]) {
            pr_status cs = pr_labels_check_field(text, strlen(text), name, 1, "region name");
            if (cs != PR_OK) {
                st = pr_sidecar_bad_entry(skip, ctx, cs);
                continue;
            }
            person = text;
        }
        st = pr_face_labels_add(set, image, box, person, NULL, 0);
    }
    size_t mwg_end = set->count;
    for (int i = 1; i <= MAX_REGIONS && st == PR_OK && (union_mp || mwg_end == first); i++) {
        snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]", i);
        if (!xmp_has_property(xmp, NS_MP, path))
            break;
        double u[4];
        int got = mp_rect(xmp, s, i, u);
        if (got < 0)
            continue;
        if (got == 0) {
            st = pr_sidecar_bad_entry(skip, ctx,
                                      pr_set_error(PR_ERR_FORMAT, "%s:1: MP region %d: Rectangle "
                                                   "is not four numbers with an area", name, i));
            continue;
        }
        int dup = 0;
        for (size_t k = first; k < mwg_end && !dup; k++) {
            const pr_box *m = &set->items[k].box;
            const double mu[4] = {m->x, m->y, m->w, m->h};
            dup = pr_region_unit_iou(mu, u) >= 0.5;
        }
        if (dup)
            continue; /* the same face in both schemas (as every writer of both puts it) */
        pr_box box = {u[0], u[1], u[2], u[3]};
        snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/MPReg:PersonDisplayName", i);
        const char *person = NULL;
        if (get_prop(xmp, s, NS_MP, path, text, sizeof text) && text[0]) {
            pr_status cs = pr_labels_check_field(text, strlen(text), name, 1, "person name");
            if (cs != PR_OK) {
                st = pr_sidecar_bad_entry(skip, ctx, cs);
                continue;
            }
            person = text;
        }
        st = pr_face_labels_add(set, image, box, person, NULL, 0);
    }
    xmp_string_free(s);
    return st;
}

static void drop_from(pr_face_labels *set, size_t first)
{
    while (set->count > first) {
        pr_face_label *l = &set->items[--set->count];
        pr_free(l->image);
        pr_free(l->person);
        pr_free(l->extra);
    }
}

/* Checks and parses a packet; NULL with the error set when it is not XMP. */
static XmpPtr parse_packet(const char *data, size_t size, const char *name, pr_status *st)
{
    *st = ensure_init();
    if (*st != PR_OK)
        return NULL;
    if (size > PR_FILE_DEFAULT_MAX_BYTES) {
        *st = pr_set_error(PR_ERR_LIMIT, "%s: XMP too large", name);
        return NULL;
    }
    if (!pr_text_utf8_valid(data ? data : "", size) || (size && memchr(data, '\0', size))) {
        *st = pr_set_error(PR_ERR_FORMAT, "%s:1: XMP is not UTF-8 text", name);
        return NULL;
    }
    XmpPtr xmp = xmp_new(data ? data : "", size);
    if (!xmp)
        *st = pr_set_error(PR_ERR_FORMAT, "%s:1: exempi cannot parse the XMP (error %d)", name,
                           xmp_get_error());
    return xmp;
}

pr_status pr_xmp_parse_regions(const char *data, size_t size, const char *name, const char *image,
                               pr_face_labels *set, int *in_pixels)
{
    if (!set || !image || (!data && size))
        return pr_set_error(PR_ERR_ARG, "pr_xmp_parse_regions: bad argument");
    *in_pixels = 0;
    if (!name)
        name = "(xmp)";
    pr_status st;
    XmpPtr xmp = parse_packet(data, size, name, &st);
    if (!xmp)
        return st;
    size_t first = set->count;
    st = read_regions(xmp, name, image, set, 0, NULL, NULL);
    XmpStringPtr s = xmp_string_new();
    double dw = 0, dh = 0;
    if (st == PR_OK && set->count > first && s && get_dims(xmp, s, &dw, &dh) &&
        xmp_has_property(xmp, NS_MWGRS, "Regions/mwg-rs:RegionList[1]")) {
        /* MWG boxes in the pixels of AppliedToDimensions (the stored image). */
        for (size_t i = first; i < set->count; i++) {
            pr_box *b = &set->items[i].box;
            b->x *= dw;
            b->w *= dw;
            b->y *= dh;
            b->h *= dh;
        }
        *in_pixels = 1;
    }
    if (s)
        xmp_string_free(s);
    xmp_free(xmp);
    if (st != PR_OK)
        drop_from(set, first); /* leave the set as it was */
    return st;
}

/* The image a sidecar belongs to: "photo.jpg.xmp" -> "photo.jpg"; "photo.xmp" -> the photo with
 * that stem found in img_dir. */
static pr_status sidecar_image(const char *path, const char *img_dir, char image[4096])
{
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t bn = strlen(base);
    if (bn <= 4 || bn - 4 >= 4096)
        return pr_set_error(PR_ERR_ARG, "%s: not a sidecar name", path);
    memcpy(image, base, bn - 4);
    image[bn - 4] = '\0';
    if (strrchr(image, '.'))
        return PR_OK;
    static const char *const exts[] = {".jpg", ".jpeg", ".JPG", ".JPEG", ".png", ".PNG",
                                       ".heic", ".HEIC", ".webp", ".tif", ".tiff"};
    char probe[4096], withext[4112];
    for (size_t k = 0; k < sizeof exts / sizeof exts[0]; k++) {
        int n = snprintf(withext, sizeof withext, "%s%s", image, exts[k]);
        if (n < 0 || (size_t)n >= 4096 || pr_path_join(probe, sizeof probe, img_dir, withext))
            break;
        if (pr_file_exists(probe)) {
            memcpy(image, withext, (size_t)n + 1);
            break;
        }
    }
    return PR_OK;
}

pr_status pr_xmp_load_ex(const char *path, const pr_face_labels_load_params *params,
                         pr_region_skip_fn skip, void *ctx, pr_face_labels **out)
{
    *out = NULL;
    pr_face_labels_load_params p = params ? *params : pr_face_labels_load_params_default();
    char *data = NULL, *dir = NULL;
    size_t size = 0;
    pr_face_labels *set = NULL;
    XmpPtr xmp = NULL;
    XmpStringPtr s = NULL;
    char image[4096], ipath[4096];
    pr_status st = pr_file_read_all(path, p.max_bytes, &data, &size);
    if (st != PR_OK)
        return st;
    if (!(dir = pr_path_dirname(path))) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    const char *img_dir = p.image_dir ? p.image_dir : dir;
    if ((st = sidecar_image(path, img_dir, image)) || (st = pr_face_labels_new(dir, &set)))
        goto done;
    if (!(xmp = parse_packet(data, size, path, &st)))
        goto done;
    if ((st = read_regions(xmp, path, image, set, 1, skip, ctx)) || set->count == 0)
        goto done;
    /* Unit boxes of the stored image -> upright pixels (regions.h). */
    pr_region_frame fr;
    if ((st = pr_path_join(ipath, sizeof ipath, img_dir, image)))
        goto done;
    st = pr_region_frame_of(ipath, &fr);
    if (st != PR_OK && access(ipath, F_OK) != 0) {
        /* The photo was deleted or moved away: a stale sidecar, nothing to read. */
        drop_from(set, 0);
        st = PR_OK;
        goto done;
    }
    if (st != PR_OK) {
        pr_sidecar_with_note(st, "the photo of this sidecar");
        goto done;
    }
    /* MWG says AppliedToDimensions is the stored size. A file whose dimensions are the stored
     * size turned a quarter, on a photo that the orientation turns a quarter, was written in the
     * displayed frame by a tool that does not follow MWG; read it in that frame. */
    double dw = 0, dh = 0;
    int displayed = 0;
    if ((s = xmp_string_new()) && get_dims(xmp, s, &dw, &dh) && fr.orientation >= 5 &&
        fr.stored_w != fr.stored_h && (int)dw == fr.stored_h && (int)dh == fr.stored_w &&
        xmp_has_property(xmp, NS_MWGRS, "Regions/mwg-rs:RegionList[1]"))
        displayed = 1;
    for (size_t i = 0; i < set->count; i++) {
        pr_box *b = &set->items[i].box;
        const double u[4] = {b->x, b->y, b->w, b->h};
        *b = displayed ? pr_region_from_upright_unit(&fr, u) : pr_region_from_stored(&fr, u);
    }
done:
    if (s)
        xmp_string_free(s);
    if (xmp)
        xmp_free(xmp);
    pr_free(data);
    pr_free(dir);
    if (st == PR_OK) {
        *out = set;
        set = NULL;
    }
    pr_face_labels_delete(set);
    return st;
}

pr_status pr_xmp_load(const char *path, const pr_face_labels_load_params *params,
                      pr_face_labels **out)
{
    return pr_xmp_load_ex(path, params, NULL, NULL, out);
}

pr_xmp_save_params pr_xmp_save_params_default(void)
{
    pr_xmp_save_params p = {NULL, NULL, NULL};
    return p;
}

/* Items of the array at path (exempi 2.x has no count call: probe [1], [2], ...). */
static int count_items(XmpPtr xmp, const char *ns, const char *list)
{
    char path[200];
    int n = 0;
    for (; n < MAX_REGIONS; n++) {
        snprintf(path, sizeof path, "%s[%d]", list, n + 1);
        if (!xmp_has_property(xmp, ns, path))
            break;
    }
    return n;
}

/* One of our faces in the sidecar being written. */
typedef struct our_face {
    const pr_face_label *label;
    double unit[4]; /* in the frame the file uses */
    int covered;    /* a region another tool made lies on it: that region stays, ours is not added */
} our_face;

/* Is region i of the list at base (MWG "Regions/mwg-rs:RegionList" or MP
 * "RegionInfo/MPRI:Regions") one that we wrote? Ours carry the personrec:Made marker; older
 * versions wrote no marker, but their made-up "person_<n>" names are ours too. */
static int region_is_ours(XmpPtr xmp, XmpStringPtr s, const char *ns, const char *list,
                          const char *marker_path, const char *name_field, int i)
{
    char path[200], text[PR_TEXT_MAX_FIELD + 1], mark[40], want[17];
    snprintf(path, sizeof path, "%s[%d]/%s", list, i, name_field);
    int named = get_prop(xmp, s, ns, path, text, sizeof text);
    snprintf(path, sizeof path, "%s[%d]/%s", list, i, marker_path);
    if (get_prop(xmp, s, ns, path, mark, sizeof mark)) {
        /* The marker holds a hash of the name we wrote: a name someone changed since (exiftool
         * edits one field and leaves the marker) makes the region theirs. */
        pr_region_name_tag(named ? text : "", want);
        return strcmp(mark, want) == 0;
    }
    return named && pr_region_is_auto_name(text);
}

/* Marks the faces that a kept region covers (IoU >= 0.5 in the file's frame). */
static void mark_covered(our_face *faces, int n, const double unit[4])
{
    for (int k = 0; k < n; k++)
        if (pr_region_unit_iou(faces[k].unit, unit) >= 0.5)
            faces[k].covered = 1;
}

/* Writes the sidecar of one image: its faces in set, merged into what the sidecar holds. */
static pr_status save_one(const pr_face_labels *set, const char *image, const char *out_dir,
                          const char *image_dir, const pr_xmp_save_params *p)
{
    char xpath[4096], ipath[4096], path[200], val[160];
    int n1 = snprintf(xpath, sizeof xpath, "%s/%s.xmp", out_dir, image);
    int n2 = image_dir[0] ? snprintf(ipath, sizeof ipath, "%s/%s", image_dir, image)
                          : snprintf(ipath, sizeof ipath, "%s", image);
    if (n1 < 0 || n2 < 0 || (size_t)n1 >= sizeof xpath || (size_t)n2 >= sizeof ipath)
        return pr_set_error(PR_ERR_LIMIT, "%s: path too long", image);
    pr_region_frame fr;
    pr_status st = pr_region_frame_of(ipath, &fr);
    if (st != PR_OK)
        return pr_sidecar_with_note(st, "its XMP regions need its size and orientation");
    char *old = NULL;
    size_t old_size = 0;
    XmpPtr xmp = NULL;
    XmpStringPtr out = NULL, s = NULL;
    our_face *faces = NULL;
    int nf = 0;
    for (size_t i = 0; i < set->count; i++)
        nf += strcmp(set->items[i].image, image) == 0;
    if (!(faces = pr_calloc((size_t)nf + 1, sizeof *faces)) || !(out = xmp_string_new()) ||
        !(s = xmp_string_new())) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    struct stat sb;
    if (stat(xpath, &sb) == 0) {
        if ((st = pr_file_read_all(xpath, 0, &old, &old_size)))
            goto done;
        if (!(xmp = parse_packet(old, old_size, xpath, &st))) {
            pr_sidecar_with_note(st, "not a valid sidecar: kept as it is, not rewritten");
            goto done;
        }
    } else if (!(xmp = xmp_new_empty())) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory");
        goto done;
    }
    /* The frame of this file: the stored image (MWG), unless regions another tool made stay and
     * its AppliedToDimensions declare the displayed frame (see pr_xmp_load_ex); then ours follow
     * them, so that one file never mixes two frames. */
    double dw = 0, dh = 0;
    int displayed = get_dims(xmp, s, &dw, &dh) && fr.orientation >= 5 &&
                    fr.stored_w != fr.stored_h && (int)dw == fr.stored_h &&
                    (int)dh == fr.stored_w;
    int foreign_mwg = 0, foreign_mp = 0;
    /* Pass 1: which regions are ours (dropped, rewritten below) and which another tool's (kept
     * exactly as they are). Backwards, so that deleting keeps the indices still to visit. */
    int count = count_items(xmp, NS_MWGRS, "Regions/mwg-rs:RegionList");
    for (int i = count; i >= 1; i--) {
        if (region_is_ours(xmp, s, NS_MWGRS, "Regions/mwg-rs:RegionList",
                           "mwg-rs:Extensions/personrec:Made", "mwg-rs:Name", i)) {
            snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]", i);
            xmp_delete_property(xmp, NS_MWGRS, path);
        } else {
            foreign_mwg++;
        }
    }
    count = count_items(xmp, NS_MP, "RegionInfo/MPRI:Regions");
    for (int i = count; i >= 1; i--) {
        if (region_is_ours(xmp, s, NS_MP, "RegionInfo/MPRI:Regions", "personrec:Made",
                           "MPReg:PersonDisplayName", i)) {
            snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]", i);
            xmp_delete_property(xmp, NS_MP, path);
        } else {
            foreign_mp++;
        }
    }
    displayed = displayed && foreign_mwg > 0;
    int k = 0;
    for (size_t i = 0; i < set->count; i++) {
        const pr_face_label *l = &set->items[i];
        if (strcmp(l->image, image) != 0)
            continue;
        if (l->person && pr_labels_check_field(l->person, strlen(l->person), xpath, 1,
                                               "person name") != PR_OK) {
            /* A name our reader would refuse (a control character such as a newline) is not
             * written: reading must give back exactly what was written. */
            st = pr_sidecar_with_note(PR_ERR_ARG, "that face is not written there");
            if (!p->problem)
                goto done;
            p->problem(p->problem_ctx, pr_last_error());
            st = PR_OK;
            continue;
        }
        faces[k].label = l;
        if (displayed) {
            int uw, uh;
            pr_region_frame_upright(&fr, &uw, &uh);
            faces[k].unit[0] = l->box.x / uw;
            faces[k].unit[1] = l->box.y / uh;
            faces[k].unit[2] = l->box.w / uw;
            faces[k].unit[3] = l->box.h / uh;
        } else {
            pr_region_to_stored(&fr, l->box, faces[k].unit);
        }
        k++;
    }
    /* Pass 2: a face that another tool's face region already marks is left to that region. */
    char text[PR_TEXT_MAX_FIELD + 1];
    count = count_items(xmp, NS_MWGRS, "Regions/mwg-rs:RegionList");
    for (int i = 1; i <= count; i++) {
        double u[4];
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Type", i);
        if (get_prop(xmp, s, NS_MWGRS, path, text, sizeof text) && strcmp(text, "Face") != 0)
            continue;
        if (mwg_area(xmp, s, i, u))
            mark_covered(faces, k, u);
    }
    count = count_items(xmp, NS_MP, "RegionInfo/MPRI:Regions");
    for (int i = 1; i <= count; i++) {
        double u[4];
        if (mp_rect(xmp, s, i, u) == 1)
            mark_covered(faces, k, u);
    }
    int ok = 1;
    if (!displayed) {
        snprintf(val, sizeof val, "%d", fr.stored_w);
        ok &= xmp_set_property(xmp, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:w", val,
                               0);
        snprintf(val, sizeof val, "%d", fr.stored_h);
        ok &= xmp_set_property(xmp, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:h", val,
                               0);
        ok &= xmp_set_property(xmp, NS_MWGRS, "Regions/mwg-rs:AppliedToDimensions/stDim:unit",
                               "pixel", 0);
    }
    int kw = count_items(xmp, NS_MWGRS, "Regions/mwg-rs:RegionList");
    int km = count_items(xmp, NS_MP, "RegionInfo/MPRI:Regions");
    for (int f = 0; f < k && ok; f++) {
        if (faces[f].covered)
            continue;
        const pr_face_label *l = faces[f].label;
        const double *u = faces[f].unit;
        kw++;
        ok &= xmp_append_array_item(xmp, NS_MWGRS, "Regions/mwg-rs:RegionList",
                                    XMP_PROP_VALUE_IS_ARRAY, NULL, XMP_PROP_VALUE_IS_STRUCT);
        const double mwg[4] = {u[0] + 0.5 * u[2], u[1] + 0.5 * u[3], u[2], u[3]};
        static const char *const fl[4] = {"x", "y", "w", "h"};
        for (int q = 0; q < 4 && ok; q++) {
            snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Area/stArea:%s", kw,
                     fl[q]);
            snprintf(val, sizeof val, "%.6f", mwg[q]);
            ok &= xmp_set_property(xmp, NS_MWGRS, path, val, 0);
        }
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Area/stArea:unit", kw);
        ok &= xmp_set_property(xmp, NS_MWGRS, path, "normalized", 0);
        snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Type", kw);
        ok &= xmp_set_property(xmp, NS_MWGRS, path, "Face", 0);
        if (l->person) {
            snprintf(path, sizeof path, "Regions/mwg-rs:RegionList[%d]/mwg-rs:Name", kw);
            ok &= xmp_set_property(xmp, NS_MWGRS, path, l->person, 0);
        }
        char tag[17];
        pr_region_name_tag(l->person ? l->person : "", tag);
        snprintf(path, sizeof path,
                 "Regions/mwg-rs:RegionList[%d]/mwg-rs:Extensions/personrec:Made", kw);
        ok &= xmp_set_property(xmp, NS_MWGRS, path, tag, 0);
        km++;
        ok &= xmp_append_array_item(xmp, NS_MP, "RegionInfo/MPRI:Regions",
                                    XMP_PROP_VALUE_IS_ARRAY, NULL, XMP_PROP_VALUE_IS_STRUCT);
        snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/MPReg:Rectangle", km);
        snprintf(val, sizeof val, "%.6f, %.6f, %.6f, %.6f", u[0], u[1], u[2], u[3]);
        ok &= xmp_set_property(xmp, NS_MP, path, val, 0);
        if (l->person) {
            snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/MPReg:PersonDisplayName", km);
            ok &= xmp_set_property(xmp, NS_MP, path, l->person, 0);
        }
        snprintf(path, sizeof path, "RegionInfo/MPRI:Regions[%d]/personrec:Made", km);
        ok &= xmp_set_property(xmp, NS_MP, path, tag, 0);
    }
    if (ok && km == 0)
        xmp_delete_property(xmp, NS_MP, "RegionInfo");
    if (!ok) {
        st = pr_set_error(PR_ERR_INTERNAL, "%s: exempi refused a region property (error %d)",
                          xpath, xmp_get_error());
        goto done;
    }
    if (!xmp_serialize(xmp, out, XMP_SERIAL_OMITPACKETWRAPPER, 0)) {
        st = pr_set_error(PR_ERR_INTERNAL, "%s: exempi cannot serialise (error %d)", xpath,
                          xmp_get_error());
        goto done;
    }
    if ((st = pr_mkdir_parents(xpath)))
        goto done;
    st = pr_file_write_atomic(xpath, xmp_string_cstr(out), xmp_string_len(out));
done:
    if (out)
        xmp_string_free(out);
    if (s)
        xmp_string_free(s);
    if (xmp)
        xmp_free(xmp);
    pr_free(faces);
    pr_free(old);
    return st;
}

pr_status pr_xmp_save(const pr_face_labels *set, const char *out_dir,
                      const pr_xmp_save_params *params)
{
    if (!set || !out_dir)
        return pr_set_error(PR_ERR_ARG, "pr_xmp_save: bad argument");
    pr_status st = ensure_init();
    if (st != PR_OK)
        return st;
    pr_xmp_save_params p = params ? *params : pr_xmp_save_params_default();
    const char *image_dir = p.image_dir ? p.image_dir : out_dir;
    for (size_t i = 0; i < set->count; i++) {
        const char *img = set->items[i].image;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++)
            seen = strcmp(set->items[j].image, img) == 0;
        if (seen)
            continue;
        size_t il = strlen(img);
        int up = strcmp(img, "..") == 0 || strncmp(img, "../", 3) == 0 || strstr(img, "/../") ||
                 (il >= 3 && strcmp(img + il - 3, "/..") == 0); /* a ".." component */
        if (up || img[0] == '/')
            st = pr_set_error(PR_ERR_ARG, "%s: refusing to write a sidecar outside %s", img,
                              out_dir);
        else
            st = save_one(set, img, out_dir, image_dir, &p);
        if (st != PR_OK && !p.problem)
            return st;
        /* One photo's sidecar failing never stops the others'. */
        if (st != PR_OK)
            p.problem(p.problem_ctx, pr_last_error());
    }
    return PR_OK;
}

#else /* no exempi */

int pr_xmp_available(void)
{
    return 0;
}

pr_status pr_xmp_parse_regions(const char *data, size_t size, const char *name, const char *image,
                               pr_face_labels *set, int *in_pixels)
{
    (void)data, (void)size, (void)image, (void)set;
    *in_pixels = 0;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: XMP support not built (exempi missing)",
                        name ? name : "(xmp)");
}

pr_status pr_xmp_load(const char *path, const pr_face_labels_load_params *params,
                      pr_face_labels **out)
{
    (void)params;
    *out = NULL;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: XMP support not built (exempi missing)", path);
}

pr_status pr_xmp_load_ex(const char *path, const pr_face_labels_load_params *params,
                         pr_region_skip_fn skip, void *ctx, pr_face_labels **out)
{
    (void)skip, (void)ctx;
    return pr_xmp_load(path, params, out);
}

pr_xmp_save_params pr_xmp_save_params_default(void)
{
    pr_xmp_save_params p = {NULL, NULL, NULL};
    return p;
}

pr_status pr_xmp_save(const pr_face_labels *set, const char *out_dir,
                      const pr_xmp_save_params *params)
{
    (void)set, (void)params;
    return pr_set_error(PR_ERR_UNSUPPORTED, "%s: XMP support not built (exempi missing)",
                        out_dir ? out_dir : "");
}

#endif

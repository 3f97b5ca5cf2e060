#define _POSIX_C_SOURCE 200809L
#include "core/files.h"

#include "core/alloc.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

int pr_has_image_extension(const char *name)
{
    static const char *const exts[] = {".jpg", ".jpeg", ".png", ".pgm", ".ppm", ".pnm", ".heic",
                                        ".heif", ".avif", ".webp", ".tif", ".tiff", ".gif"};
    const char *dot = strrchr(name, '.');
    if (!dot)
        return 0;
    for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return 1;
    return 0;
}

int pr_is_side_file(const char *name)
{
    static const char *const exts[] = {".xmp", ".aae", ".thm"};
    static const char *const names[] = {"picasa.ini", "thumbs.db", "desktop.ini", "ehthumbs.db",
                                         "zbthumbnail.info"};
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof exts / sizeof exts[0]; i++)
        if (strcasecmp(dot, exts[i]) == 0)
            return 1;
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (strcasecmp(name, names[i]) == 0)
            return 1;
    return 0;
}

int pr_is_directory(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* Appends an owned string to a growing array (freed when the array cannot grow). */
static pr_status append(char ***items, size_t *count, size_t *capacity, char *owned)
{
    if (!owned)
        return pr_set_error(PR_ERR_NOMEM, "out of memory listing files");
    if (*count == *capacity) {
        size_t cap = *capacity ? *capacity * 2 : 64;
        char **grown = pr_realloc(*items, cap * sizeof *grown);
        if (!grown) {
            pr_free(owned);
            return pr_set_error(PR_ERR_NOMEM, "out of memory listing files");
        }
        *items = grown;
        *capacity = cap;
    }
    (*items)[(*count)++] = owned;
    return PR_OK;
}

static pr_status push(pr_file_list *list, const char *path)
{
    return append(&list->paths, &list->count, &list->capacity, pr_strdup(path));
}

/* Records "path: why" in list->failed (the listing goes on). */
static pr_status fail_entry(pr_file_list *list, const char *path, const char *why)
{
    size_t need = strlen(path) + strlen(why) + 3;
    char *text = pr_malloc(need);
    if (text)
        snprintf(text, need, "%s: %s", path, why);
    return append(&list->failed, &list->nfailed, &list->failed_capacity, text);
}

static int compare_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static pr_status walk(const char *dir, pr_file_list *list, int depth)
{
    if (depth > 64)
        return fail_entry(list, dir, "folders nested deeper than 64 levels: not listed");
    DIR *d = opendir(dir);
    if (!d && depth == 0)
        return pr_set_error(PR_ERR_IO, "%s: cannot open folder: %s", dir, strerror(errno));
    if (!d) { /* one locked sub-folder: named, and the rest of the album goes on */
        char why[160];
        snprintf(why, sizeof why, "cannot open folder: %s (its photos skipped)", strerror(errno));
        return fail_entry(list, dir, why);
    }
    /* Collect names first so the order is sorted, not the file system's. */
    pr_file_list names = {0};
    pr_status st = PR_OK;
    for (struct dirent *e; st == PR_OK && (e = readdir(d));)
        if (e->d_name[0] != '.')
            st = push(&names, e->d_name);
    closedir(d);
    if (st == PR_OK && names.count > 1)
        qsort(names.paths, names.count, sizeof *names.paths, compare_names);
    size_t cap = strlen(dir) + 2;
    for (size_t i = 0; st == PR_OK && i < names.count; i++) {
        size_t need = cap + strlen(names.paths[i]);
        char *path = pr_malloc(need);
        if (!path) {
            st = pr_set_error(PR_ERR_NOMEM, "out of memory listing files");
            break;
        }
        snprintf(path, need, "%s/%s", dir, names.paths[i]);
        struct stat ls;
        int got = lstat(path, &ls);
        if (got != 0 && errno != ENOENT) {
            /* A path longer than the system allows (ENAMETOOLONG, deep folders of long names)
             * cannot be read by path: named, never left out in silence. ENOENT: it went away
             * between the listing and now. */
            char why[160];
            snprintf(why, sizeof why, "cannot read: %s (not listed)", strerror(errno));
            st = fail_entry(list, path, why);
        } else if (got == 0) {
            if (S_ISDIR(ls.st_mode))
                st = walk(path, list, depth + 1);
            else if (S_ISREG(ls.st_mode) || S_ISLNK(ls.st_mode)) {
                struct stat target;
                /* a link to a file counts as that file; a link to a folder is not followed; a
                 * link with a photo's name that leads nowhere is a photo that cannot be read */
                int is_image = pr_has_image_extension(names.paths[i]);
                if (S_ISLNK(ls.st_mode) && stat(path, &target) != 0) {
                    if (is_image) {
                        char why[160];
                        snprintf(why, sizeof why, "cannot open: %s (a link to a missing file)",
                                 strerror(errno));
                        st = fail_entry(list, path, why);
                    }
                } else if (S_ISLNK(ls.st_mode) && !S_ISREG(target.st_mode))
                    ;
                else if (is_image)
                    st = push(list, path);
                else if (pr_is_side_file(names.paths[i]))
                    list->side_files++;
                else
                    list->skipped++;
            }
        }
        pr_free(path);
    }
    pr_file_list_clear(&names);
    return st;
}

pr_status pr_list_images(const char *root, pr_file_list *list)
{
    struct stat st;
    if (stat(root, &st) != 0)
        return pr_set_error(PR_ERR_IO, "%s: %s", root, strerror(errno));
    if (!S_ISDIR(st.st_mode))
        return push(list, root);
    /* Strip trailing slashes so paths read "album/x.jpg", not "album//x.jpg". */
    size_t n = strlen(root);
    while (n > 1 && root[n - 1] == '/')
        n--;
    char *clean = pr_malloc(n + 1);
    if (!clean)
        return pr_set_error(PR_ERR_NOMEM, "out of memory");
    memcpy(clean, root, n);
    clean[n] = '\0';
    pr_status status = walk(clean, list, 0);
    pr_free(clean);
    return status;
}

void pr_file_list_clear(pr_file_list *list)
{
    for (size_t i = 0; i < list->count; i++)
        pr_free(list->paths[i]);
    pr_free(list->paths);
    for (size_t i = 0; i < list->nfailed; i++)
        pr_free(list->failed[i]);
    pr_free(list->failed);
    memset(list, 0, sizeof *list);
}

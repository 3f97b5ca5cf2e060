/* Reads ../shared/datasets/album/truth.csv (image,x,y,w,h,person,origin) for the face-net tests and
 * the descriptor bench, and loads each photo once. */
#ifndef PR_TESTS_NN_ALBUM_H
#define PR_TESTS_NN_ALBUM_H

#include "core/alloc.h"
#include "core/box.h"
#include "core/image.h"

#include <stdio.h>
#include <string.h>

typedef struct pr_album_face {
    char image[256];
    char person[64];
    pr_box box;
    int image_index; /* into pr_album.images */
} pr_album_face;

typedef struct pr_album {
    pr_album_face *faces;
    int n;
    pr_image **images; /* one per distinct image, in first-seen order */
    int n_images;
} pr_album;

static inline void pr_album_free(pr_album *a)
{
    for (int i = 0; i < a->n_images; i++)
        pr_image_delete(a->images[i]);
    pr_free(a->images);
    pr_free(a->faces);
    memset(a, 0, sizeof *a);
}

/* Loads the truth rows (max_faces > 0 limits them) and their photos as RGB. */
static inline pr_status pr_album_load(const char *album_dir, int max_faces, pr_album *a)
{
    char path[8600], line[1024];
    memset(a, 0, sizeof *a);
    snprintf(path, sizeof path, "%s/truth.csv", album_dir);
    FILE *f = fopen(path, "r");
    if (!f)
        return pr_set_error(PR_ERR_IO, "%s: cannot open", path);
    a->faces = pr_calloc(4096, sizeof *a->faces);
    a->images = pr_calloc(4096, sizeof *a->images);
    pr_status st = a->faces && a->images ? PR_OK : PR_ERR_NOMEM;
    pr_image_load_params lp = pr_image_load_params_default();
    lp.channels = 3;
    while (st == PR_OK && fgets(line, sizeof line, f) && a->n < 4096 &&
           (max_faces <= 0 || a->n < max_faces)) {
        pr_album_face *face = &a->faces[a->n];
        if (sscanf(line, "%255[^,],%lf,%lf,%lf,%lf,%63[^,\n]", face->image, &face->box.x,
                   &face->box.y, &face->box.w, &face->box.h, face->person) != 6)
            continue; /* header */
        int found = -1;
        for (int i = 0; i < a->n; i++)
            if (strcmp(a->faces[i].image, face->image) == 0)
                found = a->faces[i].image_index;
        if (found < 0) {
            snprintf(path, sizeof path, "%s/%s", album_dir, face->image);
            st = pr_image_load(path, &lp, &a->images[a->n_images], NULL);
            found = a->n_images++;
        }
        face->image_index = found;
        a->n++;
    }
    fclose(f);
    if (st != PR_OK)
        pr_album_free(a);
    return st;
}

#endif

/* Events by photo (features/events.h). */
#include "features/events.h"

#include "core/alloc.h"
#include "features/context.h"

#include <stdlib.h>

typedef struct group_index {
    int32_t group;
    int index;
} group_index;

static int by_group(const void *a, const void *b)
{
    const group_index *x = a, *y = b;
    if (x->group != y->group)
        return x->group < y->group ? -1 : 1;
    return (x->index > y->index) - (x->index < y->index);
}

pr_status pr_events_by_photo(const double *time, const int32_t *group, int n, int32_t *event)
{
    if (n < 0 || (n > 0 && (!time || !group || !event)))
        return pr_set_error(PR_ERR_ARG, "pr_events_by_photo: bad arguments");
    if (n == 0)
        return PR_OK;
    group_index *order = pr_malloc_array((size_t)n, sizeof *order);
    int *photo = pr_malloc_array((size_t)n, sizeof *photo);
    double *ptime = pr_malloc_array((size_t)n, sizeof *ptime);
    int *pevent = pr_malloc_array((size_t)n, sizeof *pevent);
    pr_status st = PR_OK;
    if (!order || !photo || !ptime || !pevent) {
        st = pr_set_error(PR_ERR_NOMEM, "out of memory for events");
        goto done;
    }
    for (int i = 0; i < n; i++)
        order[i] = (group_index){group[i], i};
    qsort(order, (size_t)n, sizeof *order, by_group);
    /* One time per photo (its first instance's); an instance without a photo id is its own photo. */
    int np = 0;
    for (int s = 0; s < n; s++) {
        int i = order[s].index;
        if (s == 0 || order[s].group < 0 || order[s].group != order[s - 1].group)
            ptime[np++] = time[i];
        photo[i] = np - 1;
    }
    if ((st = pr_events_from_times(ptime, np, NULL, pevent, NULL)) != PR_OK)
        goto done;
    for (int i = 0; i < n; i++)
        event[i] = pevent[photo[i]];
done:
    pr_free(order);
    pr_free(photo);
    pr_free(ptime);
    pr_free(pevent);
    return st;
}


/* cluster/instances.h on synthetic person records: three people in twelve photos with a clear
 * band-colour and eigen cue, one two-face photo and a time gap that splits two events. Checks the
 * cue list parser, the events over the photos of the instances, that the fused matrix does not
 * depend on the number of threads (bit for bit), that the default clustering recovers the three
 * people with the cannot-link held, that a fixed k below the largest photo is raised to it, that
 * a single instance is one cluster, and that the eigenfaces come from the 8-bit crops. */
#include "cluster/instances.h"
#include "features/eigen_album.h"
#include "features/events.h"
#include "core/alloc.h"
#include "tests/test.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

enum { N = 13, DIM = 8 };

static pr_person *make(int who, int photo, double jitter)
{
    pr_person *p = pr_calloc(1, sizeof *p);
    p->photo_index = photo;
    p->event_id = -1;
    p->time = NAN;
    p->band_hist.n = DIM;
    for (int k = 0; k < DIM; k++)
        p->band_hist.h[k] = (k / 3 == who ? 0.3f : 0.02f) + (float)(jitter * (k % 2));
    p->n_eigen = 4;
    p->eigen = pr_calloc(4, sizeof(float));
    for (int k = 0; k < 4; k++)
        p->eigen[k] = (float)(who * 10 + k + jitter);
    return p;
}

int main(void)
{
    double w[PR_CUE_COUNT];
    PR_CHECK_OK(pr_instances_parse_cues("eigen=1,band=0.5,background", w));
    PR_CHECK_NEAR(w[PR_CUE_EIGEN], 1.0, 0);
    PR_CHECK_NEAR(w[PR_CUE_BAND], 0.5, 0);
    PR_CHECK_NEAR(w[PR_CUE_BACKGROUND], 1.0, 0);
    PR_CHECK_NEAR(w[PR_CUE_SIFT], 0.0, 0);
    PR_CHECK(pr_instances_parse_cues("eigen=1,nose=2", w) == PR_ERR_ARG);
    PR_CHECK(pr_instances_parse_cues("eigen=-1", w) == PR_ERR_ARG);
    PR_CHECK(pr_instances_parse_cues("eigen=0", w) == PR_ERR_ARG);
    PR_CHECK_STR(pr_instance_cue_name(PR_CUE_SIFT_BODY), "siftbody");
    PR_CHECK(pr_instance_cue_same_event(PR_CUE_BODY) && !pr_instance_cue_same_event(PR_CUE_BAND));

    /* who: 0,1,2 repeated; photo 0 holds instances 0 and 1 (two people), the rest one each. */
    int who[N] = {0, 1, 2, 0, 1, 2, 0, 1, 2, 0, 1, 2, 0};
    int32_t group[N] = {0, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11};
    double time[N];
    pr_person *persons[N];
    for (int i = 0; i < N; i++) {
        persons[i] = make(who[i], group[i], 0.001 * i);
        /* photos 0..5 in the morning, 6..11 two days later; instance 12 has no time */
        time[i] = i == N - 1 ? NAN : group[i] < 6 ? 1000.0 + 100 * group[i]
                                                   : 1000.0 + 3 * 86400 + 100 * group[i];
    }
    int32_t event[N];
    PR_CHECK_OK(pr_events_by_photo(time, group, N, event));
    PR_CHECK_EQ_INT(event[0], event[1]); /* one photo, one event */
    PR_CHECK_EQ_INT(event[0], event[5]);
    PR_CHECK(event[0] != event[8]);
    PR_CHECK_EQ_INT(event[12], -1);

    float *f1 = malloc(sizeof(float) * N * N), *f2 = malloc(sizeof(float) * N * N);
    pr_instances_params ip = pr_instances_params_default();
    ip.device = PR_DISTANCE_CPU;
    ip.threads = 1;
    PR_CHECK_OK(pr_instances_distances(&ip, (const pr_person *const *)persons, NULL, N, event, f1));
    ip.threads = 2;
    PR_CHECK_OK(pr_instances_distances(&ip, (const pr_person *const *)persons, NULL, N, event, f2));
    PR_CHECK(memcmp(f1, f2, sizeof(float) * N * N) == 0);
    for (int i = 0; i < N; i++) { /* every row: the same person is nearer than anyone else */
        float same = 0, other = 1;
        for (int j = 0; j < N; j++) {
            float d = f1[(size_t)i * N + j];
            PR_CHECK(d >= 0 && d <= 1);
            if (j != i && who[j] == who[i] && d > same)
                same = d;
            if (who[j] != who[i] && d < other)
                other = d;
        }
        PR_CHECK(same < other);
    }

    pr_instances_cluster_params cp = pr_instances_cluster_params_default();
    cp.choose.kmedoids.threads = 1;
    pr_kmedoids_result r;
    PR_CHECK_OK(pr_instances_cluster(f1, N, group, &cp, &r, NULL));
    PR_CHECK_EQ_INT(r.k, 3);
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++)
            PR_CHECK((r.labels[i] == r.labels[j]) == (who[i] == who[j]));
    PR_CHECK(pr_kmedoids_constraint_ok(N, group, r.labels));
    pr_kmedoids_result_free(&r);

    cp.k = 1; /* below the two faces of photo 0: raised to 2 */
    PR_CHECK_OK(pr_instances_cluster(f1, N, group, &cp, &r, NULL));
    PR_CHECK_EQ_INT(r.k, 2);
    PR_CHECK(r.labels[0] != r.labels[1]);
    pr_kmedoids_result_free(&r);
    PR_CHECK_OK(pr_instances_cluster(f1, 1, group, &cp, &r, NULL));
    PR_CHECK_EQ_INT(r.k, 1);
    PR_CHECK_EQ_INT(r.labels[0], 0);
    pr_kmedoids_result_free(&r);
    cp.k = 0;
    PR_CHECK(pr_instances_cluster(f1, 0, group, &cp, &r, NULL) == PR_ERR_ARG);

    /* Eigenfaces from 8-bit crops: two kinds of crop, projected apart; a NULL crop keeps its
     * record's eigen untouched; too few crops give no model and no error. */
    pr_eigen_album_params ep = pr_eigen_album_params_default();
    ep.width = ep.height = 8;
    uint8_t crop[6][64];
    const uint8_t *crops[6];
    for (int i = 0; i < 6; i++) {
        for (int k = 0; k < 64; k++)
            crop[i][k] = (uint8_t)(i % 2 ? (k < 32 ? 200 : 20) : (k < 32 ? 20 : 200)) + (uint8_t)i;
        crops[i] = crop[i];
    }
    crops[5] = NULL;
    pr_eigenfaces *model = NULL;
    PR_CHECK_OK(pr_eigen_album(&ep, crops, 6, NULL, persons, &model));
    PR_CHECK(model != NULL);
    PR_CHECK(persons[0]->n_eigen >= 1 && persons[0]->n_eigen <= 4);
    PR_CHECK_EQ_INT(persons[5]->n_eigen, 4); /* no crop: as before */
    PR_CHECK(fabsf(persons[0]->eigen[0] - persons[2]->eigen[0]) <
             fabsf(persons[0]->eigen[0] - persons[1]->eigen[0]));
    pr_eigenfaces_delete(model);
    model = (pr_eigenfaces *)1;
    PR_CHECK_OK(pr_eigen_album(&ep, crops, 2, NULL, persons, &model));
    PR_CHECK(model == NULL);

    for (int i = 0; i < N; i++)
        pr_person_delete(persons[i]);
    free(f1);
    free(f2);
    return pr_test_finish();
}

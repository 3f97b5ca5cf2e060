/* Segmentation quality measures on hand-computed label maps. */
#include "segment/quality.h"

#include "tests/test.h"

static pr_labels *row(int n, const int *v)
{
    pr_labels *l = NULL;
    if (pr_labels_new(n, 1, &l) != PR_OK)
        return NULL;
    for (int i = 0; i < n; i++)
        l->data[i] = v[i];
    return l;
}

int main(void)
{
    /* seg 0 0 1 1 against truth 0 0 0 1: segment 1 straddles. ASA = (2 + 1) / 4; UE: truth 0 gets
     * min(2, 0) + min(1, 1), truth 1 gets min(1, 1): 2 / 4. Truth boundary at pixel 2, segment
     * boundary at pixel 1: found with tolerance 1, not with 0. */
    const int s[] = {0, 0, 1, 1}, t[] = {0, 0, 0, 1};
    pr_labels *seg = row(4, s), *truth = row(4, t);
    pr_seg_quality q;
    PR_CHECK_OK(pr_seg_quality_compute(seg, truth, 1.0, &q));
    PR_CHECK_NEAR(q.asa, 0.75, 1e-12);
    PR_CHECK_NEAR(q.ue, 0.5, 1e-12);
    PR_CHECK_NEAR(q.boundary_recall, 1.0, 1e-12);
    PR_CHECK_EQ_INT(q.segments, 2);
    PR_CHECK_EQ_INT(q.truth_segments, 2);
    PR_CHECK_OK(pr_seg_quality_compute(seg, truth, 0.0, &q));
    PR_CHECK_NEAR(q.boundary_recall, 0.0, 1e-12);
    /* Identical partitions with other label values: perfect. */
    const int s2[] = {7, 7, 7, 3};
    pr_labels *same = row(4, s2);
    PR_CHECK_OK(pr_seg_quality_compute(same, truth, 0.0, &q));
    PR_CHECK_NEAR(q.asa, 1.0, 0);
    PR_CHECK_NEAR(q.ue, 0.0, 0);
    PR_CHECK_NEAR(q.boundary_recall, 1.0, 0);
    /* Size mismatch. */
    pr_labels *small = row(3, s);
    PR_CHECK_EQ_INT(pr_seg_quality_compute(small, truth, 2.0, &q), PR_ERR_ARG);
    pr_labels_delete(seg);
    pr_labels_delete(truth);
    pr_labels_delete(same);
    pr_labels_delete(small);
    return pr_test_finish();
}

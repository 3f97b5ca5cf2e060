#include "features/context.h"

#include "tests/test.h"

int main(void)
{
    double t0, t1;
    PR_CHECK_EQ_INT(pr_exif_time_seconds("1970:01:01 00:00:00", &t0), 0);
    PR_CHECK_NEAR(t0, 0.0, 0.0);
    PR_CHECK_EQ_INT(pr_exif_time_seconds("2000:03:01 00:00:10", &t1), 0);
    PR_CHECK_NEAR(t1, 951868810.0, 0.0); /* date -u -d 2000-03-01T00:00:10 +%s */
    PR_CHECK_EQ_INT(pr_exif_time_seconds("0000:00:00 00:00:00", &t0), -1);
    PR_CHECK_EQ_INT(pr_exif_time_seconds("2000:13:01 00:00:00", &t0), -1);
    PR_CHECK_EQ_INT(pr_exif_time_seconds("2000:01:01", &t0), -1);
    PR_CHECK_EQ_INT(pr_exif_time_seconds("2000:01:01 10:00:00x", &t0), -1);

    /* Three bursts (a party, a walk the next morning, a dinner a week later) and an unknown. Given
     * out of order on purpose. */
    double base = 1.0e9;
    double times[] = {base + 30,          base + 0,           base + 90,         base + 200,
                      base + 50000,       base + 50020,       base + 50100,      NAN,
                      base + 7 * 86400.0, base + 7 * 86400.0 + 300, base + 120};
    int ids[11], n_events = 0;
    PR_CHECK_OK(pr_events_from_times(times, 11, NULL, ids, &n_events));
    PR_CHECK_EQ_INT(n_events, 3);
    int expect[] = {0, 0, 0, 0, 1, 1, 1, -1, 2, 2, 0};
    for (int i = 0; i < 11; i++)
        PR_CHECK_MSG(ids[i] == expect[i], "photo %d: event %d, expected %d", i, ids[i], expect[i]);
    /* Evenly spaced photos never split. */
    double even[30];
    int eids[30];
    for (int i = 0; i < 30; i++)
        even[i] = base + 600.0 * i;
    PR_CHECK_OK(pr_events_from_times(even, 30, NULL, eids, &n_events));
    PR_CHECK_EQ_INT(n_events, 1);
    PR_CHECK_OK(pr_events_from_times(NULL, 0, NULL, NULL, &n_events));
    PR_CHECK_EQ_INT(n_events, 0);
    return pr_test_finish();
}

/* core/clock: monotonic and advancing; core/device: the one parser and its names; core/box:
 * box-to-pixels clipping, including NaN and far-outside boxes; core/exif_time. */
#define _POSIX_C_SOURCE 200809L
#include "core/box.h"
#include "core/clock.h"
#include "core/device.h"
#include "core/exif_time.h"
#include "tests/test.h"

#include <time.h>

int main(void)
{
    double t0 = pr_clock_ms();
    struct timespec nap = {0, 20 * 1000 * 1000};
    nanosleep(&nap, NULL);
    double t1 = pr_clock_ms();
    PR_CHECK(t1 - t0 >= 19.0);
    PR_CHECK(t1 - t0 < 5000.0);
    PR_CHECK_NEAR(pr_now_seconds(), pr_clock_ms() * 1e-3, 1.0);
    volatile double spin = 0;
    double c0 = pr_clock_thread_cpu_ms();
    for (long i = 0; i < 20000000; i++)
        spin += 1e-9 * (double)i;
    PR_CHECK(spin > 0);
    PR_CHECK(pr_clock_thread_cpu_ms() > c0);

    PR_CHECK_EQ_INT(pr_device_parse("auto"), PR_DEVICE_AUTO);
    PR_CHECK_EQ_INT(pr_device_parse("cpu"), PR_DEVICE_CPU);
    PR_CHECK_EQ_INT(pr_device_parse("gpu"), PR_DEVICE_GPU);
    PR_CHECK_EQ_INT(pr_device_parse("GPU"), -1);
    PR_CHECK_EQ_INT(pr_device_parse("cuda"), -1);
    PR_CHECK_EQ_INT(pr_device_parse(NULL), -1);
    PR_CHECK_STR(pr_device_name(PR_DEVICE_GPU), "gpu");
    PR_CHECK_STR(pr_device_name((pr_device)7), "?");

    pr_pixel_rect r = pr_box_pixels((pr_box){1.5, 2.2, 3.0, 4.0}, 100, 100);
    PR_CHECK(r.x0 == 1 && r.y0 == 2 && r.x1 == 5 && r.y1 == 7);
    r = pr_box_pixels((pr_box){-10, -10, 30, 30}, 16, 8);
    PR_CHECK(r.x0 == 0 && r.y0 == 0 && r.x1 == 16 && r.y1 == 8);
    r = pr_box_pixels((pr_box){NAN, 0, 10, 10}, 16, 8);
    PR_CHECK(r.x0 == 0 && r.x1 == 0 && r.y1 == 0);
    r = pr_box_pixels((pr_box){1e300, 1e300, 1e300, 1e300}, 16, 8);
    PR_CHECK(r.x1 == r.x0 && r.y1 == r.y0);
    r = pr_box_pixels((pr_box){4, 4, 0, 3}, 16, 8);
    PR_CHECK(r.x1 == r.x0);

    double a, b;
    PR_CHECK_EQ_INT(pr_exif_time_seconds("1970:01:01 00:00:00", &a), 0);
    PR_CHECK_NEAR(a, 0.0, 0.0);
    PR_CHECK_EQ_INT(pr_exif_time_seconds("2000:03:01 00:00:10", &b), 0);
    PR_CHECK_NEAR(b, 951868810.0, 0.0); /* date -u -d 2000-03-01T00:00:10 +%s */
    PR_CHECK_EQ_INT(pr_exif_time_seconds("0000:00:00 00:00:00", &a), -1);
    PR_CHECK_EQ_INT(pr_exif_time_seconds("2000:13:01 00:00:00", &a), -1);
    PR_CHECK_EQ_INT(pr_exif_time_seconds("2000:01:01", &a), -1);
    PR_CHECK_EQ_INT(pr_exif_time_seconds("2000:01:01 10:00:00x", &a), -1);
    PR_CHECK_EQ_INT(pr_exif_time_seconds(NULL, &a), -1);
    return pr_test_finish();
}

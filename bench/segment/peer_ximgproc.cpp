// The peer: cv::ximgproc::segmentation::GraphSegmentation (Felzenszwalb-Huttenlocher in OpenCV
// contrib), called exactly as a user would. Only this file sees OpenCV.
#include "peer_ximgproc.h"

#include <chrono>
#include <ctime>
#include <exception>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/ximgproc/segmentation.hpp>

extern "C" void pr_peer_ximgproc_init(void)
{
    cv::setNumThreads(1);
}

extern "C" int pr_peer_ximgproc_segment(const uint8_t *rgb, int width, int height, size_t stride,
                                        double sigma, double k, int min_size, int *segments,
                                        double *ms, double *cpu_ms)
{
    try {
        // OpenCV wants BGR; the distance is symmetric in the channels, but convert anyway so the
        // peer sees what it would see from imread (the conversion is outside the timing).
        cv::Mat src(height, width, CV_8UC3, const_cast<uint8_t *>(rgb), stride);
        cv::Mat bgr;
        cv::cvtColor(src, bgr, cv::COLOR_RGB2BGR);
        auto gs = cv::ximgproc::segmentation::createGraphSegmentation(sigma, (float)k, min_size);
        cv::Mat out;
        struct timespec c0, c1;
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c0);
        auto t0 = std::chrono::steady_clock::now();
        gs->processImage(bgr, out);
        auto t1 = std::chrono::steady_clock::now();
        clock_gettime(CLOCK_THREAD_CPUTIME_ID, &c1);
        *cpu_ms = (double)(c1.tv_sec - c0.tv_sec) * 1e3 + (double)(c1.tv_nsec - c0.tv_nsec) * 1e-6;
        double mn = 0, mx = 0;
        cv::minMaxLoc(out, &mn, &mx);
        *segments = (int)mx + 1;
        *ms = std::chrono::duration<double, std::milli>(t1 - t0).count();
        return 0;
    } catch (const std::exception &) {
        return 1;
    }
}

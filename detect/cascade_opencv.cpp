/* The project's one C++ file: a C adapter over OpenCV's cv::CascadeClassifier (Viola & Jones,
 * "Rapid object detection using a boosted cascade of simple features", CVPR 2001; Lienhart & Maydt,
 * "An extended set of Haar-like features", ICIP 2002, for the tilted features of the stock
 * cascades). Everything else in detect/ is C; this file only converts between pr_ buffers and
 * cv::Mat and turns exceptions into pr_status, so a corrupt cascade file or an OpenCV assertion
 * can never unwind through C frames. */
#include "detect/cascade_internal.h"

#include "core/alloc.h"

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>

#include <cstdio>
#include <exception>
#include <new>
#include <vector>

struct pr_cv_cascade {
    cv::CascadeClassifier classifier;
};

struct pr_cv_gray {
    cv::Mat image;
    cv::Mat mirror; /* made on first use: only the profile cascade needs it */
};

extern "C" pr_status pr_cv_cascade_load(const char *path, pr_cv_cascade **out)
{
    if (!path || !out)
        return pr_set_error(PR_ERR_ARG, "pr_cv_cascade_load: NULL argument");
    *out = NULL;
    /* OpenCV logs its own error line for a missing file; check first so only ours is shown. */
    if (FILE *probe = std::fopen(path, "rb"))
        std::fclose(probe);
    else
        return pr_set_error(PR_ERR_IO, "%s: cannot open cascade file", path);
    pr_cv_cascade *c = NULL;
    try {
        c = new pr_cv_cascade();
        if (!c->classifier.load(path) || c->classifier.empty()) {
            delete c;
            return pr_set_error(PR_ERR_FORMAT, "%s: not a readable OpenCV cascade", path);
        }
    } catch (const std::bad_alloc &) {
        delete c;
        return pr_set_error(PR_ERR_NOMEM, "%s: out of memory loading cascade", path);
    } catch (const std::exception &e) {
        delete c;
        return pr_set_error(PR_ERR_FORMAT, "%s: OpenCV: %s", path, e.what());
    } catch (...) {
        delete c;
        return pr_set_error(PR_ERR_INTERNAL, "%s: unknown exception loading cascade", path);
    }
    *out = c;
    return PR_OK;
}

extern "C" void pr_cv_cascade_delete(pr_cv_cascade *cascade)
{
    delete cascade;
}

extern "C" pr_status pr_cv_gray_new(const uint8_t *data, int width, int height, int channels,
                                    size_t stride, int out_w, int out_h, int equalize,
                                    pr_cv_gray **out)
{
    if (!data || !out || width <= 0 || height <= 0 || out_w <= 0 || out_h <= 0 ||
        (channels != 1 && channels != 3) || stride < (size_t)width * (size_t)channels)
        return pr_set_error(PR_ERR_ARG, "pr_cv_gray_new: bad image (%dx%dx%d)", width, height,
                            channels);
    *out = NULL;
    pr_cv_gray *g = NULL;
    try {
        g = new pr_cv_gray();
        /* A header over the caller's pixels: no copy until the conversion. */
        cv::Mat src(height, width, channels == 1 ? CV_8UC1 : CV_8UC3, const_cast<uint8_t *>(data),
                    stride);
        cv::Mat grey;
        if (channels == 3)
            cv::cvtColor(src, grey, cv::COLOR_RGB2GRAY);
        else
            grey = src;
        if (out_w != width || out_h != height)
            cv::resize(grey, g->image, cv::Size(out_w, out_h), 0, 0,
                       out_w < width ? cv::INTER_AREA : cv::INTER_LINEAR);
        else
            g->image = grey.clone();
        if (equalize)
            cv::equalizeHist(g->image, g->image);
    } catch (const std::bad_alloc &) {
        delete g;
        return pr_set_error(PR_ERR_NOMEM, "out of memory preparing a %dx%d image", out_w, out_h);
    } catch (const std::exception &e) {
        delete g;
        return pr_set_error(PR_ERR_INTERNAL, "OpenCV: %s", e.what());
    } catch (...) {
        delete g;
        return pr_set_error(PR_ERR_INTERNAL, "unknown exception preparing an image");
    }
    *out = g;
    return PR_OK;
}

extern "C" void pr_cv_gray_delete(pr_cv_gray *gray)
{
    delete gray;
}

extern "C" pr_status pr_cv_detect(pr_cv_cascade *cascade, pr_cv_gray *gray, int mirrored,
                                  const int *roi, const pr_cv_detect_params *params,
                                  pr_cv_hit **hits, size_t *count)
{
    if (!cascade || !gray || !params || !hits || !count || params->scale_factor <= 1.0 ||
        params->min_neighbors < 1)
        return pr_set_error(PR_ERR_ARG, "pr_cv_detect: bad argument");
    *hits = NULL;
    *count = 0;
    try {
        if (mirrored && gray->mirror.empty())
            cv::flip(gray->image, gray->mirror, 1);
        const cv::Mat &full = mirrored ? gray->mirror : gray->image;
        cv::Rect area(0, 0, full.cols, full.rows);
        if (roi)
            area &= cv::Rect(roi[0], roi[1], roi[2], roi[3]);
        if (area.width <= 0 || area.height <= 0)
            return PR_OK;
        cv::Mat view = full(area);
        std::vector<cv::Rect> rects;
        std::vector<int> neighbors;
        cv::Size min_size(params->min_size, params->min_size);
        cv::Size max_size(params->max_size, params->max_size);
        cascade->classifier.detectMultiScale(view, rects, neighbors, params->scale_factor,
                                             params->min_neighbors, 0, min_size, max_size);
        if (rects.empty())
            return PR_OK;
        pr_cv_hit *h = (pr_cv_hit *)pr_malloc_array(rects.size(), sizeof *h);
        if (!h)
            return pr_set_error(PR_ERR_NOMEM, "out of memory for %zu detections", rects.size());
        for (size_t i = 0; i < rects.size(); i++) {
            h[i].x = rects[i].x + area.x;
            h[i].y = rects[i].y + area.y;
            h[i].w = rects[i].width;
            h[i].h = rects[i].height;
            h[i].neighbors = i < neighbors.size() ? neighbors[i] : params->min_neighbors;
        }
        *hits = h;
        *count = rects.size();
    } catch (const std::bad_alloc &) {
        return pr_set_error(PR_ERR_NOMEM, "out of memory in cascade detection");
    } catch (const std::exception &e) {
        return pr_set_error(PR_ERR_INTERNAL, "OpenCV: %s", e.what());
    } catch (...) {
        return pr_set_error(PR_ERR_INTERNAL, "unknown exception in cascade detection");
    }
    return PR_OK;
}

extern "C" void pr_cv_set_threads(int threads)
{
    try {
        cv::setNumThreads(threads <= 1 ? 0 : threads);
    } catch (...) {
        /* Threading is a tuning knob; failing to set it must not stop detection. */
    }
}

# Compiles the shipped cue calibration (cluster/params/calibration.txt, written by
# scripts/fit-calibration) into pr_cluster as the string pr_calibration_text, so a binary needs no
# data file at run time; a new fit re-runs the configure step.
set(_pr_cal_file "${CMAKE_CURRENT_LIST_DIR}/calibration.txt")
set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${_pr_cal_file}")
file(READ "${_pr_cal_file}" _pr_cal)
string(REPLACE "\\" "\\\\" _pr_cal "${_pr_cal}")
string(REPLACE "\"" "\\\"" _pr_cal "${_pr_cal}")
string(REPLACE "\n" "\\n\"\n    \"" _pr_cal "${_pr_cal}")
set(_pr_cal_c "${CMAKE_CURRENT_BINARY_DIR}/calibration_text.c")
file(WRITE "${_pr_cal_c}.tmp"
  "/* Generated from cluster/params/calibration.txt by cluster/params/embed.cmake. */\n"
  "extern const char pr_calibration_text[];\n"
  "const char pr_calibration_text[] =\n    \"${_pr_cal}\";\n")
configure_file("${_pr_cal_c}.tmp" "${_pr_cal_c}" COPYONLY)
target_sources(pr_cluster PRIVATE calibration.c agglomerative.c calibrated.c "${_pr_cal_c}")

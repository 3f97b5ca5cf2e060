# XMP sidecars and .picasa.ini: names and regions another tool or a person made are kept, one bad
# file or entry costs only itself, regions in the stored frame on rotated photos, each output
# independent, the atomic writer (temporary files, symbolic links, mode and owner).
foreach(case xmp_kept picasa_kept orientation outputs_independent writer)
  if(EXISTS "${CMAKE_CURRENT_SOURCE_DIR}/test_sidecars_${case}.sh")
    pr_trust_test(test_sidecars_${case})
  endif()
endforeach()

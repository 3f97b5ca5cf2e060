# Warnings on for our own code; -Werror when PR_WERROR (CI). Sanitizers when PR_SANITIZE; fuzzing
# instrumentation when PR_FUZZ.
set(PR_C_WARNINGS -Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wvla
    -Wformat=2 -Wno-unused-parameter)
set(PR_CXX_WARNINGS -Wall -Wextra -Wshadow -Wformat=2 -Wno-unused-parameter)
if(PR_WERROR)
  list(APPEND PR_C_WARNINGS -Werror)
  list(APPEND PR_CXX_WARNINGS -Werror)
endif()

if(PR_SANITIZE)
  # float-cast-overflow is not part of GCC's "undefined" group; face boxes from untrusted files need it.
  set(PR_SAN_FLAGS -fsanitize=address,undefined,float-cast-overflow -fno-sanitize-recover=all
      -fno-omit-frame-pointer)
  add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:${PR_SAN_FLAGS}>")
  add_link_options(${PR_SAN_FLAGS})
endif()

if(PR_FUZZ)
  # Fuzzing build: every C/C++ file gets libFuzzer's coverage hooks and ASan + UBSan, so the parsers
  # inside the libraries are instrumented; the fuzz executables add the libFuzzer main
  # (fuzz/CMakeLists.txt). Other executables link the sanitizer runtimes, which also satisfy the
  # coverage hooks.
  set(PR_FUZZ_FLAGS -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=undefined
      -fno-omit-frame-pointer)
  add_compile_options("$<$<COMPILE_LANGUAGE:C,CXX>:${PR_FUZZ_FLAGS}>")
  add_link_options(-fsanitize=address,undefined)
endif()

# pr_target_warnings(target): our warning set on a target's C and C++ sources.
function(pr_target_warnings target)
  target_compile_options(${target} PRIVATE
    "$<$<COMPILE_LANGUAGE:C>:${PR_C_WARNINGS}>"
    "$<$<COMPILE_LANGUAGE:CXX>:${PR_CXX_WARNINGS}>")
endfunction()

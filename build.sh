#!/usr/bin/env bash
# ./build.sh demo   install what is missing (apt-get), build ftprep (not the tests), run the demo on samples/
# ./build.sh check  the fast loop: build (Release) and run the unit and CLI tests (ctest -LE 'slow|fuzz')
# ./build.sh test   what CI runs (.ci/run): every test on a Release build with -Werror, then every test again
#                   with the fuzz smoke pass, on a clang ASan+UBSan build (build-san/), then the in-tree plugins
#                   built as modules (tests/modules/check.sh)
# ./build.sh build  only build (Release) into build/
# Each stage prints its time (with the load average: the build machine is shared, so read times with it).
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake ninja-build pkg-config git libboost-program-options-dev rapidjson-dev
          libicu-dev libutf8proc-dev libgtest-dev libexpat1-dev zlib1g-dev libzstd-dev libzip-dev libisal-dev zstd
          libsnappy-dev libbrotli-dev liblz4-dev libre2-dev
          expect)  # expect: the demo's workflow 4 answers `ftprep prepare` at a terminal
# clang + libclang-rt: the sanitizer build, whose fuzz targets need libFuzzer; ccache: cheap rebuilds.
TEST_PACKAGES=(parallel python3 python3-openpyxl clang libclang-rt-14-dev expect man-db zsh fish chromium ccache)
JOBS=$(nproc 2>/dev/null || echo 2)

install_missing() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "build.sh: installing ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

stage_start=$SECONDS
stage() {  # stage NAME: announces a stage (stage_done prints its seconds)
  echo "build.sh: $1 ($(uptime | sed 's/.*load/load/'))"
  stage_start=$SECONDS
}
stage_done() { echo "build.sh: ... $((SECONDS - stage_start)) s"; }

configure() {  # configure DIR [cmake args...]
  local dir=$1; shift
  local launcher=()  # ccache, where installed, makes rebuilds and worktree builds cheap
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
}

release() {  # release [cmake args...]: configure build/ (Release)
  configure build -DCMAKE_BUILD_TYPE=Release "$@"
}

# The sanitizer tree: clang with ASan + UBSan for everything, and the library also compiled with libFuzzer's
# coverage hooks (-fsanitize=fuzzer-no-link) so the fuzz targets link in the same tree: one build serves the
# sanitizer tests and the fuzz smoke pass. -O1 and line tables only: ASan's advice, and a much faster build.
sanitizer_tree() {
  if ! clang_can_fuzz; then
    echo "build.sh: clang cannot link libFuzzer here; sanitizer tests with gcc and no fuzz targets"
    configure build-san -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFTPREP_SANITIZE=ON
    return
  fi
  configure build-san -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=RelWithDebInfo \
    "-DCMAKE_C_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" "-DCMAKE_CXX_FLAGS_RELWITHDEBINFO=-O1 -gline-tables-only" \
    -DFTPREP_SANITIZE=ON -DFTPREP_FUZZ=ON
}

clang_can_fuzz() {
  command -v clang++ >/dev/null || return 1
  local probe
  probe=$(mktemp -d)
  printf 'extern "C" int LLVMFuzzerTestOneInput(const unsigned char*, unsigned long) { return 0; }\n' > "$probe/p.cpp"
  clang++ -fsanitize=fuzzer,address,undefined "$probe/p.cpp" -o "$probe/p" >/dev/null 2>&1
  local rc=$?
  rm -rf "$probe"
  return $rc
}

case "${1:-}" in
  demo)
    install_missing "${PACKAGES[@]}"
    release
    cmake --build build -j "$JOBS" --target ftprep  # only what the demo runs, not the tests
    bash samples/demo.sh build/ftprep
    ;;
  check)
    install_missing "${PACKAGES[@]}"
    release
    cmake --build build -j "$JOBS"
    ctest --test-dir build --output-on-failure -j "$JOBS" -LE 'slow|fuzz'
    ;;
  test)
    stage "installing what is missing"
    install_missing "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    stage_done
    stage "Release build (-Werror)"
    release -DFTPREP_WERROR=ON
    cmake --build build -j "$JOBS"
    stage_done
    stage "every test on the Release build"
    ctest --test-dir build --output-on-failure -j "$JOBS"
    stage_done
    stage "sanitizer build (ASan + UBSan, with the fuzz targets)"
    sanitizer_tree
    cmake --build build-san -j "$JOBS"
    stage_done
    stage "every test again under ASan + UBSan, and the fuzz smoke pass"
    # FTPREP_SANITIZED=1 makes the heaviest scripts use smaller data. The fuzz targets (label fuzz) run
    # beside the other tests: 20 s each keeps CI under 20 minutes on 2 cores; longer runs: tests/fuzz/run.sh.
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      FTPREP_SANITIZED=1 FTPREP_FUZZ_SECONDS=${FTPREP_FUZZ_SECONDS:-20} \
      ctest --test-dir build-san --output-on-failure -j "$JOBS"
    stage_done
    stage "in-tree plugins built as modules (-DFTPREP_PLUGINS_AS_MODULES=ON) give the same results"
    bash tests/modules/check.sh build/ftprep build-modules
    stage_done
    ;;
  build)
    install_missing "${PACKAGES[@]}"
    release
    cmake --build build -j "$JOBS"
    ;;
  *)
    echo "usage: ./build.sh demo|check|test|build" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# ./build.sh demo   install what is missing (apt-get), build, run the demo on samples/
# ./build.sh test   install, build (Release and ASan+UBSan), run every test with ctest
# ./build.sh build  only build (Release) into build/
set -euo pipefail
cd "$(dirname "$0")"

PACKAGES=(build-essential cmake ninja-build pkg-config git libboost-program-options-dev rapidjson-dev
          libicu-dev libutf8proc-dev libgtest-dev libexpat1-dev zlib1g-dev libzstd-dev libzip-dev libisal-dev zstd
          libsnappy-dev libbrotli-dev liblz4-dev libre2-dev
          expect)  # expect: the demo's workflow 4 answers `ftprep prepare` at a terminal
TEST_PACKAGES=(parallel python3 python3-openpyxl clang libclang-rt-14-dev expect man-db zsh fish chromium)
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

build() {  # build DIR [cmake args...]
  local dir=$1; shift
  local launcher=()  # ccache, where installed, makes rebuilds and worktree builds cheap
  command -v ccache >/dev/null && launcher=(-DCMAKE_C_COMPILER_LAUNCHER=ccache -DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake -S . -B "$dir" -G Ninja "${launcher[@]}" "$@" >/dev/null
  cmake --build "$dir" -j "$JOBS"
}

case "${1:-}" in
  demo)
    install_missing "${PACKAGES[@]}"
    build build -DCMAKE_BUILD_TYPE=Release
    bash samples/demo.sh build/ftprep
    ;;
  test)
    install_missing "${PACKAGES[@]}" "${TEST_PACKAGES[@]}"
    build build -DCMAKE_BUILD_TYPE=Release
    ctest --test-dir build --output-on-failure -j "$JOBS"
    echo "build.sh: the same tests under AddressSanitizer + UndefinedBehaviorSanitizer"
    build build-asan -DCMAKE_BUILD_TYPE=RelWithDebInfo -DFTPREP_SANITIZE=ON
    ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
      FTPREP_SANITIZED=1 ctest --test-dir build-asan --output-on-failure -j "$JOBS"
    if [ -x tests/fuzz/smoke.sh ]; then bash tests/fuzz/smoke.sh; fi
    ;;
  build)
    install_missing "${PACKAGES[@]}"
    build build -DCMAKE_BUILD_TYPE=Release
    ;;
  *)
    echo "usage: ./build.sh demo|test|build" >&2
    exit 2
    ;;
esac

#!/usr/bin/env bash
# Debian package test: bash tests/scripts/deb.sh BINARY
#
# Builds the package of BINARY's build folder with `cpack -G DEB` into a temporary folder (about 10 s), checks
# that dpkg-deb accepts it (control fields, runtime Depends computed by dpkg-shlibdeps, the files it holds),
# extracts it with dpkg-deb -x and runs the packaged binary, which finds its packaged plugin beside it.
# Skips, saying so, when cpack or dpkg-deb is not installed.
set -u
bin=$(realpath "$1")
build=$(dirname "$bin")
if ! command -v cpack >/dev/null || ! command -v dpkg-deb >/dev/null; then
  echo "SKIP deb: cpack or dpkg-deb is not installed"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail=0
check() {
  local what=$1; shift
  if "$@"; then echo "ok   $what"; else echo "FAIL $what"; fail=1; fi
}
if ! (cd "$build" && cpack -G DEB -B "$work/pkg" >"$work/cpack.log" 2>&1); then
  cat "$work/cpack.log"; echo "FAIL cpack -G DEB"; exit 1
fi
deb=$(ls "$work"/pkg/ftprep_*.deb 2>/dev/null | head -1)
check "package built" test -s "$deb"
info=$(dpkg-deb --info "$deb") || { echo "FAIL dpkg-deb --info"; exit 1; }
contents=$(dpkg-deb --contents "$deb") || { echo "FAIL dpkg-deb --contents"; exit 1; }
check "Package: ftprep" grep -q "^ Package: ftprep$" <<<"$info"
for dep in libc6 libstdc++6 libboost-program-options libicu libzstd1 libzip libexpat1 libutf8proc; do
  check "Depends names $dep" bash -c 'grep "^ Depends:" <<<"$1" | grep -q "$2"' _ "$info" "$dep"
done
for f in ./usr/bin/ftprep ./usr/lib/ftprep/plugins/1/refusals.so ./usr/share/man/man1/ftprep.1 \
         ./usr/share/man/man1/ftprep-validate.1 ./usr/share/bash-completion/completions/ftprep \
         ./usr/share/zsh/site-functions/_ftprep ./usr/share/fish/vendor_completions.d/ftprep.fish; do
  check "holds $f" grep -q " $f\$" <<<"$contents"
done
check "no test fixture plugin" bash -c '! grep -qE "wrong_abi|missing_symbol" <<<"$1"' _ "$contents"
dpkg-deb -x "$deb" "$work/root"
unset FTPREP_PLUGIN_PATH
check "packaged binary runs" bash -c '"$1" --version | grep -q "^ftprep "' _ "$work/root/usr/bin/ftprep"
check "packaged binary counts" bash -c \
  '[ "$(echo "{\"text\":\"hello world\"}" | "$1" count --each)" = 2 ]' _ "$work/root/usr/bin/ftprep"
check "packaged plugin found" bash -c '"$1" plugins | grep -q "$2/usr/lib/ftprep/plugins/1/refusals.so"' _ \
  "$work/root/usr/bin/ftprep" "$work/root"
exit $fail

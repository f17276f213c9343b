#!/usr/bin/env bash
# HTML reports in a real browser: bash tests/scripts/html_reports.sh BINARY
#
# Writes --html pages of count, validate, price, clean and split, loads each in headless Chromium (Debian's
# `chromium`), and checks the DOM Chromium built (--dump-dom): the number of bars in each SVG chart, the rule
# ids in validate's table, the splits and steps, and that the page loads nothing from elsewhere. Screenshots
# of the count and validate pages must be real images (not blank). FTPREP_SCREENSHOT_DIR=DIR keeps them
# (docs/ holds one made this way). Skips, saying so, when chromium is not installed.
set -u
bin=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
browser=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$browser" ]; then
  echo "SKIP html_reports: chromium is not installed (apt-get install chromium; ./build.sh test installs it)"
  exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
export FTPREP_TODAY=2026-11-30 FTPREP_PLUGIN_PATH=disable
fail=0
chrome() {  # chrome ARGS... URL: one headless run with a fresh profile
  timeout 90 "$browser" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync --hide-scrollbars \
    --user-data-dir="$work/profile-$RANDOM" --window-size=1000,1400 "$@" 2>/dev/null
}
check_page() {  # check_page NAME SPEC...: dump the DOM of NAME.html and check SPECs (tests/html/check_dom.py)
  local name=$1; shift
  if [ ! -s "$name.html" ]; then echo "FAIL $name: no page written"; fail=1; return; fi
  chrome --dump-dom "file://$work/$name.html" >"$name.dom"
  if [ ! -s "$name.dom" ]; then echo "FAIL $name: chromium produced no DOM"; fail=1; return; fi
  if python3 "$repo/tests/html/check_dom.py" "$name.dom" "$@"; then echo "ok   $name"; else echo "FAIL $name"; fail=1; fi
}
screenshot() {  # screenshot NAME: a non-blank PNG of the rendered page
  chrome --screenshot="$work/$1.png" "file://$work/$1.html" >/dev/null
  if python3 - "$work/$1.png" <<'PY'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
w, h = struct.unpack(">II", data[16:24])
assert (w, h) == (1000, 1400), "size %dx%d" % (w, h)
pos, idat = 8, b""
while pos < len(data):
    n, kind = struct.unpack(">I4s", data[pos:pos + 8])
    if kind == b"IDAT":
        idat += data[pos + 8:pos + 8 + n]
    pos += 12 + n
raw = zlib.decompress(idat)
assert len(set(raw)) > 40, "the page looks blank"
PY
  then
    echo "ok   $1.png"
    [ -z "${FTPREP_SCREENSHOT_DIR:-}" ] || cp "$work/$1.png" "$FTPREP_SCREENSHOT_DIR/html-report-$1.png"
  else
    echo "FAIL $1.png"; fail=1
  fi
}

# count: 24 examples of 69..120 tokens -> buckets of 10 from 60 to 129 (7 bars, one of them empty).
"$bin" count -m gpt-4.1-mini "$repo/samples/price/support_chat.jsonl" --html count.html -q
check_page count bars:histogram=7 bars:trained=0 text:877 "text:Every example fits the training context of 65,536"
# validate: eleven rules fire on the mixed fixture.
rules=chat.assistant.missing,chat.last_role,chat.messages.missing,chat.role.unknown,chat.user.missing,dataset.duplicate
rules=$rules,dataset.min_examples,dataset.prompt.identical,generic.content.empty,json.syntax,tokens.no_trained
cp "$repo/tests/html/validate_mixed.jsonl" .
"$bin" validate --profile openai-chat validate_mixed.jsonl -o /dev/null --quiet \
  --html validate.html 2>/dev/null
check_page validate bars:rule-chart=11 rows:rules=11 "cells:rules=${rules}" rows:examples=11 \
  "cells:examples=validate_mixed.jsonl:3" "text:Sources (checked"
# price: two students and a teacher.
"$bin" price --model gpt-4.1-mini,gpt-4o-mini --compare gpt-4.1 "$repo/samples/price/support_chat.jsonl" \
  --html price.html >/dev/null
check_page price bars:cost-chart=2 rows:costs=3 "cells:costs=gpt-4.1-mini,gpt-4o-mini,gpt-4.1 (teacher)"
# clean: exact dedup drops the duplicate of the fixture.
"$bin" clean validate_mixed.jsonl --dedup -o cleaned.jsonl --html clean.html --quiet 2>/dev/null
check_page clean bars:step-chart=2 "cells:steps=clean.dedup.exact,clean.empty" rows:examples=3
# split: three splits.
"$bin" split "$repo/samples/qa/answers.jsonl" --ratio 0.8,0.1,0.1 -o "part_{split}.jsonl" --html split.html >/dev/null 2>&1
check_page split bars:split-chart=3 rows:splits=3 "cells:splits=train,valid,test,49,6"
screenshot count
screenshot validate
exit $fail

#!/usr/bin/env bash
# The demo run by ./build.sh demo: the main job of ftprep on the bundled samples.
set -uo pipefail
bin=$(realpath "${1:-build/ftprep}")
cd "$(dirname "$0")"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
echo "== ftprep $($bin --version | cut -d' ' -f2): validate a chat sample (one bad line planted)"
"$bin" validate --profile jsonl --rejects "$out/rejects.jsonl" chat/tutor.jsonl > "$out/good.jsonl"
echo "   exit code $? ; $(wc -l < "$out/good.jsonl") good records kept, $(wc -l < "$out/rejects.jsonl") rejected"
echo "== plugins"
"$bin" plugins

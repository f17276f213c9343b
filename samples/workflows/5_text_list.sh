#!/usr/bin/env bash
# Workflow 5 — weighted text lists: rows of prompt/joke pairs -> {"data":{"text_list":[prompt, joke],
# "loss_weights":[0,1]}} (the model learns the joke, not the prompt) -> validate with a declarative rules
# file -> count (trained tokens are the jokes) -> steps per epoch and in total for 3 epochs, batch size 2
# and rows packed to 128 tokens, on an open model served by Fireworks.
# Usage: samples/workflows/5_text_list.sh [FTPREP [OUTDIR]]
source "$(dirname "$0")/common.sh"
cat > rules.json <<'JSON'
{"rules": [
  {"id": "jokes.two_texts", "path": "data.text_list", "required": true, "type": "array", "min_length": 2, "max_length": 2},
  {"id": "jokes.weights", "path": "data.loss_weights", "required": true,
   "schema": {"type": "array", "items": [{"enum": [0]}, {"enum": [1]}], "additionalItems": false}},
  {"id": "jokes.prompt", "path": "data.text_list[0]", "type": "string", "regex": "^Tell me a joke about [a-z]+[.]$"},
  {"id": "jokes.length", "path": "data.text_list[1]", "type": "string", "min_length": 8, "max_length": 40,
   "unit": "tokens", "encoding": "cl100k_base"}
]}
JSON

step "1. Prompt/joke rows to weighted text lists"
run 'ftprep convert samples/jokes/jokes.csv --to text_list --fields prompt,joke --weights 0,1 -o jokes.jsonl'
run 'head -2 jokes.jsonl'

step "2. Validate with a rules file (two texts, weights [0,1], the prompt's wording, 8 to 40 tokens per joke)"
run 'cat rules.json'
run 'ftprep validate --profile jsonl --rules rules.json jokes.jsonl > /dev/null'
note "A broken record is caught with its line and JSON path:"
run -x 1 "sed '3s/\"loss_weights\":\\[0,1\\]/\"loss_weights\":[1,1]/' jokes.jsonl | ftprep validate --profile jsonl --rules rules.json > /dev/null"

step "3. Tokens: the trained ones (loss weight 1) are the jokes"
note "(cl100k_base: the encoding price uses to approximate this open model's own tokenizer)"
run 'ftprep count -e cl100k_base jokes.jsonl | tee count.txt'

step "4. Steps for 3 epochs, batch size 2, rows packed to 128 tokens"
run 'ftprep price --model fireworks-up-to-16b --epochs 3 --batch-size 2 --max-tokens 128 jokes.jsonl > price.txt; sed "/^Prices/,\$d" price.txt'

summary "$(wc -l < jokes.jsonl) prompt/joke rows -> weighted text lists, valid under the rules file (a broken weight is caught)." \
  "$(awk '/^tokens/ {print $2}' count.txt) tokens, $(awk '/^trained/ {print $2}' count.txt) of them trained (the jokes)." \
  "3 epochs, batch size 2, rows of 128 tokens: $(column price.txt "steps / epoch" 1) steps per epoch, $(column price.txt "total steps" 1) in total, $(column price.txt "training cost" 1)."
finish

#!/usr/bin/env bash
# Workflow 5 — weighted text lists: rows of prompt/joke pairs -> {"data":{"text_list":[...],
# "loss_weights":[0,1]}} -> validate with a declarative rules file -> count -> steps per epoch and in total
# for given epochs, batch size and max tokens.
source "$(dirname "$0")/common.sh"
cat > rules.json <<'JSON'
{
  "rules": [
    {"id": "jokes.two_texts", "path": "data.text_list", "required": true, "type": "array",
     "min_length": 2, "max_length": 2},
    {"id": "jokes.weights", "path": "data.loss_weights", "required": true, "type": "array",
     "min_length": 2, "max_length": 2},
    {"id": "jokes.joke_length", "path": "data.text_list[1]", "type": "string", "min_length": 10,
     "max_length": 60, "unit": "tokens", "encoding": "o200k_base"}
  ]
}
JSON

step "Prompt/joke rows to weighted text lists" 'ftprep convert samples/jokes/jokes.csv --to text_list --fields prompt,joke --weights 0,1 -o jokes.jsonl'
ftprep convert samples/jokes/jokes.csv --to text_list --fields prompt,joke --weights 0,1 -o jokes.jsonl
head -2 jokes.jsonl

step "Validate with a rules file" 'ftprep validate --rules rules.json jokes.jsonl > /dev/null'
ftprep validate --rules rules.json jokes.jsonl > /dev/null
echo "(exit $?)"

step "Tokens (trained tokens are the jokes)" 'ftprep count --model gpt-4.1-mini jokes.jsonl'
ftprep count --model gpt-4.1-mini jokes.jsonl

step "Steps for 3 epochs, batch size 4, 512 tokens per row" 'ftprep price --model gpt-4.1-mini --epochs 3 --batch-size 4 --max-tokens 512 jokes.jsonl'
ftprep price --model gpt-4.1-mini --epochs 3 --batch-size 4 --max-tokens 512 jokes.jsonl

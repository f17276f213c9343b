#!/usr/bin/env bash
# Workflow 2 — a book to tuning format: a long plain-text collection of children's stories -> pieces of at
# most 512 tokens (counted by ftprep's tokenizer in the model's encoding) cut at paragraph boundaries ->
# open-ended completion examples (empty prompt) -> a held-out split -> validate -> token and cost summary.
# Usage: samples/workflows/2_book.sh [FTPREP [OUTDIR]]
source "$(dirname "$0")/common.sh"

step "1. Cut the stories into pieces of at most 512 tokens (cl100k_base, davinci-002's encoding), as open-ended completions"
note "Paragraphs are packed whole while they fit; a paragraph too long for one piece would be cut at"
note "sentence ends, then at words."
run 'ftprep convert samples/stories/stories.txt --chunk-tokens 512 --token-encoding cl100k_base --to completion --prompt "" --completion text -o chunks.jsonl'
run 'head -c 300 chunks.jsonl; echo " ..."'

step "2. Hold out 10 % for validation"
run 'ftprep split --ratio 0.9,0.1 --names train,valid --seed 42 -o "book_{split}.jsonl" chunks.jsonl'

step "3. Validate against OpenAI's rules for prompt/completion models"
note "(empty and identical prompts are what open-ended generation means: those two warnings are off)"
run 'ftprep validate --profile openai-completions --disable generic.content.empty --disable dataset.prompt.identical book_train.jsonl > /dev/null'

step "4. Tokens per example: none is over 512"
run 'ftprep count --model davinci-002 book_train.jsonl | tee count.txt'

step "5. What training costs"
run 'ftprep price --model davinci-002,babbage-002 --valid book_valid.jsonl book_train.jsonl > price.txt; sed "/^Prices/,\$d" price.txt'

summary "$(grep -c '^Story [0-9]*:' samples/stories/stories.txt) stories ($(($(wc -c < samples/stories/stories.txt) / 1024)) KiB) -> $(wc -l < chunks.jsonl) open-ended examples of at most 512 tokens (largest: $(awk '/^per example/ {print $NF}' count.txt))." \
  "$(wc -l < book_train.jsonl) for training, $(wc -l < book_valid.jsonl) held out; valid for OpenAI's completion models." \
  "Training for $(column price.txt "epochs" 1 | cut -d' ' -f1) epochs: davinci-002 $(column price.txt "training cost" 1), babbage-002 $(column price.txt "training cost" 2)."
finish

#!/usr/bin/env bash
# Workflow 3 — questions and a teacher's answers to chat fine-tuning: a text file of questions (one per
# line) and a JSONL of the teacher's answers -> chat examples with a system prompt -> validate against
# openai-chat -> train/eval split with no question in both -> training cost for gpt-4.1-mini and what the
# teacher (gpt-4.1) costs to generate the answers.
# Usage: samples/workflows/3_qa_chat.sh [FTPREP [OUTDIR]]
source "$(dirname "$0")/common.sh"
system="You are a patient science tutor."

step "1. Before asking the teacher: what answering the questions costs (about 120 output tokens each)"
note "Without --assistant, convert writes requests: the system and user turns alone."
run "ftprep convert samples/qa/questions.txt --to chat --system '$system' --user text | ftprep price --model gpt-4.1-mini --compare gpt-4.1 --expected-output-tokens 120 > teacher.txt; sed -n '/^Synthesis/,/^\$/p' teacher.txt"

step "2. The teacher's answers to chat examples with the system prompt; refusals and duplicates dropped"
run "ftprep convert samples/qa/answers.jsonl --to chat --system '$system' --user question --assistant answer | ftprep clean --refusals --dedup -o chat.jsonl"
run 'head -1 chat.jsonl'

step "3. Validate against OpenAI's chat rules"
run 'ftprep validate --profile openai-chat chat.jsonl > /dev/null'

step "4. Train/eval split grouped by the question: no question is in both"
run "ftprep split --ratio 0.8,0.2 --names train,eval --group 'messages[1].content' --seed 42 -o 'qa_{split}.jsonl' chat.jsonl"
questions() { grep -o '"role":"user","content":"[^"]*"' "$1" | sort -u; }
run 'comm -12 <(questions qa_train.jsonl) <(questions qa_eval.jsonl) | wc -l | sed "s/^/questions in both files: /"'

step "5. Training cost for gpt-4.1-mini, and the teacher's cost to generate the answers it learns from"
run 'ftprep price --model gpt-4.1-mini --compare gpt-4.1 --valid qa_eval.jsonl qa_train.jsonl > price.txt; sed "/^Prices/,\$d" price.txt'

summary "$(wc -l < samples/qa/questions.txt) questions: answering them with gpt-4.1 was estimated at $(awk '/this data/ {print $NF; exit}' teacher.txt) beforehand." \
  "$(wc -l < samples/qa/answers.jsonl) answers -> $(wc -l < chat.jsonl) chat examples, valid for openai-chat; $(wc -l < qa_train.jsonl) train / $(wc -l < qa_eval.jsonl) eval, no question in both." \
  "Training gpt-4.1-mini: $(column price.txt "training cost" 1); the answers it learns from cost $(awk '/this data/ {print $NF; exit}' price.txt) to generate;" \
  "it is cheaper than calling gpt-4.1 after $(column price.txt "  incl. synthesis" 1) requests."
finish

#!/usr/bin/env bash
# Workflow 3 — questions and teacher answers to chat fine-tuning: a text file of questions (one per line)
# and a JSONL of the teacher's answers -> chat examples with a system prompt -> validate against openai-chat
# -> train/eval split with no question in both -> training cost for gpt-4.1-mini and the teacher's cost.
source "$(dirname "$0")/common.sh"

step "What the teacher costs to answer the questions (about 120 output tokens each)" \
     'ftprep convert samples/qa/questions.txt --to chat --system "You are a patient science tutor." --user text --assistant text | ftprep price --model gpt-4.1-mini --compare gpt-4.1 --expected-output-tokens 120'
ftprep convert samples/qa/questions.txt --to chat --system "You are a patient science tutor." --user text \
  --assistant text | ftprep price --model gpt-4.1-mini --compare gpt-4.1 --expected-output-tokens 120 \
  | sed -n '/^Synthesis/,/^$/p'

step "Answers to chat examples with a system prompt; drop refusals and duplicates" \
     'ftprep convert samples/qa/answers.jsonl --to chat --system "You are a patient science tutor." --user question --assistant answer | ftprep clean --refusals --dedup -o chat.jsonl'
ftprep convert samples/qa/answers.jsonl --to chat --system "You are a patient science tutor." --user question \
  --assistant answer | ftprep clean --refusals --dedup -o chat.jsonl

step "Validate against OpenAI's chat rules" 'ftprep validate --profile openai-chat chat.jsonl > /dev/null'
ftprep validate --profile openai-chat chat.jsonl > /dev/null
echo "(exit $?)"

step "Train/eval split grouped by question: no question in both" \
     "ftprep split --ratio 0.8,0.2 --names train,eval --group 'messages[1].content' --seed 42 -o qa_{split}.jsonl chat.jsonl"
ftprep split --ratio 0.8,0.2 --names train,eval --group 'messages[1].content' --seed 42 -o 'qa_{split}.jsonl' chat.jsonl

step "Training cost for gpt-4.1-mini against the teacher" 'ftprep price --model gpt-4.1-mini --compare gpt-4.1 --valid qa_eval.jsonl qa_train.jsonl'
ftprep price --model gpt-4.1-mini --compare gpt-4.1 --valid qa_eval.jsonl qa_train.jsonl

#!/usr/bin/env bash
# Workflow 1 — cost-benefit of distilling a big model (teacher) into a small one (student).
# GenericsKB-like TSV -> prompts from a template -> nested training sets with one shared test set -> the
# teacher's cost to generate completions for each size -> the teacher's (synthetic) answers cleaned ->
# prepare -> training cost per size for several students and the break-even against calling the teacher.
# Sizes here are 1,000 / 2,000 / 4,000 for the bundled 6,000 rows; with
# `/usr/bin/python3 samples/make_samples.py --generics-rows 120000` use --nested 1000,10000,100000.
source "$(dirname "$0")/common.sh"

step "Keep the sentence column and build prompts with a template" \
     'ftprep convert samples/generics/generics.tsv --to completion --prompt "Improve the sentence: {sentence}" --completion sentence --rejects empty.jsonl -o prompts.jsonl'
ftprep convert samples/generics/generics.tsv --to completion --prompt "Improve the sentence: {sentence}" \
  --completion sentence --rejects empty.jsonl -o prompts.jsonl
echo "(exit $?: rows with an empty sentence are rejected with their line; $(wc -l < empty.jsonl) in empty.jsonl)"

step "Nested training sets (1k in 2k in 4k) and one shared test set" \
     'ftprep split --nested 1000,2000,4000 --test 500 --seed 42 -o prompts_{split}.jsonl prompts.jsonl'
ftprep split --nested 1000,2000,4000 --test 500 --seed 42 -o 'prompts_{split}.jsonl' prompts.jsonl

for n in 1000 2000 4000; do
  step "Teacher cost to generate $n completions (max_tokens 256 expected)" \
       "ftprep price --model gpt-4.1-mini --compare gpt-4.1 --expected-output-tokens 256 prompts_train_$n.jsonl"
  ftprep price --model gpt-4.1-mini --compare gpt-4.1 --expected-output-tokens 256 "prompts_train_$n.jsonl" \
    | sed -n '/^Synthesis/,/^$/p'
done

step "Clean the teacher's answers: trim, drop empty and refused ones, drop duplicates" \
     'ftprep clean --refusals --dedup --rejects dropped.jsonl samples/generics/teacher_outputs.jsonl -o synthetic.jsonl'
ftprep clean --refusals --dedup --rejects dropped.jsonl samples/generics/teacher_outputs.jsonl -o synthetic.jsonl

step "The same nested sizes over the cleaned synthetic data" \
     'ftprep split --nested 1000,2000,4000 --test 500 --seed 42 -o synthetic_{split}.jsonl synthetic.jsonl'
ftprep split --nested 1000,2000,4000 --test 500 --seed 42 -o 'synthetic_{split}.jsonl' synthetic.jsonl

step "prepare_data's checks on the largest set" 'ftprep prepare -q --model none synthetic_train_4000.jsonl'
ftprep prepare -q --model none synthetic_train_4000.jsonl

for n in 1000 2000 4000; do
  step "Training cost with $n examples, and break-even against the teacher" \
       "ftprep price --model gpt-4.1-mini,gpt-4.1-nano,gpt-4o-mini --compare gpt-4.1 synthetic_train_$n.jsonl"
  ftprep price --model gpt-4.1-mini,gpt-4.1-nano,gpt-4o-mini --compare gpt-4.1 "synthetic_train_$n.jsonl"
done

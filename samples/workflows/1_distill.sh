#!/usr/bin/env bash
# Workflow 1 — is it worth distilling a big model (the teacher, gpt-4.1) into a small one (the student)?
# GenericsKB-like TSV -> prompts from a template -> nested training sets with one shared test set -> what
# the teacher costs to answer each set -> the teacher's answers cleaned (trimmed; empty, refused and
# duplicate ones dropped) -> prepare's checks -> training cost per size for three students and the number
# of requests after which each student pays for itself against calling the teacher.
# The bundled TSV has 6,000 rows, so the sizes are 1,000 / 2,000 / 4,000; on real data use
# --nested 1000,10000,100000 (price also extrapolates the teacher's cost to 10k and 100k examples).
# Usage: samples/workflows/1_distill.sh [FTPREP [OUTDIR]]
source "$(dirname "$0")/common.sh"

step "1. Keep the sentence column and build prompts with a template (rows with an empty sentence are rejected)"
run -x 1 'ftprep convert samples/generics/generics.tsv --to completion --prompt "Improve the sentence: {sentence}" --max-per-rule 2 --rejects empty.jsonl -o prompts_all.jsonl'
run 'head -2 prompts_all.jsonl'

step "2. Drop duplicate prompts before paying the teacher to answer them twice"
note "(--keep-empty: these records are prompts without answers yet)"
run 'ftprep clean --whitespace trim --dedup --keep-empty prompts_all.jsonl -o prompts.jsonl'

step "3. Nested training sets (1k inside 2k inside 4k) and one shared test set"
run 'ftprep split --nested 1000,2000,4000 --test 500 --seed 42 -o "prompts_{split}.jsonl" prompts.jsonl'

step "4. What the teacher (gpt-4.1) costs to answer each set, expecting up to 256 output tokens per answer"
for n in 1000 2000 4000; do
  run "ftprep price --model gpt-4.1-mini --compare gpt-4.1 --expected-output-tokens 256 prompts_train_$n.jsonl > teacher_$n.txt; grep 'this data' teacher_$n.txt"
done
note "and extrapolated to the sizes of a real run:"
run "grep -E '^  1(0|00)?,000 examples' teacher_4000.txt"

step "5. The teacher's answers (samples/generics/teacher_outputs.jsonl stands in for its batch output), cleaned"
run 'ftprep clean --whitespace trim --refusals --dedup --rejects dropped.jsonl samples/generics/teacher_outputs.jsonl -o synthetic_pc.jsonl'
note "The students are chat models: prompt/completion pairs become user/assistant turns."
run 'ftprep convert synthetic_pc.jsonl --to chat --user prompt --assistant completion -o synthetic.jsonl'
run 'ftprep split --nested 1000,2000,4000 --test 500 --seed 42 -o "synthetic_{split}.jsonl" synthetic.jsonl'

step "6. prepare_data's checks on the largest training set (nothing to fix: nothing is written)"
run 'ftprep prepare -q --model none synthetic_train_4000.jsonl'
run 'ftprep validate --profile openai-chat --quiet synthetic_train_4000.jsonl > /dev/null'

step "7. Training cost per size for three students, and break-even against calling the teacher"
run 'ftprep price --model gpt-4.1-mini,gpt-4.1-nano,gpt-4o-mini --compare gpt-4.1 synthetic_train_1000.jsonl | sed "/^Prices/,\$d"'
note "The same for the larger sets (training cost; requests after which the student is cheaper, including"
note "what generating its training data cost):"
for n in 2000 4000; do
  run "ftprep price --model gpt-4.1-mini,gpt-4.1-nano,gpt-4o-mini --compare gpt-4.1 synthetic_train_$n.jsonl > students_$n.txt; grep -E '^ {3,}gpt|training cost|break-even|incl' students_$n.txt"
done

students=(gpt-4.1-mini gpt-4.1-nano gpt-4o-mini)
best=1
for i in 2 3; do
  [ "$(column students_4000.txt "  incl. synthesis" $i | tr -d ,)" -lt "$(column students_4000.txt "  incl. synthesis" $best | tr -d ,)" ] && best=$i
done
summary "$(wc -l < samples/generics/generics.tsv | awk '{print $1 - 1}') TSV rows -> $(wc -l < prompts_all.jsonl) prompts ($(wc -l < empty.jsonl) empty sentences rejected) -> $(wc -l < prompts.jsonl) distinct prompts." \
  "Teacher gpt-4.1 answering 1,000 / 2,000 / 4,000 of them (256 output tokens each): $(for n in 1000 2000 4000; do awk '/this data/ {printf "%s%s", sep, $NF; exit}' sep="${sep-}" teacher_$n.txt; sep=" / "; done)." \
  "Its answers cleaned: $(wc -l < synthetic.jsonl) kept, $(wc -l < dropped.jsonl) dropped (refusals, empty, duplicates); prepare found nothing to fix." \
  "Training on 4,000 examples: gpt-4.1-mini $(column students_4000.txt "training cost" 1), gpt-4.1-nano $(column students_4000.txt "training cost" 2), gpt-4o-mini $(column students_4000.txt "training cost" 3)." \
  "Soonest to pay off: ${students[best-1]}, cheaper than calling gpt-4.1 after $(column students_4000.txt "  incl. synthesis" $best) requests (data generation included)."
finish

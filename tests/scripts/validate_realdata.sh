#!/usr/bin/env bash
# Every file of ../shared/realdata through `ftprep validate --profile auto`, with the outcome each must have:
# the exit code, the profile auto picks (or that none fits) and, for failing files, the first finding with its
# line. Formats without a reader on this build (CSV, TSV, JSON arrays before their plugins land) must fail
# cleanly (exit 1 or 2, one message), never crash. Skips with a notice when ../shared is absent.
# Usage: validate_realdata.sh BINARY
set -u
bin=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${FTPREP_SHARED:-$(cd "$repo/.." && pwd)/shared}
data=$shared/realdata
if [ ! -d "$data" ]; then echo "SKIP validate_realdata: $data is absent"; exit 0; fi
# path | allowed exit codes | text that must appear on stderr ("" = none)
expect() {
cat <<'TABLE'
chat/Azure-Samples__azureai-samples__stock-train-hallucination.jsonl|0|profile auto: using openai-chat
chat/Azure-Samples__azureai-samples__stock-train-token-reduction.jsonl|0|profile auto: using openai-chat
chat/eunseo-com__openai-cookbook__drone_training.jsonl|0|profile auto: using openai-chat
chat/eunseo-com__openai-cookbook__toy_chat_fine_tuning.jsonl|1|toy_chat_fine_tuning.jsonl: error[dataset.min_examples]: 5 examples; at least 10 are required
chat/hiyouga__LLaMA-Factory__v1_sft_demo.jsonl|1|v1_sft_demo.jsonl:1: error[chat.message.unknown_key]: unknown message key "loss_weight" at messages[0].loss_weight
chat/ishidahra01__azure-openai-fine-tuning__train_data.jsonl|0|profile auto: using openai-chat
chat/microsoft-foundry__fine-tuning__datagen-ToolUse-FineTuneSupervised-valid.jsonl|0|profile auto: using openai-chat
chat/microsoft-foundry__fine-tuning__stock_toolcall_training.jsonl|0|profile auto: using openai-chat
chat/openai__build-hours__synth-vuln-fixes-train.jsonl|0|profile auto: using openai-chat
dpo/Mxandre__Alignment-Mini-Lab__dpo_train.jsonl|1|dpo_train.jsonl:1: error[profile.shape]: record shape trl_preference is not a provider's training format
dpo/cklxx__mini-llm__preference_cn_sample.jsonl|1|preference_cn_sample.jsonl:1: error[completions.field.missing]: record has no `completion`
dpo/hiyouga__LLaMA-Factory__dpo_en_demo.json|1 2|
dpo/microsoft-foundry__fine-tuning__validation.jsonl|0|profile auto: using openai-dpo
malformed/0xnu__fine-tune-llms__train.jsonl|1|train.jsonl:1:1: error[json.syntax]
malformed/Azure-Samples__azureai-samples__data.jsonl|1|data.jsonl:1:2: error[json.syntax]
prompt_completion/Azure-Samples__openai__generated_labels_context_switching_prepared_train.jsonl|0|profile auto: using openai-completions
prompt_completion/FusionPower__OrderFoodChatbot__data_prepared.jsonl|0|profile auto: using openai-completions
prompt_completion/MiChaelinzo__CustomAzureOpenAITraining__training_data.jsonl|0|profile auto: using openai-completions
prompt_completion/marquisdepolis__Autotune_GPT__data_prepared.jsonl|0|profile auto: using openai-completions
prompt_completion/yizhongw__self-instruct__common_gen_Put_together.jsonl|0|warning[generic.special_token]: special-token text "<|endoftext|>"
prompt_completion/yizhongw__self-instruct__trec_fine_grained_ABBR.jsonl|1|error[dataset.empty]: no records; nothing to validate
prompt_completion/yousenwang__openai-quickstart-python__data_prepared.jsonl|1|data_prepared.jsonl: error[dataset.min_examples]: 2 examples; at least 10 are required
sharegpt/axolotl-ai-cloud__axolotl__conversation.missingturns.json|1 2|
sharegpt/cklxx__mini-llm__identity_conversations.jsonl|1|identity_conversations.jsonl:1: error[profile.shape]: record shape sharegpt
sharegpt/hiyouga__LLaMA-Factory__glaive_toolcall_en_demo.json|1 2|
sharegpt/lm-sys__FastChat__dummy_conversation.json|1 2|
alpaca/hiyouga__LLaMA-Factory__identity.json|1 2|
csv/Azure-Samples__openai__MS_RAG_Eval_Dataset.csv|1 2|
csv/Azure-Samples__openai__synthetic_data_topic_classifier.csv|1 2|
csv/trevorlomba__accessible-language-generation__training_data.csv|1 2|
tsv/Azure-Samples__openai__classification_bulk_test.tsv|1 2|
xlsx/Azure-Samples__openai__Generated labels context switching.xlsx|0|profile auto: using openai-completions
xlsx/f__awesome-chatgpt-prompts__prompts.xlsx|1 2|
TABLE
}
fail=0; n=0
listed=$(expect | cut -d'|' -f1 | sort)
actual=$(cd "$data" && find . -type f | sed 's#^\./##' | grep -v -e '^LICENSES/' -e '^MANIFEST.tsv$' -e '^README.md$' | sort)
if [ "$listed" != "$actual" ]; then
  echo "FAIL the table does not list exactly the files of $data:"; diff <(echo "$listed") <(echo "$actual"); fail=1
fi
while IFS='|' read -r path codes want; do
  n=$((n + 1))
  err=$(cd "$data" && FTPREP_PLUGIN_PATH=disable timeout 60 "$bin" validate --profile auto --max-per-rule 1 \
          --progress never "$path" 2>&1 >/dev/null)
  rc=$?
  ok=0
  for c in $codes; do [ "$rc" = "$c" ] && ok=1; done
  if [ $ok = 0 ]; then echo "FAIL $path: exit $rc, expected $codes"; echo "$err" | head -5; fail=1; continue; fi
  if [ -n "$want" ] && ! grep -qF -- "$want" <<<"$err"; then
    echo "FAIL $path: stderr lacks: $want"; echo "$err" | head -5; fail=1; continue
  fi
  if [ "$rc" != 0 ] && [ -z "$(grep -E 'error|invalid' <<<"$err")" ]; then
    echo "FAIL $path: exit $rc without an error message"; fail=1; continue
  fi
  echo "ok   $path (exit $rc)"
done < <(expect)
echo "$n files"
exit $fail

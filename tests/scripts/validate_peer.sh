#!/usr/bin/env bash
# Every file of ../shared/suites/peer-validate (ported from other validators' test suites and providers' docs:
# together-py check_file, mistral-finetune + mistral-common, OpenAI's chat data-prep cookbook and fine-tuning
# docs, AWS's Nova dataset validator) through `ftprep validate --profile P`, with the outcome its provider's
# rules give: exit 0 for a valid file; exit 1 and the rule id that must be reported for one that must fail.
# A case listed in known() is a known failure: it is run, printed with its reason and counted, and the test
# fails if it starts passing (take it off the list then). Skips with a notice when ../shared is absent.
# Usage: validate_peer.sh BINARY
set -u
bin=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${FTPREP_SHARED:-$(cd "$repo/.." && pwd)/shared}
data=$shared/suites/peer-validate
if [ ! -d "$data" ]; then echo "SKIP validate_peer: $data is absent"; exit 0; fi
# file | profile | exit | rule id that must appear (must-fail cases) | why
expect() {
cat <<'TABLE'
case-001.jsonl|together|0||general format (text)
case-002.jsonl|together|0||instruction format (prompt, completion)
case-003.jsonl|together|0||instruction prompt as a list of text and image parts
case-004.jsonl|together|0||conversation, one turn pair, optional system
case-005.jsonl|together|0||conversation, several turns
case-006.jsonl|together|0||multimodal conversation (data-URL images in the user turn)
case-007.jsonl|together|1|dataset.min_examples|empty file
case-008.jsonl|together|1|utf8.invalid|not UTF-8
case-009.jsonl|together|1|json.not_object|a line that is a JSON string
case-010.jsonl|together|1|completions.field.missing|prompt without completion: no format fits
case-011.jsonl|together|1|dataset.format.mixed|conversation and general lines in one file
case-012.jsonl|together|1|chat.role.unknown|role invalid_role
case-013.jsonl|together|1|chat.role.alternation|user, user
case-014.jsonl|together|1|chat.assistant.missing|no assistant message
case-015.jsonl|together|1|profile.shape|text is a number
case-016.jsonl|together|1|chat.content.missing|message without content
case-017.jsonl|together|1|chat.message.type|a message that is a string
case-018.jsonl|together|1|record.key.extra|extra column next to text
case-019.jsonl|together|1|chat.messages.empty|empty messages
case-020.jsonl|together|0||weight 0/1 on every message
case-021.jsonl|together|0||weight on some messages only
case-022.jsonl|together|1|chat.weight.value|weight 1.0 is not an integer
case-023.jsonl|together|1|chat.weight.value|weight 2
case-024.jsonl|together|1|chat.image.url|image URL that is not a base64 data URL
case-025.jsonl|together|0||preference format
case-026.jsonl|together|1|dpo.input.missing|preference without input
case-027.jsonl|together|1|dpo.output.missing|without preferred_output
case-028.jsonl|together|1|dpo.output.missing|without non_preferred_output
case-029.jsonl|together|1|chat.messages.empty|input.messages empty
case-030.jsonl|together|1|dpo.output.role|preferred_output not from the assistant
case-031.jsonl|together|1|dpo.output.role|non_preferred_output not from the assistant
case-032.jsonl|together|1|dpo.output.content|preferred_output without content
case-033.jsonl|together|1|dpo.output.content|non_preferred_output without content
case-034.jsonl|together|1|dpo.output.type|preferred_output not a list
case-035.jsonl|together|1|dpo.output.type|non_preferred_output not a list
case-036.jsonl|together|1|chat.content.missing|input message without content
case-037.jsonl|together|1|dpo.output.count|two preferred outputs
case-038.jsonl|together|1|dpo.output.count|two non-preferred outputs
case-039.jsonl|together|1|dpo.output.count|no preferred output
case-040.jsonl|together|1|dpo.output.count|no non-preferred output
case-041.jsonl|together|1|chat.content.type|input content a number
case-042.jsonl|together|1|chat.role.unknown|input role invalid_role
case-043.jsonl|together|1|chat.role.alternation|input user, user
case-044.jsonl|together|1|chat.weight.value|input weight a string
case-045.jsonl|together|1|chat.weight.value|input weight 2
case-046.jsonl|together|1|chat.message.type|input message a string
case-047.jsonl|together|1|dpo.input.type|input not an object
case-048.jsonl|together|1|dpo.input.type|input without messages
case-049.jsonl|together|1|dpo.output.role|preferred_output role missing
case-050.jsonl|together|1|dpo.output.role|non_preferred_output role missing
case-051.jsonl|together|0||trailing blank line: skipped with a warning by the JSON Lines reader
case-052.jsonl|together|0||CRLF line ends
case-053.jsonl|together|1|chat.role.missing|message without role
case-054.jsonl|together|1|chat.content.missing|user message without content
case-055.jsonl|together|1|chat.content.missing|assistant message without content
case-056.jsonl|together|1|chat.role.first|conversation starts with the assistant (docs)
case-057.jsonl|together|1|chat.role.system_position|system message in the middle
case-058.jsonl|together|1|chat.weight.value|weight true
case-059.jsonl|together|1|record.format.ambiguous|a line with text and messages fits two formats
case-060.jsonl|together|1|chat.image.url|http image URL (base64 data URLs only)
case-061.jsonl|together|1|chat.image.format|GIF (JPEG, PNG, WEBP only)
case-062.jsonl|together|1|chat.image.role|image in an assistant message
case-063.jsonl|mistral|0||plain conversations
case-064.jsonl|mistral|0||system prompt and tools
case-065.jsonl|mistral|0||example ends with an unanswered tool call
case-066.jsonl|mistral|0||parallel calls answered out of order
case-067.jsonl|mistral|0||three assistant turns, weights 0/1
case-068.jsonl|mistral|0||user, user is allowed
case-069.jsonl|mistral|0||"text" instead of "content"
case-070.jsonl|mistral|0||"interactions" instead of "messages"
case-071.jsonl|mistral|1|chat.messages.missing|"conversation" key
case-072.jsonl|mistral|1|chat.messages.conflict|messages and interactions
case-073.jsonl|mistral|1|chat.role.missing|message without role
case-074.jsonl|mistral|1|chat.content.conflict|content and text in one message
case-075.jsonl|mistral|1|chat.content.missing|user message without content
case-076.jsonl|mistral|1|chat.role.unknown|role bot
case-077.jsonl|mistral|1|chat.role.system_count|two system messages
case-078.jsonl|mistral|1|chat.last_role|ends with a user message
case-079.jsonl|mistral|1|chat.last_role|user message only
case-080.jsonl|mistral|1|chat.weight.value|weight 2
case-081.jsonl|mistral|1|chat.weight.value|weight 0.5
case-082.jsonl|mistral|1|chat.assistant.content_or_calls|content and tool_calls in one assistant message
case-083.jsonl|mistral|1|chat.assistant.content_or_calls|assistant content ""
case-084.jsonl|mistral|1|chat.tool_call.id|call id "abc"
case-085.jsonl|mistral|1|chat.tool_call.id|tool call without id
case-086.jsonl|mistral|1|chat.tool.id_missing|tool message without tool_call_id
case-087.jsonl|mistral|1|chat.tool.unmatched|tool message right after the user
case-088.jsonl|mistral|1|chat.tool.duplicate_answer|two answers to one call
case-089.jsonl|mistral|1|chat.tools.missing_key|function without description
case-090.jsonl|mistral|1|chat.tool_call.arguments|arguments an object, not a string
case-091.jsonl|mistral|1|chat.tool_call.function|function name with a space
case-092.jsonl|mistral|1|chat.tools.conflict|tools and available_tools
case-093.jsonl|mistral|1|json.syntax|broken JSON line
case-094.jsonl|openai-chat|0||ten good examples
case-095.jsonl|openai-chat|1|json.not_object|a line that is an array
case-096.jsonl|openai-chat|1|chat.messages.missing|no messages
case-097.jsonl|openai-chat|1|chat.messages.empty|empty messages
case-098.jsonl|openai-chat|1|chat.role.missing|message without role
case-099.jsonl|openai-chat|1|chat.message.unknown_key|message key "confidence"
case-100.jsonl|openai-chat|1|chat.role.unknown|role bot
case-101.jsonl|openai-chat|1|chat.content.null|assistant content null without a tool call
case-102.jsonl|openai-chat|1|chat.assistant.missing|no assistant message
case-103.jsonl|openai-chat|1|chat.weight.value|weight 2
case-104.jsonl|openai-chat|1|chat.weight.role|weight on a user message (docs: assistant only)
case-105.jsonl|openai-chat|0||tool calls, some examples end with the call
case-106.jsonl|openai-chat|0||data-URL images
case-107.jsonl|openai-chat|1|dataset.min_examples|5 examples (at least 10)
case-108.jsonl|bedrock-nova|0||8 text samples
case-109.jsonl|bedrock-nova|0||8 samples with S3 images
case-110.jsonl|bedrock-nova|1|dataset.min_examples|one sample (at least 8)
case-111.jsonl|bedrock-nova|1|conv.role.unknown|system role inside messages
case-112.jsonl|bedrock-nova|1|conv.role.first|starts with the assistant
case-113.jsonl|bedrock-nova|1|conv.role.last|ends with the user
case-114.jsonl|bedrock-nova|1|conv.role.last|user turn only
case-115.jsonl|bedrock-nova|1|conv.role.alternation|user, user
case-116.jsonl|bedrock-nova|1|conv.text.empty|empty assistant text
case-117.jsonl|bedrock-nova|1|conv.content.type|content a string
case-118.jsonl|bedrock-nova|1|conv.part.type|content [{}]
case-119.jsonl|bedrock-nova|1|conv.media.role|image in an assistant turn
case-120.jsonl|bedrock-nova|1|conv.media.format|bmp image
case-121.jsonl|bedrock-nova|1|conv.media.uri|https URI in s3Location
case-122.jsonl|bedrock-nova|1|conv.media.mixed|image and video in one turn
case-123.jsonl|bedrock-nova|1|conv.text.reserved|"User:" in the text
TABLE
}
# Known failures: file | reason. Each is still run; one that passes fails the test (update this list).
known() {
cat <<'KNOWN'
KNOWN
}
fail=0; n=0; passed=0; nknown=0
listed=$(expect | cut -d'|' -f1 | sort)
actual=$(cd "$data" && ls case-*.jsonl | sort)
if [ "$listed" != "$actual" ]; then
  echo "FAIL the table does not list exactly the case files of $data:"; diff <(echo "$listed") <(echo "$actual"); fail=1
fi
manifest=$(tail -n +2 "$data/MANIFEST.tsv" | tr '\t' '|' | sort)
if [ "$manifest" != "$(expect | cut -d'|' -f1,2 | sort)" ]; then
  echo "FAIL the profiles in the table differ from MANIFEST.tsv"; fail=1
fi
while IFS='|' read -r file profile code rule why; do
  n=$((n + 1))
  reason=$(known | awk -F'|' -v f="$file" '$1 == f { print $2 }')
  err=$(cd "$data" && FTPREP_PLUGIN_PATH=disable timeout 60 "$bin" validate --profile "$profile" --max-shown 1000 \
          --progress never "$file" 2>&1 >/dev/null)
  rc=$?
  problem=""
  if [ "$rc" != "$code" ]; then
    problem="exit $rc, expected $code"
  elif [ -n "$rule" ] && ! grep -qF -- "[$rule]" <<<"$err"; then
    problem="no finding $rule"
  fi
  if [ -n "$reason" ]; then
    nknown=$((nknown + 1))
    if [ -z "$problem" ]; then
      echo "FAIL $file ($profile): listed as a known failure but passes now; take it off the list"; fail=1
    else
      echo "KNOWN $file ($profile): $problem -- $reason"
    fi
    continue
  fi
  if [ -n "$problem" ]; then
    echo "FAIL $file ($profile, $why): $problem"; echo "$err" | head -5; fail=1; continue
  fi
  passed=$((passed + 1))
  echo "ok   $file ($profile, exit $rc${rule:+, $rule}): $why"
done < <(expect)
echo "$passed/$n cases pass; $nknown known failures"
exit $fail

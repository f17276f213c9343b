#!/usr/bin/env bash
# ctest-labels: cli slow
# All-pairs dialect conversion over the real files of ../shared/suites/dialects/files and ../shared/realdata
# ({chat,dpo,sharegpt,alpaca,prompt_completion}): each file is read in its sniffed dialect into the OpenAI
# form (chat or preference: exactly one of --to openai-chat / --to openai-preference may write its records,
# the other must reject every one as convert.target), then written in every dialect of `convert --help`:
#   - reading rejects only the records listed in read_rejects (each with its reason);
#   - every record is written or rejected with a rule and a reason (never lost, never exit 0 with a reject);
#   - a dialect of the other kind writes nothing (each record rejected as convert.target);
#   - what is written reads back (--from X) to the same records: OpenAI form -> X -> OpenAI form is lossless;
#   - nothing goes into OpenAI chat with LLaMA-Factory's media columns (images, videos, audios) left as they are;
#   - where X has a provider profile, `validate --profile` finds only the errors listed in expected_findings
#     (facts of the data, not of the conversion; dataset.min_examples is off: small files are not the point).
# A check listed in known() is a known failure: run, printed with its reason and counted; the test fails if
# it starts passing (take it off the list then). Skips with a notice when ../shared is absent.
# Usage: dialect_pairs.sh BINARY
set -u
bin=$(realpath "$1")
repo=$(cd "$(dirname "$0")/../.." && pwd)
shared=${FTPREP_SHARED:-$(cd "$repo/.." && pwd)/shared}
if [ ! -d "$shared/suites/dialects/files" ] || [ ! -d "$shared/realdata" ]; then
  echo "SKIP dialect_pairs: $shared/suites/dialects or $shared/realdata is absent"; exit 0
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Files that hold no training dialect: each must be refused (exit 2, "cannot tell the dialect").
not_dialect() {
cat <<'TABLE'
FastChat__mt_bench_question.jsonl|MT-bench questions ({"question_id","category","turns"}): an evaluation set, not training records
cklxx__mini-llm__preference_cn_sample.jsonl|one project's own columns (prompt, preferred, other), documented nowhere else
TABLE
}
# Errors a provider profile reports on the converted records that are facts of the data: file|dialect|rule|why.
expected_findings() {
cat <<'TABLE'
LLaMA-Factory__mllm_demo.json|bedrock-converse|conv.text.reserved|a text holds a word Nova reserves
LLaMA-Factory__mllm_video_demo.json|bedrock-converse|conv.text.reserved|a text holds a word Nova reserves
hiyouga__LLaMA-Factory__glaive_toolcall_en_demo.json|bedrock-converse|conv.text.reserved|a text holds a word Nova reserves
hiyouga__LLaMA-Factory__v1_sft_demo.jsonl|bedrock-converse|conv.text.reserved|a text holds a word Nova reserves
openai__build-hours__synth-vuln-fixes-train.jsonl|bedrock-converse|conv.text.reserved|a text holds a word Nova reserves
axolotl-ai-cloud__axolotl__conversation.missingturns.json|bedrock-converse|conv.text.empty|the fixture's missing turns are empty texts
eunseo-com__openai-cookbook__toy_chat_fine_tuning.jsonl|bedrock-converse|conv.role.first|the cookbook's toy chats start with the assistant after the system text
eunseo-com__openai-cookbook__toy_chat_fine_tuning.jsonl|bedrock-converse|conv.messages.count|one exchange is shorter than Nova allows
trl__dataset_formats__tool_calling.jsonl|openai-chat|chat.tool.id_missing|TRL's example has no call ids
trl__dataset_formats__tool_calling.jsonl|openai-chat|chat.tool_call.id|TRL's example has no call ids
trl__dataset_formats__tool_calling.jsonl|openai-chat|chat.tool_call.arguments|TRL's example gives arguments as an object (OpenAI: JSON text)
TABLE
}
# Records a file holds that its OpenAI form cannot: file|number rejected on reading|why (each with its reason).
read_rejects() {
cat <<'TABLE'
LLaMA-Factory__glaive_toolcall_zh_demo.json|2|an observation turn that answers no function_call: an OpenAI tool message needs the call's id
LLaMA-Factory__mllm_demo.json|6|its images are file paths; OpenAI chat takes http(s) or data: URLs
LLaMA-Factory__mllm_video_demo.json|3|video has no OpenAI chat form
LLaMA-Factory__mllm_audio_demo.json|3|audio has no OpenAI chat form
LLaMA-Factory__v1_multimodal_demo.jsonl|24|its images are file paths; OpenAI chat takes http(s) or data: URLs
LLaMA-Factory__kto_en_demo.json|150|KTO "label": false marks an answer not to learn from; OpenAI chat would train on it
trl__dataset_formats__unpaired_conversational.jsonl|1|KTO "label": false marks an answer not to learn from; OpenAI chat would train on it
TABLE
}
# Known failures: file|check|reason, check = dialect (any failure of that pair) or "read" (reading the file).
known() {
cat <<'KNOWN'
trl__dataset_formats__tool_calling.jsonl|sharegpt|TRL's tool call (no id, arguments as an object) comes back from ShareGPT with id call_1 and arguments as JSON text
KNOWN
}

export FTPREP_PLUGIN_PATH=disable NOT_DIALECT="$(not_dialect)" EXPECTED="$(expected_findings)" KNOWN="$(known)" READ_REJECTS="$(read_rejects)"
python3 - "$bin" "$shared" "$work" <<'PY'
import glob, json, os, re, subprocess, sys
binary, shared, work = sys.argv[1:4]
def table(text):
    return [l.split("|") for l in text.strip().splitlines() if l.strip()]
not_dialect = {r[0]: r[1] for r in table(os.environ["NOT_DIALECT"])}
expected = {}
for f, d, rule, _ in table(os.environ["EXPECTED"]):
    expected.setdefault((f, d), set()).add(rule)
known = {(r[0], r[1]): r[2] for r in table(os.environ["KNOWN"])}
read_rejects = {r[0]: int(r[1]) for r in table(os.environ["READ_REJECTS"])}
PROFILE = {"openai-chat": "openai-chat", "openai-preference": "openai-dpo", "gemini": "vertex-gemini",
           "bedrock-converse": "bedrock-nova", "cohere-chat": "cohere"}
CANON = {"chat": "openai-chat", "preference": "openai-preference"}

def run(*args):
    p = subprocess.run([binary, *args], capture_output=True, text=True, timeout=300)
    return p.returncode, p.stdout, p.stderr

def lines(path):
    if not os.path.exists(path):
        return []
    with open(path, encoding="utf-8") as f:
        return [l for l in f.read().split("\n") if l]

help_text = run("convert", "--help")[1]
kinds = dict(re.findall(r"^  ([a-z0-9-]+) \((chat|preference)\):", help_text, re.M))
listed = run("convert", "--list-dialects")[1].split()
state = {"fail": 0, "ok": 0, "known": 0, "known_hit": set()}

def report(f, check, problem, detail=""):
    key = (f, check)
    if key in known:
        state["known_hit"].add(key)
        if problem:
            state["known"] += 1
            print(f"KNOWN {f} -> {check}: {problem} -- {known[key]}")
        else:
            state["fail"] += 1
            print(f"FAIL {f} -> {check}: listed as a known failure but passes now; take it off the list")
        return
    if problem:
        state["fail"] += 1
        print(f"FAIL {f} -> {check}: {problem}")
        if detail:
            print("    " + detail[:600].replace("\n", "\n    "))

if sorted(kinds) != sorted(listed):
    report("convert --help", "dialects", f"lists {sorted(kinds)}, --list-dialects gives {sorted(listed)}")

def convert_to(src, fmt_from, target, out, rej):
    args = ["convert", "-q", "--progress", "never", src, "--to", target, "-o", out, "--rejects", rej, "--force"]
    if fmt_from:
        args += ["--from", fmt_from]
    return run(*args)

def rejects(path):
    out = []
    for l in lines(path):
        r = json.loads(l)
        out.append((r["line"], r["errors"][0].get("rule", ""), r["errors"][0].get("message", "")))
    return out

def read_file(f, path):
    """The file in its OpenAI form: (kind, canonical lines) or None."""
    res = {}
    for kind, target in CANON.items():
        out, rej = f"{work}/canon-{kind}.jsonl", f"{work}/canon-{kind}-rej.jsonl"
        for p in (out, rej):
            if os.path.exists(p):
                os.remove(p)
        rc, _, err = convert_to(path, None, target, out, rej)
        res[kind] = (rc, lines(out), rejects(rej), err)
    if all(r[0] == 2 for r in res.values()):
        said = "cannot tell the dialect" in res["chat"][3]
        if f in not_dialect:
            report(f, "read", "" if said else "refused without saying it cannot tell the dialect", res["chat"][3])
            if said:
                state["ok"] += 1
                print(f"ok   {f}: refused, not a training dialect ({not_dialect[f]})")
            return None
        report(f, "read", "no dialect recognised", res["chat"][3])
        return None
    if f in not_dialect:
        report(f, "read", "read as a dialect although it holds none")
    written = [k for k, r in res.items() if r[1]]
    if not written:
        print(f"ok   {f}: no records")
        return None
    if len(written) != 1:
        report(f, "read", "records written both as chat and as preference")
        return None
    kind = written[0]
    rc, canon, rej, err = res[kind]
    problem = ""
    if len(rej) != read_rejects.get(f, 0) or (rc == 0) != (not rej) or any(not r[1] or not r[2] for r in rej):
        problem = f"{len(rej)} records not read (exit {rc}), expected {read_rejects.get(f, 0)}, each with a reason"
    other = res["preference" if kind == "chat" else "chat"]
    unread = {r[0] for r in rej}  # records that cannot be read are rejected for that reason in both forms
    if other[1] or other[0] != 1 or any(r[1] != "convert.target" for r in other[2] if r[0] not in unread) or \
            len(other[2]) != len(canon) + len(rej):
        problem = problem or "the other kind's OpenAI form did not reject every record as convert.target"
    report(f, "read", problem, err if rej else other[3])
    return kind, canon

def one_pair(f, kind, canon, x):
    src = f"{work}/canon.jsonl"
    out, rej, back, brej = (f"{work}/{n}.jsonl" for n in ("x", "x-rej", "back", "back-rej"))
    for p in (out, rej, back, brej):
        if os.path.exists(p):
            os.remove(p)
    rc, _, err = convert_to(src, CANON[kind], x, out, rej)
    written, rejected = lines(out), rejects(rej)
    if rc not in (0, 1) or (rc == 0) != (not rejected):
        return report(f, x, f"exit {rc} with {len(rejected)} rejected", err)
    if len(written) + len(rejected) != len(canon):
        return report(f, x, f"{len(written)} written + {len(rejected)} rejected != {len(canon)} records", err)
    if any(not rule or not msg for _, rule, msg in rejected):
        return report(f, x, "a reject without a rule or a reason")
    if kinds.get(x) != kind:
        if written or any(rule != "convert.target" for _, rule, _ in rejected):
            return report(f, x, f"a {kind} record written in a {kinds.get(x)} dialect, or rejected for another reason")
        report(f, x, "")
        state["ok"] += 1
        print(f"ok   {f} -> {x}: all {len(canon)} rejected (convert.target: {x} holds {kinds.get(x)} records)")
        return
    problems = []
    if written:
        rc, _, err = convert_to(out, x, CANON[kind], back, brej)
        again = lines(back)
        if rc != 0 or len(again) != len(written):
            problems.append(f"reading the {x} output back: exit {rc}, {len(again)} of {len(written)} records")
        else:
            gone = {line for line, _, _ in rejected}
            kept = [c for i, c in enumerate(canon, 1) if i not in gone]
            diff = [(a, b) for a, b in zip(kept, again) if json.loads(a) != json.loads(b)]
            if diff:
                problems.append(f"{len(diff)} of {len(kept)} records differ after OpenAI -> {x} -> OpenAI; first:\n"
                                f"  was  {diff[0][0][:280]}\n  back {diff[0][1][:280]}")
        if x == "openai-chat":  # LLaMA-Factory media columns have no place in OpenAI chat
            media = [l for l in written if {"images", "videos", "audios"} & set(json.loads(l))]
            if media:
                problems.append(f"{len(media)} records keep LLaMA-Factory media columns (images/videos/audios)")
        if x in PROFILE:
            rc, _, err = run("validate", "--profile", PROFILE[x], "--disable", "dataset.min_examples",
                             "--max-shown", "1", "--progress", "never", out)
            found = set(re.findall(r"error\[([a-z0-9_.]+)\]", err))
            want = expected.get((f, x), set())
            if found - want:
                problems.append(f"validate --profile {PROFILE[x]}: unexpected errors {sorted(found - want)}")
            if written and want - found:
                problems.append(f"validate --profile {PROFILE[x]}: expected errors no longer reported "
                                f"{sorted(want - found)} (take them off expected_findings)")
    if problems:
        return report(f, x, "; ".join(problems).split("\n")[0], "\n".join(problems))
    report(f, x, "")
    state["ok"] += 1
    why = sorted({rule for _, rule, _ in rejected})
    print(f"ok   {f} -> {x}: " + (f"{len(written)} written, round trip identical" if written else "none written")
          + (f", {len(rejected)} rejected ({', '.join(why)})" if rejected else "")
          + (f", {PROFILE[x]} profile: " + (", ".join(sorted(expected.get((f, x), set()))) or "clean") if x in PROFILE and written else ""))

files = sorted(glob.glob(f"{shared}/suites/dialects/files/*"))
for sub in ("chat", "dpo", "sharegpt", "alpaca", "prompt_completion"):
    files += sorted(glob.glob(f"{shared}/realdata/{sub}/*"))
for path in files:
    f = os.path.basename(path)
    got = read_file(f, path)
    if got is None:
        continue
    kind, canon = got
    with open(f"{work}/canon.jsonl", "w", encoding="utf-8") as o:
        o.write("".join(c + "\n" for c in canon))
    for x in listed:
        one_pair(f, kind, canon, x)
for key in known:
    if key not in state["known_hit"]:
        state["fail"] += 1
        print(f"FAIL {key[0]} -> {key[1]}: listed as a known failure but never checked (file or dialect gone?)")
print(f"{state['ok']} checks pass; {state['known']} known failures; {state['fail']} failures; {len(files)} files, "
      f"{len(listed)} dialects")
sys.exit(1 if state["fail"] else 0)
PY

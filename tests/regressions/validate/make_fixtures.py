#!/usr/bin/env python3
"""Writes the bad-record fixtures of tests/regressions/validate/<profile>/<case>.jsonl (one bad record each).

The expected findings live beside them in <case>.expected (exact lines, reviewed by hand; regenerate with
FTPREP_REGEN=1 bash tests/scripts/validate_regressions.sh build/ftprep and review `git diff`)."""
import json
import os

U = {"role": "user", "content": "What is the capital of France?"}
A = {"role": "assistant", "content": "Paris."}
S = {"role": "system", "content": "You are terse."}
TOOLS = [{"type": "function", "function": {"name": "get_weather", "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]


def call(i, name="get_weather", args='{"city": "Paris"}'):
    return {"id": "call_%d" % i, "type": "function", "function": {"name": name, "arguments": args}}


def chat(*msgs, **extra):
    r = {"messages": list(msgs)}
    r.update(extra)
    return r


CASES = {
    "openai-chat": {
        "messages_missing": {"prompt": "hi", "completion": "there"},
        "messages_type": {"messages": "hello"},
        "messages_empty": {"messages": []},
        "message_type": chat(U, "assistant: Paris"),
        "message_unknown_key": chat(U, {"role": "assistant", "content": "Paris.", "loss_weight": 1.0}),
        "role_missing": chat({"content": "hi"}, A),
        "user_missing": chat(S, A),
        "role_unknown": chat({"role": "human", "content": "hi"}, A),
        "role_not_string": chat({"role": 1, "content": "hi"}, A),
        "role_deprecated": chat(U, {"role": "assistant", "content": None, "function_call": {"name": "f", "arguments": "{}"}},
                                {"role": "function", "name": "f", "content": "42"}, A),
        "content_missing": chat({"role": "user"}, A),
        "content_type": chat({"role": "user", "content": 42}, A),
        "content_null": chat({"role": "user", "content": None}, A),
        "content_part_unknown": chat({"role": "user", "content": [{"type": "audio", "data": "x"}]}, A),
        "content_part_text": chat({"role": "user", "content": [{"type": "text", "value": "hi"}]}, A),
        "content_parts_empty": chat({"role": "user", "content": []}, A),
        "image_url_scheme": chat({"role": "user", "content": [{"type": "image_url", "image_url": {"url": "ftp://x/cat.png"}}]}, A),
        "image_url_missing": chat({"role": "user", "content": [{"type": "image_url", "image_url": {}}]}, A),
        "image_data_not_image": chat({"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:text/plain;base64,aGk="}}]}, A),
        "image_role": chat(U, {"role": "assistant", "content": [{"type": "image_url", "image_url": {"url": "https://x/cat.png"}}]}, A),
        "image_count": chat({"role": "user", "content": [{"type": "image_url", "image_url": {"url": "https://x/%d.png" % i}} for i in range(65)]}, A),
        "weight_fraction": chat(U, {"role": "assistant", "content": "Paris.", "weight": 0.5}),
        "weight_string": chat(U, {"role": "assistant", "content": "Paris.", "weight": "1"}),
        "weight_bool": chat(U, {"role": "assistant", "content": "Paris.", "weight": True}),
        "weight_role": chat({"role": "user", "content": "hi", "weight": 1}, A),
        "assistant_missing": chat(S, U),
        "assistant_untrained": chat(U, {"role": "assistant", "content": "Paris.", "weight": 0}, U),
        "last_role_user": chat(U, A, U),
        "name_invalid": chat({"role": "user", "name": "John Smith", "content": "hi"}, A),
        "tool_calls_not_array": chat(U, {"role": "assistant", "tool_calls": {"id": "call_1"}}, A),
        "tool_calls_empty": chat(U, {"role": "assistant", "content": "x", "tool_calls": []}, A),
        "tool_calls_role": chat({"role": "user", "content": "hi", "tool_calls": [call(1)]}, {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, A),
        "tool_call_type": chat(U, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "retrieval", "function": {"name": "get_weather", "arguments": "{}"}}]},
                               {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, A, tools=TOOLS),
        "tool_call_not_object": chat(U, {"role": "assistant", "tool_calls": ["get_weather"]}, A),
        "tool_call_id_missing": chat(U, {"role": "assistant", "tool_calls": [{"type": "function", "function": {"name": "get_weather", "arguments": "{}"}}]}, A, tools=TOOLS),
        "tool_call_duplicate_id": chat(U, {"role": "assistant", "tool_calls": [call(1), call(1)]}, {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, A, tools=TOOLS),
        "tool_call_function_missing": chat(U, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function"}]}, {"role": "tool", "tool_call_id": "call_1", "content": "x"}, A),
        "tool_call_arguments_object": chat(U, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather", "arguments": {"city": "Paris"}}}]},
                                           {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, A, tools=TOOLS),
        "tool_call_arguments_invalid": chat(U, {"role": "assistant", "tool_calls": [call(1, args="{city: Paris}")]}, {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, A, tools=TOOLS),
        "tool_call_arguments_missing": chat(U, {"role": "assistant", "tool_calls": [{"id": "call_1", "type": "function", "function": {"name": "get_weather"}}]},
                                            {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, A, tools=TOOLS),
        "tool_call_unanswered": chat(S, U, {"role": "assistant", "content": "Let me check both cities."},
                                     {"role": "assistant", "content": None, "tool_calls": [call(1), call(2, args='{"city": "Lyon"}')]},
                                     {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, A, tools=TOOLS),
        "tool_call_undeclared": chat(U, {"role": "assistant", "tool_calls": [call(1, name="get_time")]}, {"role": "tool", "tool_call_id": "call_1", "content": "noon"}, A, tools=TOOLS),
        "tool_id_missing": chat(U, {"role": "assistant", "tool_calls": [call(1)]}, {"role": "tool", "content": "sunny"}, A, tools=TOOLS),
        "tool_unmatched": chat(U, {"role": "tool", "tool_call_id": "call_9", "content": "sunny"}, A),
        "tools_not_array": chat(U, A, tools={"type": "function"}),
        "tools_type": chat(U, A, tools=[{"type": "code_interpreter"}]),
        "tools_function_missing": chat(U, A, tools=[{"type": "function"}]),
        "tools_name_invalid": chat(U, A, tools=[{"type": "function", "function": {"name": "get weather"}}]),
        "tools_parameters_type": chat(U, A, tools=[{"type": "function", "function": {"name": "f", "parameters": "city"}}]),
        "tools_parameters_not_object_schema": chat(U, A, tools=[{"type": "function", "function": {"name": "f", "parameters": {"type": "array"}}}]),
        "tools_duplicate": chat(U, A, tools=TOOLS + TOOLS),
        "functions_deprecated": chat(U, A, functions=[{"name": "f", "parameters": {"type": "object"}}]),
        "function_call_invalid": chat(U, {"role": "assistant", "content": None, "function_call": {"name": "f"}}, {"role": "function", "name": "f", "content": "1"}, A),
        "parallel_tool_calls_type": chat(U, A, parallel_tool_calls="yes"),
        "record_unknown_key": chat(U, A, id="ex-1"),
        "cookbook_numeric_weight": chat(S, U, {"role": "assistant", "content": "Paris.", "weight": 2}),
        "cookbook_ok_tool_calls_no_content": chat(U, {"role": "assistant", "tool_calls": [call(1)]}, {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, {"role": "assistant", "content": "Sunny in Paris."}, tools=TOOLS),
        "generic_control_char": chat({"role": "user", "content": "bell\u0007here"}, A),
        "generic_invisible_char": chat({"role": "user", "content": "zero\u200bwidth"}, A),
        "generic_replacement_char": chat({"role": "user", "content": "caf\ufffd au lait"}, A),
        "generic_special_token": chat(U, {"role": "assistant", "content": "Paris.<|endoftext|>"}),
        "generic_inst_token": chat({"role": "user", "content": "[INST] hi [/INST]"}, A),
        "generic_content_empty": chat({"role": "user", "content": ""}, A),
        "generic_content_whitespace": chat({"role": "user", "content": " \n\t "}, A),
        "generic_secret_api_key": chat({"role": "user", "content": "my key is sk-proj-Abc123Def456Ghi789Jkl012Mno"}, A),
        "generic_secret_private_key": chat({"role": "user", "content": "-----BEGIN RSA PRIVATE KEY-----\nMIIB\n-----END RSA PRIVATE KEY-----"}, A),
        "generic_pii_email": chat({"role": "user", "content": "mail jane.doe@example.com please"}, A),
        "generic_pii_card": chat({"role": "user", "content": "card 4111 1111 1111 1111 exp 12/29"}, A),
        "generic_pii_ssn": chat({"role": "user", "content": "SSN 123-45-6789"}, A),
    },
    "openai-dpo": {
        "input_missing": {"preferred_output": [A], "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]},
        "input_type": {"input": [U], "preferred_output": [A], "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]},
        "input_ends_with_assistant": {"input": {"messages": [U, A]}, "preferred_output": [A], "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]},
        "output_missing": {"input": {"messages": [U]}, "preferred_output": [A]},
        "output_type": {"input": {"messages": [U]}, "preferred_output": "Paris.", "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]},
        "output_count": {"input": {"messages": [U]}, "preferred_output": [A, A], "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]},
        "output_role": {"input": {"messages": [U]}, "preferred_output": [{"role": "user", "content": "Paris."}], "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]},
        "output_content": {"input": {"messages": [U]}, "preferred_output": [{"role": "assistant"}], "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]},
        "output_identical": {"input": {"messages": [U]}, "preferred_output": [A], "non_preferred_output": [A]},
        "old_spelling": {"input": {"messages": [U]}, "preferred_completion": [A], "non_preferred_completion": [{"role": "assistant", "content": "Lyon."}]},
        "record_unknown_key": {"input": {"messages": [U]}, "preferred_output": [A], "non_preferred_output": [{"role": "assistant", "content": "Lyon."}], "score": 1},
        "input_role_unknown": {"input": {"messages": [{"role": "human", "content": "hi"}]}, "preferred_output": [A], "non_preferred_output": [{"role": "assistant", "content": "Lyon."}]},
    },
    "openai-rft": {
        "ends_with_assistant": chat(U, A, reference_answer="Paris"),
        "messages_missing": {"reference_answer": "Paris"},
        "weight_unsupported": chat({"role": "user", "content": "hi", "weight": 1}, reference_answer="x"),
        "tool_unmatched": chat(U, {"role": "tool", "tool_call_id": "call_1", "content": "x"}, U, reference_answer="x"),
    },
    "openai-completions": {
        "prompt_missing": {"completion": " Paris."},
        "prompt_case_variant": {"Prompt": "Capital of France?", "completion": " Paris."},
        "completion_type": {"prompt": "Capital of France?", "completion": 42},
        "completion_empty": {"prompt": "Capital of France?", "completion": ""},
        "extra_key": {"prompt": "Capital of France?", "completion": " Paris.", "id": 7},
        "example_long": {"prompt": "x" * 6000, "completion": " " + "y" * 5000},
    },
}

GU = {"role": "user", "parts": [{"text": "Capital of France?"}]}
GM = {"role": "model", "parts": [{"text": "Paris."}]}
NU = {"role": "user", "content": [{"text": "Capital of France?"}]}
NA = {"role": "assistant", "content": [{"text": "Paris."}]}
NV = "bedrock-conversation-2024"
MCALL = {"id": "a1b2c3d4e", "type": "function", "function": {"name": "get_weather", "arguments": '{"city": "Paris"}'}}
MTOOLS = [{"type": "function", "function": {"name": "get_weather", "description": "Weather of a city",
                                            "parameters": {"type": "object", "properties": {"city": {"type": "string"}}}}}]


def nimg(fmt="png", uri="s3://bucket/images/a.png"):
    return {"image": {"format": fmt, "source": {"s3Location": {"uri": uri}}}}


CASES.update({
    "together": {
        "system_position": chat(U, S, A),
        "alternation": chat(U, U, A),
        "text_empty": {"text": ""},
        "text_type": {"text": 42},
        "shape_other": {"instruction": "Capital of France?", "output": "Paris."},
        "first_assistant": chat(A, U, A),
        "assistant_twice": chat(U, A, A),
        "extra_key": {"text": "Paris is the capital of France.", "source": "wiki"},
        "two_formats": {"text": "hi", "messages": [U, A]},
        "image_http": chat({"role": "user", "content": [{"type": "text", "text": "What is it?"},
                                                        {"type": "image_url", "image_url": {"url": "https://example.com/a.png"}}]},
                           {"role": "assistant", "content": [{"type": "text", "text": "A cat."}]}),
        "image_gif": chat({"role": "user", "content": [{"type": "image_url", "image_url": {"url": "data:image/gif;base64,R0lGODlhAQABAAAAACw="}}]},
                          {"role": "assistant", "content": [{"type": "text", "text": "A dot."}]}),
        "image_weight": chat({"role": "user", "weight": 1, "content": [{"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}]},
                             {"role": "assistant", "content": [{"type": "text", "text": "A dot."}]}),
        "content_mixed_form": chat({"role": "user", "content": [{"type": "text", "text": "hi"}]}, A),
        "weight_decimal": chat(U, {"role": "assistant", "content": "Paris.", "weight": 1.0}),
        "prompt_parts_bad": {"prompt": [{"type": "text"}], "completion": "Paris."},
    },
    "mistral": {
        "tool_call_id_pattern": chat(U, {"role": "assistant", "tool_calls": [call(1)]}, {"role": "tool", "tool_call_id": "call_1", "content": "sunny"}, A, tools=TOOLS),
        "content_parts_unsupported": chat({"role": "user", "content": [{"type": "text", "text": "hi"}]}, A),
        "role_developer": chat({"role": "developer", "content": "Be terse."}, U, A),
        "messages_and_interactions": {"messages": [U, A], "interactions": [U, A]},
        "content_and_text": chat({"role": "user", "content": "hi", "text": "hi"}, A),
        "two_systems": chat(S, U, S, A),
        "content_and_calls": chat(U, {"role": "assistant", "content": "Checking.", "tool_calls": [MCALL]}, tools=MTOOLS),
        "assistant_empty": chat(U, {"role": "assistant", "content": ""}),
        "answered_twice": chat(U, {"role": "assistant", "tool_calls": [MCALL]}, {"role": "tool", "tool_call_id": "a1b2c3d4e", "content": "sunny"},
                               {"role": "tool", "tool_call_id": "a1b2c3d4e", "content": "rainy"}, A, tools=MTOOLS),
        "function_name_space": chat(U, {"role": "assistant", "tool_calls": [dict(MCALL, function={"name": "get weather", "arguments": "{}"})]}, tools=MTOOLS),
        "tools_and_available_tools": chat(U, A, tools=MTOOLS, available_tools=MTOOLS),
        "user_after_tool": chat(U, {"role": "assistant", "tool_calls": [MCALL]}, {"role": "tool", "tool_call_id": "a1b2c3d4e", "content": "sunny"},
                                U, A, tools=MTOOLS),
    },
    "fireworks": {
        "root_weight_type": chat(U, A, weight="high"),
    },
    "vertex-gemini": {
        "contents_missing": {"messages": [U, A]},
        "role_assistant": {"contents": [GU, {"role": "assistant", "parts": [{"text": "Paris."}]}]},
        "alternation": {"contents": [GU, GU, GM]},
        "last_user": {"contents": [GU, GM, GU]},
        "parts_string": {"contents": [{"role": "user", "parts": "Capital?"}, GM]},
        "part_text_type": {"contents": [{"role": "user", "parts": [{"text": 42}]}, GM]},
        "system_instruction_type": {"systemInstruction": "Be terse.", "contents": [GU, GM]},
    },
    "bedrock-nova": {
        "schema_version_missing": {"system": [{"text": "Be terse."}], "messages": [NU, NA]},
        "first_assistant": {"schemaVersion": NV, "messages": [NA, NU, NA]},
        "content_string": {"schemaVersion": NV, "messages": [{"role": "user", "content": "Capital?"}, NA]},
        "system_string": {"schemaVersion": NV, "system": "Be terse.", "messages": [NU, NA]},
        "text_empty": {"schemaVersion": NV, "messages": [NU, {"role": "assistant", "content": [{"text": ""}]}]},
        "reserved_keyword": {"schemaVersion": NV, "system": [{"text": "Answer as ASSISTANT: only."}], "messages": [NU, NA]},
        "image_in_assistant": {"schemaVersion": NV, "messages": [NU, {"role": "assistant", "content": [{"text": "Here."}, nimg()]}]},
        "image_bmp": {"schemaVersion": NV, "messages": [{"role": "user", "content": [{"text": "Which?"}, nimg("bmp")]}, NA]},
        "image_https": {"schemaVersion": NV, "messages": [{"role": "user", "content": [{"text": "Which?"}, nimg(uri="https://example.com/a.png")]}, NA]},
        "image_and_video": {"schemaVersion": NV, "messages": [{"role": "user", "content": [{"text": "Same?"}, nimg(),
                            {"video": {"format": "mp4", "source": {"s3Location": {"uri": "s3://bucket/v.mp4"}}}}]}, NA]},
    },
    "bedrock-claude": {
        "extraneous_key": {"system": "Be terse.", "messages": [U, A], "id": 1},
        "one_message": {"messages": [A]},
        "role_system_in_messages": {"messages": [S, U, A]},
        "content_parts": {"messages": [{"role": "user", "content": [{"type": "text", "text": "hi"}]}, A]},
    },
    "cohere": {
        "role_lowercase": {"messages": [{"role": "user", "content": "hi"}, {"role": "Chatbot", "content": "Hello."}]},
        "content_missing": {"messages": [{"role": "User"}, {"role": "Chatbot", "content": "Hello."}]},
    },
})

here = os.path.dirname(os.path.abspath(__file__))
n = 0
for profile, cases in CASES.items():
    os.makedirs(os.path.join(here, profile), exist_ok=True)
    for name, rec in cases.items():
        with open(os.path.join(here, profile, name + ".jsonl"), "w", encoding="utf-8") as f:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        n += 1
print(n, "fixtures")

"""The text a schema fixes: what the embedded server appends without sampling."""

from __future__ import annotations

import json
from typing import Any

import pytest

from summariser.endpoint.json_forcing import JsonForcer
from summariser.extract.drafts import OverviewDraft, TransfersDraft, claim_slots

STATUS = {"enum": ["sought", "offered", "agreed", "delivered"], "type": "string"}
FACT = {"enum": ["certain", "certainly_not", "possible"], "type": "string"}
DEAL: dict[str, Any] = {
    "type": "object",
    "properties": {
        "item": {"type": "string"},
        "count": {"anyOf": [{"type": "string"}, {"type": "null"}]},
        "status": {"$ref": "#/$defs/Status"},
    },
    "required": ["item", "count", "status"],
    "additionalProperties": False,
}
SCHEMA: dict[str, Any] = {
    "$defs": {"Status": STATUS, "Deal": DEAL},
    "type": "object",
    "properties": {
        "deals": {"type": "array", "items": {"$ref": "#/$defs/Deal"}, "minItems": 1, "maxItems": 2}
    },
    "required": ["deals"],
}


def forcer_after(text: str, schema: dict[str, Any] = SCHEMA) -> JsonForcer:
    forcer = JsonForcer(schema)
    forcer.feed(text)
    return forcer


def test_the_root_object_opens_and_its_only_key_follows_once_spacing_is_known() -> None:
    assert JsonForcer(SCHEMA).forced() == "{"  # a space after "{" or not: not known yet
    assert forcer_after("{").forced() == ""
    assert forcer_after('{"').forced() == 'deals"'  # a space before ":" or not: not known


def test_spacing_is_copied_from_the_model_once_it_has_chosen() -> None:
    # after '"deals":' the model has not yet shown whether a space follows a colon
    assert forcer_after('{"deals":').forced() == ""
    # it wrote one: from then on every colon takes one; the array opens, its first
    # (required) item opens, and that object's first key follows
    assert forcer_after('{"deals": [').forced() == ""  # space after "[" not yet known
    assert forcer_after('{"deals": [{').forced() == '"item": "'


def test_keys_follow_in_schema_order_after_each_value() -> None:
    text = '{"deals": [{"item": "tanks",'
    assert forcer_after(text).forced() == ""  # the space after a comma: not yet seen
    assert forcer_after(text + " ").forced() == '"count": '
    # a nullable value may start with '"' or 'n': nothing is fixed
    assert forcer_after(text + ' "count": ').forced() == ""
    assert forcer_after(text + ' "count": n').forced() == 'ull, "status": "'


def test_an_enum_value_is_completed_once_its_letters_tell_it_apart() -> None:
    text = '{"deals": [{"item": "tanks", "count": null, "status": "'
    assert forcer_after(text).forced() == ""  # four values left
    assert forcer_after(text + "deliv").forced() == 'ered"}'
    assert forcer_after(text + "s").forced() == 'ought"}'


def test_a_value_that_is_a_prefix_of_another_is_left_to_the_model() -> None:
    schema = {"type": "object", "properties": {"f": FACT}, "required": ["f"]}
    assert forcer_after('{"f": "cer', schema).forced() == "tain"
    assert forcer_after('{"f": "certain', schema).forced() == ""  # "certain" or "certainly_not"
    assert forcer_after('{"f": "certainly', schema).forced() == '_not"}'


def test_no_space_is_forced_where_the_grammar_allows_none() -> None:
    # the converter's enum rule has no trailing space; a string's has one
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "s": STATUS, "b": {"type": "string"}},
        "required": ["a", "s", "b"],
    }
    text = '{"a": "x" , "s": "agreed'
    assert forcer_after(text, schema).forced() == '", "b": "'  # no space after the enum


def test_the_array_closes_at_max_items_and_not_before() -> None:
    one = '{"deals": [{"item": "tanks", "count": null, "status": "agreed"}'
    assert forcer_after(one).forced() == ""  # a second deal or the end
    two = one + ', {"item": "jets", "count": "2", "status": "sought"}'
    assert forcer_after(two).forced() == "]}"


def test_optional_properties_fix_no_keys() -> None:
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string"}, "b": {"type": "string"}},
        "required": ["a"],
    }
    assert forcer_after("{", schema).forced() == ""
    assert forcer_after('{"a": "x"', schema).forced() == ""


def test_a_character_split_across_tokens_is_read_whole() -> None:
    forcer = JsonForcer(SCHEMA)
    forcer.feed('{"deals": [{"item": "')
    data = "Đ".encode()
    forcer.feed_bytes(data[:1])
    forcer.feed_bytes(data[1:] + b'okovi", ')
    assert forcer.forced() == '"count": '


def test_text_it_cannot_follow_stops_all_forcing() -> None:
    forcer = forcer_after('{"deals": ]')
    assert forcer.forced() == ""
    forcer.feed(' [{"item": "x", ')
    assert forcer.forced() == ""


def replies() -> list[tuple[dict[str, Any], str]]:
    overview = {
        "actors": [
            {"name": "Poland", "type": "state", "country": "Poland"},
            {"name": "Hanwha Aerospace", "type": "company", "country": "South Korea"},
            {"name": "NATO", "type": "international_org", "country": None},
        ]
    }
    transfers = {
        "deals": [
            {
                "items": [
                    {"weapon": "K9 howitzers", "quantity": "18", "category": "artillery"},
                    {"weapon": "ammunition", "quantity": None, "category": "ammunition"},
                ],
                "supplier": "South Korea",
                "recipient": "Poland",
                "status": "delivered",
            },
            {"items": [], "supplier": None, "recipient": None, "status": "unknown"},
        ]
    }
    claims = {
        "sentence_2": {"source": "Jan Kowalski", "type": "assertion", "factuality": "certain"},
        "sentence_5": None,
        "sentence_7": {"source": None, "type": "denial", "factuality": "certainly_not"},
    }
    return [
        (OverviewDraft.model_json_schema(), json.dumps(overview)),
        (TransfersDraft.model_json_schema(), json.dumps(transfers)),
        (claim_slots((2, 5, 7)).model_json_schema(), json.dumps(claims)),
        (TransfersDraft.model_json_schema(), json.dumps(transfers, separators=(",", ":"))),
    ]


@pytest.mark.parametrize("schema, reply", replies())
def test_what_is_forced_is_always_what_the_reply_goes_on_with(
    schema: dict[str, Any], reply: str
) -> None:
    forcer = JsonForcer(schema)
    forced_chars = 0
    for i, char in enumerate(reply):
        ahead = forcer.forced()
        assert reply.startswith(ahead, i), (reply[:i], ahead)
        forced_chars += len(ahead) > 0
        forcer.feed(char)
    assert forcer.forced() == ""  # the reply is complete
    assert forced_chars > len(reply) // 3  # keys, enum tails and brackets are fixed

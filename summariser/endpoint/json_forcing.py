"""The text a JSON reply must continue with, where its schema leaves the model no choice.

Under a grammar from a JSON schema much of a reply is fixed: the keys of an object whose
properties are all required come in schema order, a ``[`` opens every array value, an
enum value is settled once its first letters tell it from the others. Decoding those
characters one token per step costs a full step each (~32 ms here); read as one batch of
tokens, like a prompt, they cost a fraction of that ("jump-forward" decoding). The
engine feeds a reply's text to a :class:`JsonForcer` as it is generated and asks it for
the continuation that every grammar-valid reply shares from there.

The forcer mirrors llama-cpp-python's schema-to-grammar converter (the grammar the server
enforces): properties in schema order, one optional space at each place its ``space``
rule allows one, none after an enum or constant value. Where the grammar leaves a space
optional, the forcer copies what the model itself chose at the first place of that kind
in the reply, and forces nothing until it has seen one. It only predicts: the engine
still checks every forced token against the grammar, so a wrong prediction costs speed,
never validity.
"""

from __future__ import annotations

import codecs
import copy
import json
from dataclasses import dataclass
from typing import Any, Optional

# longest continuation predicted at once
MAX_FORCED_CHARS = 96

_LITERALS = ("null", "true", "false")
_LITERAL_CHARS = frozenset("nulltruefalse0123456789+-.eE")

# kinds of place where the grammar allows one optional space
_OPEN_OBJECT = "open-object"
_OPEN_ARRAY = "open-array"
_AFTER_KEY = "after-key"
_AFTER_COLON = "after-colon"
_AFTER_COMMA = "after-comma"
_AFTER_VALUE = "after-value"
# a container's state to the kind of place it is at
_PLACES = {
    "object": {
        "open": _OPEN_OBJECT,
        "after-key": _AFTER_KEY,
        "colon": _AFTER_COLON,
        "after-value": _AFTER_VALUE,
        "comma": _AFTER_COMMA,
    },
    "array": {"open": _OPEN_ARRAY, "after-value": _AFTER_VALUE, "comma": _AFTER_COMMA},
}


@dataclass
class _Frame:
    kind: str  # "object", "array", "string" or "literal"
    schema: dict[str, Any]
    state: str = ""  # object/array: where in the container the text is
    keys: Optional[list[str]] = None  # object: the fixed key order; None: not fixed
    key: str = ""  # object: the key whose value comes next
    count: int = 0  # object: pairs read; array: items read
    text: str = ""  # string or literal: its characters so far
    escape: bool = False
    choices: Optional[list[str]] = None  # string: every value it may take; None: any
    space_read: bool = False  # the optional space at the current place was read
    space_after: Optional[bool] = None  # may a space follow the value just read


class JsonForcer:
    """Reads a reply as it is generated; :meth:`forced` is what must come next."""

    def __init__(self, schema: dict[str, Any]) -> None:
        self._root_schema = schema
        self._stack: list[_Frame] = []
        self._style: dict[str, str] = {}  # the model's own spacing, per kind of place
        self._started = False
        self._finished = False
        self._lost = False  # text the forcer cannot follow: it predicts nothing more
        self._decoder = codecs.getincrementaldecoder("utf-8")(errors="strict")

    # --- reading the reply -------------------------------------------------------------

    def feed_bytes(self, data: bytes) -> None:
        """The next bytes of the reply (a token may end inside a UTF-8 character)."""
        try:
            text = self._decoder.decode(data)
        except UnicodeDecodeError:
            self._lost = True
            return
        self.feed(text)

    def feed(self, text: str) -> None:
        for char in text:
            if self._lost:
                return
            self._read(char)

    def forced(self) -> str:
        """The continuation every grammar-valid reply shares from here ("" if none)."""
        if self._lost:
            return ""
        probe = self._probe()
        out: list[str] = []
        while len(out) < MAX_FORCED_CHARS:
            char = probe._next()
            if char is None:
                break
            out.append(char)
            probe._read(char)
            if probe._lost:
                return ""
        return "".join(out)

    def _probe(self) -> JsonForcer:
        """A copy to predict with: its own stack and spacing, the same schema."""
        probe = copy.copy(self)
        probe._stack = [copy.copy(frame) for frame in self._stack]
        probe._style = dict(self._style)
        return probe

    # --- the schema --------------------------------------------------------------------

    def _resolve(self, schema: Any) -> dict[str, Any]:
        seen = 0
        while isinstance(schema, dict) and "$ref" in schema and seen < 32:
            ref = schema["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/"):
                return {}
            node: Any = self._root_schema
            for part in ref[2:].split("/"):
                node = node.get(part) if isinstance(node, dict) else None
            schema = node
            seen += 1
        return schema if isinstance(schema, dict) else {}

    def _branches(self, schema: dict[str, Any]) -> list[dict[str, Any]]:
        schema = self._resolve(schema)
        union = schema.get("anyOf") or schema.get("oneOf")
        if isinstance(union, list):
            return [b for s in union for b in self._branches(s)]
        if isinstance(schema.get("type"), list):
            return [{"type": t} for t in schema["type"]]
        return [schema]

    @staticmethod
    def _firsts(schema: dict[str, Any]) -> set[str]:
        """The characters a value of this (union-free) schema may start with."""
        if "const" in schema:
            return {json.dumps(schema["const"])[0]}
        if "enum" in schema:
            return {json.dumps(v)[0] for v in schema["enum"]}
        kind = schema.get("type")
        if "allOf" in schema or "pattern" in schema or "format" in schema:
            return set()  # not mirrored: predict nothing inside
        if kind == "object" or (kind is None and "properties" in schema):
            return {"{"}
        if kind == "array" or (kind is None and ("items" in schema or "prefixItems" in schema)):
            return {"["}
        if kind == "string":
            return {'"'}
        if kind == "null":
            return {"n"}
        return set()

    def _start(self, schema: dict[str, Any]) -> Optional[str]:
        branches = self._branches(schema)
        firsts = [self._firsts(b) for b in branches]
        if any(not f for f in firsts):
            return None
        union = set().union(*firsts) if firsts else set()
        return union.pop() if len(union) == 1 else None

    def _branch(self, schema: dict[str, Any], char: str) -> Optional[dict[str, Any]]:
        """The one branch of ``schema`` a value starting with ``char`` belongs to."""
        matching = [b for b in self._branches(schema) if char in self._firsts(b)]
        return matching[0] if len(matching) == 1 else None

    # --- one character -----------------------------------------------------------------

    def _begin_value(self, schema: dict[str, Any], char: str) -> None:
        branch = self._branch(schema, char)
        if char == "{":
            keys = None
            if branch is not None:
                props = branch.get("properties") or {}
                extra = branch.get("additionalProperties")
                required = set(branch.get("required") or [])
                if set(props) == required and extra is not True and not isinstance(extra, dict):
                    keys = list(props)
            frame = _Frame("object", branch or {}, state="open", keys=keys)
        elif char == "[":
            frame = _Frame("array", branch or {}, state="open")
        elif char == '"':
            choices = None
            if branch is not None and "enum" in branch:
                choices = [v for v in branch["enum"] if isinstance(v, str)]
            elif branch is not None and isinstance(branch.get("const"), str):
                choices = [branch["const"]]
            frame = _Frame("string", branch or {}, choices=choices)
        elif char in _LITERAL_CHARS:
            frame = _Frame("literal", branch or {}, text=char)
        else:
            self._lost = True
            return
        if branch is None:
            frame.space_after = None
        else:  # enum and const rules end without the converter's optional space
            frame.space_after = not ("enum" in branch or "const" in branch)
        self._stack.append(frame)

    def _end_value(self, frame: _Frame) -> None:
        if not self._stack:
            self._finished = True
            return
        parent = self._stack[-1]
        parent.state = "after-value"
        parent.count += 1
        parent.space_read = False
        parent.space_after = frame.space_after

    @staticmethod
    def _place(frame: _Frame) -> Optional[str]:
        return _PLACES.get(frame.kind, {}).get(frame.state)

    @staticmethod
    def _space_allowed(place: str, frame: _Frame) -> Optional[bool]:
        """May the optional space come here (None: not known, after an ambiguous value)."""
        return True if place != _AFTER_VALUE else frame.space_after

    def _read(self, char: str) -> None:
        if self._finished:
            if not char.isspace():
                self._lost = True
            return
        if not self._stack:
            if self._started:
                self._lost = True
                return
            self._started = True
            self._begin_value(self._root_schema, char)
            return
        top = self._stack[-1]
        if top.kind == "string":
            if top.escape:
                top.escape = False
                top.choices = None  # escapes are not mirrored
            elif char == "\\":
                top.escape = True
            elif char == '"':
                self._stack.pop()
                if top.state == "key":
                    parent = self._stack[-1]
                    parent.key = top.text
                    parent.state = "after-key"
                    parent.space_read = False
                else:
                    self._end_value(top)
                return
            top.text += char
            return
        if top.kind == "literal":
            if char in _LITERAL_CHARS:
                top.text += char
                return
            self._stack.pop()
            self._end_value(top)
            self._read(char)
            return
        place = self._place(top)
        if place is not None and not top.space_read:
            if char == " ":
                self._style.setdefault(place, " ")
                top.space_read = True
                return
            if self._space_allowed(place, top):
                self._style.setdefault(place, "")
        self._structure(top, char)

    def _structure(self, top: _Frame, char: str) -> None:
        state = top.state
        close = "}" if top.kind == "object" else "]"
        if char == close and state in ("open", "after-value"):
            self._stack.pop()
            top.space_after = True
            self._end_value(top)
        elif char == "," and state == "after-value":
            top.state, top.space_read = "comma", False
        elif top.kind == "object":
            self._in_object(top, char)
        elif state in ("open", "comma"):
            items = top.schema.get("items")  # a list (prefixItems-style) is not mirrored
            self._begin_value(items if isinstance(items, dict) else {}, char)
        else:
            self._lost = True

    def _in_object(self, top: _Frame, char: str) -> None:
        state = top.state
        if state in ("open", "comma") and char == '"':
            key = _Frame("string", {}, state="key", choices=self._key_choices(top))
            self._stack.append(key)
        elif state == "after-key" and char == ":":
            top.state, top.space_read = "colon", False
        elif state == "colon":
            props = top.schema.get("properties") or {}
            if top.key in props:
                schema = props[top.key]
            else:
                extra = top.schema.get("additionalProperties")
                schema = extra if isinstance(extra, dict) else {}
            self._begin_value(schema, char)
        else:
            self._lost = True

    @staticmethod
    def _key_choices(frame: _Frame) -> Optional[list[str]]:
        if frame.keys is None or frame.count >= len(frame.keys):
            return None
        return [frame.keys[frame.count]]

    # --- what must come next -----------------------------------------------------------

    def _next(self) -> Optional[str]:
        """The next fixed character; called on a probe only (it may end a literal)."""
        if self._finished:
            return None
        if not self._stack:
            return None if self._started else self._start(self._root_schema)
        top = self._stack[-1]
        if top.kind == "string":
            return self._next_in_string(top)
        if top.kind == "literal":
            if top.text in _LITERALS:  # complete: what follows is the container's
                self._stack.pop()
                self._end_value(top)
                return self._next()
            live = [w for w in _LITERALS if w.startswith(top.text)]
            return live[0][len(top.text)] if len(live) == 1 else None
        place = self._place(top)
        if place is not None and not top.space_read:
            allowed = self._space_allowed(place, top)
            style = self._style.get(place)
            if allowed is not False and (style is None or style == " "):
                return " " if allowed and style == " " else None
        return self._next_structure(top)

    @staticmethod
    def _next_in_string(top: _Frame) -> Optional[str]:
        if top.choices is None or top.escape:
            return None
        live = [v for v in top.choices if v.startswith(top.text)]
        if not live:
            return None
        if top.text in live:
            return '"' if len(live) == 1 else None
        following = {v[len(top.text)] for v in live}
        if len(following) != 1:
            return None
        char = following.pop()
        return None if char in '"\\' else char

    def _next_structure(self, top: _Frame) -> Optional[str]:
        state = top.state
        if top.kind == "object":
            if state == "open":
                if top.keys is None:
                    return None
                return '"' if top.keys else "}"
            if state == "comma":
                return '"'
            if state == "after-key":
                return ":"
            if state == "colon":
                props = top.schema.get("properties") or {}
                return self._start(props[top.key]) if top.key in props else None
            if state == "after-value" and top.keys is not None:
                return "," if top.count < len(top.keys) else "}"
            return None
        items = top.schema.get("items")
        if not isinstance(items, dict):
            return None
        low = top.schema.get("minItems") or 0
        high = top.schema.get("maxItems")
        if state == "open":
            if low > 0:
                return self._start(items)
            return "]" if high == 0 else None
        if state == "comma":
            return self._start(items)
        if state == "after-value":
            if high is not None and top.count >= high:
                return "]"
            if top.count < low:
                return ","
        return None

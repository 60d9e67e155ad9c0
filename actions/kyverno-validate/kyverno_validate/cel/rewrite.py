"""Source rewrites that make cel-cpp accept what Kyverno's cel-go accepts (pure).

- ``Object{spec: Object.spec{…}}`` / ``JSONPatch{op: …}`` struct literals (Kubernetes'
  MutatingAdmissionPolicy types) become map literals ``{'spec': {…}}``: the engine merges or
  applies the resulting map.
- ``x.orValue(d)`` on a receiver without ``.?``/``[?`` becomes
  ``(type((x)) == optional_type ? (x).orValue(d) : (x))``: cel-go passes a non-optional receiver
  through, cel-cpp returns an error.
- the first optional step ``x.?f`` of a chain becomes ``((x) == null ? optional.none() :
  (x).?f)``: cel-go reads a null as absent there, cel-cpp errors.

The receiver is repeated rather than bound with ``cel.bind``: cel-cpp 0.1.3 reuses a bind's slot
for a later comprehension variable (``exists(type, …)``) and then re-reads the wrong value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_TOKEN = re.compile(
    r"""(?P<ws>\s+)
    |(?P<comment>//[^\n]*)
    |(?P<string>[rRbB]{0,2}(?:'''(?:\\.|[^\\])*?'''|\"\"\"(?:\\.|[^\\])*?\"\"\"
        |'(?:\\.|[^'\\\n])*'|"(?:\\.|[^"\\\n])*"))
    |(?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?[uU]?|0[xX][0-9a-fA-F]+[uU]?)
    |(?P<ident>[A-Za-z_][A-Za-z0-9_]*)
    |(?P<punct>\.\?|\[\?|&&|\|\||==|!=|<=|>=|.)""",
    re.VERBOSE | re.DOTALL,
)


@dataclass(frozen=True, slots=True)
class Token:
    kind: str  # ws, comment, string, number, ident, punct
    text: str


def tokenize(source: str) -> list[Token]:
    """The tokens of ``source``; joined back they give the source unchanged."""
    tokens = []
    position = 0
    while position < len(source):
        found = _TOKEN.match(source, position)
        if found is None:  # pragma: no cover - the last alternative matches any character
            break
        kind = found.lastgroup or "punct"
        tokens.append(Token(kind, found.group()))
        position = found.end()
    return tokens


def _significant(tokens: list[Token], index: int, step: int) -> int:
    """The index of the nearest non-blank token from ``index`` in direction ``step`` (or -1)."""
    while 0 <= index < len(tokens):
        if tokens[index].kind not in ("ws", "comment"):
            return index
        index += step
    return -1


def rewrite_struct_literals(source: str) -> str:
    """``Name.path{field: v}`` → ``{'field': v}``; map literals and everything else unchanged."""
    if "{" not in source:
        return source
    tokens = tokenize(source)
    out: list[str] = []
    stack: list[bool] = []  # per open brace: is it a struct literal
    expect_field = False
    for index, token in enumerate(tokens):
        if token.text == "{" and token.kind == "punct":
            previous = _significant(tokens, index - 1, -1)
            is_struct = previous >= 0 and tokens[previous].kind == "ident"
            if is_struct:
                # drop the type name chain already emitted: IDENT(.IDENT)*
                while out and (out[-1].isidentifier() or out[-1] == "." or out[-1].isspace()):
                    out.pop()
            stack.append(is_struct)
            out.append("{")
            expect_field = is_struct
            continue
        if token.kind == "punct" and token.text == "}":
            if stack:
                stack.pop()
            expect_field = False
        elif token.kind == "punct" and token.text == "," and stack and stack[-1]:
            expect_field = True
            out.append(token.text)
            continue
        elif token.kind == "ident" and expect_field:
            following = _significant(tokens, index + 1, 1)
            if following >= 0 and tokens[following].text == ":":
                out.append(f"'{token.text}'")
                expect_field = False
                continue
        if token.kind not in ("ws", "comment"):
            expect_field = False
        out.append(token.text)
    return "".join(out)


_OPENERS = {")": "(", "]": "["}


def _receiver_start(tokens: list[Token], dot: int) -> int:
    """The first token of the member chain that ends just before ``tokens[dot]`` (a ``.``)."""
    index = dot - 1
    start = dot
    while index >= 0:
        token = tokens[index]
        if token.kind in ("ident", "string", "number"):
            start = index
            previous = index - 1
            if previous >= 0 and tokens[previous].text in (".", ".?"):
                index = previous - 1
                continue
            return start
        if token.text in _OPENERS:
            depth = 0
            while index >= 0:
                text = tokens[index].text
                if text in _OPENERS:
                    depth += 1
                elif text in ("(", "[", "[?"):
                    depth -= 1
                    if depth == 0:
                        break
                index -= 1
            start = index
            # a call or index: the callee / indexed value precedes the bracket
            previous = index - 1
            if previous >= 0 and (
                tokens[previous].kind in ("ident", "string") or tokens[previous].text in ")]"
            ):
                if tokens[index].text == "(" and tokens[previous].kind == "ident":
                    # `f(...)`: a global call, or `x.f(...)`: continue with the chain
                    index = previous
                    continue
                if tokens[index].text in ("[", "[?"):
                    index = previous
                    continue
            return start
        return start
    return start


def rewrite_orvalue_passthrough(source: str) -> str:
    """Wrap ``X.orValue(d)`` whose chain ``X`` has no optional step in a type test."""
    if "orValue" not in source:
        return source
    tokens = [t for t in tokenize(source) if t.kind not in ("ws", "comment")]
    counter = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if (
            token.kind == "ident"
            and token.text == "orValue"
            and index >= 1
            and tokens[index - 1].text == "."
            and index + 1 < len(tokens)
            and tokens[index + 1].text == "("
        ):
            dot = index - 1
            start = _receiver_start(tokens, dot)
            receiver = tokens[start:dot]
            if receiver and not any(t.text in (".?", "[?") for t in receiver):
                close = _closing(tokens, index + 1)
                counter += 1
                default = tokens[index + 2 : close]
                new = [
                    Token("punct", "(type(("),
                    *receiver,
                    Token("punct", ")) == optional_type ? ("),
                    *receiver,
                    Token("punct", ").orValue("),
                    *default,
                    Token("punct", ") : ("),
                    *receiver,
                    Token("punct", "))"),
                ]
                tokens[start : close + 1] = new
                index = start + len(new)
                continue
        index += 1
    return " ".join(t.text for t in tokens) if counter else source


def _closing(tokens: list[Token], open_index: int) -> int:
    depth = 0
    for index in range(open_index, len(tokens)):
        text = tokens[index].text
        if text in ("(", "[", "[?", "{"):
            depth += 1
        elif text in (")", "]", "}"):
            depth -= 1
            if depth == 0:
                return index
    return len(tokens) - 1


def rewrite_null_optional(source: str) -> str:
    """``x.?f`` / ``x[?k]`` (the first optional step of a chain) → ``((x) == null ?
    optional.none() : (x).?f)``: cel-go reads a null receiver as absent, cel-cpp errors."""
    if ".?" not in source and "[?" not in source:
        return source
    tokens = [t for t in tokenize(source) if t.kind not in ("ws", "comment")]
    counter = 0
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.text in (".?", "[?") and index > 0:
            start = _receiver_start(tokens, index)
            receiver = tokens[start:index]
            end = index + 1 if token.text == ".?" else _closing(tokens, index)
            if receiver and end < len(tokens) and not any(t.text in (".?", "[?") for t in receiver):
                counter += 1
                new = [
                    Token("punct", "(("),
                    *receiver,
                    Token("punct", ") == null ? optional.none() : ("),
                    *receiver,
                    Token("punct", ")"),
                    *tokens[index : end + 1],
                    Token("punct", ")"),
                ]
                tokens[start : end + 1] = new
                index = start + len(new)
                continue
        index += 1
    return " ".join(t.text for t in tokens) if counter else source


def rewrite(source: str) -> str:
    """Every rewrite this module offers, in order."""
    return rewrite_orvalue_passthrough(rewrite_null_optional(rewrite_struct_literals(source)))

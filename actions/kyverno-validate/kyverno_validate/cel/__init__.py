"""CEL for the Kyverno engine: compile once, evaluate with Kubernetes and Kyverno libraries.

The API (pure: no files, no network, no clock; cel-expr-python is imported on first use)::

    from kyverno_validate.cel import CelError, compile_expression, evaluate_expression
    from kyverno_validate.cel import library_bindings

    program = compile_expression("object.spec.containers.all(c, c.image.contains(':'))")
    if isinstance(program, CelError): ...           # syntax error, as a value
    value = program.evaluate({"object": pod, "variables": {...}}, now=now)
    if isinstance(value, CelError): ...             # runtime error, as a value (per rule)

- :func:`compile_expression` (cached by source text) returns a :class:`Program` or a
  :class:`CelError`. Expressions are compiled unchecked, all variables ``dyn``: an unknown
  function is an evaluation error, never a crash.
- :meth:`Program.evaluate` takes the variables by name: ``object``, ``oldObject``, ``request``,
  ``params``, ``namespaceObject``, ``variables``, ``authorizer`` (unbound ones are ``null``) and
  the context libraries of :func:`library_bindings` (``resource``, ``http``, ``image``,
  ``globalContext``, ``generator``; empty unless passed). ``now`` (aware) is what ``time.now()``
  returns; without it ``time.now()`` is an error. The result is a plain Python value (dict, list,
  str, int, float, bool, None, ``datetime``, ``timedelta``) or a :class:`CelError`.
- Values returned by one expression can be bound again (``variables``): durations and timestamps
  are converted back by :func:`to_cel`.
- ``Object{…}`` / ``JSONPatch{…}`` struct literals evaluate to plain maps (``{'spec': …}``,
  ``{'op': …, 'path': …, 'value': …}``), for MutatingPolicy ``applyConfiguration`` / ``jsonPatch``.
- ``x.orValue(d)`` on a non-optional ``x`` gives ``x``, as cel-go does.

Libraries: CEL standard + optional, strings (``format`` included), math, encoders, bindings
(``cel.bind``); Kubernetes lists (``indexOf``, ``lastIndexOf``, ``isSorted``, ``sum``, ``min``,
``max``), regex (``find``, ``findAll``), ``url``, ``quantity``, ``semver``, ``ip``/``cidr``,
``jsonpatch.escapeKey``; Kyverno ``image()`` (``registry``, ``repository``, ``tag``,
``digest``, ``identifier``), ``parseServiceAccount``, ``time.now``, ``resource.Get/List``,
``http.Get/Post``, ``image.GetMetadata``, ``globalContext.Get``, ``generator.Apply``,
``sha1``/``sha256``/``md5``, ``json.unmarshal``, ``listObjToMap``, ``time_now``,
``time_now_utc``, ``time_add``, ``time_diff``, ``time_before``, ``time_after``, ``time_parse``.
"""

from __future__ import annotations

from kyverno_validate.cel.environment import (
    VARIABLES,
    CelError,
    Program,
    compile_expression,
    evaluate_expression,
    to_cel,
)
from kyverno_validate.cel.kyverno_library import library_bindings

__all__ = [
    "VARIABLES",
    "CelError",
    "Program",
    "compile_expression",
    "evaluate_expression",
    "library_bindings",
    "to_cel",
]

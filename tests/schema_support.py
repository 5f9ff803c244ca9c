"""Validate JSON text against the published schemas the way a conforming validator does.

Python's ``re`` lets ``$`` match before a trailing newline; Draft 2020-12 patterns are
ECMA-262 regexes where it does not. Like check-jsonschema, we evaluate ``pattern`` with
the ``regress`` ECMA engine. JSON text is parsed strictly (no NaN/Infinity, no overflow
to infinity), since those are not JSON.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterator
from functools import cache
from typing import Any

import regress
from jsonschema import Draft202012Validator, ValidationError, validators

from kzdata.records import schema


def _ecma_pattern(validator: Any, pattern: str, instance: Any, _schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and regress.Regex(pattern).find(instance) is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


EcmaValidator = validators.extend(Draft202012Validator, {"pattern": _ecma_pattern})


@cache
def validator(name: str) -> Any:
    return EcmaValidator(schema.load(name), format_checker=Draft202012Validator.FORMAT_CHECKER)


class NotJsonError(ValueError):
    pass


def _reject_constant(name: str) -> Any:
    raise NotJsonError(f"{name} is not JSON")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise NotJsonError(f"{text} overflows a double")
    return value


def strict_loads(text: str) -> Any:
    return json.loads(text, parse_constant=_reject_constant, parse_float=_finite_float)


def schema_accepts(name: str, text: str) -> bool:
    try:
        instance = strict_loads(text)
    except (NotJsonError, ValueError):
        return False
    return bool(validator(name).is_valid(instance))


def schema_error_paths(name: str, instance: Any) -> list[list[str | int]]:
    return [list(e.absolute_path) for e in validator(name).iter_errors(instance)]

"""Plain data to JSON and back, exactly: frozen dataclasses, dates, times, numbers and text.

Used to keep figures between starts (the home screen's snapshot). Decoding is driven by the
dataclasses' own type hints, so a field renamed or retyped in a later version of the desk makes
decoding fail loudly (`CodecError`) instead of producing half-right figures.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Callable
from datetime import date, datetime, time
from functools import cache
from typing import Any, Union


class CodecError(ValueError):
    """The data does not fit the type it is decoded as."""


def encode(value: Any) -> Any:
    """`value` as JSON-ready lists, dicts, strings and numbers."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime):  # before date: a datetime is a date
        if value.tzinfo is None:
            raise CodecError("a naive datetime cannot be kept: its moment is unknown")
        return value.isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        # The fields it is built from: one derived in __post_init__ (init=False) is derived again.
        return {f.name: encode(getattr(value, f.name)) for f in dataclasses.fields(value) if f.init}
    if isinstance(value, list | tuple):
        return [encode(v) for v in value]
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise CodecError("only text keys can be kept")
        return {k: encode(v) for k, v in value.items()}
    raise CodecError(f"cannot keep a {type(value).__name__}")


def decode(kind: Any, data: Any) -> Any:
    """`data` (from `encode`) back as `kind`: a type or a type hint such as `list[date]`."""
    return _decoder(kind)(data)


Decoder = Callable[[Any], Any]


@cache
def _decoder(kind: Any) -> Decoder:
    """A function reading `kind` back, built once per type (a snapshot holds thousands)."""
    if kind is Any:
        return lambda data: data
    if kind is type(None):
        return _nothing
    origin = typing.get_origin(kind)
    if origin is Union or origin is types.UnionType:
        return _union_decoder(kind)
    if origin is list or origin is tuple:
        return _sequence_decoder(kind, origin)
    if origin is dict:
        _key, value_kind = typing.get_args(kind)
        read_value = _decoder(value_kind)

        def read_mapping(data: Any) -> Any:
            if not isinstance(data, dict):
                raise CodecError(f"expected a mapping for {kind}, got {type(data).__name__}")
            return {str(k): read_value(v) for k, v in data.items()}

        return read_mapping
    if isinstance(kind, type) and dataclasses.is_dataclass(kind):
        return _dataclass_decoder(kind)
    if kind in _SCALARS:
        return _SCALARS[kind]
    raise CodecError(f"cannot read back a {kind}")


def _nothing(data: Any) -> None:
    if data is not None:
        raise CodecError(f"expected nothing, got {data!r}")
    return None


def _union_decoder(kind: Any) -> Decoder:
    options = [o for o in typing.get_args(kind) if o is not type(None)]
    optional = len(options) < len(typing.get_args(kind))
    readers = [_decoder(o) for o in options]

    def read_union(data: Any) -> Any:
        if data is None and optional:
            return None
        for read in readers:
            try:
                return read(data)
            except (CodecError, ValueError, TypeError):
                continue
        raise CodecError(f"{data!r} fits none of {kind}")

    return read_union


def _sequence_decoder(kind: Any, origin: Any) -> Decoder:
    args = typing.get_args(kind)
    if origin is list or (len(args) == 2 and args[1] is Ellipsis):
        read_item = _decoder(args[0])
        make = list if origin is list else tuple

        def read_items(data: Any) -> Any:
            if not isinstance(data, list):
                raise CodecError(f"expected a list for {kind}, got {type(data).__name__}")
            return make([read_item(v) for v in data])

        return read_items
    readers = [_decoder(a) for a in args]

    def read_fixed(data: Any) -> Any:
        if not isinstance(data, list) or len(data) != len(readers):
            raise CodecError(f"expected {len(readers)} items for {kind}, got {data!r}")
        return tuple(read(v) for read, v in zip(readers, data, strict=True))

    return read_fixed


def _dataclass_decoder(kind: type) -> Decoder:
    hints = typing.get_type_hints(kind)
    names = [f.name for f in dataclasses.fields(kind) if f.init]
    expected = set(names)
    # Built lazily: a dataclass may (indirectly) contain itself.
    fields: list[tuple[str, Decoder]] = []

    def read_dataclass(data: Any) -> Any:
        if not isinstance(data, dict):
            raise CodecError(f"expected a mapping for {kind.__name__}, got {type(data).__name__}")
        if data.keys() != expected:
            raise CodecError(f"{kind.__name__} fields differ: {sorted(data.keys() ^ expected)}")
        if not fields:
            fields.extend((name, _decoder(hints[name])) for name in names)
        try:
            return kind(**{name: read(data[name]) for name, read in fields})
        except (ValueError, TypeError) as exc:  # the dataclass's own checks
            if isinstance(exc, CodecError):
                raise
            raise CodecError(f"{kind.__name__}: {exc}") from exc

    return read_dataclass


def _iso(kind: Any, what: str, *, length: int | None = None) -> Decoder:
    """A reader of ISO text as `kind` (date, time, datetime)."""

    def read(data: Any) -> Any:
        if not isinstance(data, str) or (length is not None and len(data) != length):
            raise CodecError(f"expected {what}, got {data!r}")
        try:
            return kind.fromisoformat(data)
        except ValueError as exc:
            raise CodecError(f"{data!r} is not {what}") from exc

    return read


_read_moment = _iso(datetime, "a moment")


def _read_datetime(data: Any) -> datetime:
    moment: datetime = _read_moment(data)
    if moment.tzinfo is None:
        raise CodecError(f"{data!r} has no time zone")
    return moment


def _read_float(data: Any) -> float:
    if isinstance(data, bool) or not isinstance(data, int | float):
        raise CodecError(f"expected a number, got {data!r}")
    return float(data)


def _exact(kind: type) -> Decoder:
    def read(data: Any) -> Any:
        if type(data) is not kind:
            raise CodecError(f"expected {kind.__name__}, got {data!r}")
        return data

    return read


_SCALARS: dict[Any, Decoder] = {
    datetime: _read_datetime,
    date: _iso(date, "a date", length=10),
    time: _iso(time, "a time of day"),
    float: _read_float,
    int: _exact(int),
    str: _exact(str),
    bool: _exact(bool),
}

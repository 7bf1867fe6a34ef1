"""Hypothesis strategies: generated JSON, seeds mutated as trees and as bytes, hostile bodies.

A parser gets four kinds of input, mixed: a seed whose tree had values replaced, removed,
retyped or nested (reaches every field with every type, the ones that bite: numbers as
strings, NaN, 400-digit integers, lists where objects belong); JSON generated from nothing
but the seeds' keys; the seed's bytes flipped, cut, inserted into; and bodies made to hurt a
parser (deep nesting, huge numbers, invalid UTF-8, byte order marks).
"""

import copy
import json
from collections.abc import Iterator, Sequence
from typing import Any

from hypothesis import strategies as st

type Json = Any
type Path = tuple[str | int, ...]

TRICKY_STRINGS = (
    "",
    " ",
    "0",
    "1",
    "-1",
    "19 %",
    "57.0%",
    "3.5",
    "1e309",
    "-1e309",
    "nan",
    "NaN",
    "inf",
    "-Infinity",
    "0x10",
    "\uff11\uff12",  # fullwidth digits
    "1_000",
    "true",
    "false",
    "yes",
    "on",
    "active",
    "inactive",
    "acknowledged",
    "unusable",
    "C",
    "°F",
    "K",
    "kelvin",
    "admin",
    "unknown",
    "disabled",
    "0.17.2-3d4dd3a",
    "0.18.0-beta1",
    "999999.99999.999999",
    "../../etc/passwd",
    "front door",
    "a/b",
    "%2e%2e",
    "\x00",
    "\ud800",
    "é" * 40,
    "x" * 5000,
)

SCALARS: st.SearchStrategy[Json] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**64), max_value=2**64),
    st.sampled_from((0, 1, -1, 2**31, 2**63, 10**20, 10**400, -(10**400))),
    st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=24),
    st.sampled_from(TRICKY_STRINGS),
)


def json_values(keys: Sequence[str]) -> st.SearchStrategy[Json]:
    """Any JSON value, objects keyed mostly by the seeds' own keys."""
    key = st.one_of(st.sampled_from(keys), st.text(max_size=12)) if keys else st.text(max_size=12)
    return st.recursive(
        SCALARS,
        lambda children: st.one_of(
            st.lists(children, max_size=6),
            st.dictionaries(key, children, max_size=8),
        ),
        max_leaves=40,
    )


def keys_of(seeds: Sequence[Json]) -> list[str]:
    """Every object key in the seeds, sorted (the vocabulary of generated objects)."""
    found: set[str] = set()

    def walk(value: Json) -> None:
        if isinstance(value, dict):
            found.update(value)
            for child in value.values():
                walk(child)
        elif isinstance(value, list):
            for child in value:
                walk(child)

    for seed in seeds:
        walk(seed)
    return sorted(found)


def _paths(value: Json, path: Path = ()) -> Iterator[Path]:
    yield path
    if isinstance(value, dict):
        for key, child in value.items():
            yield from _paths(child, (*path, key))
    elif isinstance(value, list):
        for index, child in enumerate(value):
            yield from _paths(child, (*path, index))


def _named_map(node: Json) -> bool:
    """An object whose values are all objects: its keys are names (of cameras, zones, ...)."""
    return isinstance(node, dict) and bool(node) and all(isinstance(v, dict) for v in node.values())


def _get(root: Json, path: Path) -> Json:
    for step in path:
        root = root[step]
    return root


ACTIONS = ("replace", "rename", "delete", "add", "replace", "rename", "wrap", "stringify", "empty")


@st.composite
def mutated_tree(draw: st.DrawFn, seeds: Sequence[Json], values: st.SearchStrategy[Json]) -> Json:
    """A seed with a few nodes replaced, removed, renamed, retyped, duplicated or wrapped."""
    tree = copy.deepcopy(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(0, 6))):
        action = draw(st.sampled_from(ACTIONS))
        paths = list(_paths(tree))
        if action == "rename":  # aim at maps of names to blocks: cameras, zones, detectors
            paths = [p for p in paths if _named_map(_get(tree, p))] or paths
        elif action == "add":  # aim at objects and lists: rows, blocks
            paths = [p for p in paths if isinstance(_get(tree, p), dict | list)] or paths
        # Every depth as likely as any other, shallow ones too; not the root: a new root is
        # what generated values are for, and the seed's shape is what reaches deep fields.
        depths = sorted({len(p) for p in paths} - {0}) or [0]
        depth = draw(st.sampled_from(depths))
        path = draw(st.sampled_from([p for p in paths if len(p) == depth]))
        node = _get(tree, path)
        if action == "rename" and isinstance(node, dict) and node:
            old = draw(st.sampled_from(sorted(node)))
            new = draw(st.one_of(st.sampled_from(TRICKY_STRINGS), st.text(max_size=12)))
            node[new] = node.pop(old)  # a name from the server that is not one Frigate allows
            continue
        if action == "add" and isinstance(node, dict):
            key = draw(st.one_of(st.sampled_from(sorted(node) or [""]), st.text(max_size=8)))
            node[key] = draw(values)
            continue
        if action == "add" and isinstance(node, list):
            node.insert(draw(st.integers(0, len(node))), draw(values))
            continue
        replacement: Json
        match action:
            case "wrap":
                replacement = draw(st.sampled_from(([node], {"value": node}, [node, node])))
            case "stringify":
                replacement = json.dumps(node, allow_nan=True)
            case "empty":
                replacement = draw(st.sampled_from(({}, [], "", None, 0)))
            case _:
                replacement = draw(values)
        if not path:
            tree = replacement
            continue
        parent = _get(tree, path[:-1])
        if action == "delete":
            del parent[path[-1]]
        else:
            parent[path[-1]] = replacement
    return tree


def encode(value: Json) -> bytes:
    """JSON text as a server might send it (NaN and Infinity included, as Python writes them)."""
    return json.dumps(value, allow_nan=True).encode("utf-8", "surrogatepass")


@st.composite
def mutated_bytes(draw: st.DrawFn, seeds: Sequence[bytes]) -> bytes:
    """A seed's bytes with a few flipped, set, inserted or deleted, maybe cut short."""
    data = bytearray(draw(st.sampled_from(seeds)))
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        pos = draw(st.integers(0, len(data) - 1))
        action = draw(st.sampled_from(("flip", "set", "insert", "delete")))
        value = draw(st.one_of(st.sampled_from(b'{}[]",:0-.eE\\\x00\xff'), st.integers(0, 255)))
        if action == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif action == "set":
            data[pos] = value
        elif action == "insert":
            data[pos:pos] = bytes((value,)) * draw(st.integers(1, 4))
        else:
            del data[pos : pos + draw(st.integers(1, 8))]
    if draw(st.booleans()):
        data = data[: draw(st.integers(0, len(data)))]
    return bytes(data)


HOSTILE_BODIES = (
    b"",
    b"null",
    b"[]",
    b"{}",
    b'""',
    b"0",
    b"NaN",
    b"-Infinity",
    b"[" * 100_000 + b"]" * 100_000,
    b'{"a":' * 50_000 + b"1" + b"}" * 50_000,
    b"1" * 5000,
    b"1e999999",
    b'{"cameras": ' + b"9" * 4400 + b"}",
    b"\xef\xbb\xbf{}",
    b"\xff\xfe{\x00}\x00",
    b'{"\xff": 1}',
    b'"\\ud800"',
    b"<html><body>502 Bad Gateway</body></html>",
)


def mostly_valid(seeds: Sequence[Json]) -> st.SearchStrategy[bytes]:
    """A seed as is, or with a few nodes changed (for requests that must succeed first)."""
    values = json_values(keys_of(seeds))
    return st.one_of(st.sampled_from(seeds), mutated_tree(seeds, values)).map(encode)


def json_bodies(seeds: Sequence[Json]) -> st.SearchStrategy[bytes]:
    """Answer bodies for a JSON parser seeded with ``seeds``: most are mutated seed trees."""
    values = json_values(keys_of(seeds))
    encoded = [encode(seed) for seed in seeds]
    branches = (
        mutated_tree(seeds, values).map(encode),
        values.map(encode),
        mutated_bytes(encoded),
        st.sampled_from(HOSTILE_BODIES),
        st.binary(max_size=64),
    )
    weights = (0, 0, 0, 0, 0, 0, 1, 2, 3, 4)  # six in ten are trees

    @st.composite
    def body(draw: st.DrawFn) -> bytes:
        return draw(branches[weights[draw(st.integers(0, len(weights) - 1))]])

    return body()


def text_bodies(seeds: Sequence[str]) -> st.SearchStrategy[bytes]:
    """Answer bodies for a text parser (Frigate's version)."""
    encoded = [seed.encode() for seed in seeds]
    pieces = st.sampled_from(("0", "1", "12", ".", "-", "v", "beta", "rc", "\n", " ", "é", "+"))
    return st.one_of(
        st.sampled_from(encoded),
        mutated_bytes(encoded),
        st.lists(pieces, max_size=12).map(lambda parts: "".join(parts).encode()),
        st.text(max_size=40).map(lambda text: text.encode("utf-8", "surrogatepass")),
        st.binary(max_size=250),
    )


# ------------------------------------------------------------------------------ radiometric


def _jpeg_mutations(draw: st.DrawFn, data: bytearray, near: int) -> bytearray:
    for _ in range(draw(st.integers(1, 6))):
        if not data:
            break
        pos = min(
            draw(st.one_of(st.integers(0, near), st.integers(0, len(data) - 1))), len(data) - 1
        )
        action = draw(st.sampled_from(("flip", "set", "insert", "delete", "word")))
        value = draw(
            st.one_of(st.sampled_from((0x00, 0xFF, 0x7F, 0x80, 0x01)), st.integers(0, 255))
        )
        if action == "flip":
            data[pos] ^= 1 << draw(st.integers(0, 7))
        elif action == "set":
            data[pos] = value
        elif action == "insert":
            data[pos:pos] = bytes((value,)) * draw(st.integers(1, 4))
        elif action == "word":  # a length, count or offset field set to an extreme
            word = draw(st.sampled_from((b"\x00\x00", b"\xff\xff", b"\x7f\xff", b"\x80\x00")))
            data[pos : pos + 2] = word
        elif len(data) > 1:
            del data[pos : pos + draw(st.integers(1, 4))]
    if draw(st.integers(0, 3)) == 0:
        data = data[: draw(st.integers(0, len(data)))]
    return data


@st.composite
def mutated_jpeg(draw: st.DrawFn, seeds: Sequence[bytes]) -> bytes:
    """A radiometric JPEG mutated anywhere, mostly in its headers."""
    return bytes(_jpeg_mutations(draw, bytearray(draw(st.sampled_from(seeds))), 2000))


@st.composite
def mutated_fff(draw: st.DrawFn, fffs: Sequence[bytes]) -> bytes:
    """A valid FFF file mutated, in a well-formed JPEG: reaches the records and the raw PNG."""
    from custom_components.flir_frigate.api.flir.encode import wrap_jpeg

    fff = _jpeg_mutations(draw, bytearray(draw(st.sampled_from(fffs))), 1500)
    return wrap_jpeg(b"\xff\xd8\xff\xda", bytes(fff), draw(st.sampled_from((65000, 500))))


@st.composite
def random_segments(draw: st.DrawFn) -> bytes:
    """A JPEG start, random bytes and one APP1 "FLIR" segment of random payload."""
    head = draw(st.binary(max_size=200))
    payload = draw(st.binary(max_size=400))
    size = (len(payload) + 10).to_bytes(2, "big")
    return b"\xff\xd8" + head + b"\xff\xe1" + size + b"FLIR\0\x01\x00\x00" + payload + b"\xff\xda"

"""The strict, safe YAML loader of coding sheets, source metadata and registries.

Reading is defensive because sheets are contributed files:

* the file is read by :func:`sahel_events.coding._files.read_input`: regular
  files only (never a FIFO or a device), no symbolic link out of its folder,
  larger than :data:`MAX_SHEET_BYTES` refused before parsing;
* YAML is parsed with a safe loader that refuses duplicate keys (naming the
  key and its line), anchors and aliases (so no "billion laughs" expansion),
  nesting deeper than :data:`MAX_DEPTH`, and every language-specific tag such
  as ``!!python/object``;
* scalars follow YAML 1.2's core rules for booleans (only ``true``/``false``),
  so the field ``on`` stays a key and ``NO`` stays Norway, and dates stay
  text until checked, so that ``2025-13-01`` gets a message rather than a crash.
"""

from __future__ import annotations

import gc
import re
from os import PathLike
from typing import Any

import yaml
from yaml.composer import Composer
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.events import AliasEvent, MappingStartEvent, ScalarEvent, SequenceStartEvent
from yaml.resolver import Resolver

from sahel_events._text import quote
from sahel_events.coding._files import read_input
from sahel_events.exc import CodingSheetError, UnreadableFileError

__all__ = ["MAX_DEPTH", "MAX_SHEET_BYTES", "load_yaml", "parse_yaml"]

#: Sheets (and source metadata) larger than this are refused unread.
MAX_SHEET_BYTES = 5 * 1024 * 1024
#: Deeper nesting than this is refused: no real sheet needs it, and the YAML
#: composer is recursive.
MAX_DEPTH = 32


# --- Safe YAML -------------------------------------------------------------------


class _StrictComposer(Composer):
    """Refuses anchors, aliases and deep nesting while building the node tree."""

    _depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        # peek_event comes from the parser this composer is mixed with.
        event = self.peek_event()  # type: ignore[attr-defined]
        if isinstance(event, AliasEvent):
            raise _YamlProblem(
                f"YAML aliases (*{event.anchor}) are not allowed in sheets; write the value out",
                _line_of(event),
            )
        anchor = getattr(event, "anchor", None)
        if anchor is not None and isinstance(
            event, (ScalarEvent, SequenceStartEvent, MappingStartEvent)
        ):
            raise _YamlProblem(
                f"YAML anchors (&{anchor}) are not allowed in sheets; write the value out",
                _line_of(event),
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _YamlProblem(
                    f"nesting deeper than {MAX_DEPTH} levels is not allowed",
                    _line_of(event),
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1


def _line_of(event: Any) -> int | None:
    mark = getattr(event, "start_mark", None)
    return mark.line + 1 if mark is not None else None


class _StrictConstructor(SafeConstructor):
    """SafeConstructor that refuses duplicate and non-text mapping keys."""

    def construct_object(self, node: Any, deep: bool = False) -> Any:
        try:
            return super().construct_object(node, deep=deep)
        except (ValueError, TypeError, OverflowError):
            # An explicit tag on a value it cannot convert: `!!int abc`.
            raise _YamlProblem(
                f"cannot read {node.tag.rsplit(':', 1)[-1]} value {quote(node.value)}",
                node.start_mark.line + 1,
            ) from None

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            raise ConstructorError(
                None, None, f"expected a mapping, found {node.id}", node.start_mark
            )
        self.flatten_mapping(node)
        seen: dict[Any, int] = {}
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=True)
            line = key_node.start_mark.line + 1
            if not isinstance(key, str):
                raise _YamlProblem(f"mapping key {quote(key)} is not text", line)
            if key in seen:
                raise _YamlProblem(
                    f"duplicate key {quote(key)} (first given on line {seen[key]})", line
                )
            seen[key] = line
        return super().construct_mapping(node, deep=deep)


class _StrictResolver(Resolver):
    """YAML 1.2-style implicit types: no yes/no/on/off booleans, no timestamps."""


# Start from PyYAML's resolvers and drop the two that surprise: YAML 1.1 reads
# `on`, `no`, `yes` as booleans and unquoted dates as date objects.
_StrictResolver.yaml_implicit_resolvers = {
    first: [
        (tag, regexp)
        for tag, regexp in resolvers
        if tag not in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:timestamp")
    ]
    for first, resolvers in Resolver.yaml_implicit_resolvers.items()
}
_StrictResolver.add_implicit_resolver(
    "tag:yaml.org,2002:bool",
    re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"),
    list("tTfF"),
)


class _StrictLoader(
    yaml.reader.Reader,
    yaml.scanner.Scanner,
    yaml.parser.Parser,
    _StrictComposer,
    _StrictConstructor,
    _StrictResolver,
):
    def __init__(self, stream: str) -> None:
        yaml.reader.Reader.__init__(self, stream)
        yaml.scanner.Scanner.__init__(self)
        yaml.parser.Parser.__init__(self)
        _StrictComposer.__init__(self)
        _StrictConstructor.__init__(self)
        _StrictResolver.__init__(self)


_CParser: Any
try:  # libyaml's parser, when PyYAML was built with it: about 4 times faster.
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    _CParser = None

if _CParser is not None:
    # The C parser only produces events; composition (where anchors, aliases
    # and depth are refused) and construction (duplicate keys) stay ours.
    class _FastStrictLoader(_StrictComposer, _CParser, _StrictConstructor, _StrictResolver):
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)
            _StrictComposer.__init__(self)
            _StrictConstructor.__init__(self)
            _StrictResolver.__init__(self)

    _LOADER: type = _FastStrictLoader
else:  # pragma: no cover
    _LOADER = _StrictLoader


class _YamlProblem(Exception):
    def __init__(self, message: str, line: int | None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def parse_yaml(text: str, *, path: str | PathLike[str]) -> Any:
    """Parse YAML text with the strict safe loader described in the module docstring.

    Raises:
        CodingSheetError: For malformed YAML, duplicate keys, anchors or
            aliases, excessive nesting and unsupported tags, naming ``path``
            and the line.
    """
    loader = _LOADER(text)
    # Composing allocates many small objects that form no cycles; the cyclic
    # collector's passes over them cost about half the parse of a large sheet.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return loader.get_single_data()
    except _YamlProblem as problem:
        raise CodingSheetError(_at_line(problem.message, problem.line), path=path) from None
    except ConstructorError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        reason = error.problem or "cannot construct a value"
        if "tag" in reason:
            reason = (
                f"{reason.replace('could not determine a constructor for the', 'unsupported')}; "
                "sheets are plain YAML: Python and other language-specific tags "
                "(such as !!python/object) are refused"
            )
        raise CodingSheetError(_at_line(reason, line), path=path) from None
    except yaml.MarkedYAMLError as error:
        line = error.problem_mark.line + 1 if error.problem_mark else None
        reason = error.problem or str(error)
        context = f" ({error.context})" if error.context else ""
        raise CodingSheetError(
            _at_line(f"not valid YAML: {reason}{context}", line), path=path
        ) from None
    except yaml.YAMLError as error:
        raise CodingSheetError(
            f"not valid YAML: {' '.join(str(error).split())}", path=path
        ) from None
    except (ValueError, TypeError, OverflowError, IndexError) as error:
        # PyYAML's scalar constructors fail so on values they cannot convert (an empty
        # ``!!float`` indexes its first character).
        raise CodingSheetError(f"cannot read a value: {error}", path=path) from None
    finally:
        if collecting:
            gc.enable()
        loader.dispose()


def _at_line(message: str, line: int | None) -> str:
    return f"line {line}: {message}" if line is not None else message


def load_yaml(
    path: str | PathLike[str],
    *,
    max_bytes: int = MAX_SHEET_BYTES,
    folder: str | PathLike[str] | None = None,
) -> Any:
    """Read and parse a YAML file safely (regular file, size limit, strict UTF-8, strict loader).

    Args:
        path: The YAML file.
        max_bytes: Larger files are refused unread.
        folder: The folder the file must be in once symbolic links are
            resolved; default the folder ``path`` names.

    Raises:
        UnreadableFileError: The file is missing, unreadable, not UTF-8, not a
            regular file (a FIFO, a device) or a symbolic link out of its folder.
        CodingSheetError: The file is larger than ``max_bytes`` (refused before
            parsing), or the YAML is malformed or unsafe (see :func:`parse_yaml`).
    """
    data = read_input(path, limit=max_bytes, folder=folder, too_large=_TooLarge)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise UnreadableFileError(
            f"not UTF-8 text (invalid byte at offset {error.start})", path=path
        ) from None
    return parse_yaml(text.removeprefix("\ufeff"), path=path)


class _TooLarge(CodingSheetError):
    # Refused unread, as invalid: no real sheet is this large.
    def __init__(self, message: str, *, path: str | PathLike[str]) -> None:
        super().__init__(f"file is {message} for sheets; split it", path=path)

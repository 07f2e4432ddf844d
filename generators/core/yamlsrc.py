"""Load YAML safely, remember the line of every value, and validate with pydantic.

Plain values are typed by the YAML 1.2 core schema (``010`` is ten, not octal eight;
``yes``/``no``/``on`` stay text), dates as before.  A file that is not UTF-8 but
GB18030/GBK (Notepad on Chinese Windows) is read, with a note.  Errors come back as
InputError with the file, the line and the field path in the clerk's own (Chinese)
key names.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

import generators.core.deps as deps
from generators.core import notes
from generators.core.errors import InputError
from generators.core.safefile import named_file, read_bounded

MAX_YAML_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 40  # the deepest real input (a work plan) is about 10 levels
MAX_NODES = 200_000  # values after aliases are expanded
# Tags the safe loader gives untagged plain data ("=" resolves to value, "<<" to merge;
# both reach the friendlier checks below).
_PLAIN_TAGS = {
    f"tag:yaml.org,2002:{name}"
    for name in ("str", "int", "float", "bool", "null", "timestamp", "map", "seq", "value", "merge")
}
UNWRITABLE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")

Loc = tuple[str | int, ...]


class _CoreLoader(yaml.SafeLoader):
    """YAML 1.2 core schema for plain scalars (bool, int, float, null), plus dates.

    PyYAML implements YAML 1.1, where ``序号: 010`` is octal 8, ``份号: 000012`` is 10
    and ``no`` is false: numbers a clerk types with leading zeros came out different.
    """


_CORE_RESOLVERS = [
    ("tag:yaml.org,2002:bool", r"^(?:true|True|TRUE|false|False|FALSE)$", "tTfF"),
    ("tag:yaml.org,2002:int", r"^(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)$", "-+0123456789"),
    (
        "tag:yaml.org,2002:float",
        r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$",
        "-+0123456789.",
    ),
    ("tag:yaml.org,2002:null", r"^(?:~|null|Null|NULL|)$", ["~", "n", "N", ""]),
]
_CoreLoader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag not in {t for t, _, _ in _CORE_RESOLVERS}]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
for _tag, _pattern, _first in _CORE_RESOLVERS:
    _CoreLoader.add_implicit_resolver(_tag, re.compile(_pattern), list(_first))


def _core_int(loader: yaml.SafeLoader, node: yaml.ScalarNode) -> int:
    text = str(loader.construct_scalar(node))
    if text.startswith(("0o", "0x")):
        return int(text[2:], 8 if text[1] == "o" else 16)
    return int(text, 10)  # leading zeros are decimal


_CoreLoader.add_constructor("tag:yaml.org,2002:int", _core_int)


class WrittenInt(int):
    """A YAML integer typed with leading zeros or a sign (``000012``): text fields such
    as 份号 take it as written, number fields as its value."""

    written: str

    def __new__(cls, value: int, written: str) -> WrittenInt:
        obj = super().__new__(cls, value)
        obj.written = written
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (WrittenInt, (int(self), self.written))


class WrittenFloat(float):
    """A YAML float whose text is not its shortest form (``1.50``), kept as written."""

    written: str

    def __new__(cls, value: float, written: str) -> WrittenFloat:
        obj = super().__new__(cls, value)
        obj.written = written
        return obj

    def __reduce__(self) -> tuple[Any, ...]:
        return (WrittenFloat, (float(self), self.written))


def as_written(value: Any) -> Any:
    """The text a clerk typed for a plain YAML number (``000012``, ``1.50``, ``7``);
    anything else unchanged."""
    if isinstance(value, (WrittenInt, WrittenFloat)):
        return value.written
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


M = TypeVar("M", bound=BaseModel)


class Located:
    """A YAML document as plain Python data plus the line of each path in it."""

    def __init__(self, data: Any, lines: dict[Loc, int], file: Path) -> None:
        self.data = data
        self.lines = lines
        self.file = file

    def line_of(self, loc: Loc) -> int | None:
        """Line of the deepest existing prefix of ``loc`` (1-based)."""
        for n in range(len(loc), -1, -1):
            if loc[:n] in self.lines:
                return self.lines[loc[:n]]
        return None

    def named_file(self, name: str, loc: Loc) -> Path:
        """The existing file ``name`` that this document names at ``loc``: relative to its
        folder and confined to it (``safefile.named_file``); errors give line and field."""
        line, field = self.line_of(loc), field_path(loc)
        path = named_file(self.file, name, line=line, field=field)
        if not path.exists():
            raise InputError(f"文件不存在：{name}", file=self.file, line=line, field=field)
        return path


def read_yaml(path: Path) -> Located:
    path = Path(path)
    deps.note(path)
    raw = read_bounded(path, MAX_YAML_BYTES)  # a regular file, size checked before reading
    text = decode_yaml(raw, path)
    try:
        root = yaml.compose(text, Loader=_CoreLoader)
    except RecursionError:
        raise InputError(f"嵌套层数过多（上限 {MAX_DEPTH} 层）", file=path) from None
    except yaml.reader.ReaderError as exc:
        at = text[: exc.position].count("\n") + 1
        code = ord(exc.character) if isinstance(exc.character, str) else int(exc.character)
        raise InputError(f"含有不允许的控制字符（U+{code:04X}）", file=path, line=at) from None
    except yaml.MarkedYAMLError as exc:
        line, problem = _yaml_error(exc, text)
        raise InputError(f"YAML 格式错误：{problem}", file=path, line=line) from None
    except yaml.YAMLError as exc:
        raise InputError(f"YAML 格式错误：{exc}", file=path) from None
    if root is None:
        raise InputError("文件是空的", file=path)
    lines: dict[Loc, int] = {}
    data = _to_python(root, (), lines, path, [MAX_NODES])
    return Located(data, lines, path)


_YAML_PROBLEMS = {
    "could not find expected ':'": "缺少冒号“:”",
    "mapping values are not allowed here": "此处不能出现“键: 值”（缩进或冒号有误）",
    "found character '\\t' that cannot start any token": "含有制表符（YAML 只能用空格缩进）",
    "did not find expected key": "缩进不一致或缺少键",
    "found undefined alias": "引用了未定义的锚点",
}


def decode_yaml(raw: bytes, path: Path) -> str:
    """UTF-8 (with or without BOM); else GB18030, which covers GBK and GB2312 (what
    Notepad and WPS on Chinese Windows save as "ANSI"), with a note saying so."""
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        utf8_error = exc.start
    if b"\x00" not in raw:  # NUL bytes: binary, or UTF-16, which no clerk's editor saves YAML as
        try:
            text = raw.decode("gb18030")
        except UnicodeDecodeError:
            pass
        else:
            notes.add("不是 UTF-8 编码，已按 GB18030（GBK）读取；建议另存为 UTF-8", file=path)
            return text
    message = f"文件不是 UTF-8 编码（第 {utf8_error} 字节），也不是 GB18030/GBK 编码的文本；请另存为 UTF-8"
    raise InputError(message, file=path)


_FULL_WIDTH_KEY = re.compile(r"^\s*(?:-\s+)?([^\s:：#][^:：#]*?)\s*：")


def _yaml_error(exc: yaml.MarkedYAMLError, text: str) -> tuple[int | None, str]:
    """The line and the Chinese problem.  "could not find expected ':'" is raised at the
    line after the one that lacks the colon (the scanner looks ahead for it): name the
    line where the key began, and say when it holds a full-width colon."""
    mark = exc.problem_mark or exc.context_mark
    problem = _yaml_problem(exc)
    if (exc.problem or "").startswith("could not find expected ':'") and exc.context_mark is not None:
        mark = exc.context_mark
    if mark is None:
        return None, problem
    lines = text.splitlines()
    # A full-width colon after a key on the line named, or on the one before it (a
    # "mapping values are not allowed" error sits on the next key).
    for index in (mark.line, mark.line - 1):
        if 0 <= index < len(lines) and (m := _FULL_WIDTH_KEY.match(lines[index])):
            key = m.group(1)
            return index + 1, f"“{key}”后面是全角冒号“：”，应为半角冒号加空格（{key}: …）"
    return mark.line + 1, problem


def _yaml_problem(exc: yaml.MarkedYAMLError) -> str:
    problem = exc.problem or ""
    for english, chinese in _YAML_PROBLEMS.items():
        if problem.startswith(english):
            return chinese
    return problem or str(exc)


_constructor = _CoreLoader(stream="")


def _check_node(node: yaml.Node, depth: int, budget: list[int], path: Path) -> None:
    """Plain data only: a ``!!python/object`` (or any other explicit) tag is refused,
    not silently read as text; aliases that multiply (billion laughs) or refer to
    themselves run out of the node budget or the depth limit."""
    line = node.start_mark.line + 1
    if node.tag not in _PLAIN_TAGS:
        tag = node.tag.replace("tag:yaml.org,2002:", "!!")
        raise InputError(f"不支持 YAML 标签“{tag}”：输入只能含文字、数字、日期、列表和“键: 值”", file=path, line=line)
    if depth > MAX_DEPTH:
        raise InputError(f"嵌套层数过多（上限 {MAX_DEPTH} 层）", file=path, line=line)
    budget[0] -= 1
    if budget[0] < 0:
        raise InputError(f"内容过多（超过 {MAX_NODES} 项，或锚点“&”/引用“*”展开过多）", file=path, line=line)


def _to_python(node: yaml.Node, loc: Loc, lines: dict[Loc, int], path: Path, budget: list[int]) -> Any:
    _check_node(node, len(loc), budget, path)
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            _check_node(key_node, len(loc) + 1, budget, path)
            key = _checked_text(_scalar(key_node), key_node, path)
            if isinstance(key, (dict, list)) or key is None:
                raise InputError("键必须是文字", file=path, line=key_node.start_mark.line + 1)
            key = str(key)
            if key == "<<":
                raise InputError("不支持 YAML 合并键“<<”", file=path, line=key_node.start_mark.line + 1)
            if key in out:
                raise InputError(f"键“{key}”重复出现", file=path, line=key_node.start_mark.line + 1)
            out[key] = _to_python(value_node, (*loc, key), lines, path, budget)
        return out
    if isinstance(node, yaml.SequenceNode):
        return [_to_python(item, (*loc, i), lines, path, budget) for i, item in enumerate(node.value)]
    return _checked_text(_scalar(node), node, path)


def _checked_text(value: Any, node: yaml.Node, path: Path) -> Any:
    """Escapes such as "\\0" or "\\x01" make characters no document (XML) can hold:
    refuse them here, with the line, rather than fail while writing."""
    if isinstance(value, str) and (bad := UNWRITABLE.search(value)):
        message = f"含有不可见的控制字符或无效字符（U+{ord(bad.group()):04X}），请删除"
        raise InputError(message, file=path, line=node.start_mark.line + 1)
    return value


def _scalar(node: yaml.Node) -> Any:
    if not isinstance(node, yaml.ScalarNode):
        return {} if isinstance(node, yaml.MappingNode) else []
    try:
        value = _constructor.construct_object(node, deep=True)
    except (ValueError, yaml.constructor.ConstructorError):
        # An impossible date such as 2012-02-30 reaches validation as text,
        # where it gets a message naming the field.
        return node.value
    if isinstance(value, bool) or node.style is not None:
        return value
    if isinstance(value, int) and node.value != str(value):
        return WrittenInt(value, node.value)
    if isinstance(value, float) and node.value != str(value):
        return WrittenFloat(value, node.value)
    return value


def validate(model: type[M], located: Located, *, context: dict[str, Any] | None = None) -> M:
    try:
        return model.model_validate(located.data, context=context)
    except ValidationError as exc:
        err = exc.errors(include_url=False)[0]
        loc = _aliased(model, tuple(err["loc"]))
        raise InputError(
            _message(err),
            file=located.file,
            line=located.line_of(loc),
            field=field_path(loc) or "（整个文件）",
        ) from None


def _aliased(model: type[BaseModel], loc: Loc) -> Loc:
    """Errors on a defaulted field (validate_default) name it by its Python name: say the
    key the clerk writes (签发人, not signers), along nested models too."""
    out: list[str | int] = []
    current: Any = model
    for part in loc:
        fields = getattr(current, "model_fields", None) if isinstance(current, type) else None
        if isinstance(part, str) and fields and part in fields:
            info = fields[part]
            out.append(info.alias or part)
            current = info.annotation
        else:
            out.append(part)
            current = None
    return tuple(out)


def field_path(loc: Loc) -> str:
    """How a message names a field: 季度[1].序号 (list positions count from 1)."""
    out = ""
    for part in loc:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def one_line(text: str) -> str:
    """A paragraph is one line: line breaks typed inside a YAML value are dropped."""
    return "".join(part.strip() for part in text.splitlines())


def _message(err: Any) -> str:  # a pydantic ErrorDetails
    kind = err["type"]
    ctx = err.get("ctx") or {}
    given = err.get("input")
    if kind == "missing":
        return "缺少必填项"
    if kind == "extra_forbidden":
        return "未知的键（请检查拼写，或删除这一项）"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"应为整数，实际是“{given}”"
    if kind in ("greater_than", "greater_than_equal"):
        return (
            f"应为大于 {ctx.get('gt', ctx.get('ge'))} 的整数，实际是“{given}”"
            if "gt" in ctx
            else f"不能小于 {ctx.get('ge')}，实际是“{given}”"
        )
    if kind in ("less_than", "less_than_equal"):
        return f"不能大于 {ctx.get('le', ctx.get('lt'))}，实际是“{given}”"
    if kind.startswith("date") or kind.startswith("datetime"):
        return f"不是有效的日期：“{given}”（应写成 2012-06-20 或 2012年6月20日）"
    if kind in ("string_type",):
        return f"应为文字，实际是“{given}”"
    if kind in ("string_too_short", "too_short"):
        return "不能为空"
    if kind in ("list_type",):
        return "应为列表（每项一行，以“- ”开头）"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return "应为一组“键: 值”"
    if kind in ("bool_parsing", "bool_type"):
        return f"应为 是 或 否（也可写 有/无、true/false），实际是“{given}”"
    if kind in ("literal_error", "enum"):
        return f"取值“{given}”无效，可选：{ctx.get('expected', '')}"
    if kind == "value_error":
        msg = str(ctx.get("error", err.get("msg", "")))
        return msg
    return f"{err.get('msg', '取值无效')}（{given!r}）"

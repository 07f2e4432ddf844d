"""Plain-text wording templates that an office may edit (templates/<kind>/*.txt.j2).

Sandboxed, with undefined variables as errors: a typo in a template names the
template, the line and the variable.  Not autoescaped: the output is plain text that
becomes Paragraphs (the PDF renderer escapes it when it enters HTML).
"""

from __future__ import annotations

import contextvars
import re
import string
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from functools import cache
from pathlib import Path
from types import FrameType
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.ext import Extension
from jinja2.sandbox import SandboxedEnvironment
from jinja2.visitor import NodeTransformer

from generators.core.errors import InputError

MAX_PRODUCT = 100_000  # characters or items a template may build by multiplication
MAX_OUTPUT = 200_000  # characters one render may produce (a whole book's unit text is ~3,000)
MAX_STRING = MAX_OUTPUT  # characters of any string or list built along the way
MAX_STEPS = 200_000  # loop iterations plus calls in one render
MAX_SECONDS = 5.0  # wall time of one render
MAX_INCLUDE_DEPTH = 10  # templates including templates
MAX_INT_DIGITS = 4300  # Python's own int-to-str limit, kept even if the environment lifts it
MAX_WIDTH = 1000  # a width or precision in a format spec (%10d, {:>20})

# Widths and precisions in printf-style (%010000000d, %.*f) and str.format ({:0>9999}) specs.
_PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?[hlL]?[a-zA-Z%]")
_SAFE_FILTERS = (
    "join length count first last upper lower trim title capitalize default d round int float string "
    "replace list sort unique reverse sum min max abs truncate wordcount select reject map selectattr "
    "rejectattr batch slice center indent format wordwrap striptags"
).split()


class _Budget:
    """What one render may still spend."""

    def __init__(self) -> None:
        self.steps = MAX_STEPS
        self.deadline = time.monotonic() + MAX_SECONDS

    def spend(self, n: int = 1) -> None:
        self.steps -= n
        if self.steps < 0:
            raise SecurityError(f"循环或调用次数超过上限（{MAX_STEPS} 次）")
        if time.monotonic() > self.deadline:
            raise SecurityError(f"运行时间超过上限（{MAX_SECONDS:g} 秒）")


_budget: contextvars.ContextVar[_Budget | None] = contextvars.ContextVar("template_budget", default=None)


def _spend(n: int = 1) -> None:
    budget = _budget.get()
    if budget is not None:
        budget.spend(n)


def _budget_iter(iterable: Any) -> Iterator[Any]:
    """Every ``{% for %}`` loops through this: each iteration costs a step."""
    for item in iterable:
        _spend()
        yield item


def _size(value: Any) -> int:
    return len(value) if isinstance(value, (str, list, tuple, dict, set, frozenset, bytes)) else 0


def _check_size(value: Any, what: str = "生成的内容") -> Any:
    if _size(value) > MAX_STRING:
        raise SecurityError(f"{what}过长（超过 {MAX_STRING} 个字符或项）")
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > MAX_INT_DIGITS * 3.33:
        raise SecurityError(f"数字过大（超过 {MAX_INT_DIGITS} 位）")
    return value


def _check_args(args: Iterable[Any]) -> None:
    """Arguments that ask for huge output (a width of 10**9 for center, ljust, zfill,
    indent, expandtabs …) are refused before the call."""
    for arg in args:
        if isinstance(arg, int) and not isinstance(arg, bool) and abs(arg) > MAX_PRODUCT:
            raise SecurityError(f"参数 {arg} 过大（上限 {MAX_PRODUCT}）")


def _join_size(items: Any, sep: Any) -> int:
    if not isinstance(items, (list, tuple)):
        return 0
    return sum(_size(x) if isinstance(x, str) else 16 for x in items) + _size(sep) * len(items)


def _check_percent(fmt: str) -> None:
    for m in _PERCENT_SPEC.finditer(fmt):
        for group in m.groups():
            if group == "*":
                raise SecurityError("格式中不能用“*”指定宽度或精度")
            if group and int(group) > MAX_WIDTH:
                raise SecurityError(f"格式中的宽度或精度 {group} 过大（上限 {MAX_WIDTH}）")


def _check_format(fmt: str) -> None:
    try:
        fields = list(string.Formatter().parse(fmt))
    except ValueError:
        return  # str.format itself reports it
    for _literal, _name, spec, _conversion in fields:
        if not spec:
            continue
        if "{" in spec:
            raise SecurityError("格式中不能用“{}”嵌套指定宽度或精度")
        for number in re.findall(r"\d+", spec):
            if int(number) > MAX_WIDTH:
                raise SecurityError(f"格式中的宽度或精度 {number} 过大（上限 {MAX_WIDTH}）")


def _guarded_filter(name: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def guarded(*args: Any, **kwargs: Any) -> Any:
        _spend()
        values = [a for a in args if not isinstance(a, (jinja2.runtime.Context, jinja2.nodes.EvalContext))]
        _check_args([*values[1:], *kwargs.values()])
        if name == "join" and values:
            sep = values[1] if len(values) > 1 else kwargs.get("d", "")
            if _join_size(values[0], sep) > MAX_STRING:
                raise SecurityError(f"join 生成的内容过长（超过 {MAX_STRING} 个字符）")
        if name == "replace" and len(values) >= 3 and isinstance(values[0], str):
            _check_replace(values[0], values[1], values[2])
        if name == "format" and values and isinstance(values[0], str):
            _check_percent(values[0])
        return _check_size(func(*args, **kwargs), f"过滤器 {name} 生成的内容")

    for attr in ("jinja_pass_arg", "__name__", "__doc__"):
        if hasattr(func, attr):
            setattr(guarded, attr, getattr(func, attr))
    return guarded


def _check_replace(text: str, old: Any, new: Any) -> None:
    if isinstance(old, str) and isinstance(new, str) and len(new) > len(old):
        growth = (len(text) // max(len(old), 1) + 1) * (len(new) - len(old))
        if len(text) + growth > MAX_STRING:
            raise SecurityError(f"replace 生成的内容过长（超过 {MAX_STRING} 个字符）")


def _budget_concat(*parts: Any) -> str:
    """``a ~ b``: refused before joining when the result would be too long."""
    texts = [part if isinstance(part, str) else str(part) for part in parts]
    if sum(len(t) for t in texts) > MAX_STRING:
        raise SecurityError(f"“~”连接生成的内容过长（超过 {MAX_STRING} 个字符）")
    return "".join(texts)


class _Metered(NodeTransformer):
    """Route every ``{% for %}`` through _budget_iter and every ``~`` through
    _budget_concat: neither goes through a sandbox hook of its own."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        self.generic_visit(node)
        node.iter = nodes.Call(nodes.Name("_budget_iter", "load"), [node.iter], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        return nodes.Call(nodes.Name("_budget_concat", "load"), list(node.nodes), [], None, None, lineno=node.lineno)


class _BoundedSandbox(SandboxedEnvironment):
    """jinja2's sandbox limits attribute access and range(), not the cost of a render.
    This one also bounds it: a step budget (every loop iteration and call), a wall-time
    budget, an output cap, sizes of strings, lists and integers built by operators,
    filters and methods, widths in format specs, and the depth of includes."""

    intercepted_binops = frozenset(["*", "**", "+", "%", "//", "/"])

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self.filters = {name: _guarded_filter(name, self.filters[name]) for name in _SAFE_FILTERS}
        self.globals["_budget_iter"] = _budget_iter
        self.globals["_budget_concat"] = _budget_concat

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        return _Metered().visit(super()._parse(source, name, filename))

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        _spend()
        if operator == "**" and isinstance(right, (int, float)) and isinstance(left, (int, float)):
            if abs(right) > 1000:
                raise SecurityError(f"乘方的指数过大（{right}，上限 1000）")
            if isinstance(left, int) and isinstance(right, int) and right > 0:
                if max(left.bit_length(), 1) * right > MAX_INT_DIGITS * 3.33:
                    raise SecurityError(f"乘方的结果过大（超过 {MAX_INT_DIGITS} 位）")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_PRODUCT:
                    raise SecurityError(f"乘法生成的内容过长（超过 {MAX_PRODUCT}）")
            if isinstance(left, int) and isinstance(right, int):
                if left.bit_length() + right.bit_length() > MAX_INT_DIGITS * 3.33:
                    raise SecurityError(f"乘法的结果过大（超过 {MAX_INT_DIGITS} 位）")
        if operator == "%" and isinstance(left, str):
            _check_percent(left)
        if operator == "+" and _size(left) + _size(right) > MAX_STRING:
            raise SecurityError(f"加法生成的内容过长（超过 {MAX_STRING} 个字符或项）")
        return _check_size(super().call_binop(context, operator, left, right))

    def call(__self, __context: Any, __obj: Any, *args: Any, **kwargs: Any) -> Any:
        _spend()
        owner = getattr(__obj, "__self__", None)
        if isinstance(owner, (str, list, tuple, dict)):
            _check_args([*args, *kwargs.values()])
            name = getattr(__obj, "__name__", "")
            if name == "join" and args and _join_size(args[0], owner) > MAX_STRING:
                raise SecurityError(f"join 生成的内容过长（超过 {MAX_STRING} 个字符）")
            if name == "replace" and len(args) >= 2 and isinstance(owner, str):
                _check_replace(owner, args[0], args[1])
        return _check_size(super().call(__context, __obj, *args, **kwargs))

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is not None and isinstance(getattr(value, "__self__", None), str):
            _check_format(value.__self__)
        return wrapped

    def get_template(self, name: Any, parent: str | None = None, globals: Any = None) -> jinja2.Template:
        if _budget.get() is not None and _include_depth(self) >= MAX_INCLUDE_DEPTH:
            raise SecurityError(f"模板嵌套引用（include）过深（上限 {MAX_INCLUDE_DEPTH} 层），是否引用了自身？")
        return super().get_template(name, parent, globals)


def _include_depth(env: jinja2.Environment) -> int:
    """How many templates of ``env`` are being rendered on this call stack."""
    depth = 0
    frame: FrameType | None = sys._getframe(1)
    while frame is not None:
        if frame.f_code.co_name == "root" and frame.f_globals.get("environment") is env:
            depth += 1
        frame = frame.f_back
    return depth


def render_bounded(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render within the budget, streaming so the output cap holds as it grows.
    Breaches are SecurityError (a jinja2 TemplateError) with the limit in the message."""
    if sys.get_int_max_str_digits() == 0 or sys.get_int_max_str_digits() > MAX_INT_DIGITS:
        sys.set_int_max_str_digits(MAX_INT_DIGITS)
    token = _budget.set(_Budget())
    try:
        parts: list[str] = []
        size = 0
        for part in template.generate(**context):
            size += len(part)
            if size > MAX_OUTPUT:
                raise SecurityError(f"生成的文字过长（超过 {MAX_OUTPUT} 个字符）")
            parts.append(part)
        return "".join(parts)
    except RecursionError:
        raise SecurityError("递归或嵌套过深（宏或 include 调用自身？）") from None
    except ValueError as exc:
        if "digits" in str(exc):  # int-to-str limit
            raise SecurityError(f"数字过长，无法写出（超过 {MAX_INT_DIGITS} 位）") from None
        raise
    finally:
        _budget.reset(token)


# A template file's own placeholder lines ([[主要指标表]]) are marked with a character no
# input can hold (yamlsrc refuses control characters), so the same words typed by a
# clerk into a field stay text and never become a second table.
PLACEHOLDER = "\x1f"  # not a line break for str.splitlines (\x1c-\x1e are)
_PLACEHOLDER_LINE = re.compile(r"^([ \t]*)\[\[([^\[\]\n]+)\]\][ \t]*$", re.MULTILINE)


class _Placeholders(Extension):
    def preprocess(self, source: str, name: str | None, filename: str | None = None) -> str:
        if name is None:  # a clerk's 句式 (from_string): its [[…]] is text
            return source
        return _PLACEHOLDER_LINE.sub(lambda m: f"{m[1]}{PLACEHOLDER}{m[2]}{PLACEHOLDER}", source)


def placeholder(line: str) -> str | None:
    """The name of a template placeholder line, or None for any other line."""
    if len(line) > 2 and line[0] == PLACEHOLDER and line[-1] == PLACEHOLDER:
        return line[1:-1]
    return None


@cache
def sandboxed_env(folder: Path) -> SandboxedEnvironment:
    return _BoundedSandbox(
        extensions=[_Placeholders],
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_file(folder: Path, name: str, **context: Any) -> str:
    """Render one template file; a broken template is an InputError naming it."""
    try:
        return render_bounded(sandboxed_env(folder).get_template(name), context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"模板有误：{exc.message}", file=folder / name, line=exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise InputError(f"模板有误：{exc.message}", file=folder / name, line=_template_line(exc)) from None
    except jinja2.TemplateError as exc:  # SecurityError from the sandbox, among others
        raise InputError(f"模板有误：{exc}", file=folder / name, line=_template_line(exc)) from None
    except (OverflowError, MemoryError, ValueError, TypeError, ArithmeticError, LookupError) as exc:
        message = "计算量过大" if isinstance(exc, (OverflowError, MemoryError)) else f"{type(exc).__name__}：{exc}"
        raise InputError(f"模板有误：{message}", file=folder / name, line=_template_line(exc)) from None


def _template_line(exc: BaseException) -> int | None:
    """The template line of a render-time error, from jinja2's rewritten traceback."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line

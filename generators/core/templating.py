"""Plain-text wording templates that an office may edit (templates/<kind>/*.txt.j2).

Sandboxed, with undefined variables as errors: a typo in a template names the
template, the line and the variable.  Not autoescaped: the output is plain text that
becomes Paragraphs (the PDF renderer escapes it when it enters HTML).
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import SandboxedEnvironment

from .errors import InputError

MAX_PRODUCT = 100_000  # characters or items a template may build by multiplication


class _BoundedSandbox(SandboxedEnvironment):
    """jinja2's sandbox limits range() but not ``"x" * 10**12`` or ``9 ** 9 ** 9``, either
    of which would exhaust memory or time before an error could be reported."""

    intercepted_binops = frozenset(["*", "**"])

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 1000:
            raise SecurityError(f"乘方的指数过大（{right}）")
        if operator == "*":
            for seq, times in ((left, right), (right, left)):
                if isinstance(seq, (str, list, tuple)) and isinstance(times, int) and len(seq) * times > MAX_PRODUCT:
                    raise SecurityError(f"乘法生成的内容过长（超过 {MAX_PRODUCT}）")
        return super().call_binop(context, operator, left, right)


@cache
def sandboxed_env(folder: Path) -> SandboxedEnvironment:
    return _BoundedSandbox(
        loader=jinja2.FileSystemLoader(folder),
        undefined=jinja2.StrictUndefined,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def render_file(folder: Path, name: str, **context: Any) -> str:
    """Render one template file; a broken template is an InputError naming it."""
    try:
        return sandboxed_env(folder).get_template(name).render(**context)
    except jinja2.TemplateSyntaxError as exc:
        raise InputError(f"模板有误：{exc.message}", file=folder / name, line=exc.lineno) from None
    except jinja2.UndefinedError as exc:
        raise InputError(f"模板有误：{exc.message}", file=folder / name, line=_template_line(exc)) from None
    except jinja2.TemplateError as exc:  # SecurityError from the sandbox, among others
        raise InputError(f"模板有误：{exc}", file=folder / name, line=_template_line(exc)) from None
    except (OverflowError, MemoryError):
        raise InputError("模板有误：计算量过大", file=folder / name) from None


def _template_line(exc: BaseException) -> int | None:
    """The template line of a render-time error, from jinja2's rewritten traceback."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename.endswith(".j2"):
            line = tb.tb_lineno
        tb = tb.tb_next
    return line

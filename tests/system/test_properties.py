"""Property tests (issue 7): whatever the input, the target-phrase parser, the heading
recogniser and the input loaders end in a valid result or in an InputError with a
message — never another exception.  Fixed seed and 500 examples each, so CI runs the
same cases every time."""

from __future__ import annotations

import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from decimal import Decimal
from functools import cache
from pathlib import Path

import pytest
from conftest import ROOT
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from generators.core.errors import InputError
from generators.core.safefile import allowed_roots
from generators.core.yamlsrc import read_yaml, validate
from generators.document.numbering import heading_level, split_heading
from generators.indicators.targets import Target, parse_target, phrase
from generators.kinds.circular import CircularIn, build_circular

SETTINGS = settings(
    max_examples=500,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
SAMPLE = ROOT / "sample_inputs"
CIRCULAR = (SAMPLE / "circulars" / "2012-02_work_plan_circular.yaml").read_text(encoding="utf-8")
Q1_CSV = (SAMPLE / "2012" / "results" / "2012Q1.csv").read_text(encoding="utf-8-sig")


def _message_ok(exc: InputError) -> None:
    """An InputError must say something, in Chinese, and print without failing."""
    assert str(exc).strip() and exc.message.strip()
    assert any("\u4e00" <= ch <= "\u9fff" for ch in exc.message), exc.message


# --- target phrases -------------------------------------------------------------------------

LEADS = ["", "达", "达到", "≥", ">=", "＞", "不低于", "控制在", "保持在", "低于", "<", "高于", "为", "=", "≤", "降至"]
TAILS = ["", "以上", "及以上", "以下", "以内", "或以下", "。", "，"]
UNITS = ["%", "％", "‰", "/10万", "／10万", "/100000", "人", "例", "", "%%"]
NUMBERS = st.one_of(
    st.integers(min_value=0, max_value=10**6).map(str),
    st.decimals(min_value=0, max_value=1000, allow_nan=False, allow_infinity=False, places=3).map(str),
    st.sampled_from(["", ".5", "5.", "1e3", "-3", "０９５", "95.5.5", "NaN", "Infinity"]),
)
PHRASES = st.one_of(
    st.text(max_size=40),
    st.builds(
        lambda *parts: "".join(parts),
        st.sampled_from(LEADS),
        NUMBERS,
        st.sampled_from(UNITS),
        st.sampled_from(TAILS),
        st.sampled_from(["", " ", "\u3000", "x", "、95%"]),
    ),
)


@SETTINGS
@given(text=PHRASES, better=st.sampled_from([None, "higher", "lower"]))
def test_target_parser_total(text: str, better: str | None) -> None:
    try:
        target = parse_target(text, better=better)  # type: ignore[arg-type]
    except InputError as exc:
        event("refused")
        _message_ok(exc)
        assert "无法识别的目标值" in exc.message
        return
    assert isinstance(target, Target)
    assert target.comparator in (">=", ">", "<=", "<", "==")
    assert target.unit in ("%", "‰", "/10万")
    assert target.value.is_finite() and target.value >= 0
    # Every way of writing it back parses to the same target.
    for style in ("compact", "seed", "long"):
        again = parse_target(phrase(target, style))  # type: ignore[arg-type]
        assert (again.comparator, again.value, again.unit) == (target.comparator, target.value, target.unit), style


def test_target_parser_examples() -> None:
    t = parse_target("控制在5/10万以下")
    assert (t.comparator, t.value, t.unit) == ("<=", Decimal(5), "/10万")
    assert parse_target("100%", better="lower").comparator == "<="


# --- heading numbers ------------------------------------------------------------------------

NUMBERED = st.builds(
    lambda lead, head, rest: lead + head + rest,
    st.sampled_from(["", " ", "\u3000", "\t"]),
    st.sampled_from(
        ["一、", "十二、", "（一）", "(三)", "1.", "2、", "3．", "12 ", "（1）", "(10)", "⑴", "①", "1.5倍", "2012年"]
    ),
    st.text(max_size=30),
)


@SETTINGS
@given(text=st.one_of(st.text(max_size=60), NUMBERED))
def test_heading_recogniser_total(text: str) -> None:
    level = heading_level(text)
    assert level in (0, 1, 2, 3, 4)
    head, rest = split_heading(text, level)
    assert head + rest == text
    if level not in (1, 2):
        assert head == ""
    stripped = text.lstrip(" \u3000\t")
    if stripped.startswith(("一、", "十二、")):
        assert level == 1
    elif stripped.startswith(("（一）", "(三)")):
        assert level == 2
    elif stripped.startswith(("1.5倍", "2012年", "①")):
        assert level == 0


# --- YAML input → validated circular ------------------------------------------------------


@pytest.fixture(scope="module")
def scratch() -> Iterator[Path]:
    """A folder laid out like sample_inputs/, so an unedited circular finds its attachment."""
    with tempfile.TemporaryDirectory() as folder:
        shutil.copytree(SAMPLE / "2012", Path(folder) / "2012")
        (Path(folder) / "circulars").mkdir()
        with allowed_roots([Path(folder)]):  # as `build --allow FOLDER`: the circular attaches ../2012/
            yield Path(folder)


EDITS = st.lists(
    st.tuples(
        st.floats(min_value=0, max_value=1),
        st.integers(min_value=0, max_value=12),  # characters removed
        st.one_of(
            st.text(max_size=12),
            st.sampled_from(
                [
                    ":",
                    "\n",
                    "  ",
                    "\t",
                    "- ",
                    "[",
                    "{",
                    "&a ",
                    "*a",
                    "!!python/object:os.system ",
                    "!!binary ",
                    '"\\0"',
                    "<<: ",
                    "序号: 0\n",
                    "成文日期: 2012-02-30\n",
                    "附件:\n  - 标题: x\n    文件: /etc/passwd\n",
                    "\ufeff",
                ]
            ),
        ),
    ),
    max_size=4,
)


def _edit(text: str, edits: list[tuple[float, int, str]]) -> str:
    for where, cut, insert in edits:
        at = int(where * len(text))
        text = text[:at] + insert + text[at + cut :]
    return text


@SETTINGS
@given(edits=EDITS, raw=st.one_of(st.none(), st.binary(max_size=200)))
def test_circular_loader_total(scratch: Path, edits: list[tuple[float, int, str]], raw: bytes | None) -> None:
    path = scratch / "circulars" / "input.yaml"
    if raw is None:
        path.write_text(_edit(CIRCULAR, edits), encoding="utf-8", errors="surrogatepass")
    else:
        path.write_bytes(raw)
    try:
        located = read_yaml(path)
        if not isinstance(located.data, dict):
            return  # build.load_jobs refuses a non-mapping top level itself
        spec = validate(CircularIn, located)
        doc = build_circular(spec, located)
    except InputError as exc:
        event("refused")
        _message_ok(exc)
        assert exc.file is not None
        return
    assert doc.title_lines and all(isinstance(line, str) for line in doc.title_lines)


def test_unedited_circular_loads(scratch: Path) -> None:
    """The edits start from an input that loads, so valid results are reachable."""
    path = scratch / "circulars" / "plain.yaml"
    path.write_text(CIRCULAR, encoding="utf-8")
    located = read_yaml(path)
    assert build_circular(validate(CircularIn, located), located).attachments


# --- CSV results ----------------------------------------------------------------------------


@cache
def _setup() -> tuple:
    from generators.indicators.dictionary import default_dictionary
    from generators.indicators.model import required_counts
    from generators.indicators.period import Period
    from generators.kinds.supervision import book_targets
    from generators.kinds.target_book import load_book

    book = load_book(SAMPLE / "2012" / "target_book.yaml")
    dictionary = default_dictionary()
    indicators = [dictionary.indicators[code] for code in book_targets(book)]
    return Period(2012, 1), list(book.units), required_counts(dictionary, indicators), indicators


ROWS = list(csv.reader(io.StringIO(Q1_CSV)))
CELL_VALUES = st.one_of(
    st.integers(min_value=-5, max_value=10**12).map(str),
    st.text(max_size=10),
    st.sampled_from(["", " ", "=1+1", "+1", "1,234", "1.0", "1.5", "1e3", "1e308", "NaN", "０", "赣榆所", "#"]),
)
CSV_EDITS = st.lists(
    st.tuples(st.integers(min_value=0, max_value=len(ROWS) + 1), st.integers(min_value=0, max_value=40), CELL_VALUES),
    max_size=5,
)


@SETTINGS
@given(
    edits=CSV_EDITS,
    drop=st.sets(st.integers(min_value=0, max_value=len(ROWS) - 1), max_size=2),
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    raw=st.one_of(st.none(), st.binary(max_size=300)),
)
def test_csv_reader_total(
    scratch: Path, edits: list[tuple[int, int, str]], drop: set[int], encoding: str, raw: bytes | None
) -> None:
    from generators.sheets.forms_read import read_results

    period, units, counts, indicators = _setup()
    rows = [list(r) for i, r in enumerate(ROWS) if i not in drop]
    for r, c, value in edits:
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        while len(row) <= c:
            row.append("")
        row[c] = value
    path = scratch / "results.csv"
    if raw is None:
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\n").writerows(rows)
        path.write_bytes(buffer.getvalue().encode(encoding, errors="replace"))
    else:
        path.write_bytes(raw)
    try:
        results = read_results(path, period, units, counts, indicators)
    except InputError as exc:
        event("refused")
        _message_ok(exc)
        assert exc.file == path
        return
    assert list(results.counts) == [u.name for u in units]
    for values in results.counts.values():
        assert all(v is None or (isinstance(v, int) and 0 <= v <= 10**9) for v in values.values())


# --- file paths an input names (issue 18) ----------------------------------------------------


@pytest.fixture(scope="module")
def tree() -> Iterator[Path]:
    """in/ (the input's folder, with a file, a subfolder, links in and out, a FIFO) beside
    outside.txt; every path a strategy builds is tried against it."""
    import os

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        inside = root / "in"
        (inside / "sub").mkdir(parents=True)
        (inside / "a.txt").write_text("内\n", encoding="utf-8")
        (inside / "sub" / "b.txt").write_text("内\n", encoding="utf-8")
        (root / "outside.txt").write_text("外\n", encoding="utf-8")
        (inside / "out_link.txt").symlink_to(root / "outside.txt")
        (inside / "in_link.txt").symlink_to(inside / "a.txt")
        (inside / "up").symlink_to(root, target_is_directory=True)
        (inside / "loop").symlink_to(inside / "loop")
        (inside / "zero.txt").symlink_to("/dev/zero")
        os.mkfifo(inside / "pipe.txt")
        (inside / "input.yaml").write_text("x: 1\n", encoding="utf-8")
        yield root


PATH_PARTS = st.sampled_from(
    [
        "..",
        ".",
        "",
        "in",
        "sub",
        "up",
        "loop",
        "a.txt",
        "b.txt",
        "outside.txt",
        "out_link.txt",
        "in_link.txt",
        "zero.txt",
        "pipe.txt",
        "~",
        "C:",
        "etc",
        "passwd",
        "x\x00y",
        "%2e%2e",
        "…",
        "con",
    ]
)
FILE_PATHS = st.tuples(
    st.sampled_from(["", "/", "\\", "//", "C:\\", "~/", "file:", "./"]),
    st.lists(st.one_of(PATH_PARTS, st.text(max_size=4)), min_size=1, max_size=6),
    st.sampled_from(["/", "\\", "//"]),
).map(lambda t: t[0] + t[2].join(t[1]))


@SETTINGS
@given(name=FILE_PATHS)
def test_named_files_stay_in_the_input_folder(tree: Path, name: str) -> None:
    """Whatever path an input writes, the file is inside its folder tree (links
    followed) and a regular file of bounded size, or the answer is an InputError."""
    from generators.core.safefile import named_file, read_bounded

    source = tree / "in" / "input.yaml"
    with allowed_roots([]):  # no --allow: only the input's own folder
        try:
            path = named_file(source, name, line=3, field="附件[1].文件")
            data = read_bounded(path, 1024, file=source, line=3)
        except InputError as exc:
            event("refused")
            _message_ok(exc)
            assert exc.file == source and exc.line == 3
            return
    event("read")
    assert path.is_relative_to((tree / "in").resolve())
    assert data == "内\n".encode()


# --- template text: 句式 and office templates run within a budget (issue 18) ---------------------

TEMPLATE_PARTS = st.sampled_from(
    [
        "{{ ",
        " }}",
        "{% ",
        " %}",
        "{% for i in range(",
        ") %}",
        "{% endfor %}",
        "{% if ",
        "{% endif %}",
        "{% set ns = namespace(s='x') %}",
        "{% set ns.s = ns.s ~ ns.s %}",
        "{% set ns.s = ns.s + ns.s %}",
        "{% macro f() %}{{ f() }}{% endmacro %}",
        "{{ f() }}",
        "目标",
        "{{ 目标 }}",
        "{{ 目标[0] }}",
        "年份",
        "*",
        "**",
        "+",
        "~",
        "%",
        "//",
        "/",
        "(",
        ")",
        "[",
        "]",
        ",",
        "'x'",
        "'%0999999d'",
        "'%.*f'",
        "'{:>99999}'",
        ".format(",
        "|center(",
        "|join",
        "|join('y')",
        "|replace('', 'zz')",
        "|indent(",
        "|format(",
        "|list",
        "|length",
        ".ljust(",
        ".zfill(",
        "10",
        "1000",
        "100000",
        "10**9",
        "9",
        "range(100000)",
        "'x' * 100000",
        "__class__",
        "ns.s",
        "0",
        "-1",
        "{% include 'unit.txt.j2' %}",
    ]
)
TEMPLATE_TEXT = st.lists(st.one_of(TEMPLATE_PARTS, st.text(max_size=3)), max_size=14).map("".join)


@SETTINGS
@given(source=TEMPLATE_TEXT)
def test_template_text_is_bounded(source: str) -> None:
    """Any 句式 renders to bounded text or fails with an error the book loader turns into
    a Chinese message with its line; never a hang, a huge string or a stray exception."""
    import jinja2

    from generators.core.templating import MAX_OUTPUT, render_bounded, sandboxed_env
    from generators.kinds.target_wording import BOOK_TEMPLATES

    env = sandboxed_env(BOOK_TEMPLATES)
    try:
        text = render_bounded(env.from_string(source), {"目标": ["甲", "乙"], "年份": 2012, "集团": "集团"})
    except (jinja2.TemplateError, ValueError, TypeError, ArithmeticError, LookupError, OverflowError):
        event("refused")  # each of these the 句式 loader reports (target_book._sentence)
        return
    event("rendered")
    assert isinstance(text, str) and len(text) <= MAX_OUTPUT

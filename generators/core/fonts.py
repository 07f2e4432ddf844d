"""Font roles of GB/T 9704 and the open faces they resolve to through fontconfig.

Documents name the office faces (仿宋_GB2312 …) so they look right in Word/WPS; the
project's fonts/fonts.conf aliases those names to open faces for the PDF renderer and
LibreOffice.  ``configure()`` must run before weasyprint (pango) first touches fontconfig.
"""

from __future__ import annotations

import os
import re
import subprocess
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from generators.core import fontcache
from generators.core.charsets import big5_common_characters, gb2312_characters
from generators.core.errors import InputError
from generators.core.paths import FONTS_CONF

# role → (standard face name, what the role is for)
ROLES: dict[str, tuple[str, str]] = {
    "title": ("方正小标宋简体", "标题、发文机关标志"),
    "body": ("仿宋_GB2312", "正文、三级和四级标题、版记"),
    "heading1": ("黑体", "一级标题、附件标识、密级和紧急程度"),
    "heading2": ("楷体_GB2312", "二级标题、签发人姓名"),
    "page_number": ("宋体", "页码"),
    "latin": ("Times New Roman", "数字和西文"),
}
CJK_ROLES = ("title", "body", "heading1", "heading2", "page_number")
# Text the PDF sets in the Latin face (Times New Roman) whatever the role: digits and
# letters with what joins them, and a sign in front (−0.35: the CJK faces lack U+2212).
LATIN_RUN = re.compile(r"[\u2212+]?[0-9A-Za-z][0-9A-Za-z.,:/%\-+ ]*[0-9A-Za-z%]|[\u2212+]?[0-9A-Za-z]")


def configure() -> Path:
    """Point fontconfig at the project's configuration (unless the user set one),
    with the pre-subset faces first when their cache has been made."""

    os.environ.setdefault("FONTCONFIG_FILE", str(fontcache.active_conf() or FONTS_CONF))
    return Path(os.environ["FONTCONFIG_FILE"])


def pdf_speed_warnings() -> list[str]:
    """What makes PDFs slow on this machine, in the user's words (empty: nothing)."""

    configure()  # before weasyprint loads fontconfig
    from weasyprint.text.ffi import harfbuzz, harfbuzz_subset

    warnings = []

    if harfbuzz_subset is None or not harfbuzz.hb_version_atleast(4, 1, 0):
        # weasyprint then subsets fonts with fontTools: about 10 s for a 6-page 通报
        # instead of 0.5 s (measured with the full faces, benchmarks/bench_year.py).
        warnings.append(
            "未找到 HarfBuzz 字体裁剪库（libharfbuzz-subset0，4.1 以上），WeasyPrint 改用 fontTools 裁剪字体，"
            "每份 PDF 慢约 20 倍。请安装：apt-get install libharfbuzz-subset0"
        )
    if fontcache.active_conf() is None:
        warnings.append("尚未生成预裁剪字体缓存，PDF 较慢、较大；运行一次：make_reports.py fonts --cache（约一分钟）")
    return warnings


@dataclass(frozen=True)
class ResolvedFace:
    role: str
    standard_name: str
    family: str
    style: str
    file: Path
    index: int


def resolve(role: str) -> ResolvedFace:
    """Ask fontconfig which file serves ``role``'s standard face name."""
    configure()
    family, style, file, index = (_fc_match(_pattern(role)) or [("", "", Path(), 0)])[0]
    return ResolvedFace(role, ROLES[role][0], family, style, file, index)


# Python's codec maps GB2312 A1AA to U+2015; fonts carry it as U+2014 (一字线).
_EQUIVALENT = {"\u2015": "\u2014"}


@cache
def _cmap(file: Path, index: int) -> frozenset[int]:
    from fontTools.ttLib import TTFont

    return frozenset(TTFont(file, fontNumber=index, lazy=True).getBestCmap())


def missing_characters(face: ResolvedFace, text: str) -> str:
    """Characters of ``text`` the face has no glyph for."""
    cmap = _cmap(face.file, face.index)
    missing = []
    for ch in dict.fromkeys(text):
        if ord(ch) in cmap or ch.isspace():
            continue
        alt = _EQUIVALENT.get(ch)
        if alt and ord(alt) in cmap:
            continue
        missing.append(ch)
    return "".join(missing)


def check_roles() -> list[tuple[ResolvedFace, str]]:
    """Resolve every role and list what each CJK face lacks of GB2312.

    Raises InputError when a CJK role has no face that covers GB2312, which is what
    happens when the substitute fonts are not installed (fontconfig then falls back
    to whatever it has, often a face of another script).
    """
    report = []
    problems = []
    for role in ROLES:
        face = resolve(role)
        missing = missing_characters(face, gb2312_characters()) if role in CJK_ROLES else ""
        report.append((face, missing))
        if role in CJK_ROLES and len(missing) > 0:
            problems.append(
                f"{ROLES[role][0]}（{ROLES[role][1]}）解析为 {face.family}（{face.file}），"
                f"缺少 GB2312 字符 {len(missing)} 个，如“{missing[:10]}”"
            )
        elif not face.file.exists():
            problems.append(f"{ROLES[role][0]} 没有可用的字体文件")
    if problems:
        raise InputError(
            "字体不全，无法按 GB/T 9704 排版：\n  "
            + "\n  ".join(problems)
            + "\n请运行 bash tasks.sh setup 安装 fonts-noto-cjk、texlive-lang-chinese、fonts-liberation2、"
            "fonts-cwtex-fs 和 fonts-arphic-ukai。"
        )
    return report


def _fc_match(pattern: str, *, conf: Path | None = None, sort: bool = False) -> list[tuple[str, str, Path, int]]:
    """(family, style, file, index) of the face fontconfig picks for ``pattern`` (with
    ``sort``: every face, in the order it would try them)."""
    env = {**os.environ, "FONTCONFIG_FILE": str(conf)} if conf else None
    args = ["fc-match", *(["-s"] if sort else []), "-f", "%{family[0]}\t%{style[0]}\t%{file}\t%{index}\n", pattern]
    try:
        out = subprocess.run(args, check=True, capture_output=True, text=True, timeout=30, env=env).stdout
    except FileNotFoundError as exc:
        raise InputError("找不到 fc-match 命令：请先安装 fontconfig（bash tasks.sh setup）") from exc
    faces = []
    for line in out.splitlines():
        family, style, file, index = [*line.split("\t"), "", "", "", "0"][:4]
        if file:
            faces.append((family, style, Path(file), int(index or 0)))
    return faces


def _pattern(role: str) -> str:
    name = ROLES[role][0]
    return f"{name}:weight=bold" if role == "title" else name


@cache
def design_face(role: str) -> ResolvedFace:
    """The open face a role is designed around (FandolFang for 仿宋 …), from the
    project's plain configuration: the pre-subset faces are cuts of these."""
    family, _, file, index = _fc_match(_pattern(role), conf=FONTS_CONF)[0]
    return ResolvedFace(role, ROLES[role][0], family, "", file, index)


@cache
def _fallback_order(role: str) -> tuple[tuple[str, Path, int], ...]:
    """The faces fontconfig tries after the role's own, in order (active configuration)."""
    configure()
    design = design_face(role)
    cached = {s.family for s in _cache_subsets()}
    faces = []
    for family, _, file, index in _fc_match(_pattern(role), sort=True)[:40]:
        if family in cached or (file, index) == (design.file, design.index):
            continue  # the role's own design, whole or cut
        faces.append((family, file, index))
    return tuple(faces)


def _cache_subsets():

    return fontcache.SUBSETS


def fallbacks(role: str, text: str) -> dict[str, str]:
    """{face family: characters} for the characters of ``text`` that the role's own
    face lacks, by the face fontconfig draws them from ("" for none at all).

    GB2312 is taken as covered (``check_roles`` refuses faces that lack any of it), so a
    simplified document opens no font file here: only other characters are looked up."""
    rest = "".join(ch for ch in dict.fromkeys(text) if ch not in _gb2312_set())
    if not rest:
        return {}
    missing = missing_characters(design_face(role), rest)
    found: dict[str, str] = {}
    for ch in missing:
        family = next((f for f, file, index in _fallback_order(role) if ord(ch) in _cmap(file, index)), "")
        found[family] = found.get(family, "") + ch
    return found


@cache
def _gb2312_set() -> frozenset[str]:
    return frozenset(gb2312_characters()) | frozenset(_EQUIVALENT.values())


def traditional_coverage() -> list[tuple[str, int, dict[str, str]]]:
    """For each CJK role: how many Big5 common characters its own face lacks, and
    which faces draw them."""
    text = big5_common_characters()
    return [(role, len(missing_characters(design_face(role), text)), fallbacks(role, text)) for role in CJK_ROLES]

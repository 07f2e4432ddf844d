"""Pre-subset CJK faces, made once per machine, so each PDF does not subset a 20–27 MB
font collection again (weasyprint copies and subsets every face it uses, per document).

The CJK faces (Noto collections, Fandol) are cut to GB2312 plus the symbols the
documents use and renamed (GW Serif Bold …); a generated fontconfig file puts them
first and keeps the full face behind them, so a character outside the subset still
falls back to it.

Glyph order matters as much as size: weasyprint's subset of a face keeps every glyph
id up to the highest one a document uses (empty, but each with its metrics, charset
and index entries, about 10 bytes), so the faces put the characters the documents use
most first (fonts/glyph_order.txt) and drop the vertical metrics nobody reads.
``fonts.configure`` uses the cache when it is complete; ``make_reports.py fonts --cache``
makes it.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from generators.core.charsets import big5_common_characters, gb2312_characters
from generators.core.output import atomic_path
from generators.core.paths import FONTS, FONTS_CONF, ROOT, font_cache_dir

CACHE = font_cache_dir()
VERSION = 3  # 3: CID of glyph g is g (readers that follow ISO 32000 select CFF glyphs by CID)
GLYPH_ORDER = FONTS / "glyph_order.txt"
# Sources of the ranking: the text the generators put on paper (the code prints dates,
# numbering and fixed phrases; its messages come along, which costs little).
RANK_SOURCES = ("templates", "sample_inputs", "generators")


@dataclass(frozen=True)
class Subset:
    source_family: str  # the family fonts.conf maps a standard name to
    bold: bool
    family: str  # the subset's own family name
    postscript: str


SUBSETS = (
    Subset("Noto Serif CJK SC", True, "GW Serif Bold", "GWSerifBold-Bold"),  # 方正小标宋简体
    Subset("Noto Serif CJK SC", False, "GW Serif", "GWSerif-Regular"),  # 宋体 (page numbers)
    Subset("Noto Sans CJK SC", False, "GW Sans", "GWSans-Regular"),  # 黑体
    Subset("FandolFang", False, "GW Fang", "GWFang-Regular"),  # 仿宋 (body text)
    Subset("FandolKai", False, "GW Kai", "GWKai-Regular"),  # 楷体
)
# Tables dropped from every subset: vertical metrics (documents are set horizontally).
DROP_TABLES = ("vhea", "vmtx", "VORG")
# Beyond GB2312: what the generators themselves print (numbering, units, marks).
EXTRA = "〇①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽⑾⑿⒀⒁⒂⒃⒄⒅⒆⒇—―‰≥≤＜＞℃•·"


def ranked_characters() -> str:
    """fonts/glyph_order.txt: the characters the documents use most, most used first."""
    lines = GLYPH_ORDER.read_text(encoding="utf-8").splitlines()
    return "".join(line for line in lines if not line.startswith("#"))


def characters() -> str:
    """Every character the subsets keep, in the order their glyphs take."""

    gb2312 = gb2312_characters().replace("\u2015", "\u2014")  # 一字线, as fonts carry it
    # GB2312 runs: 682 symbols, 3755 common hanzi (level 1), 3008 rarer ones (level 2).
    symbols, level1, level2 = gb2312[:682], gb2312[682 : 682 + 3755], gb2312[682 + 3755 :]
    ascii_ = "".join(map(chr, range(0x20, 0x7F)))
    # Big5's common hanzi last: traditional text stays on the cut faces (their CIDs are
    # right, see _cids_equal_glyph_ids), and simplified documents' glyph ids do not move.
    ranked = ascii_ + ranked_characters() + EXTRA + level1 + symbols + level2 + big5_common_characters()
    return "".join(dict.fromkeys(ranked))


def rank_text(root: Path = ROOT) -> str:
    """Characters beyond ASCII in the project's templates, sample inputs and code, most
    frequent first (ties in code-point order); written to fonts/glyph_order.txt by
    ``python -m generators.core.fontcache --rank``, and kept fixed there so that
    editing a template does not invalidate every machine's font cache."""
    import unicodedata
    from collections import Counter

    counts: Counter[str] = Counter()
    for folder in RANK_SOURCES:
        for path in sorted((root / folder).rglob("*")):
            if path.is_file() and path.suffix in {".j2", ".yaml", ".txt", ".csv", ".py"}:
                text = path.read_text(encoding="utf-8")
                counts.update(ch for ch in text if ord(ch) > 0x7F and unicodedata.category(ch)[0] != "C")
    return "".join(sorted(counts, key=lambda ch: (-counts[ch], ord(ch))))


def _match(subset: Subset) -> tuple[Path, int]:
    """The source face's file and index, from the project's (uncached) configuration."""
    weight = ":weight=bold" if subset.bold else ":weight=regular"
    out = subprocess.run(
        ["fc-match", "-f", "%{file}\n%{index}", subset.source_family + weight],
        check=True,
        capture_output=True,
        text=True,
        timeout=30,
        env={**os.environ, "FONTCONFIG_FILE": str(FONTS_CONF)},
    ).stdout.split("\n")
    return Path(out[0]), int(out[1] or 0)


def _stamp() -> dict:
    sources = {}
    for subset in SUBSETS:
        file, index = _match(subset)
        stat = file.stat()
        sources[subset.family] = [str(file), index, stat.st_size, int(stat.st_mtime)]
    chars = hashlib.sha256(characters().encode()).hexdigest()  # the order as well
    return {"version": VERSION, "sources": sources, "characters": chars, "conf": _conf()}


def _make_subset(subset: Subset, file: Path, index: int, target: Path) -> Path:
    from fontTools import subset as fts
    from fontTools.ttLib import TTFont

    # The bounding box of the full face still bounds the subset: not recomputed (slow).
    font = TTFont(file, fontNumber=index, recalcBBoxes=False)
    options = fts.Options()
    options.layout_features = ["*"]
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.notdef_outline = True
    subsetter = fts.Subsetter(options)
    subsetter.populate(text=characters())
    subsetter.subset(font)
    style = "Bold" if subset.bold else "Regular"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = subset.family
        elif record.nameID in (2, 17):
            record.string = style
        elif record.nameID == 4:
            record.string = f"{subset.family} {style}" if subset.bold else subset.family
        elif record.nameID in (3, 6):
            record.string = subset.postscript
    if "CFF " in font:  # the PostScript name inside the CFF table as well
        font["CFF "].cff.fontNames = [subset.postscript]
    for tag in DROP_TABLES:
        if tag in font:
            del font[tag]
    _put_ranked_glyphs_first(font)
    font = _cids_equal_glyph_ids(font)
    with atomic_path(target) as tmp:
        font.save(tmp)
    return target


def cid_name(gid: int) -> str:
    """The CFF charset name that gives glyph ``gid`` the CID ``gid``."""
    return ".notdef" if gid == 0 else f"cid{gid:05d}"


def _cids_equal_glyph_ids(font):
    """Rename every glyph so that its CID equals its glyph id.

    weasyprint writes glyph ids as CIDs (Identity-H) in a CIDFontType0, whose glyphs a
    reader selects by CID through the CFF charset (ISO 32000-1, 9.7.4.2).  Reordering
    keeps each glyph's old CID, which lenient readers (poppler, PDFium) ignore and
    MuPDF honours, drawing nothing.  Reloading the saved font under the new names makes
    every table decompile with them; the CFF charset is then rewritten to match.
    """
    import io

    from fontTools.ttLib import TTFont

    if "CFF " not in font or not hasattr(font["CFF "].cff.topDictIndex[0], "ROS"):
        return font  # name-keyed CFF or TrueType: glyph ids are used directly
    buffer = io.BytesIO()
    font.save(buffer)
    buffer.seek(0)
    renamed = TTFont(buffer, recalcBBoxes=False)
    count = renamed["maxp"].numGlyphs
    names = [cid_name(gid) for gid in range(count)]
    renamed.setGlyphOrder(names)
    renamed.ensureDecompiled()
    top = renamed["CFF "].cff.topDictIndex[0]
    charstrings = top.CharStrings
    charstrings.charStrings = {names[gid]: charstrings.charStrings[old] for gid, old in enumerate(top.charset)}
    top.charset = names
    return renamed


def _put_ranked_glyphs_first(font) -> None:
    """Reorder glyphs: .notdef, then the glyphs of ``characters()`` in its order, then
    the rest (layout alternates), keeping the original order among those."""
    from fontTools.ttLib.reorderGlyphs import reorderGlyphs

    font.ensureDecompiled()
    old = font.getGlyphOrder()
    cmap = font.getBestCmap()
    new = [old[0]]
    for ch in characters():
        glyph = cmap.get(ord(ch))
        if glyph is not None:
            new.append(glyph)
    new = list(dict.fromkeys(new + old))
    top = font["CFF "].cff.topDictIndex[0] if "CFF " in font else None
    fd_of = None
    if top is not None:
        charstrings = top.CharStrings
        # Bind every glyph to its own private dict (local subroutines) before the order
        # changes: an indexed charstring picks its FD by glyph id when first read.
        charstrings.charStrings = {g: charstrings[g] for g in old}
        charstrings.charStringsAreIndexed = False
        if hasattr(top, "FDSelect"):
            fd_of = dict(zip(old, top.FDSelect.gidArray, strict=True))
    reorderGlyphs(font, new)
    if fd_of is not None and top is not None:
        top.FDSelect.gidArray = [fd_of[g] for g in new]


def _conf() -> str:
    # Only when the full face is the pattern's *first* family (a fallback further down
    # the list must not jump ahead of FandolFang).  The bold rule goes first: once it
    # has put its face in front, the regular rule no longer matches.
    rules = []
    for subset in sorted(SUBSETS, key=lambda s: not s.bold):
        weight = '\n    <test name="weight" compare="more_eq"><const>bold</const></test>' if subset.bold else ""
        rules.append(
            f"""  <match target="pattern">
    <test qual="first" name="family"><string>{subset.source_family}</string></test>{weight}
    <edit name="family" mode="prepend" binding="strong"><string>{subset.family}</string></edit>
  </match>"""
        )
    body = "\n".join(rules)
    return f"""<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">
<!-- Generated by gongwen-reports (make_reports.py fonts, option cache): the project's
     configuration, with the pre-subset faces preferred over the full collections. -->
<fontconfig>
  <dir>{CACHE}</dir>
  <include>{FONTS_CONF}</include>
{body}
</fontconfig>
"""


def active_conf() -> Path | None:
    """The cached configuration, if the cache is complete and matches this machine."""
    conf, stamp = CACHE / "fonts.conf", CACHE / "stamp.json"
    if not (conf.is_file() and stamp.is_file()):
        return None
    try:
        recorded = json.loads(stamp.read_text(encoding="utf-8"))
        if recorded.get("version") != VERSION or any(not (CACHE / f"{s.postscript}.otf").is_file() for s in SUBSETS):
            return None
    except (OSError, ValueError):
        return None
    return conf


def build(report=print, force: bool = False) -> Path:
    """Make (or check) the cache; about a minute the first time (2 cores), for the subsets."""
    stamp = _stamp()
    stamp_file = CACHE / "stamp.json"
    try:
        old = json.loads(stamp_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        old = {}
    if not force and active_conf() and old == stamp:
        report(f"字体缓存已是最新：{CACHE}")
        return CACHE / "fonts.conf"
    CACHE.mkdir(parents=True, exist_ok=True)
    same_chars = old.get("characters") == stamp["characters"] and old.get("version") == VERSION
    todo = [
        s
        for s in SUBSETS
        if force
        or not same_chars
        or old.get("sources", {}).get(s.family) != stamp["sources"][s.family]
        or not (CACHE / f"{s.postscript}.otf").is_file()
    ]
    if todo:
        report(f"正在生成预裁剪字体（{len(characters())} 个字符，约需一分钟）：{CACHE}")
    with ProcessPoolExecutor(max_workers=max(1, min(len(todo), os.cpu_count() or 1))) as pool:
        futures = [
            pool.submit(
                _make_subset,
                s,
                Path(stamp["sources"][s.family][0]),
                stamp["sources"][s.family][1],
                CACHE / f"{s.postscript}.otf",
            )
            for s in todo
        ]
        for future in futures:
            path = future.result()
            report(f"  {path.name}：{path.stat().st_size // 1024} KB")
    with atomic_path(CACHE / "fonts.conf") as tmp:
        tmp.write_text(_conf(), encoding="utf-8")
    with atomic_path(stamp_file) as tmp:
        tmp.write_text(json.dumps(stamp, ensure_ascii=False, sort_keys=True), encoding="utf-8")
    return CACHE / "fonts.conf"


def write_rank(target: Path = GLYPH_ORDER) -> Path:
    """Rewrite fonts/glyph_order.txt from the project's text (see ``rank_text``)."""
    text = rank_text()
    header = (
        "# Glyph order of the pre-subset faces (generators/core/fontcache.py): the characters of\n"
        "# templates/, sample_inputs/ and generators/, most frequent first.  Made by\n"
        "#   .venv/bin/python -m generators.core.fontcache --rank\n"
        "# Changing this file makes every machine rebuild its font cache (about a minute).\n"
    )
    lines = [text[i : i + 64] for i in range(0, len(text), 64)]
    with atomic_path(target) as tmp:
        tmp.write_text(header + "\n".join(lines) + "\n", encoding="utf-8")
    return target


if __name__ == "__main__":
    import sys

    if sys.argv[1:] != ["--rank"]:
        raise SystemExit("用法：python -m generators.core.fontcache --rank  （重写 fonts/glyph_order.txt）")
    print(write_rank())

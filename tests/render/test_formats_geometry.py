"""Issue 13, the formats: 信函, 命令（令）, 纪要, 联合行文, several 签发人 and 套打, measured
on the PDF and on LibreOffice's print of the DOCX against GB/T 9704-2012's numbers
(shared/spec/gbt9704.md), built from the samples in sample_inputs/circulars/."""

from __future__ import annotations

import shutil
from pathlib import Path

import pymupdf
import pytest
from conftest import ROOT, run_cli
from pdfmeasure import MM, Line, Page, body_lines, page_number_line, read_pages

from generators.document import geometry as g
from generators.document import masthead, signoff

SAMPLES = ROOT / "sample_inputs" / "circulars"
STEMS = {
    "letter": ("2012-03_letter_to_health_bureau", "lian-fu-bao-ji-han-2012-3-hao"),
    "order": ("2012-01_order", "lian-fu-bao-ji-ling-2012-1-hao"),
    "minutes": ("2012-41_minutes_mch_meeting", "lian-fu-bao-ji-ji-2012-6-hao"),
    "joint": ("2012-77_joint_notice", "lian-wei-fu-2012-77-hao"),
    "signers": ("2012-33_request_three_signers", "lian-fu-bao-ji-2012-33-hao"),
}
# 套打 copies of two of them (numbered apart: one registry holds them all).
PREPRINTED = {"letter": ("序号: 3", "序号: 903"), "signers": ("序号: 33", "序号: 933")}
RED = (1.0, 0.0, 0.0)
TOL = 1.0  # mm, as the 通知 tests
MARK_TOL = 1.6  # the mark's em box from its baseline: the two fonts' ascents differ this much
# LibreOffice sets the DOCX's header lines up to 2 mm off where weasyprint sets the PDF's
# (its glyphs sit differently in exactly spaced lines; a mark in a table cell 2.3 mm high):
# vertical positions in the header are held to this on its print.
LO_VTOL = 2.5
CELL = g.CELL_MM
RIGHT = g.MARGIN_INNER + g.TYPE_WIDTH
CENTRE = g.MARGIN_INNER + g.TYPE_WIDTH / 2


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> dict[str, Path]:
    """{name: output folder}: the five samples, and 套打 copies as "<name>-taoda"."""
    inputs = tmp_path_factory.mktemp("format-inputs")
    for name, (stem, _) in STEMS.items():
        shutil.copy(SAMPLES / f"{stem}.yaml", inputs)
        if name in PREPRINTED:
            old, new = PREPRINTED[name]
            text = (SAMPLES / f"{stem}.yaml").read_text(encoding="utf-8").replace(old, new)
            (inputs / f"{stem}-taoda.yaml").write_text(text + "套打: 是\n", encoding="utf-8")
    # The order with a 签名章 image: a red frame on a transparent ground, 3:1.
    from PIL import Image, ImageDraw

    seal = Image.new("RGBA", (300, 100), (0, 0, 0, 0))
    ImageDraw.Draw(seal).rectangle((4, 4, 295, 95), outline=(255, 0, 0, 255), width=8)
    seal.save(inputs / "signature.png")
    text = (SAMPLES / f"{STEMS['order'][0]}.yaml").read_text(encoding="utf-8").replace("序号: 1", "序号: 901")
    (inputs / "order-image.yaml").write_text(text + "签名章图片: signature.png\n", encoding="utf-8")
    out = tmp_path_factory.mktemp("format-outputs")
    registry = out.parent / "formats-registry.sqlite3"
    result = run_cli("build", str(inputs), "--out", str(out), "--registry", str(registry), "--allow", str(ROOT), "-q")
    assert result.returncode == 0, result.stderr
    folder = out / "2012" / "tongzhi"
    files = {name: folder / stem for name, (_, stem) in STEMS.items()}
    files["order-image"] = folder / "lian-fu-bao-ji-ling-2012-901-hao"
    for name, (old, new) in PREPRINTED.items():
        stem = STEMS[name][1].replace(old.split()[1] + "-hao", new.split()[1] + "-hao")
        files[f"{name}-taoda"] = folder / stem
    return files


class Printed(dict):
    """{name: pages}, and ``paths``: {name: the PDF read}."""

    paths: dict[str, Path]


@pytest.fixture(scope="module", params=["pdf", pytest.param("libreoffice", marks=pytest.mark.slow)])
def printed(request, built, tmp_path_factory) -> Printed:
    """{name: pages}, of our PDF or of LibreOffice's print of our DOCX (one soffice run)."""
    if request.param == "pdf":
        paths = {name: stem.with_suffix(".pdf") for name, stem in built.items()}
    else:
        from readers import libreoffice_pdfs

        docx = [stem.with_suffix(".docx") for stem in built.values()]
        pdfs = libreoffice_pdfs(docx, tmp_path_factory.mktemp("formats-lo"))
        paths = {name: pdfs[stem.with_suffix(".docx")] for name, stem in built.items()}
    out = Printed({name: read_pages(path) for name, path in paths.items()})
    out.paths = paths
    return out


@pytest.fixture
def vtol(request) -> float:
    """Tolerance of vertical header positions: TOL on the PDF, LO_VTOL on LibreOffice's print."""
    return LO_VTOL if request.node.callspec.params.get("printed") == "libreoffice" else MARK_TOL


@pytest.fixture
def ours(request) -> bool:
    """Whether the pages are our PDF (text widths as ours: LibreOffice widens the gap
    between Chinese and Latin characters, so only left edges are compared on its print)."""
    return request.node.callspec.params.get("printed") == "pdf"


def red_strokes(page: Page) -> list[tuple[float, float, float, float]]:
    """Red horizontal rules as (top, bottom, left, right) in mm: weasyprint fills
    rectangles, LibreOffice strokes lines (some twice)."""
    found = set()
    for r in page.rects:
        if tuple(r["non_stroking_color"] or ()) == RED and r["height"] < 3 * MM:
            found.add(
                (round(r["top"] / MM, 2), round(r["bottom"] / MM, 2), round(r["x0"] / MM, 1), round(r["x1"] / MM, 1))
            )
    for r in page.raw_lines:
        if tuple(r["stroking_color"] or ()) == RED and abs(r["top"] - r["bottom"]) < 0.1:
            half = r["linewidth"] / 2 / MM
            y = r["top"] / MM
            found.add((round(y - half, 2), round(y + half, 2), round(r["x0"] / MM, 1), round(r["x1"] / MM, 1)))
    return sorted(r for r in found if r[3] - r[2] > 100)  # rules, not a 签名章's frame


def mark_lines(page: Page) -> list[Line]:
    return [
        line for line in page.lines if line.size > 20 and all(tuple(c["non_stroking_color"]) == RED for c in line.chars)
    ]


def line_with(pages: list[Page], text: str) -> Line:
    return next(line for page in pages for line in page.lines if text in line.text)


def char_x0(line: Line, ch: str) -> float:
    return next(c["x0"] for c in sorted(line.chars, key=lambda c: c["x0"]) if c["text"] == ch) / MM


def _face(c: dict) -> str:
    return c["fontname"].split("+", 1)[-1].replace("-", "").replace(" ", "").lower()


# 信函格式 (10.1)


def test_letter_mark_30mm_from_the_page_top_without_wenjian(printed) -> None:
    marks = mark_lines(printed["letter"][0])
    assert [m.text for m in marks] == ["连云港市妇幼保健集团"]
    assert abs(marks[0].em_top - masthead.LETTER_MARK_FROM_PAGE_TOP) <= MARK_TOL, marks[0].em_top
    assert abs((marks[0].x0 + marks[0].x1) / 2 - CENTRE) <= TOL


def test_letter_double_rules(printed) -> None:
    page = printed["letter"][0]
    mark = mark_lines(page)[0]
    strokes = red_strokes(page)
    assert len(strokes) == 4, strokes
    for _, _, left, right in strokes:
        assert abs(right - left - masthead.LETTER_RULE_LENGTH) <= 0.5
        assert abs((left + right) / 2 - CENTRE) <= 0.5  # 居中: on the type area, as the mark
    (t1, b1, *_), (t2, b2, *_), (t3, b3, *_), (t4, b4, *_) = strokes
    assert b1 - t1 > b2 - t2 and b4 - t4 > b3 - t3  # thick over thin; thin over thick
    assert abs(b1 - t1 - masthead.LETTER_THICK_RULE) <= 0.15 and abs(b2 - t2 - masthead.LETTER_THIN_RULE) <= 0.15
    assert abs(t1 - (mark.em_top + mark.size / MM) - masthead.LETTER_RULE_BELOW_MARK) <= MARK_TOL
    assert abs(b4 - (g.PAGE_HEIGHT - masthead.LETTER_RULE_ABOVE_PAGE_FOOT)) <= 0.5


def test_letter_elements_left_and_number_right_under_the_rule(printed, vtol) -> None:
    page = printed["letter"][0]
    rule_foot = red_strokes(page)[1][1]
    copy, urgency = line_with([page], "000003"), line_with([page], "加急")
    assert abs(copy.x0 - g.MARGIN_INNER) <= TOL and abs(urgency.x0 - g.MARGIN_INNER) <= TOL
    assert abs(copy.em_top - (rule_foot + masthead.LETTER_ELEMENT_GAP)) <= vtol
    assert abs(urgency.em_top - (rule_foot + masthead.LETTER_ELEMENT_GAP + g.LINE_PITCH)) <= vtol
    assert copy.text.endswith("连妇保集函〔2012〕3号")  # on the first element's line
    assert abs(copy.x1 - RIGHT) <= TOL


def test_letter_page_numbers_not_on_the_first_page(printed) -> None:
    pages = printed["letter"]
    assert page_number_line(pages[0]) is None
    assert page_number_line(pages[1]) is not None


def test_letter_record_without_printer_and_rules(printed) -> None:
    last = printed["letter"][-1]
    assert any(line.text.startswith("抄送：") for line in last.lines)
    assert not any("印发" in line.text for line in last.lines)
    black = [r for r in last.rects if abs(r["width"] / MM - g.TYPE_WIDTH) < 0.5] + [
        r for r in last.raw_lines if abs(r["width"] / MM - g.TYPE_WIDTH) < 0.5
    ]
    assert not black


# 命令（令）格式 (10.2, 7.3.5.3)


def test_order_mark_number_and_body(printed, vtol) -> None:
    page = printed["order"][0]
    marks = mark_lines(page)
    assert [m.text for m in marks] == ["连云港市妇幼保健集团令"]
    mark = marks[0]
    assert abs(mark.em_top - (g.MARGIN_TOP + masthead.ORDER_MARK_TOP)) <= vtol
    number = line_with([page], "第1号")
    assert number.text == "第1号"
    assert abs((number.x0 + number.x1) / 2 - (g.MARGIN_INNER + g.TYPE_WIDTH / 2)) <= TOL
    # Two blank lines under the mark, and under the 令号.
    assert abs(number.em_top - (mark.em_top + mark.size / MM) - 2 * g.LINE_PITCH) <= vtol
    body = line_with([page], "《连云港市妇幼保健集团成员单位")
    blank = body.em_top - number.em_bottom  # two blank lines, the body on the next grid line
    assert 2 * g.LINE_PITCH - 0.5 <= blank < 3 * g.LINE_PITCH, blank
    assert not red_strokes(page)  # no red rule in an order


def test_order_post_signature_seal_and_date(printed, ours) -> None:
    pages = printed["order"]
    post = line_with(pages, "理事长")
    date = line_with(pages, "2012年6月12日")
    name = [c for c in post.chars if tuple(c["non_stroking_color"]) == RED]
    assert "".join(c["text"] for c in name) == "王某某"  # the placeholder 签名章 holds the name
    width = signoff.signature_cells("王某某", None)
    seal_left = g.CHARS_PER_LINE - 4 - width
    name_left = g.MARGIN_INNER + (seal_left + (width - 3) / 2) * CELL  # centred in the seal
    assert abs(name[0]["x0"] / MM - name_left) <= TOL
    post_chars = [c for c in post.chars if tuple(c["non_stroking_color"]) != RED]
    assert abs(max(c["x1"] for c in post_chars) / MM - (g.MARGIN_INNER + (seal_left - 2) * CELL)) <= TOL
    date_left = g.CHARS_PER_LINE - 4 - g.text_width_chars("2012年6月12日")
    assert abs(date.x0 - (g.MARGIN_INNER + date_left * CELL)) <= TOL
    if ours:
        assert abs(date.x1 - (RIGHT - 4 * CELL)) <= TOL
    assert abs(date.baseline - post.baseline - 2 * g.LINE_PITCH) <= 0.3  # one blank line between


def test_order_signature_seal_image(printed) -> None:
    """A 签名章 image: one line high, its width from its proportions, its right edge four
    cells from the right, on the post's line, under the text (no placeholder name)."""
    pages = printed["order-image"]
    post = line_with(pages, "理事长")
    assert not any(tuple(c["non_stroking_color"]) == RED for c in post.chars)
    with pymupdf.open(printed.paths["order-image"]) as pdf:
        (info,) = pdf[0].get_image_info()
    x0, y0, x1, y1 = (v / MM for v in info["bbox"])
    width = signoff.signature_cells("王某某", 3.0) * CELL
    assert abs(y1 - y0 - g.LINE_PITCH) <= 0.3 and abs(x1 - x0 - width) <= 0.3
    assert abs(x1 - (RIGHT - 4 * CELL)) <= TOL
    assert y0 - TOL <= post.em_top and post.em_bottom <= y1 + TOL  # the post's line, centred on it


# 纪要格式 (10.3)


def test_minutes_mark_and_rule(printed, vtol) -> None:
    page = printed["minutes"][0]
    marks = mark_lines(page)
    assert [m.text for m in marks] == ["连云港市妇幼保健工作例会纪要"]
    assert abs(marks[0].em_top - (g.MARGIN_TOP + g.ISSUER_MARK_TOP)) <= vtol
    (rule,) = red_strokes(page)
    assert abs(rule[3] - rule[2] - g.TYPE_WIDTH) <= 0.5
    assert page_number_line(page) is not None


def test_minutes_lists_aligned_after_the_colon(printed) -> None:
    pages = printed["minutes"]
    lines = [line for page in pages for line in body_lines(page)]
    starts = {
        label: i for i, line in enumerate(lines) for label in g.ATTENDANCE_LABELS if line.text.startswith(f"{label}：")
    }
    assert list(starts) == list(g.ATTENDANCE_LABELS)
    hei = {_face(c) for c in lines[starts["出席"]].chars[:3]}
    fang = {_face(c) for c in lines[starts["出席"]].chars[3:6]}
    assert len(hei) == 1 and hei != fang  # 黑体 label, 仿宋 names
    ends = [*list(starts.values())[1:], starts["列席"] + 2]
    wrapped = 0
    for (label, first), end in zip(starts.items(), ends, strict=True):
        line = lines[first]
        assert abs(line.x0 - (g.MARGIN_INNER + g.ATTENDANCE_INDENT * CELL)) <= TOL, label
        after_colon = char_x0(line, "：") + CELL
        for cont in lines[first + 1 : end]:
            if cont.text.startswith(("2012年", "抄送")):
                break
            assert abs(cont.x0 - after_colon) <= 0.5, (label, cont.text, cont.x0, after_colon)
            wrapped += 1
    assert wrapped >= 2  # the sample's 出席 list wraps


# 联合行文 (7.2.4, 7.3.5)


def test_joint_mark_stacked_with_wenjian_centred(printed, vtol) -> None:
    lines = mark_lines(printed["joint"][0])
    (word,) = [line for line in lines if line.text == "文件"]
    names = [line for line in lines if line is not word]
    assert [line.text for line in names] == ["连云港市卫生局", "连云港市妇幼保健集团"]
    assert max(n.x0 for n in names) - min(n.x0 for n in names) <= TOL  # spread to one width
    assert max(n.x1 for n in names) - min(n.x1 for n in names) <= TOL
    stack_middle = (names[0].em_top + names[-1].em_top + names[-1].size / MM) / 2
    assert abs(word.em_top + word.size / MM / 2 - stack_middle) <= TOL
    assert word.x0 > max(n.x1 for n in names)
    assert abs((names[0].x0 + word.x1) / 2 - CENTRE) <= TOL  # the whole mark centred
    assert abs(names[0].em_top - (g.MARGIN_TOP + g.ISSUER_MARK_TOP)) <= vtol


def test_joint_signatures_side_by_side_date_under_the_last(printed, ours) -> None:
    pages = printed["joint"]
    line = line_with(pages, "连云港市卫生局连云港市妇幼保健集团")
    date = line_with(pages, "2012年5月10日")
    plan = signoff.signing_plan(("连云港市卫生局", "连云港市妇幼保健集团"), "2012年5月10日", True)
    (_, first_left), (_, second_left) = plan.lines[0]
    assert abs(line.x0 - (g.MARGIN_INNER + first_left * CELL)) <= TOL
    second = char_x0(line, "妇") - CELL * 4  # 连云港市 before it
    assert abs(second - (g.MARGIN_INNER + second_left * CELL)) <= TOL
    assert second > char_x0(line, "局") + CELL  # apart
    assert abs(date.x0 - (g.MARGIN_INNER + plan.lines[1][0][1] * CELL)) <= TOL
    if ours:  # the date four cells from the right, the last name centred over it
        assert abs((date.x0 + date.x1) / 2 - (second + line.x1) / 2) <= TOL
        assert abs(date.x1 - (RIGHT - 4 * CELL)) <= TOL
    assert abs(date.baseline - line.baseline - g.LINE_PITCH) <= 0.3


def test_joint_seals_one_over_each_name(built) -> None:
    """On the PDF (the DOCX leaves sealing to the office without a seal image, as for one
    issuer): two seal placeholders, each centred over its own name, apart, the second's
    foot on the date line's foot."""
    path = built["joint"].with_suffix(".pdf")
    pages = read_pages(path)
    number = next(i for i, p in enumerate(pages) if any("2012年5月10日" in line.text for line in p.lines))
    line = line_with([pages[number]], "连云港市卫生局连云港市妇幼保健集团")
    date = line_with([pages[number]], "2012年5月10日")
    with pymupdf.open(path) as pdf:
        seals = []
        for d in pdf[number].get_drawings():
            r = d["rect"]
            paint = d.get("color") or d.get("fill")  # weasyprint fills the dashes
            if paint and tuple(round(v, 2) for v in paint) == RED and abs(r.width / MM - signoff.SEAL_DIAMETER) < 2:
                seals.append((r.x0 / MM, r.x1 / MM, r.y0 / MM, r.y1 / MM))
    seals = sorted(set((round(a, 1), round(b, 1), round(c, 1), round(d, 1)) for a, b, c, d in seals))
    assert len(seals) == 2, seals
    (l0, r0, _, f0), (l1, r1, _, f1) = seals
    first_name = (line.x0 + char_x0(line, "局") + CELL) / 2
    second_name = (char_x0(line, "妇") - 4 * CELL + line.x1) / 2
    assert abs((l0 + r0) / 2 - first_name) <= TOL and abs((l1 + r1) / 2 - second_name) <= TOL
    assert r0 < l1  # never touching
    assert abs(f1 - date.em_bottom - g.HALF_LEADING) <= TOL
    assert abs(f0 - f1) <= 0.1  # one row


@pytest.mark.parametrize(
    "names",
    [
        ("连云港市卫生局", "连云港市妇幼保健集团"),
        ("连云港市卫生局", "连云港市财政局", "连云港市妇幼保健集团"),
        ("连云港市卫生和计划生育委员会", "连云港市人力资源和社会保障局"),  # too long to pair
        ("甲局", "乙局", "丙局", "丁局", "戊局"),
    ],
)
def test_joint_sealed_plan(names: tuple[str, ...]) -> None:
    """7.3.5.2: each seal over its own name, the last over the last name and the date,
    seals apart and inside the type area, rows of at most two, the main issuer first."""
    date = "2012年5月10日"
    plan = signoff.signing_plan(names, date, True)
    placed = [(text, left, i) for i, line in enumerate(plan.lines) for text, left in line]
    assert [t for t, _, _ in placed] == [*names, date]
    assert all(len(line) <= 2 for line in plan.lines)
    assert len(plan.stamps) == len(names)
    radius = signoff.SEAL_DIAMETER / 2
    centres = []
    for stamp, (name, left, line) in zip(plan.stamps, placed, strict=False):
        cx = (stamp.left * CELL) + radius
        cy = stamp.top + radius
        assert abs(cx - (left + g.text_width_chars(name) / 2) * CELL) < 0.01  # centred over its name
        # The name in the seal's lower half (7.3.5.1: 居印章中心偏下).
        assert cy - 1 <= line * g.LINE_PITCH and (line + 1) * g.LINE_PITCH <= cy + radius
        assert 0 <= stamp.left * CELL and stamp.left * CELL + signoff.SEAL_DIAMETER <= g.TYPE_WIDTH + 0.01
        centres.append((cx, cy))
    for i, (a, b) in enumerate(centres):
        for c, d in centres[i + 1 :]:
            assert ((a - c) ** 2 + (b - d) ** 2) ** 0.5 > signoff.SEAL_DIAMETER  # neither crossing nor touching
    last, date_line = plan.stamps[-1], len(plan.lines) - 1
    assert abs(last.top + signoff.SEAL_DIAMETER - (date_line + 1) * g.LINE_PITCH) < 0.01  # covers the date
    assert plan.stamps[0].top >= -(plan.blank_before + 1) * g.LINE_PITCH  # within a line of the text above


def test_joint_unsealed_plan_stacks_the_names() -> None:
    names = ("连云港市卫生局", "连云港市妇幼保健集团")
    plan = signoff.signing_plan(names, "2012年5月10日", False)
    assert [line[0][0] for line in plan.lines] == [*names, "2012年5月10日"]
    assert len({line[0][1] for line in plan.lines[:2]}) == 1 and not plan.stamps
    widest = g.text_width_chars(names[1])
    assert abs(plan.lines[0][0][1] + widest - (g.CHARS_PER_LINE - 2)) < 0.01  # two from the right


# Several 签发人 (7.2.6)


def test_signers_two_a_line_number_on_the_last(printed) -> None:
    page = printed["signers"][0]
    first, second = line_with([page], "签发人："), line_with([page], "欧阳某某")
    assert first.text == "签发人：王某某张某某"
    assert second.text == "连妇保集〔2012〕33号欧阳某某"
    assert abs(second.baseline - first.baseline - g.LINE_PITCH) <= 0.3
    assert abs(char_x0(second, "欧") - char_x0(first, "王")) <= 0.5  # aligned with the first name above
    assert abs(first.x1 - (RIGHT - CELL)) <= TOL  # the block ends one character in
    assert abs(second.x0 - (g.MARGIN_INNER + CELL)) <= TOL
    kai = {_face(c) for c in second.chars if c["text"] in "欧阳某"}
    assert len(kai) == 1 and "kai" in next(iter(kai))
    (rule,) = red_strokes(page)
    assert abs(rule[3] - rule[2] - g.TYPE_WIDTH) <= 0.5
    assert abs(rule[0] - second.em_bottom - g.RULE_BELOW_NUMBER) <= TOL


# 套打


@pytest.mark.parametrize("name", list(PREPRINTED))
def test_preprinted_leaves_the_head_blank_title_in_place(printed, name: str) -> None:
    full, blank = printed[name][0], printed[f"{name}-taoda"][0]
    assert mark_lines(full) and red_strokes(full)
    assert not mark_lines(blank) and not red_strokes(blank)
    title = next(line for line in full.lines if abs(line.size - g.TITLE_PT) < 0.1)
    same = next(line for line in blank.lines if abs(line.size - g.TITLE_PT) < 0.1)
    assert same.text == title.text
    assert abs(same.baseline - title.baseline) <= 0.2, (same.baseline, title.baseline)
    body, body_blank = body_lines(full), body_lines(blank)
    assert [round(line.baseline, 1) for line in body] == [round(line.baseline, 1) for line in body_blank]
    assert len(printed[name]) == len(printed[f"{name}-taoda"])


def test_libreoffice_paginates_as_the_pdf(printed, built, ours) -> None:
    if ours:
        pytest.skip("the PDF against itself")
    for name, stem in built.items():
        with pymupdf.open(stem.with_suffix(".pdf")) as pdf:
            assert len(printed[name]) == len(pdf), name

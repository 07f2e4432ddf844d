"""Issue 13: a seal image (PNG with transparency, named by 印章图片 in the input) placed
as the standard says (7.3.5.1): centred on the date, name and date under its centre, its
foot on the date line's foot (the 附注 below stays clear), drawn under the text; in the
PDF and in LibreOffice's print of the DOCX."""

from __future__ import annotations

from pathlib import Path

import pymupdf
import pytest
from pdfmeasure import read_pages
from PIL import Image, ImageDraw

from generators.core.errors import InputError
from generators.document import signoff
from generators.kinds.circular import build_circular, load_circular
from generators.render.docx import write_docx
from generators.render.pdf import write_pdf

MM = 72 / 25.4
ISSUER = "某某市卫生局"
YAML = f"""文种: 通知
发文机关:
  名称: {ISSUER}
  代字: 某卫
发文字号:
  年份: 2024
  序号: 8
标题: 关于做好年度工作的通知
主送: 各区县卫生局
正文: |
  各单位要结合本地实际，认真制定实施方案，明确责任分工，细化工作措施，加强督促检查。
署名: {ISSUER}
成文日期: 2024-03-01
印章图片: seal.png
附注: 联系人：张三，电话：12345678
"""


def _seal_png(path: Path) -> None:
    """A red ring on a transparent ground, as a scanned seal is supplied."""
    image = Image.new("RGBA", (400, 400), (0, 0, 0, 0))
    ImageDraw.Draw(image).ellipse((8, 8, 392, 392), outline=(230, 0, 0, 255), width=16)
    image.save(path)


@pytest.fixture(scope="module")
def sealed(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("seal")
    _seal_png(folder / "seal.png")
    (folder / "circular.yaml").write_text(YAML, encoding="utf-8")
    doc = build_circular(*load_circular(folder / "circular.yaml"))
    assert doc.signing and doc.signing.seal_png
    return {"pdf": write_pdf(doc, folder / "c.pdf"), "docx": write_docx(doc, folder / "c.docx")}


def _check(path: Path, date_centred: bool = True) -> None:
    pages = read_pages(path)
    page = next(p for p in pages if any(line.text == ISSUER for line in p.lines))
    with pymupdf.open(path) as pdf:
        pdf_page = pdf[page.number - 1]
        images = [info["bbox"] for info in pdf_page.get_image_info()]
        assert len(images) == 1, images
        x0, y0, x1, y1 = (v / MM for v in images[0])
        order = [kind for kind, _ in pdf_page.get_bboxlog()]
    assert abs((x1 - x0) - signoff.SEAL_DIAMETER) <= 0.5 and abs((y1 - y0) - signoff.SEAL_DIAMETER) <= 0.5, (
        x0,
        y0,
        x1,
        y1,
    )
    name = next(line for line in page.lines if line.text == ISSUER)
    date = next(line for line in page.lines if line.text.startswith("2024年3月1日"))
    note = next(line for line in page.lines if line.text.startswith("（联系人"))
    assert abs((x0 + x1) / 2 - (name.x0 + name.x1) / 2) <= 1.5, "seal not centred on the name"
    if date_centred:
        assert abs((x0 + x1) / 2 - (date.x0 + date.x1) / 2) <= 1.5, "seal not centred on the date"
    assert name.em_top >= (y0 + y1) / 2 - 0.5, "name above the seal's centre"
    assert y1 <= note.em_top + 0.3, "seal over the 附注"
    # Drawn under the text: the image is painted before any text of the signature.
    assert "fill-image" in order and "fill-text" in order[order.index("fill-image") :], order


def test_seal_image_pdf(sealed) -> None:
    _check(sealed["pdf"])


@pytest.mark.slow
def test_seal_image_libreoffice(sealed, tmp_path) -> None:
    from readers import libreoffice_pdfs

    # LibreOffice widens a date that mixes digits and hanzi by about 1.2 mm at each change of
    # script (it does not take w:autoSpaceDE/DN from the style): the seal sits on the grid,
    # centred on the name, which the date's first character shares.
    _check(libreoffice_pdfs([sealed["docx"]], tmp_path)[sealed["docx"]], date_centred=False)


def test_seal_image_must_be_png(tmp_path) -> None:
    (tmp_path / "seal.png").write_bytes(b"GIF89a not a png")
    (tmp_path / "circular.yaml").write_text(YAML, encoding="utf-8")
    with pytest.raises(InputError, match="印章图片应为 PNG"):
        build_circular(*load_circular(tmp_path / "circular.yaml"))


def test_seal_docx_anchor_behind_text_in_schema_order(sealed) -> None:
    import zipfile

    from ooxml_order import check_docx

    assert not check_docx(sealed["docx"])
    xml = zipfile.ZipFile(sealed["docx"]).read("word/document.xml").decode("utf-8")
    assert 'behindDoc="1"' in xml and "<wp:wrapNone/>" in xml

"""Done-when 1 and 2: both seed circulars are produced, and their text is the seed's."""

from __future__ import annotations

import pytest
from golden import actual_circular, docx_text, expected_circular, pdf_text

SIGNING = {"000": "二〇一二年六月二十日", "001": "二〇一二年一月二十日"}


@pytest.mark.parametrize("seed", ["000", "001"])
@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_text_equals_seed(circulars, seed: str, fmt: str) -> None:
    path = circulars[seed][fmt]
    assert path.stat().st_size > 10_000
    text = pdf_text(path) if fmt == "pdf" else docx_text(path)
    ours = actual_circular(text, "连云港市妇幼保健集团文件", "连云港市妇幼保健集团", SIGNING[seed])
    assert ours == expected_circular(seed)


def test_document_number_format(circulars) -> None:
    text = pdf_text(circulars["000"]["pdf"])
    assert "连妇保集〔2012〕5号" in text.replace(" ", "")

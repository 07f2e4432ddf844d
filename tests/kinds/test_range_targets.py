"""Issue 17, helper-noted range bugs: a range target (控制在20%～30%) is kept whole when
found in running text (indicators.extract_targets and the draft importer's pattern), and
the 通报's chart draws the band between its bounds, not the lower bound alone."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from PIL import Image

from generators.drafts import patterns
from generators.indicators.targets import extract_targets, format_target, target_met
from generators.render.charts import Bar, bar_chart

# (sentence, [(name, compact target, text of the target)])
IN_TEXT = [
    ("剖宫产率控制在20%～30%。", [("剖宫产率", "20%～30%", "控制在20%～30%")]),
    ("剖宫产率控制在20%-30%之间", [("剖宫产率", "20%～30%", "控制在20%-30%之间")]),
    ("剖宮產率控制在20%～30%之間", [("剖宮產率", "20%～30%", "控制在20%～30%之間")]),
    ("剖宫产率20至30%", [("剖宫产率", "20%～30%", "20至30%")]),
    (
        "孕产妇系统管理率达95%，剖宫产率控制在20%～30%，婴儿死亡率控制在4‰以下",
        [
            ("孕产妇系统管理率", "≥95%", "达95%"),
            ("剖宫产率", "20%～30%", "控制在20%～30%"),
            ("婴儿死亡率", "≤4‰", "控制在4‰以下"),
        ],
    ),
]


@pytest.mark.parametrize(("sentence", "expected"), IN_TEXT, ids=[s for s, _ in IN_TEXT])
def test_extract_targets_keeps_a_range(sentence: str, expected: list) -> None:
    found = extract_targets(sentence)
    assert [(n, format_target(t), t.text) for n, t in found] == expected
    ranged = [t for _, t in found if t.upper is not None]
    assert all(target_met(t, 25) and not target_met(t, 31) and not target_met(t, 19) for t in ranged)


@pytest.mark.parametrize(
    ("text", "target"),
    [
        ("剖宫产率控制在20%～30%", "控制在20%～30%"),
        ("剖宫产率20至30%之间", "20至30%之间"),
        ("剖宫产率控制在 20% - 30%", "控制在 20% - 30%"),
        ("婴儿死亡率控制在4‰以下", "控制在4‰以下"),
        ("2012-2013年完成率95%", "95%"),
    ],
)
def test_draft_pattern_keeps_a_range(text: str, target: str) -> None:
    assert [m["target"] for m in patterns.TARGET.finditer(text)] == [target]


def _dark_pixels_in_row(png: bytes, fraction: float) -> int:
    """Black pixels on the horizontal line ``fraction`` of the way down the image."""
    image = Image.open(io.BytesIO(png)).convert("L")
    y = int(image.height * fraction)
    return sum(1 for x in range(image.width) if image.getpixel((x, y)) < 60)


def test_chart_draws_the_band_of_a_range() -> None:
    early = Bar("早孕建册率", Decimal("96"), Decimal("95"), True)
    plain = [Bar("剖宫产率", Decimal("35.2"), Decimal("20"), False), early]
    banded = [Bar("剖宫产率", Decimal("35.2"), Decimal("20"), False, Decimal("30")), plain[1]]
    png_plain, height = bar_chart(plain, width_mm=156)
    png_band, height_band = bar_chart(banded, width_mm=156)
    assert height == height_band
    # Through the first bar (upper row): the plain chart has one tick, the banded one two
    # ticks and the hatching between them.
    row = 0.28
    assert _dark_pixels_in_row(png_band, row) > _dark_pixels_in_row(png_plain, row) + 20

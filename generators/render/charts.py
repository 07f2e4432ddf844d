"""Charts for reports, drawn with matplotlib in the project's own CJK face.

PNG bytes, deterministic (no timestamp or software tag), sized in millimetres so the
renderers place them at their true size.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import cache
from typing import Any

from generators.core import fonts

MM_PER_INCH = 25.4
DPI = 200
# Names come from a user's 指标文件: "$\\foo{x}$", "^", "_" are printed as typed, never
# handed to matplotlib's mathtext parser (nor to TeX: usetex stays off).
PLAIN: dict[str, Any] = {"parse_math": False, "usetex": False}


@dataclass(frozen=True)
class Bar:
    label: str  # indicator name
    value: Decimal | None  # None: no data, drawn as an empty row
    target: Decimal | None
    met: bool | None


@cache
def _font_properties():
    from matplotlib.font_manager import FontProperties

    # 仿宋 (the body face, a single-face OpenType file: collections would pick the
    # Japanese member of Noto CJK by index 0).
    face = fonts.resolve("body")
    return FontProperties(fname=str(face.file))


def bar_chart(bars: Sequence[Bar], *, width_mm: float, unit: str = "%") -> tuple[bytes, float]:
    """Horizontal bars (value) with a target tick per row; shortfalls hatched.

    Returns (PNG bytes, height in mm).
    """
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt

    prop = _font_properties()
    height_mm = 18 + 7 * len(bars)
    fig, ax = plt.subplots(figsize=(width_mm / MM_PER_INCH, height_mm / MM_PER_INCH), dpi=DPI)
    try:
        positions = list(range(len(bars)))[::-1]
        values = [float(b.value) if b.value is not None else 0.0 for b in bars]
        ax.barh(
            positions,
            values,
            height=0.6,
            color=["#bbbbbb" if b.met is False else "#555555" for b in bars],
            hatch=None,
            edgecolor="black",
            linewidth=0.4,
        )
        for y, b in zip(positions, bars, strict=True):
            text = "无数据" if b.value is None else f"{b.value:.2f}{unit}"
            # Right of both the bar and the target tick, so neither hides the figure.
            x = max(float(b.value) if b.value is not None else 0.0, float(b.target or 0))
            ax.text(x + 0.8, y, text, va="center", ha="left", fontproperties=prop, fontsize=8, **PLAIN)
            if b.target is not None:
                ax.plot([float(b.target)] * 2, [y - 0.42, y + 0.42], color="black", linewidth=1.2)
        ax.set_yticks(positions, [b.label for b in bars], fontproperties=prop, fontsize=8.5, **PLAIN)
        top = max([*values, *(float(b.target) for b in bars if b.target is not None), 1.0])
        ax.set_xlim(0, min(top * 1.18, 125))
        for label in ax.get_xticklabels():
            label.set_fontproperties(prop)
            label.set_fontsize(8)
        ax.set_xlabel(f"完成值（{unit}）；竖线为目标值，浅色为未达标", fontproperties=prop, fontsize=8.5, **PLAIN)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout(pad=0.4)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        plt.close(fig)
    return buffer.getvalue(), height_mm

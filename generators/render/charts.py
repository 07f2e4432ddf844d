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
    target: Decimal | None  # the target, or a range's lower bound
    met: bool | None
    upper: Decimal | None = None  # a range's upper bound: the band from target to upper is drawn


@cache
def _font_properties():
    from matplotlib.font_manager import FontProperties

    # 仿宋 (the body face, a single-face OpenType file: collections would pick the
    # Japanese member of Noto CJK by index 0).
    face = fonts.resolve("body")
    return FontProperties(fname=str(face.file))


def bar_chart(bars: Sequence[Bar], *, width_mm: float, unit: str = "%") -> tuple[bytes, float]:
    """Horizontal bars (value) with a target tick per row (a range: a band between its
    bounds, a tick at each); shortfalls light.

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
            x = max(float(b.value) if b.value is not None else 0.0, float(b.upper or b.target or 0))
            ax.text(x + 0.8, y, text, va="center", ha="left", fontproperties=prop, fontsize=8, **PLAIN)
            if b.target is not None and b.upper is not None:
                low, high = float(b.target), float(b.upper)
                # Hatched over the bar, so the band shows whether the bar reaches it or not.
                ax.fill_between([low, high], y - 0.42, y + 0.42, facecolor="none", edgecolor="black",
                                hatch="////", linewidth=0, zorder=3)  # fmt: skip
                for bound in (low, high):
                    ax.plot([bound] * 2, [y - 0.42, y + 0.42], color="black", linewidth=1.2)
            elif b.target is not None:
                ax.plot([float(b.target)] * 2, [y - 0.42, y + 0.42], color="black", linewidth=1.2)
        ax.set_yticks(positions, [b.label for b in bars], fontproperties=prop, fontsize=8.5, **PLAIN)
        bounds = [float(x) for b in bars for x in (b.target, b.upper) if x is not None]
        top = max([*values, *bounds, 1.0])
        ax.set_xlim(0, min(top * 1.18, 125))
        for label in ax.get_xticklabels():
            label.set_fontproperties(prop)
            label.set_fontsize(8)
        banded = any(b.upper is not None for b in bars)
        legend = "竖线为目标值" + ("（目标为范围时两条竖线之间为目标范围）" if banded else "")
        ax.set_xlabel(f"完成值（{unit}）；{legend}，浅色为未达标", fontproperties=prop, fontsize=8.5, **PLAIN)
        ax.spines[["top", "right"]].set_visible(False)
        fig.tight_layout(pad=0.4)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    finally:
        plt.close(fig)
    return buffer.getvalue(), height_mm

"""Charts over time drawn on the server as inline SVG (no script, nothing
loaded from elsewhere): this module turns series into coordinates; the
template only draws them."""

from __future__ import annotations

from dataclasses import dataclass, field

WIDTH = 720
HEIGHT = 220
PAD_LEFT = 44
PAD_BOTTOM = 28
PAD_TOP = 12


@dataclass(frozen=True, slots=True)
class Series:
    name: str
    css_class: str
    points: str  # "x,y x,y …" for a polyline
    dots: list[tuple[float, float, str]] = field(default_factory=list)  # x, y, title


@dataclass(frozen=True, slots=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    title: str


@dataclass(frozen=True, slots=True)
class LineChart:
    width: int
    height: int
    series: list[Series]
    bars: list[Bar]
    x_labels: list[tuple[float, str]]
    y_labels: list[tuple[float, str]]
    baseline: float


def line_chart(
    labels: list[str],
    lines: dict[str, tuple[str, list[float | None]]],
    bars: list[int] | None = None,
    *,
    y_max: float = 1.0,
    percent: bool = True,
) -> LineChart:
    """Rates (0..y_max) per period as lines, with optional counts as pale bars
    scaled to their own maximum."""
    n = max(1, len(labels))
    inner_w = WIDTH - PAD_LEFT - 10
    inner_h = HEIGHT - PAD_BOTTOM - PAD_TOP
    step = inner_w / n

    def x_of(i: int) -> float:
        return round(PAD_LEFT + step * (i + 0.5), 1)

    def y_of(value: float, top: float) -> float:
        return round(PAD_TOP + inner_h * (1 - (value / top if top else 0)), 1)

    series = []
    for name, (css, values) in lines.items():
        pts = [
            (x_of(i), y_of(v, y_max), f"{labels[i]}: {v:.0%}" if percent else f"{labels[i]}: {v}")
            for i, v in enumerate(values)
            if v is not None
        ]
        series.append(Series(name, css, " ".join(f"{x},{y}" for x, y, _ in pts), pts))
    drawn_bars = []
    if bars:
        top = max(bars) or 1
        for i, count in enumerate(bars):
            y = y_of(count, top)
            drawn_bars.append(
                Bar(
                    round(x_of(i) - step * 0.35, 1),
                    y,
                    round(step * 0.7, 1),
                    round(PAD_TOP + inner_h - y, 1),
                    f"{labels[i]}: {count}",
                )
            )
    every = max(1, n // 12)
    x_labels = [(x_of(i), label) for i, label in enumerate(labels) if i % every == 0]
    y_labels = [
        (y_of(y_max * f, y_max), f"{f * y_max:.0%}" if percent else f"{f * y_max:g}")
        for f in (0, 0.25, 0.5, 0.75, 1)
    ]
    return LineChart(WIDTH, HEIGHT, series, drawn_bars, x_labels, y_labels, PAD_TOP + inner_h)

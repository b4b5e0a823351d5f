"""Charts drawn on the server as SVG: columns (stacked or side by side), horizontal bars and a heat map.

Each chart scales with its viewBox, names itself (<title>, <desc>) for assistive technology and
carries its meaning in text as well as colour: series have a pattern each and a legend, values are
written next to bars. Colours are classes of static/css/charts.css (the Content-Security-Policy
allows no inline style). Every text is escaped here.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

from django.utils.safestring import SafeString, mark_safe

# Fill patterns, one per series in turn, so that no series is told apart by its colour alone.
PATTERNS = ("solid", "diagonal", "dots", "cross", "horizontal")


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    text: str  # written after the bar, e.g. "120 (80%)"


@dataclass(frozen=True)
class HeatCell:
    level: str  # a class suffix of charts.css: none, low, high, full, over, closed
    text: str  # written in the cell
    title: str  # the tooltip and the cell's name


@dataclass(frozen=True)
class HeatRow:
    label: str
    cells: Sequence[HeatCell]


def _e(text) -> str:
    return escape(str(text), quote=True)


def _open(chart_id: str, width: float, height: float, title: str, desc: str) -> list[str]:
    return [
        f'<svg class="chart" id="{_e(chart_id)}" viewBox="0 0 {width:g} {height:g}" role="img" '
        f'aria-labelledby="{_e(chart_id)}-title {_e(chart_id)}-desc" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{_e(chart_id)}-title">{_e(title)}</title>',
        f'<desc id="{_e(chart_id)}-desc">{_e(desc)}</desc>',
    ]


def _patterns(chart_id: str, count: int) -> list[str]:
    """One <pattern> per series: its colour class on a background, and marks in white over it."""
    marks = {
        "solid": "",
        "diagonal": '<path d="M0,8 L8,0" class="chart-mark"/>',
        "dots": '<circle cx="4" cy="4" r="1.4" class="chart-mark-dot"/>',
        "cross": '<path d="M0,4 H8 M4,0 V8" class="chart-mark"/>',
        "horizontal": '<path d="M0,4 H8" class="chart-mark"/>',
    }
    parts = ["<defs>"]
    for i in range(count):
        kind = PATTERNS[i % len(PATTERNS)]
        parts.append(
            f'<pattern id="{_e(chart_id)}-p{i}" width="8" height="8" patternUnits="userSpaceOnUse">'
            f'<rect width="8" height="8" class="chart-s{i}"/>{marks[kind]}</pattern>'
        )
    parts.append("</defs>")
    return parts


def _legend(chart_id: str, labels: Sequence[str], *, y: float, width: float) -> list[str]:
    parts, x = [], 0.0
    for i, label in enumerate(labels):
        room = 22 + 6.2 * len(label)
        if x + room > width and x:
            x, y = 0.0, y + 20
        parts.append(
            f'<rect x="{x:g}" y="{y - 11:g}" width="14" height="14" fill="url(#{_e(chart_id)}-p{i})" '
            f'class="chart-swatch"/><text x="{x + 19:g}" y="{y:g}" class="chart-label">{_e(label)}</text>'
        )
        x += room + 12
    return parts


def legend_height(labels: Sequence[str], width: float) -> float:
    lines, x = 1, 0.0
    for label in labels:
        room = 22 + 6.2 * len(label)
        if x + room > width and x:
            lines, x = lines + 1, 0.0
        x += room + 12
    return 20.0 * lines + 8


def _nice_top(value: float) -> float:
    """A round number at or above `value` for the top of the value axis."""
    if value <= 0:
        return 1
    step = 1.0
    while step * 10 < value:
        step *= 10
    for factor in (1, 2, 2.5, 5, 10):
        if value <= step * factor:
            return step * factor
    return step * 10


def columns(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[str],
    series: Sequence[Series],
    stacked: bool = True,
    label_every: int = 1,
    unit: str = "",
) -> SafeString:
    """Columns per category, the series stacked (or side by side), a legend, and the axis values."""
    width, left, top, plot_height = 720.0, 44.0, 10.0, 220.0
    labels = [s.label for s in series]
    totals = [
        sum(s.values[i] for s in series) if stacked else max((s.values[i] for s in series), default=0)
        for i in range(len(categories))
    ]
    peak = _nice_top(max(totals, default=0))
    plot_width = width - left - 8
    slot = plot_width / max(len(categories), 1)
    height = top + plot_height + 36 + legend_height(labels, width)
    parts = _open(chart_id, width, height, title, desc) + _patterns(chart_id, len(series))
    base = top + plot_height
    for tick in range(5):
        value = peak * tick / 4
        y = base - plot_height * tick / 4
        parts.append(f'<line x1="{left:g}" x2="{width - 8:g}" y1="{y:g}" y2="{y:g}" class="chart-grid"/>')
        parts.append(
            f'<text x="{left - 4:g}" y="{y + 4:g}" class="chart-axis" text-anchor="end">{value:g}{unit}</text>'
        )
    for i, category in enumerate(categories):
        x0 = left + slot * i
        parts += _column(chart_id, series, i, x0, slot, base, plot_height / peak, stacked)
        if i % label_every == 0:
            parts.append(
                f'<text x="{x0 + slot / 2:g}" y="{base + 16:g}" class="chart-axis" text-anchor="middle">'
                f"{_e(category)}</text>"
            )
    parts += _legend(chart_id, labels, y=base + 44, width=width)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through _e  # nosec B308 B703


def _column(chart_id, series, i, x0, slot, base, scale, stacked) -> list[str]:
    parts, y = [], base
    gap = min(slot * 0.2, 6)
    width = (slot - gap) if stacked else (slot - gap) / max(len(series), 1)
    for n, one in enumerate(series):
        value = one.values[i]
        if not value:
            continue
        height = value * scale
        x = x0 + gap / 2 + (0 if stacked else n * width)
        top = y - height if stacked else base - height
        parts.append(
            f'<rect x="{x:g}" y="{top:g}" width="{width:g}" height="{height:g}" fill="url(#{_e(chart_id)}-p{n})" '
            f'class="chart-bar"><title>{_e(one.label)}: {value:g}</title></rect>'
        )
        if stacked:
            y = top
    return parts


def bars(*, chart_id: str, title: str, desc: str, rows: Sequence[Bar], label_width: float = 220) -> SafeString:
    """Horizontal bars, one per row: its label on the left, its text after the bar."""
    width, row_height, text_room = 720.0, 28.0, 110.0
    height = row_height * max(len(rows), 1) + 8
    peak = max((row.value for row in rows), default=0) or 1
    room = width - label_width - text_room
    parts = _open(chart_id, width, height, title, desc) + _patterns(chart_id, 1)
    for i, row in enumerate(rows):
        y = 4 + i * row_height
        length = room * row.value / peak
        parts.append(
            f'<text x="{label_width - 8:g}" y="{y + 17:g}" class="chart-label" text-anchor="end">'
            f"{_e(_clip(row.label, 34))}<title>{_e(row.label)}</title></text>"
        )
        if length:
            parts.append(
                f'<rect x="{label_width:g}" y="{y + 4:g}" width="{length:g}" height="{row_height - 8:g}" '
                f'fill="url(#{_e(chart_id)}-p0)" class="chart-bar"/>'
            )
        parts.append(f'<text x="{label_width + length + 6:g}" y="{y + 17:g}" class="chart-label">{_e(row.text)}</text>')
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through _e  # nosec B308 B703


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"


def heat_map(
    *, chart_id: str, title: str, desc: str, columns: Sequence[str], rows: Sequence[HeatRow], label_width: float = 230
) -> SafeString:
    """Rows x columns of cells, each with its level's class and its text written in it."""
    cell, head = 26.0, 22.0
    width = label_width + cell * len(columns) + 4
    height = head + cell * len(rows) + 4
    parts = _open(chart_id, width, height, title, desc)
    for j, column in enumerate(columns):
        x = label_width + j * cell + cell / 2
        parts.append(f'<text x="{x:g}" y="{head - 8:g}" class="chart-axis" text-anchor="middle">{_e(column)}</text>')
    for i, row in enumerate(rows):
        y = head + i * cell
        parts.append(
            f'<text x="{label_width - 6:g}" y="{y + cell / 2 + 4:g}" class="chart-label" text-anchor="end">'
            f"{_e(_clip(row.label, 36))}<title>{_e(row.label)}</title></text>"
        )
        for j, one in enumerate(row.cells):
            x = label_width + j * cell
            parts.append(
                f'<g class="heat-{_e(one.level)}"><rect x="{x + 1:g}" y="{y + 1:g}" width="{cell - 2:g}" '
                f'height="{cell - 2:g}" class="heat-cell"><title>{_e(one.title)}</title></rect>'
                f'<text x="{x + cell / 2:g}" y="{y + cell / 2 + 3.5:g}" class="heat-text" text-anchor="middle">'
                f"{_e(one.text)}</text></g>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text above went through _e  # nosec B308 B703

"""Small server-rendered SVG charts for the pages: a price-history step chart and items-per-run bars.

They are built here, not in templates (geometry is code), and returned as Markup for the page templates:
every text in them (a status, a currency) is escaped here, every number is formatted here.

Both have labelled axes and show their values as text (not only in tooltips). The price chart keeps
changes apart: time runs left to right, but consecutive changes are at least MIN_GAP pixels apart, so
several changes within a day (or a minute: a demo) are each seen, with their times under them.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Sequence

from markupsafe import Markup, escape

STATUS_COLOURS = {"finished": "#2e7d32", "partial": "#558b2f", "suspect": "#f9a825", "incomplete": "#ef6c00",
                  "failed": "#c62828", "cancelled": "#757575", "abandoned": "#6a1b9a", "running": "#1565c0",
                  "queued": "#90a4ae"}
MIN_GAP = 72.0  # pixels between two consecutive price changes, however close in time (room for a date)
MIN_BAR = 4.0  # pixels: the height of the bar of a run that saw few or no items


def spread(fractions: Sequence[float], width: float, gap: float) -> list[float]:
    """x positions in [0, width] proportional to fractions (0..1), moved apart to at least `gap`."""
    if not fractions:
        return []
    gap = min(gap, width / max(len(fractions), 1))
    xs = [width * f for f in fractions]
    for i in range(1, len(xs)):
        xs[i] = max(xs[i], xs[i - 1] + gap)
    xs[-1] = min(xs[-1], width)
    for i in range(len(xs) - 2, -1, -1):
        xs[i] = min(xs[i], xs[i + 1] - gap)
    return [max(x, 0.0) for x in xs]


def nice_ticks(low: Decimal, high: Decimal, count: int = 4) -> list[Decimal]:
    """About `count` round values from low to high (steps of 1, 2 or 5 times a power of ten)."""
    span = high - low
    if span <= 0:
        return [low]
    raw = span / count
    power = Decimal(10) ** raw.adjusted()
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = (low / step).to_integral_value(rounding="ROUND_CEILING") * step
    ticks, value = [], first
    while value <= high:
        ticks.append(value)
        value += step
    return ticks


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def price_chart(points: Sequence[tuple[datetime, Decimal | None]], now: datetime, currency: str = "",
                width: int = 760, height: int = 280) -> Markup:
    """A step line of the price over time (a price holds until the next change); gaps where there was none.
    Each change has a point, its price above it and its date (and time, when a neighbour shares the date)
    below the axis."""
    priced = [p for _, p in points if p is not None]
    if not priced:
        return Markup(f'<svg id="price-chart" class="chart" width="{width}" height="{height}" role="img" '
                f'aria-label="no price history"><text x="20" y="{height // 2}">No price recorded yet</text></svg>')
    left, right, top, bottom = 78, 24, 24, 64
    plot_w, plot_h = width - left - right, height - top - bottom
    start, end = points[0][0], max(now, points[-1][0])
    span = max((end - start).total_seconds(), 1.0)
    # The last change stays a gap short of the right edge, where the line ends ("now").
    xs = [left + x for x in spread([(m - start).total_seconds() / span for m, _ in points], plot_w - MIN_GAP / 2,
                                   MIN_GAP)]
    x_end = left + plot_w
    low, high = min(priced), max(priced)
    pad = (high - low) * Decimal("0.15") or max(high * Decimal("0.1"), Decimal(1))
    low, high = max(low - pad, Decimal(0)), high + pad

    def y(price: Decimal) -> float:
        return top + plot_h * float((high - price) / (high - low))

    segments, dots, values = [], [], []
    last_value = -1e9  # a price's figure is written when it does not run into the one before
    for i, (moment, price) in enumerate(points):
        if price is None:
            continue
        until = xs[i + 1] if i + 1 < len(points) else x_end
        segments.append(f"M{xs[i]:.1f},{y(price):.1f} H{until:.1f}")
        if i + 1 < len(points) and points[i + 1][1] is not None:
            segments.append(f"V{y(points[i + 1][1]):.1f}")
        dots.append(f'<circle class="point" cx="{xs[i]:.1f}" cy="{y(price):.1f}" r="3.5">'
                    f'<title>{escape(f"{_money(price)} {currency} on {moment:%Y-%m-%d %H:%M:%S} UTC".strip())}'
                    f'</title></circle>')
        if xs[i] - last_value >= 40:
            last_value = xs[i]
            values.append(f'<text class="value" x="{xs[i]:.1f}" y="{y(price) - 8:.1f}" text-anchor="middle">'
                          f'{_money(price)}</text>')
    axis = [f'<line x1="{left}" y1="{top + plot_h}" x2="{x_end}" y2="{top + plot_h}" stroke="#999"/>',
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>']
    for tick in nice_ticks(low, high):
        axis.append(f'<line x1="{left - 4}" y1="{y(tick):.1f}" x2="{x_end}" y2="{y(tick):.1f}" stroke="#eee"/>'
                    f'<text class="y-tick" x="{left - 8}" y="{y(tick) + 4:.1f}" text-anchor="end">{_money(tick)}</text>')
    dates = [m.date() for m, _ in points]
    last_label = -1e9
    for i, (moment, _) in enumerate(points):
        if xs[i] - last_label < 70:  # dates need more room than prices; the points' tooltips keep every time
            continue
        last_label = xs[i]
        shares_day = (i > 0 and dates[i - 1] == dates[i]) or (i + 1 < len(points) and dates[i + 1] == dates[i])
        when = f'<tspan x="{xs[i]:.1f}" dy="13">{moment:%H:%M:%S}</tspan>' if shares_day else ""
        axis.append(f'<line x1="{xs[i]:.1f}" y1="{top + plot_h}" x2="{xs[i]:.1f}" y2="{top + plot_h + 4}" stroke="#999"/>'
                    f'<text class="x-tick" x="{xs[i]:.1f}" y="{top + plot_h + 16}" text-anchor="middle">'
                    f'<tspan>{moment:%Y-%m-%d}</tspan>'
                    f'{when}</text>')
    unit = f" ({escape(currency)})" if currency else ""
    axis.append(f'<text class="axis-title" x="14" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
                f'transform="rotate(-90 14 {top + plot_h / 2:.1f})">Price{unit}</text>'
                f'<text class="axis-title" x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">'
                f'Recorded (UTC); the line runs to now</text>')
    return Markup(f'<svg id="price-chart" class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="price history">{"".join(axis)}'
            f'<path class="price-line" d="{" ".join(segments)}" fill="none" stroke="#1565c0" stroke-width="2"/>'
            f'{"".join(dots)}{"".join(values)}</svg>')


def runs_chart(runs: Sequence, width: int = 520, height: int = 130) -> Markup:
    """Items seen per run, oldest first, one bar per run in its status's colour: a collapse stands out.
    A run that saw few or no items keeps a bar of MIN_BAR pixels, so it is never invisible."""
    if not runs:
        return Markup()
    left, right, top, bottom = 44, 8, 16, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    most = max(max(r.items_seen or 0 for r in runs), 1)
    slot = min(plot_w / len(runs), 36)
    bar_w = max(slot - 3, 2)
    bars = []
    for i, run in enumerate(runs):
        seen = run.items_seen or 0
        h = max(plot_h * seen / most, MIN_BAR)
        x = left + i * slot + (slot - bar_w) / 2
        colour = STATUS_COLOURS.get(run.status, "#9e9e9e")
        bars.append(f'<rect class="run-bar" data-run="{run.id}" data-status="{escape(run.status)}" '
                    f'x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'fill="{colour}"><title>run {run.id}: {seen} items, {escape(run.status)}</title></rect>')
        if slot >= 22:  # room for the figure above its bar
            bars.append(f'<text class="value" x="{x + bar_w / 2:.1f}" y="{top + plot_h - h - 3:.1f}" '
                        f'text-anchor="middle">{seen}</text>')
    axis = (f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#999"/>'
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#999"/>'
            f'<text class="y-tick" x="{left - 6}" y="{top + 4}" text-anchor="end">{most}</text>'
            f'<text class="y-tick" x="{left - 6}" y="{top + plot_h + 4}" text-anchor="end">0</text>'
            f'<text class="axis-title" x="12" y="{top + plot_h / 2:.1f}" text-anchor="middle" '
            f'transform="rotate(-90 12 {top + plot_h / 2:.1f})">items</text>'
            f'<text class="axis-title" x="{left + plot_w / 2:.1f}" y="{height - 6}" text-anchor="middle">'
            f'runs {runs[0].id}–{runs[-1].id}, oldest to newest</text>')
    return Markup(f'<svg class="chart runs-chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="items seen per run">{axis}{"".join(bars)}</svg>')

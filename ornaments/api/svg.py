"""Small server-rendered SVG charts for the pages: a price-history step chart and items-per-run bars."""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from html import escape
from typing import Sequence

STATUS_COLOURS = {"finished": "#2e7d32", "partial": "#558b2f", "suspect": "#f9a825", "incomplete": "#ef6c00",
                  "failed": "#c62828", "cancelled": "#757575", "abandoned": "#6a1b9a", "running": "#1565c0",
                  "queued": "#90a4ae"}


def price_chart(points: Sequence[tuple[datetime, Decimal | None]], now: datetime, width: int = 640,
                height: int = 220) -> str:
    """A step line of the price over time (a price holds until the next change); gaps where there was none."""
    priced = [p for _, p in points if p is not None]
    if not priced:
        return (f'<svg id="price-chart" class="chart" width="{width}" height="{height}" role="img" '
                f'aria-label="no price history"><text x="20" y="{height // 2}">No price recorded yet</text></svg>')
    left, right, top, bottom = 64, 16, 16, 28
    start, end = points[0][0], max(now, points[-1][0])
    span = max((end - start).total_seconds(), 1.0)
    low, high = min(priced), max(priced)
    pad = (high - low) * Decimal("0.1") or max(high * Decimal("0.1"), Decimal(1))
    low, high = max(low - pad, Decimal(0)), high + pad

    def x(moment: datetime) -> float:
        return left + (width - left - right) * (moment - start).total_seconds() / span

    def y(price: Decimal) -> float:
        return top + (height - top - bottom) * float((high - price) / (high - low))

    segments, dots = [], []
    for i, (moment, price) in enumerate(points):
        if price is None:
            continue
        until = points[i + 1][0] if i + 1 < len(points) else end
        segments.append(f"M{x(moment):.1f},{y(price):.1f} H{x(until):.1f}")
        if i + 1 < len(points) and points[i + 1][1] is not None:
            segments.append(f"V{y(points[i + 1][1]):.1f}")
        dots.append(f'<circle class="point" cx="{x(moment):.1f}" cy="{y(price):.1f}" r="3.5">'
                    f'<title>{escape(f"{price} on {moment:%Y-%m-%d %H:%M} UTC")}</title></circle>')
    axis = (f'<line x1="{left}" y1="{height - bottom}" x2="{width - right}" y2="{height - bottom}" stroke="#999"/>'
            f'<line x1="{left}" y1="{top}" x2="{left}" y2="{height - bottom}" stroke="#999"/>'
            f'<text x="{left - 6}" y="{y(max(priced)) + 4:.1f}" text-anchor="end">{max(priced)}</text>'
            f'<text x="{left - 6}" y="{y(min(priced)) + 4:.1f}" text-anchor="end">{min(priced)}</text>'
            f'<text x="{left}" y="{height - 8}">{start:%Y-%m-%d}</text>'
            f'<text x="{width - right}" y="{height - 8}" text-anchor="end">{end:%Y-%m-%d}</text>')
    return (f'<svg id="price-chart" class="chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="price history">{axis}'
            f'<path class="price-line" d="{" ".join(segments)}" fill="none" stroke="#1565c0" stroke-width="2"/>'
            f'{"".join(dots)}</svg>')


def runs_chart(runs: Sequence, width: int = 360, height: int = 70) -> str:
    """Items seen per run, oldest first, one bar per run in its status's colour: a collapse stands out."""
    if not runs:
        return ""
    most = max(max(r.items_seen for r in runs), 1)
    bar = max(min((width - 4) / len(runs), 24), 2)
    bars = []
    for i, run in enumerate(runs):
        h = max((height - 4) * run.items_seen / most, 1)
        colour = STATUS_COLOURS.get(run.status, "#9e9e9e")
        bars.append(f'<rect class="run-bar" data-run="{run.id}" data-status="{escape(run.status)}" '
                    f'x="{2 + i * bar:.1f}" y="{height - h:.1f}" width="{max(bar - 2, 1):.1f}" height="{h:.1f}" '
                    f'fill="{colour}"><title>run {run.id}: {run.items_seen} items, {escape(run.status)}</title></rect>')
    return (f'<svg class="chart runs-chart" width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
            f'role="img" aria-label="items per run">{"".join(bars)}</svg>')

"""Read what a run changed: the website's (and a person's) view of a sync. Runs without Scrapy."""

from __future__ import annotations

from dataclasses import dataclass, field

import sqlalchemy as sa

from ornaments.storage.schema import price_history, product_changes, products, sync_runs


@dataclass
class RunChanges:
    run: sa.Row
    new: list[sa.Row] = field(default_factory=list)
    prices: list[tuple[sa.Row, sa.Row | None]] = field(default_factory=list)  # (new price row, previous)
    fields: list[sa.Row] = field(default_factory=list)


def run_changes(engine: sa.Engine, run_id: int | None = None, vendor: str | None = None) -> RunChanges | None:
    """What run run_id (default: the latest run, of vendor if given) changed."""
    with engine.connect() as conn:
        query = sa.select(sync_runs).order_by(sync_runs.c.id.desc()).limit(1)
        if run_id is not None:
            query = sa.select(sync_runs).where(sync_runs.c.id == run_id)
        elif vendor is not None:
            query = query.where(sync_runs.c.vendor == vendor)
        run = conn.execute(query).first()
        if run is None:
            return None
        report = RunChanges(run)
        report.new = conn.execute(
            sa.select(products.c.vendor_product_id, products.c.name, products.c.price, products.c.currency)
            .where(products.c.vendor == run.vendor, products.c.created_at >= run.started_at,
                   products.c.id.in_(sa.select(price_history.c.product_id).where(price_history.c.run_id == run.id)))
            .order_by(products.c.vendor_product_id)).all()
        new_ids = {r.vendor_product_id for r in report.new}
        history = conn.execute(
            sa.select(price_history.c.id, price_history.c.product_id, price_history.c.price, price_history.c.currency,
                      products.c.vendor_product_id, products.c.name)
            .join(products, products.c.id == price_history.c.product_id)
            .where(price_history.c.run_id == run.id).order_by(products.c.vendor_product_id)).all()
        for row in history:
            if row.vendor_product_id in new_ids:
                continue
            previous = conn.execute(
                sa.select(price_history.c.price, price_history.c.currency)
                .where(price_history.c.product_id == row.product_id, price_history.c.id < row.id)
                .order_by(price_history.c.id.desc()).limit(1)).first()
            report.prices.append((row, previous))
        report.fields = conn.execute(
            sa.select(product_changes.c.field, product_changes.c.old_value, product_changes.c.new_value,
                      products.c.vendor_product_id, products.c.name)
            .join(products, products.c.id == product_changes.c.product_id)
            .where(product_changes.c.run_id == run.id)
            .order_by(products.c.vendor_product_id, product_changes.c.id)).all()
        return report


def format_changes(report: RunChanges) -> str:
    run = report.run
    lines = [f"Run {run.id}: {run.spider} ({run.mode}) {run.status}, started {run.started_at:%Y-%m-%d %H:%M:%S} - "
             f"{run.items_new} new, {run.items_updated} updated, {run.items_unchanged} unchanged, "
             f"{run.items_removed} removed, {run.items_dropped} dropped"]
    for row in report.new:
        lines.append(f"  new          {row.vendor_product_id:<16} {row.name}  {_money(row.price, row.currency)}")
    for row, previous in report.prices:
        before = _money(previous.price, previous.currency) if previous else "-"
        lines.append(f"  price        {row.vendor_product_id:<16} {row.name}  {before} -> {_money(row.price, row.currency)}")
    for row in report.fields:
        label = "removed" if row.field == "removed_at" and row.new_value else \
            "returned" if row.field == "removed_at" else row.field
        detail = "" if row.field == "removed_at" else f"  {row.old_value} -> {row.new_value}"
        lines.append(f"  {label:<12} {row.vendor_product_id:<16} {row.name}{detail}")
    if len(lines) == 1:
        lines.append("  nothing changed")
    return "\n".join(lines)


def _money(price, currency) -> str:
    return "no price" if price is None else f"{price:.2f} {currency or ''}".strip()

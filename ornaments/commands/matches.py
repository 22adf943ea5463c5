"""scrapy matches list|accept|reject|split|merge|link: the catalogue's review queue (docs/catalogue.md).

  list [--limit N]                 open proposals: both listings side by side, and why they were proposed
  accept PROPOSAL_ID               the listing is the proposed item's (a confirmed link)
  reject PROPOSAL_ID               not one product: never proposed or linked again
  split PRODUCT_ID                 take a listing off its item (an item of its own, confirmed)
  merge KEPT_ITEM MERGED_ITEM      two items are one product
  link                             match every stored product not yet in the catalogue
"""

from __future__ import annotations

import argparse
import unicodedata
from pathlib import Path

import sqlalchemy as sa
from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.commands.arguments import count, one_line_refusals, record_id
from ornaments.commands.failures import cannot_use_database, exit_on_database_errors
from ornaments.retry import RetryPolicy
from ornaments.storage import CatalogStore, migrate
from ornaments.storage.catalogue_review import Review, ReviewError

# What each action takes after its name.
ACTIONS: dict[str, tuple[str, ...]] = {"list": (), "accept": ("PROPOSAL_ID",), "reject": ("PROPOSAL_ID",),
                                       "split": ("PRODUCT_ID",), "merge": ("KEPT_ITEM", "MERGED_ITEM"), "link": ()}


class Command(ScrapyCommand):
    requires_project = True
    default_settings = {"LOG_ENABLED": False}

    def syntax(self) -> str:
        return "list [--limit N] | accept ID | reject ID | split PRODUCT_ID | merge KEPT_ITEM MERGED_ITEM | link"

    def short_desc(self) -> str:
        return "Review the cross-shop catalogue's match proposals; split or merge items"

    def add_options(self, parser: argparse.ArgumentParser) -> None:
        super().add_options(parser)
        parser.add_argument("--limit", type=count, default=20, help="how many proposals to list (default 20)")
        one_line_refusals(parser, "matches")  # `--limit 0`, `--limit` alone: one line, not the usage block

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in ACTIONS:
            unknown = f", not {args[0][:40]!r}" if args else ""
            raise UsageError(f"Say what to do: {', '.join(ACTIONS)} (see scrapy matches -h){unknown}.",
                             print_help=False)
        action, values = args[0], args[1:]
        names = ACTIONS[action]
        if len(values) != len(names):
            wanted = f"{len(names)} id{'' if len(names) == 1 else 's'}" + (f" ({' '.join(names)})" if names else "")
            extra = f" ({' '.join(values)[:60]})" if len(values) > len(names) else ""
            raise UsageError(f"matches {action} takes {wanted}, not {len(values)}{extra}.", print_help=False)
        ids = [_id(name, value, action) for name, value in zip(names, values)]
        url = self.settings.get("DATABASE_URL")
        _refuse_missing_file(url)
        store = CatalogStore(url, retry=RetryPolicy(attempts=2, backoff=0.5))
        try:
            _require_schema(store.engine)
            review = Review(store.engine)
            try:
                print(self._do(review, action, ids, opts))
            except ReviewError as exc:
                raise UsageError(f"matches {action}: {exc}.", print_help=False) from None
        finally:
            store.close()

    def _do(self, review: Review, action: str, ids: list[int], opts) -> str:
        if action == "list":
            return format_queue(review.proposals(limit=opts.limit))
        if action == "accept":
            return f"Proposal {ids[0]} accepted: the listing is item {review.accept(ids[0])}'s."
        if action == "reject":
            review.reject(ids[0])
            return f"Proposal {ids[0]} rejected: that listing will not be matched to that item again."
        if action == "split":
            return f"Listing {ids[0]} split off: item {review.split(ids[0])} is its own."
        if action == "merge":
            return f"Item {ids[1]} merged into item {review.merge(ids[0], ids[1])}."
        return f"{review.link_unlinked()} products matched."


def _id(name: str, value: str, action: str) -> int:
    try:
        return record_id(value)  # ASCII digits only, within BIGINT
    except argparse.ArgumentTypeError as exc:
        raise UsageError(f"matches {action} {name}: {exc}.", print_help=False) from None


def _refuse_missing_file(url: str) -> None:
    """A SQLite path that names no file: SQLite would make an empty database there (a typo in the path
    answered "No open proposals." and left a new file behind)."""
    parsed = sa.make_url(url)  # readable: exit_on_database_errors checked it
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:" \
            and not parsed.database.startswith("file:") and not Path(parsed.database).exists():
        cannot_use_database(f"the database file {parsed.database} does not exist (DATABASE_URL names it); "
                       "create it with `scrapy db upgrade`")


def _require_schema(engine: sa.Engine) -> None:
    """The database at this code's schema, or one line: review reads and decides, it never makes or migrates
    tables (create_tables(upgrade=False) made them in an empty database, and a database behind or ahead of
    the code was SchemaTooOld's or SchemaTooNew's traceback)."""
    current, has_tables = migrate.describe(engine)
    where = engine.url.render_as_string(hide_password=True)
    if not has_tables:
        cannot_use_database(f"{where} has no ornaments tables; create them with `scrapy db upgrade`")
    if current != migrate.head_revision():  # refused: SchemaTooOld/New, one line by exit_on_database_errors
        migrate.upgrade(engine, allow_upgrade=False)


def _printable(text: object) -> str:
    """A shop's text on one terminal line: a control character (a newline, an escape sequence) is shown
    escaped, not obeyed."""
    return "".join(c if unicodedata.category(c) not in ("Cc", "Cf", "Zl", "Zp") else f"\\x{ord(c):02x}"
                   if ord(c) < 0x100 else f"\\u{ord(c):04x}" for c in str(text))


def _line(side: dict) -> str:
    price = f"{side['price']} {side['currency']}" if side["price"] else "no price"
    numbers = ", ".join(side["item_numbers"]) or "no item number"
    series = f", #{side['series_number']} in series" if side["series_number"] else ""
    image = ", image" if side["image"] else ", no image"
    return (f"{side['vendor']}/{side['vendor_product_id']} [{side['product_id']}]: {side['name']} "
            f"({numbers}{series}, sku {side['sku'] or '-'}, gtin {side['gtin'] or '-'}, {side['year'] or 'year ?'}, "
            f"{price}, {side['availability']}{image})")


def format_queue(proposals: list[dict]) -> str:
    if not proposals:
        return "No open proposals."
    lines = []
    for p in proposals:
        item = p["item"]
        lines.append(f"#{p['id']}  score {p['score']:.2f}  why: {'; '.join(p['reasons'])}")
        lines.append(f"   listing  {_line(p['listing'])}")
        lines.append(f"   item {item['id']}: {item['name']} ({item['item_number'] or 'no number'}, "
                     f"{item['release_year'] or 'year ?'})")
        lines.extend(f"     {_line(s)}" for s in item["listings"])
    lines.append(f"{len(proposals)} proposals. accept ID | reject ID")
    return "\n".join(_printable(line) for line in lines)

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

from scrapy.commands import ScrapyCommand
from scrapy.exceptions import UsageError

from ornaments.commands.arguments import count, record_id
from ornaments.commands.failures import exit_on_database_errors
from ornaments.retry import RetryPolicy
from ornaments.storage import CatalogStore
from ornaments.storage.catalogue_review import Review, ReviewError

ACTIONS = {"list": 0, "accept": 1, "reject": 1, "split": 1, "merge": 2, "link": 0}


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

    @exit_on_database_errors
    def run(self, args: list[str], opts: argparse.Namespace) -> None:
        if not args or args[0] not in ACTIONS:
            raise UsageError(f"Say what to do: {', '.join(ACTIONS)} (see scrapy matches -h).", print_help=False)
        action, values = args[0], args[1:]
        if len(values) != ACTIONS[action]:
            raise UsageError(f"matches {action} takes {ACTIONS[action]} id(s), not {len(values)}.", print_help=False)
        try:
            ids = [record_id(v) for v in values]
        except argparse.ArgumentTypeError as exc:
            raise UsageError(f"matches {action}: {exc}.", print_help=False) from None
        store = CatalogStore(self.settings.get("DATABASE_URL"), retry=RetryPolicy(attempts=2, backoff=0.5))
        try:
            store.create_tables(upgrade=False)
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
    return "\n".join(lines)

"""The shapes of the API's answers, for the OpenAPI docs (/docs). Endpoints build their JSON themselves
(faster than validating every row) and declare these as response_model, which FastAPI documents and
does not re-check for a Response returned as is. Prices are decimal strings, times ISO 8601 UTC."""

from __future__ import annotations

from typing import Any, Optional

from pydantic import BaseModel, ConfigDict, Field, create_model

from ornaments.fields import FIELDS, ProductField


class Shape(BaseModel):
    # Every key an answer has is documented: the tests validate real answers against these.
    model_config = ConfigDict(extra="forbid")


Money = Optional[str]  # "1299.95"
Time = Optional[str]  # "2026-11-23T12:00:00Z"


# The product's fields come from ornaments.fields.FIELDS, their docs becoming the OpenAPI descriptions.
_API_TYPES: dict[str, Any] = {"money": str, "int": int, "json": list[str]}  # any other column: str


def _product_field(f: ProductField) -> tuple[Any, Any]:
    """(type, default) of a product field in an answer: prices as decimal strings ("1299.95"), image lists
    as lists (empty rather than null)."""
    kind = _API_TYPES.get(f.column, str)
    if f.column == "json":
        return kind, Field([], description=f.doc)
    if not f.nullable:
        return kind, Field(description=f.doc)
    return Optional[kind], Field(None, description=f.doc)


Product = create_model(
    "Product", __base__=Shape, __module__=__name__,
    id=(int, Field(description="the product's row id: never changes, pages of GET /products are ordered by it")),
    **{f.name: _product_field(f) for f in FIELDS},
    created_at=(Time, Field(None, description="when the product was first stored")),
    last_seen_at=(Time, Field(None, description="when a run last saw it")),
    changed_at=(Time, Field(None, description="when a tracked field last changed")),
    removed_at=(Time, Field(None, description="when it was marked removed (no longer listed by the shop)")),
    removed=(bool, Field(False, description="whether removed_at is set")),
)


class ProductPage(Shape):
    items: list[Product]
    next_cursor: Optional[str] = None
    limit: int


class Image(Shape):
    path: str
    public_url: Optional[str] = None
    source_url: Optional[str] = None
    status: str
    size: Optional[int] = None
    uploaded_at: Time = None


class ProductDetail(Product):
    images: list[Image] = []


class PricePoint(Shape):
    price: Money = None
    currency: Optional[str] = None
    recorded_at: Time = None
    run_id: Optional[int] = None


class Reduction(Shape):
    at: Time
    from_: Money = Field(None, alias="from")
    to: Money
    percent: Optional[str] = None
    current: bool


class Lowest(Shape):
    price: Money
    since: Time
    window_start: Time
    window_end: Time


class Extreme(Shape):
    price: Money
    first_at: Time
    last_at: Time


class Prices(Shape):
    vendor: str
    vendor_product_id: str
    currency: Optional[str] = None
    price: Money = None
    regular_price: Money = None
    percent_off: Optional[str] = None
    latest_reduction: Optional[Reduction] = None
    lowest_30_days_before_reduction: Optional[Lowest] = None
    all_time_low: Optional[Extreme] = None
    all_time_high: Optional[Extreme] = None
    history: list[PricePoint]


class Event(Shape):
    id: int
    type: str
    vendor: str
    vendor_product_id: str
    product_id: Optional[int] = None
    run_id: Optional[int] = None
    occurred_at: Time
    data: dict[str, Any]


class EventPage(Shape):
    events: list[Event]
    next_after: int
    more: bool


class Counts(Shape):
    new: int
    updated: int
    unchanged: int
    removed: int
    dropped: int
    seen: int
    errors: int


class Run(Shape):
    id: int
    spider: str
    vendor: str
    mode: str
    status: str
    started_at: Time
    finished_at: Time = None
    duration_seconds: Optional[float] = None
    reasons: list[str]
    finish_reason: Optional[str] = None
    counts: Counts
    held_back_removals: int


class RunDetail(Run):
    scope_year: Optional[int] = None
    arguments: dict[str, Any] = {}
    dropped_reasons: dict[str, int] = {}
    details: dict[str, Any] = {}
    removals_applied: Optional[dict[str, Any]] = None


class RunPage(Shape):
    runs: list[Run]
    next_before: Optional[int] = None


class VendorHealth(Shape):
    vendor: str
    run_id: int
    status: str
    started_at: Time
    finished_at: Time = None
    age_seconds: int


class Schema(Shape):
    current: Optional[str] = None
    head: str
    up_to_date: bool


class Health(Shape):
    status: str
    database: str
    schema_: Schema = Field(alias="schema")
    vendors: list[VendorHealth]


class ImportAccepted(Shape):
    run_id: int
    spider: str
    vendor: str
    full_catalogue: bool
    file: str
    size: int
    status: str
    run_url: str
    progress_url: str


class Error(Shape):
    error: str


ERRORS = {401: {"model": Error, "description": "no key, a wrong key or a revoked key"}}


class VendorLinkHealth(Shape):
    """The latest check of each of a vendor's products in the window, counted by outcome."""
    vendor: str
    checked: int
    ok: int = 0
    broken: int = 0
    redirected_away: int = Field(0, alias="redirected-away")
    price_mismatch: int = Field(0, alias="price-mismatch")
    out_of_stock_mismatch: int = Field(0, alias="out-of-stock-mismatch")
    broken_share: float  # broken + redirected-away, of checked


class LinkHealthPage(Shape):
    since: Time
    vendors: list[VendorLinkHealth]


class LinkCheckRow(Shape):
    id: int
    product_id: int
    vendor: str
    vendor_product_id: Optional[str] = None
    checked_at: Time
    link: str
    outcome: str
    status: Optional[int] = None
    final_url: Optional[str] = None
    chain: list[list[Any]] = []
    lands_on_product: Optional[bool] = None
    tracking_kept: Optional[bool] = None
    page_price: Money = None
    page_availability: Optional[str] = None
    detail: Optional[str] = None


class LinkCheckPage(Shape):
    items: list[LinkCheckRow]

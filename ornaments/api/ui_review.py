"""A person's decisions on the pages: Accept / Reject on each proposal of /ui/matches, Split a listing off
and Merge into another item on /ui/items/{id}. Plain HTML forms (no script) posting here; each decision
goes through the one code path the CLI and the API use (ornaments.storage.catalogue_review.Review).

Who may: a signed-in person whose key has the `write` scope (the login cookie, or a key sent as for the
API). Every form carries the CSRF token and must come from our own pages (ornaments.api.csrf), as log in
and log out do: the pages authenticate by a cookie, and a cookie is sent with another site's form too
(SameSite=Lax stops cross-site POSTs, not a sibling subdomain's, which is same-site). After the change,
303 to the page with a one-line outcome (redirect-after-POST: a reload does not decide twice). Refusals
are one line with their status: 401 not signed in, 403 a bad form or a read-only key, 404 an unknown
id (or one that is no number: a page, never FastAPI's JSON 422), 409 a proposal already decided or a
merge into itself, 400 a merge target that is not a number.
"""

from __future__ import annotations

from typing import Callable

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from ornaments.api import csrf
from ornaments.api.ids import form_id
from ornaments.api.page import page, redirect_with_flash, signed_in
from ornaments.storage.catalogue_review import Review, ReviewError

router = APIRouter(include_in_schema=False)


def _refused(request: Request, status: int, message: str, back: str) -> Response:
    return page(request, "catalogue/refused.html", status_code=status, signed=status != 401, back=back,
                flash={"message": message, "href": None, "kind": "refused"})


def _no_such(request: Request, what: str, text: str, back: str) -> Response:
    return _refused(request, 404, f"No {what} {text[:40]}: an id is a number such as 12.", back)


def _decide(request: Request, token: str, back: str, work: Callable[[Review], Response]) -> Response:
    """Check who asks and the form, then do `work` (which answers with a redirect); one line when refused."""
    caller = signed_in(request)
    if caller is None:
        return _refused(request, 401, "Log in first: deciding needs a signed-in key with the write scope.", back)
    if not csrf.valid(request, request.app.state.config.session_secret, token):
        return _refused(request, 403, "Refused: this form did not come from this site's pages, or it is older "
                                      "than this browser's session; reload the page and try again.", back)
    if "write" not in caller.scopes:
        return _refused(request, 403, "Your key may only read; deciding needs a key made with --write.", back)
    try:
        return work(Review(request.app.state.db.writer))
    except ReviewError as exc:
        text = str(exc)
        return _refused(request, 404 if text.startswith("no ") else 409, text[:1].upper() + text[1:] + ".", back)


# The ids in these paths are read here (form_id), not by FastAPI: its 422 for "abc" or a number beyond
# BIGINT would be JSON, not a page, and a 21-digit id reached the database as a 500.
@router.post("/ui/matches/{proposal}/accept")
def accept(request: Request, proposal: str, csrf_token: str = Form("")) -> Response:
    def work(review: Review) -> Response:
        if (proposal_id := form_id(proposal)) is None:
            return _no_such(request, "proposal", proposal, "/ui/matches")
        item_id = review.accept(proposal_id)
        return redirect_with_flash(request, "/ui/matches", f"Proposal #{proposal_id} accepted: the listing is "
                                   f"item {item_id}'s now (confirmed).", href=f"/ui/items/{item_id}")
    return _decide(request, csrf_token, "/ui/matches", work)


@router.post("/ui/matches/{proposal}/reject")
def reject(request: Request, proposal: str, csrf_token: str = Form("")) -> Response:
    def work(review: Review) -> Response:
        if (proposal_id := form_id(proposal)) is None:
            return _no_such(request, "proposal", proposal, "/ui/matches")
        review.reject(proposal_id)
        return redirect_with_flash(request, "/ui/matches", f"Proposal #{proposal_id} rejected: that listing is "
                                   "never proposed for that item again.")
    return _decide(request, csrf_token, "/ui/matches", work)


@router.post("/ui/listings/{listing}/split")
def split(request: Request, listing: str, csrf_token: str = Form(""), item: str = Form("")) -> Response:
    """From the item page (`item`, where to go back to): the listing becomes an item of its own."""
    from_item = form_id(item)
    back = f"/ui/items/{from_item}" if from_item else "/ui/matches"

    def work(review: Review) -> Response:
        if (product_id := form_id(listing)) is None:
            return _no_such(request, "listing", listing, back)
        new_id = review.split(product_id)
        return redirect_with_flash(request, back, f"Listing {product_id} split off: it is item {new_id} now, "
                                   "and is never matched to this item again.", href=f"/ui/items/{new_id}")
    return _decide(request, csrf_token, back, work)


@router.post("/ui/items/{item}/merge")
def merge(request: Request, item: str, csrf_token: str = Form(""), into: str = Form("")) -> Response:
    """This item is the same product as item `into`: its listings, keys and watches go there."""
    item_id = form_id(item)
    back = f"/ui/items/{item_id}" if item_id else "/ui/matches"

    def work(review: Review) -> Response:
        if item_id is None:
            return _no_such(request, "item", item, back)
        kept = form_id(into)
        if kept is None:  # "abc", "-3", or 5,000 digits (int() refuses those with a ValueError: a 500)
            return _refused(request, 400, f"Give the number of the item to merge into, not {into[:40]!r}.", back)
        if kept == item_id:
            raise ReviewError(f"item {item_id} cannot be merged into itself")
        review.merge(kept, item_id)
        return redirect_with_flash(request, f"/ui/items/{kept}", f"Item {item_id} merged into item {kept}: its "
                                   "listings, keys and watches are here now.")
    return _decide(request, csrf_token, back, work)

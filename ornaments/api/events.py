"""GET /events?after=<id>: the change feed (product_events, issue 12) for sites that poll.

Events are read in id order; a consumer keeps next_after and asks again with it. An event id is
committed with its change, so ids only grow, and a page never skips an event that was visible to it.
"""

from __future__ import annotations

import sqlalchemy as sa
from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse

from ornaments.api import models
from ornaments.api.auth import require_read
from ornaments.api.ids import after_id
from ornaments.events import EVENT_TYPES, event_json
from ornaments.events.feed import parse_types
from ornaments.events.shape import EVENT_GROUPS
from ornaments.storage.schema import product_events

router = APIRouter(tags=["events"], dependencies=[Depends(require_read)])


@router.get("/events", response_model=models.EventPage, responses=models.ERRORS, summary="Change events after an event id, oldest first")
def list_events(request: Request, after: int = after_id("the next_after of the previous page"),
                limit: int = Query(100, ge=1, le=1000), vendor: str | None = None,
                types: str | None = Query(None, description=f"comma-separated: {', '.join(EVENT_TYPES)}; or a "
                                                            f"group: {', '.join(EVENT_GROUPS)}; default: every type")
                ) -> JSONResponse:
    try:
        wanted = parse_types(types)
    except ValueError as exc:
        raise HTTPException(400, str(exc)) from None
    query = sa.select(product_events).where(product_events.c.id > after).order_by(product_events.c.id).limit(limit)
    if vendor:
        query = query.where(product_events.c.vendor == vendor)
    if wanted:
        query = query.where(product_events.c.type.in_(list(wanted)))
    rows = request.app.state.db.read(lambda conn: conn.execute(query).mappings().all(), "reading events")
    events = [event_json(r) for r in rows]
    return JSONResponse({"events": events, "next_after": events[-1]["id"] if events else after,
                         "more": len(events) == limit})

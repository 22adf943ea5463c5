"""Item events and watches end to end (issue 23): stores write them through the outbox, the webhook
dispatcher delivers them, signed, to a real receiver on 127.0.0.1. A watch triggers once per crossing. An
endpoint added without --events gets every type, item events and types a later version adds included;
one that chose `product` (or an old one, whose stored list predates item events) gets product events only."""

from __future__ import annotations

from decimal import Decimal

import pytest
import sqlalchemy as sa
from standardwebhooks import Webhook

from ornaments.clock import utcnow
from ornaments.events.shape import ITEM_EVENT_TYPES, PRODUCT_EVENT_TYPES
from ornaments.storage.catalogue_review import create_watch
from ornaments.storage.schema import product_events, webhook_endpoints
from ornaments.webhooks import endpoints
from ornaments.webhooks.dispatcher import Dispatcher
from ornaments.webhooks.signing import SecretBox
from tests.test_catalogue_review import item_of, listing
from tests.fixtures.receivers import WebhookReceiver
from tests.helpers import serving
from tests.test_webhooks import KEY, drain, fast_config

TYPES = "item_best_price_changed,item_stock_changed,watch_triggered"


def offer(vendor, price, availability="in_stock"):
    return listing(vendor, f"{vendor}-1", f"Frosty Friends {vendor}", sku="QX1234", price=price,
                   availability=availability)


def received(receiver, secret) -> list[dict]:
    verifier = Webhook(secret)
    events = {}
    for headers, body in receiver.deliveries:
        for event in verifier.verify(body, headers)["data"]["events"]:
            events[event["id"]] = event  # at least once: a retried batch may come twice
    return [events[i] for i in sorted(events)]


@pytest.mark.three_databases  # MariaDB writes item states through its own statement (item_state.write_states)
def test_best_price_stock_and_watches_reach_a_webhook_once_per_crossing(matching_store, webhook_receiver, database_url):
    store = matching_store
    endpoint_id, secret = endpoints.add(store.engine, SecretBox(KEY), webhook_receiver.url, types=TYPES, since=0)
    for vendor, price in (("shop_a", "30.00"), ("shop_b", "28.00"), ("shop_c", "25.00")):
        store.write_batch(None, 0, [offer(vendor, price)])
    item = item_of(store, "shop_a", "shop_a-1")
    assert item == item_of(store, "shop_c", "shop_c-1")
    watch_id, now_events = create_watch(store.engine, item, "price_at_or_below", "USD", Decimal("20.00"), None, "list-7")
    assert now_events == []  # 25.00 is not at or below 20.00
    back_watch, _ = create_watch(store.engine, item, "back_in_stock", None, None, None, "shopper-9")
    # one crossing (19), holding (18), no longer (25), a second crossing (19)
    for price in ("19.00", "18.00", "25.00", "19.00"):
        store.write_batch(None, 0, [offer("shop_c", price)])
    for vendor in ("shop_a", "shop_b", "shop_c"):  # the shops sell out one by one
        store.write_batch(None, 0, [offer(vendor, "30.00" if vendor == "shop_a" else "28.00" if vendor == "shop_b"
                                          else "19.00", "out_of_stock")])
    store.write_batch(None, 0, [offer("shop_b", "28.00")])  # back in stock at one shop
    dispatcher = Dispatcher(fast_config(database_url), store.engine)
    # best price 25 -> 19 (a crossing), 18, 25 (no longer), 19 (a second crossing); the sell-out: 19 stays
    # best until shop_c goes (then nothing); shop_b back: 28.
    expected = [("item_best_price_changed", "25.00", "19.00"), ("watch_triggered", None, None),
                ("item_best_price_changed", "19.00", "18.00"), ("item_best_price_changed", "18.00", "25.00"),
                ("item_best_price_changed", "25.00", "19.00"), ("watch_triggered", None, None),
                ("item_stock_changed", 3, 2), ("item_stock_changed", 2, 1),
                ("item_best_price_changed", "19.00", None), ("item_stock_changed", 1, 0),
                ("item_best_price_changed", None, "28.00"), ("item_stock_changed", 0, 1), ("watch_triggered", None, None)]
    drain(dispatcher, lambda: len(received(webhook_receiver, secret)) >= len(expected) + 4)
    dispatcher.close(dispose_engine=False)
    events = received(webhook_receiver, secret)

    def brief(e):
        d = e["data"]
        if e["type"] == "item_best_price_changed":
            return e["type"], d["old"].get("USD"), d["new"].get("USD")
        if e["type"] == "item_stock_changed":
            return e["type"], d["old_shops_in_stock"], d["shops_in_stock"]
        return e["type"], None, None
    assert [brief(e) for e in events][4:] == expected, [brief(e) for e in events]
    assert [brief(e) for e in events][:4] == [  # shops b and c join the item shop_a made
        ("item_best_price_changed", "30.00", "28.00"), ("item_stock_changed", 1, 2),
        ("item_best_price_changed", "28.00", "25.00"), ("item_stock_changed", 2, 3)]
    watch_hits = [e["data"] for e in events if e["type"] == "watch_triggered"]
    assert [(w["watch_id"], w["reference"], w["price"]) for w in watch_hits] == \
        [(watch_id, "list-7", "19.00"), (watch_id, "list-7", "19.00"), (back_watch, "shopper-9", None)]
    last = [e["data"]["last_shop_in_stock"] for e in events if e["type"] == "item_stock_changed"]
    assert last == [False, False, False, True, False, True]  # 2 -> 1: "the last shop in stock", the collector's signal
    assert all(e["vendor"] == "catalogue" and e["vendor_product_id"] == str(item) for e in events)


def test_best_prices_are_the_json_of_the_lowest_in_stock_price_per_currency():
    """The directly written text is json.dumps' own (states compare as text: no spurious change events)."""
    import json
    from collections import namedtuple

    from ornaments.storage import item_state
    offer = namedtuple("offer", "vendor price currency availability removed_at")
    cases = ([], [offer("a", Decimal("12.5"), "USD", "in_stock", None), offer("b", Decimal("9"), "USD", "in_stock", None)],
             [offer("a", Decimal("3.999"), "EUR", "in_stock", None), offer("b", Decimal("1"), "USD", "in_stock", None),
              offer("c", Decimal("0.5"), "USD", "out_of_stock", None)],
             [offer("a", Decimal("2"), 'U"S', "in_stock", None)])
    expected = ({}, {"USD": "9.00"}, {"EUR": "4.00", "USD": "1.00"}, {'U"S': "2.00"})
    for offers, prices in zip(cases, expected):
        text = item_state.compute(offers)["best_prices"]
        assert text == json.dumps(prices) and json.loads(text) == prices


def test_an_endpoint_without_a_filter_gets_every_type_one_with_product_only_product_events(matching_store,
                                                                                         database_url):
    store = matching_store
    with serving(WebhookReceiver()) as every, serving(WebhookReceiver()) as product, serving(WebhookReceiver()) as old:
        every_id, every_secret = endpoints.add(store.engine, SecretBox(KEY), every.url, since=0)
        _, product_secret = endpoints.add(store.engine, SecretBox(KEY), product.url, types="product", since=0)
        old_id, old_secret = endpoints.add(store.engine, SecretBox(KEY), old.url, since=0)
        with store.engine.begin() as conn:  # as an endpoint added without --events before item events existed
            conn.execute(webhook_endpoints.update().where(webhook_endpoints.c.id == old_id)
                         .values(event_types=",".join(PRODUCT_EVENT_TYPES)))
        with store.engine.connect() as conn:
            stored = dict(conn.execute(sa.select(webhook_endpoints.c.id, webhook_endpoints.c.event_types)).all())
        assert stored[every_id] == "*"
        for vendor, price in (("shop_a", "30.00"), ("shop_b", "28.00")):
            store.write_batch(None, 0, [offer(vendor, price)])
        with store.engine.begin() as conn:  # a type a later version adds
            conn.execute(product_events.insert().values(type="item_discontinued", vendor="catalogue",
                                                        vendor_product_id="1", occurred_at=utcnow(), data="{}"))
        dispatcher = Dispatcher(fast_config(database_url), store.engine)
        types_of = lambda receiver, secret: [e["type"] for e in received(receiver, secret)]  # noqa: E731
        drain(dispatcher, lambda: len(types_of(every, every_secret)) >= 5 and len(types_of(product, product_secret)) >= 2
              and len(types_of(old, old_secret)) >= 2)
        assert types_of(every, every_secret) == ["created", "created", "item_best_price_changed", "item_stock_changed",
                                                 "item_discontinued"]
        assert types_of(product, product_secret) == ["created", "created"]  # product events as before
        assert types_of(old, old_secret) == ["created", "created"]  # its stored list: unchanged behaviour
        # `scrapy webhooks events ID item`: item events from the endpoint's cursor on.
        endpoints.set_types(store.engine, old_id, "item")
        store.write_batch(None, 0, [offer("shop_b", "27.00")])
        drain(dispatcher, lambda: len(types_of(old, old_secret)) >= 3 and len(types_of(every, every_secret)) >= 7)
        assert types_of(old, old_secret)[2:] == ["item_best_price_changed"]
        assert types_of(every, every_secret)[5:] == ["price_changed", "item_best_price_changed"]
        assert set(types_of(old, old_secret)[2:]) <= set(ITEM_EVENT_TYPES)
        dispatcher.close(dispose_engine=False)

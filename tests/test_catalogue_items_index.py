"""GET /items on PostgreSQL: a name search goes through the trigram index of the folded name (ix_catalog_items_search_name_trgm) and
a best-price page in any currency starts its index scan of item_prices at the cursor, instead of reading the table or every cheaper item.
bench/items_api.py times the pages at 1,000,000 products. And the catalogue tables get statistics as they grow."""

from __future__ import annotations

from decimal import Decimal

from ornaments.api.items import item_conditions, item_query
from ornaments.storage import CatalogStore
from tests.helpers import plan_of, store_filled_by

ITEMS = """
INSERT INTO catalog_items (brand, item_number, name, search_name, release_year, offers, shops_in_stock, best_prices, best_price,
                           best_currency, state_at, created_at, updated_at)
SELECT 'hallmark', NULL, 'Keepsake Ornament ' || j || ' ' || md5(j::text),
       'keepsake ornament ' || j || ' ' || md5(j::text), 1973 + j %% 54, 2, 1, '{}',
       10 + (j %% 400) / 4.0, 'USD', now(), now(), now()
FROM generate_series(1, 60000) AS j;
INSERT INTO item_prices (item_id, currency, price)
SELECT id, 'USD', best_price FROM catalog_items
UNION ALL SELECT id, 'EUR', best_price - 1 FROM catalog_items WHERE id %% 10 = 0
"""



def test_item_pages_use_their_indexes(pg_url):
    store = store_filled_by(pg_url, ITEMS, "catalog_items, item_prices")
    with store.engine.connect() as conn:
        by_name = item_query(item_conditions("ornament 43210 ", None, None, None), "id", None).limit(51)
        plan = plan_of(conn, by_name)
        assert "ix_catalog_items_search_name_trgm" in plan and "Seq Scan" not in plan, plan
        names = [r.name for r in conn.execute(by_name)]  # every word, anywhere in the name
        assert "43210" in [n.split()[2] for n in names] and all("43210" in n and "Ornament" in n for n in names)

        for currency, count in (("USD", 51), ("EUR", 51)):  # the main currency, and one a tenth of items have
            cheapest = item_query(item_conditions(None, None, None, None), "best_price",
                                  (Decimal("50.00"), 30000), currency).limit(51)
            plan = plan_of(conn, cheapest)
            index_cond = [line for line in plan.splitlines() if "Index Cond" in line]
            assert "ix_item_prices_currency_price" in plan and "Seq Scan" not in plan, plan
            assert any("ROW(price, item_id) >" in c for c in index_cond), plan
            page = [(r.price_in_currency, r.id) for r in conn.execute(cheapest)]
            assert page == sorted(page) and len(page) == count
            assert page[0] > (Decimal("50.00"), 30000)
    store.close()


def test_the_catalogue_tables_statistics_follow_a_first_sync(pg_url):
    """The catalogue's tables grow with products in a first sync; CatalogStore ANALYZEs them with products,
    so the state refresh's joins and the key probes are not planned for empty tables."""
    from tests.test_storage import FAST_RETRY, row
    store = CatalogStore(pg_url, retry=FAST_RETRY, match_catalogue=True)
    try:
        store.create_tables()
        for batch in range(2):
            store.write_batch(None, batch, [row(i, sku=f"Q{'XABCDEFGHI'[i // 1000]}{1000 + i % 1000}")
                                            for i in range(batch * 5000, (batch + 1) * 5000)])
        assert store.analyzed >= 1
        with store.engine.connect() as conn:
            # By regclass, not by name: other tests (test_schema) leave same-named tables in other schemas
            # of this worker's database; these are the store's own (search_path: public).
            analyzed = dict(conn.exec_driver_sql(
                "SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables WHERE relid IN "
                "('catalog_items'::regclass, 'item_listings'::regclass, 'item_keys'::regclass, "
                "'match_proposals'::regclass)").all())
            items = conn.exec_driver_sql("SELECT reltuples FROM pg_class WHERE oid = 'catalog_items'::regclass").scalar()
        assert analyzed == dict.fromkeys(("catalog_items", "item_listings", "item_keys", "match_proposals"), True)
        assert items >= 5000
    finally:
        store.close()


def test_new_items_go_in_by_copy_with_their_text_and_times_as_given(pg_url):
    """New items are COPYed (ids from the sequence): CSV's own characters in a name come back as they were,
    an absent value is NULL, times are the batch's, and the ids are the sequence's, in the batch's order."""
    from tests.test_storage import FAST_RETRY, row
    store = CatalogStore(pg_url, retry=FAST_RETRY, match_catalogue=True)
    tricky = 'Angel, "the" \\N one\nline two ™ QX1234'
    try:
        store.create_tables()
        store.write_batch(None, 0, [row(1, name=tricky, sku="QX1234", image_urls=[]),
                                    row(2, name="Plain QX2345", sku="QX2345")])
        with store.engine.connect() as conn:
            items = conn.exec_driver_sql("SELECT id, name, item_number, image_url, series, created_at, state_at "
                                         "FROM catalog_items ORDER BY id").all()
            linked_at = conn.exec_driver_sql("SELECT min(linked_at) FROM item_listings").scalar()
            next_id = conn.exec_driver_sql("SELECT nextval(pg_get_serial_sequence('catalog_items', 'id'))").scalar()
        assert [(i.name, i.item_number, i.image_url, i.series) for i in items] == [
            (tricky, "QX1234", None, None), ("Plain QX2345", "QX2345", "https://s.example/2.jpg", None)]
        assert items[0].id < items[1].id < next_id
        assert items[0].created_at == items[0].state_at == linked_at and linked_at.tzinfo is not None
    finally:
        store.close()

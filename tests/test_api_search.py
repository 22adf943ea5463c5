"""GET /products?q= on PostgreSQL: text anywhere in the name or SKU is found through the trigram index
(ix_products_name_sku_trgm), not by reading the whole table. bench/search.py times it at 1,000,000.
The SKU that is a bound of the column's histogram is the case a CI run met: with the default 100 bounds it
was estimated at 1% of the table and the page walked the primary key (migration search_statistics)."""

from __future__ import annotations

import hashlib

from ornaments.api.products import product_query
from tests.helpers import plan_of, store_filled_by

FILL = """
INSERT INTO products (vendor, vendor_product_id, sku, name, availability, content_hash, created_at, last_seen_at,
                      changed_at)
SELECT 'vendor_' || (i %% 4), 'P' || i, 'QX' || lpad(i::text, 7, '0'), 'Keepsake Ornament ' || i || ' ' || md5(i::text),
       'in_stock', md5(i::text), now(), now(), now()
FROM generate_series(1, 60000) AS i
"""
MIDDLE_BOUND = ("SELECT (histogram_bounds::text::text[])[array_length(histogram_bounds::text::text[], 1) / 2] "
                "FROM pg_stats WHERE schemaname = 'public' AND tablename = 'products' AND attname = 'sku'")



def test_text_search_uses_the_trigram_index(pg_url):
    store = store_filled_by(pg_url, FILL, "products")
    wanted = hashlib.md5(b"43210").hexdigest()
    with store.engine.connect() as conn:
        bound = conn.exec_driver_sql(MIDDLE_BOUND).scalar()
        # A SKU that is a histogram bound, a rare SKU, part of a name (another case), a name's hash part, with a vendor filter and a cursor.
        for query, expected in ((product_query(q=bound.lower(), limit=101), {f"P{int(bound[2:])}"}),
                                (product_query(q="qx0043210", limit=101), {"P43210"}),
                                (product_query(q=wanted[3:15].upper(), limit=101), {"P43210"}),
                                (product_query(q="ornament 4321 ", vendor="vendor_1", limit=101), {"P4321"}),
                                (product_query(q="QX004321", after=43000, limit=101),
                                 {f"P{i}" for i in range(43210, 43220)})):
            plan = plan_of(conn, query)
            assert "ix_products_name_sku_trgm" in plan and "Seq Scan" not in plan, plan
            assert {r.vendor_product_id for r in conn.execute(query)} == expected
    store.close()

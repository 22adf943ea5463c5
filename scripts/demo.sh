#!/usr/bin/env bash
# An offline sync into SQLite: yesterday's feed, then today's, then what changed.
set -euo pipefail
cd "$(dirname "$0")/.."
# Offline: the sample feeds' image hosts do not exist, so image downloads are off (empty IMAGES_STORE).
export DATABASE_URL="${DATABASE_URL:-sqlite:///ornaments.sqlite3}" ORNAMENTS_EXPORT_URI="" ORNAMENTS_LOG_LEVEL=WARNING   IMAGES_STORE=""
SCRAPY=".venv/bin/scrapy"
# Crawls refuse a database older than the code; a demo database left by an older checkout is upgraded here.
"$SCRAPY" db upgrade >/dev/null
echo "== Day 1: syncing feeds/google_merchant.xml into ${DATABASE_URL}"
"$SCRAPY" crawl google_merchant -a feed=google_merchant.xml
"$SCRAPY" changes --vendor google_merchant
echo
echo "== Day 2: the same feed once more (nothing should change)"
"$SCRAPY" crawl google_merchant -a feed=google_merchant.xml
"$SCRAPY" changes --vendor google_merchant
echo
echo "== Day 3: syncing feeds/google_merchant-next-day.xml (a price drop, a restock, a new and a gone product)"
"$SCRAPY" crawl google_merchant -a feed=google_merchant-next-day.xml
"$SCRAPY" changes --vendor google_merchant
echo
echo "== The change events a website would consume (scrapy changes --since 0; the cursor goes to stderr)"
"$SCRAPY" changes --since 0 --types price_changed,back_in_stock,out_of_stock,removed,returned

#!/usr/bin/env bash
# An offline sync into SQLite: the day before's feed, the same feed again, then today's feed
# (feeds/google_merchant.xml, the spider's default feed), then what changed. The sample feeds' images are
# files beside them (feeds/images/, linked relative to the feed), so nothing goes to the network, and
# the README's everyday examples, run afterwards, read today's feed and keep the demo's changes.
set -euo pipefail
cd "$(dirname "$0")/.."
export DATABASE_URL="${DATABASE_URL:-sqlite:///ornaments.sqlite3}" ORNAMENTS_EXPORT_URI="" ORNAMENTS_LOG_LEVEL=WARNING
SCRAPY=".venv/bin/scrapy"
# Crawls refuse a database older than the code; a demo database left by an older checkout is upgraded here.
"$SCRAPY" db upgrade >/dev/null
echo "== Day 1: syncing feeds/google_merchant-previous-day.xml into ${DATABASE_URL} (images into ${IMAGES_STORE:-images/})"
"$SCRAPY" crawl google_merchant -a feed=google_merchant-previous-day.xml
"$SCRAPY" changes --vendor google_merchant
echo
echo "== Day 2: the same feed once more (nothing should change)"
"$SCRAPY" crawl google_merchant -a feed=google_merchant-previous-day.xml
"$SCRAPY" changes --vendor google_merchant
echo
echo "== Day 3: syncing today's feeds/google_merchant.xml (a price drop, a restock, a new and a gone product)"
"$SCRAPY" crawl google_merchant
"$SCRAPY" changes --vendor google_merchant
echo
echo "== The change events a website would consume (scrapy changes --since 0; the cursor goes to stderr)"
"$SCRAPY" changes --since 0 --types price_changed,back_in_stock,out_of_stock,removed,returned
echo
echo "== See them in the pages: scrapy apikeys create --name me; scrapy api; then open http://127.0.0.1:8000/ui/runs"

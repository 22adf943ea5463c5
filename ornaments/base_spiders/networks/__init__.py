"""Spider bases for affiliate networks' own feeds and APIs: Awin, Rakuten Advertising, CJ, Impact
(docs/affiliate-networks.md). Each is a layout or mapping on an existing base (CSV, XML, JSON API)."""

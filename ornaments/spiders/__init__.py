"""One spider per affiliate shop or feed. Base classes live in ornaments.base_spiders."""

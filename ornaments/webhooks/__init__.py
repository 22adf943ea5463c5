"""Webhooks: endpoints stored in the database, signed deliveries of product_events (Standard Webhooks),
retried and never lost. `scrapy webhooks add|list|remove|test|deliver|dead|resume|redeliver`."""

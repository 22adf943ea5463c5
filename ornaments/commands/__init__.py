"""Project commands: `scrapy changes`, `scrapy schedules`, `scrapy runs`, and `scrapy crawl` with exit codes."""

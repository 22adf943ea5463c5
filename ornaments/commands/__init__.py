"""Project commands: `scrapy changes`, `scrapy schedules`, `scrapy runs`, `scrapy db`, and `scrapy crawl` with exit codes."""

"""Project commands: `scrapy changes`, `scrapy schedules`, `scrapy runs`, `scrapy db`, `scrapy feedfiles`, `scrapy s3events`, and `scrapy crawl` with exit codes."""

"""Project commands: `scrapy changes`, `scrapy schedules`, `scrapy db`."""

"""Project commands: `scrapy changes`, `scrapy schedules`."""

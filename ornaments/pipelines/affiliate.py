"""AffiliateLinkPipeline: a product without a tracked link gets one from its vendor's link template.

Network feeds give affiliate_url themselves (aw_deep_link, CJ buy-url, Impact Url) and keep it; for a
shop we scrape, ORNAMENTS_AFFILIATE_LINKS names the vendor's network and advertiser id, and the
publisher ids come from ORNAMENTS_<NETWORK>_PUBLISHER_ID (ornaments.deeplinks, docs/affiliate-networks.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ornaments.env import SettingError
from ornaments.deeplinks import LinkConfigError, LinkTemplate, parse_templates
from ornaments.items import item_values


@dataclass(frozen=True)
class AffiliateLinkConfig:
    templates: dict[str, LinkTemplate] = field(default_factory=dict)  # vendor -> template

    @classmethod
    def from_settings(cls, settings) -> "AffiliateLinkConfig":
        publisher_ids = {network: settings.get(f"ORNAMENTS_{network.upper()}_PUBLISHER_ID", "")
                         for network in ("awin", "cj", "rakuten")}
        try:
            return cls(parse_templates(settings.getdict("ORNAMENTS_AFFILIATE_LINKS") or {}, publisher_ids))
        except LinkConfigError as exc:
            raise SettingError(str(exc)) from None  # one line and exit 2 (ornaments.env)


class AffiliateLinkPipeline:
    def __init__(self, config: AffiliateLinkConfig, stats):
        self.templates = config.templates
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler):
        # Without templates it passes items on (Scrapy would log a WARNING for a NotConfigured every run).
        return cls(AffiliateLinkConfig.from_settings(crawler.settings), crawler.stats)

    def process_item(self, item):
        if not self.templates:
            return item
        values = item_values(item)
        template = self.templates.get(values.get("vendor"))
        url = values.get("url")
        if template is not None and url and not values.get("affiliate_url"):
            item["affiliate_url"] = template.link(url)
            self.stats.inc_value("ornaments/affiliate/links_built")
        return item

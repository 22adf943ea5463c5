"""Affiliate links built from a merchant page's URL, per network (docs/affiliate-networks.md).

A network feed carries its own tracked link (Awin aw_deep_link, CJ buy-url, Impact Url); a shop we scrape
has only its page, so a per-vendor template builds the link a buyer is sent to. The forms are the
networks' documented deep links (../shared/real-data/affiliate-deeplink-templates.tsv):

    awin     https://www.awin1.com/cread.php?awinmid=<advertiser>&awinaffid=<publisher>[&clickref=<sub>]&ued=<url>
    cj       https://www.anrdoezrs.net/links/<PID>/type/dlg/[sid/<sub>/]<url, not encoded>
    rakuten  https://click.linksynergy.com/deeplink?id=<publisher>&mid=<advertiser>&murl=<url>[&u1=<sub>]
    query    <url> with ?<param>=<value> added (a shop's own programme: ?ref=..., ?aff=...)

Pure functions; no Scrapy, no environment (settings.py reads the publisher ids).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping
from urllib.parse import parse_qsl, quote, urlencode, urlsplit, urlunsplit

NETWORKS = ("awin", "cj", "rakuten", "query")
class LinkConfigError(ValueError):
    """A link template that cannot work (which vendor, which key, why)."""


@dataclass(frozen=True)
class LinkTemplate:
    network: str
    publisher_id: str = ""  # awinaffid / CJ PID / Rakuten id, from the environment
    advertiser_id: str = ""  # awinmid / Rakuten mid
    sub_id: str = ""  # clickref / sid / u1: which site or page earned the sale
    param: str = ""  # query: the parameter name
    value: str = ""  # query: its value

    def link(self, url: str) -> str:
        """The tracked link that sends a buyer to url."""
        if self.network == "awin":
            query = {"awinmid": self.advertiser_id, "awinaffid": self.publisher_id}
            if self.sub_id:
                query["clickref"] = self.sub_id
            return f"https://www.awin1.com/cread.php?{urlencode(query)}&ued={quote(url, safe='')}"
        if self.network == "cj":
            sid = f"sid/{quote(self.sub_id, safe='')}/" if self.sub_id else ""
            return f"https://www.anrdoezrs.net/links/{self.publisher_id}/type/dlg/{sid}{url}"
        if self.network == "rakuten":
            tail = f"&u1={quote(self.sub_id, safe='')}" if self.sub_id else ""
            return (f"https://click.linksynergy.com/deeplink?id={quote(self.publisher_id, safe='')}"
                    f"&mid={quote(self.advertiser_id, safe='')}&murl={quote(url, safe='')}{tail}")
        return with_query(url, self.param, self.value)


def with_query(url: str, param: str, value: str) -> str:
    """url with param=value set (an existing value of param replaced), the rest of its query kept."""
    parts = urlsplit(url)
    pairs = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if k != param]
    pairs.append((param, value))
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(pairs), parts.fragment))


def parse_templates(spec: Mapping[str, Any], publisher_ids: Mapping[str, str]) -> dict[str, LinkTemplate]:
    """{vendor: {"network": "awin", "advertiser_id": "1234", "sub_id": "..."}} -> {vendor: LinkTemplate};
    the publisher id of a network comes from publisher_ids (the environment), unless the entry names one.
    LinkConfigError names the vendor and the key that is wrong."""
    if not isinstance(spec, Mapping):
        raise LinkConfigError("ORNAMENTS_AFFILIATE_LINKS must be a JSON object {vendor: {network: ...}}")
    templates: dict[str, LinkTemplate] = {}
    for vendor, entry in spec.items():
        where = f"ORNAMENTS_AFFILIATE_LINKS[{vendor!r}]"
        if not isinstance(entry, Mapping):
            raise LinkConfigError(f"{where} must be an object such as {{\"network\": \"awin\", \"advertiser_id\": \"1234\"}}")
        network = str(entry.get("network", "")).strip().lower()
        if network not in NETWORKS:
            raise LinkConfigError(f"{where}: network must be one of {', '.join(NETWORKS)}, not {entry.get('network')!r}")
        unknown = set(entry) - {"network", "publisher_id", "advertiser_id", "sub_id", "param", "value"}
        if unknown:
            raise LinkConfigError(f"{where}: unknown key(s) {', '.join(sorted(unknown))}")
        template = LinkTemplate(network, str(entry.get("publisher_id") or publisher_ids.get(network) or ""),
                                str(entry.get("advertiser_id", "")), str(entry.get("sub_id", "")),
                                str(entry.get("param", "")), str(entry.get("value", "")))
        needed = {"awin": ("publisher_id", "advertiser_id"), "cj": ("publisher_id",),
                  "rakuten": ("publisher_id", "advertiser_id"), "query": ("param", "value")}[network]
        for key in needed:
            if not getattr(template, key):
                env = f" (or ORNAMENTS_{network.upper()}_PUBLISHER_ID)" if key == "publisher_id" else ""
                raise LinkConfigError(f"{where}: a {network} link needs {key}{env}")
        templates[str(vendor)] = template
    return templates


# Hosts of the networks' click redirectors: a product link on one of them is a tracked link.
CLICK_HOSTS = ("anrdoezrs.net", "jdoqocy.com", "tkqlhce.com", "dpbolvw.net", "kqzyfj.com", "awin1.com",
               "linksynergy.com")
_DESTINATION_PARAMS = ("url", "ued", "murl", "u", "RD_PARM1")


def is_tracked(link: str, extra_hosts: tuple[str, ...] = ()) -> bool:
    """Whether link is on a network's redirector: CLICK_HOSTS, or extra_hosts (a brand's own Impact
    domain such as goto.walmart.com; "host" or "host:port")."""
    parts = urlsplit(link)
    host = (parts.hostname or "").lower()
    return any(host == h or host.endswith("." + h) for h in CLICK_HOSTS) or \
        bool(extra_hosts) and (host in extra_hosts or parts.netloc.lower() in extra_hosts)


def destination(link: str) -> str | None:
    """The merchant page a tracked link leads to, when the link names it: ?url= (CJ click-), ued= (Awin),
    murl= (Rakuten), u= (Impact), or CJ's /links/<PID>/type/dlg/[sid/<sub>/]<url>."""
    parts = urlsplit(link)
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    for name in _DESTINATION_PARAMS:
        if query.get(name, "").startswith(("http://", "https://")):
            return query[name]
    marker = "/type/dlg/"
    if marker in link:
        tail = link.split(marker, 1)[1]
        if tail.startswith("sid/"):
            tail = tail.split("/", 2)[2] if tail.count("/") >= 2 else ""
        return tail if tail.startswith(("http://", "https://")) else None
    return None


def split_tracked(link: str | None) -> tuple[str | None, str | None]:
    """(the merchant's page, the tracked link or None) of a feed's product link: a network feed that
    puts its click URL where the page belongs (CJ's Google-format feeds) keeps both."""
    if not link or not is_tracked(link):
        return link, None
    return destination(link) or link, link

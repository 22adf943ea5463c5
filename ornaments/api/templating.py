"""The pages' templates: one Jinja2 environment over ornaments/api/templates, shipped in the package.

Autoescape is on for .html templates, so every value a page shows is escaped where it is written; only
Markup built safely (the SVG charts of ornaments.api.svg, the templates' own macros) passes as it is.
StrictUndefined makes a name a template uses but a page does not give an error, not an empty string.

A page template extends base.html and fills its blocks: `title` (before " · ornaments"), `content` (the
body under the navigation) and, when it needs one of the static scripts, `scripts`.
"""

from __future__ import annotations

from urllib.parse import quote

from jinja2 import Environment, PackageLoader, StrictUndefined, pass_context, select_autoescape
from markupsafe import Markup


def product_href(vendor: str, vendor_product_id: str) -> str:
    """A product's page, its two keys quoted as path segments."""
    return f'/ui/products/{quote(vendor, safe="")}/{quote(vendor_product_id, safe="")}'


def web_url(url: object) -> str | None:
    """A link a page may write: an http(s) address only (never javascript: or data:), else None."""
    return url if isinstance(url, str) and url.lower().startswith(("https://", "http://")) else None


@pass_context
def csrf_input(context) -> Markup:
    """A form's hidden CSRF field, from the page's `csrf_field` and `csrf_token` (ornaments.api.page.page)."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(context["csrf_field"], context["csrf_token"])


environment = Environment(
    loader=PackageLoader("ornaments.api", "templates"),  # also from inside a zipped egg
    autoescape=select_autoescape(["html"]),
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=False,
)
environment.globals.update(product_href=product_href, csrf_input=csrf_input)
environment.filters["web_url"] = web_url
environment.filters["money"] = lambda amount: f"{amount:.2f}"  # Decimal's own rounding, not float's


def render(name: str, **context) -> str:
    """The template `name` filled with `context`."""
    return environment.get_template(name).render(**context)

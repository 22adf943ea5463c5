"""Write the replica shops: `python -m tests.sites.build` (the committed files under tests/sites/<site>/).

    python -m tests.sites.build                          every replica (each vendor's layouts and themes)
    python -m tests.sites.build --synthetic 5000 DIR     a generated shop per platform, for bench/
"""

from __future__ import annotations

import argparse
import shutil
from functools import partial
from pathlib import Path
from typing import Callable

from tests.sites import (bigcommerce_theme_markup, hallmark_ornaments_markup, hookedonhallmark_markup,
                         ornament_shop_markup, shift4shop_markup)
from tests.sites.catalog import SHOPS, Shop, synthetic

HERE = Path(__file__).parent
# site -> (the vendor whose catalog and spider it is for, the builder of its markup)
SITES: dict[str, tuple[str, Callable[[Shop, Path], None]]] = {
    "hookedonhallmark": ("hookedonhallmark", hookedonhallmark_markup.build),  # its own old layout
    "hookedonhallmark_2026": ("hookedonhallmark", shift4shop_markup.build),  # Shift4Shop, sitemap index
    "ornament_shop": ("ornament_shop", ornament_shop_markup.build),  # BigCommerce, Cornerstone
    "ornament_shop_theme": ("ornament_shop", bigcommerce_theme_markup.build),  # BigCommerce, another theme
    "hallmark_ornaments": ("hallmark_ornaments", hallmark_ornaments_markup.build),  # 3dcart, JS grid
    "hallmark_ornaments_theme": ("hallmark_ornaments", partial(hallmark_ornaments_markup.build, theme="other")),
    "hallmark_ornaments_2026": ("hallmark_ornaments", shift4shop_markup.build),  # static listings, JSON-LD
    # the live paging: `_c_<id>-<n>-<m>.html`, ?viewall=1 answering page 1 only, pagers in <nav>s
    "hallmark_ornaments_paged": ("hallmark_ornaments", partial(shift4shop_markup.build, paged=True)),
    "hookedonhallmark_paged": ("hookedonhallmark", partial(shift4shop_markup.build, paged=True)),
}


def build(shop: Shop, root: Path, site: str | None = None) -> Path:
    """Write `site` (default: the vendor's own replica) for the catalog `shop` into root."""
    vendor, builder = SITES[site or shop.vendor]
    assert vendor == shop.vendor, (site, shop.vendor)
    if root.exists():
        shutil.rmtree(root)
    builder(shop, root)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, help="products per generated shop")
    parser.add_argument("directory", nargs="?", type=Path, default=HERE)
    args = parser.parse_args()
    for site, (vendor, _builder) in SITES.items():
        shop = synthetic(vendor, args.synthetic) if args.synthetic else SHOPS[vendor]
        print(build(shop, args.directory / site, site))


if __name__ == "__main__":
    main()

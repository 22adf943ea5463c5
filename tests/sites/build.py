"""Write the replica shops: `python -m tests.sites.build` (the committed files under tests/sites/<vendor>/).

    python -m tests.sites.build                          the three test replicas
    python -m tests.sites.build --synthetic 5000 DIR     a generated shop per platform, for bench/
"""

from __future__ import annotations

import argparse
import shutil
from pathlib import Path

from tests.sites import hallmark_ornaments_markup, hookedonhallmark_markup, ornament_shop_markup
from tests.sites.catalog import SHOPS, Shop, synthetic

HERE = Path(__file__).parent
BUILDERS = {
    "hookedonhallmark": hookedonhallmark_markup.build,
    "ornament_shop": ornament_shop_markup.build,
    "hallmark_ornaments": hallmark_ornaments_markup.build,
}


def build(shop: Shop, root: Path) -> Path:
    if root.exists():
        shutil.rmtree(root)
    BUILDERS[shop.vendor](shop, root)
    return root


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--synthetic", type=int, help="products per generated shop")
    parser.add_argument("directory", nargs="?", type=Path, default=HERE)
    args = parser.parse_args()
    for vendor, shop in SHOPS.items():
        if args.synthetic:
            shop = synthetic(vendor, args.synthetic)
        print(build(shop, args.directory / vendor))


if __name__ == "__main__":
    main()

<?xml version="1.0" encoding="UTF-8"?>
<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>https://www.ornament-shop.com/xmlsitemap.php?type=products&amp;page=1</loc></sitemap><sitemap><loc>https://www.ornament-shop.com/xmlsitemap.php?type=categories&amp;page=1</loc></sitemap></sitemapindex>

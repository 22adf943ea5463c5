"""Where a listing's manufacturer number and GTIN are read from, how they are spelled, and the traps that
must give none (issue 23): ornaments/catalogue/numbers.py and ladder.facts, one rule per test."""

from __future__ import annotations

import json

from ornaments.catalogue import barcodes, labels, ladder, names, numbers


def facts(**row):
    return ladder.facts({"brand": "Hallmark", "release_year": 2023, "name": "Frosty Friends", **row})


def test_sku_spellings_shops_use_are_one_number():
    for spelling in ("HMK-QX9201", "QX-9201", "QX9201.", "2023QX9201", "QX 920-1", "qx9201", "hall-qx9201",
                     "1799QX9201", "QX 9201"):
        assert numbers.hallmark_numbers(spelling) == ["QX9201"], spelling
    assert numbers.hallmark_numbers("1995QX5219") == ["QX5219"]


def test_the_number_is_read_from_the_url_slug_and_image_names_when_sku_and_name_say_nothing():
    by_slug = facts(sku="ORN-1042", url="https://shop.example/products/frosty-friends-2023-qx9201?variant=4312")
    assert by_slug.number == "QX9201"
    stored_images = json.dumps(["https://cdn.shopify.com/s/files/1/0999/products/QX9201_1.jpg?v=1690000000"])
    assert facts(sku=None, image_urls=stored_images).number == "QX9201"  # as the products table holds them
    assert facts(sku=None, image_urls=["https://e.example/cImages/qx9201-front.jpg"]).number == "QX9201"
    # the host and the query are not the product's: a tracking link's ids say nothing
    assert facts(url="https://www.awin1.com/pclick.php?p=QX1234&a=1").number is None
    # two images named after two ornaments: which one is this? none
    assert facts(image_urls=["https://e.example/QX9201_1.jpg", "https://e.example/QX8765_1.jpg"]).number is None


def test_a_number_the_description_labels_as_the_listings_own_is_read():
    for text in ("Item #: QXI7288", "Hallmark # QXI7288", "Style QXI7288", "Keepsake Ornament QXI7288.",
                 "MPN: QXI7288", "Dated 2023. Item No. QXI 7288"):
        assert facts(description=text).number == "QXI7288", text


def test_description_numbers_that_point_at_other_ornaments_are_not_the_listings():
    for text in ("Pairs with last year's Frosty Friends (QX1234).", "Also see QX1234.",
                 "Complete the set with QX1234 and QX5678.", "Customers also bought: Snow Buddies - QX1234",
                 "Also see Keepsake Ornament QX1234."):
        assert facts(description=text).number is None, text
    # the label wins over a cross-sell in the same text, before or after it, even without a full stop
    assert facts(description="Pairs with last year's Frosty Friends (QX1234). Item #: QX9201").number == "QX9201"
    assert facts(description="Customers also bought: Snow Buddies - QX1234 Style QX9201").number == "QX9201"
    assert facts(description="Hallmark # QX9201 Also see QX1234").number == "QX9201"
    # one plain mention in a sentence that points nowhere else is the listing's own
    assert facts(description="Dated 2023, QX9201, in its gift box.").number == "QX9201"
    # several plain numbers: a description that lists ornaments names none of its own
    assert facts(description="Frosty Friends QX1234 and Snow Buddies QX5678 in one box.").number is None


def test_sku_and_name_come_before_the_description_and_several_there_make_a_bundle():
    assert facts(sku="QX9201", description="Item #: QX1234").number == "QX9201"
    bundle = facts(sku="QX1234-QX5678", name="Lot of 2 Frosty Friends 2022 & 2023 QX1234 QX5678")
    assert bundle.numbers == ("QX1234", "QX5678") and bundle.number is None
    kittens = facts(sku="KITTENS-SET", name="Mischievous Kittens Set of 3",
                    description="Includes Kittens 21st (QX1111), Kittens 22nd (QX2222), Kittens 23rd (QX3333).")
    assert kittens.number is None


def test_gtins_are_read_from_the_gtin_field_in_any_spelling():
    upc = "763795920150"
    assert barcodes.gtin(upc) is not None
    for spelling in (upc, "0" + upc, "00" + upc, "7 63795 92015 0", "763795-92015-0", "0 763795 920150"):
        assert facts(gtin=spelling).gtins == ("00" + upc,), spelling
    assert facts(gtin="7.63795E+11").gtins == ()  # a spreadsheet ate it
    assert facts(gtin="7.6379592015E+11").gtins == ("00" + upc,)  # a float that kept every digit
    assert facts(gtin="36000291452").gtins == ("00036000291452",)  # a UPC whose leading 0 was dropped
    assert facts(gtin="36000291453").gtins == ()


def test_a_gtin_in_an_all_digit_sku_or_labelled_in_the_description_is_read():
    assert facts(sku="763795920150").gtins == ("00763795920150",)
    assert facts(sku="0763795920150").gtins == ("00763795920150",)
    assert facts(sku="763795920151").gtins == ()  # a shop's number: the check digit is wrong
    assert facts(sku="7234567890").gtins == ()  # not a GTIN's length
    assert facts(description="Gift boxed. UPC: 7 63795 92015 0").gtins == ("00763795920150",)
    assert facts(description="EAN 0763795920150").gtins == ("00763795920150",)
    assert facts(description="763795920150 in stock").gtins == ()  # digits without a label are anyone's
    assert facts(gtin="036000291452", sku="763795920150").gtins == ("00036000291452",)  # the field first


def test_brand_spellings_and_a_fillers_brand():
    for brand in ("Hallmark Keepsake Ornaments®", "HALLMARK", "Hallmark Cards", "Keepsake", "hallmark keepsake"):
        assert numbers.brand_key(brand) == "hallmark", brand
    # a CJ feed's manufacturer "t" is no brand: the listing's own words decide
    assert facts(brand="t", name="Frosty Friends QX9201").brand == "hallmark"
    assert facts(brand=None, name="Frosty Friends", description="A Hallmark Keepsake ornament.").brand == "hallmark"
    assert numbers.brand_key("Department 56") == "department56"


def test_the_year_comes_from_the_field_then_the_name_then_the_url():
    assert facts(release_year=None, name="Baby's First Christmas (2022)").year == 2022
    assert facts(release_year=None, name="Baby's First Christmas",
                 url="https://w.example/product/babys-first-christmas-2021/").year == 2021
    assert facts(release_year=None, name="Baby's First Christmas", url="https://w.example/p/42").year is None


def test_a_number_used_in_two_years_is_not_linked_from_a_listing_without_a_year():
    santa = ladder.Candidate(1, "hallmark", "QX5219", 1995, "Santa's Visitors")
    snoopy = ladder.Candidate(2, "hallmark", "QX5219", 2015, "Peanuts Snoopy and Woodstock")
    yearless = ladder.facts({"brand": "Hallmark", "sku": "QX5219", "name": "Hallmark Keepsake Ornament QX5219"})
    assert yearless.year is None
    assert ladder.number_link(yearless, [santa, snoopy]) is None
    # a name wholly unlike one of them leaves one to link (the number decides, the name only rules out)
    named = ladder.facts({"brand": "Hallmark", "sku": "QX5219", "name": "Santa's Visitors Ornament"})
    assert ladder.number_link(named, [santa, snoopy]) == santa
    dated = ladder.facts({"brand": "Hallmark", "sku": "QX5219", "name": "1995 Santa's Visitors"})
    assert ladder.number_link(dated, [santa, snoopy]) == santa


def test_without_a_year_on_one_side_rung_two_needs_names_not_wholly_unlike():
    yearless_item = ladder.Candidate(1, "hallmark", "QX4036", None, "The Grinch Stole Christmas Keepsake Ornament")
    cool_decade = ladder.facts({"brand": "Hallmark", "sku": "QX4036", "name": "1998 Hallmark Cool Decade NIB"})
    grinch = ladder.facts({"brand": "Hallmark", "sku": "QX4036", "name": "Hallmark 2018 The Grinch Ornament"})
    assert ladder.number_link(cool_decade, [yearless_item]) is None
    assert ladder.number_link(grinch, [yearless_item]) == yearless_item
    assert names.unlike("Cool Decade", "The Grinch Stole Christmas") and not names.unlike("Grinch", "")


def test_an_item_made_from_a_gtin_only_listing_is_found_by_the_number_key_it_got_since():
    """The item's own number and brand are empty (its first listing had a GTIN and no brand); a later
    listing with GTIN and number linked to it and gave it the key "hallmark:QX9201"."""
    gtin_only = ladder.Candidate(7, "", None, 2023, "Frosty Friends 2023", ("00763795920150",))
    numbered = facts(sku="QX9201")
    assert ladder.number_link(numbered, [gtin_only]) == gtin_only


def test_an_old_shop_id_that_looks_like_a_barcode_or_a_number_is_not_one():
    assert facts(sku="256123456789", name="Frosty Friends").number is None
    assert facts(sku="CJ_66293", url="http://www.jdoqocy.com/click-3893793-10505159?url=x").number is None


def test_an_html_description_is_read_as_a_person_reads_it():
    """Feeds pass a shop's body HTML on: tags and entities must not hide a label, and a paragraph ends
    a sentence, so a cross-sell in the next paragraph does not void the listing's own label."""
    cross_sell = "<p>Goes great with Snow Buddies (QX1234), sold separately.</p>"
    for own in ("<p>Item #: <b>QX9201</b></p>", "<li>Item&nbsp;#:&nbsp;QX9201</li>", "<p>Item &#35;: QX9201</p>",
                "<table><tr><th>Item Number</th><td>QX9201</td></tr></table>", "<p>Item #: <b>QX 920-1</b></p>"):
        assert facts(description=own + cross_sell).number == "QX9201", own
    assert facts(description="<p>Gift boxed.</p><p>UPC:&nbsp;763795920150</p>").gtins == ("00763795920150",)
    assert labels.plain_text("Santa & Mrs. Claus, 4 in. tall") == "Santa & Mrs. Claus, 4 in. tall"
    # a page's entities left in a name are decoded: "&#39;s" is no "#39" in a series
    named = facts(name="Santa&#39;s Workshop (2019)", release_year=None)
    assert named.name == "Santa's Workshop (2019)" and names.series_number(named.name) is None


def test_a_licensors_name_in_the_brand_field_gives_way_to_hallmark_in_the_listings_words():
    """Marketplaces put the licensed property in the brand field ("Disney", "Star Wars")."""
    titled = facts(brand="Disney", name="Hallmark Keepsake 2014 QXD5887 Disney Cinderella's Coach")
    assert (titled.brand, titled.number) == ("hallmark", "QXD5887")
    specifics = facts(brand="Star Wars", name="2020 Star Wars Darth Vader Ornament",
                      description="Brand: Hallmark | Year: 2020 | MPN: QXI3236 | UPC: Does not apply")
    assert (specifics.brand, specifics.number) == ("hallmark", "QXI3236")
    # a maker we know keeps its brand, whatever the words say; an unknown one keeps its own unless the word
    # Hallmark or a Hallmark number (its pattern is Hallmark's alone) names the maker
    assert facts(brand="Kurt Adler", name="Santa, fits Hallmark stands").brand == "kurtadler"
    assert facts(brand="Disney", name="Cinderella's Coach QXD5887").brand == "hallmark"
    assert facts(brand="Disney", name="Cinderella's Coach", sku="400012345678").brand == "disney"


def test_hallmarks_abbreviation_hmk_is_hallmark_as_a_brand_and_glued_to_a_number():
    """Wholesale sheets: brand "HMK", sku "HMKQX9201"."""
    assert numbers.brand_key("HMK") == "hallmark"
    assert numbers.hallmark_numbers("HMKQX9201") == ["QX9201"]
    assert facts(brand="HMK", sku="HMKQXI7288", name="HMK 2023 STAR WARS DARTH VADER ORN").number == "QXI7288"
    assert numbers.hallmark_numbers("ABQX9201") == []  # other letters glued on: not a number we can trust


def test_the_year_a_name_states_is_its_latest():
    """A name mentions earlier years, not later ones: a car's model year, an anniversary's start."""
    for name in ("1987 Buick Grand National (2019)", "2019 Hallmark Keepsake 1987 Buick Grand National",
                 "Frosty Friends 40th Anniversary 1980-2019"):
        assert facts(release_year=None, name=name).year == 2019, name
    assert facts(release_year=2019, name="1987 Buick Grand National").year == 2019  # the field first


def test_a_lot_of_several_ornaments_is_an_item_of_its_own_even_naming_one_number():
    for name in ("Hallmark Santa's Mailbox QX8716 + 1 more ornaments lot", "Lot of 4 Hallmark ornaments QX8716",
                 "Hallmark Keepsake Lot (5) Frosty Friends QX8716", "Frosty Friends QX8716 and 3 more",
                 "HUGE LOT vintage Hallmark QX8716"):
        assert facts(name=name).numbers == (), name
    # Hallmark's own sets and names with the word are one product under one number
    for name in ("Santa's Reindeer Set of 3", "Christmas Tree Lot", "Christmas Tree Lot 2nd in series",
                 "Tree Lot 2019", "A Lot of Love"):
        assert facts(name=name, sku="QX8716").number == "QX8716", name
    assert names.disagreement("Santa's Mailbox + 2 more", "Santa's Mailbox") == "differ in set"


def test_a_cases_gtin_gives_its_units_and_a_upc_without_its_leading_zero_is_read_from_the_sku():
    # GS1: indicator digit 1-8, the unit's GTIN-13 body, a new check digit
    assert facts(gtin="10763795920157").gtins == ("10763795920157", "00763795920150")
    assert facts(gtin="763795920150").gtins == ("00763795920150",)  # a unit's: nothing more
    # a spreadsheet dropped the 0 of UPC 036000291452; the check digit still decides
    assert facts(sku="36000291452").gtins == ("00036000291452",)
    assert facts(sku="36000291453").gtins == ()


# --- the fourth catalogue's shops (tests/catalogue_truth_unseen3.py) ----------------------------------

def test_vintage_sellers_old_style_number_with_a_dot_is_one_number():
    for spelling in ("QX531.6", "qx 531-6", "QX-531-6", "QX 531.6"):
        assert numbers.hallmark_numbers(spelling) == ["QX5316"], spelling
    assert facts(name="1994 Frosty Friends QX531.6 Eskimo", sku=None).number == "QX5316"
    assert numbers.hallmark_numbers("QX531") == []  # still cut short without its last digit


def test_european_shops_labels_give_the_listing_its_number():
    for label in ("Artikelnummer:", "Art.-Nr.:", "Art.-Nr.", "Herstellernummer:", "Hersteller-Nr.:", "HAN:",
                  "Modellnummer:", "Référence\u00a0:", "Réf.", "Réf. fabricant :", "Fabrikantcode:", "Productcode:"):
        described = facts(sku="WH-4821", description=f"Jahresornament 2023.\n{label} QX9201\nPreis: 24,95 €")
        assert described.number == "QX9201", label
        assert numbers.own_description_numbers(f"{label} QX9201")[0] == ["QX9201"], label


def test_cross_sells_and_keyword_lists_in_any_language_give_no_number():
    for text in ("Passend dazu: Frosty Friends (QX1234)", "Vous aimerez aussi\u00a0: Star Wars réf. QXI5108",
                 "Bijpassend: Snow Buddies QX1234", "Tags: christmas ornament, hallmark, qx1234, 1993 ornament"):
        assert facts(sku=None, description=text).number is None, text
    # a price tag is not a keyword list
    assert facts(sku=None, description="Used, no box. Tag reads 2999QXI3961.").number == "QXI3961"
    # the label's abbreviating dot does not split it from a cross-sell before it
    assert facts(sku=None, description="Also see Item No. QX1234").number is None


def test_other_makers_numbers_in_european_labels_the_makers_label_first():
    text = "Original Department 56 Weihnachtsschmuck.\nArtikelnummer: 15525\nHerstellernummer: 4051270"
    assert numbers.labelled_numbers(text) == ["4051270", "15525"]
    assert ladder.facts({"brand": "Dept 56", "name": "Grinch Sleigh", "description": text}).number == "4051270"
    # a label starts a word: "Department 4051270" is no "art" label
    assert numbers.labelled_numbers("Department 4051270") == []
    assert numbers.labelled_numbers("Vous aimerez aussi : Grinch Sleigh réf. 4051270") == []


def test_retailers_maker_abbreviations_and_a_maker_named_without_a_brand():
    for brand, key in (("D56", "department56"), ("Department56", "department56"), ("OWC", "oldworldchristmas"),
                       ("KSA", "kurtadler"), ("Kurt S. Adler", "kurtadler"), ("Precious Moments Inc.", "preciousmoments")):
        assert numbers.brand_key(brand) == key, brand
    assert numbers.brand_key(None, "Retro Department 56 Christmas Ornament Grinch Sleigh") == "department56"
    assert ladder.facts({"name": "Hollywood Nutcracker", "description": "Boule de Noël Kurt Adler."}).brand == "kurtadler"


def test_another_makers_number_as_a_bare_sku_is_read_last():
    assert ladder.facts({"brand": "Department 56", "name": "Grinch Sleigh", "sku": "4051270"}).number == "4051270"
    assert ladder.facts({"brand": "Kurt Adler", "name": "Glass Peacock", "sku": "HA3635"}).number == "HA3635"
    labelled = {"brand": "Kurt Adler", "name": "Snowman Skier", "sku": "GG-5044", "description": "Mfr. # C6649"}
    assert ladder.facts(labelled).number == "C6649"
    assert ladder.facts({**labelled, "sku": "48213"}).number == "C6649"  # the label wins over a bare sku
    for sku in ("4521", "GG-5044", "027978794533"):  # a short id, a shop code, a UPC
        assert ladder.facts({"brand": "Old World Christmas", "name": "Pickle", "sku": sku}).number is None, sku


def test_an_empty_box_a_display_or_a_dream_book_is_not_the_ornament_it_names():
    for name in ("Hallmark Empty Box for Frosty Friends QX1370 - NO ORNAMENT", "BOX ONLY Frosty Friends QX1370",
                 "Hallmark Store Display Sign for Frosty Friends QX1684", "1994 Dream Book QX1370"):
        assert facts(name=name).number is None, name
        assert names.disagreement(name, "Frosty Friends QX1370") is not None


def test_a_gift_year_in_a_sellers_title_is_not_the_ornaments():
    assert names.year_in("VTG 2017 Hallmark Frosty Friends QX9548 Perfect 2023 Christmas Gift") == 2017
    assert names.year_in("1994 Cheerful Santa Gift for Christmas 2024") == 1994
    assert names.year_in("1987 Buick Grand National (2019)") == 2019  # a model year is still earlier


def test_the_old_styles_dot_and_a_hash_after_a_label_are_read_in_a_description():
    # "QX278.6": the dot between digits does not end the sentence (it was read as "QX278." and dropped)
    assert numbers.own_description_numbers("Here Comes Santa by Hallmark. Item #: QX278.6") == (["QX2786"], [])
    assert facts(name="Jolly Wolly Snowman", description="Réf. fabricant : QLX286.1 Prix : 62,49 €").number == "QLX2861"
    # a "#" after the label's colon: "HAN: #4051270", "Réf. : #QXD8599", "Number on box: #6015608"
    assert numbers.labelled_numbers("Modellnummer: #6034938 Preis: 60,90 €") == ["6034938"]
    assert numbers.labelled_numbers("Handcrafted. Number on box: #6015608 Tags: vintage") == ["6015608"]
    assert numbers.own_description_numbers("Réf. : #QXD8599 Prix : 24,00 €")[0] == ["QXD8599"]


def test_a_barcode_labelled_ean_code_is_read():
    assert barcodes.listing_gtins(None, None, "Jaar: 2021 EAN-code: 0763795930623 Prijs: 21,23 €") == ["00763795930623"]


def test_another_makers_number_in_a_title_or_after_the_makers_name_in_the_sku():
    assert ladder.facts({"name": "VTG Department 56 Christmas Ornament Grinch Sleigh #6015608 Holiday Decor"}).number == "6015608"
    assert ladder.facts({"brand": "OWC", "name": "Old World Christmas Cardinal on Clip 79684 Handcrafted"}).number == "79684"
    assert ladder.facts({"brand": "KSA", "name": "Hollywood Nutcracker", "sku": "Kurt C6172"}).number == "C6172"
    assert ladder.facts({"brand": "Radko", "name": "Santa", "sku": "4047794-NB"}).number == "4047794"  # no box
    # a lot's title names several: none; a brand we do not know: a number-like word is no maker's number
    assert ladder.facts({"brand": "Enesco", "name": "Lot of 2 Enesco ornaments 6034938 4051324"}).number is None
    assert ladder.facts({"brand": "Acme Gifts", "name": "Snowman 55123", "sku": "55123"}).number is None
    assert ladder.facts({"brand": "Shop Own", "name": "Snowman", "sku": "SKU 55123"}).number is None


def test_a_listing_with_a_barcode_takes_no_guessed_number_from_its_sku():
    """A shop's own 5-digit sku under a maker's brand would be read as the maker's number, and that wrong
    number would veto the barcode's link (rung 1 keeps apart listings whose numbers differ)."""
    row = {"brand": "Radko", "name": "Nutcracker Suite", "sku": "77970", "gtin": "0740969890556"}
    assert ladder.facts(row).number is None and ladder.facts(row).gtins == ("00740969890556",)
    assert ladder.facts({**row, "description": "Mfr. # 1076723"}).number == "1076723"  # a label still counts

"""Numbers, barcodes and years as shops write them in other languages and with typing quirks (the fifth
catalogue designed apart, tests/catalogue_truth_unseen4.py): ornaments.catalogue.labels and numbers."""

from __future__ import annotations

import json

import pytest

from ornaments.catalogue import barcodes, labels, ladder, names, numbers


def facts(**row):
    return ladder.facts({"brand": "Hallmark", "release_year": 2023, "name": "Frosty Friends", **row})


@pytest.mark.parametrize("written", [
    "ＱＸ９２０１",  # full-width (a Japanese shop)
    "QX\u200b9201", "QX\u00a09201", "QX\u20139201", "QX\u20149201",  # zero-width space, no-break space, dashes
    "QX92O1", "qx92o1", "Q X 9201", "QX_9201", "QX/9201",  # letter O, spaced letters, "_" and "/"
])
def test_a_number_typed_with_a_quirk_is_the_number(written):
    assert facts(sku=None, name=f"Frosty Friends {written}").number == "QX9201"
    assert facts(sku=None, description=f"Model\t{written}").number == "QX9201"


def test_the_item_keeps_the_name_as_the_shop_wrote_it():
    assert facts(name="フロスティフレンズ ＱＸ９２０１™").name == "フロスティフレンズ ＱＸ９２０１™"
    assert labels.as_read("Star Wars™ ＱＸ９２０１") == "Star WarsTM QX9201"
    assert labels.o_as_zero("Quoo Boot QXO12") == "Quoo Boot QXO12"  # not four places of digits and O's
    assert labels.o_as_zero("QX1OOO") == "QX1OOO"  # one digit only: not read as a number
    assert labels.o_as_zero("Frosty Friends QX957O") == "Frosty Friends QX9570"


@pytest.mark.parametrize("label", [
    "Referencia:", "Ref. fabricante:", "Cód. fabricante:", "Código del fabricante:",  # Spanish
    "Cod. produttore:", "Codice produttore:", "Cod. art. produttore:", "Codice fornitore:",  # Italian
    "Nr katalogowy:", "Kod producenta:", "Symbol:", "Nr kat.",  # Polish
    "Producentens varenr.:", "Producent varenummer:", "Varenummer:",  # Danish
    "品番：", "型番：", "メーカー品番：", "商品番号：",  # Japanese
    "Numéro du fabricant:", "Item Number\t", "Whatever it is called:",  # any short label with a colon or a tab
])
def test_labels_in_other_languages_give_the_listing_its_number(label):
    described = facts(sku="77102", description=f"Adorno de colección.\n{label} QX9201\nPrecio: 24,95 €")
    assert described.number == "QX9201", label


@pytest.mark.parametrize("label", ["Cod. produttore:", "Kod producenta:", "Symbol:", "Producentens varenr.:",
                                   "Nr katalogowy:", "品番："])
def test_other_makers_numbers_after_those_labels(label):
    text = f"Decorazione natalizia.\nCodice articolo: 11027\n{label} S2415A61"
    assert numbers.labelled_numbers(labels.as_read(text))[0] == "S2415A61", label


@pytest.mark.parametrize("text", [
    "También te puede gustar: Skating Hedgehog (Ref. QX1234)", "Potrebbe interessarti anche: Barbie - cod. QX1234",
    "Zobacz także: Barbie Dreamhouse (QXI9418)", "Se også: Frosty Friends (varenr. QX3201)",
    "関連商品：Christmas Cardinal QX4203", "Customers also considered: Frosty Friends QX1234",
    "Pairs beautifully with: Snow Buddies (QX1234)",
    "Nouveauté: Santa's Sleigh Express (QX1234)",  # a label, then another ornament's name, in any language
])
def test_cross_sells_in_any_language_give_no_number(text):
    assert facts(sku=None, description=text).number is None


@pytest.mark.parametrize("sku", ["HKQX9201", "TPQX9201", "HMK-QX9201-NEW", "QX9201_NEW_US", "SS2023QX9201"])
def test_a_sellers_wrapping_around_a_hallmark_number_in_a_sku(sku):
    assert facts(sku=sku).number == "QX9201"


def test_glued_letters_are_read_in_skus_only():
    assert facts(sku=None, name="UNIQUE1234 Star").number is None


@pytest.mark.parametrize("sku, number", [("HMK-T7911-NEW", "T7911"), ("C3195_NEW_US", "C3195"),
                                         ("HAL-1020229", "1020229"), ("HK-201001", "201001")])
def test_a_shops_letters_around_another_makers_number_in_a_sku(sku, number):
    assert ladder.facts({"brand": "Kurt Adler", "name": "Elf", "sku": sku}).number == number


@pytest.mark.parametrize("text", ["UPC / CUP : 763795567096", "JANコード：０７６３７９５５６７０９６",
                                  "Kod kreskowy: 763795567096", "Stregkode: 0763795567096",
                                  "EAN-nummer: 0763795567096", "EAN13: 0763795567096"])
def test_barcode_labels_in_other_languages(text):
    assert facts(sku=None, description=labels.as_read(text)).gtins == ("00763795567096",)


@pytest.mark.parametrize("code", ["2690759436290", "0212345678900", "0412345678903", "9812345678902"])
def test_restricted_circulation_codes_are_no_key(code):
    """A shop's in-store codes (EAN 20-29, UPC number systems 2 and 4) and coupons name nothing across shops."""
    assert barcodes.gtin(code) is None
    assert facts(gtin=code).gtins == ()


@pytest.mark.parametrize("name, description, year", [
    ("VTG 1993 Frosty Friends QX7050 Series Began 1980 Perfect 2025 Christmas Gi", "Dated 1993.", 1993),
    ("2021 Hallmark Frosty Friends QX5354 Perfect 2024 Christmas G", None, 2021),  # a gift's year, cut short
    ("'98 Hallmark Here Comes Santa 20th QX7370", None, 1998),
    ("ホールマーク フロスティフレンズ ２０２２年", None, 2022),
    ("Frosty Friends", "Año: 2020. Adorno fechado.", 2020),
    ("Frosty Friends", "発売年：２０２０年", 2020),
    ("1987 Buick Grand National 2019", "Dated 2019.", 2019),
])
def test_a_listings_year(name, description, year):
    assert ladder.facts({"brand": "Hallmark", "name": name, "description": description}).year == year


def test_a_custom_copy_is_not_the_ornament_it_copies():
    copy = facts(name="Custom Personalized Baby's First Christmas 2022 Ornament, hand painted name",
                 description="Same design as Hallmark QX2884, but NOT a Hallmark product.", sku=None)
    assert copy.number is None


def test_a_makers_legal_form_is_not_part_of_its_key():
    assert numbers.brand_key("Thun S.p.A.") == numbers.brand_key("THUN") == "thun"
    assert numbers.brand_key("Georg Jensen A/S") == numbers.brand_key("Georg Jensen") == "georgjensen"
    assert numbers.brand_key("Komozja Family") == numbers.brand_key("KOMOZJA") == "komozja"
    assert numbers.brand_key("ホールマーク") == "hallmark"
    assert names.year_in("Jahresornament 2020") == 2020


# --- the sixth catalogue's shops (tests/catalogue_truth_unseen5.py) ----------------------------------

@pytest.mark.parametrize("text", [
    "You might also like: Grandma's Kitchen (QXG2185); Hot Cocoa Cart (QX8567)",  # ';' goes on the list
    "Related ornaments: 2022 Frosty Friends (QX2094); 2022 Dr. Seuss's The Grinch (QXI1580)",  # a title's dot
    "Greeting card with the Frosty Friends art (ornament QX2094 sold separately).",
    "함께 보면 좋은 상품: Frosty Friends QX2094",
])
def test_what_a_sentence_lists_elsewhere_is_not_the_listings(text):
    assert facts(sku=None, description=text).number is None


def test_a_number_before_the_words_that_point_elsewhere_is_the_listings():
    text = "number on box is qx7507 also have the 2021 one qxg5831"
    assert facts(sku=None, description=text).number == "QX7507"


@pytest.mark.parametrize("written, number", [("qx 589 2", "QX5892"), ("qxm 569 9", "QXM5699"), ("QX 589-2", "QX5892")])
def test_the_old_style_with_a_space_before_its_last_digit(written, number):
    assert facts(sku=None, name=f"hallmark keepsake ornment {written}").number == number


@pytest.mark.parametrize("text, number", [("Mfr code: 1014387", "1014387"), ("Mfr. Item #: 1014387", "1014387"),
                                          ("Manufacturer’s ref.: 1092423", "1092423"), ("모델명: 5662929", "5662929")])
def test_maker_labels_for_other_makers(text, number):
    assert ladder.facts({"brand": "Waterford", "name": "Icicle", "description": text}).number == number


def test_korean_labels_barcode_and_year():
    listing = ladder.facts({"brand": "홀마크", "name": "홀마크 오너먼트", "sku": None,
                            "description": "품번: QXI8023\n바코드: 763795728138\n출시년도: 2023년"})
    assert (listing.brand, listing.number, listing.gtins, listing.year) == (
        "hallmark", "QXI8023", ("00763795728138",), 2023)


def test_a_collectors_2k_year():
    assert names.years_in("hallmark frosty freinds 2k19 ornment") == [2019]


def test_a_shop_id_that_is_hallmarks_price_code_is_read_when_there_is_no_sku():
    assert facts(sku=None, vendor_product_id="1999QX5870").number == "QX5870"
    assert facts(sku=None, vendor_product_id="4851118").number is None
    assert facts(sku="QX9201", vendor_product_id="1999QX5870").number == "QX9201"  # the sku first


@pytest.mark.parametrize("brand", ["Swarovski", "Waterford Crystal", "Lenox", "Georg Jensen", "Royal Copenhagen"])
def test_makers_of_annual_ornaments_are_makers_we_know(brand):
    assert numbers.brand_key(brand) in numbers.MAKERS
    assert ladder.facts({"brand": brand, "name": "Annual Ornament 2022", "sku": "5662929"}).number == "5662929"


# --- the seventh catalogue's shops (tests/catalogue_truth_unseen6.py) --------------------------------

@pytest.mark.parametrize("label", ["Код производителя:", "Артикул производителя:", "Модель:", "型号：", "מק״ט יצרן:",
                                   "דגם:", "Kód výrobce:", "Katalogové číslo:", "Código do fabricante:", "Cód. do fabricante:",
                                   "Modelo:", "Item model number\u200f : \u200e"])
def test_labels_in_more_languages(label):
    assert facts(sku="77102", description=f"Ёлочная игрушка.\n{label}QX9201\nЦена: 990 ₽").number == "QX9201"


@pytest.mark.parametrize("text", ["Штрихкод: 763795567096", "条形码：763795567096", "ברקוד: 763795567096",
                                  "Čárový kód: 763795567096", "Barcode: '763795567096"])
def test_barcode_labels_in_more_languages(text):
    assert facts(sku=None, description=labels.as_read(text)).gtins == ("00763795567096",)


@pytest.mark.parametrize("written", ["Q\u0425-9201", "QX\u200e9201", "\u2066QX9201\u2069"])  # Cyrillic Х, direction marks
def test_lookalike_letters_and_direction_marks_inside_a_number(written):
    assert facts(sku=None, description=f"Артикул: {written}").number == "QX9201"


def test_the_lines_under_a_cross_sell_heading_are_another_products_list():
    text = ("Product information\nASIN : B07PKZGL8J\nCustomers also bought\n"
            "Hallmark Keepsake Christmas Ornament 2024, Cozy Cabin Mailbox QX4907 $18.99\n")
    assert facts(sku=None, description=text).number is None
    assert facts(sku=None, description=text + "\nItem model number : QX9201").number == "QX9201"  # a label ends it
    assert facts(sku=None, description="Zákazníci také koupili:\n• Iron Man – QXI4015\n").number is None


@pytest.mark.parametrize("name", ["Keepsake Ornament Display Stand, Compatible with Gingerbread Bakery Magic QXR5581",
                                  "Power Cord for Magic Ornaments, Works with QXR6530", "Ornament Stand - fits QXR6639"])
def test_what_an_accessory_fits_is_not_its_number(name):
    assert facts(sku=None, name=name).number is None
    assert facts(sku="QHX6654", name=name).number == "QHX6654"  # its own number stays


def test_a_copy_or_an_empty_box_in_other_words_is_not_the_ornament():
    assert facts(sku=None, name="圣诞树挂件 冰雪好友 同款", description="仿 Hallmark QX5971 款式，非原装。").number is None
    assert facts(sku=None, name="Коробка от игрушки Frosty Friends (без игрушки) QX1782").number is None


@pytest.mark.parametrize("brand", ["Unbranded", "Generic", "Does not apply", "N/A"])
def test_placeholder_brands_are_none(brand):
    assert numbers.brand_key(brand) == ""
    assert ladder.facts({"brand": brand, "name": "Frosty Friends QX9201"}).brand == "hallmark"


def test_a_brand_that_is_the_shop_or_a_byline_names_the_maker_elsewhere():
    assert numbers.brand_key("Visit the Lladró Store") == "lladro"
    assert numbers.brand_key("The Trim Shop", "QX9201") == "hallmark"
    assert numbers.brand_key("Natal Encantado", "Enfeite de Natal Lladró Christmas Ball") == "lladro"
    found = ladder.facts({"brand": "Holiday Cottage", "name": "2023 Dated Santa", "sku": "6012736",
                          "description": "Category: Jim Shore Ornaments\nVendor: Jim Shore"})
    assert (found.brand, found.number) == ("jimshore", "6012736")


def test_names_in_another_script_are_not_unlike():
    assert not names.unlike("Шнур питания Hallmark Keepsake Magic", "【美国直邮】Hallmark贺曼 魔法挂件电源线 Power Cord")
    assert names.unlike("Cool Decade", "The Grinch")


# --- the eighth catalogue's shops (tests/catalogue_truth_unseen7.py) ---------------------------------

@pytest.mark.parametrize("label", ["Tillverkarens art.nr:", "Tillv. artikelnr:", "Valmistajan koodi:", "Mallinumero:",
                                   "Üretici kodu:", "Gyártói cikkszám:", "Best.-Nr.", "Nummer auf der Packung:",
                                   "رقم الموديل:"])
def test_labels_in_nordic_turkish_hungarian_german_and_arabic(label):
    assert facts(sku="77102", description=f"Julgransprydnad.\n{label} QX9201\nPris: 249 kr").number == "QX9201"


@pytest.mark.parametrize("text", ["Streckkod (EAN): 0763795567096", "EAN-koodi: 0763795567096", "Barkod: 763795567096",
                                  "Vonalkód (EAN): 763795567096", "الباركود: ٧٦٣٧٩٥٥٦٧٠٩٦"])
def test_barcode_labels_in_those_languages(text):
    assert facts(sku=None, description=labels.as_read(text)).gtins == ("00763795567096",)


def test_digits_of_other_scripts_are_digits():
    assert labels.as_read("QX٥٧١٤") == "QX5714"
    assert facts(sku=None, name="زينة هولمارك QX٥٧١٤").number == "QX5714"


@pytest.mark.parametrize("text", ["Missa inte heller Sweater Kitten (art.nr QX-4771)", "Die 2021 Ausgabe (QX6597) habe ich auch.",
                                  "Yedek Kutu – Hallmark QX4778 için (süs dahil değildir)"])
def test_cross_sells_after_or_around_a_number(text):
    assert facts(sku=None, description=text).number is None


def test_copies_and_replacement_boxes():
    assert facts(sku=None, name="Magic-Lichtornament", description="Nachbau nach Hallmark QXR7584. Kein Hallmark-Produkt.").number is None
    assert facts(sku=None, name="LED ornament", description="Compare to Hallmark QXR7584.").number is None
    assert facts(sku=None, name="Replacement box for Hallmark QX4778").number is None


def test_an_html_list_under_a_cross_sell_heading_stays_one_list():
    text = ("<p>Artikelnummer: JB-69282</p><h4>Passar bra med</h4><ul><li>Reindeer in Scarf – QX1696</li>"
            "<li>Father Christmas 20th in Series – QX 7395</li></ul>")
    assert facts(sku=None, description=text).number is None
    assert facts(sku=None, description=text + "<p>Model QX9201</p>").number == "QX9201"


def test_a_label_on_the_line_before_its_number():
    spec = "Specifications\nGeneral\nBrand\nHallmark\nModel Number\nQX 2343\nModel Name\nSky's the Limit\n"
    assert facts(sku=None, description=spec).number == "QX2343"
    combo = "Model Number\nQX8932, QX1397, QXI8503\n"  # a combo's three: several numbers, none
    assert facts(sku=None, description=combo).number is None
    assert names.is_lot("Hallmark Christmas Ornaments Combo (Pack of 3)")
    assert not names.is_lot("Sweater Kitten Hanging Ornament (Multicolor, Pack of 1)")


def test_a_price_comparisons_offers_of_the_listings_own_product():
    page = ("Compare prices (4 offers)\nWalmart: Hallmark Sky's the Limit 26th in Series QX 6367 — $31.00\n"
            "Similar products\nOur Christmas Together Bears (QX8932) from $26.99\n")
    own = ladder.facts({"brand": "Hallmark", "name": "Sky's the Limit 26th in Series 2022", "description": page})
    assert own.number == "QX6367"
    other = ladder.facts({"brand": "Hallmark", "name": "Sky's the Limit 25th in Series 2021", "description": page})
    assert other.number is None  # another series number: another product's offer


def test_a_date_in_a_url_is_not_the_release_year():
    row = {"brand": "Hallmark", "name": "Lot 519: Frosty Friends Igloo", "url": "https://auctions.example/lots/2024-11-519"}
    assert ladder.facts(row).year is None
    assert ladder.facts({**row, "url": "https://shop.example/frosty-friends-igloo-1985"}).year == 1985


# --- the ninth catalogue's shops (tests/catalogue_truth_unseen8.py) ----------------------------------

def test_a_cross_sell_headings_list_goes_on_over_paragraphs():
    text = ("<p>Own text.</p><h4>You may also like</h4><p>Cardinal on Snowy Branch – code QX4974</p>"
            "<p>Nostalgic Houses and Shops 41st in Series – code QX5723</p>")
    assert facts(sku=None, description=text).number is None
    assert facts(sku=None, description=text + "<p>Style # QX9201</p>").number == "QX9201"  # a label ends it


def test_last_months_pick_and_initials():
    text = ("Last month's pick, Star Trek U.S.S. Enterprise (QXI 2364), sold out in a day. "
            "Member pick of the month! Frosty Friends 43rd in Series, 2022.")
    assert facts(sku=None, description=text).number is None


@pytest.mark.parametrize("text, number", [("Christopher Radko # 1018877", "1018877"),
                                          ("Department 56 Item Number: 6061183", "6061183"),
                                          ("Kurt Adler Item Number: D9656", "D9656"),
                                          ("Maker's item no. 23423", "23423")])
def test_a_makers_name_labels_its_number_beside_the_shops_own(text, number):
    description = f"Item # 2423082\n{text}"
    assert numbers.labelled_numbers(description)[0] == number


def test_a_year_before_hallmarks_first_keepsake_year_is_not_the_release_year():
    assert names.years_in("Ford Bronco 1966") == []
    assert names.years_in("1973 Betsey Clark") == [1973]
    assert names.years_in("'66 Mustang") == []


def test_a_spanish_replica_is_not_the_ornament_it_copies():  # the tenth catalogue (catalogue_truth_unseen9.py)
    copy = facts(sku=None, name="Réplica estilo Hallmark Frosty Friends",
                 description="Réplica inspirada en el modelo Hallmark QX6150. No es original.")
    assert copy.number is None


def test_a_pins_hashtag_is_no_makers_word():  # the tenth catalogue's pins
    """"#hallmark" on a Kurt Adler pin is a tag: the maker the title names is the brand, and the number the
    pinner reads off the box is that maker's. A Hallmark pin with the same tags stays Hallmark's."""
    pin = facts(brand=None, release_year=None, name="Kurt Adler Nutcracker Guard 2024 ornament #christmastree #hallmark",
                description="found mine at the Gold Crown store\nbox says j1611")
    assert (pin.brand, pin.number) == ("kurtadler", "J1611")
    glass = facts(brand=None, name="Inge-Glas Glass Pretzel 2024 ornament #ornaments #hallmark", description="box says 1-202-83")
    assert (glass.brand, glass.number) == ("ingeglas", "120283")
    hallmark = facts(brand=None, name="Cardinal Pair on Birch 2023 ornament #keepsake #hallmark", description="box says qx8466")
    assert (hallmark.brand, hallmark.number) == ("hallmark", "QX8466")
    assert facts(brand=None, name="Hallmark Cardinal Pair #hallmark Kurt Adler style").brand == "hallmark"  # said, not only tagged


def test_a_bilingual_label_reads_in_either_language():  # the tenth catalogue's Belgian shop
    """"Réf. fabricant / Fabrikantref.:" and "Code-barres / Streepjescode:": the second language's label
    ends at the colon. Read, the barcode links the listing, and the shop's own reference (a sku shaped as
    Kurt Adler's numbers) is not taken for the maker's."""
    listing = facts(brand="Kurt Adler", sku="KB7087", vendor_product_id="KB7087",
                    name="Kurt Adler Nutcracker Guard 2024 – Boule de Noël / Kerstbal",
                    description="Réf. / Ref.: KB7087\nRéf. fabricant / Fabrikantref.: J1611\n"
                                "Code-barres / Streepjescode: 086131296284\nTVA/BTW BE0123.456.789")
    assert (listing.number, listing.gtins) == ("J1611", ("00086131296284",))
    village = facts(brand="Department 56", sku="KB9539", vendor_product_id="KB9539", name="Village Bakery 2024",
                    description="Réf. / Ref.: KB9539\nRéf. fabricant / Fabrikantref.: 6057210")
    assert village.number == "6057210"


# --- the eleventh catalogue's feeds (tests/catalogue_truth_unseen10.py) --------------------------------

@pytest.mark.parametrize("text", [
    "Vous aimerez aussi : Flamingo With Lights (réf. QX4281), Peanuts Charlie Brown's Tree Lot (réf. QXI3128)",
    "Também pode gostar: Llama in a Scarf – Ref.ª QX7677 | Here Comes Santa 43rd in Series – Ref.ª QX1852",
])
def test_a_cross_sells_list_goes_on_after_its_first_entry(text):
    assert facts(sku=None, description=text).number is None
    assert facts(sku=None, description="Customers also bought: Snow Buddies - QX1234 Style QX9201").number == "QX9201"


def test_a_german_ordinal_does_not_end_its_sentence():
    text = "Das könnte Ihnen auch gefallen: Sky's the Limit 27. Teil der Serie (Herstellernummer QX5161)"
    assert facts(sku=None, description=text).number is None
    other = "Artikelnummer: 357966\nDas könnte Ihnen auch gefallen: Toymaker 22. Teil der Serie (Herstellernummer 4051270)"
    assert numbers.labelled_numbers(other) == ["357966"]


def test_a_french_copy_and_a_german_empty_box_are_not_the_ornament():
    copy = facts(sku=None, name="Boule inspirée de Hallmark Santa's Workshop Express Magic",
                 description="Réplique artisanale inspirée de la réf. Hallmark QXR8925.<br>Ce n'est pas un produit Hallmark.")
    assert copy.number is None
    box = facts(sku="QX8421", name="Leerer Originalkarton Hallmark Toymaker Santa 2023 (ohne Anhänger)",
                description="Herstellernummer: QX8421\nNur der Karton, kein Christbaumschmuck.")
    assert box.number is None


# --- the twelfth catalogue's shops (tests/catalogue_truth_unseen11.py) ---------------------------------

@pytest.mark.parametrize("text", [
    "Σχετικά προϊόντα: Christmas Tree Farm Tractor (κωδ. QX4281)",  # Greek, its abbreviating "κωδ."
    "Passer til f.eks. Here Comes Santa 42nd in Series (QX2277).",  # Norwegian "fits, for example"
    "Κατάλληλο π.χ. για Frosty Friends (κωδ. QX1234).", "Pentru ornamentele Magic, de ex. Toy Shop (QXR1642).",
    "Compatível com Santa's Toy Workshop Magic (Ref.ª QLX9873) e Toy Shop.",
    "WANT: 1999 Frosty Friends QX6492, 2021 Snow Buddies 24th Series QX 2901",  # a swap list's wants
])
def test_cross_sells_fits_and_wants_in_the_twelfth_catalogues_languages(text):
    assert facts(sku=None, description=text).number is None


@pytest.mark.parametrize("words", ["produse similare", "lihat juga", "สินค้าที่คล้ายกัน", "xem thêm", "δείτε επίσης"])
def test_a_number_before_cross_sell_words_in_those_languages_is_the_listings(words):
    # Romanian, Indonesian, Thai, Vietnamese, Greek: the number after the words is another product's
    assert facts(sku=None, description=f"Ornament QX7507 nou, {words} Toy Shop QXG5831").number == "QX7507"


@pytest.mark.parametrize("name", [
    "Đồ trang trí Noel Hallmark Keepsake Santa's Toy Workshop Magic 1998 giống QX9764 quà Noel",  # Vietnamese "like"
    "Hiasan Natal Hallmark Nurse Snowman mirip QX6447",  # Indonesian "alike"
])
def test_what_a_keyword_title_says_it_looks_like_is_another_product(name):
    assert facts(sku=None, name=name).number is None


def test_copies_in_indonesian_and_thai():
    kw = facts(sku=None, name="Hiasan Natal Replika KW Super mirip Hallmark Golf Cart Santa QX6657",
               description="Replika, BUKAN original. Model seperti Hallmark QX6657.")
    assert kw.number is None
    thai = ladder.facts({"name": "ลูกบอลแก้วสไตล์ Christopher Radko Partridge Pear 1021426 (งานก๊อป ไม่ใช่ของแท้)",
                         "description": "งานเลียนแบบ ไม่ใช่ Christopher Radko ของแท้"})
    assert thai.brand == "radko" and thai.number is None


@pytest.mark.parametrize("text, number", [
    ("Varenr.: 301208\nProdusentens varenr.: 33768", "33768"),  # Norwegian, beside the shop's own
    ("Ref.ª: NT2878\nRef.ª do fabricante: T4191", "T4191"), ("Ref.ª: 4052672", "4052672"),  # Portuguese
    ("Κωδικός: 47354\nΚωδικός κατασκευαστή: 6021042", "6021042"),  # Greek
    ("Cod produs: 1043852\nCod producător: 1092472", "1092472"),  # Romanian
    ("Mã SP: J3767\nMã nhà sản xuất: 1092472", "1092472"), ("รหัสสินค้า: TH-4837\nรหัสผู้ผลิต: 28287", "28287"),
    ("Kode: C7487\nNo. produk di box: 6053565", "6053565"),  # Indonesian: "the number on the box"
    ("No. produk di box: 10-99994", "1099994"),  # a Radko number's digit groups
    ("Size: One size\n#33768 on the box\n#ornament", "33768"),  # a label after its number
])
def test_other_makers_labels_in_the_twelfth_catalogues_languages(text, number):
    row = {"brand": "Kurt Adler", "sku": "TH-4837", "name": "Santa Moon", "gtin": "087221176561"}
    assert ladder.facts({**row, "description": text}).number == number


@pytest.mark.parametrize("text", ["บาร์โค้ด: 763795567096", "Mã vạch: 763795567096", "Cod de bare: 763795567096"])
def test_barcode_labels_in_thai_vietnamese_and_romanian(text):
    assert facts(sku=None, description=labels.as_read(text)).gtins == ("00763795567096",)


def test_the_shops_own_id_labelled_in_its_description_is_not_the_makers_number():
    row = {"vendor_product_id": "4548181", "name": "Department 56 Village Church Ornament #6021042 NIB",
           "description": "Condition: NIB.\nShips from 75201 within 1 business day. Item #4548181"}
    assert ladder.facts(row).number == "6021042"


def test_a_titles_number_beside_the_maker_before_a_bare_sku():
    assert ladder.facts({"brand": "Lenox", "sku": "J8326", "name": "Lenox 873170 2022 Annual Snowflake"}).number == "873170"
    assert ladder.facts({"brand": "Lenox", "sku": "873170", "name": "Lenox 2022 Annual Snowflake"}).number == "873170"


@pytest.mark.parametrize("name, number", [
    ("Đồ trang trí Noel Hallmark Keepsake Woodland Owl Trio 2024 HallmarkQX7457 giá rẻ", "QX7457"),
    ("Hiasan Natal Hallmark Keepsake Llama in a Scarf 2020 HallmarkQX 7677 Jakarta", "QX7677"),
])
def test_hallmarks_name_glued_before_its_number(name, number):
    assert facts(sku=None, name=name).number == number


@pytest.mark.parametrize("name, number", [
    ("Hiasan Natal Old World Christmas Hot Air Balloon Old32371 Jakarta", "32371"),  # the maker's name glued before
    ("Đồ trang trí Noel Lenox Holiday Ball Ornament Lenox879964 giá rẻ", "879964"),
    ("Enesco Jim Shore Santa With Sack 2024 344542enes Jakarta", "344542"),  # a word glued after
    ("Old World Christmas Cardinal on Clip 2021 14015old- trang trí", "14015"),  # a slug's start
])
def test_another_makers_number_glued_to_a_word_of_a_keyword_title(name, number):
    assert ladder.facts({"sku": "J8259", "name": name}).number == number


def test_the_text_a_photo_shows_names_no_other_product():
    text = ("Condition: NIB.\nText in photos (auto-read): HALLMARK Keepsake 0rnament QX4259 ©2018 HANDCRAFTED IN CHlNA\n"
            "Ships from 97205 within 1 business day. Item #4821585")
    assert facts(sku=None, name="2018 Hallmark Gnome for the Holidays NIB", description=text).number == "QX4259"


def test_a_swap_lists_have_line_and_its_issue_date():
    row = {"name": "Swap list Winter 2024: 2023 Toymaker Santa 24th in Series",
           "description": "Member #2305 HAVE: 2023 Toymaker Santa 24th in Series QX 3745 MIB $51\n"
                          "WANT: 1999 Frosty Friends QX6492, 2021 Snow Buddies 24th Series QX 2901"}
    found = ladder.facts(row)
    assert (found.brand, found.number, found.year) == ("hallmark", "QX3745", 2023)


# --- the eleventh catalogue's spreadsheet and feeds (tests/catalogue_truth_unseen10.py) ------------------

@pytest.mark.parametrize("sku, number", [("18,046", "18046"), ("4,022,590", "4022590"), ("241516.0", "241516"),
                                         ("C-9826", "C9826")])
def test_a_spreadsheets_number_and_a_dashed_kurt_adler_number_in_a_sku(sku, number):
    assert ladder.facts({"brand": "Kurt Adler", "sku": sku, "name": "Glass Pickle"}).number == number
    assert numbers.labelled_numbers(f"Item No: {sku} · UPC: null")[0] == number


def test_a_maker_the_name_names_before_a_hallmark_shaped_shop_id():
    row = {"brand": "The Christmas Cottage", "sku": "QK3761", "name": "Kurt Adler Noble Gems Cardinal"}
    assert ladder.facts(row).brand == "kurtadler"
    assert ladder.facts({**row, "name": "Hallmark Noble Gems Cardinal"}).brand == "hallmark"


def test_a_labels_abbreviating_dot_does_not_start_a_clause_after_cross_sell_words():
    text = "Vous aimerez aussi : Toymaker Père Noël (réf. QX4111), Premier Noël de bébé Boy 2024 (réf. 241516)"
    assert numbers.labelled_numbers(text) == []


def test_a_price_comparisons_offer_of_another_makers_number_and_the_same_words_only():
    page = ('5 offers from 30,30 €\nKugelwelt: "Christopher Radko Shiny Brite Gingerbread Boy 2024" – 33,51 €\n'
            'Réseau de Noël: "Christopher Radko Shiny Brite Gingerbread Boy 2024 1027177" – 33,04 €\n'
            "Similar products: Harry Potter The Burrow QXI9526; Santa's Midnight Ride 1010161")
    row = {"brand": "Christopher Radko", "name": "Christopher Radko Shiny Brite Gingerbread Boy 2024", "description": page}
    assert ladder.facts(row).number == "1027177"
    assert ladder.facts({**row, "name": "Christopher Radko Shiny Brite Gingerbread Girl 2024"}).number is None
    hallmark = "Walmart: Hallmark Baby's First Christmas Girl QX 6367 — $31.00"
    assert facts(sku=None, name="Baby's First Christmas Boy 2022", description=hallmark).number is None


def test_a_photos_glyph_twins_and_a_swap_lists_price_code():
    photo = "Text in photos (auto-read): HALLMARK Keepsake 0rnament QXl325 ©2024 HANDCRAFTED IN CHlNA"
    assert facts(sku=None, name="2024 Hallmark Keepsake Mouse NIB", description=photo).number == "QX1325"
    assert labels.o_as_zero("QXII234 QX5O7-4") == "QXI1234 QX507-4"
    assert numbers.labelled_numbers("LENOX Item No. 8641O6 Made in Poland") == ["864106"]
    row = {"name": "Swap list Oct 2024: 1993 Special Dog",
           "description": "Member #3569 HAVE: 1993 Special Dog 875 QX 3667 NIB $56\nWANT: 1990 Joyful Carolers 875QX479-2"}
    assert ladder.facts(row).number == "QX3667"


def test_a_code_with_letters_is_not_the_number_of_a_maker_that_numbers_with_digits():
    row = {"brand": "Lenox", "sku": "NT7520", "gtin": "082262229047", "name": "Lenox 2022 Annual Snowflake Ornament"}
    assert ladder.facts({**row, "description": "Ref.ª: NT7520\nCódigo EAN: 0082262229047"}).number is None
    assert ladder.facts({**row, "description": "Ref.ª: 872166"}).number == "872166"
    assert ladder.facts({**row, "brand": "Kurt Adler", "description": "Ref.ª: T4191"}).number == "T4191"


# --- the thirteenth catalogue's exports and shops (tests/catalogue_truth_unseen12.py) -------------------

def test_a_zubehoer_headings_list_is_other_products_numbers():
    block = ("<h3>Zubehör</h3><ul><li>Keepsake Ornament Display Stand, Lighted Tree – Art.-Nr. QHX8029</li>"
             "<li>Snow Village Cocoa Shop – Art.-Nr. 4078762</li></ul><p>Department 56 Christbaumschmuck.</p>")
    table = "<table><tr><th>Artikelnummer</th><td>SW15362</td></tr><tr><th>Herstellernummer</th><td>4036533</td></tr></table>"
    row = {"brand": "Department 56", "sku": "SW15362", "vendor_product_id": "SW15362",
           "name": "Department 56 North Pole Elf Bakery 2022 Weihnachtsanhänger", "description": block}
    assert ladder.facts(row).number is None
    assert ladder.facts({**row, "description": block + table}).number == "4036533"  # the table's label ends the list
    assert facts(sku=None, description=block.replace("4078762", "QX1234")).number is None
    mine = "From my personal collection.\nText in photos: CHRISTOPHER RADKO Item No. 1063017 Made in Poland"
    assert ladder.facts({"brand": "Christopher Radko", "name": "Merry Mushroom", "description": mine}).number == "1063017"


@pytest.mark.parametrize("words", [
    "Схожі товари:", "Також рекомендуємо", "Похожие товары:", "Сопутствующие товары:",  # Ukrainian, Russian
    "Podobné produkty:", "Súvisiace produkty:", "Související zboží:",  # Slovak, Czech
    "Slični proizvodi:", "Povezani proizvodi:", "Podobni izdelki:", "Слични производи:",  # Croatian ... Slovenian
    "Līdzīgas preces:", "Panašios prekės:", "Sarnased tooted:",  # Latvian, Lithuanian, Estonian
    "Check niyo din po:", "Zubehör:", "isRelatedTo:",  # Filipino (Taglish), German, schema.org
])
def test_cross_sells_in_the_thirteenth_catalogues_languages(words):
    # the number after the words is another product's, a label's too; the one before them the listing's
    assert facts(sku=None, description=f"Ornament QX7507, {words} Toy Shop QXG5831").number == "QX7507"
    row = {"brand": "Department 56", "name": "Department 56 Cocoa Shop"}
    assert ladder.facts({**row, "description": f"{words} North Pole Elf Bakery, Herstellernummer 6039701"}).number is None


@pytest.mark.parametrize("label", ["Код виробника:", "Kód výrobcu:", "Šifra proizvođača:", "Šifra proizvajalca:",
                                   "Gamintojo kodas:", "Ražotāja kods:", "Tootja kood:"])
def test_the_makers_number_labelled_in_the_thirteenth_catalogues_languages(label):
    row = {"brand": "Department 56", "sku": "LV2345", "vendor_product_id": "LV2345", "name": "Department 56 Cocoa Shop"}
    assert ladder.facts({**row, "description": f"Preces kods: LV2345\n{label} 4078762"}).number == "4078762"
    assert ladder.facts({**row, "brand": "Kurt Adler", "description": f"{label} C 8885"}).number == "C8885"


@pytest.mark.parametrize("label", ["EAN kód:", "EAN kod:", "Svītrkods:", "Brūkšninis kodas:", "Ribakood:",
                                   "UPC on box:"])
def test_barcodes_labelled_in_the_thirteenth_catalogues_languages(label):
    assert barcodes.listing_gtins(None, None, f"{label} 0763795802418") == ["00763795802418"]


@pytest.mark.parametrize("name, description", [
    ("Копія у стилі Hallmark Polar Bear Post Office", "Репліка, натхненна моделлю Hallmark QXC1907. Не оригінал."),
    ("Polar Bear Post Office", "Репліка, натхненна моделлю Hallmark QXC1907. Не оригінал."),  # Ukrainian
    ("Polar Bear Post Office", "Replika inšpirovaná modelom QXC1907. Nie je originál Hallmark."),  # Slovak
    ("Polar Bear Post Office", "Model Hallmark QXC1907, nije original."),  # Croatian
    ("Polar Bear Post Office – kopija", "Hallmark QXC1907: kopija, nav oriģināls."),  # Latvian
    ("Polar Bear Post Office – koopia", "Hallmark QXC1907."),  # Estonian
    ("Polar Bear Post Office", "Hallmark QXC1907. OEM, hindi original. Walang box."),  # Filipino
])
def test_copies_in_the_thirteenth_catalogues_languages(name, description):
    assert facts(sku=None, name=name, description=description).number is None


def test_not_fake_is_no_copy():
    assert facts(sku=None, description="Original po ito from US, hindi fake.\nItem code: QXC1907").number == "QXC1907"


@pytest.mark.parametrize("name", ["BUNDLE 2 pcs Hallmark Santa's Cookie Bakery + Mischievous Kittens - sulit!",
                                  "Bundle of 2 Hallmark Ornaments", "3 pcs bundle Hallmark"])
def test_a_bundle_names_one_of_its_parts_numbers(name):
    assert facts(sku=None, name=name, description="Kasama sa bundle: QXR6620 at QX8975.").number is None


def test_a_bundle_of_joy_is_no_bundle():
    assert facts(sku=None, name="Baby's First Christmas Bundle of Joy QX1234").number == "QX1234"


def test_a_sku_that_is_the_shops_own_id_gives_way():
    row = {"vendor_product_id": "QS3926", "sku": "QS3926"}
    assert facts(**row, name="Calico Cat in Basket, Porcelain, QX7303").number == "QX7303"
    assert facts(**row, description="MODEL NUMBER: QX 4867.").number == "QX4867"
    assert facts(**row).number == "QS3926"  # nothing else: as before (a shop whose id is the maker's number)
    assert facts(sku=None, vendor_product_id="QS6484").number is None  # an id, not a price code ("1999QX5870")


def test_a_suppliers_number_as_a_hallmark_number_or_another_makers_digits():
    row = {"brand": "Jim Shore", "sku": "SW16680", "vendor_product_id": "SW16680", "name": "Jim Shore Santa"}
    assert ladder.facts({**row, "description": "Artikelnummer SW16680\nLieferantennummer 6049308"}).number == "6049308"
    kurt = {**row, "brand": "Kurt Adler", "gtin": "0086131882166"}
    assert ladder.facts({**kurt, "description": "Artikelnummer SW16680\nLieferantennummer GH-883500"}).number is None
    assert facts(sku=None, description="Lieferantennummer QX4654").number == "QX4654"


def test_inge_glas_dashes_and_an_offer_line_of_the_shops_own_id():
    row = {"brand": "Inge-Glas", "name": "Inge-Glas Santa Reflector Ball 2024"}
    assert ladder.facts({**row, "description": "Код виробника: 1-823-10"}).number == "182310"
    assert ladder.facts({**row, "sku": "1-294-96"}).number == "129496"
    assert ladder.facts({**row, "name": "Inge-Glas 2023 Glass Pretzel 1-263-75 Ornament"}).number == "126375"
    radko = {"brand": "Department 56", "sku": "1011291", "vendor_product_id": "1011291", "gtin": "729834792096",
             "name": "Department 56 Toy Shop", "description": "product:retailer_item_id: 1011291\nog:upc: 729834792096"}
    assert ladder.facts(radko).number is None


# --- the fourteenth catalogue's shops (tests/catalogue_truth_unseen13.py) -----------------------------

@pytest.mark.parametrize("name, description", [
    ("\u200fزينة تقليد Snowman Baker — ليست أصلية", "\u200fنسخة مقلدة مستوحاة من الموديل QX3451."),  # Arabic
    ("Snowman Baker", "\u200fنسخة مقلدة مستوحاة من الموديل QX3451."),
    ("Snowman Baker 스타일 레플리카 오너먼트 (정품 아님)", "모델명 QX3451"),  # Korean
    ("Snowman Baker", "모델명 QX3451 디자인을 참고한 레플리카 제품입니다. 정품이 아닙니다."),
    ("Snowman Baker Look-Alike Ornament", "Look-alike of Hallmark QX3451. Not affiliated."),
])
def test_copies_in_the_fourteenth_catalogues_languages(name, description):
    assert facts(sku=None, name=name, description=description).number is None


def test_a_czech_empty_box_is_not_the_ornament():
    name = "Pouze krabička – Hallmark Nostalgic Houses and Shops 40th in Series 2023"
    assert facts(sku=None, name=name, description="Kód výrobce ozdoby: QX8186.").number is None
    assert facts(sku=None, name="Frosty Friends, prázdná krabička bez ozdoby", description="QX8186").number is None


def test_a_liquidators_same_load_line_is_another_pieces():
    cells = "Condition: Shelf Pull\r\nSame load: QXC7646 Keepsake Ornament Club Membership Twinkling Tree\r\n"
    assert facts(sku="LQ6002106", description=cells + "Qty avail: 16").number is None
    assert facts(sku="LQ6069060", description=cells + "Mfr #: QX1079\r\nQty avail: 47").number == "QX1079"


def test_a_bilingual_canadian_label_and_the_shops_own_id_with_its_market():
    row = {"brand": "Lenox", "sku": "80723-CA", "vendor_product_id": "80723-CA", "name": "Lenox Holiday Gazebo"}
    own = "Item # / No d'article : 80723-CA<br/>"
    assert ladder.facts({**row, "description": own + "Mfr. # / No du fabricant : 872768"}).number == "872768"
    assert ladder.facts({**row, "description": own + "UPC / CUP : 882046257118"}).number is None


def test_a_spec_tables_pipe_labels_its_number():
    row = {"brand": "Department 56", "sku": "FI-7264", "name": "Department 56 Snow Village Hot Cocoa Stand"}
    assert ladder.facts({**row, "description": "Model Number | 6077555\nModel Name | Hot Cocoa Stand"}).number == "6077555"


@pytest.mark.parametrize("ascii_only", [True, False])
def test_a_json_description_is_read_as_its_lines(ascii_only):
    text = json.dumps({"desc": "Scrooge's Counting House 2024 by Department 56.",
                       "attributes": {"Brand": "Department 56", "Model": "6038581", "Year": "2024"},
                       "sellingPoints": ["✅ 100% authentic", "👀 also in our shop: Frosty Friends QX6107"]},
                      ensure_ascii=ascii_only)
    assert ladder.facts({"brand": "Department 56", "sku": "Default", "name": "Scrooge's Counting House",
                         "description": text}).number == "6038581"
    assert "✅ 100% authentic" in labels.plain_text(text)
    assert labels.plain_text("{not json: QX1234}") == "{not json: QX1234}"


def test_what_an_accessory_is_for_names_other_pieces():
    cord = "모델명: QXR5952 / QXR9301 전용 전원 코드<br>제조사 품번: QHX3922"
    assert facts(sku=None, name="[홀마크] 매직 오너먼트 전원 코드", description=cord).number == "QHX3922"


def test_a_wholesalers_case_sku_holds_the_makers_number():
    row = {"brand": "Department 56", "name": "Department 56 Scrooge's Counting House – Case of 6"}
    assert ladder.facts({**row, "sku": "NP-6094792-6"}).number == "6094792"
    assert ladder.facts({**row, "sku": "NP-6094792-600"}).number is None  # no count of a case


# --- the fifteenth catalogue's Hallmark specialists and feeds (tests/catalogue_truth_unseen14.py) -----------

def test_a_price_tag_or_box_alone_is_not_the_ornament():
    assert facts(sku=None, name="Hallmark 2023 Frosty Friends 44th in Series PRICE TAG ONLY QX4745").number is None
    cut = "Hallmark Keepsake 2023 Nostalgic Houses and Shops Holiday Hardware 40th in Serie"  # cut at 80 characters
    assert facts(sku=None, name=cut, description="Box only for qx6617. No ornament included.").number is None
    assert facts(sku=None, name=cut, description="Original price tag only, no ornament. $19.99 QX6617.").number is None
    assert facts(sku=None, name=f"{cut} QX6617", description="Box only has shelf wear.").number == "QX6617"


def test_an_ornament_sold_with_a_display_stand_is_a_bundle():
    name = "2023 Frosty Friends Sledding Seal 44th in Series - QX4745"
    assert facts(sku=None, name=f"{name} with display stand").number is None
    assert facts(sku=None, name=name, description="Comes with display stand.").number == "QX4745"


def test_a_set_whose_sentence_names_its_pieces_numbers():
    pieces = "<p>Collector's set: the 44th in series (QX4745), the Miniature (QXM5188) and the Club exclusive (QXC1916).</p>"
    assert facts(sku="1QX4745SET", name="Frosty Friends 2023 Collector's Set", description=pieces).number is None
    claus = "Mr. and Mrs. Claus Set of 2 by Hallmark. Item Number: QX9463 You may also like Frosty Friends QX5363."
    assert facts(sku=None, name="Hallmark Mr. and Mrs. Claus Set of 2", description=claus).number == "QX9463"


def test_a_cross_sell_label_goes_on_past_a_names_exclamation_mark():
    grinch = "Dr. Seuss's How the Grinch Stole Christmas! Grinch and Max"
    text = f"<p>Miniature Santa's Workshop Train by Hallmark.</p><p>Pairs with: {grinch} (QXI4595)</p>"
    assert facts(sku="WC-605", name="Miniature Santa's Workshop Train 2023", description=text).number is None
    uk = f"Photo Holder Keepsake Ornament.\nCode: QX304-1\nYou might also like: {grinch} - Code: QXI5446\nPrice includes VAT."
    assert facts(sku="HKO8868", vendor_product_id="HKO8868", name="Photo Holder", description=uk).number == "QX3041"


def test_a_variations_line_in_its_parents_list_by_year():
    listed = ("Attribute 1 name: Year | Attribute 1 value(s): 2024 | Type: variation<br><h2>Mischievous Kittens Series</h2>"
              "<ul><li>2023: Mischievous Kittens Kitten in Gift Box 25th in Series (QX2512)</li>"
              "<li>2024: Mischievous Kittens Kittens in Stocking 26th in Series (QX8880)</li></ul>")
    row = {"brand": "Hallmark", "sku": "MK-SER-2024", "description": listed}
    assert ladder.facts({**row, "name": "Mischievous Kittens Series Ornament - 2024"}).number == "QX8880"
    assert ladder.facts({**row, "name": "Mischievous Kittens Series – Choose Your Year"}).number is None  # the parent
    assert ladder.facts({**row, "name": "Miniature Mischievous Kittens 2024"}).number is None  # another piece


def test_a_stockists_code_line_gives_another_makers_number():
    row = {"brand": "Kurt Adler", "sku": "HKO4347", "vendor_product_id": "HKO4347", "name": "Kurt Adler Glass Pickle"}
    assert ladder.facts({**row, "description": "Kurt Adler Glass Pickle.\nCode: C8863\nPrice includes VAT."}).number == "C8863"
    assert ladder.facts({**row, "description": "Code: HKO4347\nDiscount code: XMAS2024"}).number is None

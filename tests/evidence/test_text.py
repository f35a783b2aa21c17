"""Passages, languages, countries and dates read from text."""

from __future__ import annotations

from datetime import date

import pytest

from atrocity_watch.evidence import (
    Page,
    detect_countries,
    detect_dates,
    detect_language,
    split_passages,
)
from atrocity_watch.evidence._mentions import date_range
from atrocity_watch.evidence._passages import MAX_CHARS


def test_heading_joins_the_paragraph_that_follows() -> None:
    text = "Introduction\n\n" + "The commission documented arbitrary detention. " * 5
    passages = split_passages([Page(1, text)])
    assert len(passages) == 1
    assert passages[0].text.startswith("Introduction The commission")


def test_long_paragraph_is_cut_at_sentence_ends_within_the_limit() -> None:
    sentence = "Security forces fired on peaceful demonstrators in the capital city. "
    passages = split_passages([Page(None, sentence * 60)])
    assert len(passages) > 1
    assert all(len(p.text) <= MAX_CHARS for p in passages)
    assert all(p.text.endswith(".") for p in passages)


def test_passages_never_cross_a_page_and_keep_their_page() -> None:
    long = "Civilians were displaced from the north of the country by the fighting. " * 4
    passages = split_passages([Page(1, long), Page(2, long)])
    assert {p.page for p in passages} == {1, 2}
    assert [p.position for p in passages] == list(range(len(passages)))


def test_wrapped_pdf_lines_are_joined() -> None:
    text = "The mission found that\nthe attacks were systematic\nand widespread across the region."
    passages = split_passages([Page(3, text)], min_chars=10)
    assert passages[0].text == (
        "The mission found that the attacks were systematic and widespread across the region."
    )


def test_arabic_sentences_are_split() -> None:
    sentence = "وثقت اللجنة حالات الاختفاء القسري والتعذيب في مراكز الاحتجاز. "
    passages = split_passages([Page(None, sentence * 40)])
    assert len(passages) > 1


def test_bad_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="min_chars must be positive and below max_chars"):
        split_passages([Page(None, "text")], min_chars=500, max_chars=100)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Government forces shelled residential areas and killed dozens of civilians.", "en"),
        ("Les forces de sécurité ont arrêté des journalistes et fermé les radios.", "fr"),
        ("Las milicias reclutaron a niños en las zonas rurales del país.", "es"),
        ("Власти ввели чрезвычайное положение и запретили демонстрации.", "ru"),
        ("منعت السلطات وصول المساعدات الإنسانية إلى المدينة المحاصرة.", "ar"),
        ("12", "und"),
    ],
)
def test_language_detection(text: str, language: str) -> None:
    assert detect_language(text) == language


@pytest.mark.parametrize(
    ("text", "countries"),
    [
        ("Refugees from Syria reached Lebanon and Türkiye.", ("SYR", "LBN", "TUR")),
        ("La République démocratique du Congo et le Soudan du Sud.", ("COD", "SSD")),
        ("Los desplazados de Sudán del Sur llegaron a Etiopía.", ("SSD", "ETH")),
        ("Беженцы из Сирии и Южного Судана бежали в Мьянму.", ("SYR", "SSD", "MMR")),
        ("فر اللاجئون من سوريا إلى لبنان وجنوب السودان", ("SYR", "LBN", "SSD")),
        ("Niger and Nigeria; Guinea-Bissau and Guinea.", ("NER", "NGA", "GNB", "GIN")),
        ("Nothing geographic here.", ()),
        ("Attacks in Darfur; fighting near Donetsk; strikes on Idlib.", ("SDN", "UKR", "SYR")),
        ("Бои в Донецке и Харькове.", ("UKR",)),
    ],
)
def test_countries_in_five_languages(text: str, countries: tuple[str, ...]) -> None:
    assert detect_countries(text) == countries


def test_dates_of_every_precision_and_language() -> None:
    text = (
        "Letter dated 22 October 2015; the meeting of June 2015; since 2011. Le 3 mars 2014, "
        "el 5 de junio de 2013, 12 января 2020 года, 2019-05-01, 26/10/2015, 15 مارس 2012."
    )
    assert detect_dates(text) == (
        "2015-10-22",
        "2015-06",
        "2011",
        "2014-03-03",
        "2013-06-05",
        "2020-01-12",
        "2019-05-01",
        "2015-10-26",
        "2012-03-15",
    )


def test_impossible_dates_fall_back_to_what_is_valid() -> None:
    # 31 February is no day, but February 2015 is a month; 45/13/2020 is no date at all.
    assert detect_dates("On 31 February 2015 and 45/13/2020 nothing happened.") == ("2015-02",)


def test_date_range_covers_whole_months_and_years() -> None:
    assert date_range(["2015-02", "2014"]) == (date(2014, 1, 1), date(2015, 2, 28))
    assert date_range([]) is None

"""Names: splitting, nicknames (the ``nicknames`` package plus local
additions), given names that are also ordinary words, sex of a given name."""

from __future__ import annotations

from lantern.types import name


def test_nicknames_from_the_package_and_local_additions_match_full_names() -> None:
    assert name.same_given_name("Bill", "William")
    assert name.same_given_name("Mo", "Mohammed")  # local addition
    assert name.same_given_name("Saj", "Sajid")  # local addition
    assert not name.same_given_name("Mo", "Tariq")


def test_polish_diminutives_and_english_forms_are_one_given_name_for_resolution() -> None:
    from lantern.resolve import names

    assert "katarzyna" in names.variants("kasia")
    assert "nicola" in names.variants("nikki")
    # written with or without its accent, Łukasz is Luke
    assert names.key("Łukasz") == "lukasz" and "luke" in names.variants("lukasz")
    # one blocking key for a name, its diminutive and its English form
    assert names.blocking_key("pete") == names.blocking_key("peter") == names.blocking_key("piotr")
    assert names.blocking_key("chris") == names.blocking_key("christopher")


def test_a_name_its_diminutives_and_its_spellings_block_together() -> None:
    # "Jimmy" in a child's account and James MERINSTEAD named in full: the
    # package alone gave Jim, Jimmy and James three keys ("james" took
    # "jimmie"), so a first-name mention was never scored against him
    from lantern.resolve import names

    assert names.blocking_key("jim") == names.blocking_key("jimmy") == names.blocking_key("james")
    assert names.blocking_key("danny") == names.blocking_key("dan") == names.blocking_key("daniel")
    assert names.blocking_key("bob") == names.blocking_key("rob") == names.blocking_key("robert")
    # spellings of one name, which the package does not know
    for spellings in (("sean", "shaun", "shawn"), ("usman", "usmaan"), ("connor", "conor")):
        assert len({names.blocking_key(s) for s in spellings}) == 1, spellings
        assert all(s in names.variants(spellings[0]) for s in spellings), spellings
    # and names that are not one stay apart
    assert names.blocking_key("james") != names.blocking_key("jamie")


def test_titles_and_quotes_are_cleaned_and_names_split() -> None:
    assert name.split("PC Jane Smith") == ("Jane", "Smith")
    assert name.split("'Mo'") == ("Mo", None)
    assert name.key("Mohammed  KHAN") == "mohammed khan"
    # an apostrophe within a name is part of it; quotes around one are not
    assert name.clean("Niall O'BRIEN") == "Niall O'BRIEN"
    assert name.clean("Mohammed 'Mo' Hussain") == "Mohammed Mo Hussain"
    assert name.split("Mr D’Souza") == ("D’Souza", None)
    assert name.key("O'Brien") == name.key("OBrien") == "obrien"


def test_names_that_are_ordinary_words_are_known_as_such() -> None:
    for word in ("Hope", "Grace", "Will", "Mark", "Amber", "Rose", "Bill"):
        assert name.is_ordinary_word(word)
    assert not name.is_ordinary_word("Tariq")


def test_given_names_from_many_origins_are_recognised_with_their_usual_sex() -> None:
    assert name.is_given_name("Łukasz")
    assert name.is_given_name("Zahid")
    assert not name.is_given_name("Calderbridge")
    assert name.sex_of("Nicola") == "F"
    assert name.sex_of("Imran") == "M"


def test_a_given_name_has_the_sex_it_usually_has_in_britain() -> None:
    assert name.sex_of("Kyle") == "M"  # "mostly female" in the package's table
    assert name.sex_of("KYLE Walker") == "M"
    assert name.sex_of("Ashley") is None  # boys and girls alike
    assert name.sex_of("Dani") is None  # Daniel or Danielle
    assert name.sex_of("Harpreet") is None  # Sikh names: Kaur or Singh tells
    assert name.sex_of("Jess") is None  # Jessica or Jesse

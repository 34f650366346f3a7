from workers.engine.terms import analyse


def keys(text: str) -> list[str]:
    return [t.key for t in analyse(text)]


def test_country_names_capitals_and_demonyms_share_a_concept():
    assert keys("Budapest")[0] == keys("Hungary")[0] == keys("Hungarian")[0] == "country:HU"
    assert keys("Washington")[0] == keys("the United States")[0] == keys("U.S.")[0] == "country:US"
    assert keys("Dutch")[0] == keys("the Netherlands")[0] == "country:NL"


def test_lower_case_us_is_a_pronoun_not_a_country():
    assert "country:US" not in keys("give us the report")


def test_stance_words_share_a_group_and_keep_their_sign():
    (backs,) = [t for t in analyse("Germany backs Rutte") if t.kind == "stance"]
    (opposed,) = [t for t in analyse("Hungary opposed Rutte") if t.kind == "stance"]
    assert backs.key == opposed.key and backs.sign == 1 and opposed.sign == -1


def test_negation_flips_a_stance_word():
    (stance,) = [t for t in analyse("France did not endorse Rutte") if t.kind == "stance"]
    assert stance.sign == -1 and stance.negated


def test_refraining_from_commenting_is_not_confirming():
    (stance,) = [t for t in analyse("officials refrained from commenting") if t.kind == "stance"]
    assert stance.key == "pol:assertion" and stance.sign == -1


def test_negative_word_governs_the_positive_noun_after_it():
    signs = [t.sign for t in analyse("a dissenter in the support for Rutte") if t.kind == "stance"]
    assert signs == [-1, -1]


def test_surname_identifies_a_person():
    terms = analyse("Mark Rutte")
    assert [(t.key, t.kind) for t in terms] == [("mark", "word"), ("rut", "entity")]


def test_months_and_weekdays_are_dates_but_the_modal_may_is_not():
    kinds = {t.key: t.kind for t in analyse("On Tuesday, 3 Jan. 2021, it may rain in May")}
    assert kinds["tuesday"] == "weekday" and kinds["january"] == "month"
    assert kinds["may"] == "month" and kinds["2021"] == "number"
    assert [t.key for t in analyse("it may rain")] == ["rain"]


def test_organisation_acronyms_meet_their_names():
    assert keys("the EU")[0] == keys("the European Union")[0] == "org:EU"


def test_headline_capitals_are_not_names():
    kinds = {t.kind for t in analyse("Apple To Unveil The New MacBook At Its Spring Event")}
    assert "entity" not in kinds

import pytest

from workers.engine.decompose import decompose


def test_list_of_four_names_is_four_parts():
    assert decompose("The US, UK, France and Germany all support Rutte") == [
        "The US support Rutte",
        "UK support Rutte",
        "France support Rutte",
        "Germany support Rutte",
    ]


def test_two_names_joined_by_and_are_two_parts():
    assert decompose("France and Italy endorsed Rutte.") == [
        "France endorsed Rutte.",
        "Italy endorsed Rutte.",
    ]


@pytest.mark.parametrize(
    "claim",
    [
        "Rutte called for economic and political isolation.",
        "France or Italy endorsed Rutte.",
        "Klaus Iohannis is the president of Romania.",
    ],
)
def test_claims_without_a_list_of_names_stay_whole(claim):
    assert decompose(claim) == [claim]


@pytest.mark.parametrize(
    "claim, parts",
    [
        (
            "Google bought six buildings, and its spokeswoman declined to comment.",
            ["Google bought six buildings", "its spokeswoman declined to comment."],
        ),
        (
            "Tomblin proposed a raise in 2014 and later signed a bill.",
            ["Tomblin proposed a raise in 2014", "Tomblin signed a bill."],
        ),
        (
            "Rutte, who leads the Netherlands, met Iohannis.",
            ["Rutte met Iohannis.", "Rutte leads the Netherlands"],
        ),
        (
            "Mark Rutte, the Dutch prime minister, was endorsed by France.",
            ["Mark Rutte was endorsed by France.", "Mark Rutte is the Dutch prime minister"],
        ),
        (
            "France, which borders Germany, and Italy endorsed Rutte.",
            None,  # only asserted that it splits into more than the name list
        ),
    ],
)
def test_structural_parts(claim, parts):
    found = decompose(claim, structural=True)
    if parts is None:
        assert len(found) > 2
    else:
        assert found == parts


@pytest.mark.parametrize(
    "claim",
    [
        "Kirby said the US believes Rutte will win and Iohannis will lose.",  # one report
        "The man who endorsed Rutte left.",  # a restrictive relative clause
        "France endorsed Rutte.",
    ],
)
def test_structure_keeps_whole_what_is_one_fact(claim):
    assert decompose(claim, structural=True) == [claim]


def test_without_the_parser_only_name_lists_split():
    claim = "Google bought six buildings, and its spokeswoman declined to comment."
    assert decompose(claim) == [claim]


def test_a_list_inside_a_name_stays_whole():
    claim = "Todman is a fellow at the Center for Strategic and International Studies."
    assert decompose(claim, structural=True) == [claim]

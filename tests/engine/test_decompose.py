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

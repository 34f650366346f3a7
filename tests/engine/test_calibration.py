import pytest

from workers.engine.calibration import Calibration, isotonic


def test_isotonic_pools_a_decreasing_pair():
    # y goes 0, 1, 0, 1 at x 0.1..0.4: the middle violators pool into one block of 0.5
    assert isotonic([0.1, 0.2, 0.3, 0.4], [0, 1, 0, 1]) == [(0.1, 0.0), (0.25, 0.5), (0.4, 1.0)]


def test_isotonic_respects_weights():
    knots = isotonic([0.5, 0.6], [1.0, 0.0], [3.0, 1.0])
    assert knots == [(0.525, 0.75)]


def test_smoothing_keeps_a_perfect_block_below_certainty():
    assert isotonic([0.9] * 40, [1.0] * 40, smoothing=1.0) == [(0.9, round(41 / 42, 4))]


def test_isotonic_of_nothing_is_empty():
    assert isotonic([], []) == []


def test_calibration_interpolates_between_knots_and_is_flat_outside():
    cal = Calibration({"SUPPORTED": [(0.5, 0.6), (0.9, 0.8)]})
    assert cal("SUPPORTED", 0.7) == pytest.approx(0.7)
    assert cal("SUPPORTED", 0.1) == 0.6 and cal("SUPPORTED", 1.0) == 0.8


def test_a_label_without_knots_keeps_its_raw_confidence():
    assert Calibration()("REFUTED", 0.42) == 0.42

"""A System names what is scored and builds it; ablations switch real Engine arguments off."""

import pytest

from workers.engine import Document, Engine
from workers.evaluation.systems import System, available_layers, build


def test_layers_are_engine_arguments():
    assert {"dense", "head", "decompose"} <= set(available_layers())


def test_build_switches_the_named_layers_off():
    engine = build(System("symbolic", ("decompose", "dense"), threads=1))
    assert isinstance(engine, Engine) and not engine.decompose and not engine.dense


def test_without_decompose_judges_the_claim_whole():
    doc = [Document("d", "France endorsed Rutte. Hungary opposed Rutte.")]
    claim = "France endorsed Rutte and Hungary opposed Rutte"
    assert len(Engine(judge="symbolic").check(claim, doc).parts) == 2
    assert Engine(judge="symbolic", decompose=False).check(claim, doc).parts == ()


def test_invalid_systems_are_refused():
    with pytest.raises(ValueError, match="unknown judge"):
        System("oracle")
    with pytest.raises(ValueError, match="baseline"):
        System("overlap", ("dense",))
    with pytest.raises(ValueError, match="unknown engine layer"):
        System("symbolic", ("magic",))

import numpy as np
import pytest

from gradcourse.claims import ClaimFailed, claim


def test_a_true_claim_prints_one_checked_line(capsys):
    claim(np.float64(0.1) < 0.12, "the net stays at chance: 10.0 %")
    assert capsys.readouterr().out == "✓ the net stays at chance: 10.0 %\n"


def test_a_false_claim_fails_loudly_and_names_itself(capsys):
    with pytest.raises(ClaimFailed, match="does not hold: the net learns"):
        claim(False, "the net learns")
    assert capsys.readouterr().out == ""


def test_a_claim_needs_words():
    with pytest.raises(TypeError, match="statement"):
        claim(True, "  ")

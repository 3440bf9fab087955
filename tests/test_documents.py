"""gradcourse.documents: each source program quoted once; slices of it and runs of it come from that one text."""

from __future__ import annotations

import ast

import numpy as np
import pytest

from gradcourse import data, documents


def test_every_program_parses_and_names_its_article():
    for key, program in documents.PROGRAMS.items():
        ast.parse(program.text)
        assert program.article == key.upper() and program.section.startswith("§")
        assert program.text.endswith("\n") and "\t" not in program.text


def test_function_sources_are_slices_of_the_one_program_text():
    a3 = documents.source("a3")
    for name in ("gradient_descent", "momentum", "adam"):
        piece = documents.source(f"a3_{name}")
        assert piece.startswith(f"def {name}(") and piece in a3
    assert documents.source("a3_adam").count("def ") == 1
    assert "a5_sigmoid_derivative" in documents.keys() and "a3_adam" in documents.keys()


def test_load_whole_a3_fails_as_printed():
    with pytest.raises(ValueError, match="mismatch"):
        documents.load("a3")


def test_load_through_stops_before_the_training():
    a3 = documents.load("a3", through="adam")
    assert {"X", "Y", "theta", "gradient_descent", "momentum", "adam"} <= set(vars(a3))
    assert not hasattr(a3, "theta_gd")
    X_lib, Y_lib = data.linear_regression(100, seed=1, variant="linspace")
    np.testing.assert_array_equal(a3.X.reshape(-1, 1), X_lib)
    np.testing.assert_array_equal(a3.Y.reshape(-1, 1), Y_lib)


def test_loaded_functions_behave_as_the_printed_code():
    gd = documents.load("a3_gradient_descent").gradient_descent
    X = np.linspace(0.5, 2.0, 20).reshape(-1, 1)
    Y = 3.0 * X
    theta = gd(X, Y, np.zeros((1, 1)), 0.1, 500)
    assert abs(theta.item() - 3.0) < 1e-6  # with column vectors, A3's gradient descent works
    momentum = documents.load("a3_momentum").momentum
    one = momentum(X, Y, np.ones((1, 1)), 0.1, 0.9, 1)
    plain = gd(X, Y, np.ones((1, 1)), 0.1, 1)
    assert np.isclose(one.item() - plain.item(), 0.9)  # the spurious first kick β·θ0
    a3 = documents.load("a3", through="theta")
    with np.errstate(all="ignore"):
        nan = documents.load("a3_adam").adam(a3.X[:, None], a3.Y[:, None], a3.theta, 0.01, 0.9, 0.999, 1e-7, 5)
    assert np.isnan(nan).all()  # on A3's own data its v is negative: √v is NaN


def test_a5_runs_and_climbs(capsys):
    a5 = documents.load("a5")
    assert "训练好的模型参数" in capsys.readouterr().out
    assert a5.theta.shape == (2,) and a5.sigmoid(a5.X[0] @ a5.theta) == 0.5


@pytest.mark.parametrize("key", ["a1", "a4", "a1_x"])
def test_tensorflow_programs_are_read_only_and_bad_keys_are_named(key):
    with pytest.raises((RuntimeError, KeyError), match="TensorFlow|tensorflow|the keys are"):
        documents.load(key)


def test_bad_arguments_get_messages():
    with pytest.raises(KeyError, match="a3_adam"):
        documents.source("a3_adma")
    with pytest.raises(TypeError, match="key must be a string"):
        documents.source(3)
    with pytest.raises(ValueError, match="defines no such name"):
        documents.load("a3", through="nope")
    with pytest.raises(ValueError, match="whole program"):
        documents.load("a3_adam", through="adam")

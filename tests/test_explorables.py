"""gradcourse.explorables: the specification a moving figure hands to Vega-Lite, and the messages for bad input."""

from __future__ import annotations

import json

import numpy as np
import pytest

from gradcourse import explorables, problems


def _figure(**overrides):
    rate = explorables.Slider("eta", [0.1, 0.2, 0.3], label="η", value=0.2)
    kwargs = dict(title="t", alt="a path per rate", controls=[rate],
                  data=explorables.rows(eta=[0.1, 0.2, 0.3], loss=[1.0, 2.0, 3.0]),
                  layers=[{"mark": "point", "transform": [explorables.frame(rate)],
                           "encoding": {"x": explorables.axis("eta", "η"), "y": explorables.axis("loss", "loss")}}])
    kwargs.update(overrides)
    return explorables.figure(**kwargs)


def test_a_figure_shows_itself_as_vega_lite_5_with_its_description():
    fig = _figure()
    bundle = fig._repr_mimebundle_()
    assert set(bundle) == {"application/vnd.vegalite.v5+json", "text/plain"}
    spec = bundle[explorables.MIMETYPE]
    assert spec["$schema"].endswith("/vega-lite/v5.json")
    assert spec["params"] == [{"name": "eta", "value": 0.2, "bind": {"input": "range", "min": 0.1, "max": 0.3,
                                                                      "step": 0.1, "name": "η "}}]
    assert bundle["text/plain"] == "a path per rate"
    json.dumps(spec, allow_nan=False)  # valid JSON: no NaN anywhere
    assert fig.nbytes() == len(json.dumps(spec, separators=(",", ":")).encode())


def test_the_frame_filter_tolerates_float_steps_and_choices_compare_strings():
    rate = explorables.Slider("eta", np.arange(1, 4) * 0.1, label="η")
    assert rate.selects("eta") == 'abs(datum["eta"] - eta) < 0.05'
    surface = explorables.Choice("surface", ["bowl", "saddle"], label="surface")
    assert explorables.frame(rate, surface, columns={"eta": "lr"}) == {
        "filter": '(abs(datum["lr"] - eta) < 0.05) && (datum["surface"] === surface)'}
    assert surface.param()["bind"]["input"] == "radio"
    assert explorables.Choice("c", list("abcde"), label="c").param()["bind"]["input"] == "select"


def test_rows_round_repeat_scalars_and_turn_non_finite_values_into_gaps():
    out = explorables.rows(eta=np.float32(0.1), step=np.arange(3), loss=[1 / 3, np.nan, np.inf])
    assert out == [{"eta": 0.1, "step": 0, "loss": 0.33333}, {"eta": 0.1, "step": 1, "loss": None},
                   {"eta": 0.1, "step": 2, "loss": None}]
    with pytest.raises(ValueError, match="equal lengths"):
        explorables.rows(a=[1, 2], b=[1, 2, 3])
    with pytest.raises(ValueError, match="a cell must be a number"):
        explorables.rows(a=[object()])


def test_level_curves_lie_on_their_level():
    bowl = problems.ELLIPSE
    curve = explorables.contour_rows(bowl, [2.0], n=81)
    points = np.array([[r["x1"], r["x2"]] for r in curve]).T
    assert len(curve) > 50 and np.allclose(bowl.f(points), 2.0, rtol=2e-3)


@pytest.mark.parametrize(("make", "message"), [
    (lambda: explorables.Slider("eta", [0.1, 0.2, 0.4], label="η"), "evenly spaced"),
    (lambda: explorables.Slider("eta", [0.1], label="η"), "at least two"),
    (lambda: explorables.Slider("eta", [0.1, 0.2], label="η", value=0.7), "must be one of the values"),
    (lambda: explorables.Slider("learning rate", [0.1, 0.2], label="η"), "identifier"),
    (lambda: explorables.Choice("s", ["a"], label="s"), "at least two strings"),
    (lambda: explorables.Choice("s", ["a", "b"], label="s", value="c"), "must be one of"),
    (lambda: _figure(alt=" "), "alt must describe"),
    (lambda: _figure(panels=[{}]), "exactly one of layers"),
    (lambda: _figure(controls=["eta"]), "a Slider or a Choice"),
])
def test_bad_input_gets_a_message_that_says_what_to_do(make, message):
    with pytest.raises(ValueError, match=message):
        make()

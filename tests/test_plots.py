"""gradcourse.plots: every figure titled and labelled, book colours, a style that never warns about fonts."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pytest
from matplotlib import font_manager
from matplotlib.colors import to_rgb

from gradcourse import plots
from gradcourse.problems import BEALE, ELLIPSE, ROSENBROCK, SADDLE

BOOK_OPTIMIZERS = (
    "gd sgd momentum nesterov adagrad rmsprop adadelta adam amsgrad adamw nadam radam lars lamb lion".split()
)


@pytest.fixture(autouse=True)
def _clean_matplotlib():
    """Each test starts from matplotlib's own style and leaves no figures or style behind."""
    with matplotlib.rc_context():
        matplotlib.rcdefaults()
        yield
    plt.close("all")


def _rng():
    return np.random.default_rng(0)


def _path(n: int = 30) -> np.ndarray:
    return np.cumsum(_rng().normal(scale=0.1, size=(n, 2)), axis=0)


def _all_figures():
    """(name, Figure) for every public plotting function with typical inputs."""
    rng = _rng()
    steps = np.arange(100)
    tanh_acts = [np.tanh(rng.normal(scale=s, size=500)) for s in (0.5, 1.0, 3.0)]
    return [
        ("contour", plots.contour_with_trajectories(ROSENBROCK, {"sgd": _path(), "adam": _path() + 0.5})),
        ("contour-saddle", plots.contour_with_trajectories(SADDLE, {"my label": _path()})),
        ("loss", plots.loss_curves({"sgd": np.exp(-steps / 30), "adam": np.exp(-steps / 10)})),
        ("schedule", plots.schedule_curves({"cosine": 0.05 * (1 + np.cos(np.pi * steps / 100))})),
        ("by-layer", plots.grad_norms_by_layer({"sigmoid": 0.25 ** np.arange(6), "relu": np.ones(6)})),
        ("over-time", plots.grad_norms_over_time(np.exp(rng.normal(size=(50, 4))))),
        ("histograms", plots.histograms_by_layer(tanh_acts, activation="tanh")),
        ("histograms-dict", plots.histograms_by_layer({"fc1": rng.normal(size=100), "fc2": rng.normal(size=9)})),
        (
            "heatmap",
            plots.heatmap(
                [[0.1, 0.2, np.nan], [0.3, np.inf, 0.05]],
                ["xavier", "kaiming"],
                [1e-3, 1e-2, 1e-1],
                title="final loss",
                xlabel="learning rate η",
                ylabel="initialization",
            ),
        ),
    ]


# --- every figure is labelled, saves, and draws without warnings ------------------------------------------------


def test_every_figure_has_titles_and_axis_labels_and_saves_to_png():
    plots.use_book_style()
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        figures = _all_figures()
        for name, fig in figures:
            assert isinstance(fig, matplotlib.figure.Figure), name
            assert fig.axes, name
            for ax in fig.axes:
                assert ax.get_title().strip(), f"{name}: a panel has no title"
                assert ax.get_xlabel().strip(), f"{name}: a panel has no x label"
                assert ax.get_ylabel().strip(), f"{name}: a panel has no y label"
            buffer = io.BytesIO()
            fig.savefig(buffer, format="png")
            assert buffer.getvalue()[:8] == b"\x89PNG\r\n\x1a\n", name


def test_units_in_labels():
    fig = plots.schedule_curves({"step": [0.1, 0.1, 0.01]})
    assert fig.axes[0].get_ylabel() == "learning rate η" and fig.axes[0].get_xlabel() == "step"
    fig = plots.grad_norms_by_layer({"a": [1.0, 0.1]})
    assert fig.axes[0].get_ylabel() == "‖g‖₂" and fig.axes[0].get_yscale() == "log"
    fig = plots.loss_curves({"adam": [1.0, 0.5]}, xlabel="epoch", log=False)
    assert fig.axes[0].get_xlabel() == "epoch" and fig.axes[0].get_yscale() == "linear"


def test_ax_argument_draws_into_an_existing_panel():
    fig, (left, right) = plt.subplots(1, 2)
    assert plots.loss_curves({"sgd": [3.0, 2.0, 1.0]}, ax=right) is fig
    assert len(right.get_lines()) == 1 and not left.get_lines()
    assert plots.contour_with_trajectories(ELLIPSE, {"sgd": _path()}, ax=left) is fig
    assert left.get_title().startswith("ellipse")


# --- what the figures show -------------------------------------------------------------------------------------


def test_contour_marks_start_end_minimum_and_divergence():
    path = _path()
    runaway = np.array([[1.0, 1.0], [10.0, -10.0], [np.inf, np.nan]])
    fig = plots.contour_with_trajectories(BEALE, {"adam": path, "sgd": runaway})
    ax = fig.axes[0]
    assert ax.get_xlim() == BEALE.xlim and ax.get_ylim() == BEALE.ylim
    labels = ax.get_legend_handles_labels()[1]
    assert labels == ["adam", "sgd (diverged)", "minimum"]
    lines = ax.get_lines()
    adam = [ln for ln in lines if ln.get_color() == plots.color_for("adam")]
    assert {ln.get_marker() for ln in adam} >= {"o", "s"}
    ends = [ln for ln in adam if ln.get_marker() == "s"]
    np.testing.assert_array_equal(np.ravel(ends[0].get_xydata()), path[-1])
    stars = [ln for ln in lines if ln.get_marker() == "*"]
    np.testing.assert_array_equal(np.ravel(stars[0].get_xydata()), BEALE.minimum)
    assert ax.collections, "contour lines were drawn"


def test_contour_levels_are_log_spaced():
    ax = plots.contour_with_trajectories(ELLIPSE, {}, levels=10).axes[0]
    levels = np.asarray(ax.collections[0].levels)
    ratios = np.diff(levels)[1:] / np.diff(levels)[:-1]
    np.testing.assert_allclose(ratios, ratios[0], rtol=1e-9)
    assert ratios[0] > 1.5


def test_book_styles_are_used_for_known_names():
    fig = plots.loss_curves({"RMSprop": [1.0, 0.5], "baseline": [1.0, 0.9]})
    rms, base = fig.axes[0].get_lines()
    assert rms.get_color() == plots.COLORS["rmsprop"] and rms.get_linestyle() == "--"
    assert base.get_color() not in plots.COLORS.values()


def test_histogram_annotations_measure_saturation_and_zeros():
    saturated = np.array([-0.99, -0.5, 0.0, 0.98, 0.99])  # 3 of 5 beyond 0.97
    fig = plots.histograms_by_layer([saturated], activation="tanh")
    assert fig.axes[0].get_title() == "layer 1\n60.0% saturated"
    fig = plots.histograms_by_layer([np.array([0.0, 0.0, 1.0, 2.0])], labels=["relu 1"], activation="relu")
    assert fig.axes[0].get_title() == "relu 1\n50.0% zero"
    assert fig.get_suptitle() == "Activations by layer"


def test_histograms_share_one_x_range_and_drop_empty_panels():
    fig = plots.histograms_by_layer([np.linspace(-1, 1, 50)] * 3 + [np.linspace(0, 5, 50)] * 4)
    assert len(fig.axes) == 7  # 2 rows × 5 columns, unused panels removed
    lows = {round(p.get_x(), 9) for ax in fig.axes for p in ax.patches[:1]}
    assert lows == {-1.0}


def test_heatmap_writes_every_cell():
    fig = plots.heatmap(
        np.array([[1.0, 2.0], [np.nan, 4.0]]),
        ["a", "b"],
        ["x", "y"],
        title="t",
        xlabel="col",
        ylabel="row",
        fmt="{:.1f}",
    )
    texts = sorted(t.get_text() for t in fig.axes[0].texts)
    assert texts == ["1.0", "2.0", "4.0", "nan"]
    assert [t.get_text() for t in fig.axes[0].get_xticklabels()] == ["x", "y"]


# --- colours --------------------------------------------------------------------------------------------------


def test_one_distinct_visible_colour_per_optimizer():
    assert set(plots.COLORS) == set(BOOK_OPTIMIZERS)
    assert len(set(plots.COLORS.values())) == len(plots.COLORS)

    def luminance(color):  # WCAG relative luminance
        rgb = np.array(to_rgb(color))
        lin = np.where(rgb <= 0.04045, rgb / 12.92, ((rgb + 0.055) / 1.055) ** 2.4)
        return float(lin @ [0.2126, 0.7152, 0.0722])

    for name, color in plots.COLORS.items():
        contrast_with_white = 1.05 / (luminance(color) + 0.05)
        assert contrast_with_white >= 2.0, f"{name}'s colour {color} is too pale on white"


def test_colours_sharing_a_line_style_differ_clearly():
    by_style: dict[str, list[np.ndarray]] = {}
    for name in plots.COLORS:
        style = plots.style_for(name)
        by_style.setdefault(style["linestyle"], []).append(np.array(to_rgb(style["color"])))
    for rgbs in by_style.values():
        for i in range(len(rgbs)):
            for j in range(i):
                assert np.abs(rgbs[i] - rgbs[j]).sum() > 0.3


def test_color_for():
    assert plots.color_for("Adam") == plots.COLORS["adam"]
    with pytest.raises(ValueError, match="no book colour for optimizer 'adamax'; known names: gd, sgd"):
        plots.color_for("adamax")


# --- fonts ------------------------------------------------------------------------------------------------------


def _installed() -> set[str]:
    return {f.name for f in font_manager.fontManager.ttflist}


def test_style_names_only_installed_fonts_and_draws_chinese_without_warnings():
    assert plots.use_book_style() is None  # a chapter's setup cell shows nothing
    families = matplotlib.rcParams["font.family"]
    assert set(families) <= _installed()
    assert families[1] == plots.cjk_font()
    assert matplotlib.rcParams["axes.grid"] and matplotlib.rcParams["figure.dpi"] == 100
    assert matplotlib.rcParams["savefig.facecolor"] == "white"  # opaque: readable on a dark page
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig, ax = plt.subplots()
        ax.set_title("梯度消失 (vanishing gradients)")
        ax.set_xlabel("step")
        ax.set_ylabel("‖g‖₂")
        fig.savefig(io.BytesIO(), format="png")


def test_a_system_chinese_font_is_preferred_when_font_manager_finds_one(monkeypatch):
    monkeypatch.delenv("GRADCOURSE_CJK_FONT", raising=False)  # CI sets it for the whole run
    dejavu = font_manager.findfont("DejaVu Sans")
    fake = font_manager.FontEntry(fname=dejavu, name="Microsoft YaHei")
    monkeypatch.setattr(font_manager.fontManager, "ttflist", [*font_manager.fontManager.ttflist, fake])
    assert plots.cjk_font() == "Microsoft YaHei"
    plots.use_book_style()
    assert matplotlib.rcParams["font.family"][:2] == ["DejaVu Sans", "Microsoft YaHei"]


def test_the_bundled_font_can_be_asked_for(monkeypatch):
    monkeypatch.setenv("GRADCOURSE_CJK_FONT", "bundled")
    assert plots.cjk_font() == plots.BUNDLED_CJK_FONT


def test_without_the_bundled_font_figures_still_draw(monkeypatch):
    monkeypatch.setattr(font_manager.fontManager, "ttflist",
                        [f for f in font_manager.fontManager.ttflist
                         if f.name not in (*plots.SYSTEM_CJK_FONTS, plots.BUNDLED_CJK_FONT)])
    monkeypatch.setattr(plots, "_bundled_cjk_font_file", lambda: None)
    assert plots.cjk_font() is None
    plots.use_book_style()  # no error: Chinese characters become placeholder boxes
    fig, ax = plt.subplots()
    ax.set_title("梯度")
    fig.savefig(io.BytesIO(), format="png")


_NO_SYSTEM_FONTS = r"""
import io, json, sys, warnings
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt
from matplotlib import font_manager
from matplotlib.ft2font import FT2Font
from gradcourse import plots

text = sys.stdin.read()
# hide every system font: keep only the fonts that ship inside matplotlib
mpl_fonts = str(matplotlib.get_data_path())
font_manager.fontManager.ttflist = [f for f in font_manager.fontManager.ttflist if f.fname.startswith(mpl_fonts)]
font_manager.fontManager._findfont_cached.cache_clear()
plots.use_book_style()
cjk = plots.cjk_font()
path = font_manager.findfont(font_manager.FontProperties(family=cjk), fallback_to_default=False)
font = FT2Font(path)
missing = sorted({ch for ch in text if not font.get_char_index(ord(ch))})
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    fig, ax = plt.subplots()
    ax.set_title(text[:60])
    ax.set_xlabel(text[60:120])
    fig.savefig(io.BytesIO(), format="png")
print(json.dumps({"font": cjk, "file": path, "missing": missing,
                  "warnings": [str(w.message) for w in caught if "Glyph" in str(w.message)]}))
"""


def _chinese_text_of_the_course() -> str:
    """Every distinct CJK character in the chapters and exercises (the glossary's terms, the quoted articles)."""
    root = Path(__file__).resolve().parents[1]
    chars = set()
    for path in [*root.glob("chapters/**/*.py"), *root.glob("chapters/**/*.csv"), *root.glob("exercises/source/*.py")]:
        chars |= {ch for ch in path.read_text(encoding="utf-8") if "\u4e00" <= ch <= "\u9fff"}
    return "".join(sorted(chars))


def test_every_chinese_character_of_the_course_renders_with_no_system_font():
    text = _chinese_text_of_the_course()
    assert len(text) > 200, "expected the course's Chinese text (glossary, quoted articles)"
    env = {k: v for k, v in os.environ.items() if k != "GRADCOURSE_CJK_FONT"}
    done = subprocess.run([sys.executable, "-c", _NO_SYSTEM_FONTS], input=text, env=env, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout.strip().splitlines()[-1])
    assert report["font"] == plots.BUNDLED_CJK_FONT, report
    assert report["missing"] == [], f"{len(report['missing'])} characters have no glyph: {report['missing'][:20]}"
    assert report["warnings"] == []


# --- clear errors -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "call,pattern",
    [
        (lambda: plots.contour_with_trajectories(ELLIPSE, {"sgd": np.zeros((5, 3))}), r"trajectories\['sgd'\]"),
        (lambda: plots.contour_with_trajectories("ellipse", {}), "problem must be"),
        (lambda: plots.contour_with_trajectories(ELLIPSE, {}, levels=1), "levels"),
        (lambda: plots.loss_curves({}), "histories must be a non-empty dict"),
        (lambda: plots.loss_curves({"sgd": [[1.0, 2.0]]}), r"histories\['sgd'\]"),
        (lambda: plots.loss_curves({"sgd": [1.0]}, title=""), "title must be a non-empty string"),
        (lambda: plots.grad_norms_over_time(np.ones(5)), r"shape \(steps, layers\)"),
        (lambda: plots.grad_norms_over_time(np.ones((5, 2)), layer_labels=["a"]), "layer_labels"),
        (lambda: plots.histograms_by_layer([]), "non-empty list"),
        (lambda: plots.histograms_by_layer([[np.nan]]), "finite"),
        (lambda: plots.histograms_by_layer([[1.0]], activation="gelu"), "activation must be"),
        (lambda: plots.heatmap(np.ones((2, 2)), ["a"], ["x", "y"], title="t", xlabel="x", ylabel="y"), "shape"),
        (lambda: plots.loss_curves({"sgd": [1.0]}, ax="left"), "ax must be a matplotlib Axes"),
    ],
)
def test_bad_inputs_raise_value_error(call, pattern):
    with pytest.raises(ValueError, match=pattern):
        call()

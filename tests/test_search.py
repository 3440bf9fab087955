"""gradcourse.search: log-uniform sampling, the log grid, the result table and argument checks."""

from __future__ import annotations

import math

import numpy as np
import pytest

from gradcourse import search

SPACE = {"lr": (1e-4, 1.0), "wd": (1e-6, 1e-2)}


def test_log_uniform_is_reproducible_and_prefix_stable():
    a = search.log_uniform(SPACE, 50, seed=3)
    assert a == search.log_uniform(SPACE, 50, seed=3)
    assert a != search.log_uniform(SPACE, 50, seed=4)
    assert search.log_uniform(SPACE, 10, seed=3) == a[:10], "the first m of n draws are the m draws"


def test_log_uniform_stays_within_bounds():
    for s in search.log_uniform(SPACE, 2000, seed=0):
        for name, (low, high) in SPACE.items():
            assert low <= s[name] <= high


def test_log_uniform_is_uniform_in_the_log():
    lr = np.array([s["lr"] for s in search.log_uniform({"lr": (1e-4, 1.0)}, 20_000, seed=1)])
    decades = np.histogram(np.log10(lr), bins=4, range=(-4, 0))[0] / len(lr)
    assert np.allclose(decades, 0.25, atol=0.015), f"each decade should get a quarter of the draws, got {decades}"
    assert np.median(lr) == pytest.approx(1e-2, rel=0.1), "the median of a log-uniform draw is the geometric mean"


def test_log_grid_shape_values_and_order():
    grid = search.log_grid(SPACE, 3)
    assert len(grid) == 9 and all(set(s) == {"lr", "wd"} for s in grid)
    assert sorted({s["lr"] for s in grid}) == pytest.approx([1e-4, 1e-2, 1.0])
    assert sorted({s["wd"] for s in grid}) == pytest.approx([1e-6, 1e-4, 1e-2])
    assert [s["wd"] for s in grid[:3]] == pytest.approx([1e-6, 1e-4, 1e-2]), "the last name varies fastest"
    assert grid[0] == {"lr": 1e-4, "wd": 1e-6} and grid[-1] == {"lr": 1.0, "wd": 1e-2}, "the ends exactly"
    assert len(search.log_grid({"a": (1, 10), "b": (1, 10), "c": (1, 10)}, 4)) == 64


def test_run_collects_a_tidy_table_and_best_minimises():
    result = search.grid_search(lambda lr, wd: (math.log10(lr) + 2) ** 2 + wd, SPACE, 3)
    assert len(result) == 9 and len(list(result)) == 9
    assert result.best().params["lr"] == pytest.approx(1e-2)
    assert result.best().params["wd"] == pytest.approx(1e-6)
    rows = result.rows()
    assert rows[0] == {"lr": 1e-4, "wd": 1e-6, "value": pytest.approx(4 + 1e-6)}
    assert result.column("lr").shape == (9,) and result.values.shape == (9,)
    assert result.space == SPACE


def test_best_skips_failed_runs():
    values = iter([float("nan"), 3.0, float("inf"), 2.0, 5.0])
    result = search.run(lambda lr: next(values), [{"lr": x} for x in (1, 2, 3, 4, 5)])
    assert result.best().params == {"lr": 4} and result.best().value == 2.0
    failed = search.run(lambda lr: float("nan"), [{"lr": 1.0}])
    with pytest.raises(ValueError, match="no trial returned a finite value"):
        failed.best()


def test_random_search_matches_log_uniform():
    result = search.random_search(lambda lr, wd: lr * wd, SPACE, 7, seed=5)
    assert [t.params for t in result] == search.log_uniform(SPACE, 7, seed=5)


def test_on_border_flags_a_best_value_near_an_end():
    space = {"lr": (1e-4, 1e-2), "wd": (1e-6, 1e-2)}
    # the best lr is as large as possible: on the upper border; wd hardly matters and lies inside
    result = search.run(lambda lr, wd: -lr, [{"lr": 1e-4, "wd": 1e-4}, {"lr": 9e-3, "wd": 1e-4}], space)
    assert result.on_border() == ["lr"]
    assert result.on_border(fraction=0.0) == []
    inside = search.run(lambda lr, wd: 0.0, [{"lr": 1e-3, "wd": 1e-4}], space)
    assert inside.on_border() == []
    assert search.grid_search(lambda lr, wd: lr, space, 3).on_border(0.0) == ["lr", "wd"]


@pytest.mark.parametrize(
    ("call", "named"),
    [
        (lambda: search.log_uniform({"lr": (0.0, 1.0)}, 3), "space['lr'] low"),
        (lambda: search.log_uniform({"lr": (-1.0, 1.0)}, 3), "space['lr'] low"),
        (lambda: search.log_uniform({"lr": (1.0, 1.0)}, 3), "space['lr'] high"),
        (lambda: search.log_uniform({"lr": (1e-3, float("inf"))}, 3), "space['lr'] high"),
        (lambda: search.log_uniform({"lr": 0.1}, 3), "space['lr']"),
        (lambda: search.log_uniform({}, 3), "space"),
        (lambda: search.log_uniform([("lr", (1e-3, 1.0))], 3), "space"),
        (lambda: search.log_uniform({3: (1e-3, 1.0)}, 3), "space's names"),
        (lambda: search.log_uniform(SPACE, 0), "n must"),
        (lambda: search.log_uniform(SPACE, 2.5), "n must"),
        (lambda: search.log_uniform(SPACE, 3, seed=-1), "seed"),
        (lambda: search.log_grid(SPACE, 1), "points"),
        (lambda: search.log_grid(SPACE, True), "points"),
        (lambda: search.run("not a function", [{"lr": 1.0}]), "fn must"),
        (lambda: search.run(lambda lr: "high", [{"lr": 1.0}]), "fn must return a number"),
        (lambda: search.run(lambda lr: lr, {"lr": 1.0}), "settings"),
        (lambda: search.run(lambda lr: lr, [{"lr": 1.0}, 2.0]), "settings[1]"),
        (lambda: search.run(lambda lr: lr, [{"lr": 1.0}]).on_border(), "space"),
        (lambda: search.run(lambda lr: lr, [{"lr": 1.0}], {"lr": (0.1, 1), "wd": (0.1, 1)}), "settings[0]"),
        (lambda: search.random_search(lambda lr: lr, {"lr": (1e-3, 1.0)}, 2).on_border(0.7), "fraction"),
        (lambda: search.random_search(lambda lr: lr, {"lr": (1e-3, 1.0)}, 2).column("wd"), "name must"),
    ],
)
def test_errors_name_the_argument(call, named):
    with pytest.raises(ValueError) as info:
        call()
    assert str(info.value).startswith(named), f"the message should start with {named!r}: {info.value}"

"""Hyperparameter search on a log scale: random (log-uniform) search, a log grid to compare it with, and a tidy
table of the results.

A *space* maps each hyperparameter's name to a range ``(low, high)`` with 0 < low < high, searched on a log
scale (η from 1e-4 to 1 is four decades, each as important as the next).

* :func:`log_uniform` draws ``n`` settings, each hyperparameter independently,
  ``x = exp(u)`` with ``u ~ U(ln low, ln high)``: every decade of the range gets the same share of the draws.
* :func:`log_grid` lays ``points`` values per hyperparameter at equal ratios, ``low · (high/low)^(i/(points−1))``,
  ``i = 0 … points−1``, and takes every combination (``points^k`` settings for k hyperparameters).
* :func:`run` calls your function on each setting and returns a :class:`SearchResult`: one :class:`Trial`
  (the setting and the value your function returned, e.g. a validation loss; **smaller is better**) per row,
  with :meth:`SearchResult.best` and :meth:`SearchResult.on_border`.
* :func:`random_search` and :func:`grid_search` do both steps at once.

Why random beats a grid (Bergstra & Bengio, JMLR 2012): with k hyperparameters and n = points^k trials, a grid tries
only ``points`` distinct values of each; random search tries n distinct values of each. When only one
hyperparameter matters, the grid has wasted all but ``points`` of its trials.

Example::

    >>> result = random_search(lambda lr, wd: (lr - 0.1) ** 2, {"lr": (1e-3, 1.0), "wd": (1e-6, 1e-2)},
    ...                        n_trials=20, seed=0)
    >>> len(result), sorted(result.best().params)
    (20, ['lr', 'wd'])
"""

from __future__ import annotations

import itertools
import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field

import numpy as np

from gradcourse._validate import instance, integer, real

__all__ = ["SearchResult", "Trial", "grid_search", "log_grid", "log_uniform", "random_search", "run"]

Space = Mapping[str, tuple[float, float]]


@dataclass(frozen=True)
class Trial:
    """One row of a search: the hyperparameters tried (``params``) and the ``value`` the function returned."""

    params: dict[str, float]
    value: float

    def row(self) -> dict[str, float]:
        """The trial as one flat dict: every hyperparameter, then ``"value"``."""
        return {**self.params, "value": self.value}


@dataclass
class SearchResult:
    """The trials of a search, in the order they were run, and the space they were drawn from.

    ``value`` is minimised: :meth:`best` is the trial with the smallest finite value (a run that diverged may
    return ``nan`` or ``inf``; it is never the best).
    """

    trials: list[Trial]
    space: dict[str, tuple[float, float]] = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.trials)

    def __iter__(self) -> Iterator[Trial]:
        return iter(self.trials)

    @property
    def values(self) -> np.ndarray:
        """The values of all trials, in order (an array of floats)."""
        return np.array([t.value for t in self.trials], dtype=np.float64)

    def column(self, name: str) -> np.ndarray:
        """The values of hyperparameter ``name`` over all trials, in order."""
        names = list(self.trials[0].params) if self.trials else []
        if name not in names:
            raise ValueError(f"name must be one of the searched hyperparameters {names}, got {name!r}")
        return np.array([t.params[name] for t in self.trials], dtype=np.float64)

    def rows(self) -> list[dict[str, float]]:
        """The table as a list of flat dicts (``pandas.DataFrame(result.rows())`` makes a data frame of it)."""
        return [t.row() for t in self.trials]

    def best(self) -> Trial:
        """The trial with the smallest finite value (the first one on a tie)."""
        values = self.values
        finite = np.isfinite(values)
        if not finite.any():
            raise ValueError("no trial returned a finite value: every run failed or diverged; widen or move the "
                             "ranges of the search space")
        return self.trials[int(np.argmin(np.where(finite, values, np.inf)))]

    def on_border(self, fraction: float = 0.1) -> list[str]:
        """Hyperparameters whose best value lies near an end of its range: within ``fraction`` of the range's
        width **on the log scale**, ``|ln x − ln end| ≤ fraction · ln(high/low)``.

        A best value on the border says the optimum may lie outside the range: widen it past that end and
        search again before refining. (A grid's end points are always on the border.)
        """
        fraction = real("fraction", fraction, 0.0, 0.5, allowed="a finite number in [0, 0.5] (a share of the "
                        "log-range)")
        if not self.space:
            raise ValueError("space: this result holds no search space, so it has no border; pass space= to run() "
                             "(random_search and grid_search do)")
        best = self.best().params
        flagged = []
        for name, (low, high) in self.space.items():
            width = math.log(high / low)
            x = math.log(best[name])
            if x - math.log(low) <= fraction * width or math.log(high) - x <= fraction * width:
                flagged.append(name)
        return flagged


def _check_space(space: Space) -> dict[str, tuple[float, float]]:
    instance("space", space, Mapping, "a dict {name: (low, high)}, e.g. {'lr': (1e-4, 1.0)}")
    if not space:
        raise ValueError("space must name at least one hyperparameter, e.g. {'lr': (1e-4, 1.0)}; got {}")
    checked = {}
    for name, bounds in space.items():
        instance("space's names", name, str, "strings (the function's keyword arguments)")
        if not isinstance(bounds, (tuple, list)) or len(bounds) != 2:
            raise ValueError(f"space[{name!r}] must be a pair (low, high), got {bounds!r}")
        low = real(f"space[{name!r}] low", bounds[0], 0.0, open_low=True,
                   allowed="a finite number > 0 (a log scale needs positive bounds)")
        high = real(f"space[{name!r}] high", bounds[1], low, open_low=True,
                    allowed=f"a finite number > low = {low:g}")
        checked[name] = (low, high)
    return checked


def log_uniform(space: Space, n: int, *, seed: int = 0) -> list[dict[str, float]]:
    """``n`` settings drawn log-uniformly: each hyperparameter ``x = exp(u)``, ``u ~ U(ln low, ln high)``.

    Reproducible: the same ``space``, ``n`` and ``seed`` give the same settings, and the first m of n settings
    are the m settings drawn with ``n = m`` (one row of draws per setting).
    """
    space = _check_space(space)
    n = integer("n", n, 1, allowed="an integer >= 1 (the number of settings to draw)")
    rng = np.random.default_rng(integer("seed", seed, 0))
    logs_low = np.log([low for low, _ in space.values()])
    logs_high = np.log([high for _, high in space.values()])
    u = rng.uniform(logs_low, logs_high, size=(n, len(space)))
    x = np.clip(np.exp(u), [low for low, _ in space.values()], [high for _, high in space.values()])
    return [dict(zip(space, map(float, row), strict=True)) for row in x]


def log_grid(space: Space, points: int) -> list[dict[str, float]]:
    """Every combination of ``points`` values per hyperparameter, equally spaced on a log scale:
    ``low · (high/low)^(i/(points−1))`` for ``i = 0 … points−1``. ``points^k`` settings for k hyperparameters,
    the last hyperparameter varying fastest.
    """
    space = _check_space(space)
    points = integer("points", points, 2, allowed="an integer >= 2 (values per hyperparameter, ends included)")
    axes = [np.geomspace(low, high, points) for low, high in space.values()]
    for axis, (low, high) in zip(axes, space.values(), strict=True):
        axis[0], axis[-1] = low, high  # exactly the ends, not exp(ln(x)) rounded
    return [dict(zip(space, map(float, combo), strict=True)) for combo in itertools.product(*axes)]


def run(fn: Callable[..., float], settings: list[dict[str, float]], space: Space | None = None) -> SearchResult:
    """Call ``fn(**setting)`` for every setting and collect a :class:`SearchResult`.

    ``fn`` returns one number, smaller is better (a validation loss); ``nan`` or ``inf`` marks a failed run.
    ``space`` (optional) is kept on the result for :meth:`SearchResult.on_border`.
    """
    if not callable(fn):
        raise ValueError(f"fn must be a function of the hyperparameters returning a number, got {fn!r}")
    instance("settings", settings, list, "a list of dicts {name: value} (from log_uniform or log_grid)")
    checked_space = {} if space is None else _check_space(space)
    trials = []
    for i, setting in enumerate(settings):
        instance(f"settings[{i}]", setting, Mapping, "a dict {name: value}")
        if checked_space and set(setting) != set(checked_space):
            raise ValueError(f"settings[{i}] must set exactly the hyperparameters of space, {sorted(checked_space)}; "
                             f"got {sorted(setting)}")
        value = fn(**setting)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise ValueError(f"fn must return a number (smaller is better), got {value!r} for {setting}") from None
        trials.append(Trial(dict(setting), value))
    return SearchResult(trials, checked_space)


def random_search(fn: Callable[..., float], space: Space, n_trials: int, *, seed: int = 0) -> SearchResult:
    """Random search: ``run(fn, log_uniform(space, n_trials, seed=seed), space)``."""
    return run(fn, log_uniform(space, n_trials, seed=seed), space)


def grid_search(fn: Callable[..., float], space: Space, points: int) -> SearchResult:
    """Grid search on a log grid: ``run(fn, log_grid(space, points), space)`` (``points^k`` trials)."""
    return run(fn, log_grid(space, points), space)

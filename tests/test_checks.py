"""The exercise checks: solutions pass, stubs say "not implemented yet", typical mistakes are named, garbage
gets a sentence.

The solutions are not copied here: they are read from ``exercises/source/*.py`` between the solution markers
(through the same ``transform`` the generator uses), so the notebooks and this test share one source. Only the
cells an exercise needs are run (the imports, the cells that define functions, the answer cells), not the
experiments, so the whole file stays fast.
"""

from __future__ import annotations

import contextlib
import io
import math
import random
import re
import sys
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import jupytext
import matplotlib as mpl
import numpy as np
import pytest
import torch

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tools"))

import make_exercises  # noqa: E402

from gradcourse import check  # noqa: E402
from gradcourse.check import NotDone, WrongAnswer  # noqa: E402

SOURCES = sorted((ROOT / "exercises" / "source").glob("*.py"))
CHECK_CALL = re.compile(r"^check\.(\w+)\((\w+)\)\s*$", re.MULTILINE)


def _needed(index: int, source: str) -> bool:
    """The cells an answer depends on: imports (first cell), answer cells, and cells that define functions."""
    defines = re.search(r"^def \w+", source, re.MULTILINE) is not None
    return index == 0 or "### BEGIN SOLUTION" in source or (defines and "check." not in source)


@cache
def _code_cells(path: Path) -> tuple[str, ...]:
    return tuple(c.source for c in jupytext.read(path).cells if c.cell_type == "code")


@contextlib.contextmanager
def _isolated() -> Iterator[None]:
    """Undo what a notebook's first cell does to the process (book style, global seeds) and hide its prints,
    so that the tests running after these in the same worker see the state they expect."""
    states = random.getstate(), np.random.get_state(), torch.get_rng_state()
    with mpl.rc_context(), contextlib.redirect_stdout(io.StringIO()):
        yield
    random.setstate(states[0])
    np.random.set_state(states[1])
    torch.set_rng_state(states[2])


@cache
def _namespace(path: Path, student: bool) -> dict:
    """Run the cells an exercise needs, as the solution or as the student version; return the globals."""
    namespace: dict = {}
    with _isolated():
        _run_cells(path, student, namespace)
    return namespace


def _run_cells(path: Path, student: bool, namespace: dict) -> None:
    for i, source in enumerate(_code_cells(path)):
        if not _needed(i, source):
            continue
        code = make_exercises.transform(source, student=student, where=f"{path.name} cell {i}")
        try:
            exec(compile(code, f"{path.name}[{i}]", "exec"), namespace)
        except NotImplementedError:
            assert student, f"{path.name} cell {i}: the solution raised NotImplementedError"


def _calls() -> list[tuple[str, str, str]]:
    """(notebook, check name, variable) for every `check.<name>(<variable>)` cell of the sources."""
    found = []
    for path in SOURCES:
        for source in _code_cells(path):
            found += [(path.name, name, var) for name, var in CHECK_CALL.findall(source)]
    return found


CALLS = _calls()
IDS = [name for _, name, _ in CALLS]


def _run(name: str, answer) -> bool:
    with contextlib.redirect_stdout(io.StringIO()):
        return getattr(check, name)(answer)


def _answer(notebook: str, var: str, *, student: bool):
    return _namespace(ROOT / "exercises" / "source" / notebook, student)[var]


# --- the notebooks and the package agree -------------------------------------------------------------------


def test_every_exercise_has_one_check_cell_and_every_check_is_used():
    assert [p.stem for p in SOURCES] == list(check.EXERCISES), "one exercise notebook per part, named as in EXERCISES"
    assert len(IDS) >= 40, f"the course promises 40 or more exercises, found {len(IDS)}"
    for path in SOURCES:
        used = [name for notebook, name, _ in CALLS if notebook == path.name]
        listed = check.EXERCISES[path.stem]
        assert tuple(used) == listed, f"{path.name} calls {used}, EXERCISES lists {listed}"
        assert len(used) >= 3, f"{path.name} has fewer than 3 exercises"
    assert len(check.EXERCISES["03_algorithms"]) >= 6


def test_each_check_cell_follows_its_answer_cell_and_the_student_version_stubs_every_answer():
    for path in SOURCES:
        cells = _code_cells(path)
        answers = [i for i, s in enumerate(cells) if "### BEGIN SOLUTION" in s]
        checks = [i for i, s in enumerate(cells) if CHECK_CALL.search(s)]
        assert len(answers) == len(checks), f"{path.name}: {len(answers)} answer cells but {len(checks)} check cells"
        assert all(a < c for a, c in zip(answers, checks, strict=True)), f"{path.name}: a check comes before its answer"
        student = jupytext.read(ROOT / "exercises" / "student" / path.name)
        stubs = sum("raise NotImplementedError" in c.source for c in student.cells if c.cell_type == "code")
        assert stubs == len(answers), f"student/{path.name}: {stubs} stubs for {len(answers)} exercises"


# --- solutions pass, stubs are "not implemented yet" -------------------------------------------------------


@pytest.mark.parametrize(("notebook", "name", "var"), CALLS, ids=IDS)
def test_the_solution_passes_its_check(notebook, name, var):
    assert _run(name, _answer(notebook, var, student=False)) is None


@pytest.mark.parametrize(("notebook", "name", "var"), CALLS, ids=IDS)
def test_the_stub_is_not_implemented_yet(notebook, name, var):
    with pytest.raises(NotDone, match="not implemented yet") as info:
        _run(name, _answer(notebook, var, student=True))
    assert info.value._render_traceback_()[0].startswith(f"… {name}: not implemented yet")


# --- typical mistakes are named ----------------------------------------------------------------------------


def _sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def _chain(x, w, b, *, use_w=True, slope_at="z"):
    h, product = x, 1.0
    for wl, bl in zip(w, b, strict=True):
        z = wl * h + bl
        s = _sigmoid(z)
        at = {"z": s, "h": _sigmoid(s)}[slope_at]
        product *= (wl if use_w else 1.0) * at * (1 - at)
        h = s
    return product


def _dense(x, W, b, dh, *, slope=True, db_mean=False):
    s = _sigmoid(x @ W.T + b)
    dz = dh * s * (1 - s) if slope else dh
    return dz @ W, dz.T @ x, dz.mean(axis=0) if db_mean else dz.sum(axis=0)


def _momentum(theta, grad, buf, *, lr, momentum, kind="torch"):
    if kind == "sutskever":
        buf = -lr * grad if buf is None else momentum * buf - lr * grad
        return theta + buf, buf
    if kind == "ema":
        buf = (1 - momentum) * grad if buf is None else momentum * buf + (1 - momentum) * grad
    else:
        buf = grad if buf is None else momentum * buf + grad
    return (theta + lr * buf if kind == "ascent" else theta - lr * buf), buf


def _heavy_ball(grad_f, theta, lr, beta, iterations, *, prev_at_zero):
    theta_prev = np.zeros_like(theta) if prev_at_zero else theta.copy()
    for _ in range(iterations):
        theta, theta_prev = theta - lr * grad_f(theta) + beta * (theta - theta_prev), theta
    return theta


def _adam(theta, grad, m, v, t, *, lr, betas, eps, correct=True, eps_inside=False):
    b1, b2 = betas
    m, v = b1 * m + (1 - b1) * grad, b2 * v + (1 - b2) * grad**2
    m_hat, v_hat = (m / (1 - b1**t), v / (1 - b2**t)) if correct else (m, v)
    denom = np.sqrt(v_hat + eps) if eps_inside else np.sqrt(v_hat) + eps
    return theta - lr * m_hat / denom, m, v


def _a3_adam_one_bug_left(X, Y, theta, alpha, beta1, beta2, epsilon, iterations):
    n = len(X)
    m, v = np.zeros_like(theta), np.zeros_like(theta)
    for _ in range(iterations):  # the one bug left: the bias correction uses `iterations`, not the step t
        g = X.T @ (X @ theta - Y) / n
        m, v = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g**2
        theta = theta - alpha * (m / (1 - beta1**iterations)) / (np.sqrt(v / (1 - beta2**iterations)) + epsilon)
    return theta


def _global_norm(grads):
    return math.sqrt(sum(float(np.sum(g**2)) for g in grads))


def _warmup_cosine(step, *, base_lr, warmup_steps, total_steps, degrees=False, plus_one=False):
    if step < warmup_steps:
        return base_lr * (step + plus_one) / warmup_steps
    p = min(1.0, (step - warmup_steps) / (total_steps - warmup_steps))
    return base_lr * (1 + math.cos(180 * p if degrees else math.pi * p)) / 2


def _unit(X, y, learning_rate, num_epochs, *, sign=-1.0, slope_of="output"):
    m, n = X.shape
    theta = np.zeros(n)
    for _ in range(num_epochs):
        z = X @ theta
        y_pred = _sigmoid(z)
        s = {"output": y_pred, "z": z, "none": None}[slope_of]
        factor = 1.0 if s is None else s * (1 - s)
        theta = theta - learning_rate * sign * X.T @ (2 * (y - y_pred) * factor) / m
    return theta


def _lars(theta, grad, *, trust_coefficient, weight_decay, inverted=False, no_decay=False):
    p, g = np.linalg.norm(theta), np.linalg.norm(grad)
    if p == 0 or g + weight_decay * p == 0:
        return 1.0
    if inverted:
        return trust_coefficient * g / p
    return trust_coefficient * p / (g if no_decay else g + weight_decay * p)


def _lion(theta, grad, m, *, lr, betas, weight_decay, kind="right"):
    b1, b2 = betas
    if kind == "m_first":
        m = b2 * m + (1 - b2) * grad
        return theta - lr * (np.sign(m) + weight_decay * theta), m
    c = b1 * m + (1 - b1) * grad
    direction = c if kind == "no_sign" else np.sign(c)
    return theta - lr * (direction + weight_decay * theta), b2 * m + (1 - b2) * grad


def _large_batch(step, *, base_lr, base_batch, batch, warmup_steps, kind="right"):
    k = batch / base_batch
    if kind == "sqrt":
        k = math.sqrt(k)
    if kind == "no_warmup" or step >= warmup_steps:
        return k * base_lr
    start = 0.0 if kind == "from_zero" else base_lr
    return start + (k * base_lr - start) * step / warmup_steps


def _power_iteration_unnormalized(hvp, dim, iters, rng):
    v = rng.normal(size=dim)
    for _ in range(iters):
        v = hvp(v)
    return float(v @ hvp(v))


def _rmsprop(theta, grad, v, lr, alpha, eps, inside=False):
    v = alpha * v + (1 - alpha) * grad**2
    return theta - lr * grad / (np.sqrt(v + eps) if inside else np.sqrt(v) + eps), v


def _batchnorm(x, gamma, shift, dy, eps, ddof=0, constant_stats=False):
    mu, var = x.mean(axis=0), x.var(axis=0, ddof=ddof)
    inv = 1 / np.sqrt(var + eps)
    xhat = (x - mu) * inv
    d = dy * gamma
    dx = d * inv if constant_stats else inv * (d - d.mean(axis=0) - xhat * (d * xhat).mean(axis=0))
    return gamma * xhat + shift, dx, (dy * xhat).sum(axis=0), dy.sum(axis=0)


class Doc:
    """A function as printed in a source document, looked up in the notebook (its buggy version) when needed."""

    def __init__(self, notebook: str, var: str) -> None:
        self.notebook, self.var = notebook, var

    def function(self):
        return _answer(self.notebook, self.var, student=False)


MISTAKES = [
    ("sigmoid_prime", lambda z: z * (1 - z), "pass it the OUTPUT"),
    ("sigmoid_prime", lambda z: np.exp(-z) / (1 + np.exp(-z)) ** 2, "overflows"),
    ("sigmoid_prime", lambda z: 1 - np.tanh(z) ** 2, "derivative of tanh"),
    ("chain_gradient", lambda x, w, b: _chain(x, w, b, use_w=False), "left out the weights"),
    ("chain_gradient", lambda x, w, b: _chain(x, w, b, slope_at="h"), "not at the output"),
    ("dense_backward", lambda x, W, b, dh: _dense(x, W, b, dh, slope=False), "you forgot σ'"),
    ("dense_backward", lambda x, W, b, dh: _dense(x, W, b, dh, db_mean=True), "db is the SUM"),
    ("largest_stable_lr", lambda H: 1 / np.linalg.eigvalsh(H).max(), "stable up to twice that"),
    ("largest_stable_lr", lambda H: 2 / np.linalg.eigvalsh(H).min(), "smallest eigenvalue"),
    ("largest_stable_lr", lambda H: 2 / np.diag(H).max(), "not its eigenvalues"),
    ("momentum_step", lambda theta, grad, buf, **kw: _momentum(theta, grad, buf, kind="sutskever", **kw),
     "η inside the buffer"),
    ("momentum_step", lambda theta, grad, buf, **kw: _momentum(theta, grad, buf, kind="ema", **kw),
     "exponential average"),
    ("momentum_step", lambda theta, grad, buf, **kw: _momentum(theta, grad, buf, kind="ascent", **kw), "downhill"),
    ("momentum_a3_bug", Doc("03_algorithms.py", "momentum_a3"), "still the documents' code"),
    ("momentum_a3_bug", lambda g, th, lr, b, n: _heavy_ball(g, th, lr, b, n, prev_at_zero=True), "starts at 0"),
    ("adam_step", lambda *a, **kw: _adam(*a, correct=False, **kw), r"your update is 3\.16·lr; with bias correction"),
    ("adam_step", lambda *a, **kw: _adam(*a, eps_inside=True, **kw), "outside the square root"),
    ("adam_a3_bug", Doc("03_algorithms.py", "adam_a3"), "3 bug"),
    ("adam_a3_bug", _a3_adam_one_bug_left, r"1 bug\(s\) left: \(1\) the bias correction must use the current step"),
    ("clip_by_norm", lambda grads, max_norm: [np.clip(g, -max_norm, max_norm) for g in grads], "clipping by VALUE"),
    ("clip_by_norm", lambda grads, max_norm: [g * max_norm / (_global_norm(grads) + 1e-6) for g in grads],
     "even when the gradient was already shorter"),
    ("clip_by_norm", lambda grads, max_norm: [g * min(1.0, max_norm / np.linalg.norm(g)) for g in grads],
     "each array by its own norm"),
    ("he_normal", lambda shape, rng: rng.normal(0, math.sqrt(2 / shape[0]), size=shape), "you used n_out"),
    ("he_normal", lambda shape, rng: rng.normal(0, math.sqrt(1 / shape[1]), size=shape), "left out ReLU's gain"),
    ("he_normal", lambda shape, rng: np.random.default_rng().normal(0, 0.1, size=shape), "the generator you are given"),
    ("warmup_cosine", lambda step, **kw: _warmup_cosine(step, degrees=True, **kw), "radians"),
    ("warmup_cosine", lambda step, **kw: _warmup_cosine(step, plus_one=True, **kw), "off by one in the warmup"),
    ("xor_a5_bug", Doc("04_code.py", "train_unit_a5"), "steps UPHILL"),
    ("xor_a5_bug", lambda X, y, lr, n: _unit(X, y, lr, n, slope_of="none"), "σ'\\(z\\) is missing"),
    ("xor_a5_bug", lambda X, y, lr, n: _unit(X, y, lr, n, slope_of="z"), "expects the OUTPUT"),
    ("lars_trust_ratio", lambda theta, grad, **kw: _lars(theta, grad, inverted=True, **kw), "upside down"),
    ("lars_trust_ratio", lambda theta, grad, **kw: _lars(theta, grad, no_decay=True, **kw), "weight-decay term"),
    ("lars_trust_ratio", lambda theta, grad, *, trust_coefficient, weight_decay:
     trust_coefficient * np.linalg.norm(theta) / (np.linalg.norm(grad) + weight_decay * np.linalg.norm(theta)),
     "convention is 1"),
    ("lion_step", lambda *a, **kw: _lion(*a, kind="m_first", **kw), "OLD momentum"),
    ("lion_step", lambda *a, **kw: _lion(*a, kind="no_sign", **kw), "sign\\(c\\)"),
    ("large_batch_lr", lambda step, **kw: _large_batch(step, kind="sqrt", **kw), "square-root scaling"),
    ("large_batch_lr", lambda step, **kw: _large_batch(step, kind="no_warmup", **kw), "warmup is missing"),
    ("large_batch_lr", lambda step, **kw: _large_batch(step, kind="from_zero", **kw), "not at 0"),
    ("steps_to_shrink", lambda rho, factor: math.log(factor) / math.log(1 / rho), "round up"),
    ("steps_to_shrink", lambda rho, factor: math.ceil(math.log(factor) / (1 - rho)), "keep the logarithm"),
    ("optimal_lr", lambda L, mu: (1 / L, 1 - mu / L), "1/L zeroes the steepest"),
    ("optimal_lr", lambda L, mu: (2 / (L + mu), 1 - mu / L), "1 − 1/κ is the rate"),
    ("optimal_lr", lambda L, mu: (2 / (L + mu), ((L / mu) ** 0.5 - 1) / ((L / mu) ** 0.5 + 1)), "momentum achieves"),
    ("sharpness", _power_iteration_unnormalized, "without normalizing"),
    ("sharpness", lambda hvp, dim, iters, rng: float(np.trace(np.array([hvp(e) for e in np.eye(dim)]))) / dim,
     None),
    ("minibatch_variance", lambda sigma2, B, N: sigma2 / B, "WITH replacement"),
    ("minibatch_variance", lambda sigma2, B, N: sigma2 / B * (N - B) / N, r"\(N − B\)/\(N − 1\), not"),
    ("sgd_noise_floor", lambda lr, lam, sigma2: lr * sigma2 / 4, "small-η limit"),
    ("sgd_noise_floor", lambda lr, lam, sigma2: lr * sigma2 / (lam * (2 - lr * lam)), "variance of θ"),
    ("heavy_ball_max_lr", lambda lam, beta: 2 / lam, "plain gradient descent's limit"),
    ("heavy_ball_max_lr", lambda lam, beta: 2 * (1 - beta) / lam, "WIDENS"),
    ("rmsprop_step", lambda theta, grad, v, *, lr, alpha, eps: _rmsprop(theta, grad, v, lr, 1 - alpha, eps),
     "OLD average"),
    ("rmsprop_step", lambda theta, grad, v, *, lr, alpha, eps: _rmsprop(theta, grad, v, lr, alpha, eps, inside=True),
     "outside the square root"),
    ("adam_bias_factor", lambda beta1, t: beta1**t, "weight still on m_0"),
    ("adam_bias_factor", lambda beta1, t: 1 / (1 - beta1**t), "CORRECTION"),
    ("he_variance", lambda n_in: 1 / n_in, "LeCun"),
    ("he_variance", lambda n_in: math.sqrt(2 / n_in), "standard deviation"),
    ("batchnorm", lambda x, gamma, shift, dy, eps: _batchnorm(x, gamma, shift, dy, eps, ddof=1), "BIASED"),
    ("batchnorm", lambda x, gamma, shift, dy, eps: _batchnorm(x, gamma, shift, dy, eps, constant_stats=True),
     "as constants"),
    ("residual_gain", lambda a, D: (a**D, 1 + a**D), "ONE skip connection"),
    ("residual_gain", lambda a, D: (a * D, (1 + a) ** D), "MULTIPLIES"),
    ("combine_shard_gradients", lambda grads, sizes: np.mean(grads, axis=0), "same size"),
    ("combine_shard_gradients", lambda grads, sizes: np.sum(grads, axis=0), "already a mean"),
    ("attention_scale", lambda d: 1 / d, "VARIANCE"),
    ("attention_scale", lambda d: 1.0, "saturates"),
]


@pytest.mark.parametrize(("name", "wrong", "hint"), MISTAKES, ids=[m[0] for m in MISTAKES])
def test_a_typical_mistake_is_rejected_with_its_hint(name, wrong, hint):
    if isinstance(wrong, Doc):
        wrong = wrong.function()
    with pytest.raises(WrongAnswer) as info:
        _run(name, wrong)
    if hint is None:  # a wrong answer with no typical cause: rejected, with the measured value
        return
    assert info.value.hint is not None and re.search(hint, info.value.hint), (
        f"{name}: expected a hint matching {hint!r}, got: {info.value}"
    )


def test_every_implement_and_find_the_bug_exercise_has_two_named_mistakes():
    functions = {name for notebook, name, var in CALLS if callable(_answer(notebook, var, student=False))}
    counted = {name: sum(m[0] == name for m in MISTAKES) for name in functions}
    assert all(n >= 2 for n in counted.values()), counted


PREDICTION_MISTAKES = [
    ("vanishing_prediction", {"sigmoid + xavier": True, "tanh + xavier": True, "relu + torch default": True,
                              "relu + he": False}, "3 of 4 predictions right"),
    ("will_diverge", {0.1: False, 0.45: True, 0.55: True}, r"η·L = 1\.8 is below 2"),
    ("adam_spike_prediction", 100.0, "SGD's step"),
    ("diagnose_e", "saturated", "only 0% of the sigmoid outputs"),
    ("diagnose_d", "vanishing", "does not fade"),
    ("diagnose_b", "exploding", "a symptom, not the cause"),
    ("diagnose_a", "vanishing", "a symptom, not the cause"),
    ("diagnose_c", "dead_relu", "that is normal"),
    ("diagnose_a", "lr_too_high", "before a single step"),
    ("fp16_prediction", {"1e-3": False, "1e-6": True, "1e-8": True, "1e-8 × 1024": False}, "subnormal"),
    ("decay_kind", "exponential", "polynomial_decay"),
    ("reddi_prediction", {"adam, betas=(0, 0.1)": True, "amsgrad, betas=(0, 0.1)": True,
                          "adam, betas=(0.9, 0.999)": True}, "forgets the rare large gradient"),
    ("wider_prediction", True, "depth, not width"),
    ("tune_digits", {"optimizer": "adam", "lr": 1e-3, "momentum": 0.0, "weight_decay": 0.0, "schedule": "constant",
                     "warmup_steps": 0, "activation": "sigmoid", "init": "default", "norm": "none",
                     "residual": False}, "has not learned at all"),
]


@pytest.mark.parametrize(("name", "answer", "evidence"), PREDICTION_MISTAKES, ids=[m[0] for m in PREDICTION_MISTAKES])
def test_a_wrong_prediction_or_diagnosis_is_explained_by_the_evidence(name, answer, evidence):
    with pytest.raises(WrongAnswer) as info:
        _run(name, answer)
    assert re.search(evidence, str(info.value)), str(info.value)


# --- garbage gets a sentence, never a traceback ------------------------------------------------------------


def _raises(*args, **kwargs):
    raise ValueError("boom")


GARBAGE = {
    "returns None": lambda *a, **k: None,
    "returns a string": lambda *a, **k: "abc",
    "returns NaN": lambda *a, **k: float("nan"),
    "returns a wrong shape": lambda *a, **k: np.ones(7),
    "raises": _raises,
    "not a function": 3.0,
}
FUNCTION_CHECKS = sorted({m[0] for m in MISTAKES})


@pytest.mark.parametrize("garbage", GARBAGE.values(), ids=list(GARBAGE))
@pytest.mark.parametrize("name", FUNCTION_CHECKS)
def test_garbage_from_a_function_gets_a_sentence(name, garbage):
    with pytest.raises(WrongAnswer) as info:
        _run(name, garbage)
    assert str(info.value).startswith(f"✗ {name}: ")


@pytest.mark.parametrize(
    ("name", "garbage", "complaint"),
    [
        ("will_diverge", {0.1: "False", 0.45: False, 0.55: True}, "without quotes"),
        ("will_diverge", {0.1: False}, "missing"),
        ("will_diverge", [False, False, True], "should be a dict"),
        ("vanishing_prediction", None, "should be a dict"),
        ("adam_spike_prediction", "one", "should be a number"),
        ("adam_spike_prediction", float("inf"), "finite"),
        ("diagnose_a", "vanishng", "not on the list"),
        ("diagnose_a", 1, "should be one of"),
        ("wider_prediction", "False", "without quotes"),
        ("decay_kind", None, "should be one of"),
        ("tune_digits", {"optimizer": "adam"}, "exactly the keys"),
        ("tune_digits", {"optimizer": "adamm", "lr": 1e-3, "momentum": 0.0, "weight_decay": 0.0,
                         "schedule": "constant", "warmup_steps": 0, "activation": "relu", "init": "default",
                         "norm": "none", "residual": False}, "not on the list"),
    ],
)
def test_garbage_predictions_get_a_sentence(name, garbage, complaint):
    with pytest.raises(WrongAnswer, match=complaint):
        _run(name, garbage)


def test_answers_are_read_forgivingly_where_it_is_harmless():
    assert _run("diagnose_a", " Dead-ReLU ") is None
    assert _run("will_diverge", {0.1: np.False_, 0.45: False, 0.55: np.True_}) is None


def test_mystery_network_rejects_an_unknown_name():
    with pytest.raises(ValueError, match="name must be one of"):
        check.mystery_network("Z")


# --- odd but honest answers: never a traceback, never a false "✓" (issue 19.4) -----------------------------


class _Unreadable:
    """A value whose conversions all raise: float(), numpy's __array__, repr()."""

    def __float__(self):
        raise RuntimeError("no float for you")

    def __array__(self, *a, **k):
        raise RuntimeError("no array for you")

    def __repr__(self):
        raise RuntimeError("no repr for you")


def _map_output(out, transform):
    if isinstance(out, (tuple, list)):
        return type(out)(_map_output(o, transform) for o in out)
    if isinstance(out, (np.ndarray, float, np.floating, int, np.integer)) and not isinstance(out, bool):
        return transform(np.asarray(out, dtype=float))
    return out


ODD = {
    "bfloat16 tensor": (lambda a: torch.tensor(a, dtype=torch.bfloat16), "either"),
    "float64 tensor requiring grad": (lambda a: torch.tensor(a, dtype=torch.float64, requires_grad=True), "pass"),
    "sparse tensor": (lambda a: torch.tensor(a, dtype=torch.float64).to_sparse() if a.ndim else a, "pass"),
    "complex with 1e-3j": (lambda a: a + 1e-3j, "fail"),
    "complex with 0j": (lambda a: a + 0j, "pass"),
    "object whose conversions raise": (lambda a: _Unreadable(), "fail"),
}
SOLVED_FUNCTIONS = [(nb, name, var) for nb, name, var in CALLS if name in FUNCTION_CHECKS]


@pytest.mark.parametrize("odd", list(ODD))
@pytest.mark.parametrize(("notebook", "name", "var"), SOLVED_FUNCTIONS, ids=[c[1] for c in SOLVED_FUNCTIONS])
def test_an_odd_form_of_the_right_answer_gets_a_sentence_or_passes(notebook, name, var, odd):
    transform, outcome = ODD[odd]
    solution = _answer(notebook, var, student=False)

    def answer(*args, **kwargs):
        return _map_output(solution(*args, **kwargs), transform)

    try:
        _run(name, answer)
    except WrongAnswer as err:
        assert outcome in {"fail", "either"}, f"{name} rejected the right answer as a {odd}: {err}"
        assert "Traceback" not in str(err) and len(str(err)) < 4000
    else:
        assert outcome in {"pass", "either"}, f"{name} said ✓ to the right answer as a {odd}"


class _NastyError(Exception):
    def __str__(self):
        raise RuntimeError("even my message fails")


def _raises_nasty(*args, **kwargs):
    raise _NastyError


@pytest.mark.parametrize("name", FUNCTION_CHECKS)
def test_a_student_exception_whose_str_raises_gets_a_sentence(name):
    with pytest.raises(WrongAnswer, match="_NastyError"):
        _run(name, _raises_nasty)


def test_a_function_that_hangs_is_stopped(monkeypatch):
    from gradcourse.check import _core

    monkeypatch.setattr(_core, "TIME_LIMIT_S", 0.5)

    def hangs(z):
        while True:
            pass

    with pytest.raises(WrongAnswer, match=r"did not return within 0\.5 s"):
        _run("sigmoid_prime", hangs)


def test_a_huge_answer_gives_a_short_message():
    answer = {i: True for i in range(100_000)}
    with pytest.raises(WrongAnswer) as info:
        _run("will_diverge", answer)
    assert len(str(info.value)) <= 2 * _core_limit() + 100


def _core_limit() -> int:
    from gradcourse.check import _core

    return _core.MAX_MESSAGE


def test_he_normal_rejects_a_clipped_normal():
    def clipped(shape, rng):
        std = math.sqrt(2 / (shape[1] * int(np.prod(shape[2:]))))
        return np.clip(rng.normal(0, std, size=shape), -2.5 * std, 2.5 * std)

    with pytest.raises(WrongAnswer, match="clipped or truncated"):
        _run("he_normal", clipped)


# --- keys that do not leak, first answers kept ---------------------------------------------------------------


def test_the_teachers_key_matches_the_hashes_the_checks_hold():
    import json

    from gradcourse.check import diagnosing, keys

    key = json.loads((ROOT / "exercises" / "teacher" / "keys.json").read_text(encoding="utf-8"))
    for letter, hashed in diagnosing.KEYS.items():
        assert keys.digest(f"diagnose_{letter.lower()}", key[f"diagnose_{letter.lower()}"]) == hashed
        assert key[f"diagnose_{letter.lower()}"] in check.DIAGNOSES
    package = "\n".join(p.read_text(encoding="utf-8") for p in (ROOT / "src" / "gradcourse" / "check").glob("*.py"))
    for letter in diagnosing.KEYS:  # no network is paired with its diagnosis in plain text
        assert not re.search(rf'"{letter}":\s*\([^)]*"{key[f"diagnose_{letter.lower()}"]}"', package)


def test_recording_mode_grades_the_first_answer(tmp_path):
    from gradcourse.check import keys

    keys.record_first_answers(tmp_path / "first.json")
    try:
        with pytest.raises(WrongAnswer):
            _run("diagnose_a", "vanishing")
        out = io.StringIO()
        with contextlib.redirect_stdout(out), pytest.raises(WrongAnswer):
            check.diagnose_a("dead_relu")  # right now, but the first answer counts
        assert "graded: your first answer" in out.getvalue()
        assert "diagnose_a" in (tmp_path / "first.json").read_text(encoding="utf-8")
    finally:
        keys.record_first_answers(None)
    assert _run("diagnose_a", "dead_relu") is None


# --- in Chinese, a check answers in Chinese ----------------------------------------------------------------

_CJK = re.compile(r"[\u4e00-\u9fff]")
_ENGLISH_PROSE = re.compile(r"(?:\b[A-Za-z]{2,}\b[ ,;:]+){3}[A-Za-z]{2,}")  # four English words in a row
_CODE = re.compile(r"`[^`]*`|'[^']*'|\"[^\"]*\"")  # code and quoted answer words are the same in every language


def _answer_in_chinese(name: str, answer) -> str:
    """What the check prints or raises for ``answer`` with the language set to Chinese."""
    before = check.language()
    check.language("zh")
    try:
        with contextlib.redirect_stdout(io.StringIO()) as out:
            try:
                getattr(check, name)(answer)
            except check.ExerciseError as err:
                return "\n".join(err._render_traceback_())
        return out.getvalue()
    finally:
        check.language(before)


ZH_CASES = (
    [(name, "solution", notebook, var) for notebook, name, var in CALLS]
    + [(name, "stub", notebook, var) for notebook, name, var in CALLS]
    + [(name, wrong, None, None) for name, wrong, _hint in MISTAKES]
    + [(name, answer, None, None) for name, answer, _evidence in PREDICTION_MISTAKES]
    + [(name, garbage, None, None) for name in FUNCTION_CHECKS for garbage in GARBAGE.values()]
)


@pytest.mark.parametrize(("name", "answer", "notebook", "var"), ZH_CASES, ids=[c[0] for c in ZH_CASES])
def test_in_chinese_every_message_is_chinese(name, answer, notebook, var):
    if notebook is not None:
        answer = _answer(notebook, var, student=answer == "stub")
    elif isinstance(answer, Doc):
        answer = answer.function()
    text = _answer_in_chinese(name, answer)
    assert _CJK.search(text), f"{name}: no Chinese in {text!r}"
    english = _ENGLISH_PROSE.findall(_CODE.sub(" ", text))
    assert not english, f"{name}: English left in the Chinese message {english}:\n{text}"

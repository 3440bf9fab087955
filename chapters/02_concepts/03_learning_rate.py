# %% [markdown]
# # 2.3 What the learning rate does
#
# Every optimizer in this course multiplies its step by a learning rate $\eta$. Too small and training
# crawls; too large and it does not get noisy or "overfit" — it **diverges**. On a quadratic loss all of this
# can be worked out exactly, and the exact answer is the best guide there is for real networks:
#
# - gradient descent converges **if and only if** $\eta < 2/L$, where $L$ is the largest curvature;
# - the fastest constant rate is $\eta^\star = 2/(L+\mu)$, which shrinks the error by $(\kappa-1)/(\kappa+1)$
#   per step, where $\mu$ is the smallest curvature and $\kappa = L/\mu$ the condition number.
#
# This chapter derives both facts, checks them to the digit, draws what the iterates do, corrects what the
# source articles say about large learning rates, and ends with a preview of the practical tool for finding
# $\eta$ on a real network, the learning-rate range test.

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import data, nets, optim, plots, problems, train
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
split = data.digits(as_tensors=True)  # for the network experiments at the end

# %% [markdown]
# ## Gradient descent on a quadratic
#
# Take $f(\theta) = \tfrac12\,\theta^\top A\,\theta$ with $A$ symmetric, eigenvalues $\mu = \lambda_{\min}$ and
# $L = \lambda_{\max}$ (for a quadratic, $L$ is exactly the smoothness constant: the largest curvature).
# The gradient is $g = A\theta$, so one step of gradient descent is
#
# $$\theta_{t+1} = \theta_t - \eta A\theta_t = (I - \eta A)\,\theta_t .$$
#
# Along each eigenvector of $A$, with eigenvalue $\lambda$, this multiplies the coordinate by $(1 - \eta\lambda)$.
# After $t$ steps the coordinate is $(1-\eta\lambda)^t$ times its start, so
#
# $$\text{GD converges} \iff |1-\eta\lambda| < 1 \text{ for every eigenvalue} \iff 0 < \eta < \frac{2}{L}.$$
#
# The error then shrinks at least by the **contraction factor** $\rho(\eta) = \max(|1-\eta\mu|, |1-\eta L|)$ per
# step. `gradcourse.problems.Quadratic(kappa, L)` is this problem in two dimensions (curvatures $\mu = L/\kappa$
# and $L$); it knows `max_stable_lr` $= 2/L$, `optimal_lr` and `contraction(lr)`, and `problems.run` moves a
# point with the course's gradient-descent rule (`gradcourse.optim.functional.step("sgd", …)`).
#
# ## One dimension: four regimes
#
# With a single curvature $L$ the factor is $1-\eta L$, and its sign and size give four behaviours:
# $\eta < 1/L$ creeps towards the minimum from one side; $\eta = 1/L$ lands on it in **one** step;
# $1/L < \eta < 2/L$ overshoots and oscillates, but converges; $\eta > 2/L$ overshoots further each time.

# %%
flat = problems.Quadratic(kappa=1.0, L=1.0)  # the same curvature L = 1 in both directions
one_d = {f"η = {c}/L": c / flat.L for c in (0.5, 1.0, 1.5, 2.1)}
paths_1d = {label: problems.run(flat, "sgd", x0=np.array([1.0, 0.0]), steps=12, lr=eta)[:, 0]
            for label, eta in one_d.items()}

fig, ax = plt.subplots(figsize=(6.5, 4))
for label, path in paths_1d.items():
    ax.plot(path, marker="o", label=label)
ax.axhline(0, color="0.5", linewidth=0.8)
ax.set_ylim(-4, 4)
ax.set_title("Gradient descent on f(θ) = ½Lθ²: the four regimes")
ax.set_xlabel("step t")
ax.set_ylabel("θ_t (minimum at 0)")
ax.legend()
plt.show()

assert np.all(np.diff(paths_1d["η = 0.5/L"]) < 0) and paths_1d["η = 0.5/L"][-1] > 0, "η < 1/L: monotone, one side"
assert paths_1d["η = 1.0/L"][1] == 0.0, "η = 1/L: the minimum in one step"
signs = np.sign(paths_1d["η = 1.5/L"][:8])
assert np.all(signs[1:] == -signs[:-1]) and abs(paths_1d["η = 1.5/L"][-1]) < 1e-3, "1/L < η < 2/L: oscillates, converges"
assert abs(paths_1d["η = 2.1/L"][-1]) > 3, "η > 2/L: each overshoot is larger than the last"

# %% [markdown]
# ## Two dimensions: the stability limit $\eta < 2/L$
#
# With two curvatures the steep direction decides stability and the flat direction decides speed. We sweep
# $\eta$ across the limit on a quadratic with $\kappa = 10$ and record the distance to the minimum after 300
# steps.

# %%
quad = problems.Quadratic(kappa=10.0, L=1.0)
x0 = np.array([3.0, 2.0])
fractions = np.linspace(0.05, 1.2, 47)  # η as a fraction of the limit 2/L
final = np.array([np.linalg.norm(problems.run(quad, "sgd", x0=x0, steps=300, lr=c * quad.max_stable_lr)[-1])
                  for c in fractions])

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.semilogy(fractions, final, marker=".")
ax.axvline(1.0, color="C3", linestyle="--", label="η = 2/L")
ax.axhline(np.linalg.norm(x0), color="0.5", linestyle=":", label="starting distance")
ax.set_title(f"GD on a quadratic (κ = {quad.kappa:g}): distance after 300 steps")
ax.set_xlabel("learning rate η as a fraction of 2/L")
ax.set_ylabel("‖θ₃₀₀ − θ*‖ (log scale)")
ax.legend()
plt.show()

stable, unstable = fractions < 0.98, fractions > 1.02
print(f"2/L = {quad.max_stable_lr}; largest final distance below the limit: {final[stable].max():.1e}; "
      f"smallest above it: {final[unstable].min():.1e} (start: {np.linalg.norm(x0):.1f})")
assert np.all(final[stable] < np.linalg.norm(x0)), "every η < 2/L converges"
assert np.all(final[unstable] > 10 * np.linalg.norm(x0)), "every η > 2/L diverges"

# %% [markdown]
# ## The fastest rate: $\eta^\star = 2/(L+\mu)$
#
# Increasing $\eta$ speeds up the flat direction ($|1-\eta\mu|$ falls) but slows down, and eventually
# destabilizes, the steep one ($|1-\eta L|$ rises once $\eta > 1/L$). The contraction
# $\rho(\eta) = \max(|1-\eta\mu|, |1-\eta L|)$ is smallest where the two are equal,
# $1 - \eta\mu = \eta L - 1$, that is at
#
# $$\eta^\star = \frac{2}{L+\mu}, \qquad \rho(\eta^\star) = \frac{L-\mu}{L+\mu} = \frac{\kappa-1}{\kappa+1}.$$
#
# So the error needs about $\tfrac{\kappa}{2}\ln(1/\text{tolerance})$ steps: ill-conditioning, not the size of
# the gradient, is what makes plain gradient descent slow. The cell measures the per-step contraction of
# every run in the sweep (from the last 100 of 300 steps, when only the slowest direction is left) and
# compares it with $\rho(\eta)$.

# %%
def measured_rate(problem, lr, steps=300, tail=100):
    """Per-step contraction of ‖θ_t‖ over the last `tail` steps of a GD run."""
    d = np.linalg.norm(problems.run(problem, "sgd", x0=x0, steps=steps, lr=lr), axis=1)
    return (d[-1] / d[-1 - tail]) ** (1 / tail)


lrs = fractions[fractions < 0.97] * quad.max_stable_lr
measured = np.array([measured_rate(quad, lr) for lr in lrs])
theory = np.array([quad.contraction(lr) for lr in lrs])

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.plot(lrs, theory, label="theory ρ(η) = max(|1−ημ|, |1−ηL|)")
ax.plot(lrs, measured, "o", markersize=4, label="measured per-step contraction")
ax.axvline(quad.optimal_lr, color="C3", linestyle="--", label="η* = 2/(L+μ)")
ax.set_title(f"Convergence rate of GD, κ = {quad.kappa:g}")
ax.set_xlabel("learning rate η")
ax.set_ylabel("error factor per step (lower is faster)")
ax.legend()
plt.show()

print(f"largest relative difference measured vs theory: {np.max(np.abs(measured / theory - 1)):.1e}")
assert np.allclose(measured, theory, rtol=0.02), "the measured rate is max(|1−ημ|, |1−ηL|)"
assert quad.contraction(1.5 * quad.optimal_lr) > quad.contraction(quad.optimal_lr), "beyond η*, larger is slower"

print(" κ    | η*      | (κ−1)/(κ+1) | measured | steps to 1e-6: predicted | measured")
for kappa in (2.0, 10.0, 100.0):
    q = problems.Quadratic(kappa=kappa, L=1.0)
    rho_star = (kappa - 1) / (kappa + 1)
    path = problems.run(q, "sgd", x0=x0, steps=2000, lr=q.optimal_lr)
    d = np.linalg.norm(path, axis=1) / np.linalg.norm(x0)
    rate = (d[40] / d[20]) ** (1 / 20)
    predicted_steps = int(np.ceil(np.log(1e-6) / np.log(rho_star)))
    measured_steps = int(np.argmax(d < 1e-6))
    print(f" {kappa:<4g} | {q.optimal_lr:.4f}  | {rho_star:.5f}     | {rate:.5f}  | {predicted_steps:>24} | {measured_steps:>8}")
    assert abs(rate / rho_star - 1) < 0.01, "at η* the error shrinks by exactly (κ−1)/(κ+1) per step"
    assert abs(measured_steps - predicted_steps) <= 1, "steps to a tolerance follow from the rate"

# %% [markdown]
# ## What the iterates look like in 2-D
#
# The same three situations on the elongated bowl $f = 0.1x_1^2 + 2x_2^2$ (`problems.ELLIPSE`, the example of
# the d2l book; $\mu = 0.2$, $L = 4$, so $2/L = 0.5$): a small rate crawls along the flat valley, $\eta^\star$
# zig-zags across the steep direction while making the fastest progress along the flat one, and a rate just
# above $2/L$ is thrown out of the valley.

# %%
ellipse = problems.ELLIPSE
start = np.array([-5.0, -2.0])
rates_2d = {"η = 0.1 (small)": 0.1, f"η* = 2/(L+μ) = {ellipse.optimal_lr:.3f}": ellipse.optimal_lr,
            "η = 0.55 > 2/L": 0.55}
paths_2d = {label: problems.run(ellipse, "sgd", x0=start, steps=30, lr=lr) for label, lr in rates_2d.items()}
shown = dict(paths_2d)
shown["η = 0.55 > 2/L"] = paths_2d["η = 0.55 > 2/L"][:9]  # draw only its first 8 steps: it soon leaves the window
plots.contour_with_trajectories(ellipse, shown, title="f = 0.1·x₁² + 2·x₂²: gradient descent, 30 steps")
plt.show()

distances = {label: np.linalg.norm(p[-1]) for label, p in paths_2d.items()}
print({label: f"{d:.2e}" for label, d in distances.items()})
small, best, too_big = distances.values()
assert best < small < np.linalg.norm(start) < too_big, "η* is fastest; η > 2/L leaves the valley"
assert problems.diverged(paths_2d["η = 0.55 > 2/L"], factor=2.0), "η above 2/L diverges"

# %% [markdown]
# ## Too large does not mean "overfitting"
#
# > **The documents say** (A4 §3.3): 「学习率越大，算法更快地收敛，但也可能导致过拟合。」 and (A4 §6)
# > 「如果学习率太大，算法可能会过快地更新参数，导致模型过拟合。」
# > — "The larger the learning rate, the faster the algorithm converges, but it may also cause overfitting."
# > and "If the learning rate is too large, the algorithm may update the parameters too fast, which leads to
# > overfitting."
# >
# > **What is true:** both halves are wrong. *Larger is faster* only up to $\eta^\star = 2/(L+\mu)$; beyond
# > it convergence slows down, and beyond $2/L$ it stops (the rate curve above). And a too-large learning
# > rate makes the *training* loss blow up — the optimizer fails on the very data it is fitting — while
# > overfitting means the opposite: a *low* training loss with a higher validation loss. The cell trains the
# > same small network on the digits with a good rate and with a rate thirty times larger.

# %%
def run_sgd(lr, epochs=5):
    model = nets.mlp(64, 10, depth=2, width=64, activation="relu", seed=0)
    return train.train(model, split, optim.SGD(model.parameters(), lr=lr), epochs=epochs, progress=False,
                       record_grad_norms=False)


good, too_large = run_sgd(0.1), run_sgd(3.0)
for name, h in (("η = 0.1", good), ("η = 3.0", too_large)):
    print(f"{name}: training loss per epoch {np.round(h.train_loss, 3).tolist()}, "
          f"training accuracy {h.train_acc[-1]:.2f}, validation accuracy {h.val_acc[-1]:.2f}")
assert good.train_acc[-1] > 0.85 and good.val_acc[-1] > 0.85, "η = 0.1 trains well"
assert too_large.train_loss[0] > 100 * good.train_loss[0], "η = 3: the training loss blows up"
assert too_large.train_acc[-1] < 0.2 and abs(too_large.train_acc[-1] - too_large.val_acc[-1]) < 0.1, \
    "η = 3 fails on the training set itself: chance accuracy, no train/validation gap — not overfitting"

# %% [markdown]
# > **The documents say** (A1 §6, Q4): 「如果模型收敛速度较快，可以尝试使用较小的学习率；如果模型收敛速度较慢，可以尝试使用较大的学习率。」
# > — "If the model converges quickly, try a smaller learning rate; if it converges slowly, try a larger one."
# >
# > **What is true:** fast, steady convergence is what we want; it is no reason to lower $\eta$ — below
# > $\eta^\star$ every reduction makes gradient descent strictly slower. The signal to *lower* $\eta$ is a loss
# > that oscillates or rises (the $1/L<\eta<2/L$ and $\eta>2/L$ regimes above); the signal to raise it is a
# > loss that falls steadily but slowly. The cell counts the steps to reach $10^{-6}$ on the $\kappa = 10$
# > quadratic for $\eta^\star$, $\eta^\star/2$ and $\eta^\star/4$, and shows the oscillation that should make
# > you lower the rate.

# %%
def steps_to(problem, lr, tol=1e-6, max_steps=5000):
    d = np.linalg.norm(problems.run(problem, "sgd", x0=x0, steps=max_steps, lr=lr), axis=1)
    return int(np.argmax(d < tol * d[0]))


steps_needed = {c: steps_to(quad, quad.optimal_lr * c) for c in (1.0, 0.5, 0.25)}
print("steps to 1e-6 for η = η*·c:", steps_needed)
assert steps_needed[1.0] < steps_needed[0.5] < steps_needed[0.25], "below η*, a smaller rate is slower"

near_limit = problems.run(quad, "sgd", x0=x0, steps=10, lr=0.95 * quad.max_stable_lr)[:, 1]  # steep coordinate
at_optimum = problems.run(quad, "sgd", x0=x0, steps=10, lr=quad.optimal_lr)[:, 1]
print("η = 0.95·(2/L), steep coordinate:", np.round(near_limit, 3).tolist())
print(f"after 10 steps the steep coordinate is {abs(near_limit[-1] / near_limit[0]):.2f} of its start at "
      f"η = 0.95·(2/L), {abs(at_optimum[-1] / at_optimum[0]):.2f} at the smaller η*")
assert np.all(np.sign(near_limit[1:]) == -np.sign(near_limit[:-1])), "near 2/L the steep direction flips sign each step"
assert abs(near_limit[-1]) > 2 * abs(at_optimum[-1]), "… and there a *smaller* η makes faster progress"

# %% [markdown]
# ## An aside on A2's quadratic
#
# A2's section on "mathematical principles" opens with the roots of $ax^2 + bx + c$ and a "proof" that does
# not prove anything (its inequalities do not follow from each other). It ends with a claim that is simply
# false.
#
# > **The documents say** (A2 §2): 「当f(x)在x=x1、x2处连续可微分时，其两个特解构成了一个抛物线，则其极小值就是两点之间的斜率。换句话说，f'(x1)和f'(x2)相同。」
# > — "The two roots form a parabola, whose minimum is the slope between the two points. In other words,
# > f′(x₁) and f′(x₂) are equal."
# >
# > **What is true:** for $f(x) = a(x-x_1)(x-x_2)$ the slopes at the roots are *opposite*,
# > $f'(x_1) = a(x_1-x_2) = -f'(x_2)$, and the minimum (for $a > 0$) is a *value*, $f$ at the midpoint
# > $(x_1+x_2)/2$, not a slope. What *is* useful from that section is Newton's method: for a quadratic loss,
# > one Newton step $x - f'(x)/f''(x)$ lands exactly on the minimum — and it is gradient descent with
# > $\eta = 1/L$, the one-step rate we met above.

# %%
a, b, c = 1.0, -3.0, 2.0  # f(x) = x² − 3x + 2 = (x − 1)(x − 2)
parabola = problems.Quadratic(kappa=1.0, L=2 * a)  # same curvature f'' = 2a; only the position differs
x1, x2 = sorted(np.roots([a, b, c]).real)


def slope(x):
    return 2 * a * x + b


midpoint = (x1 + x2) / 2
print(f"roots {x1:g}, {x2:g}; f'(x1) = {slope(x1):g}, f'(x2) = {slope(x2):g}; minimum f({midpoint:g}) = "
      f"{a * midpoint**2 + b * midpoint + c:g}")
assert np.isclose(slope(x1), -slope(x2)) and abs(slope(x1)) > 0.5, "the slopes at the two roots are opposite, not equal"

newton = 5.0 - slope(5.0) / (2 * a)  # one Newton step from x = 5
gd_one_over_L = problems.run(parabola, "sgd", x0=np.array([5.0 - midpoint, 0.0]), steps=1, lr=1 / parabola.L)[1, 0]
print(f"one Newton step from 5: {newton:g}; one GD step with η = 1/L (in coordinates centred on the minimum): "
      f"{gd_one_over_L + midpoint:g}")
assert np.isclose(newton, midpoint) and np.isclose(gd_one_over_L + midpoint, midpoint), "Newton = GD with η = 1/L on a quadratic"

# %% [markdown]
# ## From quadratics to networks: the learning-rate range test
#
# A network's loss is not a quadratic, and nobody knows its $L$. But locally it is close to one, and the
# lesson carries over: there is an edge of stability, and the best rates sit somewhat below it. The
# **learning-rate range test** ([Smith, 2017](../06_faq/03_references.ipynb#smith2017cyclical)) finds that edge
# empirically: train for a hundred mini-batches while raising $\eta$ exponentially from tiny to huge, and watch
# the (smoothed) loss. It falls once $\eta$ is large enough to make progress, and shoots up once $\eta$ crosses
# the edge. `gradcourse.train.lr_range_test` runs it and suggests a tenth of the rate at the loss minimum.

# %%
model = nets.mlp(64, 10, depth=2, width=64, activation="relu", seed=0)
found = train.lr_range_test(model, split, optim.SGD(model.parameters(), lr=1e-3), start_lr=1e-4, end_lr=10.0,
                            num_steps=100)

fig, ax = plt.subplots(figsize=(6.5, 4))
ax.semilogx(found.lrs, found.raw_losses, color="0.75", label="mini-batch loss")
ax.semilogx(found.lrs, found.losses, color="C0", label="smoothed loss")
ax.axvline(found.suggested_lr, color="C2", linestyle="--", label=f"suggested η = {found.suggested_lr:.2g}")
ax.axvline(3.0, color="C3", linestyle=":", label="η = 3 (failed in training above)")
ax.set_title("Learning-rate range test, 2-layer ReLU MLP on the digits (SGD)")
ax.set_xlabel("learning rate η (log scale)")
ax.set_ylabel("training loss")
ax.legend(fontsize="small")
plt.show()

lr_at_min = found.lrs[np.argmin(found.losses)]
print(f"loss minimum at η ≈ {lr_at_min:.2g}; test stopped (diverged = {found.diverged}) at η ≈ {found.lrs[-1]:.2g}; "
      f"suggested η = {found.suggested_lr:.2g}")
assert found.diverged and found.losses.min() < found.losses[0], "the loss first falls, then blows up"
assert found.suggested_lr < lr_at_min < found.lrs[-1] <= 10.0, "suggestion < loss minimum < divergence"
assert 0.01 < found.suggested_lr < 1.0 and found.lrs[-1] < 3 * 3.0, "the good η = 0.1 is in range; η = 3 is past the edge"

# %% [markdown]
# The test recommends a rate close to the $\eta = 0.1$ that trained well above, and its loss explodes near
# the $\eta = 3$ that failed. How to use the test in practice, and with which schedule, is in
# [4.2 case study: digits](../04_code/03_case_study_digits.ipynb) and
# [3.5 schedules](../03_algorithms/07_schedules.ipynb); the "dynamic learning-rate adjustment" that A1 and A3
# mention is exactly those schedules.
#
# ## What we learned
#
# - On a quadratic, gradient descent multiplies the error along each eigenvector by $1-\eta\lambda$: it
#   converges if and only if $\eta < 2/L$, measured here to the edge of the sweep.
# - The fastest constant rate is $\eta^\star = 2/(L+\mu)$, with error factor $(\kappa-1)/(\kappa+1)$ per step —
#   matched by experiment to better than 1 %. Ill-conditioning makes plain gradient descent slow.
# - Larger is faster only up to $\eta^\star$; a too-large rate *diverges* and fails on the training set. It is
#   not overfitting (A4), and fast convergence is no reason to lower the rate (A1): oscillation or a rising
#   loss is.
# - On a network, the learning-rate range test locates the edge of stability empirically.
#
# **Exercises:** `exercises/student/02_concepts.ipynb`, exercises 2.2 *the largest stable learning rate* and
# 2.3 *which learning rates diverge?*

# %% [markdown]
# # 3.2 Why SGD converges, and where it stops
#
# In [3.1](01_gd_sgd_minibatch.ipynb) we measured that a mini-batch gradient is the true gradient plus noise of
# variance $\sigma_g^2/B$, and that SGD at a constant learning rate hovers above the minimum, at a *noise floor*.
# This section asks **why**, with formulas we check against runs: how high is the floor, how must $\eta_t$ shrink
# for SGD to reach the optimum, how fast, and why does an *average* of the iterates beat the last one?

# %% tags=["hide-input"]
import math

import matplotlib.pyplot as plt
import numpy as np

from gradcourse import optim, plots
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## The noise floor of a quadratic, derived
#
# Take the simplest strongly convex loss, one coordinate: $\ell(\theta) = \frac{\lambda}{2}\theta^2$, minimum
# $\theta^* = 0$, curvature $\lambda > 0$. SGD sees $g_t = \lambda\theta_t + \xi_t$, with zero-mean noise $\xi_t$ of
# variance $\sigma_g^2/B$, independent from step to step. The error $e_t = \theta_t - \theta^*$ obeys
#
# $$e_{t+1} = (1 - \eta\lambda)\,e_t - \eta\,\xi_t .$$
#
# Square and take expectations; the cross term vanishes because $\xi_t$ is independent of $e_t$:
# $\mathbb{E}\,e_{t+1}^2 = (1-\eta\lambda)^2\,\mathbb{E}\,e_t^2 + \eta^2\sigma_g^2/B$. For $0 < \eta < 2/\lambda$ the
# factor $(1-\eta\lambda)^2$ is below 1: the initial error is forgotten geometrically, and the variance settles
# where $V = (1-\eta\lambda)^2V + \eta^2\sigma_g^2/B$, i.e.
#
# $$\mathbb{E}\,(\theta_t - \theta^*)^2 \;\to\; \frac{\eta\,\sigma_g^2}{B\,\lambda\,(2-\eta\lambda)}, \qquad
# \mathbb{E}\,\ell(\theta_t) - \ell^* \;\to\; \frac{\lambda}{2}\cdot\text{that} = \frac{\eta\,\sigma_g^2}{2B\,(2-\eta\lambda)}
# \approx \frac{\eta\,\sigma_g^2}{4B}.$$
#
# On a diagonal quadratic $\ell(\theta) = \frac12\sum_i \lambda_i\theta_i^2$ in $d$ dimensions, with independent
# noise of variance $\sigma_i^2/B$ on coordinate $i$ ($\sum_i\sigma_i^2 = \sigma_g^2$, the total noise of 3.1), each
# coordinate is its own 1-D problem, and the excess loss is the sum $\sum_i \eta\sigma_i^2/(2B(2-\eta\lambda_i))$.
# The floor is **proportional to $1/B$ and, for small $\eta\lambda$, to $\eta$**; for small $\eta\lambda$ it does not
# even depend on the curvature. (Near its minimum any smooth strongly convex loss looks like this, $\lambda_i$ the
# eigenvalues of $H$.)
#
# The library has no noisy problem, so we write one: $d = 10$ curvatures from $\mu = 0.5$ to $L = 2$, total noise
# $\sigma_g^2 = 4$ spread evenly, 200 runs at once (one row per seed). Every update is the library's `sgd` rule; the
# loop also keeps the running averages of the iterates for the section on averaging below (with the library's
# `ema_` helper).

# %%
d, seeds = 10, 200
lam = np.linspace(0.5, 2.0, d)                   # curvatures λ_i: μ = 0.5, L = 2
sigma2 = np.full(d, 4.0 / d)                     # noise variance per coordinate for B = 1; σ_g² = 4


def quadratic_grad(B: int):
    """Noisy gradient of ℓ(θ) = ½ Σ λ_i θ_i²: λ⊙θ plus Gaussian noise of variance σ_i²/B per coordinate."""
    return lambda theta, rng: lam * theta + np.sqrt(sigma2 / B) * rng.standard_normal(theta.shape)


def run_sgd(grad, theta0: np.ndarray, lr, steps: int, *, seed: int, avg_from: int = 0, ema_decay: float = 0.995):
    """SGD θ_t = θ_{t−1} − η_t g_t, t = 1..steps, η_t = lr(t), on many runs (one row per seed). Per step, the mean
    over runs of θ_i² (θ* = 0) for the last iterate, the running mean of θ_t over t > avg_from and an EMA of θ_t."""
    rng, theta, state = np.random.default_rng(seed), np.array(theta0, dtype=float), {}
    rec = {k: np.full((steps + 1, theta.shape[1]), np.nan) for k in ("last", "average", "ema")}
    for t in range(1, steps + 1):
        optim.functional.sgd_step(theta, grad(theta, rng), state, lr=lr(t))
        if t == avg_from + 1:
            average, ema = theta.copy(), theta.copy()
        elif t > avg_from:
            optim.functional.ema_(average, theta, 1 - 1 / (t - avg_from))   # running mean of the iterates
            optim.functional.ema_(ema, theta, ema_decay)
        rec["last"][t] = np.mean(theta**2, axis=0)
        if t > avg_from:
            rec["average"][t], rec["ema"][t] = np.mean(average**2, axis=0), np.mean(ema**2, axis=0)
    return rec


def floor_predicted(eta: float, B: int, exact: bool = True) -> float:
    """Stationary E ℓ(θ_t) − ℓ*: Σ ησ_i²/(2B(2 − ηλ_i)), or its small-η form ησ_g²/(4B) if not exact."""
    return float(np.sum(eta * sigma2 / (2 * B * (2 - eta * lam * exact))))


burn, steps = 300, 1000
combos = [(0.05, 4), (0.1, 4), (0.2, 4), (0.4, 4), (0.1, 1), (0.1, 16), (0.1, 64)]
runs = {(eta, B): run_sgd(quadratic_grad(B), np.ones((seeds, d)), lambda t, eta=eta: eta, steps, seed=1,
                          avg_from=burn) for eta, B in combos}
floor = {k: float(np.mean(0.5 * rec["last"][burn:] @ lam)) for k, rec in runs.items()}   # mean excess loss
print("  η     B    floor predicted   floor measured   ratio   (approx. ησ_g²/(4B))")
for (eta, B), measured in floor.items():
    p = floor_predicted(eta, B)
    print(f"{eta:5.2f} {B:4d}   {p:14.3e}   {measured:14.3e}   {measured / p:5.3f}   ({floor_predicted(eta, B, False):.3e})")

etas, Bs = [0.05, 0.1, 0.2, 0.4], [1, 4, 16, 64]
floor_eta, floor_B = [floor[(e, 4)] for e in etas], [floor[(0.1, B)] for B in Bs]
slope_eta = np.polyfit(np.log(etas), np.log(floor_eta), 1)[0]
slope_B = np.polyfit(np.log(Bs), np.log(floor_B), 1)[0]
fig, axes = plt.subplots(1, 2, figsize=(11, 4))
panels = [(etas, floor_eta, lambda e: (e, 4), "learning rate η", f"Floor against η at B = 4 (slope {slope_eta:.2f})"),
          (Bs, floor_B, lambda B: (0.1, B), "batch size B", f"Floor against B at η = 0.1 (slope {slope_B:.2f})")]
for ax, (x, measured, point, name, title) in zip(axes, panels, strict=True):
    x_fine = np.geomspace(x[0] * 0.8, x[-1] * 1.25)
    ax.loglog(x, measured, "o", label="measured (200 seeds)")
    ax.loglog(x_fine, [floor_predicted(*point(v)) for v in x_fine], "-", label="Σ ησ_i²/(2B(2−ηλ_i))")
    ax.loglog(x_fine, [floor_predicted(*point(v), exact=False) for v in x_fine], ":", label="ησ_g²/(4B)")
    ax.set(title=title, xlabel=f"{name} (log scale)", ylabel="E ℓ(θ_t) − ℓ*, stationary (log scale)")
    ax.legend(fontsize="small")
plt.show()
print(f"log-log slope of the floor: against η {slope_eta:.3f} (1, a little more for large ηλ), against B {slope_B:.3f}")

# %% tags=["hide-input"]
ratios = np.array([floor[k] / floor_predicted(*k) for k in floor])
claim(np.all(np.abs(ratios - 1) < 0.01), "the exact floor Σ ησ_i²/(2B(2−ηλ_i)) matches every run within 1 %: "
      f"measured/predicted {np.round(ratios, 3)}")
excess = floor[(0.4, 4)] / floor_predicted(0.4, 4, exact=False) - 1
claim(excess > 0.15, f"at η = 0.4 the approximation ησ_g²/(4B) is too low by {excess:.0%}: the factor 2 − ηλ "
      "matters once ηL is not small")
claim(1.0 <= slope_eta < 1.15 and abs(slope_B + 1) < 0.02, f"the floor grows like η (slope {slope_eta:.3f}) and "
      f"falls like 1/B (slope {slope_B:.3f})")

# %% [markdown]
# Halving a small $\eta$ nearly halves the floor, and doubling $B$ halves it: for the floor only $\eta/B$ counts
# (while $\eta\lambda$ is small), the basis of the "scale $\eta$ with $B$" rule of
# [5.1](../05_trends/01_large_batch.ipynb). But a smaller $\eta$ also forgets the initial error more slowly, so a
# constant $\eta$ is a trade, fast and noisy or slow and precise. Unless $\eta$ shrinks.
#
# ## Robbins–Monro: how fast may $\eta_t$ shrink?
#
# Unroll the recursion with a schedule $\eta_t$. The initial error is multiplied by $\prod_t(1-\eta_t\lambda)$,
# which goes to 0 only if $\sum_t \eta_t = \infty$: the steps must be able to travel any distance. The noise adds
# variance $\eta_t^2\sigma_g^2/B$ per step, which must not pile up: $\sum_t\eta_t^2 < \infty$. These are the
# conditions of Robbins and Monro {cite:p}`robbins1951stochastic`, $\;\sum_{t}\eta_t = \infty$ and
# $\sum_{t}\eta_t^2 < \infty$, and $\eta_t = c/t$ meets both. A constant rate fails the second and stalls at its floor; $\eta_t = c/\sqrt t$
# fails it barely, its floor shrinking with $\eta_t$. The constant $c$ matters: putting $V_t = A/t$ into the
# recursion ($V_{t+1} - V_t \approx -2\eta_t\lambda V_t + \eta_t^2\sigma_g^2/B$ for large $t$) gives
#
# $$\mathbb{E}\,e_t^2 \approx \frac{c^2\sigma_g^2}{B\,(2c\lambda - 1)}\cdot\frac1t \quad\text{if } c > \frac{1}{2\lambda},
# \qquad\text{but only } \propto t^{-2c\lambda} \text{ if } c < \frac{1}{2\lambda},$$
#
# a power that can be arbitrarily slow; in $d$ dimensions the flattest direction, $\lambda = \mu$, decides. We check
# on one coordinate, $\lambda = 1$, $\sigma_g^2 = 1$, $B = 1$, from $\theta_1 = 3$, with 500 seeds.

# %%
T = 3000
schedules = {"constant η = 0.1": lambda t: 0.1, "η_t = 1/t (c = 1)": lambda t: 1.0 / t,
             "η_t = 0.25/t (c = 0.25)": lambda t: 0.25 / t, "η_t = 0.5/√t": lambda t: 0.5 / math.sqrt(t)}
rm = {name: run_sgd(lambda th, rng: th + rng.standard_normal(th.shape), np.full((500, 1), 3.0), lr, T,  # λ = 1
                    seed=2)["last"][:, 0] for name, lr in schedules.items()}
t_axis, late = np.arange(T + 1), slice(300, T + 1)
rm_slope = {name: np.polyfit(np.log(t_axis[late]), np.log(err[late]), 1)[0] for name, err in rm.items()}
fig, ax = plt.subplots(figsize=(6.5, 4))
for name, err in rm.items():
    ax.loglog(t_axis[1:], err[1:], label=f"{name}: slope {rm_slope[name]:.2f}")
ax.loglog(t_axis[10:], 1.0 / t_axis[10:], "k:", label="prediction for c = 1: c²σ_g²/((2cλ−1)t)")
ax.set(title="Constant η stalls; η_t ∝ 1/t with large enough c converges", xlabel="step t (log scale)",
       ylabel="E (θ_t − θ*)²  (500 seeds, log scale)")
ax.legend(fontsize="small")
plt.show()
for name, err in rm.items():
    print(f"{name:24s} E e_T² = {err[-1]:.2e}   slope over t = 300..{T}: {rm_slope[name]:+.3f}")
print(f"c = 1: t·E e_t² at t = {T} is {T * rm['η_t = 1/t (c = 1)'][-1]:.3f}; predicted c²σ_g²/(2cλ−1) = 1")

# %% tags=["hide-input"]
stalled, predicted_stall = rm["constant η = 0.1"][late].mean(), 0.1 / (2 - 0.1)
claim(abs(rm_slope["constant η = 0.1"]) < 0.05 and abs(stalled / predicted_stall - 1) < 0.05, "constant η stalls: "
      f"slope {rm_slope['constant η = 0.1']:+.3f}, floor {stalled:.4f} (predicted η/(λ(2−ηλ)) = {predicted_stall:.4f})")
claim(abs(rm_slope["η_t = 1/t (c = 1)"] + 1) < 0.1 and abs(T * rm["η_t = 1/t (c = 1)"][-1] - 1) < 0.1,
      f"η_t = 1/t: E e_t² ≈ 1/t (slope {rm_slope['η_t = 1/t (c = 1)']:+.3f}, t·E e_t² = "
      f"{T * rm['η_t = 1/t (c = 1)'][-1]:.3f})")
claim(abs(rm_slope["η_t = 0.25/t (c = 0.25)"] + 0.5) < 0.05, "c = 0.25 < 1/(2λ): only t^(−2cλ) = t^(−0.5), slope "
      f"{rm_slope['η_t = 0.25/t (c = 0.25)']:+.3f}, and still the worst at t = {T}: "
      f"{rm['η_t = 0.25/t (c = 0.25)'][-1]:.2e}")
claim(abs(rm_slope["η_t = 0.5/√t"] + 0.5) < 0.1, f"η_t ∝ 1/√t: error ∝ η_t, slope {rm_slope['η_t = 0.5/√t']:+.3f}")

# %% [markdown]
# The four curves are the four cases of the formula. A constant rate stops at its floor. $\eta_t = 1/t$ meets
# $c > 1/(2\lambda)$ and falls like $1/t$ with the predicted constant. With $c = 0.25$ the same $1/t$ shape is
# *slower* than $1/\sqrt t$, and at $t = 3000$ still behind the constant rate: the schedule's shape is not enough,
# its constant must match $\mu$, which one rarely knows. Practical schedules are tuned by experiment
# ([3.7](07_schedules.ipynb)).
#
# ## Without strong convexity: the $O(1/\sqrt T)$ bound
#
# Neural network losses are not strongly convex, so what is left? For a **convex** loss whose stochastic
# (sub)gradients are bounded, $\lVert g_t\rVert \le G$, starting at distance $R = \lVert\theta_1 - \theta^*\rVert$,
# the classic argument (expand $\lVert\theta_{t+1}-\theta^*\rVert^2$, use convexity, sum over $t$) gives for the
# $\eta$-weighted average $\bar\theta_T = \sum_t\eta_t\theta_t / \sum_t\eta_t$ {cite:p}`nemirovski2009robust`:
#
# $$\mathbb{E}\,\ell(\bar\theta_T) - \ell^* \;\le\; \frac{R^2 + G^2\sum_{t=1}^T\eta_t^2}{2\sum_{t=1}^T\eta_t}.$$
#
# With $\eta_t = c/\sqrt t$ the denominator grows like $\sqrt T$ and the numerator like $\ln T$: the gap falls like
# $\ln T/\sqrt T$ (a constant $\eta = R/(G\sqrt T)$, fixed in advance for $T$ steps, gives exactly $RG/\sqrt T$).
# No strong convexity, no smoothness, no dimension appears. Our test: a convex, non-smooth loss, the median of
# noisy data, $\ell(\theta) = \mathbb{E}\,|\theta - z|$ with $z \sim \mathcal N(0, 1)$; its stochastic subgradient is
# $\operatorname{sign}(\theta - z)$ (so $G = 1$), $\theta^* = 0$, and exactly
# $\ell(\theta) - \ell^* = \theta\operatorname{erf}(\theta/\sqrt2) + 2\varphi(\theta) - 2\varphi(0)$ ($\varphi$ the normal density).

# %%
def median_gap(theta: np.ndarray) -> np.ndarray:
    """ℓ(θ) − ℓ* for ℓ(θ) = E|θ − z|, z ~ N(0, 1)."""
    phi = np.exp(-theta**2 / 2) / math.sqrt(2 * math.pi)
    return theta * np.vectorize(math.erf)(theta / math.sqrt(2)) + 2 * phi - 2 / math.sqrt(2 * math.pi)


R, c, runs_median = 2.0, 1.0, 1000
rng, theta, state = np.random.default_rng(3), np.full(runs_median, R), {}
average, sum_eta, sum_eta2 = theta.copy(), 0.0, 0.0
checkpoints, rows = [10, 30, 100, 300, 1000, 3000], []
for t in range(1, T + 1):
    eta = c / math.sqrt(t)
    sum_eta, sum_eta2 = sum_eta + eta, sum_eta2 + eta**2
    optim.functional.ema_(average, theta, 1 - eta / sum_eta)              # η-weighted average of θ_1..θ_t
    optim.functional.sgd_step(theta, np.sign(theta - rng.standard_normal(runs_median)), state, lr=eta)
    if t in checkpoints:
        rows.append((median_gap(average).mean(), (R**2 + sum_eta2) / (2 * sum_eta), np.abs(average).mean(),
                     median_gap(theta).mean()))
gap_avg, bound, dist_avg, gap_last = curves = np.array(rows).T
fit = dict(zip(["gap_avg", "bound", "dist_avg", "gap_last"], [np.polyfit(np.log(checkpoints[2:]), np.log(v[2:]), 1)[0]
                                                              for v in curves], strict=True))
fig, ax = plt.subplots(figsize=(6.5, 4))
for v, key, style, label in [(bound, "bound", "k--", "bound (R² + G²Ση²)/(2Ση)"),
                             (gap_avg, "gap_avg", "o-", "ℓ(θ̄_T) − ℓ*, averaged iterate"),
                             (gap_last, "gap_last", "s-", "ℓ(θ_T) − ℓ*, last iterate"),
                             (dist_avg, "dist_avg", "^-", "|θ̄_T − θ*|, averaged iterate")]:
    ax.loglog(checkpoints, v, style, label=f"{label}: slope {fit[key]:.2f}")
ax.set(title="SGD on E|θ − z| with η_t = 1/√t (1000 seeds)", xlabel="steps T (log scale)", ylabel="error (log scale)")
ax.legend(fontsize="small")
plt.show()
print("     T   bound     gap(avg)   gap(last)  |θ̄_T − θ*|     (log-log slopes are fitted over T ≥ 100)")
for row in zip(checkpoints, bound, gap_avg, gap_last, dist_avg, strict=True):
    print("{:6d}  {:.2e}  {:.2e}  {:.2e}  {:.2e}".format(*row))

# %% tags=["hide-input"]
claim(np.all(gap_avg <= bound), f"the averaged iterate's gap is below the bound at every T (largest ratio "
      f"{np.max(gap_avg / bound):.2f})")
claim(abs(fit["dist_avg"] + 0.5) < 0.1 and abs(fit["gap_last"] + 0.5) < 0.1, "the √T rate: |θ̄_T − θ*| slope "
      f"{fit['dist_avg']:+.3f}, last iterate's gap slope {fit['gap_last']:+.3f} (both ≈ −1/2)")

# %% [markdown]
# The bound holds at every $T$, with room to spare: it is a worst case over all convex Lipschitz losses, and ours is
# curved near its minimum. The $\sqrt T$ appears twice: the last iterate's excess loss falls like $1/\sqrt T$
# (it jitters at a distance set by $\eta_t$), and the averaged iterate's *distance* to $\theta^*$ falls like
# $1/\sqrt T$ — the rate at which the median of $T$ samples can be estimated at all, so no method has a better
# rate. Since this loss is curved at $\theta^*$, the averaged iterate's excess loss, about the distance squared,
# falls faster, close to $1/T$.
#
# ## Averaging: Polyak–Ruppert and the EMA of weights
#
# Back to the quadratic at a **constant** $\eta$: the last iterate jitters around $\theta^*$, and averaging cancels it. Polyak and Juditsky {cite:p}`polyak1992acceleration`
# showed that the running mean $\bar\theta_n = \frac1n\sum\theta_t$ reaches the best possible accuracy: per
# coordinate, after the burn-in, $\mathbb{E}\,\bar e^2 \approx \sigma_i^2/(B\lambda_i^2 n)$ — the whole noise of $n$
# gradients divided by the curvature, *whatever* $\eta$. Deep learning's form is the exponential moving average
# (EMA) of the weights, $\tilde\theta \leftarrow \beta\tilde\theta + (1-\beta)\theta_t$, which averages over a
# window of about $2/(1-\beta)$ steps: $\mathbb{E}\,\tilde e^2 \approx \frac{1-\beta}{2}\,\sigma_i^2/(B\lambda_i^2)$
# when $1-\beta \ll \eta\mu$. It forgets the start, so it also works while the loss still moves. We measure
# $\mathbb{E}\lVert\theta-\theta^*\rVert^2$ after $n = 700$ averaged steps (from $t = 300$), $\beta = 0.995$.

# %%
n_avg, table = steps - burn, {}
print("  η     B   last iterate   EMA (pred.)            Polyak–Ruppert (pred.)")
for (eta, B), rec in runs.items():
    last, ema, avg = (float(rec[k][-1].sum()) for k in ("last", "ema", "average"))
    pred_avg, pred_ema = np.sum(sigma2 / (B * lam**2 * n_avg)), np.sum(0.005 / 2 * sigma2 / (B * lam**2))
    table[(eta, B)] = (last, ema, avg, pred_ema, pred_avg)
    print(f"{eta:5.2f} {B:4d}   {last:.2e}     {ema:.2e} ({pred_ema:.2e})   {avg:.2e} ({pred_avg:.2e})")

fig, ax = plt.subplots(figsize=(6.5, 4))
for k, label in [("last", "last iterate θ_t"), ("ema", "EMA of the weights, β = 0.995"),
                 ("average", "Polyak–Ruppert average from t = 300")]:
    ax.semilogy(np.arange(steps + 1), runs[(0.1, 4)][k].sum(axis=1), label=label)
ax.set(title="Averaging beats the last iterate at constant η = 0.1, B = 4", xlabel="step t",
       ylabel="E‖θ − θ*‖²  (200 seeds, log scale)")
ax.legend(fontsize="small")
plt.show()

# %% tags=["hide-input"]
claim(all(avg < ema < last / 4 for last, ema, avg, *_ in table.values()), "at every η and B: Polyak–Ruppert < EMA "
      "< a quarter of the last iterate's error")
pr_B4 = [table[(eta, 4)][2] for eta in etas]
claim(max(pr_B4) / min(pr_B4) < 1.1, f"at B = 4 the Polyak–Ruppert error hardly depends on η ∈ {etas}: {np.round(pr_B4, 5)}, "
      f"while the last iterate's grows {table[(0.4, 4)][0] / table[(0.05, 4)][0]:.0f}-fold")
claim(all(abs(avg / pa - 1) < 0.1 and abs(ema / pe - 1) < 0.2 for _, ema, avg, pe, pa in table.values()),
      "the averages match σ_i²/(Bλ_i²n) within 10 % and (1−β)/2·σ_i²/(Bλ_i²) within 20 %, independent of η")

# %% [markdown]
# Averaging turns the floor, which grows with $\eta$, into an error that does not depend on $\eta$ at all: the
# Polyak–Ruppert rows at $B = 4$ agree for $\eta$ from 0.05 to 0.4. The EMA sits in between — its window is
# shorter than the 700-step mean — but it needs no decision about when to start averaging, which is why many
# training recipes keep an EMA copy of the weights for evaluation (`torch.optim.swa_utils.AveragedModel` keeps
# either kind of average).
#
# ## What we learned
#
# - At a constant $\eta$, SGD on a strongly convex quadratic settles at $\mathbb{E}(\theta-\theta^*)^2 =
#   \eta\sigma_g^2/(B\lambda(2-\eta\lambda))$ per coordinate (measured within 1 %): linear in $\eta$ and $1/B$.
# - To reach $\theta^*$, $\eta_t$ must shrink, but not too fast: $\sum\eta_t = \infty$, $\sum\eta_t^2 < \infty$.
#   $\eta_t = c/t$ gives $1/t$ if $c > 1/(2\mu)$, an arbitrarily slow $t^{-2c\mu}$ otherwise. For convex Lipschitz
#   losses, $\eta_t \propto 1/\sqrt t$ and an averaged iterate give $O(\ln T/\sqrt T)$.
# - Averaging the iterates, or an EMA of the weights, removes most of the noise floor without touching $\eta$.
# - Next: [3.3 momentum and Nesterov](03_momentum_nesterov.ipynb) attack the other slowness, ill-conditioning;
#   [3.7](07_schedules.ipynb) turns "let $\eta$ shrink" into the schedules used in practice.

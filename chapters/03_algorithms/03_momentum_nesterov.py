# %% [markdown]
# # 3.3 Momentum and Nesterov's accelerated gradient
#
# Gradient descent has a second weakness besides noise: on an **ill-conditioned** loss — steep in one direction,
# flat in another — it zigzags across the steep direction and crawls along the flat one. How much faster can a
# method go if it remembers its previous steps? This section derives the heavy ball and Nesterov's method on a
# quadratic, shows what the memory does to a single step (it accelerates, it damps and it averages), measures the
# convergence rates against the theory, and maps the learning rates and momentum values for which they are stable.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import explorables, optim, plots, problems
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## The question: how slow is gradient descent on an ill-conditioned problem?
#
# Take the quadratic $\ell(\theta) = \tfrac12\theta^\top H\theta$ whose Hessian $H$ has eigenvalues between
# $\mu$ and $L$, condition number $\kappa = L/\mu$. Along an eigenvector with curvature $\lambda$, gradient
# descent multiplies the error by $1 - \eta\lambda$ each step. The best constant step, $\eta = 2/(L+\mu)$,
# balances the flattest and the steepest direction and gives the contraction factor
#
# $$\rho_{\text{GD}} = \frac{\kappa - 1}{\kappa + 1} \approx 1 - \frac{2}{\kappa}.$$
#
# For $\kappa = 100$ that is $0.980$: about $\tfrac{\kappa}{2}\ln 10^6$ — here 690 — steps to shrink the error a
# million-fold. Momentum methods replace $\kappa$ by $\sqrt{\kappa}$.
#
# ```{admonition} Common misconception
# :class: warning
# 「梯度下降法是一种最先进的优化算法」 (A1 §3.1: "gradient descent is a most advanced optimization algorithm"). **In fact**
# it is the simplest first-order method, and slow when $\kappa$ is large ([claim 5 in 6.2](../06_faq/02_claims_checked.ipynb#claim-5)).
# ```

# %% [markdown]
# ## The heavy ball and torch's momentum
#
# Polyak's **heavy ball** {cite:p}`polyak1964some` adds a fraction $\beta$ of the previous step to the gradient
# step:
#
# $$\theta_{t+1} = \theta_t - \eta\, g_t + \beta\,(\theta_t - \theta_{t-1}).$$
#
# PyTorch writes the same method with a buffer $b$ that sums past gradients (its `momentum` is our $\beta$):
#
# $$b_t = \beta\, b_{t-1} + g_t \quad (b_1 = g_1), \qquad \theta_{t+1} = \theta_t - \eta\, b_t .$$
#
# They are the same recursion: $\theta_{t+1} - \theta_t = -\eta b_t = -\eta(\beta b_{t-1} + g_t) = \beta(\theta_t -
# \theta_{t-1}) - \eta g_t$. **Nesterov's accelerated gradient** {cite:p}`nesterov1983method` (in this form
# {cite:t}`sutskever2013importance`) evaluates the gradient after the momentum step has been taken,
# $g_t = \nabla \ell(\theta_t + \beta(\theta_t - \theta_{t-1}))$; torch's `nesterov=True` rewrites it so that the
# gradient is taken at the current point: $\theta_{t+1} = \theta_t - \eta\,(g_t + \beta\, b_t)$. Both are the `sgd`
# rule of `gradcourse.optim.functional` (`momentum=…`, `nesterov=True`); `problems.run` knows them as `"momentum"`
# and `"nesterov"`. A3 writes the heavy ball as $\theta_{t+1} = \theta_t - \alpha\nabla J(\theta_t) + \beta\Delta\theta_t$,
# right when $\Delta\theta_t$ is the *previous* step $\theta_t - \theta_{t-1}$
# ([claim 54](../06_faq/02_claims_checked.ipynb#claim-54)). The cell checks, along a path of the library's
# momentum, that the heavy-ball form holds to rounding error.

# %%
quad = problems.Quadratic(kappa=10.0, L=1.0)
eta, beta = 0.3, 0.8
path = problems.run(quad, "momentum", np.array([3.0, 2.0]), steps=60, lr=eta, momentum=beta)
grads = np.array([quad.grad(theta) for theta in path[:-1]])
previous_step = np.vstack([np.zeros(2), np.diff(path, axis=0)[:-1]])  # θ_t − θ_(t−1), and 0 before the first step
residual = np.abs(path[1:] - (path[:-1] - eta * grads + beta * previous_step)).max()
claim(residual < 1e-12, f"torch's buffer form is the heavy ball: max |θ_(t+1) − (θ_t − ηg_t + β(θ_t − θ_(t−1)))| "
      f"over 60 steps = {residual:.1e}")

# %% [markdown]
# ## What the memory does to a step: accelerate, damp, average
#
# Unrolling the buffer, $b_t = \sum_{k=0}^{t-1} \beta^k g_{t-k}$: the step is a weighted sum of all past
# gradients, the one from $k$ steps ago weighted by $\beta^k$. Three consequences follow from geometric series.
#
# - **A consistent gradient is amplified.** If $g_t = g$ every step, $b_t = g\,(1-\beta^t)/(1-\beta) \to g/(1-\beta)$:
#   the **effective step is $\eta/(1-\beta)$**, ten times $\eta$ for $\beta = 0.9$. (This is why a momentum run
#   needs a smaller $\eta$ than plain SGD for the same speed.)
# - **An oscillating gradient is damped.** If $g_t = (-1)^t g$ — the steep direction of a valley, crossed back and
#   forth — the signs cancel: $b_t \to \pm g\sum_k(-\beta)^k = \pm g/(1+\beta)$, a step of $\eta/(1+\beta)$. Relative to
#   a consistent direction, the oscillation is suppressed by $(1-\beta)/(1+\beta)$, a factor 19 for $\beta = 0.9$.
# - **It averages over a window of about $1/(1-\beta)$ steps.** The weight $\beta^k = e^{k\ln\beta} \approx
#   e^{-k(1-\beta)}$ falls to $1/e$ after about $1/(1-\beta)$ steps, and the last $1/(1-\beta)$ gradients carry
#   $1-\beta^{1/(1-\beta)}$ of the total weight, which tends to $1 - 1/e = 63\,\%$ as $\beta \to 1$.
#
# The cell feeds the `sgd` rule a constant gradient, an alternating one and a single impulse, for three values of
# $\beta$, and measures each prediction.

# %%
def steps_taken(rule: str, gradients: np.ndarray, **hyper) -> np.ndarray:
    """Feed `gradients` (one row per step) to a rule of gradcourse.optim.functional; return the steps it takes."""
    theta, state, steps = np.zeros(gradients.shape[1:]), {}, []
    for g in gradients:
        before = theta.copy()
        optim.functional.step(rule, theta, g, state, **hyper)
        steps.append(theta - before)
    return np.array(steps)


T = 1500
print(f"{'β':>5s} {'step/η, constant g':>19s} {'1/(1−β)':>8s} {'step/η, alternating':>20s} {'1/(1+β)':>8s} "
      f"{'1/e time':>9s} {'weight of last 1/(1−β)':>23s}")
for b in [0.5, 0.9, 0.99]:
    constant = -steps_taken("sgd", np.ones((T, 1)), lr=1.0, momentum=b)[-1, 0]
    alternating = abs(steps_taken("sgd", (-1.0) ** np.arange(T)[:, None], lr=1.0, momentum=b)[-1, 0])
    impulse = -steps_taken("sgd", np.eye(T, 1), lr=1.0, momentum=b)[:, 0]  # one gradient at t = 1, then zeros
    e_time = int(np.argmax(impulse < impulse[0] / np.e))  # steps until its effect falls below 1/e
    window = int(round(1 / (1 - b)))
    recent_share = impulse[:window].sum() / impulse.sum()
    print(f"{b:5.2f} {constant:19.4f} {1 / (1 - b):8.2f} {alternating:20.4f} {1 / (1 + b):8.4f} {e_time:9d} "
          f"{recent_share:23.3f}")
    claim(np.isclose(constant, 1 / (1 - b)) and np.isclose(alternating, 1 / (1 + b), rtol=1e-6)
          and abs(e_time * (1 - b) - 1) < 0.1 and np.isclose(recent_share, 1 - b**window),
          f"β = {b}: effective step {constant:.2f}η, oscillation damped to {alternating:.3f}η, window {e_time} steps "
          f"≈ 1/(1−β) = {window}, carrying {recent_share:.0%} of the weight")

# %% [markdown]
# ### Damping, seen on a valley
#
# Now the same effects on the ellipse $\ell = 0.1\,\theta_1^2 + 2\,\theta_2^2$ ($\mu = 0.2$, $L = 4$,
# $\kappa = 20$): $\theta_1$ runs along the valley floor, $\theta_2$ across it. Gradient descent with $\eta = 0.45$
# ($\eta L = 1.8$) multiplies $\theta_2$ by $1 - \eta L = -0.8$ every step: it jumps from wall to wall. To see damping
# rather than acceleration, we give the heavy ball the **same effective step**, $\eta/(1-\beta) = 0.45$, so both
# move along the floor at about the same speed, and compare how they move across it.

# %%
ellipse = problems.ELLIPSE
start = np.array([-5.0, -2.5])
same_speed = {"sgd": problems.run(ellipse, "gd", start, steps=40, lr=0.45)}  # plain GD wears SGD's colour
for b in [0.5, 0.9]:
    same_speed[f"momentum β = {b}"] = problems.run(ellipse, "momentum", start, steps=40, lr=0.45 * (1 - b), momentum=b)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.8))
for label, p in same_speed.items():
    style = plots.style_for("sgd" if label == "sgd" else "momentum") | ({"linestyle": ":"} if "0.9" in label else {})
    name = "GD, η = 0.45" if label == "sgd" else f"{label}, η = {0.45 * (1 - float(label[-3:])):.3g}"
    ax1.plot(p[:, 1], marker=".", label=name, **style)
    ax2.semilogy(np.abs(p[:, 0]), label=name, **style)
ax1.set(title="Across the valley: θ₂ (steep direction)", xlabel="step t", ylabel="θ₂")
ax2.set(title="Along the valley: |θ₁| (flat direction)", xlabel="step t", ylabel="|θ₁| (log scale)")
ax1.legend(fontsize="small")
plt.show()

print(f"{'':20s} {'sign flips of θ₂':>17s} {'Σ|Δθ₂| (cross-valley travel)':>30s} {'|θ₂| at t = 10':>15s} {'|θ₁| at t = 40':>15s}")
cross = {}
for label, p in same_speed.items():
    cross[label] = np.abs(np.diff(p[:, 1])).sum()
    print(f"{label:20s} {int(np.sum(np.diff(np.sign(p[:, 1])) != 0)):17d} {cross[label]:30.2f} {abs(p[10, 1]):15.4f} "
          f"{abs(p[40, 0]):15.4f}")

# %% tags=["hide-input"]
gd_path, hb_path = same_speed["sgd"], same_speed["momentum β = 0.5"]
claim(cross["sgd"] > 3 * cross["momentum β = 0.5"], f"at the same effective step, momentum (β = 0.5) travels "
      f"{cross['momentum β = 0.5']:.1f} across the valley where GD zigzags {cross['sgd']:.1f}")
claim(abs(hb_path[10, 1]) < abs(gd_path[10, 1]) / 5 and abs(hb_path[40, 0]) < abs(gd_path[40, 0]),
      "the oscillation across the valley dies out faster, and the progress along it is not slower")
claim(cross["sgd"] > cross["momentum β = 0.9"] > cross["momentum β = 0.5"],
      "with β = 0.9 the ball swings by itself: still less cross-valley travel than GD, more than β = 0.5")

# %% [markdown]
# GD's $\theta_2$ flips sign on every step; the heavy ball's gradients across the valley cancel in its buffer,
# and its cross-valley motion dies out within a few steps while it moves along the floor at least as fast. This is
# what "momentum damps oscillations" means. The damping has a limit: with $\beta = 0.9$ the ball is so heavy that
# it overshoots and swings on its own, slowly — which value of $\beta$ is best is the next question.

# %% [markdown]
# ## Polyak's optimal parameters, and the measured rates
#
# On a quadratic the heavy ball is a linear recursion in $(\theta_t, \theta_{t-1})$. Along an eigenvector with
# curvature $\lambda$ its characteristic polynomial is $z^2 - (1 + \beta - \eta\lambda)\,z + \beta$. Choosing
#
# $$\eta^* = \frac{4}{(\sqrt{L} + \sqrt{\mu})^2}, \qquad \beta^* = \left(\frac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1}\right)^2$$
#
# makes both roots have modulus $\sqrt{\beta^*}$ for *every* $\lambda \in [\mu, L]$, so the error shrinks by
#
# $$\rho_{\text{HB}} = \sqrt{\beta^*} = \frac{\sqrt{\kappa}-1}{\sqrt{\kappa}+1} \approx 1 - \frac{2}{\sqrt{\kappa}}$$
#
# per step. Nesterov's method with $\eta = 1/L$ and $\beta = (\sqrt\kappa - 1)/(\sqrt\kappa + 1)$ gets
# $\rho = 1 - 1/\sqrt{\kappa}$ on a quadratic. We measure all three rates on $\kappa = 100$ as
# $(\lVert\theta_{300}\rVert / \lVert\theta_{100}\rVert)^{1/200}$, and count the steps to shrink the error $10^6$-fold.

# %%
kappa = 100.0
ill = problems.Quadratic(kappa=kappa, L=1.0)
L, mu, sk = ill.L, ill.mu, np.sqrt(kappa)
methods = {
    "gd": ({"lr": 2 / (L + mu)}, (kappa - 1) / (kappa + 1)),
    "momentum": ({"lr": 4 / (np.sqrt(L) + np.sqrt(mu)) ** 2, "momentum": ((sk - 1) / (sk + 1)) ** 2}, (sk - 1) / (sk + 1)),
    "nesterov": ({"lr": 1 / L, "momentum": (sk - 1) / (sk + 1)}, 1 - 1 / sk),
}
distances, measured_rate, theory_rate = {}, {}, {}
print(f"{'method':9s} {'η':>7s} {'β':>7s} {'theory ρ':>9s} {'measured':>9s} {'steps to 1e-6':>14s}")
for name, (hyper, theory) in methods.items():
    d = np.linalg.norm(problems.run(ill, name, np.array([1.0, 1.0]), steps=800, **hyper), axis=1)
    distances[name] = d
    measured_rate[name] = (d[300] / d[100]) ** (1 / 200)
    steps_needed = int(np.argmax(d < 1e-6 * d[0]))
    print(f"{name:9s} {hyper['lr']:7.4f} {hyper.get('momentum', 0):7.4f} {theory:9.4f} {measured_rate[name]:9.4f} "
          f"{steps_needed:14d}")
    theory_rate[name] = theory

fig, ax = plt.subplots(figsize=(7, 4.2))
for name, d in distances.items():
    style = plots.style_for("sgd" if name == "gd" else name)  # plain GD wears SGD's colour
    ax.semilogy(d[:400], label=f"{name}: measured ρ = {measured_rate[name]:.4f}", **style)
ax.set(title=f"Quadratic with κ = {kappa:g}: each at its best parameters", xlabel="step t",
       ylabel="distance to the minimum ‖θ_t − θ*‖ (log scale)")
ax.legend()
plt.show()

# %% tags=["hide-input"]
claim(all(abs(measured_rate[n] / theory_rate[n] - 1) < 0.02 for n in methods), "each measured rate is within 2 % "
      "of its theory: " + ", ".join(f"{n} {measured_rate[n]:.4f} vs {theory_rate[n]:.4f}" for n in methods))
claim(measured_rate["momentum"] < measured_rate["nesterov"] < measured_rate["gd"], "heavy ball < Nesterov < GD")

# %% [markdown]
# The measured rates agree with the theory to better than 1 % (the small excess comes from the repeated roots at
# the optimal parameters, which add a factor $t$ in front of $\rho^t$). The counts are the point: about 690 steps
# for gradient descent, 150 for Nesterov and 90 for the heavy ball — $\kappa$ against $\sqrt\kappa$. (On
# non-quadratic functions the heavy ball's guarantee is weaker than Nesterov's, which is why Nesterov's method is
# the one with a proof of acceleration for all smooth convex functions.)

# %% [markdown]
# ## Where momentum is stable
#
# The characteristic polynomial $z^2 - (1 + \beta - \eta\lambda)z + \beta$ has both roots inside the unit circle
# exactly when $|\beta| < 1$ and $|1 + \beta - \eta\lambda| < 1 + \beta$, that is
#
# $$0 < \eta\lambda < 2(1 + \beta).$$
#
# So momentum *raises* the largest stable learning rate from $2/L$ to $2(1+\beta)/L$. For Nesterov's form,
# $z^2 - (1+\beta)(1-\eta\lambda)z + \beta(1-\eta\lambda)$, the same test gives a *smaller* region,
# $0 < \eta\lambda < 2(1+\beta)/(1+2\beta)$ — its look-ahead makes it more careful. We check both on a grid: for
# each $(\eta L, \beta)$ we run 150 steps on a quadratic with curvature $L = 1$ and record
# $\log_{10}(\max_i|\theta_{150,i}| / \max_i|\theta_{0,i}|)$. The grid avoids the boundary itself (where the
# error neither grows nor shrinks): every $\eta L$ on it is an odd multiple of 0.1, and no boundary is.

# %%
flat = problems.Quadratic(kappa=1.0, L=1.0)
beta_grid = [0.0, 0.1, 0.3, 0.6, 0.8, 0.9]
etaL_grid = np.round(np.arange(0.1, 4.0, 0.2), 1)
boundary = {"momentum": lambda b: 2 * (1 + b), "nesterov": lambda b: 2 * (1 + b) / (1 + 2 * b)}
growth = {}
for name in boundary:
    table = np.empty((len(beta_grid), len(etaL_grid)))
    for i, b in enumerate(beta_grid):
        for j, e in enumerate(etaL_grid):
            method = name if b > 0 else "gd"  # β = 0 is plain gradient descent for both
            end = problems.run(flat, method, np.array([1.0, 1.0]), steps=150, lr=e / flat.L, momentum=b)[-1]
            shrink = np.abs(end).max() if np.all(np.isfinite(end)) else np.inf  # started at max |θ₀| = 1
            table[i, j] = np.log10(max(shrink, 1e-300))
    growth[name] = table

fig, axes = plt.subplots(1, 2, figsize=(12, 3.8))
for ax, (name, table) in zip(axes, growth.items(), strict=True):
    image = ax.imshow(np.clip(table, -20, 20), aspect="auto", origin="lower", cmap="RdBu_r", vmin=-20, vmax=20,
                      extent=(0.0, 4.0, -0.5, len(beta_grid) - 0.5))
    for i, b in enumerate(beta_grid):
        ax.plot([boundary[name](b)] * 2, [i - 0.5, i + 0.5], color="black", linewidth=3)
    ax.set_yticks(range(len(beta_grid)), [str(b) for b in beta_grid])
    ax.set(title=f"{name}: black bars = theory's boundary", xlabel="η·L (learning rate × largest curvature)",
           ylabel="momentum β")
    ax.grid(False)
fig.colorbar(image, ax=axes, label="log₁₀ of the growth of |θ| in 150 steps (clipped at ±20)")
plt.show()

# %% tags=["hide-input"]
for b in beta_grid:
    print(f"  β = {b}:  heavy ball ηL < {boundary['momentum'](b):.2f},   Nesterov ηL < {boundary['nesterov'](b):.2f}")
agree = [(growth[n][i, j] < 0) == (e < boundary[n](b)) for n in growth for i, b in enumerate(beta_grid)
         for j, e in enumerate(etaL_grid)]
claim(all(agree), f"every one of the {len(agree)} runs converges exactly when η·L is below its theoretical bound")

# %% [markdown]
# Blue cells converged, red cells diverged, and the black bars — the boundary from the characteristic
# polynomial — separate them in every row. At $\beta = 0.9$ the heavy ball tolerates $\eta$ up to $3.8/L$, almost
# twice plain GD's $2/L$; Nesterov only up to $1.36/L$.

# %% [markdown]
# ## Trajectories on an ill-conditioned problem
#
# Back to the ellipse, now each method with its best parameters from the theory above. Gradient descent at its
# best step $\eta = 2/(L+\mu)$ multiplies the steep coordinate by $1 - \eta L \approx -0.9$: it jumps from one wall
# of the valley to the other on every step, and crawls along the valley floor.

# %%
L_e, mu_e = ellipse.L, ellipse.mu
sk_e = np.sqrt(L_e / mu_e)
best = {
    "gd": {"lr": 2 / (L_e + mu_e)},
    "momentum": {"lr": 4 / (np.sqrt(L_e) + np.sqrt(mu_e)) ** 2, "momentum": ((sk_e - 1) / (sk_e + 1)) ** 2},
    "nesterov": {"lr": 1 / L_e, "momentum": (sk_e - 1) / (sk_e + 1)},
}
paths = {name: problems.run(ellipse, name, start, steps=40, **hyper) for name, hyper in best.items()}
# the legend says "sgd" for plain gradient descent: the same rule, the book's colour for it
plots.contour_with_trajectories(ellipse, {("sgd" if n == "gd" else n): p for n, p in paths.items()},
                                title="Ellipse (κ = 20): 40 steps each, best parameters (sgd = plain GD)")
plt.show()

final_distance = {name: np.linalg.norm(p[-1]) for name, p in paths.items()}
zigzags = int(np.sum(np.diff(np.sign(paths["gd"][:, 1])) != 0))
print(f"heavy ball at Polyak's parameters: every swing is √β* = {np.sqrt(best['momentum']['momentum']):.2f} times the last")
claim(zigzags == 40, "GD's steep coordinate flips sign on every one of the 40 steps")
claim(final_distance["momentum"] < final_distance["nesterov"] < final_distance["gd"] / 50, "κ against √κ, again: "
      "distance to the minimum after 40 steps " + ", ".join(f"{n} {d:.1e}" for n, d in final_distance.items()))

# %% [markdown]
# Gradient descent zigzags and crawls; Nesterov's look-ahead kills the steep direction within a few steps and then
# runs along the valley. The heavy ball at Polyak's parameters swings *wider* than GD at first (it even leaves
# the plotted window), but every swing is $\sqrt{\beta^*} = 0.63$ times the previous one in *both* directions, so
# after 40 steps it is by far the closest to the minimum. Fast in theory does not mean smooth to look at.

# %% [markdown]
# ### Move η and β yourself
#
# The figure runs the heavy ball on the same ellipse, 30 steps for each of 11 learning rates and 10 momentum values.
# Left: the path, with plain GD ($\beta = 0$) at the same $\eta$ in grey. Right: each $(\eta, \beta)$ coloured by its
# rate $\rho$, the largest $|z|$ among the roots of the characteristic polynomial for $\lambda = \mu$ and $\lambda = L$
# (red: $\rho > 1$); the dot is the current setting. It opens at $\eta = 0.475$, $\beta = 0.5$: GD jumps from wall to
# wall, the heavy ball damps the jumps and runs down the valley. Try $\beta = 0$ (plain GD: the paths coincide),
# $\beta = 0.9$ (too heavy: it spirals, slower than GD), and $\eta$ past the line $\eta = 2(1+\beta)/L$ (diverges).

# %%
# ρ: spectral radius, largest over λ ∈ {μ, L}, of M = [[1 + β − ηλ, −β], [1, 0]], (θ_(t+1), θ_t) = M (θ_t, θ_(t−1))
heavy_ball_rate = lambda lr, b: max(abs(np.linalg.eigvals([[1 + b - lr * c, -b], [1, 0]])).max() for c in (mu_e, L_e))
lr_slider = explorables.Slider("eta", np.round(0.075 + 0.1 * np.arange(11), 3), label="learning rate η", value=0.475)
beta_slider = explorables.Slider("beta", np.round(0.1 * np.arange(10), 1), label="momentum β", value=0.5)
path_rows, now_rows, mismatch = [], [], []
for lr in lr_slider.values:
    for b in beta_slider.values:  # β = 0 is plain gradient descent
        hb = problems.run(ellipse, "momentum", start, steps=200, lr=lr, momentum=b)
        hb[np.cumsum(np.linalg.norm(hb, axis=1) > 50) > 1] = np.nan  # a diverging path: drawn until it is 50 away
        path_rows += explorables.rows(eta=lr, beta=b, step=np.arange(31), x1=hb[:31, 0], x2=hb[:31, 1])
        rho, rho_gd = heavy_ball_rate(lr, b), ellipse.contraction(lr)
        if rho < 1:  # the spectral radius against the rate measured from step 100 to step 200
            mismatch.append(abs((np.linalg.norm(hb[200]) / np.linalg.norm(hb[100])) ** (1 / 100) / rho - 1))
        verdict = ("diverges" if rho > 1 else "converges" if b == 0 else "converges where GD diverges" if rho_gd > 1
                   else f"converges {'faster' if rho < rho_gd else 'slower'} than GD")
        now_rows += explorables.rows(eta=lr, beta=b, text=f"η = {lr:.3f}, β = {b:.1f}: ρ = {rho:.3f} per step, "
                                                          f"{verdict}\n(plain GD at this η: ρ = {rho_gd:.3f})")
claim(max(mismatch) < 0.02, f"for all {len(mismatch)} converging settings of the sliders, the rate measured on the "
      f"run is within {max(mismatch):.1%} of the iteration matrix's spectral radius")
claim(heavy_ball_rate(0.475, 0.5) < ellipse.contraction(0.475) < heavy_ball_rate(0.475, 0.9) < 1, "at η = 0.475: "
      f"ρ = {heavy_ball_rate(0.475, 0.5):.3f} for β = 0.5, {ellipse.contraction(0.475):.3f} for plain GD, "
      f"{heavy_ball_rate(0.475, 0.9):.3f} for the too heavy β = 0.9")
grid_eta, grid_beta = (g.ravel() for g in np.meshgrid(0.025 * np.arange(1, 45), 0.025 * np.arange(40)))  # 0.025 cells
rate_map = explorables.rows(eta=grid_eta, beta=grid_beta, rate=np.vectorize(heavy_ball_rate)(grid_eta, grid_beta))
edge = explorables.rows(eta=[boundary["momentum"](b) / L_e for b in (0, 0.99)], beta=[0, 0.99])  # η = 2(1 + β)/L
now = [explorables.frame(lr_slider, beta_slider)]
x_eta = explorables.axis("eta", "learning rate η", domain=[0, 1.125])
y_beta = explorables.axis("beta", "momentum β", domain=[-0.0125, 0.9875])
explorables.figure(
    title="The heavy ball on the ellipse ℓ = 0.1·θ₁² + 2·θ₂² (κ = 20, L = 4)",
    alt="Sliders for the learning rate η (0.075 to 1.075) and the momentum β (0 to 0.9). Left: 30 steps of the heavy "
        "ball over the level curves, plain gradient descent at the same η in grey. Right: the (η, β) plane coloured "
        "by the per-step rate ρ (darker is faster, red diverges), the stability boundary as a black line and a dot "
        "at the current setting. At first, η = 0.475 and β = 0.5: GD zig-zags, the heavy ball damps it.",
    controls=[lr_slider, beta_slider],
    data={"path": path_rows, "now": now_rows, "map": rate_map, "edge": edge,
          "contour": explorables.contour_rows(ellipse, [0.5, 2, 5, 10, 20])},
    panels=[
        {"layer": [explorables.contour_layer(),
                   {"data": {"name": "path"}, "mark": {"type": "line", "point": True, "clip": True},
                    "transform": [{"filter": f"({lr_slider.selects('eta')}) && ({beta_slider.selects('beta')} || "
                                             "datum.beta === 0)"},
                                  {"calculate": "datum.beta === 0 ? 'gd' : 'momentum'", "as": "optimizer"}],
                    "encoding": {"x": explorables.axis("x1", "θ₁", domain=list(ellipse.xlim)),
                                 "y": explorables.axis("x2", "θ₂", domain=list(ellipse.ylim)),
                                 "order": {"field": "step", "type": "quantitative"},
                                 "color": explorables.optimizer_colors(["gd", "momentum"], title="30 steps of")}},
                   {"data": {"name": "now"}, "transform": now, "encoding": {"text": {"field": "text"}},
                    "mark": {"type": "text", "align": "left", "x": 4, "y": -22, "lineBreak": "\n"}}]},
        {"layer": [{"data": {"name": "map"}, "mark": "rect", "transform": [  # a cell: its value ± 0.0125 (+ a hair)
                        {"calculate": f"datum.{c} + {d}", "as": f"{c}{i}"} for c in ("eta", "beta")
                        for i, d in enumerate((-0.0128, 0.0128))], "encoding": {
                        "x": {**x_eta, "field": "eta0"}, "x2": {"field": "eta1"},
                        "y": {**y_beta, "field": "beta0"}, "y2": {"field": "beta1"},
                        "fill": {"condition": {"test": "datum.rate > 1", "value": "#f4a582"}, "field": "rate",
                                 "type": "quantitative", "title": "ρ per step (red: > 1)",
                                 "scale": {"scheme": "blues", "reverse": True, "domain": [0.55, 1], "clamp": True}}}},
                   {"data": {"name": "edge"}, "mark": {"type": "line", "color": "black"},
                    "encoding": {"x": x_eta, "y": y_beta}},
                   {"data": {"name": "now"}, "transform": now, "encoding": {"x": x_eta, "y": y_beta},
                    "mark": {"type": "point", "filled": True, "size": 110, "color": "#D55E00", "stroke": "white",
                             "opacity": 1}}]},
    ], width=330, height=240)

# %% [markdown]
# ## Two ways to write the buffer, and when they differ
#
# A2 writes momentum as an exponential moving average, $v_{t+1} = \beta v_t + (1-\beta)g_t$,
# $x_{t+1} = x_t - \alpha v_{t+1}$ — a legitimate form, common in course notes
# ([claim 47](../06_faq/02_claims_checked.ipynb#claim-47)). With the factor $(1-\beta)$ the *same* $\alpha$ gives
# steps $1-\beta$ times smaller than torch's `SGD(lr=α, momentum=β)`: the two agree when $\alpha = \eta/(1-\beta)$ —
# the effective step of the previous section, ten times torch's value for $\beta = 0.9$.
#
# Whether a learning-rate *change* matters depends on where $\eta$ sits. In torch's form and in the EMA form
# $\eta$ multiplies the buffer when it is applied, so a new $\eta$ acts at once. In the "velocity" form of
# {cite:t}`sutskever2013importance` (also CS231n's), $v \leftarrow \beta v - \eta g,\ \theta \leftarrow \theta + v$, the
# learning rate is *inside* the buffer, so after a drop the old, large steps keep coming for about $1/(1-\beta)$
# steps — the averaging window. All three can be run with the library's one `sgd` rule, because the rule is linear
# in the gradient it is fed:
#
# | form | as a call of the library's `sgd` rule |
# |---|---|
# | torch: $b \leftarrow \beta b + g,\ \theta \leftarrow \theta - \eta b$ | gradient $g$, `lr` $= \eta$ |
# | EMA (A2): $v \leftarrow \beta v + (1-\beta)g,\ \theta \leftarrow \theta - \alpha v$ | gradient $(1-\beta)g$, `lr` $= \alpha = \eta/(1-\beta)$ |
# | velocity: $v \leftarrow \beta v - \eta g,\ \theta \leftarrow \theta + v$ | gradient $\eta g$, `lr` $= 1$ |
#
# We drop $\eta$ tenfold after 40 steps.

# %%
def momentum_run(form: str, steps: int = 80, drop_at: int = 40, beta: float = 0.9) -> np.ndarray:
    """Momentum on `quad` with η = 0.1, dropped to 0.01 at step `drop_at`, written in one of three forms."""
    theta, state, path = np.array([3.0, 2.0]), {}, [np.array([3.0, 2.0])]
    for t in range(steps):
        lr = 0.1 if t < drop_at else 0.01
        g = quad.grad(theta)
        if form == "torch":
            optim.functional.step("sgd", theta, g, state, lr=lr, momentum=beta)
        elif form == "EMA (A2)":
            optim.functional.step("sgd", theta, (1 - beta) * g, state, lr=lr / (1 - beta), momentum=beta)
        elif form == "velocity":
            optim.functional.step("sgd", theta, lr * g, state, lr=1.0, momentum=beta)
        path.append(theta.copy())
    return np.array(path)


forms = {form: momentum_run(form) for form in ["torch", "EMA (A2)", "velocity"]}
before, after = slice(0, 41), slice(41, None)
gap_ema = np.abs(forms["EMA (A2)"] - forms["torch"]).max()
gap_velocity_before = np.abs(forms["velocity"][before] - forms["torch"][before]).max()
gap_velocity_after = np.abs(forms["velocity"][after] - forms["torch"][after]).max()
step_after = {form: np.linalg.norm(p[41] - p[40]) for form, p in forms.items()}

fig, ax = plt.subplots(figsize=(7, 4))
for form, p in forms.items():
    ax.semilogy(np.linalg.norm(np.diff(p, axis=0), axis=1), label=form, linestyle="--" if form == "EMA (A2)" else "-")
ax.axvline(40, color="grey", linestyle=":", label="η drops 10×")
ax.set(title="Same momentum, three ways to write it", xlabel="step t", ylabel="step length ‖θ_(t+1) − θ_t‖ (log)")
ax.legend()
plt.show()

claim(gap_ema < 1e-12, f"the EMA form with α = η/(1−β) is torch's momentum, before and after the drop: "
      f"max |Δθ| = {gap_ema:.1e}")
claim(gap_velocity_before < 1e-12 < 1e-2 < gap_velocity_after, "the velocity form equals torch's while η is constant "
      f"(max |Δθ| = {gap_velocity_before:.1e}) and not after the drop ({gap_velocity_after:.1e})")
claim(step_after["velocity"] > 5 * step_after["torch"], f"first step after the drop: torch {step_after['torch']:.4f}, "
      f"velocity form {step_after['velocity']:.4f} — the old η is still in its buffer")

# %% [markdown]
# One more trap, torch's `dampening` argument, looks like the EMA's $(1-\beta)$ but starts its buffer differently;
# [3.12](12_conventions.ipynb) runs it, with the other places where libraries and papers write the same rule
# differently.
#
# ## Momentum is not an adaptive learning rate
#
# ```{admonition} Common misconception
# :class: warning
# 「动量法和Adam算法都是自适应学习率的优化算法」 (A3 §6 Q3: "momentum and Adam are both adaptive-learning-rate
# algorithms"). **In fact** momentum's step is a fixed linear combination of past gradients: scale the gradients by
# $c$ and every step scales by $c$. Adam's does not ([claim 63 in 6.2](../06_faq/02_claims_checked.ipynb#claim-63)).
# ```
#
# Adam divides by a running root-mean-square of the gradient, so its step is (up to $\varepsilon$) the same whatever
# $c$ — that is what "adaptive" means ([3.4](04_adagrad_rmsprop_adadelta.ipynb), [3.5](05_adam_family.ipynb)). We
# feed the same random gradient sequence, and the same sequence times 1000, to momentum and to Adam.

# %%
gradient_stream, c = rng.standard_normal((50, 5)), 1000.0
ratio_momentum = (steps_taken("sgd", c * gradient_stream, lr=0.01, momentum=0.9)
                  / steps_taken("sgd", gradient_stream, lr=0.01, momentum=0.9))
ratio_adam = steps_taken("adam", c * gradient_stream, lr=0.01) / steps_taken("adam", gradient_stream, lr=0.01)
claim(np.allclose(ratio_momentum, c, rtol=1e-9), f"gradients × {c:g}: momentum's steps × {ratio_momentum.min():.6g} … "
      f"{ratio_momentum.max():.6g} — it scales with the gradient, not adaptive")
claim(np.allclose(ratio_adam, 1.0, rtol=1e-5), f"gradients × {c:g}: Adam's steps × {ratio_adam.min():.6f} … "
      f"{ratio_adam.max():.6f} — it adapts to the gradient's scale")

# %% [markdown]
# ## What we learned
#
# - The heavy ball $\theta_{t+1} = \theta_t - \eta g_t + \beta(\theta_t - \theta_{t-1})$ and torch's
#   $b \leftarrow \beta b + g,\ \theta \leftarrow \theta - \eta b$ are the same method; the EMA form is it with
#   $\alpha = \eta/(1-\beta)$.
# - Momentum's memory is a geometric sum: a consistent gradient gets the effective step $\eta/(1-\beta)$, an
#   alternating one only $\eta/(1+\beta)$, and the average spans about $1/(1-\beta)$ steps — all measured. On a
#   valley, at the same effective step, this is damping: the cross-valley zigzag dies out.
# - On a quadratic with condition number $\kappa$: GD contracts by $(\kappa-1)/(\kappa+1)$ per step, the heavy ball
#   with Polyak's $\eta^*, \beta^*$ by $(\sqrt\kappa-1)/(\sqrt\kappa+1)$, Nesterov by $1-1/\sqrt\kappa$ — measured
#   within 1 %; for $\kappa = 100$: 690, 90 and 150 steps to gain a factor $10^6$.
# - The heavy ball is stable for $0 < \eta L < 2(1+\beta)$, Nesterov for $0 < \eta L < 2(1+\beta)/(1+2\beta)$.
# - Where $\eta$ sits matters only when it changes: the velocity form keeps the old $\eta$ in its buffer for
#   about $1/(1-\beta)$ steps after a drop.
# - Momentum is not adaptive: its step scales with the gradient. Next, the methods that do adapt:
#   [3.4 AdaGrad, RMSprop and Adadelta](04_adagrad_rmsprop_adadelta.ipynb).
# - Practise: exercises 3.1 (torch's momentum step) and 3.2 (the bug in A3's momentum code) in
#   [exercises/student/03_algorithms](../../exercises/student/03_algorithms.ipynb).

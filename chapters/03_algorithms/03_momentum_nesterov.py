# %% [markdown]
# # 3.2 Momentum and Nesterov's accelerated gradient
#
# Gradient descent has a second weakness besides noise: on an **ill-conditioned** loss — steep in one direction,
# flat in another — it zigzags across the steep direction and crawls along the flat one. Momentum remembers
# the previous steps and keeps moving along the directions in which they agree. This section derives the heavy
# ball and Nesterov's method on a quadratic, measures their convergence rates against the theory, maps the
# learning rates and momentum values for which they are stable, and checks how the documents write momentum.

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import data, plots, problems
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## The question: how slow is gradient descent on an ill-conditioned problem?
#
# Take the quadratic $f(\theta) = \tfrac12\theta^\top A\theta$ whose Hessian $A$ has eigenvalues between
# $\mu$ and $L$, condition number $\kappa = L/\mu$. Along an eigenvector with curvature $\lambda$, gradient
# descent multiplies the error by $1 - \eta\lambda$ each step. The best constant step, $\eta = 2/(L+\mu)$,
# balances the flattest and the steepest direction and gives the contraction factor
#
# $$\rho_{\text{GD}} = \frac{\kappa - 1}{\kappa + 1} \approx 1 - \frac{2}{\kappa}.$$
#
# For $\kappa = 100$ that is $0.980$: about $\kappa/2 \cdot \ln(1/\epsilon)$ — here 690 — steps to shrink the error a
# million-fold. Momentum methods replace $\kappa$ by $\sqrt{\kappa}$.
#
# > **The documents say** (A1 §3.1): 「梯度下降法是一种最先进的优化算法」
# > — "Gradient descent is a most advanced (state-of-the-art) optimization algorithm."
# >
# > **What is true:** gradient descent is the *simplest* first-order method, and on ill-conditioned problems it
# > is provably slow: its rate is $(\kappa-1)/(\kappa+1)$, while the heavy ball and Nesterov's method, which use
# > the same gradients, reach $(\sqrt\kappa-1)/(\sqrt\kappa+1)$ and $1 - 1/\sqrt\kappa$. The measurement below puts
# > numbers on it.

# %% [markdown]
# ## The heavy ball and torch's momentum
#
# Polyak's **heavy ball** ([Polyak, 1964](../06_faq/03_references.ipynb#polyak1964some)) adds a fraction
# $\beta$ of the previous step to the gradient step:
#
# $$\theta_{t+1} = \theta_t - \eta\, g_t + \beta\,(\theta_t - \theta_{t-1}).$$
#
# PyTorch writes the same method with a buffer $b$ that sums past gradients (its momentum coefficient is
# called $\mu$, `momentum`; here $\mu = \beta$):
#
# $$b_t = \mu\, b_{t-1} + g_t \quad (b_1 = g_1), \qquad \theta_{t+1} = \theta_t - \eta\, b_t .$$
#
# They are the same recursion: $\theta_{t+1} - \theta_t = -\eta b_t = -\eta(\mu b_{t-1} + g_t) = \mu(\theta_t -
# \theta_{t-1}) - \eta g_t$. **Nesterov's accelerated gradient** ([Nesterov, 1983](../06_faq/03_references.ipynb#nesterov1983method);
# in this form [Sutskever et al., 2013](../06_faq/03_references.ipynb#sutskever2013importance)) evaluates the
# gradient after the momentum step has been taken, $g_t = \nabla f(\theta_t + \beta(\theta_t - \theta_{t-1}))$;
# torch's `nesterov=True` rewrites it so that the gradient is taken at the current point:
# $\theta_{t+1} = \theta_t - \eta\,(g_t + \mu\, b_t)$. Both are the `sgd` rule of `gradcourse.optim.functional`
# (`momentum=…`, `nesterov=True`); `problems.run` knows them as `"momentum"` and `"nesterov"`.
#
# ### How the documents write momentum
#
# > **The documents say** (A3 §3.2): 「$\theta_{t+1} = \theta_t - \alpha \nabla J(\theta_t) + \beta \Delta \theta_t$
# > 其中，$\beta$ 表示动量系数，$\Delta \theta_t$ 表示参数更新量。」
# > — "… where β is the momentum coefficient and Δθ_t the parameter update."
# >
# > **What is true:** this *is* the heavy ball — exactly, with $\alpha = \eta$ and $\beta = \mu$ — **if**
# > $\Delta\theta_t$ means the *previous* update $\theta_t - \theta_{t-1}$ (and $\Delta\theta_0 = 0$). "The
# > parameter update" could also be read as the update being computed, which makes the formula circular, and
# > A3's own code stores the *new* θ as "previous" after each step, so its $\Delta\theta$ is zero from the second
# > step on and the code runs plain gradient descent ([4.1](../04_code/01_documents_code_repaired.ipynb) runs it).
# > The cell below checks, along a path of the library's momentum, that A3's formula holds to rounding error
# > with $\Delta\theta_t = \theta_t - \theta_{t-1}$.

# %%
quad = problems.Quadratic(kappa=10.0, L=1.0)
eta, beta = 0.3, 0.8
path = problems.run(quad, "momentum", np.array([3.0, 2.0]), steps=60, lr=eta, momentum=beta)

grads = np.array([quad.grad(theta) for theta in path[:-1]])
previous_update = np.vstack([np.zeros(2), np.diff(path, axis=0)[:-1]])  # Δθ_t = θ_t − θ_{t−1}, Δθ_0 = 0
a3_prediction = path[:-1] - eta * grads + beta * previous_update
residual = np.abs(path[1:] - a3_prediction).max()
print(f"max |θ_(t+1) − (θ_t − η∇J(θ_t) + β(θ_t − θ_(t−1)))| over 60 steps: {residual:.1e}")
assert residual < 1e-12, "A3's formula is exactly torch's momentum when Δθ_t = θ_t − θ_(t−1)"
without_momentum = problems.run(quad, "gd", np.array([3.0, 2.0]), steps=60, lr=eta)
assert np.linalg.norm(without_momentum[-1]) > 100 * np.linalg.norm(path[-1]), "with Δθ = 0 (A3's code) it is GD"
print(f"after 60 steps: momentum {np.linalg.norm(path[-1]):.1e}, GD {np.linalg.norm(without_momentum[-1]):.1e}")

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
distances, measured_rate = {}, {}
print(f"{'method':9s} {'η':>7s} {'β':>7s} {'theory ρ':>9s} {'measured':>9s} {'steps to 1e-6':>14s}")
for name, (hyper, theory) in methods.items():
    d = np.linalg.norm(problems.run(ill, name, np.array([1.0, 1.0]), steps=800, **hyper), axis=1)
    distances[name] = d
    measured_rate[name] = (d[300] / d[100]) ** (1 / 200)
    steps_needed = int(np.argmax(d < 1e-6 * d[0]))
    print(f"{name:9s} {hyper['lr']:7.4f} {hyper.get('momentum', 0):7.4f} {theory:9.4f} {measured_rate[name]:9.4f} "
          f"{steps_needed:14d}")
    assert abs(measured_rate[name] / theory - 1) < 0.02, f"{name}: measured rate within 2 % of the theory"
assert measured_rate["momentum"] < measured_rate["nesterov"] < measured_rate["gd"]

fig, ax = plt.subplots(figsize=(7, 4.2))
for name, d in distances.items():
    style = plots.style_for("sgd" if name == "gd" else name)  # plain GD wears SGD's colour
    ax.semilogy(d[:400], label=f"{name}: measured ρ = {measured_rate[name]:.4f}", **style)
ax.set(title=f"Quadratic with κ = {kappa:g}: each at its best parameters", xlabel="step t",
       ylabel="distance to the minimum ‖θ_t − θ*‖ (log scale)")
ax.legend()
plt.show()

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

# %%
for name, table in growth.items():
    for i, b in enumerate(beta_grid):
        for j, e in enumerate(etaL_grid):
            stable_in_theory = e < boundary[name](b)
            assert (table[i, j] < 0) == stable_in_theory, f"{name}, β={b}, ηL={e}: measured vs theory disagree"
print("Every one of the", 2 * len(beta_grid) * len(etaL_grid), "runs converges exactly when η·L < its theoretical bound:")
for b in beta_grid:
    print(f"  β = {b}:  heavy ball ηL < {boundary['momentum'](b):.2f},   Nesterov ηL < {boundary['nesterov'](b):.2f}")

# %% [markdown]
# Blue cells converged, red cells diverged, and the black bars — the boundary from the characteristic
# polynomial — separate them in every row. At $\beta = 0.9$ the heavy ball tolerates $\eta$ up to $3.8/L$, almost
# twice plain GD's $2/L$; Nesterov only up to $1.36/L$.

# %% [markdown]
# ## Trajectories on an ill-conditioned problem
#
# On the ellipse $f = 0.1\,x_1^2 + 2\,x_2^2$ ($\mu = 0.2$, $L = 4$, $\kappa = 20$), each method with its best
# parameters from the theory above. Gradient descent at its best step $\eta = 2/(L+\mu)$ multiplies the steep
# coordinate by $1 - \eta L \approx -0.9$: it jumps from one wall of the valley to the other on every step, and
# crawls along the valley floor.

# %%
ellipse = problems.ELLIPSE
L_e, mu_e = ellipse.L, ellipse.mu
sk_e = np.sqrt(L_e / mu_e)
best = {
    "gd": {"lr": 2 / (L_e + mu_e)},
    "momentum": {"lr": 4 / (np.sqrt(L_e) + np.sqrt(mu_e)) ** 2, "momentum": ((sk_e - 1) / (sk_e + 1)) ** 2},
    "nesterov": {"lr": 1 / L_e, "momentum": (sk_e - 1) / (sk_e + 1)},
}
start = np.array([-5.0, -2.5])
paths = {name: problems.run(ellipse, name, start, steps=40, **hyper) for name, hyper in best.items()}
# the legend says "sgd" for plain gradient descent: the same rule, the book's colour for it
plots.contour_with_trajectories(ellipse, {("sgd" if n == "gd" else n): p for n, p in paths.items()},
                                title="Ellipse (κ = 20): 40 steps each, best parameters (sgd = plain GD)")
plt.show()

final_distance = {name: np.linalg.norm(p[-1]) for name, p in paths.items()}
zigzags = int(np.sum(np.diff(np.sign(paths["gd"][:, 1])) != 0))
print({name: f"{d:.1e}" for name, d in final_distance.items()}, f"— GD's x₂ changed sign {zigzags} times in 40 steps")
assert zigzags == 40, "GD's steep coordinate flips sign on every step"
assert final_distance["momentum"] < final_distance["nesterov"] < final_distance["gd"] / 50, "κ against √κ, again"

# %% [markdown]
# Gradient descent zigzags and crawls; Nesterov's look-ahead kills the steep direction within a few steps and then
# runs along the valley. The heavy ball at Polyak's parameters swings *wider* than GD at first (it even leaves
# the plotted window), but every swing is $\sqrt{\beta^*} = 0.63$ times the previous one in *both* directions, so
# after 40 steps it is by far the closest to the minimum. Fast in theory does not mean smooth to look at.

# %% [markdown]
# ## Two ways to write the buffer, and when they differ
#
# > **The documents say** (A2 §2): 「动量的形式化定义为：`v_{t+1} = βv_t+(1-\beta)g_t,\quad \\hat{x}_{t+1}=x_t-αv_{t+1}`
# > ……其中，β是一个衰减系数……；α为步长……；g为梯度；v为速度。」
# > — "Momentum is defined as v_{t+1} = βv_t + (1 − β)g_t, x̂_{t+1} = x_t − αv_{t+1} … β a decay coefficient, α the
# > step size, g the gradient, v the velocity."
# >
# > **What is true:** read with $x$ on both sides (the hat on the left is a typo), this is momentum written as an
# > exponential moving average — a legitimate form, common in course notes — but two things need saying. First, with the factor $(1-\beta)$ the *same* $\alpha$ gives steps $1-\beta$ times smaller than
# > torch's `SGD(lr=α, momentum=β)`: the two agree when $\alpha = \eta/(1-\beta)$, ten times torch's value for
# > $\beta = 0.9$. Second, the letter $v$ is a velocity here, while the same article (and Adam) uses $v$ for the
# > second moment of the gradient.
#
# Whether a learning-rate *change* matters depends on where $\eta$ sits. In torch's form and in A2's EMA form
# $\eta$ multiplies the buffer when it is applied, so a new $\eta$ acts at once. In the "velocity" form of
# [Sutskever et al. (2013)](../06_faq/03_references.ipynb#sutskever2013importance) (also CS231n's),
# $v \leftarrow \beta v - \eta g,\ \theta \leftarrow \theta + v$, the learning rate is *inside* the buffer, so after
# a drop the old, large steps keep coming for about $1/(1-\beta)$ steps. All three can be run with the library's
# one `sgd` rule, because the rule is linear in the gradient it is fed:
#
# | form | as a call of the library's `sgd` rule |
# |---|---|
# | torch: $b \leftarrow \beta b + g,\ \theta \leftarrow \theta - \eta b$ | gradient $g$, `lr` $= \eta$ |
# | A2 (EMA): $v \leftarrow \beta v + (1-\beta)g,\ \theta \leftarrow \theta - \alpha v$ | gradient $(1-\beta)g$, `lr` $= \alpha = \eta/(1-\beta)$ |
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
            F.step("sgd", theta, g, state, lr=lr, momentum=beta)
        elif form == "ema (A2)":
            F.step("sgd", theta, (1 - beta) * g, state, lr=lr / (1 - beta), momentum=beta)
        elif form == "velocity":
            F.step("sgd", theta, lr * g, state, lr=1.0, momentum=beta)
        path.append(theta.copy())
    return np.array(path)


forms = {form: momentum_run(form) for form in ["torch", "ema (A2)", "velocity"]}
before, after = slice(0, 41), slice(41, None)
gap_ema = np.abs(forms["ema (A2)"] - forms["torch"]).max()
gap_velocity_before = np.abs(forms["velocity"][before] - forms["torch"][before]).max()
gap_velocity_after = np.abs(forms["velocity"][after] - forms["torch"][after]).max()
step_after = {form: np.linalg.norm(p[41] - p[40]) for form, p in forms.items()}

fig, ax = plt.subplots(figsize=(7, 4))
for form, p in forms.items():
    ax.semilogy(np.linalg.norm(np.diff(p, axis=0), axis=1), label=form, linestyle="--" if form == "ema (A2)" else "-")
ax.axvline(40, color="grey", linestyle=":", label="η drops 10×")
ax.set(title="Same momentum, three ways to write it", xlabel="step t", ylabel="step length ‖θ_(t+1) − θ_t‖ (log)")
ax.legend()
plt.show()

print(f"A2's EMA form vs torch's, all 80 steps:     max |Δθ| = {gap_ema:.1e}")
print(f"velocity form vs torch's, before the drop:  max |Δθ| = {gap_velocity_before:.1e}")
print(f"velocity form vs torch's, after the drop:   max |Δθ| = {gap_velocity_after:.1e}")
print(f"first step after the drop: torch {step_after['torch']:.4f}, velocity form {step_after['velocity']:.4f}")
assert gap_ema < 1e-12, "A2's EMA form with α = η/(1−β) is torch's momentum, before and after the drop"
assert gap_velocity_before < 1e-12, "the velocity form equals torch's while η is constant"
assert gap_velocity_after > 1e-2, "after the drop they differ: the velocity form keeps the old η in its buffer"
assert step_after["velocity"] > 5 * step_after["torch"], "right after the drop the velocity form still takes big steps"

# %% [markdown]
# One more trap: torch's `dampening` argument looks like A2's $(1-\beta)$ factor, but torch starts the buffer at
# $b_1 = g_1$ *without* dampening, while the EMA starts from $v_0 = 0$, so $v_1 = (1-\beta)g_1$. The first steps
# therefore differ by a factor $1/(1-\beta)$.

# %%
theta_damp, theta_ema, s_damp, s_ema = np.array([3.0, 2.0]), np.array([3.0, 2.0]), {}, {}
g1 = quad.grad(theta_damp)
F.step("sgd", theta_damp, g1, s_damp, lr=1.0, momentum=0.9, dampening=0.9)
F.step("sgd", theta_ema, 0.1 * g1, s_ema, lr=1.0, momentum=0.9)
first_ratio = np.linalg.norm(theta_damp - [3, 2]) / np.linalg.norm(theta_ema - [3, 2])
print(f"first step, torch dampening=β vs EMA from v₀ = 0: ratio {first_ratio:.2f}")
assert np.isclose(first_ratio, 1 / (1 - 0.9)), "torch's dampening skips the first step: 10× the EMA's first step"

# %% [markdown]
# ## Momentum is not an adaptive learning rate
#
# > **The documents say** (A3 FAQ): 「动量法和Adam算法都是自适应学习率的优化算法」
# > — "Momentum and Adam are both adaptive-learning-rate optimization algorithms."
# >
# > **What is true:** momentum's step is a fixed linear combination of past gradients: multiply every gradient by
# > $c$ and every step is multiplied by $c$. Nothing adapts to the gradient's size. Adam divides by a running
# > root-mean-square of the gradient, so its step is (up to $\varepsilon$) the same whatever $c$ — that is what
# > "adaptive" means ([3.3](04_adagrad_rmsprop_adadelta.ipynb), [3.4](05_adam_family.ipynb)).
#
# We feed the same random gradient sequence, and the same sequence times 1000, to momentum and to Adam.

# %%
gradient_stream = rng.standard_normal((50, 5))


def steps_taken(rule: str, scale: float, **hyper) -> np.ndarray:
    theta, state, steps = np.zeros(5), {}, []
    for g in gradient_stream:
        before_step = theta.copy()
        F.step(rule, theta, scale * g, state, **hyper)
        steps.append(theta - before_step)
    return np.array(steps)


c = 1000.0
ratio_momentum = steps_taken("sgd", c, lr=0.01, momentum=0.9) / steps_taken("sgd", 1.0, lr=0.01, momentum=0.9)
ratio_adam = steps_taken("adam", c, lr=0.01) / steps_taken("adam", 1.0, lr=0.01)
print(f"gradients × {c:g}: momentum's steps × {ratio_momentum.min():.6g} … {ratio_momentum.max():.6g},"
      f"  Adam's steps × {ratio_adam.min():.6f} … {ratio_adam.max():.6f}")
assert np.allclose(ratio_momentum, c, rtol=1e-9), "momentum's step scales with the gradient: not adaptive"
assert np.allclose(ratio_adam, 1.0, rtol=1e-5), "Adam's step does not: it adapts to the gradient's scale"

# %% [markdown]
# ## Our SGD with momentum against torch's
#
# The same logistic regression on the digits as in [3.1](01_gd_sgd_minibatch.ipynb), in float64, mini-batches of
# 32, 100 steps of `gradcourse.optim.SGD` and of `torch.optim.SGD` in each setting.

# %%
split = data.digits(as_tensors=True)
Xt, yt = split.X_train.double(), split.y_train


from gradcourse.optim.parity import max_difference_from_torch

cases = {
    "momentum=0.9": {"lr": 0.1, "momentum": 0.9},
    "momentum=0.9, nesterov=True": {"lr": 0.1, "momentum": 0.9, "nesterov": True},
    "momentum=0.9, dampening=0.5": {"lr": 0.1, "momentum": 0.9, "dampening": 0.5},
    "momentum=0.9, weight_decay=1e-3": {"lr": 0.1, "momentum": 0.9, "weight_decay": 1e-3},
}
print(f"{'SGD setting (lr=0.1)':36s} max |θ_ours − θ_torch| after 100 steps")
for name, hyper in cases.items():
    diff = max_difference_from_torch("SGD", hyper, Xt, yt)
    print(f"{name:36s} {diff:.1e}")
    assert diff < 1e-12, f"{name}: ours and torch's agree to rounding error"

# %% [markdown]
# ## What we learned
#
# - The heavy ball $\theta_{t+1} = \theta_t - \eta g_t + \beta(\theta_t - \theta_{t-1})$ and torch's
#   $b \leftarrow \mu b + g,\ \theta \leftarrow \theta - \eta b$ are the same method. A3's formula is this method
#   when $\Delta\theta_t$ is the previous step; A2's EMA form is it with $\alpha = \eta/(1-\beta)$.
# - On a quadratic with condition number $\kappa$: GD contracts by $(\kappa-1)/(\kappa+1)$ per step, the heavy ball
#   with Polyak's $\eta^*, \beta^*$ by $(\sqrt\kappa-1)/(\sqrt\kappa+1)$, Nesterov by $1-1/\sqrt\kappa$ — measured
#   within 1 %; for $\kappa = 100$: 690, 90 and 150 steps to gain a factor $10^6$.
# - The heavy ball is stable for $0 < \eta L < 2(1+\beta)$, Nesterov for $0 < \eta L < 2(1+\beta)/(1+2\beta)$:
#   checked on 240 runs.
# - Where $\eta$ sits matters only when it changes: the velocity form keeps the old $\eta$ in its buffer for
#   about $1/(1-\beta)$ steps after a drop. Torch's `dampening` is not quite an EMA (its first step is undamped).
# - Momentum is not adaptive: its step scales with the gradient. Next, the methods that do adapt:
#   [AdaGrad, RMSprop and Adadelta](04_adagrad_rmsprop_adadelta.ipynb).
# - Practise: exercises 3.1 (torch's momentum step) and 3.2 (the bug in A3's momentum code) in
#   [exercises/student/03_algorithms](../../exercises/student/03_algorithms.ipynb).

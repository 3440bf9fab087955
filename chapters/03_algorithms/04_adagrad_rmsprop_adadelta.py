# %% [markdown]
# # 3.4 AdaGrad, RMSprop and Adadelta
#
# Momentum uses one learning rate for every parameter. But parameters differ: in a deep network the gradient of
# the first layer can be thousands of times smaller than the last layer's ([2.2](../02_concepts/02_vanishing_exploding.ipynb)),
# and on an ill-conditioned loss the steep direction needs a small step while the flat one needs a large step.
# The methods of this section give **each coordinate its own step size**, computed from the history of its own
# gradients. They differ in which history: all of it (AdaGrad), a recent window (RMSprop), or a recent window of
# gradients *and* of steps (Adadelta). We derive each, measure how its step size evolves, and show where each
# one fails.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import optim, plots, problems
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## The formulas
#
# All products, squares, square roots and divisions below are **elementwise**: every coordinate of $\theta$ has
# its own accumulator and its own step size.
#
# **AdaGrad** {cite:p}`duchi2011adaptive` divides by the
# root of the *sum of all squared gradients so far*:
#
# $$G_t = G_{t-1} + g_t \odot g_t, \qquad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{G_t} + \varepsilon}\, g_t .$$
#
# **RMSprop** {cite:p}`tieleman2012lecture` replaces the sum by
# an exponential moving average with decay $\alpha$ (torch's `alpha`, 0.99 by default), so old gradients are
# forgotten:
#
# $$v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t \odot g_t, \qquad \theta_{t+1} = \theta_t - \frac{\eta}{\sqrt{v_t} + \varepsilon}\, g_t .$$
#
# **Adadelta** {cite:p}`zeiler2012adadelta` keeps the same average of $g^2$
# and a second average, of the squared *steps*, and uses the ratio of the two root-mean-squares instead of $\eta$:
#
# $$v_t = \rho v_{t-1} + (1-\rho) g_t^2,\quad \Delta_t = \frac{\sqrt{u_{t-1} + \varepsilon}}{\sqrt{v_t + \varepsilon}}\, g_t,\quad u_t = \rho u_{t-1} + (1-\rho)\Delta_t^2,\quad \theta_{t+1} = \theta_t - \Delta_t .$$
#
# These are the `adagrad`, `rmsprop` and `adadelta` rules of `gradcourse.optim.functional` (torch's forms: ε
# outside the root for AdaGrad and RMSprop, inside for Adadelta; torch multiplies Adadelta's step by an extra
# `lr`, 1.0 by default).

# %% [markdown]
# ### Three details that matter
#
# ```{admonition} Common misconception
# :class: warning
# 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{G_{t} + \epsilon}} \nabla_{\theta}L(\theta_t)$，其中，$G_{t}$是参数梯度累积值」 (A1 §3.2:
# AdaGrad, "$G_t$ is the accumulated parameter gradient"). **In fact** $G_t$ must accumulate the **squared**
# gradients, one per coordinate ([claim 10 in 6.2](../06_faq/02_claims_checked.ipynb#claim-10)).
# ```
#
# Three details of the formulas above: (1) $G_t$ sums **squared** gradients — a sum of raw gradients can be
# negative, and its square root undefined; (2) it is kept **elementwise**, which is what makes the method adaptive
# per coordinate; (3) where ε sits, inside the root or outside, changes the step for gradients of size about
# $\sqrt\varepsilon$. The three cells below check each point. First, reading $G_t$ as a sum of gradients:

# %%
noise_stream = rng.standard_normal((2000, 200))  # 2000 steps of a stationary gradient: 200 coordinates of N(0, 1)
with np.errstate(invalid="ignore"):
    root_of_sum = np.sqrt(np.cumsum(noise_stream, axis=0))
    root_of_sum_of_squares = np.sqrt(np.cumsum(noise_stream**2, axis=0))
undefined = np.mean(np.isnan(root_of_sum))
claim(undefined > 0.3 and not np.isnan(root_of_sum_of_squares).any(), f"√(Σ g) is NaN for {undefined:.0%} of all "
      "(step, coordinate) pairs; √(Σ g²) never is")

# %% [markdown]
# Second, elementwise accumulation. On the ellipse $f = 0.1x_1^2 + 2x_2^2$ at $\theta = (-5, -2.5)$ the gradient is
# $g = (-1, -10)$. AdaGrad's first step is $-\eta\, g/\sqrt{g^2}$, and $\eta\, g/\sqrt{g^2} = +\eta\,\mathrm{sign}(g)$, so
# the step is $-\eta\,\mathrm{sign}(g)$ in **each coordinate**: the steep coordinate, with ten times the gradient,
# gets the same step as the flat one. The step is not parallel to
# $-g$ — AdaGrad changes the direction, not only the length. (With a single scalar $G = \sum\lVert g\rVert^2$ it
# would only rescale $-g$.)

# %%
theta = np.array([-5.0, -2.5])
g = problems.ELLIPSE.grad(theta)
first = theta.copy()
optim.functional.step("adagrad", first, g, {}, lr=0.5)
step = first - theta
angle = np.degrees(np.arccos(step @ -g / (np.linalg.norm(step) * np.linalg.norm(g))))
claim(np.allclose(step, -0.5 * np.sign(g)), f"g = {g}: AdaGrad's first step (η = 0.5) is {step} = −η·sign(g)")
claim(angle > 30, f"so it points {angle:.1f}° away from −g")

# %% [markdown]
# Third, where ε sits. A1's $\eta\, g/\sqrt{G + \varepsilon}$ is exactly the library's AdaGrad started with
# `initial_accumulator_value=ε` and `eps=0`; torch's $\eta\, g/(\sqrt{G} + \varepsilon)$ is the default. We compare the
# first step, divided by $\eta$, for gradients from 1 down to $10^{-7}$, with ε = 1e-10 (torch's default).

# %%
eps = 1e-10
print(f"{'|g|':>8s} {'ε inside √ (A1)':>16s} {'ε outside (torch)':>18s}")
first_steps = {}
for size in [1.0, 1e-3, 1e-5, 1e-7]:
    inside, outside = np.array([1.0]), np.array([1.0])
    optim.functional.step("adagrad", inside, np.array([size]), {}, lr=1.0, initial_accumulator_value=eps, eps=0.0)
    optim.functional.step("adagrad", outside, np.array([size]), {}, lr=1.0, eps=eps)
    first_steps[size] = (1 - inside[0], 1 - outside[0])
    print(f"{size:8.0e} {first_steps[size][0]:16.4f} {first_steps[size][1]:18.4f}")
claim(np.isclose(*first_steps[1.0], rtol=1e-9) and np.isclose(*first_steps[1e-3], rtol=1e-4),
      "the two forms take the same first step for |g| = 1 and 1e-3")
claim(first_steps[1e-5][0] < 0.75 * first_steps[1e-5][1], "inside the root, ε = 1e-10 already damps g = 1e-5")
claim(first_steps[1e-7][0] < 0.02 < 0.99 < first_steps[1e-7][1], "at g = 1e-7 the two differ more than 50-fold")

# %% [markdown]
# With ε inside the root, what matters is $\varepsilon$ against $g^2$; outside, $\varepsilon$ against $|g|$. So the same
# number ε = 1e-10 damps gradients below $10^{-5}$ in A1's form and below $10^{-10}$ in torch's. Neither is
# wrong; they are different conventions, and a value of ε copied from one to the other changes behaviour for
# tiny gradients — exactly the vanishing gradients this course is about.

# %% [markdown]
# ## AdaGrad's step shrinks forever; RMSprop's levels off
#
# Feed both methods a **stationary** stream of gradients — each coordinate draws $g_t \sim \mathcal{N}(0, 1)$ at every
# step, as for SGD hovering near a minimum. The effective step size of a coordinate is $|\Delta\theta_t| / |g_t|$,
# what the method multiplies the gradient by. For AdaGrad $G_t \approx t\,\mathbb{E}[g^2] = t$, so the effective
# step is $\approx \eta/\sqrt{t}$ — it never stops shrinking. For RMSprop $v_t \to \mathbb{E}[g^2] = 1$ within a few
# memory lengths $1/(1-\alpha) = 100$ steps, so the effective step settles at $\eta/\sqrt{\mathbb{E}[g^2]} = \eta$.
#
# A1 writes RMSprop as AdaGrad's sum times a constant decay rate, $\alpha/\sqrt{\rho\, G_t + \varepsilon}$
# ([claim 11](../06_faq/02_claims_checked.ipynb#claim-11)). That forgets nothing:
# $\alpha/\sqrt{\rho G_t + \varepsilon} = (\alpha/\sqrt\rho)/\sqrt{G_t + \varepsilon/\rho}$ is AdaGrad with learning rate
# $\alpha/\sqrt\rho$ and ε inside the root, and it shrinks like $1/\sqrt t$ just the same. Below, A1's formula runs as
# that AdaGrad (`lr` $=\alpha/\sqrt\rho$, `initial_accumulator_value` $=\varepsilon/\rho$, `eps=0`), next to the real one.

# %%
eta, rho = 0.1, 0.9
contenders = {
    "adagrad": ("adagrad", {"lr": eta}),
    "rmsprop": ("rmsprop", {"lr": eta}),  # torch's default α = 0.99
    "A1's 'RMSprop' formula": ("adagrad", {"lr": eta / np.sqrt(rho), "initial_accumulator_value": 1e-8 / rho, "eps": 0.0}),
}
effective = {}
for label, (rule, hyper) in contenders.items():
    theta, state, history = np.zeros(200), {}, []
    for g in noise_stream:
        before = theta.copy()
        optim.functional.step(rule, theta, g, state, **hyper)
        history.append(np.median(np.abs(theta - before) / np.abs(g)))
    effective[label] = np.array(history)

t = np.arange(1, len(noise_stream) + 1)
late = t > 500  # after RMSprop's average has forgotten its zero start (0.99⁵⁰⁰ < 0.01)
slopes = {label: np.polyfit(np.log(t[late]), np.log(e[late]), 1)[0] for label, e in effective.items()}

fig, ax = plt.subplots(figsize=(7, 4.2))
for label, e in effective.items():
    style = plots.style_for(label) if label in plots.COLORS else {"color": "grey", "linestyle": ":"}
    ax.loglog(t, e, label=f"{label} (late slope {slopes[label]:+.2f})", **style)
ax.loglog(t, eta / np.sqrt(t), color="black", linewidth=0.8, linestyle="--", label="η/√t")
ax.set(title="Effective step size on a stationary problem", xlabel="step t (log scale)",
       ylabel="median |Δθ| / |g| (log scale)")
ax.legend(fontsize="small")
plt.show()

for label, e in effective.items():
    print(f"{label:24s} step 1: {e[0]:.4f}  step 100: {e[99]:.4f}  step 2000: {e[-1]:.5f}  late log-log slope {slopes[label]:+.3f}")

# %% tags=["hide-input"]
a1_rms, a1_slope = effective["A1's 'RMSprop' formula"], slopes["A1's 'RMSprop' formula"]
claim(abs(slopes["adagrad"] + 0.5) < 0.05, f"AdaGrad's effective step decays like 1/√t: slope {slopes['adagrad']:+.3f}")
claim(abs(slopes["rmsprop"]) < 0.05 and abs(effective["rmsprop"][-1] / eta - 1) < 0.1, "RMSprop's levels off "
      f"(slope {slopes['rmsprop']:+.3f}) at η/√E[g²] = η: {effective['rmsprop'][-1]:.4f}")
claim(np.allclose(a1_rms[late], effective["adagrad"][late] / np.sqrt(rho), rtol=1e-3), "A1's 'RMSprop' formula is "
      f"AdaGrad with η/√ρ: slope {a1_slope:+.3f}")

# %% [markdown]
# AdaGrad's effective step follows $\eta/\sqrt{t}$ (slope $-0.50$); RMSprop's settles at $\eta$ after a few hundred
# steps (slope $0.00$); A1's formula lies on AdaGrad's line, shifted up by $1/\sqrt{0.9}$. Note also RMSprop's start:
# its first step has length exactly $\eta/\sqrt{1-\alpha} = 10\eta$ in every coordinate, whatever the gradient. We
# come back to that below.

# %% [markdown]
# ## Where each one fails
#
# ### AdaGrad: a problem that changes
#
# AdaGrad's shrinking step is an asset on a fixed problem — a decaying step averages the noise away and removes
# the noise floor of [3.1](01_gd_sgd_minibatch.ipynb) — and a liability when the problem changes, which in deep
# learning it always does (the loss surface seen by a layer changes as the other layers learn). A tracking experiment: 50 coordinates, noisy gradients $g = \theta - c + \xi$,
# $\xi\sim\mathcal N(0,1)$; the target $c$ jumps from 0 to 3 after 3,000 steps. How many steps does each method need
# to come back within 0.5 of the target?

# %%
n_coords, jump_at, total = 50, 3000, 3600
tracking_noise = rng.standard_normal((total, n_coords))
trackers = {"adagrad": {"lr": 0.5}, "rmsprop": {"lr": 0.05}, "adadelta": {}}
distance = {}
for rule, hyper in trackers.items():
    theta, state, d = np.zeros(n_coords), {}, []
    for step_t in range(total):
        target = 0.0 if step_t < jump_at else 3.0
        optim.functional.step(rule, theta, theta - target + tracking_noise[step_t], state, **hyper)
        d.append(np.mean(np.abs(theta - target)))
    distance[rule] = np.array(d)

recovery = {rule: int(np.argmax(d[jump_at:] < 0.5)) if np.any(d[jump_at:] < 0.5) else None for rule, d in distance.items()}
fig, ax = plt.subplots(figsize=(7, 4))
for rule, d in distance.items():
    ax.semilogy(np.arange(jump_at - 200, total), d[jump_at - 200:], label=rule, **plots.style_for(rule))
ax.axvline(jump_at, color="grey", linestyle=":", label="target jumps 0 → 3")
ax.set(title="Tracking a target that moves", xlabel="step t", ylabel="mean |θ − c| (log scale)")
ax.legend()
plt.show()
for rule, d in distance.items():
    print(f"{rule:9s} error just before the jump {d[jump_at - 1]:.3f};  steps to get back within 0.5: {recovery[rule]}")
claim(distance["adagrad"][jump_at - 1] < distance["rmsprop"][jump_at - 1], "before the jump AdaGrad is more precise")
claim(recovery["adagrad"] > 3 * recovery["rmsprop"], f"after the jump AdaGrad needs {recovery['adagrad']} steps to "
      f"follow, RMSprop {recovery['rmsprop']}")
claim(recovery["adadelta"] is None, "Adadelta has not recovered at all in 600 steps")

# %% [markdown]
# Before the jump AdaGrad, with its tiny step, sits closer to the target than RMSprop; after the jump it needs
# several times longer to follow. A learning rate that has decayed to $\eta/\sqrt{3000}$ cannot react.
#
# ### RMSprop: a large first step
#
# RMSprop's average starts at $v_0 = 0$, so $v_1 = (1-\alpha)g_1^2$ and the first step is
# $\eta\, g_1/\sqrt{(1-\alpha)g_1^2} = \eta/\sqrt{1-\alpha}$ — ten times $\eta$ for $\alpha = 0.99$. Adam
# ([3.5](05_adam_family.ipynb)) divides the average by $1-\alpha^t$ (bias correction); with $\beta_1 = 0$, Adam **is**
# RMSprop plus that correction. So the ratio of their steps is exactly $1/\sqrt{1-\alpha^t}$ (up to ε), which we check
# on the same gradient stream.

# %%
alpha = 0.99
theta_rms, theta_adam, s_rms, s_adam, ratios = np.zeros(200), np.zeros(200), {}, {}, []
for g in noise_stream[:300]:
    before_rms, before_adam = theta_rms.copy(), theta_adam.copy()
    optim.functional.step("rmsprop", theta_rms, g, s_rms, lr=0.01, alpha=alpha, eps=0.0)
    optim.functional.step("adam", theta_adam, g, s_adam, lr=0.01, betas=(0.0, alpha), eps=0.0)
    ratios.append(np.median((theta_rms - before_rms) / (theta_adam - before_adam)))
ratios = np.array(ratios)
predicted = 1 / np.sqrt(1 - alpha ** np.arange(1, 301))
print(f"RMSprop's step / Adam's (β₁ = 0): step 1 {ratios[0]:.3f}, step 10 {ratios[9]:.3f}, step 300 {ratios[-1]:.3f}")
claim(np.isclose(ratios[0], 10.0), "RMSprop's first step is 1/√(1−α) = 10 times the bias-corrected one")
claim(np.allclose(ratios, predicted, rtol=1e-9), "the ratio is exactly 1/√(1 − αᵗ) at all 300 steps: bias correction "
      "is all that differs")

# %% [markdown]
# ### Adadelta: ε is the learning rate in disguise
#
# Zeiler's argument for Adadelta is about **units**. If $\theta$ is measured in some unit, $g = \partial L/\partial\theta$
# has units of loss per unit of θ. SGD's step $\eta g$ has the right units only if $\eta$ carries units of
# θ²/loss; AdaGrad's and RMSprop's $g/\sqrt{v}$ is unit-free, so their $\eta$ must carry the units of θ. Adadelta's
# $\sqrt{u}/\sqrt{v}\cdot g$ has the units of $\sqrt{u}$ — of past steps, of θ — so no learning rate is needed.
#
# The catch is the start: $u_0 = 0$, so the numerator is $\sqrt{\varepsilon}$, and the first step is
# $\sqrt{\varepsilon}/\sqrt{(1-\rho)g^2 + \varepsilon}\cdot g \approx \sqrt{\varepsilon/(1-\rho)}$, about $3.2\times 10^{-3}$
# for torch's defaults ε = 1e-6, ρ = 0.9, **whatever the size of $g$**. From there the steps grow only as fast as
# the running average of past steps lets them, and on a stationary stream they settle at a level proportional to
# $\sqrt{\varepsilon}$: ε, in units of θ², sets the step size. That is why Adadelta barely moved in the tracking
# experiment.

# %%
first_adadelta = {}
for size in [1e-2, 1.0, 1e2]:
    theta = np.zeros(1)
    optim.functional.step("adadelta", theta, np.array([size]), {})
    first_adadelta[size] = -theta[0]
claim(all(abs(v / np.sqrt(1e-6 / 0.1) - 1) < 0.06 for v in first_adadelta.values()), "Adadelta's first step for "
      f"|g| = 0.01, 1, 100: {', '.join(f'{v:.5f}' for v in first_adadelta.values())} ≈ √(ε/(1−ρ)) = "
      f"{np.sqrt(1e-6 / 0.1):.5f} for any g")

settled = {}
for eps_value in [1e-8, 1e-6, 1e-4]:
    theta, state, history = np.zeros(200), {}, []
    for g in noise_stream:
        before = theta.copy()
        optim.functional.step("adadelta", theta, g, state, eps=eps_value)
        history.append(np.median(np.abs(theta - before) / np.abs(g)))
    settled[eps_value] = np.mean(history[-200:])
for eps_value, level in settled.items():
    print(f"ε = {eps_value:.0e}: Adadelta's settled effective step {level:.2e} = {level / np.sqrt(eps_value):.2f}·√ε")
claim(np.allclose([v / np.sqrt(k) for k, v in settled.items()], settled[1e-6] / 1e-3, rtol=0.05),
      "the settled step is proportional to √ε")

# %% [markdown]
# A hundredfold larger ε gives a tenfold larger step, on the same problem. The units argument is sound, but it
# moves the learning rate into ε (and torch adds an `lr` factor on top anyway). In practice Adadelta is rarely
# used today; RMSprop, and Adam, which adds momentum and bias correction to it, are.

# %% [markdown]
# ## The three on the ellipse
#
# The same ill-conditioned ellipse as in [3.3](03_momentum_nesterov.ipynb), 100 steps each from $(-5, -2.5)$, with
# SGD for reference. AdaGrad (η = 1) and RMSprop (η = 0.03) move both coordinates at the same pace at first, so
# they head diagonally instead of straight down the steep wall, and then along the valley. (For $t \ll 1/(1-\alpha)$
# RMSprop's average is $v_t \approx (1-\alpha)G_t$, so early on RMSprop *is* AdaGrad with $\eta/\sqrt{1-\alpha}$: with
# η = 0.1 its first steps would lie on top of AdaGrad's — the last line checks it.) (On this noiseless
# problem the gradients shrink as AdaGrad converges, so its sum stops growing and its decay does no harm.)
# Adadelta, with torch's defaults, has covered a tenth of the way.

# %%
ellipse = problems.ELLIPSE
start = np.array([-5.0, -2.5])
routes = {
    "sgd": problems.run(ellipse, "sgd", start, 100, lr=0.4),
    "adagrad": problems.run(ellipse, "adagrad", start, 100, lr=1.0),
    "rmsprop": problems.run(ellipse, "rmsprop", start, 100, lr=0.03),
    "adadelta": problems.run(ellipse, "adadelta", start, 100),
}
plots.contour_with_trajectories(ellipse, routes, title="Ellipse (κ = 20): 100 steps each")
plt.show()
moved = {name: np.linalg.norm(path[-1] - start) for name, path in routes.items()}
early_rmsprop = problems.run(ellipse, "rmsprop", start, 5, lr=0.1)
claim(moved["adadelta"] < 0.2 * moved["sgd"], "distance travelled from the start: "
      + ", ".join(f"{k} {v:.2f}" for k, v in moved.items()) + " — Adadelta with its default ε has barely moved")
claim(max(np.linalg.norm(routes[name][-1]) for name in ["adagrad", "rmsprop"]) < 1, "AdaGrad and RMSprop end "
      "within 1 of the minimum")
claim(np.allclose(early_rmsprop, routes["adagrad"][:6], rtol=0.02), "the first 5 steps of RMSprop (η = 0.1) lie on "
      "AdaGrad's (η = 1 = 0.1/√(1−α)) within 2 %")

# %% [markdown]
# All three are *diagonal* rescalings of the gradient: each divides coordinate $i$ by its own running size. On
# this ellipse, whose axes are the coordinate axes, that is nearly ideal; rotate the valley and a diagonal scaling
# can no longer straighten it. [3.6](06_preconditioning.ipynb) treats these methods as **preconditioners** — what
# an ideal one would do, and what a diagonal one can and cannot fix.
#
# ## What we learned
#
# - AdaGrad, RMSprop and Adadelta give every coordinate its own step, from its own gradient history — all
#   operations elementwise. AdaGrad's accumulator is the sum of **squared** gradients; RMSprop's is an
#   exponential **average** of them (a decay rate times the sum, as A1 writes it, is AdaGrad again).
# - On a stationary problem AdaGrad's effective step falls like $\eta/\sqrt t$ (measured slope $-0.50$), RMSprop's
#   settles at $\eta/\sqrt{\mathbb E[g^2]}$. AdaGrad's decay buys precision and costs adaptability: after a change
#   of target it was several times slower to follow.
# - RMSprop has no bias correction: its first step is $1/\sqrt{1-\alpha} = 10$ times its later size. Adam with
#   $\beta_1 = 0$ is RMSprop with that correction, exactly.
# - Adadelta's step has the units of θ, but it starts at $\sqrt{\varepsilon/(1-\rho)}$ and settles at a level
#   $\propto\sqrt\varepsilon$: ε is its learning rate.
# - Where ε sits (inside or outside the root) matters only for gradients of size about $\sqrt\varepsilon$ or
#   $\varepsilon$ — tiny, vanishing gradients ([3.12](12_conventions.ipynb) lists each library's choice).
# - Next: [3.5 Adam and its family](05_adam_family.ipynb), then [3.6 preconditioning](06_preconditioning.ipynb).

# %% [markdown]
# # 3.12 Conventions: ours, the papers, d2l and CS231n
#
# Part 3 ends where a reader moving between sources gets stuck: read three sources on momentum or Adam and you
# find three different formulas. Often they are the same algorithm written differently — the learning rate inside
# or outside a buffer, an average instead of a sum. Sometimes they are genuinely different algorithms that only
# *look* alike, and they behave differently in exactly the situations this course is about: tiny gradients,
# changing learning rates, the first few steps. **When do the conventions differ in what they compute?**
#
# **This course follows PyTorch** (`torch.optim`): its argument names (`lr`, `momentum`, `betas`, `eps`,
# `weight_decay`), its defaults, and its formulas; `gradcourse.optim.Adam` and friends are drop-in replacements for
# `torch.optim.Adam` and friends. The table says how the original papers and two well-known courses, Stanford's
# CS231n notes and the *Dive into Deep Learning* book (d2l), write each rule; the cells below run the rows where
# the difference changes the numbers.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch

from gradcourse import optim, plots, problems
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## The table
#
# Symbols as in the [notation table](../00_preface/01_how_to_use.ipynb): $\theta$ parameters, $g_t$ gradient, $\eta$ learning
# rate, $\beta$ SGD's momentum coefficient, $m$ and $v$ first and second moments, $t$ the step counter,
# $\lambda_{\mathrm{wd}}$ weight decay.
#
# | Rule | PyTorch — **this course** | Papers | CS231n notes | d2l | When they differ |
# |---|---|---|---|---|---|
# | learning-rate symbol | `lr` ($\eta$) | $\alpha$ (Adam), $\varepsilon$ (Sutskever et al.), $\eta$ | `learning_rate` | $\eta$ | never: a name |
# | momentum symbol | `momentum` ($\beta$) | $\mu$ (Polyak, Sutskever et al.) | `mu` | $\beta$ | never: a name (this course keeps $\mu$ for the smallest curvature) |
# | SGD momentum | $b_t = \beta b_{t-1} + (1-\tau) g_t$ (with $b_1 = g_1$; dampening $\tau = 0$ by default), $\theta_t = \theta_{t-1} - \eta\, b_t$ | {cite:t}`polyak1964some`: $\theta_{t+1} = \theta_t - \eta g_t + \beta(\theta_t - \theta_{t-1})$; {cite:t}`sutskever2013importance`: $v_t = \beta v_{t-1} - \eta g_t$, $\theta_t = \theta_{t-1} + v_t$ | `v = mu * v - learning_rate * dx; x += v` (Sutskever's form) | $v_t = \beta v_{t-1} + g_t$, $x_t = x_{t-1} - \eta v_t$ (torch's form) | all agree while $\eta$ is constant ($v = -\eta b$). When $\eta$ changes, torch applies the new $\eta$ to the whole buffer at once, Sutskever's form keeps the old $\eta$ inside $v$ for about $1/(1-\beta)$ steps: [3.3](03_momentum_nesterov.ipynb) |
# | momentum as an average (A2; Andrew Ng's course) | — | — | — | — | $v_t = \beta v_{t-1} + (1-\beta) g_t$, $\theta_t = \theta_{t-1} - \alpha v_t$ equals torch's form with $\eta = \alpha(1-\beta)$ — *not* torch's `dampening=β`, which skips the $(1-\beta)$ on the first step (cell below) |
# | Nesterov momentum | $b_t = \beta b_{t-1} + g_t$, $\theta_t = \theta_{t-1} - \eta\,(g_t + \beta b_t)$ | gradient taken at the look-ahead point $\theta + \beta v$ {cite:p}`sutskever2013importance` | `v_prev = v; v = mu * v - learning_rate * dx; x += -mu * v_prev + (1 + mu) * v` | — | the same iterates up to a change of variable: torch and CS231n store the look-ahead point: [3.3](03_momentum_nesterov.ipynb) |
# | Adam: where ε goes | $\theta_t = \theta_{t-1} - \eta\,\hat m_t/(\sqrt{\hat v_t} + \varepsilon)$, ε **outside** | {cite:t}`kingma2015adam`, Algorithm 1: outside; their "efficient" form $\eta_t = \eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)$, $\theta_t = \theta_{t-1} - \eta_t m_t/(\sqrt{v_t} + \hat\varepsilon)$ — TensorFlow/Keras's `epsilon` is this $\hat\varepsilon$ | outside | outside | with $\hat\varepsilon = \varepsilon$ the efficient form has a larger effective ε in early steps ($\varepsilon/\sqrt{1-\beta_2^t}$, 32× at $t = 1$): [3.5](05_adam_family.ipynb). A3 writes $\eta/\sqrt{v_t + \varepsilon}$ (inside) |
# | AdaGrad, RMSprop: where ε goes | outside: $\eta\, g/(\sqrt{G_t} + \varepsilon)$, $\eta\, g/(\sqrt{v_t} + \varepsilon)$ | {cite:t}`duchi2011adaptive`: $\delta$ added to $\sqrt{G_t}$ (outside); {cite:t}`tieleman2012lecture`: no ε | outside (`np.sqrt(cache) + eps`, since 2016; inside before) | **inside**: $\eta/\sqrt{s_t + \varepsilon}$ | only when $\sqrt{v}$ is near ε, i.e. for tiny gradients: inside, the denominator is at least $\sqrt\varepsilon$ ($10^{-4}$ for ε = $10^{-8}$), outside at least ε (cell below). A1 writes both inside: [3.4](04_adagrad_rmsprop_adadelta.ipynb) |
# | Adadelta: where ε goes | **inside** both roots, $\sqrt{u_{t-1}+\varepsilon}/\sqrt{v_t+\varepsilon}$ | {cite:t}`zeiler2012adadelta`: inside ($\mathrm{RMS}[x] = \sqrt{E[x^2] + \varepsilon}$) | — | inside | they agree; note torch is *not* uniform: inside for Adadelta, outside for the rest |
# | Adam's step counter | $t$ starts at **1** for the first update (`state["step"]` is incremented before the bias correction $1-\beta^t$) | Algorithm 1: $t \leftarrow t + 1$ before the update, so $t = 1$ first | "t is your iteration counter going from 1 to infinity" | $t \ge 1$ | $t = 0$ would divide by $1-\beta^0 = 0$. A3's code uses $\beta^{\text{iterations}}$ (the total number of iterations) at every step; A2 prints 「`\sqrt{1- β^2_2^{t-1}}`」 over 「`\sqrt{1- β^2_1^{t}}`」, i.e. $\sqrt{1-(\beta_2^2)^{t-1}}/\sqrt{1-(\beta_1^2)^{t}}$: [3.5](05_adam_family.ipynb) |
# | first and second moment letters | $m$ (`exp_avg`), $v$ (`exp_avg_sq`) | $m$, $v$ | `m`, `v` | $\mathbf v$ (first!), $\mathbf s$ (second) | never: but d2l's $v$ is the *first* moment, and A2 uses $v$ for a velocity |
# | AMSGrad's maximum | maximum of the **raw** $v$: $v^{\max}_t = \max(v^{\max}_{t-1}, v_t)$, then bias-corrected: $\sqrt{v^{\max}_t/(1-\beta_2^t)} + \varepsilon$ | {cite:t}`reddi2018convergence`, Algorithm 2: $\hat v_t = \max(\hat v_{t-1}, v_t)$ with no bias correction at all | — | — | optax takes the maximum of the bias-corrected $\hat v_t$ instead. The forms differ while $1-\beta_2^t$ is still growing (the first $\sim 1/(1-\beta_2)$ steps): [3.5](05_adam_family.ipynb) |
# | AdamW's decay | $\theta \leftarrow \theta - \eta\lambda_{\mathrm{wd}}\theta$: scaled by `lr` (default $\lambda_{\mathrm{wd}}$ = 0.01) | {cite:t}`loshchilov2019decoupled`, Algorithm 2: $\theta_t = \theta_{t-1} - \eta_t\,(\alpha\,\hat m_t/(\sqrt{\hat v_t}+\varepsilon) + \lambda\theta_{t-1})$, decay scaled only by the schedule multiplier $\eta_t$, not by $\alpha$ | — | — | the same decay needs $\lambda_{\text{torch}} = \lambda_{\text{paper}}/\alpha$ (optax, like torch, multiplies by the learning rate): cell below, [3.5](05_adam_family.ipynb) |
# | `weight_decay` in SGD, Adam | coupled L2: $g \leftarrow g + \lambda_{\mathrm{wd}}\theta$ before the rule | — | L2 in the loss | L2 in the loss | for SGD the same as shrinking $\theta$; for Adam not (that is why AdamW exists): [3.5](05_adam_family.ipynb) |
# | RMSprop's decay rate | `alpha = 0.99` | Tieleman & Hinton's lecture: 0.9 | `decay_rate` in [0.9, 0.99, 0.999] | $\gamma$, no default | a default, not a formula (d2l's examples use γ = 0.9): check it when moving between libraries (Keras: `rho = 0.9`) |
# | loss over a batch | mean over the batch (`reduction="mean"`) | often a sum, or $\tfrac12\|\cdot\|^2$ | mean | mean | a sum over $B$ examples multiplies $g$ — and so the effective $\eta$ — by $B$ |
# | weight layout | `Linear.weight` is (out, in), $y = xW^\top + b$ | $y = Wx + b$ | `W` is (in, out), `x.dot(W)` | (in, out) | only when copying weights or computing fan-in and fan-out |
#
# Two more conventions of this course, not of any library: $t$ counts optimizer **steps** (not epochs), and the
# loss is $\ell$, so that $L$ can be the smoothness constant (torch's documentation writes the loss as $f$ or $L$).

# %% [markdown]
# ## One row proved: two ways to write momentum
#
# Claim: momentum written as an exponential moving average,
#
# $$v_t = \beta v_{t-1} + (1-\beta) g_t, \qquad \theta_t = \theta_{t-1} - \alpha v_t \qquad (v_0 = 0),$$
#
# produces exactly the same iterates as torch's `SGD(lr=α(1−β), momentum=β)`, because unrolling both gives
# $\alpha(1-\beta)\sum_{s\le t}\beta^{t-s}g_s$ for the step. torch's `dampening` argument looks like the way to
# write the average form directly — `momentum=β, dampening=β` computes $b_t = \beta b_{t-1} + (1-\beta)g_t$ —
# but torch starts the buffer at $b_1 = g_1$ rather than at $b_0 = 0$, so its first step is $1/(1-\beta)$ times
# larger and every later iterate differs.
#
# The cell runs all three with the course's SGD rule (`gradcourse.optim.functional.step("sgd", …)`, the rule
# `gradcourse.optim.SGD` runs) on a 2-D quadratic. The average form is the same rule with `dampening=β`
# whose buffer starts at $v_0 = 0$ instead of at $g_1$.

# %%
quad = problems.Quadratic(kappa=10.0, L=1.0)
x0, alpha, beta, steps = np.array([3.0, 2.0]), 0.5, 0.9, 60


def momentum_path(*, lr, dampening, start_buffer_at_zero):
    """GD with momentum β on `quad` through the course's sgd rule; optionally with the buffer starting at 0."""
    theta = x0.copy()
    state = {"momentum_buffer": np.zeros(2)} if start_buffer_at_zero else {}
    path = [theta.copy()]
    for _ in range(steps):
        optim.functional.step("sgd", theta, quad.grad(theta), state, lr=lr, momentum=beta, dampening=dampening)
        path.append(theta.copy())
    return np.array(path)


torch_form = momentum_path(lr=alpha * (1 - beta), dampening=0.0, start_buffer_at_zero=False)
average_form = momentum_path(lr=alpha, dampening=beta, start_buffer_at_zero=True)
torch_dampening = momentum_path(lr=alpha, dampening=beta, start_buffer_at_zero=False)

gap_same = np.abs(torch_form - average_form).max()
gap_dampening = np.abs(torch_dampening - average_form).max()
first_steps = np.linalg.norm(torch_dampening[1] - x0), np.linalg.norm(average_form[1] - x0)
claim(gap_same < 1e-12, f"the average form with α is torch's form with η = α(1−β): max |Δθ| = {gap_same:.1e}")
claim(gap_dampening > 0.1 and np.isclose(first_steps[0], first_steps[1] / (1 - beta)), "torch's dampening=β is not "
      f"the average form: max |Δθ| = {gap_dampening:.2f}; its first step {first_steps[0]:.3f} skips the factor "
      f"(1−β) of the average form's {first_steps[1]:.3f}")

# %%
fig, ax = plt.subplots(figsize=(6.5, 4))
for label, path, style in [("torch form, η = α(1−β)", torch_form, "-"), ("average form, α", average_form, "--"),
                           ("torch, dampening = β", torch_dampening, ":")]:
    ax.semilogy(np.linalg.norm(path, axis=1), linestyle=style, label=label)
ax.set_title(f"Momentum β = {beta} on a quadratic (κ = {quad.kappa:g}): three ways to write it")
ax.set_xlabel("step t")
ax.set_ylabel("distance to the minimum ‖θ_t‖ (log scale)")
ax.legend()
plt.show()

# %% [markdown]
# ## Two rows where the same numbers compute different things
#
# **Where ε sits.** torch (and CS231n today) divide by $\sqrt{v_t} + \varepsilon$; d2l writes RMSprop and AdaGrad
# with $\sqrt{v_t + \varepsilon}$. With the same value of ε the two agree while $\sqrt{v} \gg \sqrt\varepsilon$, and part
# company when the gradient is as small as $\sqrt\varepsilon$ — a vanishing gradient. We run torch's RMSprop
# (`eps=0`, so that we can read its raw average $v_t$, `state["square_avg"]`) on one stream of gradients scaled by
# $10^0, 10^{-2}, \dots, 10^{-8}$, and compute both conventions' step from the same $v_t$: d2l's ε = $10^{-6}$
# inside the root, torch's default ε = $10^{-8}$ outside it.
#
# **AdamW's λ.** torch multiplies the decay by the learning rate, $\theta \leftarrow (1-\eta\lambda_{\mathrm{wd}})\theta$; the
# paper multiplies it only by the schedule's multiplier (1 for a constant schedule). The same number λ = 0.01 at
# η = 1e-3 is therefore a thousand times weaker in torch's convention. A zero gradient isolates the decay.

# %%
stream, lr, eps_d2l = rng.standard_normal((200, 50)), 0.01, 1e-6
scales = 10.0 ** -np.arange(0, 9, 2)
ratio = []  # d2l's step / torch's step, median over coordinates at the last step
for scale in scales:
    theta, state = np.zeros(50), {}
    for g in scale * stream:
        optim.functional.step("rmsprop", theta, g, state, lr=lr, eps=0.0)
    v = state["square_avg"]
    torch_step, d2l_step = lr * g / (np.sqrt(v) + 1e-8), lr * g / np.sqrt(v + eps_d2l)
    ratio.append(np.median(d2l_step / torch_step))
ratio = np.array(ratio)

decay = {}
for convention, weight_decay in [("torch: θ ← (1 − ηλ)θ", 0.01), ("paper: θ ← (1 − λ)θ", 0.01 / 1e-3)]:
    theta, state = np.ones(1), {}
    for _ in range(1000):
        optim.functional.step("adamw", theta, np.zeros(1), state, lr=1e-3, weight_decay=weight_decay)
    decay[convention] = theta[0]

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(11, 3.8))
ax1.semilogx(scales, ratio, "o-")
ax1.axhline(1, color="grey", linewidth=0.8)
ax1.set(title="RMSprop: ε inside (d2l) vs outside (torch)", xlabel="gradient scale (log)",
        ylabel="d2l's step / torch's step")
ax2.bar(list(decay), list(decay.values()), color=[plots.color_for("adamw"), "grey"])
ax2.set(title="AdamW, λ = 0.01, η = 1e-3: θ after 1000 steps", ylabel="θ (started at 1)")
plt.show()

claim(abs(ratio[0] - 1) < 1e-3 and ratio[-1] < 0.01, "ε inside vs outside: d2l's step / torch's = "
      + ", ".join(f"{r:.3g}" for r in ratio) + " for gradient scales 1, 1e-2, …, 1e-8: the same for ordinary "
      "gradients, far smaller for tiny ones")
claim(decay["paper: θ ← (1 − λ)θ"] < 1e-4 < 0.98 < decay["torch: θ ← (1 − ηλ)θ"], "the same λ = 0.01: θ after 1000 "
      + ", ".join(f"{k} {v:.3g}" for k, v in decay.items()) + " — the paper's λ is torch's λ·η")

# %% [markdown]
# ## One more row: the step counter starts at 1
#
# Adam's bias correction divides the moving averages by $1-\beta^t$. With $t = 1$ on the first update,
# $\hat m_1 = g_1$ and $\hat v_1 = g_1^2$, so the first step is $\eta\,g_1/(|g_1| + \varepsilon) \approx \eta$
# in every coordinate, whatever the size of the gradient. The cell reads the counter torch and the course store
# after one step, for gradients of very different sizes.

# %%
for scale in (1e-3, 1.0, 1e3):
    g = scale * np.array([1.0, -2.0, 0.5])
    p = torch.zeros(3, dtype=torch.float64, requires_grad=True)
    p.grad = torch.from_numpy(g.copy())
    reference = torch.optim.Adam([p], lr=0.1)
    reference.step()
    theta, state = np.zeros(3), {}
    optim.functional.step("adam", theta, g, state, lr=0.1)
    claim(np.allclose(np.abs(theta), 0.1, rtol=1e-4) and state["step"] == 1 == reference.state[p]["step"].item(),
          f"|g| ~ {scale:g}: first step {np.round(theta, 6)} ≈ ±η in every coordinate; counter after it: torch "
          f"{reference.state[p]['step'].item():g}, the course {state['step']}")

# %% [markdown]
# ## What we learned
#
# - This course writes every rule as PyTorch does; the table maps the papers', CS231n's and d2l's forms onto
#   it, and points to the chapter that shows when the difference matters.
# - Momentum as a sum (torch, d2l), as a velocity with $\eta$ inside (Sutskever et al., CS231n) and as an
#   average (A2) are the same algorithm at a constant learning rate once $\eta$ is rescaled — the average form
#   with $\alpha$ is torch's with $\eta = \alpha(1-\beta)$ — but torch's `dampening` is not the average form.
# - Conventions differ in what they compute in three situations: **tiny gradients** (where ε sits: d2l's RMSprop
#   step is ten times smaller than torch's at gradients of $10^{-4}$, a thousand times at $10^{-6}$), **changing learning rates**
#   (the velocity form, [3.3](03_momentum_nesterov.ipynb); AdamW's decay, scaled by η in torch and not in the
#   paper) and **the first steps** (bias correction and its counter, AMSGrad's maximum).
# - Adam's counter starts at $t = 1$, which makes its first step about $\eta$ in every coordinate.

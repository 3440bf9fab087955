# %% [markdown]
# # 0.2 Conventions: one algorithm, several ways to write it
#
# Read three sources on momentum or Adam and you will find three different formulas. Often they are the
# same algorithm written differently — the learning rate inside or outside a buffer, an average instead of a
# sum. Sometimes they are genuinely different algorithms that only *look* alike, and they behave differently
# in exactly the situations this course is about: tiny gradients, changing learning rates, the first few
# steps.
#
# **This course follows PyTorch** (`torch.optim`): its argument names (`lr`, `momentum`, `betas`, `eps`,
# `weight_decay`), its defaults, and its formulas. The numbers practitioners run come from it, and
# `gradcourse.optim.Adam` and friends are drop-in replacements for `torch.optim.Adam` and friends. The table
# says how the original papers and two well-known courses, Stanford's CS231n notes and the *Dive into Deep
# Learning* book (d2l), write each rule, and where the algorithms chapters show when the difference matters.

# %% [markdown]
# ## The table
#
# Symbols as in the [notation table](../00_preface/01_how_to_use.ipynb): $\theta$ parameters, $g_t$ gradient, $\eta$ learning
# rate, $\mu$ or $\beta$ momentum, $m$ and $v$ first and second moments, $t$ the step counter.
#
# | Rule | PyTorch — **this course** | Papers | CS231n notes | d2l | When they differ |
# |---|---|---|---|---|---|
# | learning-rate symbol | `lr` ($\eta$) | $\alpha$ (Adam), $\varepsilon$ (Sutskever et al.), $\eta$ | `learning_rate` | $\eta$ | never: a name |
# | SGD momentum | $b_t = \mu b_{t-1} + (1-\tau) g_t$ (with $b_1 = g_1$; dampening $\tau = 0$ by default), $\theta_t = \theta_{t-1} - \eta\, b_t$ | [Polyak (1964)](../06_faq/03_references.ipynb#polyak1964some): $\theta_{t+1} = \theta_t - \eta g_t + \mu(\theta_t - \theta_{t-1})$; [Sutskever et al. (2013)](../06_faq/03_references.ipynb#sutskever2013importance): $v_t = \mu v_{t-1} - \eta g_t$, $\theta_t = \theta_{t-1} + v_t$ | `v = mu * v - learning_rate * dx; x += v` (Sutskever's form) | $v_t = \beta v_{t-1} + g_t$, $x_t = x_{t-1} - \eta v_t$ (torch's form) | all agree while $\eta$ is constant ($v = -\eta b$). When $\eta$ changes, torch applies the new $\eta$ to the whole buffer at once, Sutskever's form keeps the old $\eta$ inside $v$ for about $1/(1-\mu)$ steps: [3.2](../03_algorithms/03_momentum_nesterov.ipynb) |
# | momentum as an average (A2; Andrew Ng's course) | — | — | — | — | $v_t = \beta v_{t-1} + (1-\beta) g_t$, $\theta_t = \theta_{t-1} - \alpha v_t$ equals torch's form with $\eta = \alpha(1-\beta)$ — *not* torch's `dampening=β`, which skips the $(1-\beta)$ on the first step (cell below) |
# | Nesterov momentum | $b_t = \mu b_{t-1} + g_t$, $\theta_t = \theta_{t-1} - \eta\,(g_t + \mu b_t)$ | gradient taken at the look-ahead point $\theta + \mu v$ (Sutskever et al., 2013) | `v_prev = v; v = mu * v - learning_rate * dx; x += -mu * v_prev + (1 + mu) * v` | — | the same iterates up to a change of variable: torch and CS231n store the look-ahead point: [3.2](../03_algorithms/03_momentum_nesterov.ipynb) |
# | Adam: where ε goes | $\theta_t = \theta_{t-1} - \eta\,\hat m_t/(\sqrt{\hat v_t} + \varepsilon)$, ε **outside** | [Kingma & Ba (2015)](../06_faq/03_references.ipynb#kingma2015adam), Algorithm 1: outside; their "efficient" form $\eta_t = \eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)$, $\theta_t = \theta_{t-1} - \eta_t m_t/(\sqrt{v_t} + \hat\varepsilon)$ — TensorFlow/Keras's `epsilon` is this $\hat\varepsilon$ | outside | outside | with $\hat\varepsilon = \varepsilon$ the efficient form has a larger effective ε in early steps ($\varepsilon/\sqrt{1-\beta_2^t}$, 32× at $t = 1$): [3.4](../03_algorithms/05_adam_family.ipynb). A3 writes $\eta/\sqrt{v_t + \varepsilon}$ (inside) |
# | AdaGrad, RMSprop: where ε goes | outside: $\eta\, g/(\sqrt{G_t} + \varepsilon)$, $\eta\, g/(\sqrt{v_t} + \varepsilon)$ | [Duchi et al. (2011)](../06_faq/03_references.ipynb#duchi2011adaptive): $\delta$ added to $\sqrt{G_t}$ (outside); [Tieleman & Hinton (2012)](../06_faq/03_references.ipynb#tieleman2012lecture): no ε | outside (`np.sqrt(cache) + eps`, since 2016; inside before) | **inside**: $\eta/\sqrt{s_t + \varepsilon}$ | only when $\sqrt{v}$ is near ε, i.e. for tiny gradients: inside, the denominator is at least $\sqrt\varepsilon$ ($10^{-4}$ for ε = $10^{-8}$), outside at least ε. A1 writes both inside: [3.3](../03_algorithms/04_adagrad_rmsprop_adadelta.ipynb) |
# | Adadelta: where ε goes | **inside** both roots, $\sqrt{u_{t-1}+\varepsilon}/\sqrt{v_t+\varepsilon}$ | [Zeiler (2012)](../06_faq/03_references.ipynb#zeiler2012adadelta): inside ($\mathrm{RMS}[x] = \sqrt{E[x^2] + \varepsilon}$) | — | inside | they agree; note torch is *not* uniform: inside for Adadelta, outside for the rest |
# | Adam's step counter | $t$ starts at **1** for the first update (`state["step"]` is incremented before the bias correction $1-\beta^t$) | Algorithm 1: $t \leftarrow t + 1$ before the update, so $t = 1$ first | "t is your iteration counter going from 1 to infinity" | $t \ge 1$ | $t = 0$ would divide by $1-\beta^0 = 0$. A3's code uses $\beta^{\text{iterations}}$ (the total number of iterations) at every step; A2 writes $\sqrt{1-\beta_2^{\,t-1}}$ over $\sqrt{1-\beta_1^{\,t}}$: [3.4](../03_algorithms/05_adam_family.ipynb) |
# | first and second moment letters | $m$ (`exp_avg`), $v$ (`exp_avg_sq`) | $m$, $v$ | `m`, `v` | $\mathbf v$ (first!), $\mathbf s$ (second) | never: but d2l's $v$ is the *first* moment, and A2 uses $v$ for a velocity |
# | AMSGrad's maximum | maximum of the **raw** $v$: $v^{\max}_t = \max(v^{\max}_{t-1}, v_t)$, then bias-corrected: $\sqrt{v^{\max}_t/(1-\beta_2^t)} + \varepsilon$ | [Reddi, Kale & Kumar (2018)](../06_faq/03_references.ipynb#reddi2018convergence), Algorithm 2: $\hat v_t = \max(\hat v_{t-1}, v_t)$ with no bias correction at all | — | — | optax takes the maximum of the bias-corrected $\hat v_t$ instead. The forms differ while $1-\beta_2^t$ is still growing (the first $\sim 1/(1-\beta_2)$ steps): [3.4](../03_algorithms/05_adam_family.ipynb) |
# | AdamW's decay | $\theta \leftarrow \theta - \eta\lambda\theta$: scaled by `lr` (default λ = 0.01) | [Loshchilov & Hutter (2019)](../06_faq/03_references.ipynb#loshchilov2019decoupled), Algorithm 2: $\theta_t = \theta_{t-1} - \eta_t\,(\alpha\,\hat m_t/(\sqrt{\hat v_t}+\varepsilon) + \lambda\theta_{t-1})$, decay scaled only by the schedule multiplier $\eta_t$, not by $\alpha$ | — | — | the same decay needs $\lambda_{\text{torch}} = \lambda_{\text{paper}}/\alpha$ (optax, like torch, multiplies by the learning rate): [3.4](../03_algorithms/05_adam_family.ipynb) |
# | `weight_decay` in SGD, Adam | coupled L2: $g \leftarrow g + \lambda\theta$ before the rule | — | L2 in the loss | L2 in the loss | for SGD the same as shrinking $\theta$; for Adam not (that is why AdamW exists): [3.4](../03_algorithms/05_adam_family.ipynb) |
# | RMSprop's decay rate | `alpha = 0.99` | Tieleman & Hinton's lecture: 0.9 | `decay_rate` in [0.9, 0.99, 0.999] | $\gamma$, no default | a default, not a formula (d2l's examples use γ = 0.9): check it when moving between libraries (Keras: `rho = 0.9`) |
# | loss over a batch | mean over the batch (`reduction="mean"`) | often a sum, or $\tfrac12\|\cdot\|^2$ | mean | mean | a sum over $B$ examples multiplies $g$ — and so the effective $\eta$ — by $B$ |
# | weight layout | `Linear.weight` is (out, in), $y = xW^\top + b$ | $y = Wx + b$ | `W` is (in, out), `x.dot(W)` | (in, out) | only when copying weights or computing fan-in and fan-out |
#
# Two more conventions of this course, not of any library: $t$ counts optimizer **steps** (not epochs), and
# $L$ is both the loss and the smoothness constant (the preface's notation table explains why).

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
import matplotlib.pyplot as plt
import numpy as np
import torch

from gradcourse import optim, plots, problems
from gradcourse.optim import functional
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
quad = problems.Quadratic(kappa=10.0, L=1.0)
x0, alpha, beta, steps = np.array([3.0, 2.0]), 0.5, 0.9, 60


def momentum_path(*, lr, dampening, start_buffer_at_zero):
    """GD with momentum β on `quad` through the course's sgd rule; optionally with the buffer starting at 0."""
    theta = x0.copy()
    state = {"momentum_buffer": np.zeros(2)} if start_buffer_at_zero else {}
    path = [theta.copy()]
    for _ in range(steps):
        functional.step("sgd", theta, quad.grad(theta), state, lr=lr, momentum=beta, dampening=dampening)
        path.append(theta.copy())
    return np.array(path)


torch_form = momentum_path(lr=alpha * (1 - beta), dampening=0.0, start_buffer_at_zero=False)
average_form = momentum_path(lr=alpha, dampening=beta, start_buffer_at_zero=True)
torch_dampening = momentum_path(lr=alpha, dampening=beta, start_buffer_at_zero=False)

gap_same = np.abs(torch_form - average_form).max()
gap_dampening = np.abs(torch_dampening - average_form).max()
print(f"torch form with η = α(1−β) vs average form with α: max |Δθ| = {gap_same:.1e}")
print(f"torch's dampening=β (buffer starts at g₁) vs average form: max |Δθ| = {gap_dampening:.2f}, "
      f"first steps {np.linalg.norm(torch_dampening[1] - x0):.3f} vs {np.linalg.norm(average_form[1] - x0):.3f}")
assert gap_same < 1e-12, "the average form with α is torch's form with η = α(1−β)"
assert gap_dampening > 0.1, "torch's dampening is not the average form: its first step skips the factor (1−β)"
assert np.isclose(np.linalg.norm(torch_dampening[1] - x0), np.linalg.norm(average_form[1] - x0) / (1 - beta))

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
# ## One more row: the step counter starts at 1
#
# Adam's bias correction divides the moving averages by $1-\beta^t$. With $t = 1$ on the first update,
# $\hat m_1 = g_1$ and $\hat v_1 = g_1^2$, so the first step is $\eta\,g_1/(|g_1| + \varepsilon) \approx \eta$
# in every coordinate, whatever the size of the gradient. The cell checks this for our Adam and torch's,
# for gradients of very different sizes, and reads the counter each one stores.

# %%
for scale in (1e-3, 1.0, 1e3):
    g = scale * np.array([1.0, -2.0, 0.5])
    theta, state = np.zeros(3), {}
    functional.step("adam", theta, g, state, lr=0.1)
    p = torch.zeros(3, dtype=torch.float64, requires_grad=True)  # the same step with torch.optim.Adam …
    p.grad = torch.from_numpy(g.copy())
    reference = torch.optim.Adam([p], lr=0.1)
    reference.step()
    q = torch.zeros(3, dtype=torch.float64, requires_grad=True)  # … and with the course's drop-in replacement
    q.grad = torch.from_numpy(g.copy())
    ours = optim.Adam([q], lr=0.1)
    ours.step()
    print(f"|g| ~ {scale:g}: first step {np.round(theta, 6)}; counter after it: functional {state['step']}, "
          f"torch {reference.state[p]['step'].item():g}, gradcourse.optim.Adam {ours.state[q]['step'].item():g}")
    assert np.allclose(np.abs(theta), 0.1, rtol=1e-4), "Adam's first step is ≈ lr in every coordinate"
    assert np.allclose(theta, p.detach().numpy(), rtol=1e-12) and np.allclose(theta, q.detach().numpy(), rtol=1e-12)
    assert state["step"] == 1 and reference.state[p]["step"].item() == 1, "t = 1 after the first update"

# %% [markdown]
# ## What we learned
#
# - This course writes every rule as PyTorch does; the table maps the papers', CS231n's and d2l's forms onto
#   it, and points to the chapter that shows when the difference matters.
# - Momentum as a sum (torch, d2l), as a velocity with $\eta$ inside (Sutskever et al., CS231n) and as an
#   average (A2) are the same algorithm at a constant learning rate once $\eta$ is rescaled — the average form
#   with $\alpha$ is torch's with $\eta = \alpha(1-\beta)$, checked to $10^{-12}$ — but torch's `dampening` is
#   not the average form.
# - Where ε sits, whether AMSGrad takes its maximum before or after bias correction, and whether AdamW's decay
#   is multiplied by the learning rate are genuine differences; they show up for tiny gradients, early steps
#   and learning-rate schedules.
# - Adam's counter starts at $t = 1$, which makes its first step about $\eta$ in every coordinate.

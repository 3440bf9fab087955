# %% [markdown]
# # 3.4 Adam and its family
#
# Adam combines the two ideas of the previous sections: a running average of the gradient (momentum,
# [3.2](03_momentum_nesterov.ipynb)) divided by a running root-mean-square of the gradient (RMSprop,
# [3.3](04_adagrad_rmsprop_adadelta.ipynb)), both corrected for starting at zero. It is the default optimizer of
# deep learning, and three of the five source documents print its formula — each differently, none correctly.
# This section states Kingma & Ba's algorithm, measures what each ingredient does (bias correction, the bound on
# the step, the reaction to a gradient spike), and then the family: AMSGrad and the counterexample that
# motivated it, AdamW, NAdam and RAdam.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch

import gradcourse.optim
from gradcourse import clip, data, plots
from gradcourse.optim import building_blocks
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Kingma & Ba's Algorithm 1
#
# [Kingma & Ba (2015)](../06_faq/03_references.ipynb#kingma2015adam), with $m_0 = v_0 = 0$ and $t = 1, 2, \dots$
# (all operations elementwise):
#
# $$\begin{aligned}
# m_t &= \beta_1 m_{t-1} + (1-\beta_1)\, g_t & &\text{(first moment: momentum as an average)}\\
# v_t &= \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2 & &\text{(second moment: RMSprop's average)}\\
# \hat m_t &= m_t / (1-\beta_1^t), \quad \hat v_t = v_t / (1-\beta_2^t) & &\text{(bias correction)}\\
# \theta_t &= \theta_{t-1} - \eta\, \hat m_t / (\sqrt{\hat v_t} + \varepsilon)
# \end{aligned}$$
#
# with defaults $\eta = 10^{-3}$, $\beta_1 = 0.9$, $\beta_2 = 0.999$, $\varepsilon = 10^{-8}$ — ε outside the square
# root, as in torch. This is the `adam` rule of `gradcourse.optim.functional`; `gradcourse.optim.Adam` runs it.
#
# > **The documents say** (A1 §3.2): 「**Adam**：Adam是一种结合了动态学习率调整和梯度裁剪的优化算法……
# > $\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{v_t} + \epsilon} m_t$」 — "Adam is an optimizer that combines dynamic
# > learning-rate adjustment and gradient clipping …", with no bias correction.
# >
# > (A3 §3.3): 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{v_t + \epsilon}} m_t$」 — no bias correction, and ε
# > inside the root.
# >
# > (A2 §2): 「`\\hat{x}_t = \\hat{x}_{t-1}- α * \\frac{\sqrt{1- β^2_2^{t-1}}}{\sqrt{1- β^2_1^{t}}} \frac{m_t}{\sqrt{v_t}+ϵ}`」
# > — a correction factor $\sqrt{1-\beta_2^{t-1}}/\sqrt{1-\beta_1^{t}}$.
# >
# > **What is true:** the update uses the bias-corrected $\hat m_t/(\sqrt{\hat v_t}+\varepsilon)$. Written with the
# > raw moments it is $\eta_t\, m_t/(\sqrt{v_t} + \hat\varepsilon)$ with $\eta_t = \eta\sqrt{1-\beta_2^{t}}/(1-\beta_1^{t})$ —
# > exponent $t$ on $\beta_2$, no root over $1-\beta_1^t$. Without the correction (A1, A3) the first step is
# > $(1-\beta_1)/\sqrt{1-\beta_2} \approx 3.16$ times too large; with A2's factor it is zero. And Adam does not clip
# > gradients (below). The cells that follow measure each of these.

# %% [markdown]
# ## Why bias correction
#
# After one step, $m_1 = (1-\beta_1)g_1$ and $v_1 = (1-\beta_2)g_1^2$: both averages are pulled towards their zero
# start. Without correction the first step is
#
# $$\eta\,\frac{m_1}{\sqrt{v_1}} = \eta\,\frac{(1-\beta_1)\,|g_1|}{\sqrt{1-\beta_2}\,|g_1|} = \eta\,\frac{0.1}{0.0316} \approx 3.16\,\eta ,$$
#
# **larger** than the corrected step $\eta\,\hat m_1/\sqrt{\hat v_1} = \eta\, g_1/|g_1| = \pm\eta$: the second moment
# is pulled down more (by $1-\beta_2 = 0.001$ inside a root) than the first (by $1-\beta_1 = 0.1$). After $t$ steps
# the uncorrected step is $(1-\beta_1^t)/\sqrt{1-\beta_2^t}$ times the corrected one.
#
# We run the library's Adam on a stream of noisy gradients and, at every step, also evaluate A1's update on the
# same raw moments $m_t, v_t$ (the library keeps them in `state["exp_avg"]` and `state["exp_avg_sq"]`, torch's
# names).

# %%
stream = 0.5 + rng.standard_normal((3000, 100))  # 3000 steps of a noisy gradient, 100 coordinates
lr, (beta1, beta2), eps = 1e-3, (0.9, 0.999), 1e-8
theta, state, ratio = np.zeros(100), {}, []
for g in stream:
    before = theta.copy()
    F.step("adam", theta, g, state, lr=lr)
    a1_step = lr * state["exp_avg"] / (np.sqrt(state["exp_avg_sq"]) + eps)  # A1's formula, on the same m and v
    ratio.append(np.median(a1_step / (before - theta)))
ratio = np.array(ratio)
t = np.arange(1, len(stream) + 1)
factor = building_blocks.bias_correction(beta1, t) / np.sqrt(building_blocks.bias_correction(beta2, t))

fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogx(t, ratio, label="measured: A1's step / Adam's step (median over 100 coordinates)")
ax.semilogx(t, factor, "--", color="black", linewidth=1, label="(1 − β₁ᵗ) / √(1 − β₂ᵗ)")
ax.axhline(1, color="grey", linewidth=0.8)
ax.set(title="Without bias correction, Adam's early steps are up to 6.6× too large", xlabel="step t (log scale)",
       ylabel="uncorrected / corrected step")
ax.legend(fontsize="small")
plt.show()

print(f"step 1: {ratio[0]:.4f} (theory (1−β₁)/√(1−β₂) = {(1 - beta1) / np.sqrt(1 - beta2):.4f});  largest "
      f"{ratio.max():.2f} at t = {t[ratio.argmax()]};  t = 3000: {ratio[-1]:.3f}")
assert np.isclose(ratio[0], (1 - beta1) / np.sqrt(1 - beta2), rtol=1e-6), "A1's first step is 3.16× Adam's"
assert np.allclose(ratio, factor, rtol=1e-5), "uncorrected / corrected = (1 − β₁ᵗ)/√(1 − β₂ᵗ) at every step"
assert 6.5 < ratio.max() < 6.7 and 8 <= t[ratio.argmax()] <= 16, "the excess peaks near 6.6× around t ≈ 12"

# %% [markdown]
# The excess does not stop at the first step: it *grows* to 6.6× around step 12, because $1-\beta_1^t$ recovers in
# about 10 steps while $1-\beta_2^t$ needs about 1,000, and it is still 1.26× at step 1,000. Early training is exactly
# when the loss surface is steepest and least known; bias correction keeps those steps at size about η.
#
# ### The "efficient" form, and its ε
#
# Kingma & Ba note that the last three lines can be computed as
# $\theta_t = \theta_{t-1} - \eta_t\, m_t/(\sqrt{v_t} + \hat\varepsilon)$ with $\eta_t = \eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)$:
# the bias correction becomes a learning-rate schedule. This is exact only if $\hat\varepsilon = \varepsilon\sqrt{1-\beta_2^t}$;
# with the same number ($\hat\varepsilon = \varepsilon$, as TensorFlow/Keras do) it equals Adam with a *larger*
# effective ε, $\varepsilon/\sqrt{1-\beta_2^t}$ — 32 times larger at $t = 1$. We run that form with the library's Adam
# fed this ε at every step, and compare with standard Adam for gradients of size 1 and of size $10^{-8}$.

# %%
def efficient_form_gap(scale: float, steps: int = 300) -> float:
    """Largest ‖Δθ_efficient − Δθ_Adam‖ / ‖Δθ_Adam‖ over the steps: Kingma & Ba's efficient form with ε̂ = ε."""
    standard, efficient, s_std, s_eff, gaps = np.zeros(100), np.zeros(100), {}, {}, []
    for t_step, g in enumerate(scale * stream[:steps], start=1):
        b_std, b_eff = standard.copy(), efficient.copy()
        F.step("adam", standard, g, s_std, lr=lr, eps=eps)
        F.step("adam", efficient, g, s_eff, lr=lr, eps=eps / np.sqrt(building_blocks.bias_correction(beta2, t_step)))
        step_std, step_eff = standard - b_std, efficient - b_eff
        gaps.append(np.linalg.norm(step_eff - step_std) / np.linalg.norm(step_std))
    return max(gaps)


gap_normal, gap_tiny = efficient_form_gap(1.0), efficient_form_gap(1e-8)
print(f"efficient form vs Adam, max relative step difference: |g| ~ 1: {gap_normal:.1e};  |g| ~ 1e-8: {gap_tiny:.2f}")
assert gap_normal < 1e-4, "for ordinary gradients the two forms agree to better than 1e-4"
assert gap_tiny > 0.5, "for gradients of size ε they differ by a large factor"

# %% [markdown]
# So the forms are interchangeable unless gradients are as small as ε — in a network with vanishing gradients, they
# can be.
#
# ### The documents' other two versions
#
# A2's factor $\sqrt{1-\beta_2^{t-1}}/\sqrt{1-\beta_1^{t}}$ against the true $\sqrt{1-\beta_2^{t}}/(1-\beta_1^{t})$, and A3's ε
# inside the root (without correction), evaluated on the library's moments after the first step for gradients of
# different sizes:

# %%
steps_t = np.array([1, 2, 10, 100, 1000])
true_factor = np.sqrt(building_blocks.bias_correction(beta2, steps_t)) / building_blocks.bias_correction(beta1, steps_t)
a2_factor = np.sqrt(building_blocks.bias_correction(beta2, steps_t - 1)) / np.sqrt(building_blocks.bias_correction(beta1, steps_t))
print(f"{'t':>5s} {'true η_t/η':>11s} {'A2 η_t/η':>10s}")
for row in zip(steps_t, true_factor, a2_factor, strict=True):
    print(f"{row[0]:5d} {row[1]:11.4f} {row[2]:10.4f}")
assert a2_factor[0] == 0.0, "A2's factor is 0 at t = 1: its Adam never takes a first step"
assert np.all(a2_factor[1:3] < 0.8 * true_factor[1:3]), "it is more than 20 % too small at t = 2 and t = 10 ..."
assert abs(a2_factor[-1] / true_factor[-1] - 1) < 1e-3, "... and agrees only after hundreds of steps"

print(f"\n{'|g|':>6s} {'Adam':>8s} {'A3 (no correction, ε in √)':>28s}   (first step / η)")
a3_first = {}
for size in [1.0, 1e-4, 1e-6]:
    theta, state = np.zeros(1), {}
    F.step("adam", theta, np.array([size]), state, lr=lr)
    a3_first[size] = (lr * state["exp_avg"] / np.sqrt(state["exp_avg_sq"] + eps))[0] / lr
    print(f"{size:6.0e} {-theta[0] / lr:8.4f} {a3_first[size]:28.4f}")
assert np.isclose(a3_first[1.0], 3.1623, rtol=1e-4), "A3's first step is 3.16 η for ordinary gradients ..."
assert a3_first[1e-6] < 0.02, "... and almost nothing for gradients below √ε = 1e-4, where Adam still takes η"

# %% [markdown]
# Read literally, A2's Adam does not move at step 1 (its factor contains $1-\beta_2^0 = 0$) and takes steps 69 % too
# small at $t = 2$ and 23 % too small at $t = 10$; from a few hundred steps on the two factors agree, so the error is
# confined to exactly the early phase that bias correction exists for. A3's ε inside the root acts like an ε of
# $\sqrt{10^{-8}} = 10^{-4}$ outside it: gradients below $10^{-4}$ get almost no step, and without correction the
# ordinary ones get 3.16 η.

# %% [markdown]
# ## How large is an Adam step?
#
# Kingma & Ba argue that the step $|\Delta\theta_t| = \eta\,|\hat m_t|/\sqrt{\hat v_t}$ is "approximately bounded" by
# $\eta$: for a stationary gradient $|\mathbb{E}[g]|/\sqrt{\mathbb{E}[g^2]} \le 1$. The exception they name is a gradient
# that is zero for a long time and then not: then $\hat m_t/\sqrt{\hat v_t} \to (1-\beta_1)/\sqrt{1-\beta_2} = 3.16$.
# We measure the largest step, in units of η, on 1,000 steps of several gradient streams — and add one they do not
# discuss, a gradient that grows by 11 % per step, like an exploding gradient.

# %%
T, n = 1000, 200
streams = {
    "N(0, 1) noise": rng.standard_normal((T, n)),
    "N(1, 1): a trend plus noise": 1 + rng.standard_normal((T, n)),
    "heavy-tailed (Student t, 2 d.o.f.)": rng.standard_t(2, (T, n)),
    "sparse: 0 except 1 % of the time": (rng.random((T, n)) < 0.01) * 10 * rng.standard_normal((T, n)),
    "exploding: g_t = 1.11ᵗ": np.outer(1.11 ** np.arange(T), np.ones(2)),
}
largest, typical = {}, {}
for name, gradients in streams.items():
    theta, state, sizes = np.zeros(gradients.shape[1]), {}, []
    for g in gradients:
        before = theta.copy()
        F.step("adam", theta, g, state, lr=1.0)  # η = 1: the step is measured in units of η
        sizes.append(np.abs(theta - before))
    sizes = np.array(sizes)
    largest[name], typical[name] = sizes.max(), np.median(sizes[sizes > 0])
print(f"{'gradient stream':36s} {'largest |Δθ|/η':>15s} {'median':>8s}")
for name in streams:
    print(f"{name:36s} {largest[name]:15.2f} {typical[name]:8.2f}")

bound = (1 - beta1) / np.sqrt(1 - beta2)
assert largest["N(0, 1) noise"] < 1.05, "pure noise: steps stay within η"
assert all(largest[name] < bound for name in list(streams)[:4]), "stationary streams stay below 3.16 η"
assert largest["exploding: g_t = 1.11ᵗ"] > 1.5 * bound, "a geometrically growing gradient exceeds the 'bound'"
print(f"... while SGD's step on the exploding stream would be η·1.11^999 = {1.11 ** 999:.1e} η")

# %% [markdown]
# Pure noise stays within η, with typical steps far below it; a trend plus noise goes a little beyond (1.4η);
# sparse and heavy-tailed gradients push towards $3.16\,\eta$. A steadily exploding gradient goes further (5.8η here
# after 1,000 steps): by Cauchy–Schwarz the limit as $t \to \infty$ is
# $\frac{1-\beta_1}{\sqrt{1-\beta_2}}\big/\sqrt{1-\beta_1^2/\beta_2} \approx 7.3\,\eta$ — still bounded,
# where SGD's step grows with the gradient. That boundedness is the honest sense in which "Adam helps with exploding
# gradients". It is not clipping, as the next experiment shows.

# %% [markdown]
# ## Adam does not clip
#
# A1 calls Adam "dynamic learning rates plus gradient clipping". Clipping ([3.6](08_clipping.ipynb)) rescales a
# gradient *before* the optimizer sees it, and forgets it afterwards. Adam keeps every gradient in its averages.
# The experiment: $f(\theta) = \tfrac12\lVert\theta - \theta^*\rVert^2$ in 100 dimensions, noisy gradients, and at step
# 1,000 one **spike** — a gradient of norm $10^3$ in a random direction. We run Adam and SGD (η = 0.01), each raw and
# with the gradient clipped to norm 10 by `gradcourse.clip.clip_by_global_norm`.

# %%
n_dim, total, spike_at = 100, 3000, 1000
target = rng.standard_normal(n_dim)
spike_noise = 0.5 * rng.standard_normal((total, n_dim))
spike = rng.standard_normal(n_dim)
spike *= 1e3 / np.linalg.norm(spike)

runs = {}
for rule in ["adam", "sgd"]:
    for clipped in [False, True]:
        theta, state, losses, steps = np.zeros(n_dim), {}, [], []
        for step_t in range(total):
            g = theta - target + spike_noise[step_t] + (spike if step_t == spike_at else 0.0)
            if clipped:
                (g,), _ = clip.clip_by_global_norm([g], max_norm=10.0)
            before = theta.copy()
            F.step(rule, theta, g, state, lr=0.01)
            steps.append(theta - before)
            losses.append(0.5 * np.sum((theta - target) ** 2))
        runs[f"{rule} + clip" if clipped else rule] = {"loss": np.array(losses), "step": np.array(steps)}

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
window = np.arange(spike_at - 100, spike_at + 1500)
for label, run in runs.items():
    style = plots.style_for(label.split()[0])
    if "clip" in label:
        style["linestyle"] = ":"
    ax1.semilogy(window, run["loss"][window], label=label, **style)
    ax2.semilogy(window, np.linalg.norm(run["step"][window], axis=1), label=label, **style)
for ax in (ax1, ax2):
    ax.axvline(spike_at, color="grey", linewidth=0.8)
ax1.set(title="One gradient spike at step 1000", xlabel="step", ylabel="loss ½‖θ − θ*‖² (log)")
ax2.set(title="Step length", xlabel="step", ylabel="‖Δθ‖ (log)")
ax1.legend()
plt.show()

adam, adam_clip, sgd = runs["adam"], runs["adam + clip"], runs["sgd"]
at_spike = np.abs(adam["step"][spike_at]).max() / 0.01
before_spike = np.linalg.norm(adam["step"][spike_at - 500:spike_at], axis=1).mean()
after_spike = np.linalg.norm(adam["step"][spike_at + 30:spike_at + 1000], axis=1).mean()
after_spike_clip = np.linalg.norm(adam_clip["step"][spike_at + 30:spike_at + 1000], axis=1).mean()
worst = {label: run["loss"][spike_at:spike_at + 100].max() / run["loss"][spike_at - 1] for label, run in runs.items()}
print(f"Adam's largest coordinate step at the spike: {at_spike:.2f} η (bound (1−β₁)/√(1−β₂) = {bound:.2f} η);"
      f" SGD's step: {np.linalg.norm(sgd['step'][spike_at]):.1f} (= η·‖g‖)")
print("worst loss in the 100 steps after the spike, relative to just before:",
      ", ".join(f"{k} {v:.1f}×" for k, v in worst.items()))
print(f"Adam's mean step length, 30–1000 steps after the spike: {after_spike / before_spike:.2f} of its length before"
      f" (with clipping: {after_spike_clip / before_spike:.2f})")
assert at_spike < bound, "Adam's step at the spike is bounded by about η(1−β₁)/√(1−β₂) per coordinate ..."
assert worst["adam"] > 10, "... but it is not clipping: the spike still throws Adam far off (momentum carries it)"
assert after_spike < 0.6 * before_spike, "and the spike inflates v: Adam's steps stay short for ~1/(1−β₂) steps"
assert worst["adam + clip"] < 1.5 and worst["sgd + clip"] < 1.5, "clipping the gradient removes the spike's effect"
assert abs(after_spike_clip / before_spike - 1) < 0.1, "with clipping Adam's steps are unaffected"

# %% [markdown]
# Three effects, none of them clipping. At the spike Adam's step *is* bounded — about 2.5η per coordinate, where
# SGD jumps by η·10³. But (1) the spike enters $m$, which keeps pushing in the spike's direction for the next ~20
# steps, each about η or more in every coordinate: the loss rises 15-fold; and (2) it enters $v$, which decays by
# only $\beta_2 = 0.999$ per step, so for about a thousand steps Adam divides by an inflated $\sqrt{\hat v}$ and moves at
# half speed, slowing the recovery. Clipping the gradient before Adam removes both. Adam and clipping compose;
# one does not replace the other.
#
# ### And vanishing gradients?
#
# A1 also says Adam's averaging 「从而减少梯度消失问题」 ("thereby reduces the vanishing-gradient problem"). There is
# a true core: Adam's step does not depend on the gradient's scale, so a layer whose gradient is $10^{-4}$ times
# smaller still moves by about η. Until the gradient reaches ε: below it, ε dominates the denominator and the step
# shrinks with the gradient again. And rescaling cannot restore information the gradient no longer carries
# ([3.1](01_gd_sgd_minibatch.ipynb) showed how little survives in a deep sigmoid network).

# %%
def adam_path(scale: float) -> np.ndarray:
    theta, state, path = np.zeros(100), {}, []
    for g in scale * stream[:200]:
        F.step("adam", theta, g, state, lr=lr)
        path.append(theta.copy())
    return np.array(path)


reference = adam_path(1.0)
relative = {scale: np.abs(adam_path(scale)).mean() / np.abs(reference).mean() for scale in [1e-4, 1e-8, 1e-10]}
print("Adam's total movement with gradients scaled down, relative to scale 1:",
      ", ".join(f"×{s:.0e}: {r:.3f}" for s, r in relative.items()))
assert abs(relative[1e-4] - 1) < 1e-3, "a 10⁴-fold smaller gradient moves Adam just as far"
assert relative[1e-10] < 0.05, "but gradients far below ε = 1e-8 are damped by ε"

# %% [markdown]
# ## AMSGrad, and the problem on which Adam fails
#
# [Reddi, Kale & Kumar (2018)](../06_faq/03_references.ipynb#reddi2018convergence) constructed a one-dimensional
# online problem on which Adam provably converges to the *worst* point. On $x \in [-1, 1]$ the loss at step $t$ is
#
# $$f_t(x) = \begin{cases} C x & t \bmod 3 = 1 \\ -x & \text{otherwise}\end{cases}, \qquad C > 2 .$$
#
# Every three steps the total is $(C-2)x$, so the best point is $x = -1$. The large gradient $C$ comes once in three
# steps; Adam's second moment, with a short memory, has forgotten it by the time the two small gradients $-1$ push
# the other way, and each small gradient gets a relatively large step. **AMSGrad** divides by the running
# *maximum* $\hat v_t = \max(\hat v_{t-1}, v_t)$ instead, so a large gradient is never forgotten (torch:
# `Adam(amsgrad=True)`, the maximum of the raw $v$, bias-corrected afterwards).
#
# The paper's setting: $C = 3$, $\beta_1 = 0$, $\beta_2 = 1/(1+C^2) = 0.1$, step size $\eta_t = \eta/\sqrt{t}$, projection
# onto $[-1, 1]$ after every step (`gradcourse.data.reddi_online`). We use $\eta = 0.5$ and torch's Adam (the paper
# analyses Adam without bias correction; with $\beta_2 = 0.1$ the correction $1/(1-0.1^t)$ is 1 after a few steps).
# (A1's reference list cites this paper as "Reddi, S., Roberts, J., & Abdol-maleki, A. … arXiv:1811.01432"; its
# authors are Reddi, Kale and Kumar, arXiv:1904.09237.)

# %%
problem = data.reddi_online(C=3.0)
online_steps = 3000
iterates = {}
for label, amsgrad in [("adam", False), ("amsgrad", True)]:
    x, state, xs = np.array([0.0]), {}, []
    for step_t in range(1, online_steps + 1):
        F.step("adam", x, problem.grad(x, step_t), state, lr=0.5 / np.sqrt(step_t), betas=(0.0, 1 / (1 + 3.0**2)),
               amsgrad=amsgrad)
        x[:] = problem.project(x)
        xs.append(x[0])
    iterates[label] = np.array(xs)

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 3.8))
for label, xs in iterates.items():
    ax1.plot(np.arange(1, online_steps + 1), xs, label=label, **plots.style_for(label))
    average_regret = [problem.regret(xs[:k]) / k for k in range(30, online_steps + 1, 30)]
    ax2.plot(np.arange(30, online_steps + 1, 30), average_regret, label=label, **plots.style_for(label))
ax1.axhline(-1, color="gold", linewidth=2, label="optimum x* = −1")
ax1.set(title="Reddi et al.'s online problem (C = 3)", xlabel="step t", ylabel="iterate x_t")
ax2.set(title="Average regret R_T / T", xlabel="T", ylabel="R_T / T")
ax1.legend()
ax2.legend()
plt.show()

final_regret = {label: problem.regret(xs) / online_steps for label, xs in iterates.items()}
print(f"final x: Adam {iterates['adam'][-1]:+.3f}, AMSGrad {iterates['amsgrad'][-1]:+.3f};  average regret R_T/T:"
      f" Adam {final_regret['adam']:.3f}, AMSGrad {final_regret['amsgrad']:.3f}")
assert iterates["adam"][-1] > 0.99, "Adam drifts to x = +1, the worst point"
assert iterates["amsgrad"][-1] < -0.9, "AMSGrad reaches the optimum x = -1"
assert final_regret["adam"] > 0.5 > 0.05 > final_regret["amsgrad"], "Adam's average regret does not vanish"

# %% [markdown]
# Adam settles at $x = +1$, where the average loss per step is $+(C-2)/3 = +1/3$ instead of the optimum's $-1/3$,
# so its average regret stays near $2(C-2)/3 = 0.67$; AMSGrad's goes to zero. In practice AMSGrad rarely beats Adam on deep
# networks, but the example is a clean lesson on what a short memory of $g^2$ can do.

# %% [markdown]
# ## AdamW: weight decay that is not divided by $\sqrt{\hat v}$
#
# Weight decay can be added to the loss as an L2 term, $g \leftarrow g + \lambda\theta$ (torch's `Adam(weight_decay=λ)`).
# In SGD that is the same as shrinking the weights, $\theta \leftarrow \theta - \eta\lambda\theta$. In Adam it is not:
# the term $\lambda\theta$ passes through $\hat m/\sqrt{\hat v}$ and is divided by the gradient's RMS, so weights with
# large gradients are hardly decayed at all. [Loshchilov & Hutter (2019)](../06_faq/03_references.ipynb#loshchilov2019decoupled)
# decouple the two: **AdamW** applies $\theta \leftarrow (1-\eta\lambda)\theta$ directly and the Adam step on the loss's
# gradient alone. The extreme case shows the difference most clearly: a loss whose gradient is zero, so that only
# the decay acts.

# %%
decay_paths = {}
for name, rule in [("Adam + L2", "adam"), ("AdamW", "adamw")]:
    for lam in [0.1, 0.01]:
        theta, state, path = np.array([1.0]), {}, [1.0]
        for _ in range(100):
            F.step(rule, theta, np.zeros(1), state, lr=0.01, weight_decay=lam)
            path.append(theta[0])
        decay_paths[(name, lam)] = np.array(path)
for key, path in decay_paths.items():
    print(f"{key[0]:9s} λ = {key[1]:<5}: θ after 1, 10, 100 steps = {path[1]:.4f}, {path[10]:.4f}, {path[100]:.4f}")
assert np.allclose(decay_paths[("Adam + L2", 0.1)], decay_paths[("Adam + L2", 0.01)], rtol=1e-4), \
    "with Adam, the L2 term is normalised away: its strength λ no longer matters"
for lam in [0.1, 0.01]:
    assert np.allclose(decay_paths[("AdamW", lam)], (1 - 0.01 * lam) ** np.arange(101)), "AdamW: θ_t = (1 − ηλ)ᵗ θ₀"

# %% [markdown]
# With Adam + L2, λ = 0.1 and λ = 0.01 give *identical* paths: the decay's size has been divided away, and θ shrinks
# by about η per step whatever λ is. AdamW shrinks θ by exactly $(1-\eta\lambda)$ per step. On a real problem the two
# end at different weights: logistic regression on the digits, full batch, 500 steps, η = 0.01, the same λ = 0.01.

# %%
split = data.digits(as_tensors=True)
Xt, yt = split.X_train.double(), split.y_train
final_weights = {}
for name, cls in [("Adam + L2", gradcourse.optim.Adam), ("AdamW", gradcourse.optim.AdamW)]:
    torch.manual_seed(0)
    model = torch.nn.Linear(64, 10, dtype=torch.float64)
    opt = cls(model.parameters(), lr=0.01, weight_decay=0.01)
    for _ in range(500):
        opt.zero_grad()
        loss = torch.nn.functional.cross_entropy(model(Xt), yt)
        loss.backward()
        opt.step()
    final_weights[name] = model.weight.detach().clone()
    print(f"{name:9s} training loss {loss.item():.3f}   ‖W‖ = {final_weights[name].norm():.2f}   "
          f"max |W_ij| = {final_weights[name].abs().max():.2f}")
gap = (final_weights["Adam + L2"] - final_weights["AdamW"]).abs().max().item()
print(f"max |W_Adam+L2 − W_AdamW| = {gap:.2f}")
assert gap > 0.5, "Adam + L2 and AdamW end at clearly different weights"
assert final_weights["AdamW"].norm() > 2 * final_weights["Adam + L2"].norm(), "... of very different size"

# %% [markdown]
# The same λ means different things in the two methods, which is why AdamW's λ is tuned separately (torch's default
# is 0.01 for AdamW, 0 for Adam). Which one generalizes better depends on the problem; the point here is only that
# they are different algorithms.

# %% [markdown]
# ## NAdam and RAdam, briefly
#
# **NAdam** ([Dozat, 2016](../06_faq/03_references.ipynb#dozat2016incorporating)) puts Nesterov's look-ahead into
# Adam's first moment: the step combines the current gradient and the momentum that will be applied *next*,
#
# $$\theta_t = \theta_{t-1} - \eta\left[\frac{1-\mu_t}{1-\Pi_t}\,g_t + \frac{\mu_{t+1}}{1-\Pi_t\mu_{t+1}}\,m_t\right]\Big/\left(\sqrt{\hat v_t}+\varepsilon\right),$$
#
# with a slowly warming momentum schedule $\mu_t = \beta_1(1 - \tfrac12\, 0.96^{t\psi})$ (torch's `momentum_decay`
# ψ = 0.004) and $\Pi_t = \mu_1\cdots\mu_t$. It is the `nadam` rule; the torch comparison below includes it.
#
# **RAdam** ([Liu et al., 2020](../06_faq/03_references.ipynb#liu2020variance)) starts from the observation that in
# the first steps $\hat v_t$ is an average of very few gradients, so $1/\sqrt{\hat v_t}$ is a wildly varying step size.
# It estimates the effective length of the average, $\rho_t = \rho_\infty - 2t\beta_2^t/(1-\beta_2^t)$ with
# $\rho_\infty = 2/(1-\beta_2) - 1$, and
#
# - while $\rho_t \le 5$ (the first 5 steps for $\beta_2 = 0.999$) it takes **no adaptive step at all**: $\theta \leftarrow
#   \theta - \eta\,\hat m_t$, SGD with (bias-corrected, averaged) momentum — the step scales with the gradient;
# - afterwards it takes Adam's step times a rectification factor
#   $r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}$, which starts near 0 and
#   grows towards 1: a built-in warm-up.
#
# We check both regimes by measurement: feed RAdam the same gradients and 100 times larger ones, and compare RAdam's
# steps with Adam's.

# %%
scale_ratio, radam_over_adam = [], []
r_small, r_large, a_small = np.zeros(100), np.zeros(100), np.zeros(100)
s_small, s_large, s_adam = {}, {}, {}
for g in stream[:1000]:
    b_small, b_large, b_adam = r_small.copy(), r_large.copy(), a_small.copy()
    F.step("radam", r_small, g, s_small, lr=lr)
    F.step("radam", r_large, 100 * g, s_large, lr=lr)
    F.step("adam", a_small, g, s_adam, lr=lr)
    scale_ratio.append(np.median((r_large - b_large) / (r_small - b_small)))
    radam_over_adam.append(np.median((r_small - b_small) / (a_small - b_adam)))
scale_ratio, radam_over_adam = np.array(scale_ratio), np.array(radam_over_adam)

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.semilogx(np.arange(6, 1001), radam_over_adam[5:], **plots.style_for("radam"), label="RAdam's step / Adam's step")
ax.set(title="RAdam's rectification: a built-in warm-up", xlabel="step t (log scale)", ylabel="r_t (measured)")
ax.legend()
plt.show()
print("steps 1–8, RAdam's step with 100× gradients / with 1× gradients:", np.round(scale_ratio[:8], 3))
print(f"RAdam / Adam at t = 6: {radam_over_adam[5]:.3f}, t = 100: {radam_over_adam[99]:.3f}, t = 1000: {radam_over_adam[-1]:.3f}")
assert np.allclose(scale_ratio[:5], 100), "steps 1–5: RAdam's step scales with the gradient (SGD with momentum)"
assert np.allclose(scale_ratio[5:], 1, rtol=1e-4), "from step 6 on it is adaptive: invariant to the gradient's scale"
assert radam_over_adam[5] < 0.05 and np.all(np.diff(radam_over_adam[5:]) > 0), "r_t starts near 0 and grows"
assert 0.5 < radam_over_adam[-1] < 1, "after 1000 steps RAdam still takes only part of Adam's step"

# %% [markdown]
# The measured ratio is the rectification factor $r_t$: 0.03 at step 6, 0.2 at step 100, still 0.65 at step 1,000.
# RAdam's argument is that this replaces the learning-rate warm-up that Adam usually needs
# ([schedules](07_schedules.ipynb)). **LARS** and **LAMB**, which give every *layer* its own step size for very
# large batches, are in [part 5](../05_trends/01_large_batch.ipynb); Lion and other recent optimizers in
# [newer optimizers](../05_trends/05_newer_optimizers.ipynb).

# %% [markdown]
# ## Ours against torch's
#
# Logistic regression on the digits in float64, mini-batches of 32, 100 steps of `gradcourse.optim.X` and
# `torch.optim.X` in each setting.

# %%
from gradcourse.optim.parity import max_difference_from_torch

cases = {
    "Adam": ("Adam", {"lr": 1e-2}),
    "Adam amsgrad=True": ("Adam", {"lr": 1e-2, "amsgrad": True}),
    "Adam weight_decay=1e-2 (L2)": ("Adam", {"lr": 1e-2, "weight_decay": 1e-2}),
    "AdamW weight_decay=1e-2": ("AdamW", {"lr": 1e-2, "weight_decay": 1e-2}),
    "NAdam": ("NAdam", {"lr": 1e-2}),
    "NAdam decoupled_weight_decay=True": ("NAdam", {"lr": 1e-2, "weight_decay": 1e-2, "decoupled_weight_decay": True}),
    "RAdam": ("RAdam", {"lr": 1e-2}),
    "RAdam decoupled_weight_decay=True": ("RAdam", {"lr": 1e-2, "weight_decay": 1e-2, "decoupled_weight_decay": True}),
}
print(f"{'setting':36s} max |θ_ours − θ_torch| after 100 steps")
for name, (optimizer_name, hyper) in cases.items():
    diff = max_difference_from_torch(optimizer_name, hyper, Xt, yt)
    print(f"{name:36s} {diff:.1e}")
    assert diff < 1e-10, f"{name}: ours and torch's agree to rounding error"

# %% [markdown]
# ## What we learned
#
# - Adam = momentum as an average ($m$) ÷ RMSprop's root-mean-square ($\sqrt{v}$), both bias-corrected, ε outside the
#   root. Without the correction (A1, A3) the first step is $(1-\beta_1)/\sqrt{1-\beta_2} = 3.16$ times too large,
#   and the excess peaks at 6.6× around step 12; A2's mangled factor makes the first step zero.
# - The correction is a learning-rate schedule $\eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)$; computing it that way changes
#   the meaning of ε, which matters only for gradients of size about ε.
# - For stationary gradients Adam's step stays within about η (3.16η for sparse ones); an exploding gradient can push
#   it to ~6–7η — bounded, unlike SGD, but not clipped: one spike threw Adam's loss up 15-fold and slowed it for
#   ~1/(1−β₂) steps. Clipping before Adam removes that. Adam's scale invariance helps small gradients only down to ε.
# - On Reddi et al.'s problem Adam goes to the worst point $x = +1$ and AMSGrad to the optimum $x = -1$.
# - Adam + L2 divides the decay by $\sqrt{\hat v}$ (its λ can even drop out entirely); AdamW decays by exactly
#   $(1-\eta\lambda)$ per step, and the two end at different weights.
# - RAdam takes plain momentum steps for 5 steps, then Adam's steps scaled by a warm-up factor $r_t$.
# - Practise: exercises 3.3 (Adam with bias correction), 3.4 (the bugs in A3's Adam code) and 3.8 (Adam and a
#   gradient spike) in [exercises/student/03_algorithms](../../exercises/student/03_algorithms.ipynb).

# %% [markdown]
# # 3.5 Adam and its family
#
# Adam combines the two ideas of the previous sections: a running average of the gradient (momentum,
# [3.3](03_momentum_nesterov.ipynb)) divided by a running root-mean-square of the gradient (RMSprop,
# [3.4](04_adagrad_rmsprop_adadelta.ipynb)), both corrected for starting at zero. It is the default optimizer of
# deep learning. How large are its steps, what does each ingredient do, and where does it fail? This section
# states Kingma & Ba's algorithm, measures each ingredient (bias correction, the bound on the step, the reaction
# to a gradient spike), and then the family: AMSGrad and the counterexample that motivated it, AdamW, NAdam and
# RAdam.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import clip, data, optim, plots
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

rng = seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## Kingma & Ba's Algorithm 1
#
# {cite:t}`kingma2015adam`, with $m_0 = v_0 = 0$ and $t = 1, 2, \dots$ (all operations elementwise):
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
# ```{admonition} Common misconception
# :class: warning
# 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{v_t} + \epsilon} m_t$」 (A1 §3.2; A3 §3.3 puts ε inside the root): Adam without bias correction; or A2 §2's factor 「`\frac{\sqrt{1- β^2_2^{t-1}}}{\sqrt{1- β^2_1^{t}}}`」, as printed $\sqrt{1-(\beta_2^2)^{t-1}}/\sqrt{1-(\beta_1^2)^{t}}$.
# **In fact** the step is $\eta\,\hat m_t/(\sqrt{\hat v_t}+\varepsilon)$: without the correction the first step is 3.16 times too large, and A2's factor makes it zero
# (claims [14](../06_faq/02_claims_checked.ipynb#claim-14), [55](../06_faq/02_claims_checked.ipynb#claim-55) and [49](../06_faq/02_claims_checked.ipynb#claim-49) in 6.2).
# ```

# %% [markdown]
# ## Why bias correction
#
# After one step, $m_1 = (1-\beta_1)g_1$ and $v_1 = (1-\beta_2)g_1^2$: both averages are pulled towards their zero
# start. Without correction the first step is
#
# $$\eta\,\frac{m_1}{\sqrt{v_1}} = \eta\,\frac{(1-\beta_1)\,|g_1|}{\sqrt{1-\beta_2}\,|g_1|} = \eta\,\frac{0.1}{0.0316} \approx 3.16\,\eta ,$$
#
# **larger** than the corrected step $\eta\,\hat m_1/\sqrt{\hat v_1} = \pm\eta$: the second moment is pulled down more
# (by $1-\beta_2$, inside a root) than the first (by $1-\beta_1$). After $t$ steps the uncorrected step is
# $(1-\beta_1^t)/\sqrt{1-\beta_2^t}$ times the corrected one. We run the library's Adam on noisy gradients and at every
# step also evaluate the uncorrected update on the same raw moments (`state["exp_avg"]`, `state["exp_avg_sq"]`).

# %%
stream = 0.5 + rng.standard_normal((3000, 100))  # 3000 steps of a noisy gradient, 100 coordinates
lr, (beta1, beta2), eps = 1e-3, (0.9, 0.999), 1e-8
theta, state, ratio = np.zeros(100), {}, []
for g in stream:
    before = theta.copy()
    optim.functional.step("adam", theta, g, state, lr=lr)
    uncorrected = lr * state["exp_avg"] / (np.sqrt(state["exp_avg_sq"]) + eps)  # A1's formula, on the same m and v
    ratio.append(np.median(uncorrected / (before - theta)))
ratio = np.array(ratio)
t = np.arange(1, len(stream) + 1)
factor = (1 - beta1**t) / np.sqrt(1 - beta2**t)

fig, ax = plt.subplots(figsize=(7, 4))
ax.semilogx(t, ratio, label="measured: uncorrected step / Adam's step (median over 100 coordinates)")
ax.semilogx(t, factor, "--", color="black", linewidth=1, label="(1 − β₁ᵗ) / √(1 − β₂ᵗ)")
ax.axhline(1, color="grey", linewidth=0.8)
ax.set(title="Without bias correction, Adam's early steps are up to 6.6× too large", xlabel="step t (log scale)",
       ylabel="uncorrected / corrected step")
ax.legend(fontsize="small")
plt.show()

print(f"step 1: {ratio[0]:.4f} (theory (1−β₁)/√(1−β₂) = {(1 - beta1) / np.sqrt(1 - beta2):.4f});  largest "
      f"{ratio.max():.2f} at t = {t[ratio.argmax()]};  t = 1000: {ratio[999]:.3f};  t = 3000: {ratio[-1]:.3f}")
claim(np.isclose(ratio[0], (1 - beta1) / np.sqrt(1 - beta2), rtol=1e-6) and np.allclose(ratio, factor, rtol=1e-5),
      "uncorrected / corrected step = (1 − β₁ᵗ)/√(1 − β₂ᵗ) at every one of the 3000 steps")
claim(6.5 < ratio.max() < 6.7 and 8 <= t[ratio.argmax()] <= 16, f"the excess peaks at {ratio.max():.2f}× at "
      f"t = {t[ratio.argmax()]}")

# %% [markdown]
# The excess *grows* after the first step, because $1-\beta_1^t$ recovers in about 10 steps while $1-\beta_2^t$ needs
# about 1,000. Early training is exactly when the loss surface is steepest and least known; bias correction keeps
# those steps at size about η.
#
# ### The "efficient" form, and its ε
#
# Kingma & Ba compute the last three lines as $\theta_t = \theta_{t-1} - \eta_t\, m_t/(\sqrt{v_t} + \hat\varepsilon)$ with
# $\eta_t = \eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)$: the bias correction becomes a learning-rate schedule. This is exact
# only if $\hat\varepsilon = \varepsilon\sqrt{1-\beta_2^t}$; with $\hat\varepsilon = \varepsilon$ (TensorFlow/Keras) it is
# Adam with a *larger* effective ε, $\varepsilon/\sqrt{1-\beta_2^t}$. We run that form (the library's Adam fed this ε)
# against standard Adam for gradients of size 1 and of size $10^{-8}$.

# %%
def efficient_form_gap(scale: float, steps: int = 300) -> float:
    """Largest ‖Δθ_efficient − Δθ_Adam‖ / ‖Δθ_Adam‖ over the steps: Kingma & Ba's efficient form with ε̂ = ε."""
    standard, efficient, s_std, s_eff, gaps = np.zeros(100), np.zeros(100), {}, {}, []
    for t_step, g in enumerate(scale * stream[:steps], start=1):
        b_std, b_eff = standard.copy(), efficient.copy()
        optim.functional.step("adam", standard, g, s_std, lr=lr, eps=eps)
        optim.functional.step("adam", efficient, g, s_eff, lr=lr, eps=eps / np.sqrt(1 - beta2**t_step))
        step_std, step_eff = standard - b_std, efficient - b_eff
        gaps.append(np.linalg.norm(step_eff - step_std) / np.linalg.norm(step_std))
    return max(gaps)


gap_normal, gap_tiny = efficient_form_gap(1.0), efficient_form_gap(1e-8)
claim(gap_normal < 1e-4 < 0.5 < gap_tiny, "efficient form vs Adam, largest relative step difference: "
      f"{gap_normal:.1e} for |g| ~ 1, {gap_tiny:.2f} for |g| ~ 1e-8")

# %% [markdown]
# So the forms are interchangeable unless gradients are as small as ε — with vanishing gradients, they can be.
#
# ### The documents' other two versions
#
# A2's factor, read exactly as printed — $\beta_2^2$ and $\beta_1^2$ raised to the powers $t-1$ and $t$ —
# against the true $\sqrt{1-\beta_2^{t}}/(1-\beta_1^{t})$ over the first 3,000 steps; and A3's ε inside the root
# (without correction), evaluated on the library's moments after the first step for gradients of different sizes:

# %%
steps_t = np.arange(1, 3001)
true_factor = np.sqrt(1 - beta2**steps_t) / (1 - beta1**steps_t)
a2_factor = np.sqrt(1 - (beta2**2) ** (steps_t - 1)) / np.sqrt(1 - (beta1**2) ** steps_t)  # A2 as printed
a2_ratio = a2_factor / true_factor
print(f"{'t':>5s} {'true η_t/η':>11s} {'A2 η_t/η':>10s} {'A2 / true':>10s}")
for t_show in [1, 2, 10, 20, int(np.argmax(a2_ratio)) + 1, 1000, 3000]:
    print(f"{t_show:5d} {true_factor[t_show - 1]:11.4f} {a2_factor[t_show - 1]:10.4f} {a2_ratio[t_show - 1]:10.3f}")

adam_first, a3_first = {}, {}
for size in [1.0, 1e-4, 1e-6]:
    theta, state = np.zeros(1), {}
    optim.functional.step("adam", theta, np.array([size]), state, lr=lr)
    adam_first[size] = -theta[0] / lr
    a3_first[size] = (lr * state["exp_avg"] / np.sqrt(state["exp_avg_sq"] + eps))[0] / lr
print("first step / η for |g| = 1, 1e-4, 1e-6: Adam " + ", ".join(f"{v:.4f}" for v in adam_first.values())
      + ";  A3 (no correction, ε in √) " + ", ".join(f"{v:.4f}" for v in a3_first.values()))

# %% tags=["hide-input"]
claim(a2_factor[0] == 0.0, "A2's factor is 0 at t = 1: its Adam never takes a first step")
claim(a2_ratio[1] < 0.35 and a2_ratio[9] < 0.95, f"its steps are {1 - a2_ratio[1]:.0%} too small at t = 2 and "
      f"{1 - a2_ratio[9]:.0%} too small at t = 10 ...")
claim(a2_ratio.max() > 1.3 and a2_ratio[999] > 1.1, f"... then too LARGE, by up to {a2_ratio.max() - 1:.0%} at "
      f"t = {np.argmax(a2_ratio) + 1} and still {a2_ratio[999] - 1:.0%} at t = 1000")
claim(np.isclose(a3_first[1.0], (1 - beta1) / np.sqrt(1 - beta2), rtol=1e-4) and a3_first[1e-6] < 0.02 < 0.99 < adam_first[1e-6],
      f"A3's first step is {a3_first[1.0]:.2f} η for |g| = 1 and {a3_first[1e-6]:.4f} η for |g| = 1e-6, where Adam's is "
      f"{adam_first[1e-6]:.4f} η")

# %% [markdown]
# Read as printed, A2's Adam does not move at step 1 (its factor contains $1-\beta_2^{0} = 0$), takes steps far
# too small in the first few steps, and then, because $1-\beta_2^{2t} \approx 2(1-\beta_2^{t})$ while $\beta_2^t$ is
# near 1, steps about $\sqrt2$ times too large for hundreds of steps. The two factors agree only after a few
# thousand steps: the error covers exactly the early phase that bias correction exists for. A3's ε inside the
# root acts like an ε of $\sqrt{10^{-8}} = 10^{-4}$ outside it: gradients below $10^{-4}$ get almost no step, and
# without correction the ordinary ones get 3.16 η.

# %% [markdown]
# ## How large is an Adam step?
#
# Kingma & Ba argue that the step $\eta\,|\hat m_t|/\sqrt{\hat v_t}$ is "approximately bounded" by $\eta$, since
# $|\mathbb{E}[g]|/\sqrt{\mathbb{E}[g^2]} \le 1$; the exception they name, a gradient that is zero for a long time and
# then not, gives $(1-\beta_1)/\sqrt{1-\beta_2} = 3.16$. We measure the largest step, in units of η, on 1,000 steps of
# several gradient streams — and one they do not discuss, a gradient growing 11 % per step, like an exploding one.

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
        optim.functional.step("adam", theta, g, state, lr=1.0)  # η = 1: the step is measured in units of η
        sizes.append(np.abs(theta - before))
    sizes = np.array(sizes)
    largest[name], typical[name] = sizes.max(), np.median(sizes[sizes > 0])
print(f"{'gradient stream':36s} {'largest |Δθ|/η':>15s} {'median':>8s}")
for name in streams:
    print(f"{name:36s} {largest[name]:15.2f} {typical[name]:8.2f}")

bound = (1 - beta1) / np.sqrt(1 - beta2)
limit = bound / np.sqrt(1 - beta1**2 / beta2)
print(f"SGD's step on the exploding stream would be η·1.11^999 = {1.11 ** 999:.1e} η; Adam's limit: {limit:.2f} η")
claim(largest["N(0, 1) noise"] < 1.05, f"pure noise: steps stay within η (largest {largest['N(0, 1) noise']:.2f} η)")
claim(all(largest[name] < bound for name in list(streams)[:4]), f"all four stationary streams stay below {bound:.2f} η")
claim(1.5 * bound < largest["exploding: g_t = 1.11ᵗ"] < limit, "a geometrically growing gradient exceeds the "
      f"'bound': {largest['exploding: g_t = 1.11ᵗ']:.2f} η, below the limit {limit:.2f} η")

# %% [markdown]
# Pure noise stays within η, with typical steps far below it; a trend plus noise goes a little beyond (1.4η);
# sparse and heavy-tailed gradients push towards $3.16\,\eta$. A steadily exploding gradient goes further (5.8η here
# after 1,000 steps): by Cauchy–Schwarz the limit as $t \to \infty$ is
# $\frac{1-\beta_1}{\sqrt{1-\beta_2}}\big/\sqrt{1-\beta_1^2/\beta_2}$ (printed above) — still bounded,
# where SGD's step grows with the gradient. That boundedness is the honest sense in which "Adam helps with exploding
# gradients". It is not clipping, as the next experiment shows.

# %% [markdown]
# ## Adam does not clip
#
# ```{admonition} Common misconception
# :class: warning
# 「Adam是一种结合了动态学习率调整和梯度裁剪的优化算法」 (A1 §3.2: "Adam combines dynamic learning-rate adjustment and
# gradient clipping"). **In fact** Adam does not clip: a spike enters its averages and stays there for about
# $1/(1-\beta_2)$ steps, as measured below ([claim 12 in 6.2](../06_faq/02_claims_checked.ipynb#claim-12)).
# ```
#
# Clipping ([3.8](08_clipping.ipynb)) rescales a gradient *before* the optimizer sees it, and forgets it afterwards.
# Adam keeps every gradient in its averages.
# The experiment: $\ell(\theta) = \tfrac12\lVert\theta - \theta^*\rVert^2$ in 100 dimensions, noisy gradients, and at step
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
            optim.functional.step(rule, theta, g, state, lr=0.01)
            steps.append(theta - before)
            losses.append(0.5 * np.sum((theta - target) ** 2))
        runs[f"{rule} + clip" if clipped else rule] = {"loss": np.array(losses), "step": np.array(steps)}

fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4))
window = np.arange(spike_at - 100, spike_at + 1500)
for label, run in runs.items():
    style = plots.style_for(label.split()[0]) | ({"linestyle": ":"} if "clip" in label else {})
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
print(f"SGD's step at the spike: {np.linalg.norm(sgd['step'][spike_at]):.1f} (= η·‖g‖); worst loss in the 100 steps "
      "after it, relative to just before: " + ", ".join(f"{k} {v:.1f}×" for k, v in worst.items()))
claim(at_spike < bound, f"Adam's step at the spike is bounded: {at_spike:.2f} η per coordinate, below {bound:.2f} η")
claim(worst["adam"] > 10, f"but it is not clipping: the spike throws Adam's loss up {worst['adam']:.1f}×")
claim(after_spike < 0.6 * before_spike, "the spike inflates v: for ~1/(1−β₂) steps Adam moves at "
      f"{after_spike / before_spike:.2f} of its speed")
claim(max(worst["adam + clip"], worst["sgd + clip"]) < 1.5 and abs(after_spike_clip / before_spike - 1) < 0.1,
      "clipping the gradient first removes both effects")

# %% [markdown]
# Three effects, none of them clipping. At the spike Adam's step *is* bounded, where SGD jumps by η·10³. But (1) the
# spike enters $m$, which keeps pushing in its direction for the next $\sim 1/(1-\beta_1)$ steps: the loss jumps; and
# (2) it enters $v$, which decays by only $\beta_2 = 0.999$ per step, so for about a thousand steps Adam divides by an
# inflated $\sqrt{\hat v}$ and moves at reduced speed. Clipping before Adam removes both: they compose.
#
# ### And vanishing gradients?
#
# A1 also says Adam's averaging reduces the vanishing-gradient problem
# ([claim 13](../06_faq/02_claims_checked.ipynb#claim-13)). There is a true core: Adam's step does not depend on the
# gradient's scale, so a layer whose gradient is $10^{-4}$ times smaller still moves by about η. Until the gradient reaches ε: below it, ε dominates the denominator and the step
# shrinks with the gradient again. And rescaling cannot restore information the gradient no longer carries
# ([3.1](01_gd_sgd_minibatch.ipynb) showed how little survives in a deep sigmoid network).

# %%
def adam_path(scale: float) -> np.ndarray:
    theta, state, path = np.zeros(100), {}, []
    for g in scale * stream[:200]:
        optim.functional.step("adam", theta, g, state, lr=lr)
        path.append(theta.copy())
    return np.array(path)


reference = adam_path(1.0)
relative = {scale: np.abs(adam_path(scale)).mean() / np.abs(reference).mean() for scale in [1e-4, 1e-8, 1e-10]}
claim(abs(relative[1e-4] - 1) < 1e-3 and relative[1e-10] < 0.05, "Adam's movement with gradients scaled down, "
      "relative to scale 1: " + ", ".join(f"×{s:.0e}: {r:.3f}" for s, r in relative.items()))

# %% [markdown]
# ## AMSGrad, and the problem on which Adam fails
#
# {cite:t}`reddi2018convergence` constructed a one-dimensional online problem on which Adam provably converges to
# the *worst* point. On $x \in [-1, 1]$ the loss at step $t$ is
#
# $$\ell_t(x) = \begin{cases} C x & t \bmod 3 = 1 \\ -x & \text{otherwise}\end{cases}, \qquad C > 2 .$$
#
# Every three steps the total is $(C-2)x$, so the best point is $x = -1$. Adam's second moment, with a short memory,
# has forgotten the rare large gradient $C$ by the time the two small gradients $-1$ push the other way, and each
# gets a relatively large step. **AMSGrad** divides by the running *maximum* $\hat v_t = \max(\hat v_{t-1}, v_t)$
# instead, so a large gradient is never forgotten (torch: `Adam(amsgrad=True)`, the maximum of the raw $v$).
#
# The paper's setting: $C = 3$, $\beta_1 = 0$, $\beta_2 = 1/(1+C^2) = 0.1$, step size $\eta_t = \eta/\sqrt{t}$, projection
# onto $[-1, 1]$ after every step (`gradcourse.data.reddi_online`). We use $\eta = 0.5$ and torch's Adam (the paper
# analyses Adam without bias correction; with $\beta_2 = 0.1$ the correction $1/(1-0.1^t)$ is 1 after a few steps).

# %%
problem = data.reddi_online(C=3.0)
online_steps = 3000
iterates = {}
for label, amsgrad in [("adam", False), ("amsgrad", True)]:
    x, state, xs = np.array([0.0]), {}, []
    for step_t in range(1, online_steps + 1):
        optim.functional.step("adam", x, problem.grad(x, step_t), state, lr=0.5 / np.sqrt(step_t),
                              betas=(0.0, 1 / (1 + 3.0**2)), amsgrad=amsgrad)
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
claim(iterates["adam"][-1] > 0.99 and final_regret["adam"] > 0.5, f"Adam drifts to x = {iterates['adam'][-1]:+.3f}, "
      f"the worst point; its average regret stays at {final_regret['adam']:.3f}")
claim(iterates["amsgrad"][-1] < -0.9 and final_regret["amsgrad"] < 0.05, "AMSGrad reaches the optimum: x = "
      f"{iterates['amsgrad'][-1]:+.3f}, average regret {final_regret['amsgrad']:.3f}")

# %% [markdown]
# Adam settles at $x = +1$, where the average loss per step is $+(C-2)/3 = +1/3$ instead of the optimum's $-1/3$,
# so its average regret stays near $2(C-2)/3 = 0.67$; AMSGrad's goes to zero. In practice AMSGrad rarely beats Adam
# on deep networks, but the example is a clean lesson on what a short memory of $g^2$ can do.

# %% [markdown]
# ## AdamW: weight decay that is not divided by $\sqrt{\hat v}$
#
# Weight decay can be added to the loss as an L2 term, $g \leftarrow g + \lambda_{\mathrm{wd}}\theta$ (torch's
# `Adam(weight_decay=λ_wd)`). In SGD that is the same as shrinking the weights, $\theta \leftarrow \theta -
# \eta\lambda_{\mathrm{wd}}\theta$. In Adam it is not: the term $\lambda_{\mathrm{wd}}\theta$ passes through
# $\hat m/\sqrt{\hat v}$ and is divided by the gradient's RMS, so weights with large gradients are hardly decayed.
# {cite:t}`loshchilov2019decoupled` decouple the two: **AdamW** applies $\theta \leftarrow (1-\eta\lambda_{\mathrm{wd}})\theta$
# directly and the Adam step on the loss's gradient alone. The extreme case shows it most clearly: a loss whose
# gradient is zero, so that only the decay acts.

# %%
decay_paths = {}
for name, rule in [("Adam + L2", "adam"), ("AdamW", "adamw")]:
    for lam in [0.1, 0.01]:
        theta, state, path = np.array([1.0]), {}, [1.0]
        for _ in range(100):
            optim.functional.step(rule, theta, np.zeros(1), state, lr=0.01, weight_decay=lam)
            path.append(theta[0])
        decay_paths[(name, lam)] = np.array(path)
for key, path in decay_paths.items():
    print(f"{key[0]:9s} λ = {key[1]:<5}: θ after 1, 10, 100 steps = {path[1]:.4f}, {path[10]:.4f}, {path[100]:.4f}")
claim(np.allclose(decay_paths[("Adam + L2", 0.1)], decay_paths[("Adam + L2", 0.01)], rtol=1e-4),
      "with Adam, the L2 term is normalised away: its strength λ_wd no longer matters")
claim(all(np.allclose(decay_paths[("AdamW", lam)], (1 - 0.01 * lam) ** np.arange(101)) for lam in [0.1, 0.01]),
      "AdamW: θ_t = (1 − ηλ_wd)ᵗ θ₀ exactly, for both values")

# %% [markdown]
# With Adam + L2, λ = 0.1 and λ = 0.01 give *identical* paths: the decay's size has been divided away, and θ shrinks
# by about η per step whatever λ is. AdamW shrinks θ by exactly $(1-\eta\lambda_{\mathrm{wd}})$ per step. On a real
# problem the two end at different weights: logistic regression on the digits, full batch, 500 steps, η = 0.01,
# the same λ = 0.01.

# %%
split = data.digits(as_tensors=True)
Xt, yt = split.X_train.double(), split.y_train
final_weights = {}
for name, cls in [("Adam + L2", optim.Adam), ("AdamW", optim.AdamW)]:
    torch.manual_seed(0)
    model = torch.nn.Linear(64, 10, dtype=torch.float64)
    opt = cls(model.parameters(), lr=0.01, weight_decay=0.01)
    for _ in range(500):
        opt.zero_grad()
        loss = F.cross_entropy(model(Xt), yt)
        loss.backward()
        opt.step()
    final_weights[name] = model.weight.detach().clone()
    print(f"{name:9s} training loss {loss.item():.3f}   ‖W‖ = {final_weights[name].norm():.2f}   "
          f"max |W_ij| = {final_weights[name].abs().max():.2f}")
gap = (final_weights["Adam + L2"] - final_weights["AdamW"]).abs().max().item()
claim(gap > 0.5 and final_weights["AdamW"].norm() > 2 * final_weights["Adam + L2"].norm(),
      f"Adam + L2 and AdamW end at clearly different weights (max |ΔW| = {gap:.2f}), of very different size")

# %% [markdown]
# The same λ means different things in the two methods, which is why AdamW's is tuned separately (torch's default is
# 0.01 for AdamW, 0 for Adam). Which generalizes better depends on the problem; they are different algorithms.

# %% [markdown]
# ## NAdam and RAdam, briefly
#
# **NAdam** {cite:p}`dozat2016incorporating` puts Nesterov's look-ahead into Adam's first moment: the step combines
# the current gradient and the momentum that will be applied *next*,
#
# $$\theta_t = \theta_{t-1} - \eta\left[\frac{1-\beta_{1,t}}{1-\Pi_t}\,g_t + \frac{\beta_{1,t+1}}{1-\Pi_t\beta_{1,t+1}}\,m_t\right]\Big/\left(\sqrt{\hat v_t}+\varepsilon\right),$$
#
# with a slowly warming momentum schedule $\beta_{1,t} = \beta_1(1 - \tfrac12\, 0.96^{t\psi})$ (torch's
# `momentum_decay` ψ = 0.004; torch writes $\mu_t$) and $\Pi_t = \beta_{1,1}\cdots\beta_{1,t}$. It is the `nadam` rule.
#
# **RAdam** {cite:p}`liu2020variance` starts from the observation that in the first steps $\hat v_t$ averages very
# few gradients, so $1/\sqrt{\hat v_t}$ is a wildly varying step size. It estimates the effective length of the
# average, $\rho_t = \rho_\infty - 2t\beta_2^t/(1-\beta_2^t)$ with $\rho_\infty = 2/(1-\beta_2) - 1$, and
#
# - while $\rho_t \le 5$ (the first 5 steps for $\beta_2 = 0.999$) it takes **no adaptive step at all**: $\theta \leftarrow
#   \theta - \eta\,\hat m_t$, SGD with (bias-corrected, averaged) momentum — the step scales with the gradient;
# - afterwards it takes Adam's step times a rectification factor
#   $r_t = \sqrt{\frac{(\rho_t-4)(\rho_t-2)\rho_\infty}{(\rho_\infty-4)(\rho_\infty-2)\rho_t}}$, which starts near 0 and
#   grows towards 1: a built-in warm-up.
#
# We check both regimes: feed RAdam the same gradients and 100 times larger ones, and compare its steps with Adam's.

# %%
scale_ratio, radam_over_adam = [], []
r_small, r_large, a_small = np.zeros(100), np.zeros(100), np.zeros(100)
s_small, s_large, s_adam = {}, {}, {}
for g in stream[:1000]:
    b_small, b_large, b_adam = r_small.copy(), r_large.copy(), a_small.copy()
    optim.functional.step("radam", r_small, g, s_small, lr=lr)
    optim.functional.step("radam", r_large, 100 * g, s_large, lr=lr)
    optim.functional.step("adam", a_small, g, s_adam, lr=lr)
    scale_ratio.append(np.median((r_large - b_large) / (r_small - b_small)))
    radam_over_adam.append(np.median((r_small - b_small) / (a_small - b_adam)))
scale_ratio, radam_over_adam = np.array(scale_ratio), np.array(radam_over_adam)

fig, ax = plt.subplots(figsize=(7, 3.8))
ax.semilogx(np.arange(6, 1001), radam_over_adam[5:], **plots.style_for("radam"), label="RAdam's step / Adam's step")
ax.set(title="RAdam's rectification: a built-in warm-up", xlabel="step t (log scale)", ylabel="r_t (measured)")
ax.legend()
plt.show()
claim(np.allclose(scale_ratio[:5], 100) and np.allclose(scale_ratio[5:], 1, rtol=1e-4), "RAdam's step with 100× "
      f"gradients / with 1×, steps 1–8: {np.round(scale_ratio[:8], 3)}: momentum SGD for 5 steps, then scale-free")
claim(radam_over_adam[5] < 0.05 and np.all(np.diff(radam_over_adam[5:]) > 0) and 0.5 < radam_over_adam[-1] < 1,
      f"r_t = RAdam / Adam grows: {radam_over_adam[5]:.3f} at t = 6, {radam_over_adam[99]:.3f} at t = 100, "
      f"{radam_over_adam[-1]:.3f} at t = 1000")

# %% [markdown]
# The measured ratio is the rectification factor $r_t$: 0.03 at step 6, 0.2 at step 100, still 0.65 at step 1,000.
# RAdam's argument is that this replaces the learning-rate warm-up that Adam usually needs
# ([3.7](07_schedules.ipynb)). **LARS** and **LAMB**, which give every *layer* its own step size for very large
# batches, are in [5.1](../05_trends/01_large_batch.ipynb); Lion and other recent optimizers in
# [5.5](../05_trends/05_newer_optimizers.ipynb). What dividing by $\sqrt{\hat v}$ does to an ill-conditioned
# problem — Adam as a *diagonal preconditioner*, and where a diagonal one is not enough — is
# [3.6](06_preconditioning.ipynb).

# %% [markdown]
# ## What we learned
#
# - Adam = momentum as an average ($m$) ÷ RMSprop's root-mean-square ($\sqrt{v}$), both bias-corrected, ε outside the
#   root. Without the correction (A1, A3) the first step is $(1-\beta_1)/\sqrt{1-\beta_2} = 3.16$ times too large,
#   and the excess peaks at 6.6× around step 12. A2's factor, as printed, makes the first step zero, the next ones
#   too small, and then steps up to 38 % too large for hundreds of steps.
# - The correction is a learning-rate schedule $\eta\sqrt{1-\beta_2^t}/(1-\beta_1^t)$; computing it that way changes
#   the meaning of ε, which matters only for gradients of size about ε.
# - For stationary gradients Adam's step stays within about η (3.16η for sparse ones), an exploding one's below 7.3η:
#   bounded, but not clipped — one spike threw Adam's loss up 15-fold and slowed it for ~1/(1−β₂) steps; clipping
#   first removes that. Adam's scale invariance helps small gradients only down to ε.
# - On Reddi et al.'s problem Adam goes to the worst point $x = +1$ and AMSGrad to the optimum $x = -1$.
# - Adam + L2 divides the decay by $\sqrt{\hat v}$ (its $\lambda_{\mathrm{wd}}$ can even drop out entirely); AdamW
#   decays by exactly $(1-\eta\lambda_{\mathrm{wd}})$ per step, and the two end at different weights.
# - Next: [3.6 preconditioning](06_preconditioning.ipynb), what Adam's division does to a problem's geometry;
#   [3.12](12_conventions.ipynb) lists where papers and libraries write these rules differently.
# - RAdam takes plain momentum steps for 5 steps, then Adam's steps scaled by a warm-up factor $r_t$.
# - Practise: exercises 3.3 (Adam with bias correction), 3.4 (the bugs in A3's Adam code) and 3.8 (Adam and a
#   gradient spike) in [exercises/student/03_algorithms](../../exercises/student/03_algorithms.ipynb).

# %% [markdown]
# # 6.1 Frequently asked questions
#
# Every question the five source articles ask — the FAQ sections of A1 (Q1–Q5), A3 (three questions) and A4
# (four), and the questions A2 and A5 ask in their headings and prose — answered briefly and correctly. Each
# answer comes with a small cell that shows it and prints what it measured (✓). Where the article's own answer is
# wrong, the answer says so; the full list of claims, with verdicts, is on
# [6.2 Claims checked](02_claims_checked.ipynb). Questions that several articles ask are answered once, with
# every article that asks them named in the heading.
#
# | Question | Asked in |
# |---|---|
# | [Why do vanishing gradients stop a deep network from learning?](#a1-q1) | A1 Q1, A2 §1, A3 Q1, A4 Q1 |
# | [Why do exploding gradients make training fail?](#a1-q2) | A1 Q2, A2 §1 |
# | [What is a vanishing gradient, and what causes it?](#a2-vanishing) | A2 §1, A5 §1.2.1 |
# | [What is an exploding gradient?](#a2-exploding) | A2 §1 |
# | [How do I recognise vanishing or exploding gradients?](#a2-identify) | A2 §2 |
# | [Which learning-rate strategies exist, and what are their pros and cons?](#a1-q3) | A1 Q3 |
# | [How do I choose the learning rate?](#a1-q4) | A1 Q4, A3 Q2 |
# | [Why is the learning rate the key hyperparameter?](#a4-q3) | A4 Q3 |
# | [How do I deal with vanishing and exploding gradients?](#a1-q5) | A1 Q5, A2 §1, A4 Q2 |
# | [Momentum or Adam: are both adaptive?](#a3-q3) | A3 Q3 |
# | [Why does gradient descent converge slowly?](#a4-q4) | A4 Q4 |
# | [Is SGD a non-gradient method?](#a4-s5) | A4 §5 |
# | [Is back-propagation an optimization algorithm?](#a5-backprop) | A5 §1.1 |
# | [Does a wider network cure vanishing gradients?](#a5-wider) | A5 §1.4 |
# | [Does a larger learning rate cure vanishing gradients?](#a5-lr) | A5 §1.3 |

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import clip, data, diagnostics, nets, optim, plots, problems, schedules, train
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # tiny networks: one thread is fastest
rng = np.random.default_rng(0)


def steps_to_converge(problem: problems.Quadratic, lr: float, tol: float = 1e-6, max_steps: int = 3000) -> int:
    """Gradient-descent steps until ‖θ_t‖ < tol·‖θ_0‖ on a quadratic (max_steps if it never gets there)."""
    path = problems.run(problem, "gd", x0=[1.0, 1.0], steps=max_steps, lr=lr)
    dist = np.linalg.norm(path, axis=1)
    below = np.flatnonzero(dist < tol * dist[0])
    return int(below[0]) if below.size else max_steps


# %% [markdown]
# <a id="a1-q1"></a><a id="a3-q1"></a><a id="a4-q1"></a><a id="a2-why"></a>
# ## Why do vanishing gradients stop a deep network from learning?
# *A1 Q1 「为什么梯度消失问题会导致深度学习模型无法收敛？」 · A2 §1 · A3 Q1 · A4 Q1*
#
# Back-propagation multiplies the error signal by one factor per layer on its way to the first layers. When
# those factors are below 1, the gradient of the first layers is orders of magnitude smaller than that of the
# last ones, so with one learning rate for all, **the first layers barely move** while the last ones fit what
# they can. The network does converge — to a poor solution that uses almost none of its depth. (A1 says the
# decay happens in the forward pass; it happens in the backward pass: [claims 3, 18](02_claims_checked.ipynb#claim-3).)

# %%
X = rng.standard_normal((64, 16))
y = np.sin(X[:, :1]) + 0.1 * rng.standard_normal((64, 1))
net = nets.NumpyMLP([16] + [16] * 15 + [1], activation="sigmoid", init="xavier_uniform", seed=0)
start = [W.copy() for W, _ in net.params]
for _ in range(200):
    _, grads, _ = net.loss_and_grads(X, y)
    net.sgd_step(grads, 0.5)
moved = [np.linalg.norm(W - W0) / np.linalg.norm(W0) for (W, _), W0 in zip(net.params, start, strict=True)]
claim(moved[0] < 1e-4 * moved[-1], f"15 sigmoid layers, 200 steps: the first layer's weights changed by {moved[0]:.1e} "
      f"(relative), the last layer's by {moved[-1]:.1e}")

# %% [markdown]
# <a id="a1-q2"></a>
# ## Why do exploding gradients make training fail?
# *A1 Q2 「为什么梯度爆炸问题会导致训练过程失败？」 · A2 §1*
#
# When the per-layer factors are above 1 the gradient grows geometrically with depth, and a step
# $\theta \leftarrow \theta-\eta g$ with a huge $g$ throws the parameters far outside the region where the loss
# was small: the loss jumps up by orders of magnitude, and a few more steps overflow to inf/NaN. It is not
# overfitting (as A2 says) — the training loss itself blows up. Clipping the gradient's norm caps the step
# ([3.8](../03_algorithms/08_clipping.ipynb)).

# %%
net = nets.NumpyMLP([16] + [16] * 20 + [1], activation="identity", init="normal", std=1.5 / 4, seed=0)
Xe, ye = rng.standard_normal((32, 16)), rng.standard_normal((32, 1))
loss_before, grads, _ = net.loss_and_grads(Xe, ye)
grad_norm = np.sqrt(sum(np.sum(gW**2) + np.sum(gb**2) for gW, gb in grads))
net.sgd_step(grads, 1e-3)
loss_after = net.loss_and_grads(Xe, ye)[0]
claim(loss_after > 1e6 * loss_before,
      f"‖g‖ = {grad_norm:.1e}: one step with η = 0.001 takes the loss from {loss_before:.3g} to {loss_after:.3g}")

# %% [markdown]
# <a id="a2-vanishing"></a><a id="a5-cause"></a>
# ## What is a vanishing gradient, and what causes it?
# *A2 §1 「什么是梯度消失？」 · A5 §1.2.1 「梯度消失的原因」*
#
# The gradient with respect to an early layer is a product over the layers above it,
# $\partial\ell/\partial h^{(l)} = \big(\prod_{k>l} W^{(k)\top}\,\mathrm{diag}\,\phi'(z^{(k)})\big)\,\partial\ell/\partial h^{(D)}$.
# If the typical factor is below 1, the product — and with it the early layers' gradient — shrinks
# geometrically with depth. Sigmoid units make it likely: $\sigma'\le 1/4$. It is not about the size of the
# input (A2) or about "nonlinear relations between parameters" (A5): a linear network vanishes too when its
# weights are small ([E1](02_claims_checked.ipynb#e1)).

# %%
sigmoid = nets.get_activation("sigmoid")
claim(sigmoid.max_slope**20 < 1e-12,
      f"σ′ ≤ {sigmoid.max_slope}: through σ′ alone 20 sigmoid layers can shrink the gradient by {sigmoid.max_slope**20:.1e}")

# %% [markdown]
# <a id="a2-exploding"></a>
# ## What is an exploding gradient?
# *A2 §1 「什么是梯度爆炸？」*
#
# The same product with factors above 1: the early layers' gradient grows geometrically with depth. Below,
# each weight matrix is orthogonal times 1.5, so every layer multiplies the backward signal's norm by exactly
# 1.5, and 20 layers by $1.5^{19}$ between the first and the last hidden layer. It is not caused by a large loss,
# and it does not show up as overfitting (A2); it shows up as loss spikes and inf/NaN.

# %%
net = nets.NumpyMLP([16] * 21 + [1], activation="identity", init="orthogonal", seed=0)
for W, _ in net.params[:-1]:
    W *= 1.5  # every hidden layer now has all singular values equal to 1.5
signals = net.loss_and_grads(rng.standard_normal((8, 16)), rng.standard_normal((8, 1)))[2]  # ∂ℓ/∂h⁽ˡ⁾, l = 1 … 20
growth = np.linalg.norm(signals[0]) / np.linalg.norm(signals[-1])
claim(np.isclose(growth, 1.5**19, rtol=1e-9), f"first / last hidden-layer signal = {growth:.1f} = 1.5¹⁹")

# %% [markdown]
# <a id="a2-identify"></a>
# ## How do I recognise vanishing or exploding gradients?
# *A2 §2 「如何识别梯度消失？」「如何识别梯度爆炸？」*
#
# Measure, per layer, the gradient norm (`gradcourse.diagnostics.grad_norms`) after a backward pass. Vanishing:
# the first layers' norms are orders of magnitude below the last ones'. Exploding: norms that grow towards the
# input, and a loss that spikes or turns inf/NaN. A useful rule of thumb {cite:p}`karpathy2022building`:
# the update of each weight matrix should be about $10^{-3}$ of the weights themselves. A2's test — "a small
# derivative means a saddle point" — recognises neither ([claim 42](02_claims_checked.ipynb#claim-42)).
# [4.4 Diagnosing a network](../04_code/04_diagnosing_a_network.ipynb) does this on a real training run.

# %%
Xt = torch.tensor(rng.standard_normal((64, 32)), dtype=torch.float32)
yt = torch.tensor(rng.integers(0, 10, 64))


def first_over_last(model: torch.nn.Module) -> float:
    """Gradient norm of the first hidden block divided by that of the last, after one backward pass."""
    model.zero_grad()
    F.cross_entropy(model(Xt), yt).backward()
    norms = diagnostics.grad_norms(model)
    return norms["blocks.0.linear"] / norms[f"blocks.{len(model.blocks) - 1}.linear"]


healthy = first_over_last(nets.mlp(32, 10, depth=12, width=32, activation="tanh", init="xavier_uniform", seed=0))
vanishing = first_over_last(nets.mlp(32, 10, depth=12, width=32, activation="sigmoid", init="xavier_uniform", seed=0))
claim(0.1 < healthy < 10 and vanishing < 1e-4,
      f"first/last block gradient norm: tanh + Xavier {healthy:.2f}, sigmoid {vanishing:.1e} — vanishing at a glance")

# Explosion shows in the loss: gradcourse.train stops at the first non-finite loss or gradient
digits = data.digits()
wild = nets.mlp(64, 10, depth=3, width=64, activation="relu", seed=0)
try:
    train.train(wild, digits, optim.SGD(wild.parameters(), lr=50.0), epochs=1, progress=False)
    stopped_at = None
except train.TrainingDiverged as err:
    stopped_at = err.step
claim(stopped_at is not None and stopped_at < 20, f"SGD with η = 50: the divergence guard stops it at step {stopped_at}")


# %% [markdown]
# <a id="a1-q3"></a>
# ## Which learning-rate strategies exist, and what are their pros and cons?
# *A1 Q3 「动态学习率调整策略有哪些？它们的优缺点 respective？」*
#
# | Strategy | Rule | For | Against |
# |---|---|---|---|
# | constant | $\eta_t=\eta_0$ | simplest | SGD stalls in a noise ball around the minimum |
# | step decay | $\eta_0\gamma^{\lfloor t/s\rfloor}$ | simple, standard for CNNs | two extra knobs; sudden drops |
# | exponential | $\eta_0\gamma^{t}$ | smooth | easy to decay too fast |
# | polynomial | $\eta_0(1-t/T)^p$ | reaches 0 exactly at $T$ | needs the run length $T$ (this is A1's "exponential" formula) |
# | cosine | $\eta_{\min}+\tfrac12(\eta_0-\eta_{\min})(1+\cos\pi t/T)$ | few knobs, strong default | needs $T$ |
# | warm restarts | cosine restarted every $T_i$ steps | anytime snapshots | restarts on a calendar, not on the loss |
# | linear warmup | ramp up over $W$ steps | stabilises large batches and Adam's first steps | one more knob |
# | one-cycle | up to $\eta_{\max}$, then far down | fast training {cite:p}`smith2019super` | needs the run length |
# | reduce on plateau | cut $\eta$ when the validation loss stalls | reacts to training | reacts late; needs validation data |
#
# AdaGrad, RMSprop and Adam are *not* schedules: they rescale each parameter's step, and are combined with a
# schedule, not chosen instead of one ([3.7](../03_algorithms/07_schedules.ipynb)).

# %%
T = 100
curves = {
    "step decay": schedules.schedule_values(schedules.step_decay, T, base_lr=0.1, step_size=30, gamma=0.3),
    "cosine": schedules.schedule_values(schedules.cosine_annealing, T, base_lr=0.1, T_max=T),
    "warm restarts": schedules.schedule_values(schedules.cosine_warm_restarts, T, base_lr=0.1, T_0=25),
    "warmup + cosine": schedules.schedule_values(schedules.with_warmup, T, base_lr=0.1, warmup_steps=10,
                                                 schedule=schedules.cosine_annealing, T_max=T - 10),
    "one-cycle": schedules.schedule_values(schedules.one_cycle, T, max_lr=0.1, total_steps=T),
}
plots.schedule_curves(curves, title="Five learning-rate schedules over 100 steps")
plt.show()
claim(curves["cosine"][0] == 0.1 and curves["cosine"][-1] < 1e-3 and np.isclose(curves["one-cycle"].max(), 0.1)
      and curves["one-cycle"][0] < 0.01 and np.isclose(curves["warmup + cosine"][10], 0.1),
      f"cosine falls from 0.1 to {curves['cosine'][-1]:.1e}; one-cycle rises from {curves['one-cycle'][0]:.4f} to 0.1 "
      "and falls; warmup reaches 0.1 at step 10")

# %% [markdown]
# <a id="a1-q4"></a><a id="a3-q2"></a>
# ## How do I choose the learning rate?
# *A1 Q4 「如何选择合适的学习率？」 · A3 Q2 「如何选择合适的学习率？」*
#
# A1's advice — "if the model converges fast, try a smaller rate; if slowly, a larger one" — has it backwards
# for the first half: fast convergence is no reason to slow down. Two tools work:
#
# 1. **The stability bound.** Gradient descent on a loss with largest curvature $L$ converges only for
#    $\eta < 2/L$, and is fastest near $2/(L+\mu)$ ([2.3](../02_concepts/03_learning_rate.ipynb)).
# 2. **The learning-rate range test.** {cite:t}`smith2017cyclical` trains a few epochs while raising $\eta$
#    *linearly*, and reads off where the accuracy starts to rise and where it falls apart. The common modern
#    version — fastai's `lr_find`, and `gradcourse.train.lr_range_test` — raises $\eta$ *exponentially* over a
#    hundred steps, plots the smoothed loss against $\eta$, and takes a rate ten times below the one at the
#    loss minimum; those two conventions are fastai's, not Smith's.
#
# A3's "use a validation set" is a full sweep — it works, at the cost of one training run per candidate.

# %%
quad = problems.Quadratic(kappa=10.0, L=1.0)
best = quad.optimal_lr
speeds = {f: steps_to_converge(quad, f * best) for f in (0.25, 0.5, 1.0)}
claim(speeds[0.25] > speeds[0.5] > speeds[1.0],
      f"below the optimum a larger rate is faster: {speeds} steps at η = (0.25, 0.5, 1) × 2/(L+μ)")

model = nets.mlp(64, 10, depth=2, width=64, activation="relu", seed=0)
sgd = optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
found = train.lr_range_test(model, digits, sgd, start_lr=1e-4, end_lr=10.0, num_steps=100, batch_size=64)

fig, ax = plt.subplots(figsize=(6.4, 3.6))
ax.semilogx(found.lrs, found.losses, color=plots.color_for("momentum"))
ax.axvline(found.suggested_lr, ls="--", color="grey", label=f"suggested η = {found.suggested_lr:.3g}")
ax.set_title("Learning-rate range test: digits, 2 hidden layers, SGD + momentum")
ax.set_xlabel("learning rate η (log scale)")
ax.set_ylabel("smoothed training loss")
ax.legend()
plt.show()

for group in sgd.param_groups:
    group["lr"] = found.suggested_lr
history = train.train(model, digits, sgd, epochs=3, progress=False)
claim(found.losses[-1] > 1.5 * found.losses.min(),
      f"past the minimum the loss climbs back up ({found.losses.min():.3f} → {found.losses[-1]:.3f})")
claim(1e-3 < found.suggested_lr < 1.0 and history.val_acc[-1] > 0.9,
      f"the suggested η = {found.suggested_lr:.3g} trains: validation accuracy {history.val_acc[-1]:.3f} after 3 epochs")

# %% [markdown]
# <a id="a4-q3"></a>
# ## Why is the learning rate the key hyperparameter?
# *A4 Q3 「为什么梯度下降算法的学习率是一个关键参数？」*
#
# Because it decides *whether* training converges, not only how fast. Too small: the number of steps grows
# like $1/\eta$. Too large: above $2/L$ the iterates diverge. A4's answer — a large rate "may cause
# overfitting" — is wrong: it causes divergence ([claim 69](02_claims_checked.ipynb#claim-69)).

# %%
too_small, good = steps_to_converge(quad, 0.05), steps_to_converge(quad, best)
too_large = problems.run(quad, "gd", x0=[1.0, 1.0], steps=50, lr=1.1 * quad.max_stable_lr)
claim(too_small > 20 * good, f"too small is slow: {too_small} steps at η = 0.05, {good} at η = 2/(L+μ)")
claim(np.linalg.norm(too_large[-1]) > 50 * np.linalg.norm(too_large[0]),
      f"too large diverges: at η = 1.1·(2/L) the distance after 50 steps is {np.linalg.norm(too_large[-1]):.0f}")

# %% [markdown]
# <a id="a1-q5"></a><a id="a4-q2"></a><a id="a2-how"></a>
# ## How do I deal with vanishing and exploding gradients?
# *A1 Q5 「如何处理梯度消失与梯度爆炸问题？」 · A2 §1 「如何解决梯度消失和爆炸问题？」 · A4 Q2*
#
# Fix the per-layer factors, or route around them:
#
# - **initialization** that keeps each layer's gain near 1 — Xavier for tanh, He for ReLU
#   {cite:p}`glorot2010understanding,he2015delving`;
# - **activations** that do not saturate (ReLU family) {cite:p}`glorot2011deep`;
# - **normalization** layers {cite:p}`ioffe2015batch,ba2016layer`, which re-scale each layer's pre-activations, so
#   badly scaled weights no longer shrink or grow the signal (they do not make a deep *sigmoid* stack train:
#   [1.2](../01_background/02_first_experiment.ipynb), [3.11](../03_algorithms/11_normalization_residuals.ipynb));
# - **residual connections** $h+F(h)$ {cite:p}`he2016deep` and, in
#   recurrent networks, gating (LSTM {cite:p}`hochreiter1997long`);
# - against explosion, **gradient clipping** {cite:p}`pascanu2013difficulty`.
#
# An optimizer or a schedule (A1's and A4's first suggestions) does not change the product; Adam only hides its
# scale ([claim 13](02_claims_checked.ipynb#claim-13)). [3.9](../03_algorithms/09_initialization.ipynb) and
# [3.11](../03_algorithms/11_normalization_residuals.ipynb) treat each fix in full.

# The cell measures the first/last block gradient ratio of 20-block networks (1 is healthy) with one fix at a
# time: initialization, normalization on a ReLU network whose weights are 5× too small (std 0.05; He's is
# $\sqrt{2/32} = 0.25$), and a residual path on the sigmoid network.

# %%
settings = {  # label: nets.mlp arguments (depth 20, width 32)
    "tanh, N(0, 1) init": dict(activation="tanh", init="normal", std=1.0),
    "tanh, Xavier init": dict(activation="tanh", init="xavier_uniform"),
    "ReLU, std 0.05": dict(activation="relu", init="normal", std=0.05),
    "ReLU, std 0.05 + layer norm": dict(activation="relu", init="normal", std=0.05, norm="layer"),
    "sigmoid, plain": dict(activation="sigmoid"),
    "sigmoid, residual": dict(activation="sigmoid", residual=True),
}
ratios = {k: first_over_last(nets.mlp(32, 10, depth=20, width=32, seed=0, **kw)) for k, kw in settings.items()}
for name, r in ratios.items():
    print(f"{name:>28}: first/last block gradient {r:.2e}")
claim(ratios["tanh, N(0, 1) init"] > 1e3 and 0.1 < ratios["tanh, Xavier init"] < 10,
      f"initialization: tanh with N(0, 1) weights {ratios['tanh, N(0, 1) init']:.1e}, with Xavier "
      f"{ratios['tanh, Xavier init']:.2f}")
claim(ratios["ReLU, std 0.05"] < 1e-9 and 0.1 < ratios["ReLU, std 0.05 + layer norm"] < 10,
      f"normalization: ReLU with too-small weights {ratios['ReLU, std 0.05']:.1e}, with layer norm "
      f"{ratios['ReLU, std 0.05 + layer norm']:.2f}")
claim(ratios["sigmoid, plain"] < 1e-6 and ratios["sigmoid, residual"] > 1e-2,
      f"residual path: sigmoid {ratios['sigmoid, plain']:.1e} → {ratios['sigmoid, residual']:.2f}")

g = [np.array([3e4, -4e4])]  # an exploded gradient
clipped, norm_before = clip.clip_by_global_norm(g, max_norm=1.0)
claim(norm_before == 5e4 and np.isclose(np.linalg.norm(clipped[0]), 1.0),
      f"clipping: a gradient of norm {norm_before:.0e} becomes {clipped[0].round(2)}, norm 1, same direction")

# %% [markdown]
# <a id="a3-q3"></a>
# ## Momentum or Adam: are both adaptive?
# *A3 Q3 「动量法和Adam算法的主要区别是什么？」*
#
# No. A3 answers that both are adaptive-learning-rate methods; momentum is not. Momentum averages past
# gradients, so its step is proportional to the gradient: multiply the gradient by 1000 and the step is 1000
# times larger. Adam divides that average by a running root-mean-square of the gradient, so its step is (almost)
# independent of the gradient's scale — *that* is what "adaptive" means
# {cite:p}`kingma2015adam`.

# %%
final_step = {}
for rule, hyper in (("sgd", {"lr": 1e-3, "momentum": 0.9}), ("adam", {"lr": 1e-3})):
    for scale in (1.0, 1000.0):
        theta, state = np.zeros(1), {}
        for _ in range(20):
            before = theta.copy()
            optim.functional.step(rule, theta, np.array([scale]), state, **hyper)
        final_step[rule, scale] = abs(theta - before)[0]
claim(np.isclose(final_step["sgd", 1000.0], 1000 * final_step["sgd", 1.0]),
      f"momentum's step ∝ gradient: {final_step['sgd', 1.0]:.2e} → {final_step['sgd', 1000.0]:.2e} for a 1000× gradient")
claim(np.isclose(final_step["adam", 1000.0], final_step["adam", 1.0], rtol=1e-6),
      f"Adam's step ignores the scale: {final_step['adam', 1.0]:.2e} and {final_step['adam', 1000.0]:.2e}")

# %% [markdown]
# <a id="a4-q4"></a>
# ## Why does gradient descent converge slowly?
# *A4 Q4 「为什么梯度下降算法的收敛速度较慢？」*
#
# Because of **ill-conditioning**, not because there are many weights (A4's answer). On a quadratic with
# curvatures between $\mu$ and $L$, even the best constant step shrinks the error only by
# $(\kappa-1)/(\kappa+1)$ per step, $\kappa=L/\mu$: about $\tfrac{\kappa}{2}\ln(1/\text{tol})$ steps — the same in
# 2 dimensions as in a million ([E20](02_claims_checked.ipynb#e20)). Momentum improves this to about
# $\sqrt\kappa$ ([3.3](../03_algorithms/03_momentum_nesterov.ipynb)); normalization and adaptive methods
# improve the conditioning itself.

# %%
needed = {kappa: steps_to_converge(problems.Quadratic(kappa=kappa), problems.Quadratic(kappa=kappa).optimal_lr)
          for kappa in (1.0, 10.0, 100.0)}
claim(needed[1.0] == 1 and 5 < needed[100.0] / needed[10.0] < 15,
      f"steps to shrink the error 10⁶-fold grow in proportion to κ: {needed} (κ: steps)")

# %% [markdown]
# <a id="a4-s5"></a>
# ## Is SGD a non-gradient method?
# *A4 §5 「非梯度优化方法，如……Nesterov accelerated gradient……或随机梯度下降（SGD）的变体」*
#
# No. SGD and Nesterov's method are gradient methods: every update is built from a (mini-batch) gradient —
# SGD's is literally $\theta\leftarrow\theta-\eta g$ {cite:p}`robbins1951stochastic`.
# Non-gradient (zeroth-order) methods — random search, evolution strategies — use only loss values.

# %%
theta, g = np.array([0.5, -1.0]), np.array([2.0, 4.0])
expected = theta - 0.1 * g
optim.functional.step("sgd", theta, g, {}, lr=0.1)
claim(np.array_equal(theta, expected), "an SGD step is the negative gradient times η")

# %% [markdown]
# <a id="a5-backprop"></a>
# ## Is back-propagation an optimization algorithm?
# *A5 §1.1 「传统优化算法主要包括梯度下降法、随机梯度下降法……和反向差分法（Backpropagation）」*
#
# No. Back-propagation {cite:p}`rumelhart1986learning` computes
# the exact gradient of the loss with respect to every parameter; the optimizer (SGD, Adam …) then uses it. In
# PyTorch the two are separate calls: `loss.backward()` fills `.grad` and changes no weight; `optimizer.step()`
# changes the weights.

# %%
model = nets.mlp(64, 10, depth=2, width=16, seed=0)
opt = optim.SGD(model.parameters(), lr=0.1)
Xd, yd = torch.tensor(digits.X_train[:32]), torch.tensor(digits.y_train[:32])
weights = [p.detach().clone() for p in model.parameters()]
F.cross_entropy(model(Xd), yd).backward()
unchanged = all(torch.equal(p, w) for p, w in zip(model.parameters(), weights, strict=True))
opt.step()
changed = all(not torch.equal(p, w) for p, w in zip(model.parameters(), weights, strict=True))
claim(unchanged and all(p.grad is not None for p in model.parameters()), "backward computes gradients only")
claim(changed, "the optimizer's step changes the weights")

# %% [markdown]
# <a id="a5-wider"></a>
# ## Does a wider network cure vanishing gradients?
# *A5 §1.4.2 「使用更广的网络是一种更有效的方法……可以有效地解决梯度消失问题」*
#
# No. With fan-in-scaled initialization a layer's gain does not depend on its width, so the product over
# layers — and the vanishing — is the same at every width. [3.11](../03_algorithms/11_normalization_residuals.ipynb)
# measures it from 16 to 512 units, three seeds each ([claim 84](02_claims_checked.ipynb#claim-84)).

# %% [markdown]
# <a id="a5-lr"></a>
# ## Does a larger learning rate cure vanishing gradients?
# *A5 §1.3.2 「使用更大的学习率……」*
#
# No. A global learning rate multiplies every layer's update by the same factor, so the first layers still move
# orders of magnitude less than the last ones; and long before the first layers move, a larger rate makes the
# last layers diverge. Train a 12-layer sigmoid network for 100 steps at three rates and measure how far each
# layer's weights moved. The cure is to fix the per-layer factors ([above](#a1-q5)).

# %%
moved_by_lr, loss_by_lr = {}, {}
for lr in (0.1, 0.3, 1.0):
    net = nets.NumpyMLP([16] + [16] * 12 + [1], activation="sigmoid", init="xavier_uniform", seed=0)
    start = [W.copy() for W, _ in net.params]
    for _ in range(100):
        loss, grads, _ = net.loss_and_grads(X, y)
        net.sgd_step(grads, lr)
    moved_by_lr[lr] = [np.linalg.norm(W - W0) / np.linalg.norm(W0) for (W, _), W0 in zip(net.params, start, strict=True)]
    loss_by_lr[lr] = loss
    print(f"η = {lr}: first layer moved {moved_by_lr[lr][0]:.1e}, last layer {moved_by_lr[lr][-1]:.1e}, loss {loss:.3g}")
claim(max(m[0] for m in moved_by_lr.values()) < 1e-5,
      f"at every η the first layer barely moves (at most {max(m[0] for m in moved_by_lr.values()):.1e}, relative)")
claim(loss_by_lr[1.0] > 100 * loss_by_lr[0.1],
      f"while at η = 1 the loss has blown up to {loss_by_lr[1.0]:.3g} (η = 0.1: {loss_by_lr[0.1]:.3g})")

# %% [markdown]
# ## What we learned
#
# - Vanishing and exploding gradients are one phenomenon: a product of per-layer factors in the backward
#   pass. They are recognised by per-layer gradient norms and fixed by initialization, non-saturating
#   activations, normalization, residual connections and gating — plus clipping against explosion.
# - The learning rate decides whether training converges at all: $\eta<2/L$, and a range test finds a good value
#   in a few seconds. Too large a rate diverges; it does not overfit, and it cannot cure vanishing gradients.
# - Momentum is not adaptive, Adam is; SGD is a gradient method; back-propagation computes gradients and
#   optimizes nothing.

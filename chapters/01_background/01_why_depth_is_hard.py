# %% [markdown]
# # 1.1 Why depth makes training hard
#
# Why is a deep network harder to train than a shallow one? A deep network is a chain of simple layers. We
# train it by gradient descent, so every parameter needs its gradient $\partial \ell/\partial\theta$, and the chain
# rule computes that gradient as a **product with one factor per layer** between the parameter and the loss.
# For the first layers of a deep network that product is long, and a long product of numbers that are all a
# little below 1 is almost 0 (**vanishing gradients**, 梯度消失); a long product of numbers a little above 1 is
# huge (**exploding gradients**, 梯度爆炸).
#
# This chapter shows the product, measures it in a real network, checks the remedies the source articles
# propose against it, and tells the history of how the field learned to control it.

# %% tags=["hide-input"]
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gradcourse import data, nets, plots
from gradcourse.claims import claim
from gradcourse.nets import gradcheck
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
split = data.digits()  # scikit-learn's handwritten digits (bundled, no download)

# %% [markdown]
# ## The gradient of an early layer is a long product
#
# Write a fully connected network with $D$ hidden layers as
#
# $$z^{(l)} = W^{(l)} h^{(l-1)} + b^{(l)}, \qquad h^{(l)} = \sigma(z^{(l)}), \qquad l = 1, \dots, D, \qquad h^{(0)} = x,$$
#
# followed by an output layer and a loss $\ell$. The chain rule, applied once per layer, gives the gradient
# with respect to the input of layer $l$ from the gradient with respect to its output:
#
# $$\frac{\partial \ell}{\partial h^{(l-1)}} = W^{(l)\top} \operatorname{diag}\big(\sigma'(z^{(l)})\big)\,
#   \frac{\partial \ell}{\partial h^{(l)}}
# \qquad\Longrightarrow\qquad
# \frac{\partial \ell}{\partial h^{(1)}} = \Big[\prod_{l=2}^{D} W^{(l)\top} \operatorname{diag}\big(\sigma'(z^{(l)})\big)\Big]
#   \frac{\partial \ell}{\partial h^{(D)}}.$$
#
# The weights of layer 1 get $\partial \ell/\partial W^{(1)} = \big(\sigma'(z^{(1)})\odot \partial \ell/\partial h^{(1)}\big)\,
# x^\top$, so they see the whole product. Taking norms, each factor contributes at most
# $\|W^{(l)}\|_2 \cdot \max|\sigma'|$:
#
# $$\Big\|\frac{\partial \ell}{\partial h^{(1)}}\Big\| \;\le\; \prod_{l=2}^{D} \|W^{(l)}\|_2\, \max_z|\sigma'(z)| \;
#   \Big\|\frac{\partial \ell}{\partial h^{(D)}}\Big\|.$$
#
# The logistic sigmoid $\sigma(z) = 1/(1+e^{-z})$, the standard unit of the 1990s, has
# $\sigma'(z) = \sigma(z)(1-\sigma(z)) \le 1/4$. So unless the weights are large, **every sigmoid layer
# shrinks the gradient by a factor of four or more**. Twenty such factors give at most
# $4^{-20} \approx 9.1\cdot 10^{-13}$. The cell checks the bound on σ' numerically (with the course's own
# activation table) and the size of the product.

# %%
sigmoid = nets.get_activation("sigmoid")
z = np.linspace(-20.0, 20.0, 400_001)  # includes z = 0, where σ' peaks
largest_slope = sigmoid.df(z).max()
product_bound = 0.25**20

claim(abs(largest_slope - 0.25) < 1e-12 and np.all(sigmoid.df(z) <= 0.25),
      f"max σ'(z) on the grid = {largest_slope:.6f}: σ' ≤ 1/4, with equality at z = 0")
claim(9.0e-13 < product_bound < 9.2e-13, f"20 factors ≤ 1/4 multiply to at most (1/4)^20 = {product_bound:.2e}")

# %% [markdown]
# A product of $n$ factors equal to $a$ is $a^n$. The figure shows how quickly that runs away from 1 in
# either direction: at $a = 0.9$, fifty layers leave half a percent; at $a = 1.1$ they multiply by more than
# a hundred. Only $a = 1$ is safe, and every fix in this course is, one way or another, a way of keeping
# the per-layer factor near 1.

# %%
depths = np.arange(0, 51)
fig, ax = plt.subplots(figsize=(6.5, 4))
for a in (0.25, 0.5, 0.9, 1.0, 1.1, 1.5):
    ax.semilogy(depths, a**depths, label=f"factor a = {a}")
ax.set_ylim(1e-15, 1e8)
ax.set_title("A product of n equal factors: aⁿ")
ax.set_xlabel("number of layers n")
ax.set_ylabel("aⁿ (log scale)")
ax.legend(ncol=2)
plt.show()

claim(0.9**50 < 0.01 and 1.1**50 > 100, f"0.9^50 = {0.9**50:.4f}, 1.1^50 = {1.1**50:.0f}")

# %% [markdown]
# ## Watching it happen in a network
#
# Now a real network: sigmoid MLPs with 32 units per hidden layer, PyTorch's default initialization
# (the course's `NumpyMLP` with `init="default"` draws $W \sim U(\pm 1/\sqrt{n_{\mathrm{in}}})$, as
# `torch.nn.Linear` does), on 512 images of handwritten digits. For 2, 5, 10 and 20 hidden layers we run one
# forward and one backward pass and look at the norm of the gradient of each hidden layer's weights.

# %%
X, y = split.X_train[:512].astype(np.float64), split.y_train[:512]


def layer_grad_norms(depth, *, width=32, seed=0):
    """‖∂ℓ/∂W^(l)‖ for the hidden layers l = 1 … depth of a fresh sigmoid NumpyMLP (one forward + backward)."""
    net = nets.NumpyMLP([64] + [width] * depth + [10], activation="sigmoid", init="default", seed=seed)
    _, grads, _ = net.loss_and_grads(X, y, loss="cross_entropy")
    return np.array([np.linalg.norm(dW) for dW, _ in grads[:depth]]), net


norms = {f"{d} hidden layers": layer_grad_norms(d)[0] for d in (2, 5, 10, 20)}
ratios = {label: n[0] / n[-1] for label, n in norms.items()}
for label, r in ratios.items():
    print(f"{label:>17}:  ‖g(first layer)‖ / ‖g(last hidden layer)‖ = {r:.1e}")

plots.grad_norms_by_layer(norms, title="Sigmoid MLPs at initialization: gradient norm per layer",
                          ylabel="‖∂ℓ/∂W^(l)‖₂")
plt.show()

r = list(ratios.values())
claim(np.all(np.diff(r) < 0) and r[-1] < 1e-12,
      f"the deeper the network, the smaller the first layer's share: {r[0]:.1e} at 2 layers, {r[-1]:.1e} at 20")

# %% [markdown]
# Twenty sigmoid layers: the first layer's gradient is about $10^{-16}$ of the last hidden layer's. Where does
# each layer's factor come from? Split the step from $\partial\ell/\partial h^{(l)}$ to
# $\partial\ell/\partial h^{(l-1)}$ into its two parts: multiplying by $\sigma'(z^{(l)})$ (the activation), then by
# $W^{(l)\top}$ (the weights). For $W \sim U(\pm1/\sqrt{n})$ each entry has variance $1/(3n)$, so a random vector's
# length is multiplied by about $\sqrt{n\cdot 1/(3n)} = 1/\sqrt3 \approx 0.577$. The cell measures both parts in the
# 20-layer network.

# %%
net20 = nets.NumpyMLP([64] + [32] * 20 + [10], activation="sigmoid", init="default", seed=0)
_, cache20 = net20.forward(X)
_, _, signals20 = net20.loss_and_grads(X, y, loss="cross_entropy")
activation_part, weight_part = [], []
for l in range(1, 20):  # the step from ∂ℓ/∂h^(l+1) back to ∂ℓ/∂h^(l) uses σ'(z^(l+1)) and W^(l+1) = params[l]
    after_slope = signals20[l] * sigmoid.df(cache20.z[l])
    activation_part.append(np.linalg.norm(after_slope) / np.linalg.norm(signals20[l]))
    weight_part.append(np.linalg.norm(after_slope @ net20.params[l][0]) / np.linalg.norm(after_slope))
per_layer = (np.linalg.norm(signals20[0]) / np.linalg.norm(signals20[-1])) ** (1 / 19)
mean_slope = np.mean([sigmoid.df(zl).mean() for zl in cache20.z[1:20]])
act_g, w_g = np.exp(np.mean(np.log(activation_part))), np.exp(np.mean(np.log(weight_part)))
print(f"mean σ'(z) over units and images: {mean_slope:.3f}")
print(f"per layer (geometric means): activation part {act_g:.3f} × weight part {w_g:.3f} = {act_g * w_g:.3f}; "
      f"1/√3 = {1 / np.sqrt(3):.3f}")
claim(abs(act_g * w_g / per_layer - 1) < 1e-9 and abs(w_g - 1 / np.sqrt(3)) < 0.1,
      f"each sigmoid layer multiplies the gradient by {per_layer:.3f} ≈ σ' ({act_g:.3f}) × weight gain ({w_g:.3f}, "
      f"near 1/√3): {per_layer:.3f}^19 = {per_layer**19:.1e}")

# %% [markdown]
# ## What the source articles propose, checked
#
# The article on the history of the problem (A5) lists remedies that, it says, researchers tried: resetting
# the parameters, a larger learning rate, a deeper network (§1.3), and a wider one (§1.4.2). None of them
# changes the per-layer factor just measured. *Resetting* draws the weights again from the same distribution,
# so the product is just as small. *Deeper* makes it longer: the first layer's share fell from
# $5\cdot10^{-1}$ (2 layers) to $10^{-16}$ (20 layers) above. A *larger learning rate* multiplies every layer's
# step by the same number, so the ratio between layers stays $10^{-16}$: a rate large enough to move the first
# layer throws the last layers to absurd values. The cell measures all three.
#
# ```{admonition} Common misconception
# :class: warning
# 「为了解决梯度消失问题……如重置网络参数、使用更大的学习率、使用更深的网络等」 (A5 §1.3: reset the parameters, use a
# larger learning rate, a deeper network). **In fact** none changes the product ([claims 82–83 in 6.2](../06_faq/02_claims_checked.ipynb#claim-82)).
# ```

# %%
redrawn = [layer_grad_norms(20, seed=s)[0] for s in range(5)]
claim(all(n[0] / n[-1] < 1e-12 for n in redrawn),
      "re-drawing the parameters reproduces the vanishing gradient: first/last = "
      + ", ".join(f"{n[0] / n[-1]:.1e}" for n in redrawn))

# How large would η have to be for one gradient step to change W_1 by 1 % of its norm — and what would that
# same η do to the last hidden layer?
g20, net20 = layer_grad_norms(20)
W_first, W_last = net20.params[0][0], net20.params[19][0]
eta_needed = 0.01 * np.linalg.norm(W_first) / g20[0]
last_step = eta_needed * g20[-1] / np.linalg.norm(W_last)
claim(eta_needed > 1e12 and last_step > 1e10,
      f"no single learning rate suits both ends: moving W^(1) by 1 % needs η = {eta_needed:.1e}, and that η moves "
      f"W^(20) by {last_step:.1e} times its own norm")

# %% [markdown]
# This is also why one of the articles (A1 §1) is right when it says that vanishing gradients make it hard to
# find a good learning rate: with gradients that differ by sixteen orders of magnitude between layers, *no*
# single rate suits all layers. The real remedies change the product itself.
#
# Width does not change the per-layer factor either. Standard initializations scale the weights by
# $1/\sqrt{n_{\mathrm{in}}}$ precisely so that a layer's gain does not depend on its width, and $\sigma' \le 1/4$
# holds at any width. [3.11](../03_algorithms/11_normalization_residuals.ipynb) measures it, from 16 to 512 units
# per layer, where it takes up A5's advice to use a wider network.

# %% [markdown]
# A5 also recommends 批量正则化 and Dropout (§1.4.4–1.4.5, §2.3). The name 批量正则化 ("batch
# regularization") is not a standard term, and A5 describes it as *adding a regularization term*. Read that
# way it is regularization (正则化: weight decay, Dropout), which fights overfitting and does nothing for the
# product; if it was meant as **batch normalization** (批量归一化, {cite:t}`ioffe2015batch`), that is a different
# thing — each unit's pre-activation standardized over the mini-batch — and it does keep the per-layer factor
# near 1 ([claim 85 in 6.2](../06_faq/02_claims_checked.ipynb#claim-85);
# [3.11](../03_algorithms/11_normalization_residuals.ipynb) treats both). The cell builds the 20-layer sigmoid
# network in PyTorch three ways — plain, with Dropout after every block, and with batch normalization — and
# compares the first/last gradient ratio.

# %%
def torch_grad_ratio(model, n=512):
    """‖g(first hidden layer)‖ / ‖g(last hidden layer)‖ after one backward pass (weights of each block's Linear)."""
    linears = [m for m in model.modules() if isinstance(m, nn.Linear)][:-1]  # the hidden layers, not the head
    model.train()
    model.zero_grad()
    Xt, yt = torch.from_numpy(split.X_train[:n]), torch.from_numpy(split.y_train[:n])
    F.cross_entropy(model(Xt), yt).backward()
    return float(linears[0].weight.grad.norm() / linears[-1].weight.grad.norm())


plain = nets.mlp(64, 10, depth=20, width=64, activation="sigmoid", seed=0)
with_dropout = nets.mlp(64, 10, depth=20, width=64, activation="sigmoid", seed=0)
with_dropout.blocks = nn.ModuleList(nn.Sequential(block, nn.Dropout(0.2)) for block in with_dropout.blocks)
batchnorm = nets.mlp(64, 10, depth=20, width=64, activation="sigmoid", norm="batch", seed=0)

ratio_table = {name: torch_grad_ratio(m) for name, m in
               [("plain", plain), ("Dropout 0.2", with_dropout), ("batch normalization", batchnorm)]}
claim(ratio_table["plain"] < 1e-12 and ratio_table["Dropout 0.2"] < 1e-9,
      f"Dropout does not stop the vanishing: first/last {ratio_table['Dropout 0.2']:.1e} (plain {ratio_table['plain']:.1e})")
claim(ratio_table["batch normalization"] > 1e-2,
      f"batch normalization keeps the first layer's gradient alive: first/last {ratio_table['batch normalization']:.2f}")

# %% [markdown]
# The same article calls backpropagation a *difference* method that *estimates* the gradient (see the
# misconception in [2.1](../02_concepts/01_backprop_from_scratch.ipynb)). It is the exact chain rule, and it gives
# the gradient of **every** parameter at once, for about twice the cost of the forward pass (measured in 2.1).
# A *finite-difference* estimate is the slow alternative: two loss evaluations per parameter. The cell compares
# the two on a small network.

# %%
small = nets.NumpyMLP([64, 16, 16, 10], activation="sigmoid", init="xavier_uniform", seed=0)
Xs, ys = X[:64], y[:64]
_, backprop_grads, _ = small.loss_and_grads(Xs, ys, loss="cross_entropy")

calls = 0


def loss_only(_):
    global calls
    calls += 1
    return small.loss_and_grads(Xs, ys, loss="cross_entropy")[0]


W1 = small.params[0][0]
numeric = gradcheck.numerical_gradient(loss_only, W1, eps=1e-6)
worst = np.linalg.norm(backprop_grads[0][0] - numeric) / np.linalg.norm(backprop_grads[0][0])
n_params = sum(W.size + b.size for W, b in small.params)
claim(calls == 2 * W1.size and worst < 1e-6,
      f"first-layer weights: {W1.size} entries, {calls} loss evaluations by finite differences, agreeing with "
      f"backprop to ‖g − ĝ‖/‖g‖ = {worst:.1e}")
print(f"the whole network has {n_params} parameters: finite differences would need {2 * n_params} evaluations, "
      "backprop one forward and one backward pass")

# %% [markdown]
# ## A short, accurate history
#
# A5's "history" names none of the works below, and its reference list is unreliable — wrong authors and
# venues, invented papers ([6.2](../06_faq/02_claims_checked.ipynb) lists each). Here is what happened.
#
# | Year | Work | What it contributed |
# |---|---|---|
# | 1970–1986 | reverse-mode differentiation ({cite:t}`linnainmaa1970representation`; {cite:t}`werbos1974beyond`); backpropagation for neural networks ({cite:t}`rumelhart1986learning`) | the exact gradient of a network for about twice the cost of the forward pass: the tool whose products this course is about |
# | 1991 | {cite:t}`hochreiter1991untersuchungen` (diploma thesis, in German) | the first analysis of vanishing and exploding gradients, in recurrent networks: the error signal is multiplied by one factor per time step |
# | 1994 | {cite:t}`bengio1994learning` | proof that learning long-term dependencies by gradient descent is hard: a recurrent network that stores information robustly against noise must have gradients from distant events that vanish exponentially |
# | 1997 | {cite:t}`hochreiter1997long` | the LSTM: a cell whose self-connection has weight 1 (the "constant error carousel"), so the error can flow back over long lags without shrinking |
# | 2006 | {cite:t}`hinton2006fast` | greedy layer-wise pre-training: a work-around that initialized deep networks one layer at a time |
# | 2010 | {cite:t}`glorot2010understanding` | measured saturation of sigmoid units and the shrinking of gradients in deep feed-forward nets; proposed the "normalized" (Xavier) initialization that keeps the variance of signals and gradients constant across layers |
# | 2010–2011 | rectifiers: {cite:t}`nair2010rectified`; {cite:t}`glorot2011deep` | ReLU units, whose derivative is exactly 1 where they are active, so the activation no longer shrinks the product; deep ReLU networks trained well without pre-training |
# | 2013 | {cite:t}`pascanu2013difficulty` | the geometry of exploding gradients in recurrent networks, and gradient-norm clipping as the remedy |
# | 2015 | {cite:t}`he2015delving` | the initialization for ReLU networks (variance $2/n_{\mathrm{in}}$, "He" or "Kaiming" initialization) |
# | 2015 | {cite:t}`ioffe2015batch` | batch normalization: standardize each unit over the mini-batch, which allowed much higher learning rates |
# | 2015 | {cite:t}`kingma2015adam` | Adam: per-parameter step sizes from running averages of the gradient and its square |
# | 2016 | {cite:t}`he2016deep` | residual networks: each block adds its output to its input, $h + f(h)$, so the Jacobian is $I + \partial f/\partial h$ and the product keeps an identity path; 152 layers trained end to end |
#
# Notice what is *not* in the table: larger learning rates, deeper or wider networks, or "resetting the
# parameters". The working remedies change the factors of the product — the activation's derivative
# (ReLU), the scale of the weights (initialization), the statistics of each layer's input (normalization),
# the structure of the Jacobian (residual connections, LSTM gates) — or limit the size of a step when the
# product is too large (clipping, adaptive step sizes).

# %% [markdown]
# ## The remedies the articles list, sorted
#
# | Remedy (article) | Does it control the product? | Where this course explains it |
# |---|---|---|
# | careful initialization (A2, A4: Xavier, He) | yes: sets the weight scale so each factor is near 1 | [3.9 initialization](../03_algorithms/09_initialization.ipynb) |
# | other activation functions (A3), e.g. ReLU instead of sigmoid | yes: ReLU′ = 1 where active | [2.2 vanishing and exploding](../02_concepts/02_vanishing_exploding.ipynb) |
# | batch normalization (A3; perhaps A5's 批量正则化) | yes: rescales every layer's input | [3.11 normalization and residuals](../03_algorithms/11_normalization_residuals.ipynb) |
# | residual connections (history above) | yes: adds an identity path | [3.11 normalization and residuals](../03_algorithms/11_normalization_residuals.ipynb) |
# | gradient clipping (A2) | caps the step when the gradient explodes; does not cure vanishing | [3.8 clipping](../03_algorithms/08_clipping.ipynb) |
# | momentum (A2, A3) | no: it smooths and accelerates the step (it does not "jump to minima", as A2 §1 says) | [3.3 momentum and Nesterov](../03_algorithms/03_momentum_nesterov.ipynb) |
# | adaptive optimizers, Adam (A1–A4) | partly: per-parameter scaling evens out gradient sizes, but not once they fall below ε | [3.5 the Adam family](../03_algorithms/05_adam_family.ipynb), [1.2 first experiment](02_first_experiment.ipynb) |
# | learning-rate schedules (A1, A3) | no: the same rate multiplies every layer | [3.7 schedules](../03_algorithms/07_schedules.ipynb) |
# | mini-batch gradient descent (A4) | no: it changes the noise, not the product | [3.1 GD, SGD and mini-batches](../03_algorithms/01_gd_sgd_minibatch.ipynb) |
# | regularization, Dropout (A2 §1, A3, A5) | no (measured above) | — |
# | "a smaller initial learning rate, a small batch size" as *initialization* (A2 §1) | no: these are training settings, not an initialization | [2.3 the learning rate](../02_concepts/03_learning_rate.ipynb) |
# | larger learning rate, deeper or wider network, resetting parameters (A5) | no (measured above; width in 3.11) | [3.11 normalization and residuals](../03_algorithms/11_normalization_residuals.ipynb) |

# %% [markdown]
# ## What we learned
#
# - The gradient that reaches layer 1 is a product with one factor $W_l^\top\operatorname{diag}(\sigma'(z_l))$
#   per layer above it. Factors below 1 make it vanish, above 1 make it explode — exponentially in depth.
# - The sigmoid's derivative is at most $1/4$; with default initialization each sigmoid layer multiplies the
#   gradient by about 0.14 (σ′ ≈ 0.25 times a weight gain near $1/\sqrt3$), and in a 20-layer network the first
#   layer gets $10^{-16}$ of the last one's gradient.
# - A larger learning rate, more depth, more width (3.11), re-drawing the weights and Dropout do not help; the
#   remedies that work change the factors themselves (ReLU, initialization, normalization, residuals, gates)
#   or cap the step (clipping).
# - Backpropagation is the exact chain rule; the difficulty is not in computing the gradient but in what the
#   gradient is.
#
# Next, [1.2](02_first_experiment.ipynb) trains such networks and watches the deep one fail — and then
# succeed.
#
# **Exercises:** [exercises/student/01_background](../../exercises/student/01_background.ipynb) — 1.1 *the slope of the sigmoid* and 1.2 *the gradient
# through a chain is a product* practise this chapter.

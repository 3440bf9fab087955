# %% [markdown]
# # 1.1 Why depth makes training hard
#
# A deep network is a chain of simple layers. We train it by gradient descent, so every parameter needs
# its gradient $\partial L/\partial\theta$, and the chain rule computes that gradient as a **product with one
# factor per layer** between the parameter and the loss. For the first layers of a deep network that product
# is long, and a long product of numbers that are all a little below 1 is almost 0 (**vanishing gradients**,
# 梯度消失); a long product of numbers a little above 1 is huge (**exploding gradients**, 梯度爆炸).
#
# This chapter shows the product, measures it in a real network, checks what the source articles propose
# against it, and tells the (accurate) history of how the field learned to control it.

# %%
import matplotlib.pyplot as plt
import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from gradcourse import data, nets, plots
from gradcourse.nets import gradcheck
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
split = data.digits()  # scikit-learn's handwritten digits (bundled, no download)

# %% [markdown]
# ## The gradient of an early layer is a long product
#
# Write a fully connected network with $L$ hidden layers as
#
# $$z_l = W_l h_{l-1} + b_l, \qquad h_l = \sigma(z_l), \qquad l = 1, \dots, L, \qquad h_0 = x,$$
#
# followed by an output layer and a loss $L$. The chain rule, applied once per layer, gives the gradient
# with respect to the input of layer $l$ from the gradient with respect to its output:
#
# $$\frac{\partial L}{\partial h_{l-1}} = W_l^\top \operatorname{diag}\big(\sigma'(z_l)\big)\,
#   \frac{\partial L}{\partial h_l}
# \qquad\Longrightarrow\qquad
# \frac{\partial L}{\partial h_1} = \Big[\prod_{l=2}^{L} W_l^\top \operatorname{diag}\big(\sigma'(z_l)\big)\Big]
#   \frac{\partial L}{\partial h_L}.$$
#
# The weights of layer 1 get $\partial L/\partial W_1 = \big(\sigma'(z_1)\odot \partial L/\partial h_1\big)\, x^\top$,
# so they see the whole product. Taking norms, each factor contributes at most $\|W_l\|_2 \cdot \max|\sigma'|$:
#
# $$\Big\|\frac{\partial L}{\partial h_1}\Big\| \;\le\; \prod_{l=2}^{L} \|W_l\|_2\, \max_z|\sigma'(z)| \;
#   \Big\|\frac{\partial L}{\partial h_L}\Big\|.$$
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

print(f"max σ'(z) on the grid = {largest_slope:.6f}   (table value: {sigmoid.max_slope})")
print(f"20 factors ≤ 1/4:  (1/4)^20 = {product_bound:.3e}")
assert abs(largest_slope - 0.25) < 1e-12 and np.all(sigmoid.df(z) <= 0.25), "σ'(z) ≤ 1/4, with equality at z = 0"
assert product_bound == 4.0**-20 and 9.0e-13 < product_bound < 9.2e-13, "(1/4)^20 = 4^-20 ≈ 9.1e-13"

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

assert 0.9**50 < 0.01 and 1.1**50 > 100, "a little below 1 vanishes, a little above 1 explodes"

# %% [markdown]
# ## Watching it happen in a network
#
# Now a real network: sigmoid MLPs with 32 units per hidden layer, PyTorch's default initialization
# (the course's `NumpyMLP` with `init="default"` draws $W \sim U(\pm 1/\sqrt{\text{fan\_in}})$, as
# `torch.nn.Linear` does), on 512 images of handwritten digits. For 2, 5, 10 and 20 hidden layers we run one
# forward and one backward pass and look at the norm of the gradient of each hidden layer's weights.

# %%
X, y = split.X_train[:512].astype(np.float64), split.y_train[:512]


def layer_grad_norms(depth, *, width=32, seed=0):
    """‖∂L/∂W_l‖ for the hidden layers l = 1 … depth of a fresh sigmoid NumpyMLP (one forward + backward)."""
    net = nets.NumpyMLP([64] + [width] * depth + [10], activation="sigmoid", init="default", seed=seed)
    _, grads, _ = net.loss_and_grads(X, y, loss="cross_entropy")
    return np.array([np.linalg.norm(dW) for dW, _ in grads[:depth]]), net


norms = {f"{d} hidden layers": layer_grad_norms(d)[0] for d in (2, 5, 10, 20)}
ratios = {label: n[0] / n[-1] for label, n in norms.items()}
for label, r in ratios.items():
    print(f"{label:>17}:  ‖g(first layer)‖ / ‖g(last hidden layer)‖ = {r:.1e}")

plots.grad_norms_by_layer(norms, title="Sigmoid MLPs at initialization: gradient norm per layer",
                          ylabel="‖∂L/∂W_l‖₂")
plt.show()

r = list(ratios.values())
assert np.all(np.diff(r) < 0), "the deeper the network, the smaller the first layer's share"
assert r[-1] < 1e-12, "with 20 sigmoid layers the first layer's gradient is 10^-12 times the last one's or less"

# %% [markdown]
# Twenty sigmoid layers: the first layer's gradient is about $10^{-16}$ of the last hidden layer's. Each layer
# costs a factor of roughly $0.15$ — $\sigma'\approx 0.2$ times the typical gain of a default-initialized
# weight matrix, about $1/\sqrt 3$ — and $0.15^{19}\approx 10^{-16}$.
#
# ## What the source articles propose, checked
#
# The article on the history of the problem (A5) lists remedies that, it says, researchers tried.
#
# > **The documents say** (A5 §1.3): 「为了解决梯度消失问题，人工智能科学家们提出了许多方法，如重置网络参数、使用更大的学习率、使用更深的网络等。」
# > — "To solve the vanishing-gradient problem, AI scientists proposed many methods, such as resetting the
# > network parameters, using a larger learning rate, using a deeper network, and so on."
# >
# > **What is true:** none of the three is a remedy, and none is what the field did (the history is below).
# > *Resetting* the parameters draws them again from the same distribution, so the product is just as small.
# > *Deeper* makes the product longer: the figure above shows the first layer's share falling from
# > $5\cdot10^{-1}$ (2 layers) to $10^{-16}$ (20 layers). A *larger learning rate* multiplies every
# > layer's step by the same number, so the ratio between layers stays $10^{-16}$: a rate large enough to
# > move the first layer throws the last layers to absurd values. The cell measures all three.

# %%
redrawn = [layer_grad_norms(20, seed=s)[0] for s in range(5)]
print("first/last ratio for 5 fresh draws of the parameters:", ", ".join(f"{n[0] / n[-1]:.1e}" for n in redrawn))
assert all(n[0] / n[-1] < 1e-12 for n in redrawn), "re-drawing the parameters reproduces the vanishing gradient"

# How large would η have to be for one gradient step to change W_1 by 1 % of its norm — and what would that
# same η do to the last hidden layer?
g20, net20 = layer_grad_norms(20)
W_first, W_last = net20.params[0][0], net20.params[19][0]
eta_needed = 0.01 * np.linalg.norm(W_first) / g20[0]
last_step = eta_needed * g20[-1] / np.linalg.norm(W_last)
print(f"η needed to move W_1 by 1 %: {eta_needed:.1e};  that η moves W_20 by {last_step:.1e} times its own norm")
assert eta_needed > 1e12 and last_step > 1e10, "no single learning rate suits both ends of the network"

# %% [markdown]
# This is also why one of the articles (A1 §1) is right when it says that vanishing gradients make it hard to
# find a good learning rate: with gradients that differ by sixteen orders of magnitude between layers, *no*
# single rate suits all layers. The real remedies change the product itself.
#
# > **The documents say** (A5 §1.4.2): 「使用更广的网络是一种更有效的方法，它通过增加网络宽度来增加模型的表达能力。这种方法可以有效地解决梯度消失问题」
# > — "Using a wider network is a more effective method: it increases the model's expressive power by
# > increasing the width. This method can effectively solve the vanishing-gradient problem."
# >
# > **What is true:** width does not change the per-layer factor. Standard initializations scale the weights
# > by $1/\sqrt{\text{fan\_in}}$ precisely so that a layer's gain does not depend on its width, and
# > $\sigma' \le 1/4$ holds at any width. The cell repeats the 20-layer measurement at widths 16, 64 and 256.

# %%
by_width = {w: layer_grad_norms(20, width=w)[0] for w in (16, 64, 256)}
for w, n in by_width.items():
    print(f"width {w:>3}: first/last = {n[0] / n[-1]:.1e}")
assert all(n[0] / n[-1] < 1e-12 for n in by_width.values()), "a 20-layer sigmoid net vanishes at every width"

# %% [markdown]
# > **The documents say** (A5 §2.3): 「使用批量正则化：通过增加正则化项来减少模型的复杂性……使梯度在传播过程中保持稳定。」 and
# > 「使用Dropout：通过随机丢弃一部分神经元来减少模型的复杂性……使梯度在传播过程中保持稳定。」
# > — "Use batch regularization: add a regularization term to reduce the model's complexity … so that the
# > gradient stays stable during propagation." and "Use Dropout: randomly drop some neurons … so that the
# > gradient stays stable."
# >
# > **What is true:** "批量正则化" is a garbled name. *Batch normalization* (批量归一化, Ioffe & Szegedy
# > 2015) is not a regularization term: it standardizes each unit's pre-activation over the mini-batch, and
# > that rescaling is what keeps the per-layer factor near 1. *Regularization* (正则化: weight decay,
# > Dropout) fights overfitting and does nothing for the product. The cell builds the 20-layer sigmoid
# > network in PyTorch three ways — plain, with Dropout after every block, and with batch normalization — and
# > compares the first/last gradient ratio.

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
for name, r in ratio_table.items():
    print(f"{name:>20}: first/last = {r:.1e}")
assert ratio_table["plain"] < 1e-12 and ratio_table["Dropout 0.2"] < 1e-9, "Dropout does not stop the vanishing"
assert ratio_table["batch normalization"] > 1e-2, "batch normalization keeps the first layer's gradient alive"

# %% [markdown]
# The same article also calls backpropagation a *difference* method.
#
# > **The documents say** (A5 §1.1.3): 「反向差分法是一种计算神经网络梯度的方法，它通过计算网络输出与目标值之间的差分来估计梯度。这种方法……可以避免计算整个网络的梯度，从而减少计算开销。」
# > — "The backward difference method (backpropagation) computes the gradient of a neural network by taking
# > the *difference* between the network's output and the target to *estimate* the gradient … it avoids
# > computing the gradient of the whole network."
# >
# > **What is true:** backpropagation (反向传播) is not a difference method and not an estimate. It applies
# > the chain rule from the loss backwards and returns the **exact** gradient of the loss with respect to
# > **every** parameter, at the cost of roughly one extra forward pass. A *finite-difference* estimate is the
# > slow alternative: it needs two loss evaluations per parameter. The cell compares the two on a small
# > network (chapter [2.1](../02_concepts/01_backprop_from_scratch.ipynb) does this in detail).

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
print(f"first-layer weights: {W1.size} entries, finite differences needed {calls} loss evaluations; "
      f"relative difference from backprop ‖g − ĝ‖/‖g‖ = {worst:.1e}")
print(f"the whole network has {n_params} parameters: finite differences would need {2 * n_params} evaluations, "
      "backprop needs one forward and one backward pass")
assert calls == 2 * W1.size, "central differences cost two loss evaluations per parameter"
assert worst < 1e-6, "backprop's gradient agrees with the finite-difference estimate"

# %% [markdown]
# ## A short, accurate history
#
# The article on the history of the problem (A5) gives almost none of it, and its reference list should not be
# trusted: it lists the ResNet paper as "He, Zhang, Schroff & Sun, *Deep residual learning*, Proceedings of the
# IEEE conference on artificial intelligence" (it is He, Zhang, Ren & Sun, *Deep Residual Learning for Image
# Recognition*, CVPR 2016), attributes *Wide Residual Networks* to seven authors including Krizhevsky and
# Sutskever (it is by Zagoruyko & Komodakis, 2016), and lists the same ShuffleNet paper eleven times under
# invented author names. Here is what happened.
#
# | Year | Work | What it contributed |
# |---|---|---|
# | 1970–1986 | reverse-mode differentiation ([Linnainmaa, 1970](../06_faq/03_references.ipynb#linnainmaa1970representation); [Werbos, 1974](../06_faq/03_references.ipynb#werbos1974beyond)); backpropagation for neural networks ([Rumelhart, Hinton & Williams, 1986](../06_faq/03_references.ipynb#rumelhart1986learning)) | the exact gradient of a network at the cost of about one extra pass: the tool whose products this course is about |
# | 1991 | [Hochreiter, 1991](../06_faq/03_references.ipynb#hochreiter1991untersuchungen) (diploma thesis, in German) | the first analysis of vanishing and exploding gradients, in recurrent networks: the error signal is multiplied by one factor per time step |
# | 1994 | [Bengio, Simard & Frasconi, 1994](../06_faq/03_references.ipynb#bengio1994learning) | proof that learning long-term dependencies by gradient descent is hard: a recurrent network that stores information robustly against noise must have gradients from distant events that vanish exponentially |
# | 1997 | [Hochreiter & Schmidhuber, 1997](../06_faq/03_references.ipynb#hochreiter1997long) | the LSTM: a cell whose self-connection has weight 1 (the "constant error carousel"), so the error can flow back over long lags without shrinking |
# | 2006 | [Hinton, Osindero & Teh, 2006](../06_faq/03_references.ipynb#hinton2006fast) | greedy layer-wise pre-training: a work-around that initialized deep networks one layer at a time |
# | 2010 | [Glorot & Bengio, 2010](../06_faq/03_references.ipynb#glorot2010understanding) | measured saturation of sigmoid units and the shrinking of gradients in deep feed-forward nets; proposed the "normalized" (Xavier) initialization that keeps the variance of signals and gradients constant across layers |
# | 2010–2011 | rectifiers: [Nair & Hinton, 2010](../06_faq/03_references.ipynb#nair2010rectified); [Glorot, Bordes & Bengio, 2011](../06_faq/03_references.ipynb#glorot2011deep) | ReLU units, whose derivative is exactly 1 where they are active, so the activation no longer shrinks the product; deep ReLU networks trained well without pre-training |
# | 2013 | [Pascanu, Mikolov & Bengio, 2013](../06_faq/03_references.ipynb#pascanu2013difficulty) | the geometry of exploding gradients in recurrent networks, and gradient-norm clipping as the remedy |
# | 2015 | [He et al., 2015](../06_faq/03_references.ipynb#he2015delving) | the initialization for ReLU networks (variance $2/\text{fan\_in}$, "He" or "Kaiming" initialization) |
# | 2015 | [Ioffe & Szegedy, 2015](../06_faq/03_references.ipynb#ioffe2015batch) | batch normalization: standardize each unit over the mini-batch, which allowed much higher learning rates |
# | 2015 | [Kingma & Ba, 2015](../06_faq/03_references.ipynb#kingma2015adam) | Adam: per-parameter step sizes from running averages of the gradient and its square |
# | 2016 | [He et al., 2016](../06_faq/03_references.ipynb#he2016deep) | residual networks: each block adds its output to its input, $h + f(h)$, so the Jacobian is $I + \partial f/\partial h$ and the product keeps an identity path; 152 layers trained end to end |
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
# | careful initialization (A2, A4: Xavier, He) | yes: sets the weight scale so each factor is near 1 | [3.7 initialization](../03_algorithms/09_initialization.ipynb) |
# | other activation functions (A3: 「使用不同的激活函数」), e.g. ReLU instead of sigmoid | yes: ReLU′ = 1 where active | [2.2 vanishing and exploding](../02_concepts/02_vanishing_exploding.ipynb) |
# | batch normalization (A3; A5's "批量正则化") | yes: rescales every layer's input | [3.8 normalization and residuals](../03_algorithms/11_normalization_residuals.ipynb) |
# | residual connections (history above) | yes: adds an identity path | [3.8 normalization and residuals](../03_algorithms/11_normalization_residuals.ipynb) |
# | gradient clipping (A2) | caps the step when the gradient explodes; does not cure vanishing | [3.6 clipping](../03_algorithms/08_clipping.ipynb) |
# | momentum (A2, A3) | no: it smooths and accelerates the step (it does not "jump to minima", as A2 §1 says) | [3.2 momentum and Nesterov](../03_algorithms/03_momentum_nesterov.ipynb) |
# | adaptive optimizers, Adam (A1–A4) | partly: per-parameter scaling evens out gradient sizes, but not once they fall below ε | [3.4 the Adam family](../03_algorithms/05_adam_family.ipynb), [1.2 first experiment](02_first_experiment.ipynb) |
# | learning-rate schedules (A1, A3) | no: the same rate multiplies every layer | [3.5 schedules](../03_algorithms/07_schedules.ipynb) |
# | mini-batch gradient descent (A4) | no: it changes the noise, not the product | [3.1 GD, SGD and mini-batches](../03_algorithms/01_gd_sgd_minibatch.ipynb) |
# | regularization, Dropout (A2 §1, A3, A5) | no (measured above) | — |
# | "a smaller initial learning rate, a small batch size" as *initialization* (A2 §1) | no: these are training settings, not an initialization | [2.3 the learning rate](../02_concepts/03_learning_rate.ipynb) |
# | larger learning rate, deeper or wider network, resetting parameters (A5) | no (measured above) | — |

# %% [markdown]
# ## What we learned
#
# - The gradient that reaches layer 1 is a product with one factor $W_l^\top\operatorname{diag}(\sigma'(z_l))$
#   per layer above it. Factors below 1 make it vanish, above 1 make it explode — exponentially in depth.
# - The sigmoid's derivative is at most $1/4$; with default initialization each sigmoid layer shrinks the
#   gradient about sevenfold, and in a 20-layer network the first layer gets $10^{-16}$ of the last one's
#   gradient.
# - A larger learning rate, more depth, more width, re-drawing the weights and Dropout do not help; the
#   remedies that work change the factors themselves (ReLU, initialization, normalization, residuals, gates)
#   or cap the step (clipping).
# - Backpropagation is the exact chain rule, not a "difference method"; the difficulty is not in computing
#   the gradient but in what the gradient is.
#
# Next, [1.2](02_first_experiment.ipynb) trains such networks and watches the deep one fail — and then
# succeed.
#
# **Exercises:** `exercises/student/01_background.ipynb` — 1.1 *the slope of the sigmoid* and 1.2 *the gradient
# through a chain is a product* practise this chapter.

# %% [markdown]
# # 练习 2 · 概念：反向传播与学习率（learning rate）
#
# 配合 [2.1 从零实现反向传播](../../chapters/02_concepts/01_backprop_from_scratch.ipynb)、[2.2 梯度消失与梯度爆炸](../../chapters/02_concepts/02_vanishing_exploding.ipynb)、[2.3 学习率](../../chapters/02_concepts/03_learning_rate.ipynb)、[2.4 尖锐度](../../chapters/02_concepts/04_sharpness.ipynb) 和 [3.6 预条件](../../chapters/03_algorithms/06_preconditioning.ipynb) 的六道练习。
#
# 在每个标有 `raise NotImplementedError(...)` 的单元格中填写代码，然后运行其后的检查单元格。只使用普通的 numpy；检查会把你的答案与课程库（`gradcourse.nets`、`gradcourse.problems`）进行比较。

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import check, plots, problems
from gradcourse.seeding import seed_everything

check.language("zh")  # 检查结果用中文显示（"en"：英文）

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## 练习 2.1 · 一层的反向传播（实现，核心，约 20 分钟）
#
# 一个带 Sigmoid 函数的全连接层（layer）把一个批量 $x$（形状为 `(N, in)`，每行一个样本）映射为
#
# $$z = x W^\top + b, \qquad h = \sigma(z),$$
#
# 其中 $W$ 的形状为 `(out, in)`，与 `torch.nn.Linear` 中一致。给定从上面各层传来的梯度（gradient）$dh = \partial \ell/\partial h$（形状为 `(N, out)`），反向传播计算
#
# $$dz = dh \odot \sigma'(z), \qquad dW = dz^\top x, \qquad db = \textstyle\sum_{\text{rows}} dz, \qquad dx = dz\, W.$$
#
# 编写 `dense_backward(x, W, b, dh)`，返回元组 `(dx, dW, db)`。

# %%
def dense_backward(x, W, b, dh):
    """Gradients (dx, dW, db) of a layer h = σ(x Wᵀ + b), given dh = ∂ℓ/∂h."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：由 x、W 和 b 重新算出 z，然后按公式的顺序计算，先算 dz')


# %%
check.dense_backward(dense_backward)

# %% [markdown]
# ## 练习 2.2 · 最大的稳定学习率（实现，核心，约 10 分钟）
#
# 在二次函数 $f(\theta) = \tfrac12 \theta^\top H \theta$ 上，梯度下降（gradient descent）$\theta \leftarrow \theta - \eta H\theta$ 把沿 $H$ 的每个特征向量的误差乘以 $1 - \eta\lambda$。它恰好在对每个特征值 $\lambda$ 都有 $|1 - \eta\lambda| < 1$ 时收敛，也就是当
#
# $$0 < \eta < \frac{2}{L}, \qquad L = \lambda_{\max}(H)\ \text{(the smoothness constant)}.$$
#
# 编写 `largest_stable_lr(H)`，对对称矩阵 `H` 返回 $2/L$。（`np.linalg.eigvalsh` 给出对称矩阵的特征值。）

# %%
def largest_stable_lr(H):
    """2 / L, with L the largest eigenvalue of the symmetric matrix H."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：决定这个上限的是 H 的哪个特征值：最大的还是最小的？')


# %%
check.largest_stable_lr(largest_stable_lr)

# %% [markdown]
# ## 练习 2.3 · 哪些学习率会发散？（先预测，再运行，核心，约 10 分钟）
#
# 椭圆 $f(\theta) = 0.1\,\theta_1^2 + 2\,\theta_2^2$（`problems.ELLIPSE`）的黑塞矩阵（Hessian）为 $\operatorname{diag}(0.2, 4)$：$\mu = 0.2$，$L = 4$，$\kappa = 20$。梯度下降从 $\theta_0 = (-5, -2)$ 出发，走 100 步。对 $\eta = 0.1$、$0.45$ 和 $0.55$，**预测**它是发散（`True`）还是收敛（`False`）。

# %%
will_diverge = {0.1: ..., 0.45: ..., 0.55: ...}
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的每个 ... 换成 True 或 False，然后删掉这一行')

# %% [markdown]
# 运行实验：对每个学习率，画出到极小值的距离 $\|\theta_t\|$。

# %%
fig, ax = plt.subplots()
for lr in (0.1, 0.45, 0.55):
    path = problems.run(problems.ELLIPSE, "gd", (-5.0, -2.0), 100, lr=lr)
    ax.semilogy(np.linalg.norm(path, axis=1), label=f"η = {lr}" + (" (diverged)" if problems.diverged(path) else ""))
ax.axhline(np.hypot(5, 2), color="0.6", linestyle=":", label="starting distance")
ax.set_title("Gradient descent on the ellipse (L = 4, so 2/L = 0.5)")
ax.set_xlabel("step t")
ax.set_ylabel("distance to the minimum ‖θ_t‖")
ax.legend()
plt.show()

# %%
check.will_diverge(will_diverge)

# %% [markdown]
# ## 练习 2.4 · 多少步之后梯度会消失？（推导，核心，约 15 分钟）
#
# 配合 [2.2 梯度消失与梯度爆炸](../../chapters/02_concepts/02_vanishing_exploding.ipynb)。线性循环网络 $h_t = W h_{t-1}$ 在每一步都经过 $\partial h_t/\partial h_{t-1} = W$ 反向传播，因此 $T$ 步之后，梯度已被乘以 $(W^\top)^T$。设 $W$ 对称，谱半径（spectral radius）$\rho(W) = \rho < 1$。
#
# 1. 在纸上推导：$T$ 步最多能把梯度的范数乘以多大的因子 $\lVert (W^\top)^T\rVert_2$？（将 $W$ 对角化。）
# 2. 推导使每个梯度都至少缩小 `factor` 倍所需的**最少**步数 $T$。
#
# 编写 `steps_to_shrink(rho, factor)`，返回这个整数 $T$。检查会构造这样的矩阵并计数。

# %%
def steps_to_shrink(rho, factor):
    """Fewest steps T with ρ^T ≤ 1/factor."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：ρ^T ≤ 1/factor；两边取对数，并记住 T 是整数步')


# %%
check.steps_to_shrink(steps_to_shrink)

# %% [markdown]
# ## 练习 2.5 · 最佳的固定学习率（constant learning rate）及其收敛速度（推导，核心，约 20 分钟）
#
# 配合 [2.3 学习率](../../chapters/02_concepts/03_learning_rate.ipynb) 和 [3.6 预条件](../../chapters/03_algorithms/06_preconditioning.ipynb)。在曲率介于 $\mu$ 与 $L$ 之间的二次函数上，梯度下降每步把沿特征值为 $\lambda$ 的特征向量的误差乘以 $1 - \eta\lambda$，因此最慢的方向按因子 $\max_{\lambda\in\{\mu, L\}} |1 - \eta\lambda|$ 缩小。
#
# 推导使该因子最小的步长 $\eta^*$ 以及该因子 $\rho^*$ 本身，用 $L$、$\mu$（或 $\kappa = L/\mu$）表示。编写 `optimal_lr(L, mu)`，返回 `(eta_star, rate)`。检查会用你的 $\eta^*$ 以及 $\eta^*$ ± 3 % 运行课程库的梯度下降，并测量收敛速率。

# %%
def optimal_lr(L, mu):
    """(η*, ρ*) for gradient descent on a quadratic with curvatures in [μ, L]."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：画出 |1 − ηL| 和 |1 − ημ| 随 η 的变化：两者中较大的那个在哪里最小？')


# %%
check.optimal_lr(optimal_lr)

# %% [markdown]
# ## 练习 2.6 · 用黑塞矩阵-向量积（Hessian-vector product）求网络的尖锐度（sharpness）（实现，挑战，约 25 分钟）
#
# 配合 [2.4 尖锐度](../../chapters/02_concepts/04_sharpness.ipynb)。网络的黑塞矩阵 $H$ 太大，无法显式构造，但 autograd 能以两次反向传播的代价对任意 $v$ 给出 $Hv$。幂迭代（power iteration）仅凭这样的乘积就能找到模最大的特征值：反复执行 $v \leftarrow Hv/\lVert Hv\rVert$；然后 $\lambda_{\max} \approx v^\top H v$（对于极小值附近的损失的 $H$，其较大的特征值为正）。
#
# 编写 `sharpness(hvp, dim, iters, rng)`，仅使用 `hvp(v)`（一个对长度为 `dim` 的 numpy 向量 $v$ 返回 $Hv$ 的函数）来返回 $\lambda_{\max}$；从 `rng.normal(size=dim)` 出发。

# %%
def sharpness(hvp, dim, iters, rng):
    """λ_max of H by power iteration, from Hessian-vector products only."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：每做一次乘法就把 v 归一化，否则它会像 λ_max^k 那样增长；瑞利商 vᵀHv/vᵀv 给出 λ')


# %%
check.sharpness(sharpness)

# %% [markdown]
# **要点。** 一层的反向传播把传入的梯度乘以 $\sigma'(z)$ 和 $W$：这些就是那个会消失或爆炸的乘积中逐层的因子。而学习率有一个硬性上限 $2/L$，由*最陡*的方向决定——平坦的方向只决定在这个上限之下你收敛得有多慢：最好的情况是每步乘以 $(\kappa-1)/(\kappa+1)$。网络的 $L$ 就是它的尖锐度，而幂迭代无需构造 $H$ 就能测量它。

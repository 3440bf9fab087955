# %% [markdown]
# # 练习 3b · 算法：先推导，再让代码单元检验
#
# 第 3 部分的八道练习。其中六道要求**推导**：你在纸上推出一个结果，并把它写成关于这些符号的一个小函数；检查随后用课程库*测量*同一个量（运行一次优化器（optimizer）、模拟一个小批量（mini-batch）、构建一个深层网络），并加以比较。另外两道要求你**构建**某样东西：一个 RMSprop 步，以及带梯度检验（gradient check）的 BatchNorm 前向传播和反向传播。
#
# 记号（[0.1](../../chapters/00_preface/01_how_to_use.ipynb)）：$\ell$ 为损失，$\eta$ 为学习率（learning rate），$\lambda$ 为一个曲率（$H$ 的一个特征值），$\beta$ 为 SGD 的动量（momentum），$\beta_1, \beta_2$ 为 Adam 的衰减系数（decay rate），$B$ 为批量大小（batch size），$N$ 为样本数，$\sigma_g^2$ 为梯度噪声的方差，$n_{\mathrm{in}}$ 为扇入，$D$ 为深度。
#
# 填写每个标有 `raise NotImplementedError(...)` 的代码单元，然后运行其后的检查。

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import check, plots
from gradcourse.nets import gradcheck
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

check.language("zh")  # 检查结果用中文显示（"en"：英文）

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## 练习 3b.1 · 小批量梯度的噪声（推导，核心，约 20 分钟）
#
# 配合 [3.1 梯度下降、SGD 与小批量](../../chapters/03_algorithms/01_gd_sgd_minibatch.ipynb)。设 $N$ 个逐样本梯度 $g_1, \dots, g_N$（比如取它们的某一个坐标）的均值为 $\bar g$，总体方差为 $\sigma^2 = \frac1N\sum_i (g_i - \bar g)^2$。小批量梯度是从中**不放回**抽取的 $B$ 个梯度的均值。推导它的方差。（提示：把它写成 $\frac1B\sum_i s_i g_i$，其中 $s_i \in \{0, 1\}$，求出 $\operatorname{Var}(s_i)$ 和 $\operatorname{Cov}(s_i, s_j)$；并在 $B = 1$ 和 $B = N$ 时检验你的答案。）
#
# 编写 `minibatch_variance(sigma2, B, N)`。检查会在小数据集上枚举所有可能的批量。

# %%
def minibatch_variance(sigma2, B, N):
    """Variance of the mean of B of N values (population variance σ²) drawn without replacement."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：Var(s_i) = (B/N)(1 − B/N)，Cov(s_i, s_j) = −Var(s_i)/(N − 1)；答案是 σ²/B 乘以一个因子，该因子在 B = 1 时为 1，在 B = N 时为 0')


# %%
check.minibatch_variance(minibatch_variance)

# %% [markdown]
# ## 练习 3b.2 · SGD 的噪声下限（推导，核心，约 25 分钟）
#
# 配合 [3.2 SGD 理论](../../chapters/03_algorithms/02_sgd_theory.ipynb)。在 $\ell(\theta) = \frac12\lambda\theta^2$ 上，SGD 看到的是 $g_t = \lambda\theta_t + \xi_t$，其中噪声相互独立，均值为 0，方差为 $\sigma_g^2$，因此
#
# $$\theta_{t+1} = (1 - \eta\lambda)\,\theta_t - \eta\,\xi_t .$$
#
# 它永远到达不了极小值点：它会稳定在极小值点周围的一团“云”中。推导 $\theta$ 的平稳方差（对等式两边取方差，并令 $\operatorname{Var}\theta_{t+1} = \operatorname{Var}\theta_t$），然后推导那里的期望损失 $\mathbb E[\ell]$。编写 `sgd_noise_floor(lr, lam, sigma2)`；检查会运行库中 SGD 的 20,000 条链。

# %%
def sgd_noise_floor(lr, lam, sigma2):
    """E[ℓ] at stationarity for SGD with step η on ½λθ² with gradient noise of variance σ_g²."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：由 Var = (1 − ηλ)²Var + η²σ² 解出 Var；损失是 ½λθ²')


# %%
check.sgd_noise_floor(sgd_noise_floor)

# %% [markdown]
# 当 $\eta\lambda$ 较小时，噪声下限（noise floor）近似与 $\eta$ 成正比：把一个较小的学习率减半，下限也差不多减半。用库中的 SGD 观察它：

# %%
rng = np.random.default_rng(0)
fig, ax = plt.subplots()
for lr in (0.4, 0.1, 0.025):
    theta, state, curve = np.full(2000, 3.0), {}, []
    for _ in range(300):
        F.sgd_step(theta, theta + rng.normal(size=theta.shape), state, lr=lr)
        curve.append(0.5 * np.mean(theta**2))
    ax.semilogy(curve, label=f"η = {lr}")
    ax.axhline(sgd_noise_floor(lr, 1.0, 1.0), linestyle=":", color="0.5")
ax.set_title("SGD on ½θ² with noisy gradients: mean loss over 2,000 runs; dotted: your floor")
ax.set_xlabel("step t")
ax.set_ylabel("mean loss ℓ")
ax.legend()
plt.show()

# %% [markdown]
# ## 练习 3b.3 · 重球法能容忍多大的步长？（推导，挑战，约 25 分钟）
#
# 配合 [3.3 动量与 Nesterov](../../chapters/03_algorithms/03_momentum_nesterov.ipynb)。在 $\ell(\theta) = \frac12\lambda\theta^2$ 上，重球法 $\theta_{t+1} = \theta_t - \eta\lambda\theta_t + \beta(\theta_t - \theta_{t-1})$ 是一个线性递推：当 $z^2 - (1 + \beta - \eta\lambda)z + \beta = 0$ 时，$\theta_t = z^t$ 是它的解。当两个根都满足 $|z| < 1$ 时，它收敛。
#
# 对于 $0 \le \beta < 1$，在 $\eta$ 适中时两个根是复数（且 $|z| = \sqrt\beta < 1$）；随着 $\eta$ 增大，它们变为实数，而稳定范围终止于其中一个根达到 $z = -1$ 之处。推导最大的稳定 $\eta$，并编写 `heavy_ball_max_lr(lam, beta)`。检查会在略低于和略高于你给出的值处运行库中的动量法。

# %%
def heavy_ball_max_lr(lam, beta):
    """Largest η for which the heavy ball with momentum β converges on ½λθ²."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：把 z = −1 代入特征多项式，解出 η')


# %%
check.heavy_ball_max_lr(heavy_ball_max_lr)

# %% [markdown]
# ## 练习 3b.4 · 一个 RMSprop 步（实现，核心，约 10 分钟）
#
# 配合 [3.4 AdaGrad、RMSprop、Adadelta](../../chapters/03_algorithms/04_adagrad_rmsprop_adadelta.ipynb)。AdaGrad 把每个坐标的步长除以其梯度平方之*和*的平方根，所以它的步长只会缩小。RMSprop 则改用指数平均，衰减系数为 $\alpha$（torch 的 `alpha`，$v_0 = 0$）：每个坐标的步长为 $\eta\, g / (\sqrt{v} + \varepsilon)$，其中 $v$ 是 $g^2$ 的滑动平均。编写 `rmsprop_step(theta, grad, v, *, lr, alpha, eps)`，返回 `(theta, v)`，采用 torch 的形式（不做偏差修正（bias correction））。

# %%
def rmsprop_step(theta, grad, v, *, lr, alpha, eps):
    """One RMSprop step (torch's form); returns the new (theta, v)."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：α 和 1 − α 中哪一个给旧的平均值加权？ε 又该放在哪里？')


# %%
check.rmsprop_step(rmsprop_step)

# %% [markdown]
# ## 练习 3b.5 · Adam 的偏差修正从何而来（推导，核心，约 10 分钟）
#
# 配合 [3.5 Adam 及其家族](../../chapters/03_algorithms/05_adam_family.ipynb)。Adam 的一阶矩从 $m_0 = 0$ 开始，按 $m_t = \beta_1 m_{t-1} + (1 - \beta_1) g_t$ 求平均。假设到目前为止每个梯度都是同一个 $g$。展开递推式，推导 $m_t = c_t\, g$ 中的 $c_t$。编写 `adam_bias_factor(beta1, t)`；检查会从库中的 Adam 读出 $m_t$。

# %%
def adam_bias_factor(beta1, t):
    """c_t with m_t = c_t·g after t equal gradients g, from m_0 = 0."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：m_t = (1 − β₁)(g + β₁g + … + β₁^(t−1) g)：一个等比数列求和')


# %%
check.adam_bias_factor(adam_bias_factor)

# %% [markdown]
# ## 练习 3b.6 · 由方差递推得到 He 方差（推导，核心，约 20 分钟）
#
# 配合 [3.9 初始化](../../chapters/03_algorithms/09_initialization.ipynb)。在修正线性单元（ReLU）网络的第 $l$ 层（layer）中，$z^{(l)}_i = \sum_{j=1}^{n_{\mathrm{in}}} W_{ij}\, \phi(z^{(l-1)}_j)$，其中权重（weight）相互独立，均值为 0，方差为 $\operatorname{Var}(W)$，且与 $z^{(l-1)}$ 独立，后者的各分量关于 0 对称。
#
# 1. 证明 $\operatorname{Var}(z^{(l)}) = n_{\mathrm{in}}\operatorname{Var}(W)\,\mathbb E[\phi(z^{(l-1)})^2]$。
# 2. 证明对于 ReLU 和对称的 $z$，有 $\mathbb E[\phi(z)^2] = \frac12\mathbb E[z^2]$。
# 3. 选择 $\operatorname{Var}(W)$，使每一层的方差都相同。
#
# 编写 `he_variance(n_in)`。如果你的答案有误，检查会显示用它初始化的 30 层网络的信号每层增长或缩小多少。

# %%
def he_variance(n_in):
    """Var(W) that keeps Var(z) constant through a deep ReLU network."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：把 1 和 2 结合起来，要求每层的因子恰好为 1')


# %%
check.he_variance(he_variance)

# %% [markdown]
# ## 练习 3b.7 · 从零实现 BatchNorm：前向、反向、梯度检验（实现，挑战，约 40 分钟）
#
# 配合 [3.10 从零实现批量归一化](../../chapters/03_algorithms/10_batchnorm_from_scratch.ipynb)。在训练模式下，BatchNorm 对批量 $x$（形状为 `(N, features)`）的每个特征做归一化：
#
# $$\mu_B = \tfrac1N\textstyle\sum_n x_n, \quad \sigma_B^2 = \tfrac1N\sum_n (x_n - \mu_B)^2, \quad
#   \hat x = \frac{x - \mu_B}{\sqrt{\sigma_B^2 + \varepsilon}}, \quad y = \gamma\hat x + b ,$$
#
# 其中每个特征有一个可学习的缩放 $\gamma$ 和平移 $b$（即 torch 的 `weight` 和 `bias`；原论文把平移记作 $\beta$，而这个字母在这里表示动量）。给定 $dy = \partial\ell/\partial y$，推导 $d\gamma$、$db$ 和 $dx$——记住 $\mu_B$ 和 $\sigma_B^2$ 依赖于**每一个** $x_n$——并编写 `batchnorm(x, gamma, shift, dy, eps)`，返回 `(y, dx, dgamma, dshift)`。

# %%
def batchnorm(x, gamma, shift, dy, eps):
    """BatchNorm's forward pass (training mode) and its backward pass for the upstream gradient dy."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：沿 y → x̂ → (σ_B², μ_B) → x 反向计算，并把 x 到达 x̂ 的三条路径加起来')


# %% [markdown]
# 在运行检查之前，先自己做梯度检验：把你的 $dx$ 与 $\ell(x) = \sum y \odot dy$ 的中心有限差分（finite differences）进行比较（该函数的梯度恰好就是 $dy$ 的反向传播结果）。

# %%
rng = np.random.default_rng(1)
x_bn, gamma_bn, shift_bn, dy_bn = rng.normal(size=(6, 3)), rng.normal(size=3), rng.normal(size=3), rng.normal(size=(6, 3))


def loss_and_grad(x):
    y, dx, _, _ = batchnorm(x, gamma_bn, shift_bn, dy_bn, 1e-5)
    return float(np.sum(y * dy_bn)), dx


print(f"largest relative error of dx against finite differences: {gradcheck.gradient_check(loss_and_grad, x_bn):.1e}")

# %%
check.batchnorm(batchnorm)

# %% [markdown]
# ## 练习 3b.8 · 残差连接为什么能保住梯度（推导，核心，约 10 分钟）
#
# 配合 [3.11 归一化与残差连接](../../chapters/03_algorithms/11_normalization_residuals.ipynb)。取 $D$ 个标量模块。普通模块计算 $h \leftarrow a h$；残差模块计算 $h \leftarrow h + a h$。对这两种堆叠分别推导 $\partial h_D/\partial h_0$，并编写 `residual_gain(a, D)`，返回 `(plain, residual)`；检查使用 torch 的自动求导（autograd）。然后在 $a = 0.1$、$D = 20$ 时比较两者。

# %%
def residual_gain(a, D):
    """(∂h_D/∂h_0 through D plain blocks, through D residual blocks)."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：链式法则为每个块乘上一个导数')


# %%
check.residual_gain(residual_gain)

# %% [markdown]
# **要点。** 这里的每个结果都经过了测量，而不仅仅是推导：小批量噪声按 $1/B$ 下降，并在 $B = N$ 时消失；当 $\eta\lambda$ 较小时，SGD 的噪声下限近似与 $\eta$ 成正比；动量把稳定范围扩大到 $\eta < 2(1+\beta)/\lambda$；Adam 的 $m_t$ 一开始偏小，只有应有值的 $1 - \beta_1^t$ 倍；ReLU 使二阶矩减半，所以 He 初始化把方差加倍；BatchNorm 的梯度会流经批量统计量；残差模块的导数是 $1 + a$，而不是 $a$。

# %% [markdown]
# # 练习 3 · 算法：动量、Adam、裁剪、初始化、调度
#
# 与课程第 3 部分配套的八道练习：[动量](../../chapters/03_algorithms/03_momentum_nesterov.ipynb)、[Adam](../../chapters/03_algorithms/05_adam_family.ipynb)、[调度](../../chapters/03_algorithms/07_schedules.ipynb)、[裁剪](../../chapters/03_algorithms/08_clipping.ipynb)和[初始化](../../chapters/03_algorithms/09_initialization.ipynb)，以及[修复后的文档代码](../../chapters/04_code/01_documents_code_repaired.ipynb)。
#
# 填写每个标有 `raise NotImplementedError(...)` 的代码单元，然后运行其后的检查。请自己用 numpy 写出这些规则——检查会把你的结果与课程库（`gradcourse.optim`，它与 `torch.optim` 一致；`gradcourse.clip`；`gradcourse.init`；`gradcourse.schedules`）进行比较，所以直接导入这些库来作答什么也证明不了。
#
# 符号：$\theta$ 为参数（parameter），$g$ 为梯度（gradient），$\eta$ 为学习率（learning rate，`lr`），$\beta$ 为 SGD 的动量（momentum，`momentum`），$\beta_1, \beta_2$ 为衰减系数（decay rate，`betas`），$\varepsilon$（`eps`），$t = 1, 2, \dots$ 为步数计数器，$m$、$v$ 为一阶矩和二阶矩。

# %%
import matplotlib.pyplot as plt
import numpy as np

from gradcourse import check, plots, problems
from gradcourse.optim import functional as F
from gradcourse.seeding import seed_everything

check.language("zh")  # 检查结果用中文显示（"en"：英文）

seed_everything(0)
plots.use_book_style()

# %% [markdown]
# ## 练习 3.1 · 带动量的 SGD，torch 的形式（实现，核心，约 10 分钟）
#
# `torch.optim.SGD(momentum=β)` 保存一个由过去梯度构成的缓冲量 $b$：
#
# $$b_1 = g_1, \qquad b_t = \beta\, b_{t-1} + g_t \ (t \ge 2), \qquad \theta_t = \theta_{t-1} - \eta\, b_t .$$
#
# 编写 `momentum_step(theta, grad, buf, *, lr, momentum)`，返回一步之后的 `(theta, buf)`。第一步时 `buf` 为 `None`。（检查会在各步之间改变 $\eta$，所以 $\eta$ 放在哪里是有影响的。）

# %%
def momentum_step(theta, grad, buf, *, lr, momentum):
    """One step of SGD with momentum (torch's form); returns the new (theta, buf)."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：第一步还没有缓冲量；而且 η 乘在缓冲量之后，而不是缓冲量里面')


# %%
check.momentum_step(momentum_step)

# %% [markdown]
# ## 练习 3.2 · 找错误：A3 的动量（找错误，核心，约 15 分钟）
#
# 原始文章 A3（§4）为一个线性回归（linear regression）实现了动量的*重球*（heavy-ball）形式，$\theta_{t+1} = \theta_t - \eta\, g(\theta_t) + \beta\,(\theta_t - \theta_{t-1})$。下面是它的循环，除了梯度现在是任意函数 `grad_f(theta)` 之外，未作任何改动：

# %%
def momentum_a3(grad_f, theta, lr, beta, iterations):
    """A3's momentum loop (buggy)."""
    theta_prev = np.zeros_like(theta)
    for _ in range(iterations):
        theta = theta - lr * grad_f(theta) + beta * (theta - theta_prev)
        theta_prev = theta.copy()
    return theta


# %% [markdown]
# 在椭圆上运行它，并与普通梯度下降（gradient descent）和库中的动量法并列比较，观察它们的路径。

# %%
x0, lr, beta = np.array([-4.0, 2.0]), 0.1, 0.9
a3_path = np.array([momentum_a3(problems.ELLIPSE.grad, x0, lr, beta, k) for k in range(40)])
paths = {"A3's momentum": a3_path, "gd": problems.run(problems.ELLIPSE, "gd", x0, 39, lr=lr),
         "momentum": problems.run(problems.ELLIPSE, "momentum", x0, 39, lr=lr, momentum=beta)}
plots.contour_with_trajectories(problems.ELLIPSE, paths, title="A3's momentum vs gradient descent vs momentum")
plt.show()

# %% [markdown]
# 除了奇怪的第一步之外，A3 的“动量”走的是普通梯度下降的路径。找出原因，并写出修复后的循环。从 $\theta_{\text{prev}} = \theta_0$ 开始（此时还没有任何移动），使第一步是一个普通的梯度步。

# %%
def momentum_fixed(grad_f, theta, lr, beta, iterations):
    """A3's heavy-ball loop, repaired: θ_{t+1} = θ_t − η g(θ_t) + β(θ_t − θ_{t−1})."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：在 A3 的循环第二次迭代开始时，theta - theta_prev 等于多少？')


# %%
check.momentum_a3_bug(momentum_fixed)

# %% [markdown]
# ## 练习 3.3 · 带偏差修正的 Adam（实现，核心，约 15 分钟）
#
# Adam（Kingma & Ba，2015），采用 torch 的形式：
#
# $$m_t = \beta_1 m_{t-1} + (1-\beta_1)\,g_t, \qquad v_t = \beta_2 v_{t-1} + (1-\beta_2)\,g_t^2,$$
# $$\hat m_t = \frac{m_t}{1-\beta_1^t}, \qquad \hat v_t = \frac{v_t}{1-\beta_2^t}, \qquad
#   \theta_t = \theta_{t-1} - \eta\,\frac{\hat m_t}{\sqrt{\hat v_t} + \varepsilon}.$$
#
# $m_0 = v_0 = 0$，$t$ 从 1 开始计数。编写 `adam_step(theta, grad, m, v, t, *, lr, betas, eps)`，返回 `(theta, m, v)`。

# %%
def adam_step(theta, grad, m, v, t, *, lr, betas, eps):
    """One Adam step at step count t (t = 1 first); returns the new (theta, m, v)."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：t 从 1 开始；两个矩都要做修正；ε 放在平方根外面')


# %%
check.adam_step(adam_step)

# %% [markdown]
# ## 练习 3.4 · 找错误：A3 的 Adam（找错误，挑战，约 20 分钟）
#
# A3 的 Adam 用于线性回归 $Y \approx X\theta$，损失为 $\frac{1}{2n}\|X\theta - Y\|^2$，梯度为 $g = X^\top (X\theta - Y)/n$。循环是 A3 原样的（只是 `X` 现在每个特征占一列）。其中有**三个**错误。

# %%
def adam_a3(X, Y, theta, alpha, beta1, beta2, epsilon, iterations):
    """A3's Adam loop (buggy)."""
    m = len(X)
    v = np.zeros_like(theta)
    m_prev = np.zeros_like(theta)
    v_prev = np.zeros_like(theta)
    for _ in range(iterations):
        m = beta1 * m_prev + (1 - beta1) * (X.T @ (X @ theta - Y)) / m
        v = beta2 * v_prev + (1 - beta2) * (X.T @ (X @ theta - Y) ** 2)
        m_hat = m / (1 - beta1 ** iterations)
        v_hat = v / (1 - beta2 ** iterations)
        theta = theta - alpha * m_hat / (np.sqrt(v_hat) + epsilon)
        m_prev = m.copy()
        v_prev = v.copy()
    return theta


# %%
rng = np.random.default_rng(1)
X_reg = np.column_stack([np.linspace(-3, 3, 100), np.ones(100)])
Y_reg = X_reg @ np.array([2.0, 0.0]) + rng.normal(size=100)
with np.errstate(all="ignore"):  # A3's loop takes square roots of negative numbers
    print("A3's Adam after 1000 iterations:", adam_a3(X_reg, Y_reg, np.zeros(2), 0.01, 0.9, 0.999, 1e-7, 1000))
print("least squares:                  ", np.linalg.lstsq(X_reg, Y_reg, rcond=None)[0])

# %%
def adam_fixed(X, Y, theta, alpha, beta1, beta2, epsilon, iterations):
    """A3's Adam loop, repaired."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：三个错误：看看变量名 m、v 平均的是什么，以及偏差修正中的指数')


# %%
check.adam_a3_bug(adam_fixed)

# %% [markdown]
# ## 练习 3.5 · 按全局范数裁剪（实现，核心，约 10 分钟）
#
# 把所有梯度 $g_1, \dots, g_k$（每个参数一个数组）看作一个长向量；如果它的长度超过 `max_norm`，就把每个数组按同一个因子缩小：
#
# $$\|g\| = \sqrt{\textstyle\sum_i \|g_i\|^2}, \qquad c = \min\!\Big(1, \frac{\mathrm{max\_norm}}{\|g\| + 10^{-6}}\Big),
#   \qquad g_i \leftarrow c\, g_i .$$
#
# 编写 `clip_by_norm(grads, max_norm)`，返回一个由裁剪后的数组构成的新列表（$10^{-6}$ 是 torch 防止除以零的保护项）。

# %%
def clip_by_norm(grads, max_norm):
    """Clip a list of gradient arrays by their global 2-norm; return new arrays."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：所有数组合起来算一个范数，并且所有数组共用一个因子 c')


# %%
check.clip_by_norm(clip_by_norm)

# %% [markdown]
# ## 练习 3.6 · He 初始化（实现，核心，约 10 分钟）
#
# 对于后接修正线性单元（ReLU）的层（layer），He 等人（2015）从下面的分布中抽取权重（weight）：
#
# $$W \sim \mathcal N\!\Big(0, \frac{2}{n_{\mathrm{in}}}\Big),$$
#
# 采用 torch 的形状约定：Linear 层的权重形状为 `(out, in)`，所以 $n_{\mathrm{in}} = \text{in}$；卷积层的权重 `(out, in, k1, k2)` 有 $n_{\mathrm{in}} = \text{in}\cdot k_1 k_2$（代码中的 `fan_in`）。编写 `he_normal(shape, rng)`，用 numpy 随机数生成器 `rng` 抽取这样一个数组。

# %%
def he_normal(shape, rng):
    """W ~ N(0, 2/fan_in) of the given shape, drawn with rng."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：fan_in 统计一个输出单元的输入个数：in × 卷积核大小；rng.normal 接受的是标准差')


# %%
check.he_normal(he_normal)

# %% [markdown]
# ## 练习 3.7 · 线性学习率预热，然后余弦衰减（实现，核心，约 15 分钟）
#
# 这是大多数 Transformer 训练所用的调度，其中 $W$ = `warmup_steps`，$T$ = `total_steps`，步数从 $t = 0$ 开始计：
#
# $$\eta_t = \eta_0\,\frac{t}{W} \ (t < W), \qquad
#   \eta_t = \eta_0\,\frac{1 + \cos(\pi p)}{2},\ \ p = \min\!\Big(1, \frac{t - W}{T - W}\Big) \ (t \ge W).$$
#
# 编写 `warmup_cosine(step, *, base_lr, warmup_steps, total_steps)`，返回 $\eta_t$。

# %%
def warmup_cosine(step, *, base_lr, warmup_steps, total_steps):
    """Learning rate at step t: linear warmup from 0, then cosine decay to 0 at total_steps, then 0."""
    # YOUR CODE HERE（在这里写你的代码）
    raise NotImplementedError('练习尚未完成：分两种情况：t < W 与 t ≥ W；np.cos 的参数是弧度')


# %%
check.warmup_cosine(warmup_cosine)

# %%
lrs = [warmup_cosine(t, base_lr=0.1, warmup_steps=10, total_steps=100) for t in range(120)]
plots.schedule_curves({"your warmup + cosine": lrs}, title="Linear warmup (10 steps), then cosine (to step 100)",
                      log=False)
plt.show()

# %% [markdown]
# ## 练习 3.8 · Adam 与梯度尖峰（先预测，再运行，核心，约 10 分钟）
#
# 单个权重在 Adam（torch 的默认设置，$\eta = 10^{-3}$）下连续 100 步得到梯度 $g = 1$，然后出现一次尖峰 $g = 100$。**预测**尖峰时 Adam 的步长 $|\Delta\theta| / \eta$（对普通 SGD 而言它将是 $100$）。

# %%
adam_step_after_spike = ...
# YOUR CODE HERE（在这里写你的代码）
raise NotImplementedError('练习尚未完成：把上面的 ... 换成一个数（以 η 为单位的步长），然后删掉这一行')

# %% [markdown]
# 用库中的 Adam 和 SGD 运行它，并画出尖峰前后的步长。

# %%
lr, steps = 1e-3, {}
for name in ("adam", "sgd"):
    theta, state, lengths = np.zeros(1), {}, []
    for t in range(1, 111):
        before = theta.copy()
        F.step(name, theta, np.full(1, 100.0 if t == 101 else 1.0), state, lr=lr)
        lengths.append(abs(theta - before)[0] / lr)
    steps[name] = lengths
print(f"at the spike: Adam |Δθ|/η = {steps['adam'][100]:.3g}, SGD |Δθ|/η = {steps['sgd'][100]:.3g}")
fig, ax = plt.subplots()
for name, lengths in steps.items():
    ax.semilogy(range(1, 111), lengths, label=name, **plots.style_for(name))
ax.set_title("Step length around a gradient spike at t = 101")
ax.set_xlabel("step t")
ax.set_ylabel("|Δθ| / η")
ax.legend()
plt.show()

# %%
check.adam_spike_prediction(adam_step_after_spike)

# %% [markdown]
# **要点。** $\eta$ 放在哪里、$t$ 是什么，都不是细节：它们会改变数值，检查能够发现这一点。动量需要*前一个*位置；Adam 需要步数计数器、梯度的平方，以及放在根号外的 $\varepsilon$。在尖峰出现的那一步，Adam 的步长仍约为 $\eta$——但 Adam 并不做裁剪：尖峰进入 $m$，在接下来的几步中持续沿它的方向推动；尖峰也进入 $v$，在之后大约 $1/(1-\beta_2)$ 步内使步长一直偏短。在 [3.5](../../chapters/03_algorithms/05_adam_family.ipynb) 中，一次尖峰使 Adam 的损失升高约 15 倍。当尖峰是虚假的（一个坏批量）时，应在 Adam *之前*裁剪梯度（[3.8](../../chapters/03_algorithms/08_clipping.ipynb)）；Adam 与裁剪可以组合使用，两者互不替代。

# %% [markdown]
# # 6.2 Claims checked
#
# Which statements of the five source articles A1–A5 (identified in the [preface](../00_preface/01_how_to_use.ipynb))
# can you believe? This page is the one full record: every substantive technical claim, section by section,
# quoted in the original Chinese with an English translation, with a verdict — **true** (correct, perhaps loosely
# worded), **partly** (true only in part, or under conditions it does not state), **FALSE** (and the "What is true"
# column says what to believe instead), *n/a* (no checkable claim) — and the evidence: a cell on this page
# (**E1 … E24**, below the table), a question in [6.1](01_faq.ipynb), or the chapter that teaches the subject.
# Other chapters link a row as `02_claims_checked.ipynb#claim-N`.

# %% tags=["hide-input"]
import collections
import math
import re
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

from gradcourse import clip, data, diagnostics, documents, nets, optim, plots, problems, schedules
from gradcourse.claims import claim
from gradcourse.seeding import seed_everything

seed_everything(0)
plots.use_book_style()
torch.set_num_threads(1)  # tiny networks: one thread is fastest
rng = np.random.default_rng(0)
step = optim.functional.step

# %% [markdown]
# ## The table
#
# | # | Doc § | The document says (中文 → English) | Verdict | What is true | Evidence |
# |---|---|---|---|---|---|
# | <span id="claim-1"></span>1 | A1 §1 | 「梯度消失问题导致了优化深度神经网络的难以预测的行为，这使得在实际应用中找到最佳的学习率变得非常困难」 — vanishing gradients make optimization unpredictable and the best learning rate hard to find. | partly | When gradients vanish, layers see gradients of very different sizes, so no single global learning rate suits them all. But the learning rate cannot *cure* vanishing; initialization, normalization and residual connections do. | [E1](#e1), [2.2](../02_concepts/02_vanishing_exploding.ipynb) |
# | <span id="claim-2"></span>2 | A1 §2.1 | 「由于每一层的输出与下一层的输入之间的非线性关系，参数梯度可能会逐渐衰减（梯度消失）或者逐渐放大（梯度爆炸）」 — gradients decay or grow *because of* the nonlinear relation between layers. | partly | Decay and growth come from the back-propagated gradient being a **product of per-layer Jacobians** $W^{(l)\top}\mathrm{diag}\,\phi'(z^{(l)})$. Nonlinearity is not needed: a deep *linear* network vanishes or explodes just the same, depending on the scale of its weights {cite:p}`saxe2014exact`. | [E1](#e1) |
# | <span id="claim-3"></span>3 | A1 §2.1 | 「梯度消失问题主要出现在深度网络的前馈过程中……梯度爆炸问题则主要出现在反向传播过程中」 — vanishing happens mainly in the forward pass, exploding mainly in back-propagation. | **FALSE** | Both are properties of the **backward** pass (gradients are only computed there), and the same mechanism produces both: per-layer factors below 1 shrink the product, factors above 1 blow it up. | [E1](#e1) |
# | <span id="claim-4"></span>4 | A1 §2.2 | 「学习率是指模型参数更新的步长」 — the learning rate is the step size of the parameter update. | true | Yes: $\eta$ multiplies the gradient; the actual step length is $\eta\,\lVert g\rVert$. | [2.3](../02_concepts/03_learning_rate.ipynb) |
# | <span id="claim-5"></span>5 | A1 §3.1 | 「梯度下降法是一种最先进的优化算法」 — gradient descent is a state-of-the-art (most advanced) optimization algorithm. | **FALSE** | Gradient descent is the most *basic* first-order method; momentum, adaptive methods and second-order methods build on it. | [3.1](../03_algorithms/01_gd_sgd_minibatch.ipynb) |
# | <span id="claim-6"></span>6 | A1 §3.1 | 「$\theta_{t+1} = \theta_t - \alpha \nabla_{\theta}L(\theta_t)$」 — the gradient-descent update. | true | Correct. On a quadratic it converges if and only if $0<\eta<2/L$. | [E13](#e13), [2.3](../02_concepts/03_learning_rate.ipynb) |
# | <span id="claim-7"></span>7 | A1 §3.2 | 「固定学习率……不能适应训练过程中的变化，可能导致收敛速度过慢或不稳定」 — a fixed learning rate cannot adapt, may be too slow or unstable. | true | Broadly right: with a constant $\eta$, SGD stalls in a noise ball around the minimum, which is why schedules decay $\eta$. | [3.7](../03_algorithms/07_schedules.ipynb) |
# | <span id="claim-8"></span>8 | A1 §3.2 | 「指数衰减学习率……$\alpha_t = \alpha \times (1 - \frac{t}{T})^{\gamma}$」 — "exponentially decaying learning rate" with this formula. | **FALSE** | That formula is **polynomial** decay (it reaches 0 at $t=T$). Exponential decay is $\alpha_t=\alpha\,\gamma^t$: a constant ratio $\alpha_{t+1}/\alpha_t=\gamma$. | [E3](#e3) |
# | <span id="claim-9"></span>9 | A1 §3.2 | 「重启学习率：在训练过程中，当损失函数达到一个阈值时，重置学习率并继续训练」 — restarts reset the learning rate when the loss reaches a threshold. | partly | Warm restarts (SGDR, {cite:p}`loshchilov2017sgdr`) restart on a **fixed calendar** of steps $T_0, T_0T_{\mathrm{mult}},\dots$; the schedule never looks at the loss. | [E4](#e4) |
# | <span id="claim-10"></span>10 | A1 §3.2 | AdaGrad: 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{G_{t} + \epsilon}} \nabla_{\theta}L(\theta_t)$，其中，$G_{t}$是参数梯度累积值」 — $G_t$ is "the accumulated gradient". | partly | $G_t$ must be the per-coordinate sum of **squared** gradients, $G_t=\sum_{s\le t} g_s^2$ {cite:p}`duchi2011adaptive`; torch puts $\varepsilon$ outside the root: $\alpha\, g/(\sqrt{G_t}+\varepsilon)$. | [E5](#e5) |
# | <span id="claim-11"></span>11 | A1 §3.2 | RMSprop: 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{\text{decayrate} \times G_{t} + \epsilon}} \nabla_{\theta}L(\theta_t)$」 — the AdaGrad sum multiplied by a decay rate. | **FALSE** | RMSprop keeps an exponential moving **average** of squared gradients, $E[g^2]_t=\rho\,E[g^2]_{t-1}+(1-\rho)\,g_t^2$, and divides by $\sqrt{E[g^2]_t}+\varepsilon$ {cite:p}`tieleman2012lecture`. A sum scaled by a constant still grows without bound, so the documented rule still shrinks every step like $1/\sqrt{t}$ — exactly the AdaGrad problem RMSprop was made to fix. | [E6](#e6) |
# | <span id="claim-12"></span>12 | A1 §3.2 | 「Adam是一种结合了动态学习率调整和梯度裁剪的优化算法」 — Adam combines dynamic learning-rate adjustment with gradient clipping. | **FALSE** | Adam does **not** clip. It combines momentum (first moment $m$) with RMSprop-style scaling (second moment $v$) and bias correction {cite:p}`kingma2015adam`. A huge gradient enters $m$ and $v$ unclipped; clipping is a separate step you add. | [E7](#e7), [3.8](../03_algorithms/08_clipping.ipynb) |
# | <span id="claim-13"></span>13 | A1 §3.2 | 「通过使用指数衰减方法来计算参数梯度移动平均值，从而减少梯度消失问题」 — the moving averages reduce the vanishing-gradient problem. | partly | Adam's per-parameter normalization makes the step size (almost) independent of the gradient's scale, so layers with tiny gradients still move. That masks the symptom; the signal that back-propagation carries still vanishes. | [E7](#e7) |
# | <span id="claim-14"></span>14 | A1 §3.2 | Adam: 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{v_t} + \epsilon} m_t$」 | partly | The moments are right, but the **bias correction** $\hat m_t=m_t/(1-\beta_1^t)$, $\hat v_t=v_t/(1-\beta_2^t)$ is missing. Without it the first hundreds of steps are up to 6.6× too large (3.16× at $t=1$). | [E8](#e8), [3.5](../03_algorithms/05_adam_family.ipynb) |
# | <span id="claim-15"></span>15 | A1 §4 (code) | TensorFlow Adam linear regression; after training: `loss_value = model(X).numpy()` and `print("Loss:", loss_value)`. | partly | The training loop is fine and fits slope ≈ 3, intercept ≈ 2. But what it prints under "Loss:" is the **100 predictions** $\hat y$, not the loss (≈ 0.22, close to the variance 0.25 of the noise the data were made with). | [E9](#e9), [4.1](../04_code/01_documents_code_repaired.ipynb) |
# | <span id="claim-16"></span>16 | A1 §4 | 「在训练过程中，我们使用了梯度下降法来更新模型参数，并使用动态学习率调整策略来调整学习率」 and 「训练一个深度神经网络」 — the example uses a dynamic learning-rate schedule and trains a deep network. | **FALSE** | The code uses a **constant** `learning_rate=0.01` with no scheduler, and its model is one `Dense(1)` layer: linear regression, not a deep network. | [E9](#e9) |
# | <span id="claim-17"></span>17 | A1 §5 | Future directions (new optimizers, structure optimization, adaptive learning rates, hardware). | *n/a* | A research wish-list; no checkable technical claim. The standard fixes that do exist (initialization, normalization, residual connections, gating) are not mentioned. | [1.1](../01_background/01_why_depth_is_hard.ipynb) |
# | <span id="claim-18"></span>18 | A1 §6 Q1 | 「在深度网络的前馈过程中，参数梯度可能会逐渐衰减，导致模型无法收敛」 — gradients decay in the forward pass, so the model cannot converge. | partly | The decay is in the backward pass (row 3). And the model does not "fail to converge": the *early layers learn very slowly* while the last layers fit. | [FAQ A1-Q1](01_faq.ipynb#a1-q1) |
# | <span id="claim-19"></span>19 | A1 §6 Q2 | 「梯度爆炸问题主要是由于梯度传播的过程中的累积而导致的」 — explosion comes from accumulation during propagation. | partly | A *product* of per-layer factors larger than 1, not an accumulation (sum). The symptom is a loss that jumps to inf/NaN. | [E1](#e1), [FAQ A1-Q2](01_faq.ipynb#a1-q2) |
# | <span id="claim-20"></span>20 | A1 §6 Q4 | 「如果模型收敛速度较快，可以尝试使用较小的学习率；如果模型收敛速度较慢，可以尝试使用较大的学习率」 — if it converges fast, try a smaller rate; if slow, a larger one. | **FALSE** | Backwards as a rule: fast convergence is no reason to slow down. Use the stability bound $\eta<2/L$ and a learning-rate range test {cite:p}`smith2017cyclical`; too large a rate *diverges*. | [FAQ A1-Q4](01_faq.ipynb#a1-q4), [E13](#e13) |
# | <span id="claim-21"></span>21 | A1 §6 Q5 | 「处理梯度消失与梯度爆炸问题的方法包括使用不同的优化算法、动态学习率调整策略、结构优化、自适应学习率等」 | partly | Missing the fixes that work: careful initialization, normalization, residual connections, gated recurrent units (LSTM) and, for explosion, gradient clipping. | [FAQ A1-Q5](01_faq.ipynb#a1-q5) |
# | <span id="claim-22"></span>22 | A1 ref. [1] | Kingma & Ba (2014), Adam, arXiv:1412.6980. | true | Correct (published at ICLR 2015). | {cite:p}`kingma2015adam` |
# | <span id="claim-23"></span>23 | A1 ref. [2] | 「Reddi, S., Roberts, J., & Abdol-maleki, A. (2018). On the Convergence of Adam and Beyond. arXiv:1811.01432」 | **FALSE** | Wrong authors and wrong id: the paper is by **Reddi, Kale & Kumar**, ICLR 2018, arXiv:**1904.09237**. | {cite:p}`reddi2018convergence` |
# | <span id="claim-24"></span>24 | A1 ref. [3] | 「Du, M., Li, H., & Liu, Z. (2018). Gradient Explosion and Vanishing in Neural Networks: The Difficulty of Learning Deep Representations. arXiv:1811.03384」 | **FALSE** | No such paper could be found; the title echoes real works {cite:p}`bengio1994learning,pascanu2013difficulty`. Treat as invented. | — |
# | <span id="claim-25"></span>25 | A1 ref. [4] | 「Unkel, O., & Schraudolph, N. (2016). On the Effect of Learning Rate and Weight Initialization in Deep Learning. arXiv:1608.05781」 | **FALSE** | No such paper could be found. Treat as invented. | — |
# | <span id="claim-26"></span>26 | A1 ref. [5] | 「You, Y., Noh, H., & Bengio, Y. (2017). Large Batch Training of Deep Learning Models. arXiv:1706.02063」 | **FALSE** | Garbled: the real paper is **You, Gitman & Ginsburg (2017), "Large Batch Training of Convolutional Networks", arXiv:1708.03888** (LARS). | {cite:p}`you2017large` |
# | <span id="claim-27"></span>27 | A2 §1 | 「本文将从数学层面分析……并提出一种新型的学习率衰减策略……基于新型学习率衰减策略设计了一种新的优化器算法——Adam」 — the article proposes a new decay strategy and designs Adam from it. | **FALSE** | The article proposes no decay strategy, and Adam was introduced by {cite:t}`kingma2015adam`. It also promises experiments on clipping, momentum and Adam (「通过实验验证」) and contains none. | — |
# | <span id="claim-28"></span>28 | A2 §1 | 「梯度消失指的是当输入的大小变化较大时，梯度值的大小也会相应缩小……对于一个线性函数，其参数θ……随着参数θ越来越小，其导数δθ也会逐渐接近于0」 — vanishing means the gradient shrinks when inputs vary; for a linear function the derivative goes to 0 as θ shrinks. | **FALSE** | Vanishing means the gradient reaching the **early layers** is exponentially smaller than at the last layer, because of depth. For a linear function $f=\theta x$ the derivative $\partial f/\partial\theta = x$ does not depend on $\theta$ at all. | [E1](#e1), [E2](#e2) |
# | <span id="claim-29"></span>29 | A2 §1 | 「梯度爆炸……发生在代价函数（损失函数）较大的情况下，使得参数更新步长增大，从而引发模型的过拟合现象」 — explosion happens when the loss is large, and causes overfitting. | **FALSE** | Explosion is set by the per-layer Jacobians, not by the size of the loss (the amplification is the same for a tiny and a huge loss). Its consequence is divergence (inf/NaN), not overfitting. | [E2](#e2), [E13](#e13) |
# | <span id="claim-30"></span>30 | A2 §1 | 「由于深度神经网络的复杂结构和非凸函数，导致……存在复杂的局部极值点，使得深度学习模型在训练过程中难以避免遇到梯度消失或爆炸的问题」 — local extrema of a non-convex loss cause vanishing/exploding. | **FALSE** | Local minima and vanishing/exploding gradients are different things. The cause is depth: a long product of per-layer factors. | [E1](#e1) |
# | <span id="claim-31"></span>31 | A2 §1 fix 1 | 「正则化：对神经网络模型进行正则化的方法可以一定程度上缓解梯度消失和爆炸问题。如……采用Dropout等方式」 | partly | Regularization (weight decay, dropout) targets **overfitting** {cite:p}`srivastava2014dropout`. Weight decay keeps weights small, which can restrain explosion a little; dropout does nothing for vanishing. | [3.11](../03_algorithms/11_normalization_residuals.ipynb) |
# | <span id="claim-32"></span>32 | A2 §1 fix 2 | 「初始化模型的参数可以改善梯度的稳定性。如用较小的初始学习率、小的batch size，或者采用Xavier初始化方法等」 | partly | Xavier/He initialization: yes {cite:p}`glorot2010understanding,he2015delving`. A small learning rate or a small batch is not initialization and does not change the per-layer gain. | [E22](#e22), [3.9](../03_algorithms/09_initialization.ipynb) |
# | <span id="claim-33"></span>33 | A2 §1 fix 3 | 「梯度裁剪用于限制网络的梯度值大小」 — clipping limits the gradient's size. | true | Yes, and it is the standard remedy for *exploding* gradients {cite:p}`pascanu2013difficulty`. It does nothing for vanishing ones. | [E14](#e14), [3.8](../03_algorithms/08_clipping.ipynb) |
# | <span id="claim-34"></span>34 | A2 §1 fix 4 | 「动量可以使得网络能够更好地跳跃到局部最小值」 — momentum helps the network "jump to" local minima. | partly | Momentum averages gradients: it accelerates along consistent low-curvature directions and damps oscillation across steep ones. "Jumping" is not the mechanism. | [3.3](../03_algorithms/03_momentum_nesterov.ipynb) |
# | <span id="claim-35"></span>35 | A2 §1 fix 5 | 「Adam是一款自适应学习率的优化器。它结合了动量法和RMSprop算法」 | true | Correct (plus bias correction). | [3.5](../03_algorithms/05_adam_family.ipynb) |
# | <span id="claim-36"></span>36 | A2 §2 | Quadratic roots: 「$x_1 = (-b + \sqrt{b^2-4ac}) / 2a$ 和 $x_2 = (-b - \sqrt{b^2-4ac}) / 2a$」 | true | The formula is right (for $a\ne0$; real roots need $b^2-4ac\ge0$). It has nothing to do with gradients. | [E10](#e10) |
# | <span id="claim-37"></span>37 | A2 §2 | The "proof": 「假设f(x) = O(x^0)……那么就存在一个常数ε>0，使得 $\lvert f(x)\rvert \le \varepsilon\lvert x\rvert$」 and 「若 $\lvert f(x_n)\rvert > \varepsilon\lvert x_n\rvert$，则有 $\lvert f(x_{n+1})\rvert > \lvert f(x_n)\rvert$，所以 $x_{n+1}$ 不会收敛到 $x^*$」 | **FALSE** | Not a proof. $\lvert f(x)\rvert\le\varepsilon\lvert x\rvert$ forces $f(0)=0$, false whenever $c\ne0$; and Newton's method does converge from points where $\lvert f(x_n)\rvert>\varepsilon\lvert x_n\rvert$, with $\lvert f\rvert$ *decreasing*. The later steps (「令x = (b^2-4ac) / 2a^2」 …) do not follow from anything. | [E10](#e10) |
# | <span id="claim-38"></span>38 | A2 §2 | 「f'(x1)和f'(x2)相同。由此可知，最优解也就确定了」 and 「其极小值就是两点之间的斜率」 — the derivatives at the two roots are equal; the minimum is the slope between the roots. | **FALSE** | $f'(x)=2ax+b$ gives $f'(x_1)=+\sqrt{b^2-4ac}=-f'(x_2)$: opposite, equal only for a double root. The minimum of $ax^2+bx+c$ ($a>0$) is at $x=-b/2a$ with value $c-b^2/4a$; the slope between the roots is 0. | [E10](#e10) |
# | <span id="claim-39"></span>39 | A2 §2 | Taylor series: 「$f(x) = f(a) + \frac{f'(a)(x-a)}{1!}+\frac{(f''(a)+\cdots)(x-a)^2}{2!}+\cdots+\frac{(f^{(k)}(a)+\cdots+f^{(m)}(a))(x-a)^k}{k!}$」 | **FALSE** | The $k$-th term is $f^{(k)}(a)(x-a)^k/k!$ — one derivative, not a sum of derivatives. Read as printed (first two terms plain, the $k$-th coefficient $f^{(k)}+\dots+f^{(m)}$), the series of $e^x$ at $a=0$ with $m=10$ gives 2.81 at $x=0.5$ instead of $e^{0.5}=1.65$: ≈ 1.7× too large. | [E11](#e11) |
# | <span id="claim-40"></span>40 | A2 §2 | 「如果f'(a)=0，那么无论如何x→a，都会使得f(x)的值无限增大，从而出现梯度消失问题」 — if $f'(a)=0$, $f(x)$ grows without bound as $x\to a$: that is gradient vanishing. | **FALSE** | $f'(a)=0$ means $a$ is a stationary point; a differentiable $f$ is continuous, so $f(x)\to f(a)$. Nothing grows, and a zero derivative of a scalar function is not the vanishing-gradient problem. | [E11](#e11) |
# | <span id="claim-41"></span>41 | A2 §2 | 「如果函数f(x)=e^(-x^2)在x=0处取最小值……f'(x)=-2xe^{-x^2}≠0」 | **FALSE** | $e^{-x^2}$ has its **maximum** (1) at $x=0$, and $f'(0)=0$. | [E11](#e11) |
# | <span id="claim-42"></span>42 | A2 §2 | 「如果函数在某一点处的导数达到了一个很小的值，就称这个点是"鞍点"」 — a point where the derivative is very small is a "saddle point". | **FALSE** | A saddle point is a stationary point ($\nabla f=0$) whose Hessian has eigenvalues of **both signs**: a minimum along some directions, a maximum along others. A small gradient near a minimum is not a saddle. | [E12](#e12) |
# | <span id="claim-43"></span>43 | A2 §2 | 「如果函数f(x)的输入数据很大，而输出的梯度值又非常大，那么，就会出现梯度爆炸的问题……表现为模型的训练精度不断提高，但是，在测试阶段却无法取得很好的效果」 — exploding gradients show as rising training accuracy and poor test results. | **FALSE** | That describes **overfitting**. Exploding gradients show as loss spikes, enormous updates and inf/NaN. | [E2](#e2), [FAQ A1-Q2](01_faq.ipynb#a1-q2) |
# | <span id="claim-44"></span>44 | A2 §2 | 「如果f'(x)>c，则称f(x)具有振荡性」 — if $f'(x)>c$, $f$ "oscillates". | **FALSE** | A large derivative is not oscillation. Gradient descent oscillates (the sign flips every step) when $1<\eta L<2$ and diverges when $\eta L>2$: it is the product of step size and curvature that matters. | [E13](#e13) |
# | <span id="claim-45"></span>45 | A2 §2 | 「一般情况是梯度爆炸问题的发生概率比较低，但是随着网络结构的增加，梯度爆炸的概率就会增大」 | partly | The risk grows with depth (and with sequence length in RNNs), true. "Low probability" is not a property of networks: it depends on initialization and architecture. | [E1](#e1) |
# | <span id="claim-46"></span>46 | A2 §2 | Clipping: 「绝对值裁剪……范数裁剪：对梯度进行标准化处理，使得梯度范数始终保持在某个阈值之内」 | true | Right. Value clipping clamps each coordinate (and can change the direction); norm clipping rescales the whole gradient (and keeps the direction). | [E14](#e14) |
# | <span id="claim-47"></span>47 | A2 §2 | Momentum: 「$v_{t+1} = \beta v_t+(1-\beta)g_t,\ \hat{x}_{t+1}=x_t-\alpha v_{t+1}$」, β 通常取0.9或0.99 | partly | A valid ("dampened", EMA) form of momentum — apart from the stray hat on $x$. It is exactly torch's SGD momentum with learning rate $\alpha(1-\beta)$; so with the same $\alpha$ it takes 10× smaller steps than torch's form at β = 0.9. | [E15](#e15) |
# | <span id="claim-48"></span>48 | A2 §2 | 「Adam……是由 Kingma and Ba 中的 Adam 等人在 2014 年提出的」 | partly | By Kingma & Ba (arXiv 2014, ICLR 2015); "Adam et al." is not an author. | {cite:p}`kingma2015adam` |
# | <span id="claim-49"></span>49 | A2 §2 | Adam update: 「$\hat{x}_t = \hat{x}_{t-1} - \alpha \cdot \frac{\sqrt{1- \beta_2^{2(t-1)}}}{\sqrt{1- \beta_1^{2t}}}\frac{m_t}{\sqrt{v_t}+\epsilon}$」 (our transcription of 「β^2_2^{t-1}」, 「β^2_1^{t}」) | **FALSE** | The bias-corrected step is $\alpha\,\frac{\sqrt{1-\beta_2^{t}}}{1-\beta_1^{t}}\,\frac{m_t}{\sqrt{v_t}+\hat\varepsilon}$: exponent $t$ in both, no squared betas, and no root over the $\beta_1$ term. With the printed factor the first step is **exactly zero**. | [E16](#e16) |
# | <span id="claim-50"></span>50 | A2 §2 | 「Adam 对深度学习中的梯度更新有着很好的鲁棒性和稳定性，因而被广泛使用」 | partly | Widely used, yes; but Adam can fail to converge even on a simple convex problem {cite:p}`reddi2018convergence`, which AMSGrad fixes. | [3.5](../03_algorithms/05_adam_family.ipynb) |
# | <span id="claim-51"></span>51 | A3 §2.1 | 「梯度消失指的是在神经网络中，随着层数的增加，梯度逐层传播的过程中，梯度逐渐趋近于0」 and the matching definition of explosion. | true | Correct definitions. | [E1](#e1) |
# | <span id="claim-52"></span>52 | A3 §2.2 | 「优化策略主要包括选择合适的优化算法、调整学习率、使用正则化等。技巧主要包括使用不同的激活函数、调整网络结构、使用批量归一化等」 | partly | Activation choice, architecture (residuals) and batch normalization help; regularization does not address vanishing/exploding (row 31). | [3.11](../03_algorithms/11_normalization_residuals.ipynb) |
# | <span id="claim-53"></span>53 | A3 §3.1 | 「$\theta_{t+1} = \theta_t - \alpha \nabla J(\theta_t)$」 | true | Correct. | [E13](#e13) |
# | <span id="claim-54"></span>54 | A3 §3.2 | Momentum: 「$\theta_{t+1} = \theta_t - \alpha \nabla J(\theta_t) + \beta \Delta \theta_t$，其中……$\Delta \theta_t$ 表示参数更新量」 | true | With $\Delta\theta_t=\theta_t-\theta_{t-1}$ this is Polyak's heavy ball {cite:p}`polyak1964some`, identical to torch's SGD with momentum β. (A3's own code breaks it: row 59.) | [E15](#e15) |
# | <span id="claim-55"></span>55 | A3 §3.3 | Adam: 「$\theta_{t+1} = \theta_t - \frac{\alpha}{\sqrt{v_t + \epsilon}} m_t$」 | partly | No bias correction (row 14), and $\varepsilon$ sits *inside* the root, where it acts like $\sqrt{\varepsilon}=10^{-4}$: for gradients of size $10^{-5}$ the *first* step is 100× smaller than torch's Adam's (the gap narrows as the missing bias correction fades). | [E8](#e8) |
# | <span id="claim-56"></span>56 | A3 §3.3 | 「Adam算法是一种自适应学习率的优化算法，它结合了动量法和RMSprop算法的优点」 | true | Correct. | [3.5](../03_algorithms/05_adam_family.ipynb) |
# | <span id="claim-57"></span>57 | A3 §4 (code) | `X = np.linspace(-3, 3, 100)`, `theta = np.random.randn(1, 1)`, `X.T @ (X @ theta - Y)` | **FALSE** | `X` is 1-D (shape (100,)), so `X @ theta` with `theta` of shape (1, 1) raises `ValueError`: the code crashes before the first update. | [E17](#e17), [4.1](../04_code/01_documents_code_repaired.ipynb) |
# | <span id="claim-58"></span>58 | A3 §4 | 「从结果中可以看出，不同优化算法在线性回归问题上的表现是不同的」 — the results show the optimizers differ. | **FALSE** | There are no results: the code cannot run (row 57). | [E17](#e17) |
# | <span id="claim-59"></span>59 | A3 §4 | Momentum code: `theta = theta - alpha * grad + beta * (theta - theta_prev)` then `theta_prev = theta.copy()` | **FALSE** | `theta_prev` is set to the *new* `theta`, so `theta - theta_prev` is 0 from the second step on: the momentum term vanishes and the loop is plain gradient descent (after a spurious first kick $\beta\theta_0$). | [E17](#e17) |
# | <span id="claim-60"></span>60 | A3 §4 | Adam code: `m = len(X)` then `m = beta1 * m_prev + …/ m`; `v = … (X.T @ (X @ theta - Y) ** 2)`; `m_hat = m / (1 - beta1 ** iterations)` | **FALSE** | Three bugs: the sample count `m` is overwritten by the moment (so later steps divide by the moment); `v` averages $X^\top r^2$, not $g^2=(X^\top r/N)^2$ ($N$ examples); and the bias correction uses the *total* `iterations` (where $1-0.9^{1000}$ is exactly 1.0 in floating point) instead of the step $t$. | [E17](#e17) |
# | <span id="claim-61"></span>61 | A3 §5 | Future challenges (efficiency, choice of optimizer, balance of structure and optimizer). | *n/a* | No checkable technical claim. | — |
# | <span id="claim-62"></span>62 | A3 §6 Q2 | 「通常，可以通过验证集或者学习率衰减策略来选择合适的学习率」 — choose the rate with a validation set or a decay schedule. | partly | A validation sweep works but is expensive; a decay schedule does not choose the initial rate. The LR range test and $\eta<2/L$ are the tools. | [FAQ A3-Q2](01_faq.ipynb#a3-q2) |
# | <span id="claim-63"></span>63 | A3 §6 Q3 | 「动量法和Adam算法都是自适应学习率的优化算法」 — momentum and Adam are both adaptive-learning-rate methods. | **FALSE** | Momentum is **not** adaptive: its step scales with the gradient. Adam's per-parameter normalization makes its step (nearly) independent of the gradient's scale. | [FAQ A3-Q3](01_faq.ipynb#a3-q3), [E7](#e7) |
# | <span id="claim-64"></span>64 | A4 §2 | 「梯度是……模型参数相对于损失函数的偏导数」 — the gradient is the partial derivative of the parameters with respect to the loss. | partly | Inverted: it is the partial derivative of the **loss with respect to the parameters**, $\partial\ell/\partial\theta$. | [2.1](../02_concepts/01_backprop_from_scratch.ipynb) |
# | <span id="claim-65"></span>65 | A4 §2.2.1 | 「梯度消失主要发生在权重矩阵的乘法过程中，由于乘法的传递性质，梯度会逐渐减小」 | partly | The gradient is a product of per-layer factors (weights *and* activation slopes); when they are below 1 the product shrinks. "Transitive property of multiplication" means nothing here. | [E1](#e1) |
# | <span id="claim-66"></span>66 | A4 §2.2.2 | 「梯度爆炸主要发生在激活函数的非线性过程中，由于非线性函数的极值特性，梯度会逐渐增大」 — explosion comes from the nonlinear activations. | **FALSE** | Activation slopes cannot grow the gradient: $\sigma'\le 1/4$, $\tanh'\le1$, $\mathrm{ReLU}'\le1$. Explosion comes from weights with large singular values; a deep *linear* network explodes too. | [E19](#e19), [E1](#e1) |
# | <span id="claim-67"></span>67 | A4 §3.1 | 「损失函数 $J(\theta)$ 是一个不断变化的函数，它的变化是基于模型参数 $\theta$ 的更新」 | partly | $J$ is a fixed function of $\theta$; its *value* changes because $\theta$ moves. (With mini-batches the sampled loss also changes from batch to batch.) | — |
# | <span id="claim-68"></span>68 | A4 §3.2 | Chain rule 「$\frac{\partial J}{\partial \theta_i} = \sum_{j} \frac{\partial J}{\partial z_j} \frac{\partial z_j}{\partial \theta_i}$」 | true | Correct. | [E21](#e21), [2.1](../02_concepts/01_backprop_from_scratch.ipynb) |
# | <span id="claim-69"></span>69 | A4 §3.3 | 「学习率越大，算法更快地收敛，但也可能导致过拟合。学习率越小，算法收敛速度较慢，但可能更稳定」 | **FALSE** | Larger is faster only up to $\eta=2/(L+\mu)$; beyond it convergence slows, and above $2/L$ gradient descent **diverges**. Too large a rate causes divergence, not overfitting. | [E13](#e13) |
# | <span id="claim-70"></span>70 | A4 §3.4 | 「使用不同的权重初始化方法，例如Xavier初始化或He初始化，以避免梯度消失和梯度爆炸」 — use Xavier or He initialization to avoid vanishing and exploding gradients. | partly | Matched to the activation (Xavier for tanh, He for ReLU) they keep signal and gradient variance constant across layers *at initialization*. They do not rescue sigmoid nets (σ′ ≤ 1/4 and non-zero-mean outputs: with Xavier, 20 sigmoid layers still give a first/last gradient ratio ≈ 1e-12), and they say nothing about what happens during training. | [3.9](../03_algorithms/09_initialization.ipynb) |
# | <span id="claim-71"></span>71 | A4 §3.4 | 「使用批量梯度下降（mini-batch gradient descent）而不是梯度下降，以减少梯度的变化，从而稳定训练过程」 — mini-batches reduce the gradient's variation. | **FALSE** | The opposite: a mini-batch gradient is a *noisier* estimate of the full gradient (variance ∝ 1/B). Mini-batches are used because each step is cheaper, and they do nothing for vanishing/exploding. | [E18](#e18) |
# | <span id="claim-72"></span>72 | A4 §3.4 | 「使用动态学习率，例如Adam优化器，它会根据梯度的变化自适应地调整学习率」 | partly | Adam scales each parameter's step by a running RMS of its gradient; that is not a learning-rate *schedule*, and it does not remove vanishing gradients (row 13). | [E7](#e7) |
# | <span id="claim-73"></span>73 | A4 §4 (code) | TensorFlow MLP (Dense(10, relu) → Dense(1)), SGD lr 0.01, 1000 full-batch steps on random data, printing the loss every 100 epochs. | partly | The code runs and the loss falls (the same network in numpy goes from ≈ 1 to ≈ 0.006). But it sets no seed, so its numbers change on every run, and it demonstrates nothing about gradient stability. | [E20](#e20), [4.1](../04_code/01_documents_code_repaired.ipynb) |
# | <span id="claim-74"></span>74 | A4 §5 | 「非梯度优化方法，如梯度下降的变体（例如Nesterov accelerated gradient）或随机梯度下降（SGD）的变体，将会成为深度学习中优化方法的主流」 — NAG and SGD are "non-gradient" methods. | **FALSE** | Nesterov's method and SGD are gradient methods: every update is built from (stochastic) gradients. | [FAQ A4-§5](01_faq.ipynb#a4-s5) |
# | <span id="claim-75"></span>75 | A4 §5 | 「梯度的稳定性对于模型解释性至关重要」 — gradient stability is crucial for interpretability. | *n/a* | Unsupported; not a claim the article argues or this course can check. | — |
# | <span id="claim-76"></span>76 | A4 §6 Q3 | 「如果学习率太大，算法可能会过快地更新参数，导致模型过拟合」 | **FALSE** | Same error as row 69: divergence, not overfitting. | [E13](#e13), [FAQ A4-Q3](01_faq.ipynb#a4-q3) |
# | <span id="claim-77"></span>77 | A4 §6 Q4 | 「梯度下降算法的收敛速度可能较慢，因为它是一种第一阶段优化方法……由于权重的数量非常大，梯度下降算法可能会遇到收敛速度较慢的问题」 | partly | First-order, yes; but the rate is set by the **condition number** $\kappa=L/\mu$, not by the number of weights: per step the error shrinks by $(\kappa-1)/(\kappa+1)$ in 2 dimensions and in 1000. | [E20](#e20), [FAQ A4-Q4](01_faq.ipynb#a4-q4) |
# | <span id="claim-78"></span>78 | A5 §1.1 | 「传统优化算法主要包括梯度下降法、随机梯度下降法……和反向差分法（Backpropagation）」 — backpropagation is an optimization algorithm. | **FALSE** | Back-propagation is not an optimizer: it **computes** the gradient (reverse-mode differentiation, {cite:p}`rumelhart1986learning`); an optimizer then uses it. | [E21](#e21), [FAQ A5-1](01_faq.ipynb#a5-backprop) |
# | <span id="claim-79"></span>79 | A5 §1.1.3 | 「反向差分法……通过计算网络输出与目标值之间的差分来估计梯度……可以避免计算整个网络的梯度」 | **FALSE** | Back-propagation computes the **exact** gradient of **every** parameter in one backward pass (chain rule), not a finite-difference estimate, and it skips no part of the network. | [E21](#e21) |
# | <span id="claim-80"></span>80 | A5 §1.1.2 | 「随机梯度下降法……通过使用小批量数据来计算梯度，从而加速收敛过程……减少内存需求和计算开销」 | partly | Cheaper steps and less memory: true. Faster per *epoch* of wall-clock, yes; per step the gradient is noisier (row 71). | [E18](#e18) |
# | <span id="claim-81"></span>81 | A5 §1.2 (and §2.2) | 「梯度消失问题的主要原因是深层神经网络中的参数之间存在复杂的非线性关系」 | partly | As row 2: the cause is the product of per-layer factors; it happens in linear networks too. | [E1](#e1) |
# | <span id="claim-82"></span>82 | A5 §1.3.1 | 「重置网络参数是一种简单的方法，它通过随机重置网络参数来避免梯度消失问题」 | **FALSE** | Re-drawing the weights from the same distribution gives the same per-layer gain, so the gradient vanishes again. | [E22](#e22) |
# | <span id="claim-83"></span>83 | A5 §1.3.2 | 「使用更大的学习率……可能导致模型过拟合」 | **FALSE** | A global learning rate scales every layer's update by the same factor: it cannot undo the *relative* vanishing; too large a rate diverges (not overfits). | [FAQ A5-3](01_faq.ipynb#a5-lr) |
# | <span id="claim-84"></span>84 | A5 §1.4.2 | 「使用更广的网络……可以有效地解决梯度消失问题，因为它可以减少参数之间的非线性关系，从而使梯度在传播过程中保持稳定」 — wider networks solve vanishing gradients. | **FALSE** | Width does not change the per-layer gain (fan-in-scaled initialization keeps it fixed): a 20-layer sigmoid network vanishes by ~$10^{-12}$ at width 16, 64 and 256 alike. | [E22](#e22), [FAQ A5-2](01_faq.ipynb#a5-wider) |
# | <span id="claim-85"></span>85 | A5 §1.4.3–1.4.5 | 「使用更深更广的网络和批量正则化和Dropout……可以有效地解决梯度消失问题」 | partly | Batch normalization (if that is what 「批量正则化」 means) helps {cite:p}`ioffe2015batch`; depth makes vanishing worse; dropout does not address it. The decisive fix, residual connections {cite:p}`he2016deep`, is missing. | [E23](#e23) |
# | <span id="claim-86"></span>86 | A5 §3.2 | "Mathematical model of vanishing": 「$\nabla J(\theta_t) = \prod_{i=1}^n \sigma'(z_i) \nabla J(\theta_{t-1})$」 | **FALSE** | It confuses the *training step* $t$ with the *layer index*. The product runs over layers inside **one** backward pass: $\partial\ell/\partial h^{(l)} = \big(\prod_{k>l} W^{(k)\top}\mathrm{diag}\,\phi'(z^{(k)})\big)\,\partial\ell/\partial h^{(D)}$. From one training step to the next the gradient does not shrink by $\prod\sigma'$. | [E23](#e23) |
# | <span id="claim-87"></span>87 | A5 §3.3 | "Solution model": 「$\nabla J(\theta_t) = \prod_{i=1}^n \sigma'(z_i) \nabla J(\theta_{t-1}) + \epsilon$」, ε 表示梯度消失问题的噪声 | **FALSE** | Adding a noise term models no remedy. Remedies change the per-layer factors (initialization, normalization) or add an identity path: with a residual block $h^{(l+1)}=h^{(l)}+F(h^{(l)})$ the Jacobian is $I+\partial F/\partial h^{(l)}$. | [E23](#e23) |
# | <span id="claim-88"></span>88 | A5 §4 (code) | XOR with one sigmoid layer: `gradient = np.dot(X.T, (2 * (y[i] - y_pred)))`, `theta -= learning_rate * gradient` | **FALSE** | Three faults. The sign is wrong, so the loop **ascends** the loss; the $\sigma'$ factor is missing (`sigmoid_derivative` is defined, never used); and a single layer without bias cannot represent XOR at all. A hidden layer fixes it. | [E24](#e24), [4.1](../04_code/01_documents_code_repaired.ipynb) |
# | <span id="claim-89"></span>89 | A5 §4.2 | 「通过这个代码实例，我们可以看到……如何解决梯度消失问题」 — the code shows how to solve vanishing gradients. | **FALSE** | A one-layer model has no depth and therefore no vanishing gradient to solve. | [E24](#e24) |
# | <span id="claim-90"></span>90 | A5 §5–6 | Future trends; conclusion 「我们详细讨论了梯度消失问题的历史……」 | *n/a* | The "history" names none of the works that defined the problem {cite:p}`hochreiter1991untersuchungen,bengio1994learning,hochreiter1997long`. | — |
# | <span id="claim-91"></span>91 | A5 refs [1], [2], [4], [20] | Goodfellow et al. 2016 (MIT Press); LeCun, Bengio & Hinton 2015 (Nature 521); Hochreiter & Schmidhuber 1997 (Neural Computation 9(8)); Devlin et al. 2018 (BERT, arXiv:1810.04805). | true | Real works, correctly cited. | {cite:p}`goodfellow2016deep`, {cite:p}`hochreiter1997long` |
# | <span id="claim-92"></span>92 | A5 ref [3] | Rumelhart, Hinton & Williams (1986), "Learning internal representations by error propagation", 「In P. E. Hart (Ed.), Expert Systems in the Microcosm (Lecture Notes in Computer Science, Vol. 251…)」 | partly | Real authors and title, invented venue: the chapter appeared in *Parallel Distributed Processing*, Vol. 1 (MIT Press, 1986). Their Nature paper is "Learning representations by back-propagating errors". | {cite:p}`rumelhart1986learning` |
# | <span id="claim-93"></span>93 | A5 refs [5], [25] | 「Bengio, Y., & LeCun, Y. (2009). Learning deep architectures for AI」 and 「Bengio, Y., Courville, A., & Vincent, P. (2009). Learning deep architectures for AI. In Proceedings of the IEEE conference on artificial intelligence」 | partly / **FALSE** | The monograph is by **Yoshua Bengio alone**, Foundations and Trends in Machine Learning 2(1):1–127 (2009). [25] duplicates it with wrong co-authors and a non-existent venue. | — |
# | <span id="claim-94"></span>94 | A5 refs [6], [34] | Simonyan & Zisserman (2014), VGG, 「In Proceedings of the IEEE CVPR (pp. 10–18)」 (twice) | partly | Real paper, wrong venue: arXiv:1409.1556, published at ICLR 2015. | — |
# | <span id="claim-95"></span>95 | A5 refs [7], [33] | Szegedy et al. (2015), "Going deeper with convolutions", CVPR, with author 「Rabatti, E.」 (twice) | partly | Real paper; the last author is A. Rabinovich. | — |
# | <span id="claim-96"></span>96 | A5 refs [8], [28] | He et al. (2016), ResNet, 「(pp. 77–86)」; and 「He, K., Zhang, X., Schroff, F., & Sun, J. (2015). Deep residual learning. In Proceedings of the IEEE conference on artificial intelligence」 | partly / **FALSE** | CVPR 2016, **pp. 770–778**, authors He, Zhang, Ren, Sun. [28] is a duplicate with an invented co-author and venue. | {cite:p}`he2016deep` |
# | <span id="claim-97"></span>97 | A5 refs [9], [22] | Vaswani et al. (2017), "Attention is all you need", 「In Proceedings of the 2017 conference on empirical methods in natural language processing」 and again as 「Vaswani, A., Schuster, M., & Sutskever, I. … In Proceedings of the IEEE conference on computer vision and pattern recognition」 | **FALSE** | Published in *Advances in Neural Information Processing Systems 30* (NeurIPS 2017), pp. 5998–6008, by Vaswani, Shazeer, Parmar, Uszkoreit, Jones, Gomez, Kaiser and Polosukhin — not in EMNLP or CVPR; [22] invents co-authors. | — |
# | <span id="claim-98"></span>98 | A5 refs [10], [30] | 「Huang, L., Liu, Z., Van Der Maaten, L., & Weinberger, K. Q. (2018). Densely connected convolutional networks. CVPR (pp. 596–605)」 and the same with 「Huang, G.」, 2017, pp. 1–9 | partly | DenseNet: Gao Huang et al., CVPR 2017 (pp. 4700–4708). | — |
# | <span id="claim-99"></span>99 | A5 refs [11], [12] | 「Radford, A., Metz, L., & Chintala, S. (2020). DALL-E: Creating images from text with Convolutional Transformers. OpenAI Blog」; 「Brown, J. S., Koichi, W., & Roberts, N. (2020). Language Models are Unsupervised Multitask Learners. OpenAI Blog」 | **FALSE** | Invented attributions. "Language Models are Unsupervised Multitask Learners" (GPT-2) is by Radford et al., 2019; Radford, Metz & Chintala wrote the DCGAN paper (2015); the DALL·E post (2021) has no such title. | — |
# | <span id="claim-100"></span>100 | A5 refs [13], [14], [21], [37] | 「Self-attention all the way to RL」 (ICMLA 2019); 「R-CNN as feature detectors」 (CVPR 2015); 「Learning to translate with attention」 (CVPR 2017); 「Aggregating convolutions for deep image super-resolution」 (CVPR 2017) | **FALSE** | No such papers could be found: treat as invented. | — |
# | <span id="claim-101"></span>101 | A5 ref [15] | 「Redmon, J., Farhadi, A., & Zisserman, A. (2016). You only look once: Real-time object detection with region proposal networks」 | **FALSE** | Garbled: YOLO is "You Only Look Once: Unified, Real-Time Object Detection" (Redmon, Divvala, Girshick, Farhadi, CVPR 2016); "region proposal networks" comes from the Faster R-CNN title. | — |
# | <span id="claim-102"></span>102 | A5 refs [16], [17], [31] | Instance normalization by 「Ulyanov, D., Kornblith, S., Larochelle, Y., & Bengio, Y.」 (CVPR); Squeeze-and-excitation by 「Hu, G., Liu, S., & Wei, W.」 (twice) | **FALSE** | Instance normalization: Ulyanov, Vedaldi & Lempitsky (2016, arXiv preprint). Squeeze-and-excitation: **J. Hu, L. Shen, G. Sun**, CVPR 2018, pp. 7132–7141. | — |
# | <span id="claim-103"></span>103 | A5 refs [18], [38]–[47] | 「Zhang, Y., Zhang, H., Zhang, H., & Zhang, H. (2018). ShuffleNet…」 repeated eleven times (the list is cut off mid-entry) | **FALSE** | ShuffleNet is by **X. Zhang, X. Zhou, M. Lin, J. Sun** (CVPR 2018). The repetitions are a generation artifact. | — |
# | <span id="claim-104"></span>104 | A5 refs [19], [23], [24] | 「Esmaeilzadeh & Alizadeh (2018). A survey on deep learning for NLP. arXiv:1807.04171」; 「Kim, J. (2015). Convolutional neural networks for sentence classification」; 「Mikolov, T., Chen, K., & Sutskever, I. (2013)… In Proceedings of the 2013 conference on empirical methods in natural language processing」 | **FALSE** / partly | [19] could not be found. [23] is by Yoon Kim (EMNLP 2014). [24] is by Mikolov, Chen, Corrado & Dean (arXiv:1301.3781), not an EMNLP paper. | — |
# | <span id="claim-105"></span>105 | A5 refs [26], [27], [29], [32], [35], [36] | 「Practical recommendations for training very deep neural networks」 (Bengio, Dauphin, Mannor); 「Understanding the difficulty of training deep models」 (IEEE conf. AI); batch normalization in CVPR; 「Lin, T., Dai, J., Jia, Y., & Sun, J. (2014). Network in network」; 「Striving for simplicity: The loss landscape of deep networks…」 (Springenberg, Nowlan, Hinton); 「Wang, L., Chen, Y., … (2018). Wide residual networks」 | **FALSE** | Real titles or topics with wrong authors/venues: Bengio (2012), "Practical recommendations for gradient-based training of deep architectures"; Glorot & Bengio, "…deep feedforward neural networks", **AISTATS** 2010; Ioffe & Szegedy, **ICML** 2015; Network in Network by Lin, Chen & Yan (ICLR 2014); "Striving for Simplicity: The All Convolutional Net" by Springenberg, Dosovitskiy, Brox & Riedmiller; Wide Residual Networks by **Zagoruyko & Komodakis** (BMVC 2016). | {cite:p}`glorot2010understanding`, {cite:p}`ioffe2015batch` |
#
# **Tally.** Of the 105 rows, 14 are true, 34 partly true and 50 false; 3 grouped reference rows mix partly
# and false entries, and 4 rows contain no checkable claim. The reference lists fare worst: of A1's five
# references one is right; of A5's forty-seven, four.

# %% tags=["hide-input"]
rows = [line for line in Path("02_claims_checked.py").read_text(encoding="utf-8").splitlines()
        if re.match(r'# \| <span id="claim-\d+"></span>\d+ \|', line)]
verdicts = collections.Counter(line.split(" | ")[4].replace("*", "").strip().lower() for line in rows)
numbers = [int(re.search(r"claim-(\d+)", line).group(1)) for line in rows]
claim(numbers == list(range(1, 106)), f"the table has {len(rows)} rows, anchored claim-1 … claim-{numbers[-1]}")
claim((verdicts["true"], verdicts["partly"], verdicts["false"], verdicts["n/a"]) == (14, 34, 50, 4)
      and verdicts["partly / false"] + verdicts["false / partly"] == 3, f"the tally is counted: {dict(verdicts)}")

# %% [markdown]
# ## The evidence
#
# Each cell is small and fast. The library does the work; where a document's own *formula* is tested, the cell
# writes it out, marked "as printed"; where its *program* is tested, the cell runs the text from
# `gradcourse.documents`.
#
# ### E1–E2 · Where vanishing and exploding come from (rows 1–3, 19, 28–30, 43, 45, 51, 65, 66, 81)
#
# - <span id="e1"></span>**E1** They happen in the backward pass and need no nonlinearity: in a 30-layer **linear**
#   network with weights from $N(0, g^2/n_{\mathrm{in}})$ the signal changes by about $g$ per layer.
# - <span id="e2"></span>**E2** The amplification does not depend on the size of the loss: back-propagation is
#   linear in $\partial\ell/\partial\hat y$.

# %% tags=["hide-input"]
X, Y = rng.standard_normal((16, 32)), rng.standard_normal((16, 1))
first_over_last = {}
for gain in (0.5, 1.0, 1.5):
    net = nets.NumpyMLP([32] * 31 + [1], activation="identity", init="normal", std=gain / np.sqrt(32), seed=0)
    n = [np.linalg.norm(s) for s in net.loss_and_grads(X, Y)[2]]  # ‖∂ℓ/∂h⁽ˡ⁾‖, first layer first
    first_over_last[gain] = n[0] / n[-1]
claim(first_over_last[0.5] < 1e-6 and 0.1 < first_over_last[1.0] < 10 and first_over_last[1.5] > 1e3,
      "first/last layer gradient of a linear net, gain 0.5 / 1 / 1.5: "
      + ", ".join(f"{r:.1e}" for r in first_over_last.values()) + " — vanishing and exploding without σ")
net = nets.NumpyMLP([4] * 21 + [1], activation="identity", init="normal", std=0.75, seed=1)
x_one = rng.standard_normal((1, 4))
results = {}
for target in (0.0, 1e3):
    loss, _, signals = net.loss_and_grads(x_one, np.array([[target]]))
    results[target] = (loss, np.linalg.norm(signals[0]) / np.linalg.norm(signals[-1]))
claim(results[1e3][0] > 1e3 * results[0.0][0] and math.isclose(results[0.0][1], results[1e3][1], rel_tol=1e-9),
      f"losses {results[0.0][0]:.3g} and {results[1e3][0]:.3g}: the same amplification {results[0.0][1]:.4g}")

# %% [markdown]
# ### E3–E6 · Schedules and accumulators (rows 8–11)
#
# - <span id="e3"></span>**E3** A1's "exponential decay" $\alpha(1-t/T)^\gamma$ is polynomial decay: exponential decay
#   has a **constant ratio** $\eta_{t+1}/\eta_t = \gamma$.
# - <span id="e4"></span>**E4** Warm restarts follow a calendar, not a loss threshold.
# - <span id="e5"></span>**E5** AdaGrad accumulates *squared* gradients.
# - <span id="e6"></span>**E6** A1's RMSprop is AdaGrad in disguise: with a constant gradient $g = 1$, RMSprop's
#   average of $g^2$ settles and its step stays η; A1's $\sqrt{\rho\,G_t}$ with $G_t = \sum g^2 = t$ shrinks like $1/\sqrt t$.

# %% tags=["hide-input"]
T, t = 100, np.arange(101)
as_printed = 0.1 * (1 - t / T) ** 2.0  # A1 §3.2 as printed, γ = 2
polynomial = schedules.schedule_values(schedules.polynomial_decay, T + 1, base_lr=0.1, total_iters=T, power=2.0)
exponential = schedules.schedule_values(schedules.exponential_decay, T + 1, base_lr=0.1, gamma=0.96)
ratio_poly, ratio_exp = polynomial[1:T] / polynomial[: T - 1], exponential[1:] / exponential[:-1]
claim(np.allclose(as_printed, polynomial, rtol=1e-12), "A1's formula is schedules.polynomial_decay, step for step")
claim(np.ptp(ratio_exp) < 1e-12 < 0.5 < np.ptp(ratio_poly) and polynomial[T] == 0 < exponential[T],
      f"η_(t+1)/η_t: exponential {ratio_exp[0]:.2f} throughout; A1's falls from {ratio_poly[0]:.3f} to "
      f"{ratio_poly[-1]:.3f} and reaches η = 0 at t = T")
sgdr = schedules.schedule_values(schedules.cosine_warm_restarts, 60, base_lr=0.1, T_0=20)
restarts = (np.flatnonzero(np.diff(sgdr) > 0) + 1).tolist()
claim(restarts == [20, 40], f"SGDR with T_0 = 20 restarts at steps {restarts}, whatever the loss does")
theta, state, g = np.zeros(2), {}, np.array([3.0, -0.5])
for _ in range(4):
    step("adagrad", theta, g, state, lr=0.1)
claim(np.allclose(state["sum"], 4 * g**2), f"after 4 equal gradients G = {state['sum']} = 4·g², not 4·g")
theta, state = np.zeros(1), {}
for _ in range(1000):
    before = theta.copy()
    step("rmsprop", theta, np.ones(1), state, lr=0.01, alpha=0.9)
rmsprop_last = abs(theta - before)[0] / 0.01
a1_last = 1 / np.sqrt(0.9 * 1000 + 1e-8)  # A1 §3.2 as printed, in units of η, at t = 1000
claim(abs(rmsprop_last - 1) < 1e-3 and a1_last < 0.05,
      f"step 1000: RMSprop {rmsprop_last:.3f} η, A1's formula {a1_last:.3f} η (still shrinking as 1/√t)")

# %% [markdown]
# ### E7–E9 · Adam, and A1's program (rows 12–16, 55, 63, 72)
#
# - <span id="e7"></span>**E7** Adam does not clip, and its step ignores the gradient's scale.
# - <span id="e8"></span>**E8** Without bias correction (A1's $\eta\,m_t/(\sqrt{v_t}+\varepsilon)$, computed from the
#   library's state) the early steps are too large; with ε inside the root (A3's $\eta\,m/\sqrt{v+\varepsilon}$) a
#   tiny gradient's step is far too small.
# - <span id="e9"></span>**E9** A1's program prints the predictions as "Loss": its model and data, trained with the
#   library's Adam for its 1000 steps at η = 0.01 ([4.1](../04_code/01_documents_code_repaired.ipynb) runs it all).

# %% tags=["hide-input"]
state, state_clipped = {}, {}
step("adam", np.zeros(1), np.array([1e6]), state, lr=1e-3)
(clipped,), _ = clip.clip_by_global_norm([np.array([1e6])], max_norm=1.0)
step("adam", np.zeros(1), clipped, state_clipped, lr=1e-3)
claim(math.isclose(state["exp_avg"][0], 1e5) and state_clipped["exp_avg"][0] < 0.11,
      f"g = 1e6 enters m unclipped (m = {state['exp_avg'][0]:.3g}); clipping first gives m = "
      f"{state_clipped['exp_avg'][0]:.3g} — clipping is a separate step")
first = {}
for scale in (1e-4, 1.0, 1e4):
    theta = np.zeros(1)
    step("adam", theta, np.array([scale]), {}, lr=1e-3)
    first[scale] = abs(theta[0])
claim(all(math.isclose(s, 1e-3, rel_tol=1e-3) for s in first.values()),
      "Adam's first step for gradients 1e-4, 1, 1e4: " + ", ".join(f"{s:.6f}" for s in first.values()) + " (= η)")
theta, state, ratio = np.zeros(1), {}, []
for _ in range(300):
    before = theta.copy()
    step("adam", theta, np.ones(1), state, lr=1e-3)
    uncorrected = 1e-3 * state["exp_avg"][0] / (np.sqrt(state["exp_avg_sq"][0]) + 1e-8)  # A1 §3.2 as printed
    ratio.append(uncorrected / abs(theta - before)[0])
claim(math.isclose(ratio[0], 0.1 / math.sqrt(0.001), rel_tol=1e-6) and max(ratio) > 6,
      f"uncorrected / corrected step: {ratio[0]:.2f} at t = 1, up to {max(ratio):.2f} (t = {np.argmax(ratio) + 1})")
theta, state = np.zeros(1), {}
step("adam", theta, np.array([1e-5]), state, lr=1e-3)
a3_step = 1e-3 * state["exp_avg"][0] / np.sqrt(state["exp_avg_sq"][0] + 1e-8)  # A3 §3.3 as printed
claim(abs(theta[0]) > 0.99e-3 and a3_step < 0.02 * abs(theta[0]),
      f"g = 1e-5: torch's Adam steps {abs(theta[0]):.2e}, A3's ε-inside formula {a3_step:.2e}")
Xr, yr = data.linear_regression(100, seed=1)
w, b, states = np.zeros(1), np.zeros(1), ({}, {})
for _ in range(1000):
    r = w * Xr[:, 0] + b - yr[:, 0]
    step("adam", w, np.array([2 * np.mean(r * Xr[:, 0])]), states[0], lr=0.01)
    step("adam", b, np.array([2 * np.mean(r)]), states[1], lr=0.01)
printed = w * Xr + b  # what A1 prints under "Loss:": model(X)
claim(abs(w[0] - 3) < 0.15 and abs(b[0] - 2) < 0.15 and printed.shape == (100, 1),
      f"the fit works (slope {w[0]:.3f}, intercept {b[0]:.3f}) but 'Loss:' prints an array of shape {printed.shape}; "
      f"the loss is {np.mean((printed - yr) ** 2):.3f}")

# %% [markdown]
# ### E10–E12 · A2's mathematics (rows 36–42)
#
# - <span id="e10"></span>**E10** The quadratic-roots "proof", and Newton's method from where A2 says it fails.
# - <span id="e11"></span>**E11** Taylor series: for $f = e^x$ at $a = 0$ every derivative is 1, so A2's $k$-th
#   coefficient $f^{(k)}+\dots+f^{(m)}$ is $m-k+1$ (from $k = 2$; the first two terms are printed plain); and $e^{-x^2}$.
# - <span id="e12"></span>**E12** A saddle point has a zero gradient and curvature of both signs.

# %% tags=["hide-input"]
a, b, c = 1.0, -3.0, 2.0
f, df = (lambda x: a * x * x + b * x + c), (lambda x: 2 * a * x + b)
x1, x2 = (-b + math.sqrt(b * b - 4 * a * c)) / (2 * a), (-b - math.sqrt(b * b - 4 * a * c)) / (2 * a)
claim(f(x1) == f(x2) == 0 and df(x1) == -df(x2) != 0,
      f"roots {x1}, {x2}: f′ = {df(x1)} and {df(x2)} — opposite, not equal")
claim(f(-b / (2 * a)) == c - b * b / (4 * a) == -0.25 and (f(x2) - f(x1)) / (x2 - x1) == 0,
      f"the minimum is f({-b / (2 * a)}) = {f(-b / (2 * a))}; the slope between the roots is 0; and |f(0)| = {c} > ε·0")
xs = [10.0]
for _ in range(8):  # Newton's method, from a point where A2 says it cannot converge
    xs.append(xs[-1] - f(xs[-1]) / df(xs[-1]))
values = np.abs([f(x) for x in xs])
claim(values[0] > 0.1 * xs[0] and np.all(np.diff(values) < 0) and values[-1] < 1e-12,
      f"Newton from x0 = 10: |f| falls {values[0]:.0f} → {values[-1]:.0e}")
x, m = 0.5, 10
taylor = sum(x**k / math.factorial(k) for k in range(m + 1))
as_printed = 1 + x + sum((m - k + 1) * x**k / math.factorial(k) for k in range(2, m + 1))  # A2 §2 as printed
claim(abs(taylor - math.exp(x)) < 1e-9 and 1.6 < as_printed / math.exp(x) < 1.8,
      f"m = 10, x = 0.5: e^0.5 = {math.exp(x):.4f}; Taylor {taylor:.4f}; A2's series {as_printed:.4f} — "
      f"{as_printed / math.exp(x):.2f}× too large")
gauss = lambda z: math.exp(-z * z)  # noqa: E731
claim(max(gauss(z) for z in np.linspace(-3, 3, 601)) == gauss(0.0) == 1.0 and abs(gauss(1e-6) - gauss(-1e-6)) < 1e-15,
      "e^(−x²) has its maximum (1) at 0, where its derivative is 0")
eigs = np.linalg.eigvalsh(problems.SADDLE.hessian(np.zeros(2)))
near_min = np.array([1e-4, 1e-4])
bowl = problems.Quadratic(kappa=1.0)
claim(np.allclose(problems.SADDLE.grad(np.zeros(2)), 0) and eigs.min() < 0 < eigs.max()
      and np.all(np.linalg.eigvalsh(bowl.hessian(near_min)) > 0),
      f"x₁² − x₂² at 0: gradient 0, Hessian eigenvalues {eigs}; a tiny gradient near a minimum has only positive ones")

# %% [markdown]
# ### E13–E16 · Learning rate, clipping, momentum, A2's Adam (rows 6, 20, 33, 44, 46, 47, 49, 53, 54, 69, 76)
#
# - <span id="e13"></span>**E13** Too large a rate diverges; oscillation is $\eta L > 1$: with curvatures $\mu = 0.1$,
#   $L = 1$, gradient descent's error factor is $\max(\lvert1-\eta\mu\rvert, \lvert1-\eta L\rvert)$ ([2.3](../02_concepts/03_learning_rate.ipynb)).
# - <span id="e14"></span>**E14** Clipping by value changes the direction; clipping by norm does not.
# - <span id="e15"></span>**E15** A2's EMA momentum and A3's heavy-ball formula, as printed, against torch's SGD.
# - <span id="e16"></span>**E16** A2's Adam factor never lets the first step happen.

# %% tags=["hide-input"]
quad = problems.Quadratic(kappa=10.0, L=1.0)
etas = np.linspace(0.02, 2.5, 250)
rates = np.array([quad.contraction(e) for e in etas])
claim(abs(etas[np.argmin(rates)] - quad.optimal_lr) < 0.02 and np.all(rates[etas > quad.max_stable_lr] > 1),
      f"fastest at η ≈ {etas[np.argmin(rates)]:.3f} = 2/(L+μ); ρ > 1 (divergence) for every η > 2/L = {quad.max_stable_lr}")
oscillating = problems.run(quad, "gd", x0=[1.0, 1.0], steps=20, lr=1.5)
diverging = problems.run(quad, "gd", x0=[1.0, 1.0], steps=20, lr=2.2)
signs = np.sign(oscillating[:, 1])
claim(np.all(signs[1:] == -signs[:-1]) and abs(oscillating[-1, 1]) < 1e-5
      and np.linalg.norm(diverging[-1]) > 10 * np.linalg.norm(diverging[0]),
      "1 < ηL < 2 flips sign and converges; ηL > 2 flips sign and grows")
g = np.array([3.0, 0.4])
by_value, (by_norm,) = clip.clip_by_value([g], 1.0)[0], clip.clip_by_global_norm([g], 1.0)[0]
cos = lambda u, v: float(u @ v / (np.linalg.norm(u) * np.linalg.norm(v)))  # noqa: E731
claim(cos(by_norm, g) > 1 - 1e-12 and cos(by_value, g) < 0.98,
      f"g = {g}: by norm {by_norm.round(4)} (cos {cos(by_norm, g):.3f}), by value {by_value} (cos {cos(by_value, g):.3f})")
start, alpha, beta = np.array([1.0, 1.0]), 0.5, 0.9
x, v, a2_path = start.copy(), np.zeros(2), [start.copy()]
x_a3, x_prev, a3_path = start.copy(), start.copy(), [start.copy()]
for _ in range(60):
    v = beta * v + (1 - beta) * quad.grad(x)  # A2 §2 as printed
    x = x - alpha * v
    a2_path.append(x.copy())
    x_a3, x_prev = x_a3 - alpha * quad.grad(x_a3) + beta * (x_a3 - x_prev), x_a3  # A3 §3.2 as printed
    a3_path.append(x_a3.copy())
torch_a2 = problems.run(quad, "momentum", x0=start, steps=60, lr=alpha * (1 - beta), momentum=beta)
torch_a3 = problems.run(quad, "momentum", x0=start, steps=60, lr=alpha, momentum=beta)
claim(np.allclose(a2_path, torch_a2, rtol=1e-10, atol=1e-14) and np.allclose(a3_path, torch_a3, rtol=1e-10, atol=1e-14),
      "A2's formula = torch SGD(momentum=β, lr=α(1−β)); A3's formula = torch SGD(momentum=β, lr=α)")
t = np.arange(1, 6)
a2_factor = np.sqrt(1 - (0.999**2) ** (t - 1)) / np.sqrt(1 - (0.9**2) ** t)  # A2 §2 as printed
theta = np.zeros(1)
step("adam", theta, np.array([0.3]), {}, lr=1e-3)
claim(a2_factor[0] == 0.0 and math.isclose(abs(theta[0]), 1e-3, rel_tol=1e-6),
      f"A2's factor for t = 1…5: {a2_factor.round(4)} — zero at t = 1, where Adam's first step is η")

# %% [markdown]
# ### E17–E19 · A3's program, mini-batches, activation slopes (rows 57–60, 66, 71, 80)
#
# - <span id="e17"></span>**E17** A3's program, its own text run ([4.1](../04_code/01_documents_code_repaired.ipynb) repairs it).
# - <span id="e18"></span>**E18** Mini-batch gradients are noisier, not steadier.
# - <span id="e19"></span>**E19** Activation slopes are at most 1: they cannot make gradients explode.

# %% tags=["hide-input"]
try:
    documents.load("a3")
    crashed = ""
except ValueError as err:
    crashed = str(err)
claim("mismatch" in crashed, "A3's program stops at its first matrix product: ValueError (X is 1-D, theta 1×1)")
a3 = documents.load("a3", through="adam")
Xc, Yc = a3.X.reshape(-1, 1), a3.Y.reshape(-1, 1)
path = [a3.momentum(Xc, Yc, a3.theta, 0.01, 0.9, k).item() for k in range(1, 31)]
plain = [a3.gradient_descent(Xc, Yc, np.array([[path[0]]]), 0.01, k).item() for k in range(30)]
claim(path == plain, "with the shapes fixed, A3's momentum after its first step is gradient descent, bit for bit")
r = Xc @ a3.theta - Yc
claim((Xc.T @ r**2).item() < 0 < ((Xc.T @ r).item() / len(Xc)) ** 2 and 1 - 0.9**1000 == 1.0,
      f"A3's v adds Xᵀ(r²) = {(Xc.T @ r**2).item():.1f} (negative), not g² = (Xᵀr/N)²; and 1 − 0.9¹⁰⁰⁰ == 1.0")
A = np.hstack([Xr, np.ones_like(Xr)])  # features [x, 1]: slope and intercept, at w = 0
full = -2 * A.T @ yr[:, 0] / len(yr)
spread = {}
for batch_size in (1, 10, 100):
    deviations = [-2 * Ab.T @ yb[:, 0] / len(yb) - full for Ab, yb in data.batches(A, yr, batch_size, seed=0)]
    spread[batch_size] = float(np.sqrt(np.mean([d @ d for d in deviations])))
claim(spread[100] < 1e-12 < spread[10] < spread[1],
      "RMS distance of the mini-batch gradient from the full one, B = 1, 10, 100: "
      + ", ".join(f"{s:.3g}" for s in spread.values()))
z = np.linspace(-10, 10, 20001)
slopes = {name: float(nets.get_activation(name).df(z).max()) for name in ("sigmoid", "tanh", "relu")}
claim(slopes["sigmoid"] <= 0.25 and max(slopes.values()) <= 1.0, f"largest slopes: {slopes}")

# %% [markdown]
# ### E20–E23 · Conditioning, back-propagation, width, depth (rows 32, 68, 73, 77–79, 82, 84–87)
#
# - <span id="e20"></span>**E20** Gradient descent's speed depends on κ, not on the number of weights; A4's MLP trains.
# - <span id="e21"></span>**E21** Back-propagation computes the exact gradient of every layer.
# - <span id="e22"></span>**E22** Re-drawing the weights or widening the network does not stop vanishing.
# - <span id="e23"></span>**E23** The product runs over layers, not training steps; residual connections fix it.

# %% tags=["hide-input"]
rate = {}
for kappa in (10.0, 100.0):
    for dim in (2, 1000):
        curvatures, theta, state = np.linspace(1 / kappa, 1.0, dim), np.ones(dim), {}
        for _ in range(301):
            before = np.linalg.norm(theta)
            step("sgd", theta, curvatures * theta, state, lr=2.0 / (1.0 + 1.0 / kappa))
        rate[kappa, dim] = np.linalg.norm(theta) / before
claim(all(abs(r - (k - 1) / (k + 1)) < 1e-3 for (k, _), r in rate.items()),
      "error factor per step at κ = 10 and 100, in 2 and 1000 dimensions: "
      + ", ".join(f"{r:.4f}" for r in rate.values()) + " = (κ−1)/(κ+1)")
Xm = rng.random((100, 10))
ym = Xm @ rng.random((10, 1))
mlp = nets.NumpyMLP([10, 10, 1], activation="relu", init="xavier_uniform", seed=0)  # A4's network, seeded
first_loss = mlp.loss_and_grads(Xm, ym)[0]
for _ in range(1000):
    loss, grads, _ = mlp.loss_and_grads(Xm, ym)
    mlp.sgd_step(grads, 0.01)
claim(loss < first_loss / 20, f"A4's MLP, SGD η = 0.01, 1000 steps: loss {first_loss:.2f} → {loss:.4f}")
net = nets.NumpyMLP([3, 5, 5, 1], activation="tanh", seed=0)
Xs, ys = rng.standard_normal((8, 3)), rng.standard_normal((8, 1))
_, grads, _ = net.loss_and_grads(Xs, ys)
W1, b1 = net.params[0]


def loss_and_first_layer_gradient(W):
    net.params[0] = (W, b1)
    value, g_all, _ = net.loss_and_grads(Xs, ys)
    return value, g_all[0][0]


error = nets.gradient_check(loss_and_first_layer_gradient, W1.copy())
net.params[0] = (W1, b1)
claim(len(grads) == net.n_layers and all(np.linalg.norm(gw) > 0 for gw, _ in grads) and error < 1e-6,
      f"one backward pass gives all {len(grads)} layers' gradients; first layer vs finite differences: {error:.1e}")
vanishing = {}
for width in (16, 64, 256):
    Xw, yw = rng.standard_normal((16, width)), rng.standard_normal((16, 1))
    for seed in (0, 1, 2):
        net = nets.NumpyMLP([width] * 21 + [1], activation="sigmoid", init="xavier_uniform", seed=seed)
        n = [np.linalg.norm(s) for s in net.loss_and_grads(Xw, yw)[2]]
        vanishing[width, seed] = n[0] / n[-1]
claim(max(vanishing.values()) < 1e-9, f"20 sigmoid layers, widths 16/64/256 × 3 seeds: first/last signal "
      f"{min(vanishing.values()):.0e} … {max(vanishing.values()):.0e}")
Xv, yv = rng.standard_normal((16, 32)), rng.standard_normal((16, 1))
net = nets.NumpyMLP([32] * 11 + [1], activation="sigmoid", seed=0)
first_layer = []
for _ in range(5):
    _, grads, _ = net.loss_and_grads(Xv, yv)
    first_layer.append(np.linalg.norm(grads[0][0]))
    net.sgd_step(grads, 0.1)
step_ratios = np.array(first_layer[1:]) / np.array(first_layer[:-1])
claim(np.all((step_ratios > 0.5) & (step_ratios < 2)),
      f"first-layer gradient, step to step: ×{np.round(step_ratios, 3)} — not ×(1/4)¹⁰ ≈ 1e-6 as A5's model says")
Xt, yt = torch.tensor(rng.standard_normal((64, 32)), dtype=torch.float32), torch.tensor(rng.integers(0, 10, 64))
ratio_block = {}
for residual in (False, True):
    deep = nets.mlp(32, 10, depth=30, width=32, activation="sigmoid", init="xavier_uniform", residual=residual, seed=0)
    F.cross_entropy(deep(Xt), yt).backward()
    norms = diagnostics.grad_norms(deep)
    ratio_block[residual] = norms["blocks.0.linear"] / norms["blocks.29.linear"]
claim(ratio_block[False] < 1e-12 < 1e-2 < ratio_block[True],
      f"30 sigmoid blocks, first/last gradient: plain {ratio_block[False]:.1e}, residual {ratio_block[True]:.2f}")

# %% [markdown]
# ### <span id="e24"></span>E24 · A5's XOR program climbs the loss; one layer cannot do XOR, a hidden layer can (rows 88, 89)

# %% tags=["hide-input"]
a5 = documents.load("a5", through="y")  # A5's functions and data, without its training run
theta = a5.gradient_descent(a5.X, a5.y, 0.01, 1000)
final = np.mean((a5.y - a5.sigmoid(a5.X @ theta)) ** 2)
claim(final > 0.25 and a5.sigmoid(a5.X[0] @ theta) == 0.5,
      f"A5's loop: MSE 0.25 at the start → {final:.4f}; input (0, 0) is stuck at σ(0) = 0.5")
hidden = nets.NumpyMLP([2, 4, 1], activation="tanh", seed=0)
for _ in range(3000):
    loss, grads, _ = hidden.loss_and_grads(a5.X.astype(float), a5.y[:, None].astype(float))
    hidden.sgd_step(grads, 0.2)
claim(np.array_equal(hidden(a5.X.astype(float)).ravel().round(), a5.y),
      f"one hidden layer of 4 tanh units solves XOR: loss {loss:.1e}")

# %% [markdown]
# ## What we learned
#
# - One mechanism lies behind vanishing and exploding gradients: a **product of per-layer factors** in the backward
#   pass (E1). Misnamed formulas (E3, E6, E8, E16), Adam that does not clip (E7), large rates that diverge rather
#   than overfit (E13), noisier mini-batches (E18), width that does not help and residuals that do (E22, E23).
# - A1's program mislabels its output, A3's crashes, A4's runs, A5's climbs its loss (E9, E17, E20, E24); the
#   reference lists invent papers — the course's bibliography is [6.3](03_references.ipynb).

"""Tests for gradcourse.nets.transformer: the post-LN and pre-LN blocks, the tiny transformer, validation."""

from __future__ import annotations

import pytest
import torch
import torch.nn.functional as F
from torch import nn

from gradcourse.nets import NORM_POSITIONS, SelfAttention, TinyTransformer, tiny_transformer

GEN = torch.Generator().manual_seed(0)
TOKENS = torch.randint(0, 10, (16, 8), generator=GEN)


def test_self_attention_equals_torch_multihead_attention():
    attn = SelfAttention(16, 4)
    torch_attn = nn.MultiheadAttention(16, 4, batch_first=True)
    with torch.no_grad():
        torch_attn.in_proj_weight.copy_(attn.qkv.weight)
        torch_attn.in_proj_bias.copy_(attn.qkv.bias)
        torch_attn.out_proj.weight.copy_(attn.out.weight)
        torch_attn.out_proj.bias.copy_(attn.out.bias)
    x = torch.randn(5, 7, 16, generator=torch.Generator().manual_seed(1))
    expected = torch_attn(x, x, x, need_weights=False)[0]
    assert torch.allclose(attn(x), expected, rtol=1e-5, atol=1e-6)
    assert attn.scale == pytest.approx(0.5)  # 1/√(16/4)


def test_attention_scale_is_the_softmax_temperature():
    attn = SelfAttention(8, 1, scale=1.0)
    x = torch.randn(2, 5, 8, generator=torch.Generator().manual_seed(2))
    q, k, v = attn.qkv(x).chunk(3, dim=-1)
    expected = attn.out(torch.softmax(q @ k.transpose(-2, -1), dim=-1) @ v)
    assert torch.allclose(attn(x), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="scale must be a finite number > 0"):
        SelfAttention(8, 1, scale=0.0)


@pytest.mark.parametrize("norm_position", NORM_POSITIONS)
def test_block_computes_the_documented_formula(norm_position):
    block = tiny_transformer(10, max_len=8, depth=1, d_model=16, n_heads=4, norm_position=norm_position,
                             seed=3).blocks[0]
    x = torch.randn(5, 8, 16, generator=torch.Generator().manual_seed(1))
    if norm_position == "post":
        h = block.norm1(x + block.attn(x))
        expected = block.norm2(h + block.ff(h))
    else:
        h = x + block.attn(block.norm1(x))
        expected = h + block.ff(block.norm2(h))
    assert torch.allclose(block(x), expected, rtol=1e-5, atol=1e-5)


def test_structure_and_output_shape():
    post = tiny_transformer(10, 3, max_len=8, depth=4, d_model=16, n_heads=2, norm_position="post")
    pre = tiny_transformer(10, 3, max_len=8, depth=4, d_model=16, n_heads=2, norm_position="pre")
    assert isinstance(post, TinyTransformer) and len(post.blocks) == 4
    assert isinstance(post.final_norm, nn.Identity) and isinstance(pre.final_norm, nn.LayerNorm)
    assert all(b.norm_position == "post" for b in post.blocks) and all(b.norm_position == "pre" for b in pre.blocks)
    assert post.blocks[0].ff[0].out_features == 64  # d_ff defaults to 4·d_model
    assert post(TOKENS).shape == (16, 8, 3) and pre(TOKENS[:, :5]).shape == (16, 5, 3)
    assert tiny_transformer(10, max_len=8, depth=0)(TOKENS).shape == (16, 8, 10)  # n_out defaults to vocab_size


def test_post_ln_output_is_normalized_and_pre_ln_residual_stream_grows():
    for norm_position in NORM_POSITIONS:
        net = tiny_transformer(10, max_len=8, depth=16, norm_position=norm_position, seed=1)
        x = net.tokens(TOKENS) + net.positions(torch.arange(8))
        sizes = [x.std().item()]
        for block in net.blocks:
            x = block(x)
            sizes.append(x.std().item())
        if norm_position == "post":  # LN's gain starts at 1: every block's output has unit spread per token
            assert torch.allclose(x.std(dim=-1, unbiased=False), torch.ones(16, 8), atol=1e-3)
        else:  # x + f(LN(x)): nothing rescales the stream, so it grows with depth
            assert sizes[-1] > 1.3 * sizes[0]


def test_seeded_and_leaves_the_global_rng_alone():
    state = torch.get_rng_state()
    a = tiny_transformer(10, max_len=8, depth=2, seed=7)
    b = tiny_transformer(10, max_len=8, depth=2, seed=7)
    c = tiny_transformer(10, max_len=8, depth=2, seed=8)
    assert torch.equal(torch.get_rng_state(), state)
    assert all(torch.equal(p, q) for p, q in zip(a.parameters(), b.parameters(), strict=True))
    assert not torch.equal(a.tokens.weight, c.tokens.weight)
    # post and pre with one seed share every weight they both have: only the LayerNorms' placement differs
    post = tiny_transformer(10, max_len=8, depth=2, seed=7, norm_position="post")
    assert torch.equal(post.blocks[1].ff[2].weight, a.blocks[1].ff[2].weight)


def test_gradients_reach_every_parameter():
    for norm_position in NORM_POSITIONS:
        net = tiny_transformer(10, max_len=8, depth=2, norm_position=norm_position)
        F.cross_entropy(net(TOKENS).reshape(-1, 10), TOKENS.reshape(-1)).backward()
        for name, p in net.named_parameters():
            assert p.grad is not None and torch.isfinite(p.grad).all(), name


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"norm_position": "middle"}, "norm_position must be one of 'post', 'pre'"),
        ({"d_model": 30, "n_heads": 4}, "d_model must be a multiple of n_heads"),
        ({"depth": -1}, "depth must be"),
        ({"max_len": 0}, "max_len must be an integer >= 1"),
        ({"seed": 1.5}, "seed must be"),
    ],
)
def test_bad_arguments_are_named(kwargs, message):
    with pytest.raises(ValueError, match=message):
        tiny_transformer(10, **({"max_len": 8, "depth": 2} | kwargs))


def test_bad_tokens_are_named():
    net = tiny_transformer(10, max_len=8, depth=1)
    with pytest.raises(ValueError, match="tokens must lie in 0 .. 9"):
        net(torch.full((2, 8), 10))
    with pytest.raises(ValueError, match="1 <= length <= 8"):
        net(torch.zeros(2, 9, dtype=torch.long))
    with pytest.raises(ValueError, match="integer tensor"):
        net(torch.zeros(2, 8))
    with pytest.raises(ValueError, match="tokens must be a tensor"):
        net([[1, 2]])

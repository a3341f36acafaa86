"""HomologousAttention: exactly K kept keys per query, the K largest; dense at k_ratio=1."""
import copy

import pytest
import torch

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError


def _attention(k_ratio, dims=32, heads=4):
    attn = MODELS.build(dict(type='HomologousAttention', k_ratio=k_ratio, embed_dims=dims,
                             num_heads=heads))
    return attn.eval()


def _qk(attn, x):
    B, N, _ = x.shape
    qkv = attn.qkv(x).reshape(B, N, 3, attn.num_heads, attn.head_dims).permute(2, 0, 3, 1, 4)
    return qkv[0], qkv[1], qkv[2]


def reference(attn, x):
    """Straight from Eq. 6 in float64: full logits, torch.topk, -inf elsewhere, softmax."""
    attn = copy.deepcopy(attn).double()
    q, k, v = _qk(attn, x.double())
    logits = q @ k.transpose(-2, -1) * attn.head_dims**-0.5
    kth = logits.topk(attn.num_keys(x.shape[1]), dim=-1).values[..., -1:]
    weights = logits.masked_fill(logits < kth, float('-inf')).softmax(-1)
    out = (weights @ v).transpose(1, 2).reshape(x.shape[0], x.shape[1], -1)
    return attn.proj(out).float(), weights


def test_each_row_keeps_exactly_the_k_largest_logits():
    attn = _attention(0.25)
    x = torch.randn(3, 17, 32)  # [CLS] + 16 patches: K = round(0.25 * 17) = 4
    assert attn.num_keys(17) == 4
    q, k, _ = _qk(attn, x)
    kept = attn.topk_mask(q, k)
    assert (kept.sum(-1) == 4).all()  # every query, [CLS] included
    top = (q @ k.transpose(-2, -1)).topk(4, dim=-1).indices
    assert torch.equal(kept, torch.zeros_like(kept).scatter(-1, top, True))
    _, weights = reference(attn, x)
    assert ((weights > 0).sum(-1) == 4).all()


@pytest.mark.parametrize('dtype', [torch.float32, torch.bfloat16, torch.float16])
def test_exactly_k_keys_per_query_in_every_precision_at_vit_b_sizes(dtype):
    """ViT-B/16 sizes (197 tokens, 12 heads of 64, K = 49): under bf16 autocast a threshold
    on the K-th logit kept up to 53 keys in 11% of rows; the kept set is exactly K."""
    attn = MODELS.build(dict(type='HomologousAttention', k_ratio=0.25, embed_dims=768,
                             num_heads=12)).eval()
    q, k = (torch.randn(2, 12, 197, 64) for _ in range(2))

    def kept_keys():
        if dtype == torch.bfloat16:  # our --amp on CPU (and the GPU path)
            with torch.autocast('cpu', dtype=torch.bfloat16):
                return attn.topk_mask(q, k)
        return attn.topk_mask(q.to(dtype), k.to(dtype))

    kept = kept_keys()
    assert attn.num_keys(197) == 49
    assert (kept.sum(-1) == 49).all()
    logits = (q.to(dtype) @ k.to(dtype).transpose(-2, -1)).float()
    worst_kept = logits.masked_fill(~kept, float('inf')).amin(-1)
    best_dropped = logits.masked_fill(kept, float('-inf')).amax(-1)
    assert (worst_kept >= best_dropped).all()  # the K largest (ties broken, not added)
    assert torch.equal(kept, kept_keys())  # the same inputs keep the same keys


def test_output_equals_the_reference_and_gradients_flow():
    attn = _attention(0.25)
    x = torch.randn(2, 17, 32, requires_grad=True)
    out = attn(x)
    with torch.no_grad():
        expected, _ = reference(attn, x.detach())
    assert torch.allclose(out, expected, atol=1e-5)
    out.sum().backward()
    assert x.grad.abs().sum() > 0 and attn.qkv.weight.grad is not None


def test_k_ratio_one_is_dense_attention_with_the_same_weights():
    dense = MODELS.build(dict(type='DenseAttention', embed_dims=32, num_heads=4)).eval()
    topk = _attention(1.0)
    topk.load_state_dict(dense.state_dict())  # same parameter names: moves unchanged
    x = torch.randn(2, 17, 32)
    assert torch.allclose(topk(x), dense(x), atol=1e-6)


def test_recording_keeps_the_last_mask():
    attn = _attention(0.5)
    attn(torch.randn(1, 9, 32))
    assert attn.last_topk is None
    attn.record_topk = True
    attn(torch.randn(1, 9, 32))
    assert attn.last_topk.shape == (1, 4, 9, 9) and attn.last_topk.dtype == torch.bool


@pytest.mark.parametrize('k_ratio', [0, 1.5])
def test_bad_k_ratio(k_ratio):
    with pytest.raises(ConfigError, match=f'attn_cfgs.k_ratio={k_ratio} is invalid'):
        _attention(k_ratio)


@pytest.mark.parametrize('tokens', [197, 17, 64])
def test_the_mask_rows_are_8_aligned_for_sdpa_s_fused_kernels(tokens):
    """SDPA's memory-efficient kernel (and inductor) take an additive mask only when its row
    stride is a multiple of 8: the (N, N) mask is a view of an (N, ceil8(N)) buffer, with
    the values of the straight computation."""
    attn = _attention(0.25)
    q, k, _ = _qk(attn, torch.randn(2, tokens, 32))
    bias = attn.topk_bias(q, k)
    assert bias.shape == (2, 4, tokens, tokens) and bias.stride(-2) % 8 == 0
    top = (q @ k.transpose(-2, -1)).topk(attn.num_keys(tokens), dim=-1).indices
    kept = torch.zeros(2, 4, tokens, tokens, dtype=torch.bool).scatter(-1, top, True)
    assert torch.equal(bias == 0, kept)

"""Weight-distribution statistics behave as their definitions say."""
import pytest
import torch

from mimtoolkit.evaluation import encoder_weights, shared_histograms, weight_summary


def test_encoder_weights_take_the_matrices_only():
    state = {'backbone.layers.0.attn.qkv.weight': torch.ones(6, 2),
             'backbone.layers.0.attn.qkv.bias': torch.ones(6),
             'backbone.ln1.weight': torch.ones(2), 'backbone.pos_embed': torch.ones(1, 4, 2),
             'backbone.cls_token': torch.ones(1, 1, 2),
             'neck.decoder_embed.weight': torch.ones(3, 3)}
    assert encoder_weights(state).numel() == 12
    with pytest.raises(ValueError, match="no weight matrices under 'head.'"):
        encoder_weights(state, 'head.')


def test_summary_tells_a_gaussian_from_a_sparse_distribution():
    g = torch.Generator().manual_seed(0)
    dense = torch.randn(200_000, generator=g) * 0.02
    sparse = dense * (torch.rand(200_000, generator=g) < 0.1)
    d, s = weight_summary(dense), weight_summary(sparse)
    assert d['kurtosis'] == pytest.approx(0.0, abs=0.05)
    assert d['std'] == pytest.approx(0.02, rel=0.01)
    assert s['kurtosis'] > 10 and s['hoyer_sparsity'] > d['hoyer_sparsity'] + 0.3
    assert s['near_zero'] > 0.9 > d['near_zero']


def test_shared_histograms_are_densities_over_one_range():
    a, b = torch.randn(10_000), 3 * torch.randn(10_000)
    hist = shared_histograms({'a': a, 'b': b}, bins=50)
    width = hist['edges'][1] - hist['edges'][0]
    assert len(hist['edges']) == 51 and hist['edges'][-1] == pytest.approx(-hist['edges'][0])
    assert sum(hist['a']) * width == pytest.approx(1.0)
    assert sum(hist['b']) * width == pytest.approx(1.0)
    assert max(hist['a']) > 2 * max(hist['b'])  # the narrower one peaks higher

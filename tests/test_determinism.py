"""The same seed gives the same run on one CPU: every pretrainer, with each method's parts.

Each method's tiny model is built, seeded and trained a few AdamW steps twice; the losses of
every step and every weight afterwards must be equal bit for bit. (Parallel accumulation, such
as indexing's backward on CPU, breaks this; tools/benchmarks/small_scale.py's test repeats a
whole run through the Runner.)
"""
import pytest
import torch
from mmengine.optim import OptimWrapper
from mmengine.runner import set_random_seed

from mimtoolkit.parts.tiny_examples import (MASKERS, SWITCHES, aux_head_examples, convvit,
                                            pretrainer_examples, tiny_imae_cfg, tiny_mixedae_cfg,
                                            with_proxies, write_tiny_weights)
from mimtoolkit.registry import MODELS


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    return write_tiny_weights(str(tmp_path_factory.mktemp('weights')))


def method_configs(files) -> dict:
    """Each method as its paper builds it, at tiny size."""
    examples, aux = pretrainer_examples(files), aux_head_examples(files)
    preprocessor = examples['MAE']['data_preprocessor']
    # full mode, patch 4: 32 samples x 64 tokens x 32 channels, enough for the CPU kernels'
    # parallel paths (indexing's backward accumulates in parallel above 32768 elements)
    mixedae = SWITCHES['HomologousAttention'](tiny_mixedae_cfg(mode='full', patch=4))
    mrmae = SWITCHES['fusion'](dict(examples['MAE'], aux_heads=[aux['MimicHead']],
                                    masker=MASKERS['FocusedMasker']))
    return {
        'MAE': examples['MAE'], 'MaskFeat': examples['MaskFeat'], 'BEiT': examples['BEiT'],
        'i-MAE': dict(tiny_imae_cfg(teacher_checkpoint=files['mae']),
                      data_preprocessor=preprocessor),
        'MixedAE': dict(mixedae, data_preprocessor=preprocessor),
        'MR-MAE': mrmae,
        'ConvMAE': convvit(examples['MAE']),
        'SemanticMIM-MAE': with_proxies(examples['MAE']),
        'SemanticMIM-MaskFeat': with_proxies(examples['MaskFeat']),
    }


def train(cfg: dict, steps: int = 3):
    """Seeded build (Python, numpy and torch, as the Runner seeds) and ``steps`` AdamW steps.

    Returns:
        tuple[list[dict], dict]: The logged losses of each step; the final state dict.
    """
    set_random_seed(7)
    model = MODELS.build(cfg)
    model.init_weights()
    wrapper = OptimWrapper(torch.optim.AdamW(model.parameters(), lr=1e-2))
    data = torch.rand(steps, 32, 3, 32, 32, generator=torch.Generator().manual_seed(3))
    losses = []
    for inputs in data:
        loss, log_vars = model.parse_losses(model.loss(inputs, None))
        wrapper.update_params(loss)
        losses.append({k: float(v) for k, v in log_vars.items()})
    return losses, {k: v.clone() for k, v in model.state_dict().items()}


@pytest.mark.parametrize('method', ['MAE', 'MaskFeat', 'BEiT', 'i-MAE', 'MixedAE', 'MR-MAE',
                                    'ConvMAE', 'SemanticMIM-MAE', 'SemanticMIM-MaskFeat'])
def test_the_same_seed_trains_the_same_weights(files, method):
    cfg = method_configs(files)[method]
    first_losses, first = train(cfg)
    again_losses, again = train(cfg)
    assert first_losses == again_losses
    differ = [k for k in first if not torch.equal(first[k], again[k])]
    assert not differ, f'{method}: {differ} differ between two runs of the same seed'
    # the steps trained: the weights moved from their seeded start
    set_random_seed(7)
    start = MODELS.build(cfg)
    start.init_weights()
    assert any(not torch.equal(v, first[k]) for k, v in start.state_dict().items()
               if v.is_floating_point())

"""compile=True: every pretrainer compiled block by block gives the eager losses and gradients."""
import copy
import random

import numpy as np
import pytest
import torch

from mimtoolkit.engine.runner.compile_blocks import compile_blocks
from mimtoolkit.parts.tiny_examples import (aux_head_examples, convvit, pretrainer_examples,
                                            with_backbone, with_proxies, write_tiny_weights)
from mimtoolkit.registry import MODELS
from mimtoolkit.utils import ConfigError


@pytest.fixture(scope='module')
def examples(tmp_path_factory):
    """Every pretrainer's tiny config; MR-MAE, SemanticMIM, ConvMAE, homologous attention."""
    files = write_tiny_weights(str(tmp_path_factory.mktemp('weights')))
    cfgs = pretrainer_examples(files)
    cfgs['MR-MAE'] = dict(cfgs['MAE'], aux_heads=[aux_head_examples(files)['MimicHead']])
    cfgs['SemanticMIM'] = with_proxies(cfgs['MaskFeat'])
    cfgs['ConvMAE'] = convvit(cfgs['MAE'])
    cfgs['MixedAE-homologous'] = with_backbone(attn_cfgs=[
        dict(type='DenseAttention'), dict(type='HomologousAttention', k_ratio=0.5)])(
            cfgs['MixedAE'])
    return cfgs


def losses_and_grads(model, images):
    """The losses of one training step on ``images`` (seeded draws) and the gradients."""
    model.zero_grad()
    torch.manual_seed(3), random.seed(3), np.random.seed(3)  # BlockwiseMasker draws in Python
    losses = model.loss(images, None)
    sum(losses.values()).backward()
    grads = {n: p.grad.clone() for n, p in model.named_parameters() if p.grad is not None}
    return {k: v.item() for k, v in losses.items()}, grads


def eager_then_compiled(cfg, compile_cfg):
    """One model's eager step, then two steps after compiling its blocks (the first call
    compiles, the second runs the cached graphs); its parameter names before and after."""
    torch.manual_seed(0)
    model = MODELS.build(copy.deepcopy(cfg))
    model.init_weights()
    images = torch.rand(4, 3, 32, 32)
    eager = losses_and_grads(model, images)
    keys = list(model.state_dict())
    blocks = compile_blocks(model, compile_cfg)
    compiled = [losses_and_grads(model, images) for _ in range(2)]
    return dict(eager=eager, compiled=compiled, blocks=blocks,
                keys=(keys, list(model.state_dict())))


@pytest.mark.parametrize('name,compile_cfg', [
    # graph capture and autograd through dynamo (aot_eager: no code generation, fast)
    *[(name, dict(backend='aot_eager')) for name in (
        'MAE', 'MaskFeat', 'BEiT', 'IMAE', 'MixedAE', 'MR-MAE', 'SemanticMIM', 'ConvMAE',
        'MixedAE-homologous')],
    # the default backend (inductor's generated CPU code), as --compile uses it
    pytest.param('MAE', True, marks=pytest.mark.slow, id='MAE-inductor'),
])
def test_every_pretrainer_compiled_per_block_gives_the_eager_step(examples, name, compile_cfg):
    if compile_cfg is True:
        torch._dynamo.reset()
    run = eager_then_compiled(examples[name], compile_cfg)
    assert run['blocks'] >= 2  # at least the encoder's blocks
    eager_losses, eager_grads = run['eager']
    for losses, grads in run['compiled']:
        assert losses == pytest.approx(eager_losses, rel=1e-5, abs=1e-6)
        assert grads.keys() == eager_grads.keys()
        for key, grad in grads.items():
            torch.testing.assert_close(grad, eager_grads[key], rtol=1e-4, atol=1e-6, msg=key)
    assert run['keys'][0] == run['keys'][1]  # checkpoints keep their names


def test_a_bad_compile_value_is_named():
    with pytest.raises(ConfigError, match="compile='yes' is invalid"):
        compile_blocks(torch.nn.Linear(1, 1), 'yes')

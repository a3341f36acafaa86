"""The combination matrix (DESIGN.md §1b): every pretrainer x encoder switch x auxiliary head x
masker, generated from the registry, builds and trains one step, or fails at build time with a
ConfigError that names the part it cannot honour.

A part registered later joins the matrix by itself; ``test_every_part_has_a_matrix_example``
fails until it has a tiny example config here, so nothing is left out silently.
"""
import itertools

import pytest
import torch

from mimtoolkit.parts.tiny_examples import (ALSO_BUILT, LOSSES, MASKERS, SWITCHES,
                                            aux_head_examples, loss_hosts, pretrainer_examples,
                                            write_tiny_weights)
from mimtoolkit.registry import MODELS, parts_of_kind
from mimtoolkit.utils import ConfigError


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """Local weights: a tiny DINO/timm teacher, a tiny DALL-E tokenizer, a tiny MAE."""
    return write_tiny_weights(str(tmp_path_factory.mktemp('weights')))


def aux_examples(files):
    return {None: None, **aux_head_examples(files)}


def aux_heads_of_registry():
    return sorted(n for n, cls in parts_of_kind('head').items() if hasattr(cls, 'aux_loss'))


def test_every_part_has_a_matrix_example():
    assert sorted(parts_of_kind('pretrainer')) == sorted(['MAE', 'MaskFeat', 'BEiT', 'IMAE',
                                                          'MixedAE'])
    for kind in ('attention', 'block', 'backbone'):
        covered = set(SWITCHES).union(*ALSO_BUILT.values())
        assert set(parts_of_kind(kind)) <= covered, kind
    assert sorted(MASKERS) == sorted(parts_of_kind('masker'))
    assert aux_heads_of_registry() == sorted(['FeatureDistillHead', 'HomologousContrastiveHead',
                                              'MimicHead'])


def refusal(pretrainer, switch, aux, masker):
    """Why a cell cannot work (a pattern its ConfigError must match), or None if it must train."""
    mixing = pretrainer in ('IMAE', 'MixedAE')
    if pretrainer == 'MixedAE' and masker:
        return r'model.masker=.* None: MixedAE masks by mixing'
    if pretrainer != 'MixedAE' and not masker:
        return r'model.masker=None is invalid: expected a masker'
    if switch == 'ProxyViT' and mixing:
        return (r"model.backbone.type='ProxyViT' is invalid: expected an encoder that drops "
                r'the masked patches for ' + pretrainer)
    if switch == 'segments' and pretrainer != 'MixedAE':
        return r'model.backbone.num_segments=4 is invalid: expected 0 for ' + pretrainer
    if switch == 'ConvViT' and pretrainer == 'MixedAE':
        return r"model.backbone.type='ConvViT' is invalid: expected an encoder without conv"
    if aux == 'HomologousContrastiveHead' and pretrainer != 'MixedAE':
        return r"HomologousContrastiveHead.* needs \['slots'\]"
    if aux == 'FeatureDistillHead' and pretrainer == 'MixedAE':
        return r"FeatureDistillHead.* needs \['mask_info'\]"
    if masker == 'FocusedMasker' and (aux != 'MimicHead' or pretrainer == 'IMAE'):
        return r'model.masker.type=.FocusedMasker. is invalid: expected a masker without'
    return None


CELLS = list(itertools.product(['MAE', 'MaskFeat', 'BEiT', 'IMAE', 'MixedAE'], SWITCHES,
                               [None] + aux_heads_of_registry(), [None, *MASKERS]))


def build_cell(files, pretrainer, switch, aux, masker):
    cfg = SWITCHES[switch](pretrainer_examples(files)[pretrainer])
    cfg['masker'] = MASKERS.get(masker)
    head = aux_examples(files)[aux]
    if head is not None:
        cfg['aux_heads'] = [head]
    return MODELS.build(cfg)


@pytest.mark.parametrize('pretrainer,switch,aux,masker', CELLS,
                         ids=['-'.join(str(p) for p in cell) for cell in CELLS])
def test_cell_trains_one_step_or_is_refused_clearly(files, pretrainer, switch, aux, masker):
    reason = refusal(pretrainer, switch, aux, masker)
    if reason is not None:
        with pytest.raises(ConfigError, match=reason):
            build_cell(files, pretrainer, switch, aux, masker)
        return
    model = build_cell(files, pretrainer, switch, aux, masker)
    model.init_weights()
    losses = model.loss(torch.randn(4, 3, 32, 32), None)
    named = {k: v for k, v in losses.items() if k.startswith('loss')}
    assert all(torch.isfinite(v) for v in named.values()), named
    if aux is not None:  # the auxiliary head's own named loss is there and trains the encoder
        aux_loss = named[model.aux_heads[0].loss_name]
        aux_loss.backward()
        grads = [p.grad for p in model.backbone.parameters() if p.grad is not None]
        assert grads and any(g.abs().sum() > 0 for g in grads)


def heads_with_a_loss():
    return sorted(n for n, cls in parts_of_kind('head').items() if hasattr(cls, 'loss_compares'))


def test_every_loss_and_head_with_a_loss_has_a_matrix_example(files):
    assert sorted(LOSSES) == sorted(parts_of_kind('loss'))
    assert heads_with_a_loss() == sorted(loss_hosts(files))


LOSS_CELLS = [(head, loss, i) for head in heads_with_a_loss() for loss in sorted(LOSSES)
              for i in range(len(LOSSES[loss]))]


def trained_head(model, head):
    """The head of a built host pretrainer that computes the loss under test."""
    if head == 'HomologousContrastiveHead':
        return model.contrastive_head
    return model.head if type(model.head).__name__ == head else model.aux_heads[0]


@pytest.mark.parametrize('head,loss,variant', LOSS_CELLS,
                         ids=[f'{h}-{loss}{i}' for h, loss, i in LOSS_CELLS])
def test_head_trains_one_step_with_every_loss_it_can_call_and_refuses_the_others(
        files, head, loss, variant):
    loss_cfg = LOSSES[loss][variant]
    cfg = loss_hosts(files)[head](loss_cfg)
    head_cls, loss_cls = parts_of_kind('head')[head], parts_of_kind('loss')[loss]
    if head_cls.loss_compares != loss_cls.compares:
        with pytest.raises(ConfigError, match=(
                rf"{head}.loss.type='{loss}' is invalid: expected a {head_cls.loss_compares} "
                rf"loss for {head}, .*; {loss} is a {loss_cls.compares} loss")):
            MODELS.build(cfg)
        return
    model = MODELS.build(cfg)
    model.init_weights()
    part = trained_head(model, head)
    assert type(part.loss_module) is loss_cls
    named = {k: v for k, v in model.loss(torch.randn(4, 3, 32, 32), None).items()
             if k.startswith('loss')}
    value = named[part.loss_name]
    assert torch.isfinite(value) and value > 0
    value.backward()
    assert any(p.grad is not None and p.grad.abs().sum() > 0
               for p in model.backbone.parameters())

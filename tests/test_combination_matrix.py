"""The combination matrix (DESIGN.md §1b): every pretrainer x encoder switch x auxiliary head x
masker, generated from the registry, builds and trains one step, or fails at build time with a
ConfigError that names the part it cannot honour.

A part registered later joins the matrix by itself; ``test_every_part_has_a_matrix_example``
fails until it has a tiny example config here, so nothing is left out silently.
"""
import itertools

import pytest
import timm
import torch

from mimtoolkit.registry import MODELS, parts_of_kind
from mimtoolkit.utils import ConfigError
from .conftest import TINY_ARCH, tiny_imae_cfg, tiny_mae_cfg, tiny_maskfeat_cfg, tiny_mixedae_cfg

WIDTH = 32  # the tiny encoders' width (TINY_ARCH)
DINO = dict(embed_dim=24, depth=1, num_heads=2, img_size=32)


@pytest.fixture(scope='module')
def files(tmp_path_factory):
    """Local weights: a tiny DINO/timm teacher, a tiny DALL-E tokenizer, a tiny MAE."""
    from mmpretrain.models.selfsup.cae import DALLEEncoder
    root = tmp_path_factory.mktemp('weights')
    dino = timm.create_model('vit_base_patch16_224', pretrained=False, num_classes=0, **DINO)
    torch.save(dino.state_dict(), root / 'dino.pth')
    torch.save(DALLEEncoder(n_hid=8, n_blk_per_group=1, vocab_size=32).state_dict(),
               root / 'dalle.pth')
    mae = MODELS.build(tiny_mae_cfg())
    torch.save({'state_dict': mae.state_dict()}, root / 'mae.pth')
    return dict(dino=str(root / 'dino.pth'), dalle=str(root / 'dalle.pth'),
                mae=str(root / 'mae.pth'))


def pretrainer_examples(files):
    beit = dict(tiny_maskfeat_cfg(), type='BEiT',
                target_generator=dict(type='DALLETokenizer', checkpoint=files['dalle'],
                                      n_hid=8, n_blk_per_group=1, vocab_size=32),
                head=dict(type='TokenClassificationHead', in_channels=WIDTH, num_tokens=32))
    cfgs = dict(MAE=tiny_mae_cfg(), MaskFeat=tiny_maskfeat_cfg(), BEiT=beit,
                IMAE=tiny_imae_cfg(), MixedAE=tiny_mixedae_cfg(segments=False))
    preprocessor = tiny_mae_cfg()['data_preprocessor']
    return {name: dict(cfg, data_preprocessor=preprocessor) for name, cfg in cfgs.items()}


def with_proxies(cfg):
    """Proxy tokens with their [MASK] branch; a pixel decoder becomes the branch's linear one."""
    cfg = dict(cfg, backbone=dict(cfg['backbone'], num_proxy_tokens=2))
    if cfg.get('neck', {}).get('type') == 'MAEPretrainDecoder':
        cfg['neck'] = dict(type='LinearPatchDecoder', in_channels=WIDTH, patch_size=8)
    return cfg


def with_backbone(**changes):
    return lambda cfg: dict(cfg, backbone=dict(cfg['backbone'], **changes))


def convvit(cfg):
    """ConvViT (no [CLS] token), with MAE's decoder without a [CLS] row."""
    bb = {k: v for k, v in cfg['backbone'].items() if k != 'patch_size'}
    cfg = dict(cfg, backbone=dict(bb, type='ConvViT', patch_sizes=[2, 2, 2], arch=dict(
        embed_dims=[8, 16, WIDTH], depths=[1, 1, 2], num_heads=2)))
    if cfg.get('neck', {}).get('type') == 'MAEPretrainDecoder':
        cfg['neck'] = dict(cfg['neck'], type='PatchTokenMAEDecoder')
    return cfg


#: Encoder switches by the registered part they exercise (attention, block, backbone), plus
#: the MIMViT switches that are arguments rather than parts.
SWITCHES = {
    'DenseAttention': lambda cfg: cfg,
    'HomologousAttention': with_backbone(attn_cfgs=[
        dict(type='DenseAttention'), dict(type='HomologousAttention', k_ratio=0.5)]),
    'ProxyBlock': with_proxies,
    'MIMViT': lambda cfg: cfg,
    'ConvViT': convvit,
    'segments': with_backbone(num_segments=4),
    'fusion': with_backbone(fusion_layers=[0, 1]),
}


def aux_examples(files):
    return {
        None: None,
        'MimicHead': dict(type='MimicHead', in_channels=WIDTH, teacher=dict(
            type='DINOTeacher', checkpoint=files['dino'], model_kwargs=DINO)),
        'FeatureDistillHead': dict(type='FeatureDistillHead', in_channels=WIDTH, teacher=dict(
            type='FrozenViTTeacher', checkpoint=files['mae'],
            encoder=dict(type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8))),
        'HomologousContrastiveHead': dict(type='HomologousContrastiveHead', in_channels=WIDTH,
                                          proj_dims=8),
    }


MASKERS = {
    None: None,
    'RandomMasker': dict(type='RandomMasker', mask_ratio=0.75),
    'BlockwiseMasker': dict(type='BlockwiseMasker', mask_ratio=0.5, min_num_patches=2),
    'FocusedMasker': dict(type='FocusedMasker', mask_ratio=0.75, focus_ratio=0.5),
}


def aux_heads_of_registry():
    return sorted(n for n, cls in parts_of_kind('head').items() if hasattr(cls, 'aux_loss'))


def test_every_part_has_a_matrix_example():
    assert sorted(parts_of_kind('pretrainer')) == sorted(['MAE', 'MaskFeat', 'BEiT', 'IMAE',
                                                          'MixedAE'])
    for kind in ('attention', 'block', 'backbone'):
        assert set(parts_of_kind(kind)) <= set(SWITCHES), kind
    assert sorted(k for k in MASKERS if k) == sorted(parts_of_kind('masker'))
    assert aux_heads_of_registry() == sorted(['FeatureDistillHead', 'HomologousContrastiveHead',
                                              'MimicHead'])


def refusal(pretrainer, switch, aux, masker):
    """Why a cell cannot work (a pattern its ConfigError must match), or None if it must train."""
    mixing = pretrainer in ('IMAE', 'MixedAE')
    if pretrainer == 'MixedAE' and masker:
        return r'model.masker=.* None: MixedAE masks by mixing'
    if pretrainer != 'MixedAE' and not masker:
        return r'model.masker=None is invalid: expected a masker'
    if switch == 'ProxyBlock' and mixing:
        return r'model.backbone.num_proxy_tokens=2 is invalid: expected 0 for ' + pretrainer
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
                               [None] + aux_heads_of_registry(), MASKERS))


def build_cell(files, pretrainer, switch, aux, masker):
    cfg = SWITCHES[switch](pretrainer_examples(files)[pretrainer])
    cfg['masker'] = MASKERS[masker]
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


#: Example configs of every registered loss (each variant an argument can make).
LOSSES = {
    'PixelReconstructionLoss': [dict(type='PixelReconstructionLoss', criterion='L1')],
    'FeatureRegressionLoss': [dict(type='FeatureRegressionLoss', criterion='l2'),
                              dict(type='FeatureRegressionLoss', criterion='smooth_l1'),
                              dict(type='FeatureRegressionLoss', criterion='cosine',
                                   target_norm='layer_norm')],
    'SupervisedContrastiveLoss': [dict(type='SupervisedContrastiveLoss', positives='mean',
                                       temperature=0.5)],
    'TokenCrossEntropyLoss': [dict(type='TokenCrossEntropyLoss')],
}


def loss_hosts(files):
    """For every head with a loss: a tiny pretrainer config that trains it, given its loss."""
    examples, aux = pretrainer_examples(files), aux_examples(files)

    def main_head(pretrainer):
        return lambda loss: dict(examples[pretrainer], head=dict(
            examples[pretrainer]['head'], loss=loss))

    def aux_head(name):
        return lambda loss: dict(examples['MAE'], aux_heads=[dict(aux[name], loss=loss)])

    return {
        'PixelReconstructionHead': main_head('MAE'),
        'FeaturePredictionHead': main_head('MaskFeat'),
        'TokenClassificationHead': main_head('BEiT'),
        'MimicHead': aux_head('MimicHead'),
        'FeatureDistillHead': aux_head('FeatureDistillHead'),
        'HomologousContrastiveHead': lambda loss: dict(examples['MixedAE'], contrastive_head=dict(
            examples['MixedAE']['contrastive_head'], loss=loss)),
    }


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

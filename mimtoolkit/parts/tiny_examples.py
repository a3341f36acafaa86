"""Tiny configs of every pretrainer and of every part in its slot (32×32 inputs, width 32).

One set of examples for the combination matrix (tests/test_combination_matrix.py) and the
parts catalogue (:mod:`mimtoolkit.parts`): both build a part into each pretrainer and let the
build-time checks say whether it fits.
"""
import os.path as osp
from typing import Callable, Dict

import torch

#: The tiny encoders' architecture (mmpretrain ``arch`` dict) and width.
TINY_ARCH = dict(embed_dims=32, num_layers=2, num_heads=2, feedforward_channels=64)
WIDTH = 32
#: A tiny timm ViT standing in for DINO/CLIP teachers.
DINO = dict(embed_dim=24, depth=1, num_heads=2, img_size=32)


def tiny_mae_cfg(img=32, patch=8, mask_ratio=0.75, norm_pix=True):
    """A 2-layer MAE on img x img inputs."""
    n = (img // patch)**2
    return dict(
        type='MAE',
        data_preprocessor=dict(type='SelfSupDataPreprocessor', mean=[127.5] * 3,
                               std=[64.0] * 3, to_rgb=True),
        backbone=dict(type='MIMViT', arch=TINY_ARCH, img_size=img, patch_size=patch),
        masker=dict(type='RandomMasker', mask_ratio=mask_ratio),
        neck=dict(type='MAEPretrainDecoder', num_patches=n, patch_size=patch, in_chans=3,
                  embed_dim=32, decoder_embed_dim=16, decoder_depth=1, decoder_num_heads=2),
        head=dict(type='PixelReconstructionHead', norm_pix=norm_pix, patch_size=patch))


def tiny_maskfeat_cfg(img=32, patch=8, pool=4):
    """A 2-layer MaskFeat on img x img inputs."""
    return dict(
        type='MaskFeat',
        backbone=dict(type='MIMViT', arch=TINY_ARCH, img_size=img, patch_size=patch,
                      use_mask_token=True, sincos_pos_embed=False),
        masker=dict(type='BlockwiseMasker', mask_ratio=0.4, min_num_patches=2),
        target_generator=dict(type='PatchHOGGenerator', patch_size=patch, pool=pool,
                              gaussian_window=16),
        head=dict(type='FeaturePredictionHead', in_channels=32,
                  out_channels=27 * (patch // pool)**2, loss_name='loss_hog'))


def tiny_imae_cfg(teacher_checkpoint=None, branches=('subordinate', 'dominant'), **mae_kwargs):
    """A 2-layer i-MAE; with a teacher checkpoint, it distils from that encoder."""
    cfg = dict(tiny_mae_cfg(**mae_kwargs), type='IMAE', branches=branches,
               mixer=dict(type='PixelMixer'))
    if teacher_checkpoint is not None:
        cfg['distill_head'] = dict(
            type='FeatureDistillHead', loss_weight=0.5,
            teacher=dict(type='FrozenViTTeacher', encoder=dict(cfg['backbone']),
                         checkpoint=teacher_checkpoint))
    return cfg


def tiny_mixedae_cfg(mode='compose', segments=True, contrastive=True, **mae_kwargs):
    """A 2-layer MixedAE on 32x32 inputs (patch 8 unless given: 16 patches), r = 0.25."""
    cfg = dict(tiny_mae_cfg(**mae_kwargs), type='MixedAE',
               mixer=dict(type='PatchMixer', mix_ratio=0.25, mode=mode))
    cfg.pop('masker')
    cfg['backbone'] = dict(cfg['backbone'], num_segments=4 if segments else 0)
    cfg['contrastive_head'] = dict(type='HomologousContrastiveHead', in_channels=32,
                                   proj_dims=16) if contrastive else None
    return cfg


def write_tiny_weights(root: str) -> Dict[str, str]:
    """Local weight files the examples load: a tiny DINO (timm), DALL-E tokenizer and MAE.

    Args:
        root (str): An existing folder.

    Returns:
        dict[str, str]: ``dino``, ``dalle`` and ``mae`` file paths.
    """
    import timm
    from mmpretrain.models.selfsup.cae import DALLEEncoder

    from mimtoolkit.registry import MODELS
    files = {name: osp.join(root, f'{name}.pth') for name in ('dino', 'dalle', 'mae')}
    dino = timm.create_model('vit_base_patch16_224', pretrained=False, num_classes=0, **DINO)
    torch.save(dino.state_dict(), files['dino'])
    torch.save(DALLEEncoder(n_hid=8, n_blk_per_group=1, vocab_size=32).state_dict(),
               files['dalle'])
    torch.save({'state_dict': MODELS.build(tiny_mae_cfg()).state_dict()}, files['mae'])
    return files


def pretrainer_examples(files: Dict[str, str]) -> Dict[str, dict]:
    """Every pretrainer's tiny config, by name (BEiT with the tiny DALL-E tokenizer)."""
    beit = dict(tiny_maskfeat_cfg(), type='BEiT',
                target_generator=dict(type='DALLETokenizer', checkpoint=files['dalle'],
                                      n_hid=8, n_blk_per_group=1, vocab_size=32),
                head=main_head_examples()['TokenClassificationHead'])
    cfgs = dict(MAE=tiny_mae_cfg(), MaskFeat=tiny_maskfeat_cfg(), BEiT=beit,
                IMAE=tiny_imae_cfg(), MixedAE=tiny_mixedae_cfg(segments=False))
    preprocessor = tiny_mae_cfg()['data_preprocessor']
    return {name: dict(cfg, data_preprocessor=preprocessor) for name, cfg in cfgs.items()}


def with_proxies(cfg: dict) -> dict:
    """Proxy tokens with their [MASK] branch; a pixel decoder becomes the branch's linear one."""
    cfg = dict(cfg, backbone=dict(cfg['backbone'], type='ProxyViT', num_proxy_tokens=2))
    if cfg.get('neck', {}).get('type') == 'MAEPretrainDecoder':
        cfg['neck'] = dict(type='LinearPatchDecoder', in_channels=WIDTH, patch_size=8)
    return cfg


def with_backbone(**changes) -> Callable[[dict], dict]:
    """A switch that changes backbone arguments."""
    return lambda cfg: dict(cfg, backbone=dict(cfg['backbone'], **changes))


def convvit(cfg: dict) -> dict:
    """ConvViT (no [CLS] token), with MAE's decoder without a [CLS] row."""
    bb = {k: v for k, v in cfg['backbone'].items() if k != 'patch_size'}
    cfg = dict(cfg, backbone=dict(bb, type='ConvViT', patch_sizes=[2, 2, 2], arch=dict(
        embed_dims=[8, 16, WIDTH], depths=[1, 1, 2], num_heads=2)))
    if cfg.get('neck', {}).get('type') == 'MAEPretrainDecoder':
        cfg['neck'] = dict(cfg['neck'], type='PatchTokenMAEDecoder')
    return cfg


#: Encoder switches by the registered part they exercise (attention, block, backbone), plus
#: the MIMViT switches that are arguments rather than parts.
SWITCHES: Dict[str, Callable[[dict], dict]] = {
    'DenseAttention': lambda cfg: cfg,
    'HomologousAttention': with_backbone(attn_cfgs=[
        dict(type='DenseAttention'), dict(type='HomologousAttention', k_ratio=0.5)]),
    'ProxyViT': with_proxies,
    'MIMViT': lambda cfg: cfg,
    'ConvViT': convvit,
    'segments': with_backbone(num_segments=4),
    'fusion': with_backbone(fusion_layers=[0, 1]),
}


#: Registered parts a switch builds besides its own (ProxyViT's [MASK] branch: ProxyBlocks).
ALSO_BUILT = {'ProxyViT': ('ProxyBlock', )}


def aux_head_examples(files: Dict[str, str]) -> Dict[str, dict]:
    """A tiny config of every auxiliary head (teachers from :func:`write_tiny_weights`)."""
    return {
        'MimicHead': dict(type='MimicHead', in_channels=WIDTH, teacher=dict(
            type='DINOTeacher', checkpoint=files['dino'], model_kwargs=DINO)),
        'FeatureDistillHead': dict(type='FeatureDistillHead', in_channels=WIDTH, teacher=dict(
            type='FrozenViTTeacher', checkpoint=files['mae'],
            encoder=dict(type='MIMViT', arch=TINY_ARCH, img_size=32, patch_size=8))),
        'HomologousContrastiveHead': dict(type='HomologousContrastiveHead', in_channels=WIDTH,
                                          proj_dims=8),
    }


def main_head_examples() -> Dict[str, dict]:
    """A tiny config of every head a pretrainer's ``head`` slot can hold."""
    return {
        'PixelReconstructionHead': tiny_mae_cfg()['head'],
        'FeaturePredictionHead': tiny_maskfeat_cfg()['head'],
        'TokenClassificationHead': dict(type='TokenClassificationHead', in_channels=WIDTH,
                                        num_tokens=32),
    }


MASKERS: Dict[str, dict] = {
    'RandomMasker': dict(type='RandomMasker', mask_ratio=0.75),
    'BlockwiseMasker': dict(type='BlockwiseMasker', mask_ratio=0.5, min_num_patches=2),
    'FocusedMasker': dict(type='FocusedMasker', mask_ratio=0.75, focus_ratio=0.5),
}

MIXERS: Dict[str, dict] = {
    'PixelMixer': dict(type='PixelMixer'),
    'PatchMixer': dict(type='PatchMixer', mix_ratio=0.25),
}

#: Example configs of every registered loss (each variant an argument can make).
LOSSES: Dict[str, list] = {
    'PixelReconstructionLoss': [dict(type='PixelReconstructionLoss', criterion='L1')],
    'FeatureRegressionLoss': [dict(type='FeatureRegressionLoss', criterion='l2'),
                              dict(type='FeatureRegressionLoss', criterion='smooth_l1'),
                              dict(type='FeatureRegressionLoss', criterion='cosine',
                                   target_norm='layer_norm')],
    'SupervisedContrastiveLoss': [dict(type='SupervisedContrastiveLoss', positives='mean',
                                       temperature=0.5)],
    'TokenCrossEntropyLoss': [dict(type='TokenCrossEntropyLoss')],
}


def loss_hosts(files: Dict[str, str]) -> Dict[str, Callable[[dict], dict]]:
    """For every head with a loss: a tiny pretrainer config that trains it, given its loss."""
    examples, aux = pretrainer_examples(files), aux_head_examples(files)

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

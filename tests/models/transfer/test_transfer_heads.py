"""The transfer parts MR-MAE's and SemanticMIM's own recipes need: ViTDet's simple feature
pyramid, the low-resolution-loss probe head, and the VOC probe's transforms."""
import numpy as np
import pytest
import torch
from mmseg.structures import SegDataSample
from mmengine.structures import PixelData

from mimtoolkit.registry import MODELS, TRANSFORMS
from mimtoolkit.utils import ConfigError


def test_simple_feature_pyramid_from_one_vit_map():
    neck = MODELS.build(dict(type='SimpleFeaturePyramid', in_channels=[64] * 4, out_channels=32))
    outs = neck([torch.randn(2, 64, 8, 8)])
    assert [tuple(o.shape) for o in outs] == [(2, 32, 32, 32), (2, 32, 16, 16), (2, 32, 8, 8),
                                              (2, 32, 4, 4), (2, 32, 2, 2)]
    x4 = neck.rescales[0]  # two 2x2 deconvolutions halving the channels, LN + GELU between
    assert [m.out_channels for m in x4 if isinstance(m, torch.nn.ConvTranspose2d)] == [32, 16]
    assert outs[4].equal(torch.nn.functional.max_pool2d(outs[3], 1, 2))  # P6 = ViTDet's pool
    assert all(not any(isinstance(m, torch.nn.Conv2d) and m.bias is not None for m in p)
               for p in neck.projections)


def test_simple_feature_pyramid_keeps_a_multiscale_backbones_levels():
    neck = MODELS.build(dict(type='SimpleFeaturePyramid', in_channels=[16, 24, 32, 32],
                             scale_factors=[1, 1, 1, 1], num_outs=4))
    maps = [torch.randn(1, c, s, s) for c, s in ((16, 16), (24, 8), (32, 4), (32, 2))]
    assert [o.shape[-1] for o in neck(maps)] == [16, 8, 4, 2]
    patch8 = MODELS.build(dict(type='SimpleFeaturePyramid', in_channels=[8] * 4,
                               out_channels=8, scale_factors=[2, 1, 0.5, 0.25]))
    assert [o.shape[-1] for o in patch8([torch.randn(1, 8, 8, 8)])] == [16, 8, 4, 2, 1]
    with pytest.raises(ConfigError, match='neck.scale_factors'):
        MODELS.build(dict(type='SimpleFeaturePyramid', in_channels=[8], scale_factors=[3]))
    with pytest.raises(ConfigError, match='backbone.out_indices'):
        neck(maps[:2])


def test_resized_loss_head_scores_logits_and_labels_at_the_loss_size():
    head = MODELS.build(dict(type='ResizedLossFCNHead', loss_size=(4, 4), in_channels=8,
                             channels=8, num_convs=0, concat_input=False, num_classes=3,
                             norm_cfg=None, dropout_ratio=0.0,
                             loss_decode=dict(type='mmseg.CrossEntropyLoss', loss_weight=1.0,
                                              avg_non_ignore=True)))
    label = torch.zeros(1, 16, 16, dtype=torch.long)
    label[:, :, 8:] = 2  # left half class 0, right half class 2
    sample = SegDataSample(gt_sem_seg=PixelData(data=label))
    assert head._stack_batch_gt([sample]).shape == (1, 1, 4, 4)
    logits = torch.full((1, 3, 2, 2), -10.)
    logits[:, 0, :, 0] = logits[:, 2, :, 1] = 10.  # right where the labels are
    assert head.loss_by_feat(logits, [sample])['loss_ce'] < 1e-3
    assert head.loss_by_feat(logits.flip(-1), [sample])['loss_ce'] > 5


def test_seg_random_resized_crop_cuts_image_and_map_together():
    crop = TRANSFORMS.build(dict(type='SegRandomResizedCrop', size=(16, 16), scale=(0.5, 1.0)))
    img = np.arange(40 * 60, dtype=np.float32).reshape(40, 60, 1).repeat(3, -1)
    seg = (np.arange(40 * 60).reshape(40, 60) % 7).astype(np.uint8)
    out = crop(dict(img=img.copy(), gt_seg_map=seg.copy(), img_shape=(40, 60)))
    assert out['img'].shape == (16, 16, 3) and out['gt_seg_map'].shape == (16, 16)
    assert set(np.unique(out['gt_seg_map'])) <= set(range(7))  # nearest: no new labels
    top, left, h, w = crop.box(40, 60)
    assert 0.5 * 2400 * 0.9 <= h * w <= 2400 and top + h <= 40 and left + w <= 60
    with pytest.raises(ConfigError, match='SegRandomResizedCrop.scale'):
        TRANSFORMS.build(dict(type='SegRandomResizedCrop', size=(8, 8), scale=(0.5, 2.0)))


def test_evaluate_at_input_size_makes_the_resized_image_the_reference():
    out = TRANSFORMS.build(dict(type='EvaluateAtInputSize'))(
        dict(img=np.zeros((448, 448, 3)), img_shape=(448, 448), ori_shape=(375, 500)))
    assert out['ori_shape'] == (448, 448)

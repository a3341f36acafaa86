"""The ``loss`` kind: every shipped config's losses are unchanged, each loss's reduction, and
build-time refusals."""
import json
import os.path as osp

import pytest
import torch
import torch.nn.functional as F
from mmengine.config import Config

from mimtoolkit.models.losses import LOSS_CALLS, build_loss, losses_that_answer
from mimtoolkit.registry import MODELS, parts_of_kind
from mimtoolkit.utils import ConfigError
from ...config_losses import (DEVICE_AUG, LOSS_SWAPS, PIXEL_TARGETS, REFERENCE, REPO,
                              losses_on_fixed_batch, pretraining_configs)

with open(REFERENCE) as f:
    BEFORE = json.load(f)


def test_the_reference_covers_every_shipped_pretraining_config():
    assert sorted([*BEFORE, *LOSS_SWAPS, *DEVICE_AUG, *PIXEL_TARGETS]) == pretraining_configs()


@pytest.mark.parametrize('child', sorted(PIXEL_TARGETS))
def test_the_demo_config_is_its_parent_s_model_with_pixel_targets(child):
    model = Config.fromfile(osp.join(REPO, child)).model.to_dict()
    parent = Config.fromfile(osp.join(REPO, PIXEL_TARGETS[child])).model.to_dict()
    assert model['head'].pop('norm_pix') is False and parent['head'].pop('norm_pix') is True
    assert model == parent and PIXEL_TARGETS[child] in BEFORE


@pytest.mark.parametrize('child', sorted(DEVICE_AUG))
def test_a_device_aug_config_builds_its_parent_s_model(child):
    model = Config.fromfile(osp.join(REPO, child)).model.to_dict()
    parent = Config.fromfile(osp.join(REPO, DEVICE_AUG[child])).model.to_dict()
    preprocessor = model.pop('data_preprocessor')
    parent_preprocessor = parent.pop('data_preprocessor')
    assert preprocessor.pop('type') == 'DeviceAugmentDataPreprocessor'
    assert parent_preprocessor.pop('type') == 'SelfSupDataPreprocessor'
    assert model == parent and preprocessor == parent_preprocessor  # mean, std, to_rgb
    assert DEVICE_AUG[child] in BEFORE  # whose losses are held to the reference


@pytest.fixture(scope='module')
def stand_ins(tmp_path_factory):
    return str(tmp_path_factory.mktemp('stand_ins')), {}


#: Losses already computed, by model config (configs that differ only in their schedule or
#: data build the same model: it is computed once).
_BY_MODEL = {}


@pytest.mark.slow
@pytest.mark.parametrize('path', sorted(BEFORE))
def test_shipped_config_losses_equal_the_code_before_the_loss_kind(path, stand_ins):
    key = repr(Config.fromfile(osp.join(REPO, path)).model)
    if key not in _BY_MODEL:
        _BY_MODEL[key] = losses_on_fixed_batch(path, *stand_ins)
    after = _BY_MODEL[key]
    assert sorted(after) == sorted(BEFORE[path])
    for name, value in after.items():
        assert value == pytest.approx(BEFORE[path][name], rel=1e-5, abs=1e-6), name


def test_every_loss_declares_a_known_call_and_its_source():
    losses = parts_of_kind('loss')
    assert sorted(losses) == ['FeatureRegressionLoss', 'PixelReconstructionLoss',
                              'SupervisedContrastiveLoss', 'TokenCrossEntropyLoss']
    for cls in losses.values():
        assert cls.compares in LOSS_CALLS and cls.source


def test_feature_regression_reductions():
    pred, target = torch.randn(2, 5, 8), torch.randn(2, 5, 8)
    mask = torch.tensor([[1, 0, 1, 0, 0], [0, 0, 0, 1, 1]])
    l2 = MODELS.build(dict(type='FeatureRegressionLoss'))
    assert l2(pred, target) == pytest.approx(F.mse_loss(pred, target).item(), rel=1e-6)
    masked = (pred - target).square().mean(-1)[mask.bool()].mean()
    assert l2(pred, target, mask) == pytest.approx(masked.item(), rel=1e-6)
    smooth = MODELS.build(dict(type='FeatureRegressionLoss', criterion='smooth_l1', beta=0.5))
    assert smooth(pred, target) == pytest.approx(
        F.smooth_l1_loss(pred, target, beta=0.5).item(), rel=1e-6)
    cosine = MODELS.build(dict(type='FeatureRegressionLoss', criterion='cosine'))
    cos = F.cosine_similarity(pred, target, dim=-1)
    assert cosine(pred, target) == pytest.approx((1 - cos).mean().item(), rel=1e-6)
    assert cosine(3 * target, target) == pytest.approx(0, abs=1e-6)  # blind to scale
    normed = MODELS.build(dict(type='FeatureRegressionLoss', target_norm='layer_norm'))
    shifted = 5 + 2 * target  # per-token affine changes of the target do not matter
    assert normed(pred, shifted) == pytest.approx(normed(pred, target).item(), rel=1e-4)
    ln = (target - target.mean(-1, keepdim=True)) / target.var(-1, unbiased=False,
                                                               keepdim=True).add(1e-5).sqrt()
    assert normed(pred, target) == pytest.approx(F.mse_loss(pred, ln).item(), rel=1e-5)


def test_pixel_loss_is_the_per_patch_error_averaged_over_masked_patches():
    """MAE's loss by hand: per patch, the mean over its D values of |e| (L1) or e² (L2); then
    the mean over the patches where mask = 1, divided by ``channel``; fp32 under bf16."""
    pred, target = torch.randn(2, 4, 12), torch.randn(2, 4, 12)
    mask = torch.tensor([[1., 1, 0, 0], [0, 1, 0, 0]])
    masked = [(b, i) for b in range(2) for i in range(4) if mask[b, i]]
    for criterion, error in (('L1', lambda e: abs(e)), ('L2', lambda e: e * e)):
        def patch(b, i):
            return sum(error(float(p) - float(t)) for p, t in zip(pred[b, i], target[b, i])) / 12
        by_hand = sum(patch(b, i) for b, i in masked) / len(masked)
        every = sum(patch(b, i) for b in range(2) for i in range(4)) / 8
        loss = MODELS.build(dict(type='PixelReconstructionLoss', criterion=criterion))
        assert loss(pred, target, mask).item() == pytest.approx(by_hand, rel=1e-6)
        assert loss(pred, target).item() == pytest.approx(every, rel=1e-6)  # no mask: all
        halved = MODELS.build(dict(type='PixelReconstructionLoss', criterion=criterion,
                                   channel=2))
        assert halved(pred, target, mask).item() == pytest.approx(by_hand / 2, rel=1e-6)
        with torch.autocast('cpu', dtype=torch.bfloat16):
            low = loss(pred.bfloat16(), target.bfloat16(), mask)
        assert low.dtype == torch.float32
        assert low.item() == pytest.approx(by_hand, rel=2e-2)  # bf16 inputs, fp32 arithmetic


def test_token_cross_entropy_is_the_mean_over_tokens():
    logits, target = torch.randn(7, 11), torch.randint(0, 11, (7, ))
    loss = MODELS.build(dict(type='TokenCrossEntropyLoss'))
    assert loss(logits, target) == pytest.approx(F.cross_entropy(logits, target).item(),
                                                 rel=1e-6)


@pytest.mark.parametrize('head,cfg,message', [
    ('FeatureDistillHead', dict(type='FeatureRegressionLoss', criterion='l3'),
     r"FeatureDistillHead.loss.criterion='l3' is invalid: expected one of \('l2', "
     r"'smooth_l1', 'cosine'\)"),
    ('MimicHead', dict(type='FeatureRegressionLoss', target_norm='batch_norm'),
     r"MimicHead.loss.target_norm='batch_norm' is invalid: expected one of \(None, "),
    ('MimicHead', dict(type='FeatureRegressionLoss', critrion='l2'),
     r"MimicHead.loss.critrion='l2' is invalid: expected an argument of "
     r"FeatureRegressionLoss: one of \['criterion', 'target_norm', 'beta'\]"),
    ('PixelReconstructionHead', dict(type='PixelReconstructionLoss', criterion='L3'),
     r"PixelReconstructionHead.loss.criterion='L3' is invalid: expected one of"),
    ('HomologousContrastiveHead', dict(type='SupervisedContrastiveLoss', positives='all'),
     r"HomologousContrastiveHead.loss.positives='all' is invalid"),
    ('TokenClassificationHead', dict(type='FeatureRegressionLoss'),
     r"TokenClassificationHead.loss.type='FeatureRegressionLoss' is invalid: expected a "
     r"classification loss for TokenClassificationHead, one of \['TokenCrossEntropyLoss'\]; "
     r"FeatureRegressionLoss is a regression loss"),
    ('PixelReconstructionHead', dict(type='CrossEntropyLoss'),
     r"PixelReconstructionHead.loss.type='CrossEntropyLoss' is invalid: expected a "
     r"regression loss for PixelReconstructionHead, one of \['FeatureRegressionLoss', "
     r"'PixelReconstructionLoss'\]$"),
    ('PixelReconstructionHead', dict(type='NoSuchLoss'),
     r"PixelReconstructionHead.loss.type='NoSuchLoss' is invalid"),
    ('PixelReconstructionHead', 'L2', r"PixelReconstructionHead.loss='L2' is invalid"),
])
def test_bad_loss_configs_are_build_time_errors_naming_the_key(head, cfg, message):
    with pytest.raises(ConfigError, match=message):
        build_loss(cfg, parts_of_kind('head')[head])


def test_a_loss_config_without_type_changes_the_heads_default_loss():
    heads = parts_of_kind('head')
    mimic = build_loss(dict(criterion='cosine'), heads['MimicHead'])
    assert (type(mimic).__name__, mimic.criterion, mimic.target_norm) == (
        'FeatureRegressionLoss', 'cosine', None)
    pixel = build_loss(dict(criterion='L1'), heads['PixelReconstructionHead'])
    assert (type(pixel).__name__, pixel.criterion) == ('PixelReconstructionLoss', 'L1')
    with pytest.raises(ConfigError, match=r"FeaturePredictionHead.loss.criterion='cosine' is "
                                          r"invalid: expected one of \('L1', 'L2'\)"):
        build_loss(dict(criterion='cosine'), heads['FeaturePredictionHead'])


def test_calls_are_answered_by_the_losses_that_declare_them():
    assert sorted(losses_that_answer('regression')) == ['FeatureRegressionLoss',
                                                        'PixelReconstructionLoss']
    assert sorted(losses_that_answer('contrastive')) == ['SupervisedContrastiveLoss']

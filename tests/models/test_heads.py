"""Heads: norm_pix targets, named losses on masked patches, pixels back from norm_pix."""
import torch

from mimtoolkit.registry import MODELS


def _head(norm_pix):
    return MODELS.build(dict(type='PixelReconstructionHead', norm_pix=norm_pix, patch_size=4))


def test_norm_pix_target_has_zero_mean_unit_variance_per_patch():
    target = _head(True).construct_target(torch.rand(2, 3, 16, 16) * 255)
    assert target.shape == (2, 16, 48)
    assert torch.allclose(target.mean(-1), torch.zeros(2, 16), atol=1e-4)
    assert torch.allclose(target.var(-1), torch.ones(2, 16), atol=1e-3)


def test_loss_is_named_and_counts_only_masked_patches():
    head = _head(False)
    imgs = torch.rand(1, 3, 8, 8)
    pred = head.patchify(imgs).clone()
    mask = torch.tensor([[1., 0, 0, 0]])
    pred[0, 1:] += 5.0  # errors on visible patches do not count
    assert head.loss(pred, imgs, mask) == {'loss_rec': torch.tensor(0.)}
    pred[0, 0] += 1.0
    assert torch.isclose(head.loss(pred, imgs, mask)['loss_rec'], torch.tensor(1.0))


def test_to_pixels_undoes_norm_pix_with_the_target_patches_statistics():
    head = _head(True)
    imgs = torch.rand(2, 3, 16, 16) * 255
    perfect = head.construct_target(imgs)
    assert torch.allclose(head.to_pixels(perfect, imgs), imgs, atol=1e-3)
    assert torch.allclose(_head(False).to_pixels(_head(False).patchify(imgs), imgs), imgs)


def test_feature_prediction_head_masks_loss_and_names_it():
    head = MODELS.build(dict(type='FeaturePredictionHead', in_channels=8, out_channels=5,
                             loss_name='loss_hog'))
    tokens, target = torch.randn(2, 6, 8), torch.randn(2, 6, 5)
    mask = torch.zeros(2, 6)
    mask[:, :2] = 1
    losses = head.loss(tokens, target, mask)
    assert set(losses) == {'loss_hog'}
    pred = head.predictor(tokens)
    expected = ((pred - target)**2).mean(-1)[:, :2].mean()
    assert torch.isclose(losses['loss_hog'], expected)

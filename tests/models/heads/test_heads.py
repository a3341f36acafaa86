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


def test_to_pixels_draws_norm_pix_with_visible_statistics_only():
    head = _head(True)
    imgs = torch.rand(2, 3, 16, 16) * 255
    mask = torch.zeros(2, 16)
    mask[:, 5] = 1
    perfect = head.construct_target(imgs)
    out = head.patchify(head.to_pixels(perfect, imgs, mask))
    patches = head.patchify(imgs)
    visible = mask[0] == 0
    # visible patches come back exactly; the hidden patch's own mean colour is not used
    assert torch.allclose(out[:, visible], patches[:, visible], atol=1e-3)
    vis_mean = patches[:, visible].mean(-1).mean(1)
    assert torch.allclose(out[:, 5].mean(-1), vis_mean, atol=1e-3)
    # changing the hidden patch's pixels does not change how it is drawn
    changed = imgs.clone()
    changed[:, :, 4:8, 4:8] = 0.0
    again = head.patchify(head.to_pixels(perfect, changed, mask))
    assert torch.allclose(again[:, 5], out[:, 5], atol=1e-3)
    plain = _head(False)
    assert torch.allclose(plain.to_pixels(plain.patchify(imgs), imgs, mask), imgs)


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

"""The no-hidden-pixel baselines of the demo: mean visible colour, nearest visible patch."""
import math

import torch

from mimtoolkit.evaluation.reconstruction_baselines import (compare_with_baselines,
                                                            mean_visible_colour,
                                                            nearest_visible_patch, patch_mask,
                                                            psnr)


def _pixel_mask(patch: torch.Tensor, p: int) -> torch.Tensor:
    """(B, h, w) patch mask -> (B, 1, h·p, w·p)."""
    return patch.repeat_interleave(p, 1).repeat_interleave(p, 2).unsqueeze(1).float()


def test_mean_visible_colour_ignores_hidden_pixels():
    images = torch.zeros(1, 3, 4, 4)
    images[..., :2, :] = 100.0  # visible half
    images[..., 2:, :] = 250.0  # hidden half
    mask = _pixel_mask(torch.tensor([[[0, 0], [1, 1]]]), 2)
    out = mean_visible_colour(images, mask)
    assert torch.allclose(out, torch.full_like(out, 100.0))


def test_nearest_visible_patch_copies_the_closest_visible_one():
    p = 2
    images = torch.arange(9.0).repeat_interleave(p * p).reshape(1, 1, 3, 3, p, p)
    images = images.permute(0, 1, 2, 4, 3, 5).reshape(1, 1, 6, 6).expand(1, 3, 6, 6).clone()
    hidden = torch.tensor([[[0, 1, 1], [1, 1, 1], [1, 1, 0]]])  # patches 0 and 8 visible
    mask = _pixel_mask(hidden, p)
    out = nearest_visible_patch(images, mask, p)
    values = out[0, 0, ::p, ::p]  # one value per patch
    assert torch.equal(patch_mask(mask, p), hidden.flatten(1).float())
    expected = torch.tensor([[0., 0, 0], [0, 0, 8], [0, 8, 8]])  # ties -> the first (patch 0)
    assert torch.equal(values, expected)
    assert torch.equal(out[0, 0, 4:, 4:], images[0, 0, 4:, 4:])  # visible stays


def test_compare_scores_a_perfect_prediction_above_both_baselines():
    torch.manual_seed(0)
    images = torch.rand(2, 3, 8, 8) * 255
    mask = _pixel_mask((torch.rand(2, 4, 4) < 0.75).long(), 2)
    scores = compare_with_baselines(images + 1.0, images, mask, 2)
    assert math.isclose(scores['model']['mse'], 1.0, rel_tol=1e-5)
    assert math.isclose(scores['model']['psnr_db'], psnr(1.0), rel_tol=1e-6)
    assert scores['model']['psnr_db'] > scores['mean visible colour']['psnr_db']
    assert scores['model']['psnr_db'] > scores['nearest visible patch']['psnr_db']

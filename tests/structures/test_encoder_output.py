"""EncoderOutput names its parts; MaskInfo.restore undoes the visible/masked gathers."""
import pytest
import torch

from mimtoolkit.structures import EncoderOutput, MaskInfo


def mask_info(batch=2, num_patches=8, num_visible=3, seed=0):
    g = torch.Generator().manual_seed(seed)
    shuffle = torch.stack([torch.randperm(num_patches, generator=g) for _ in range(batch)])
    return MaskInfo.from_shuffle(shuffle, num_visible)


def test_restore_puts_visible_and_masked_tokens_back_in_raster_order():
    info = mask_info()
    raster = torch.randn(2, 8, 4)
    visible, masked = info.gather_visible(raster), info.gather_masked(raster)
    assert visible.shape == (2, 3, 4) and masked.shape == (2, 5, 4)
    assert torch.equal(info.restore(visible, masked), raster)
    assert not torch.equal(info.restore(masked[:, :3], torch.cat([visible, masked[:, 3:]], 1)),
                           raster)


def test_every_patch_is_there_only_where_the_encoder_kept_a_token_there():
    info, raster = mask_info(), torch.randn(2, 8, 4)
    lead = torch.randn(2, 1, 4)
    full = EncoderOutput(leading=lead, visible=info.gather_visible(raster),
                         masked=info.gather_masked(raster), mask_info=info)
    assert full.has_every_patch and torch.equal(full.every_patch(), raster)
    assert full.num_leading == 1
    assert torch.equal(full.leading_and_visible(),
                       torch.cat([lead, info.gather_visible(raster)], 1))
    dropped = EncoderOutput(leading=lead[:, :0], visible=info.gather_visible(raster),
                            mask_info=info)
    assert not dropped.has_every_patch and dropped.num_leading == 0
    with pytest.raises(ValueError, match='dropped the masked patches'):
        dropped.every_patch()
    unmasked = EncoderOutput(leading=lead, visible=raster)
    assert unmasked.has_every_patch and torch.equal(unmasked.every_patch(), raster)

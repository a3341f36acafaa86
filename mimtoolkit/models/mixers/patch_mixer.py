"""MixedAE's patch mixing: 1/r images composed patch by patch (Eq. 1–2)."""
from typing import Tuple

import torch
import torch.nn as nn

from mimtoolkit.registry import register_part
from mimtoolkit.structures import PatchMixInfo
from mimtoolkit.utils import rank_share, require

MODES = ('compose', 'full')


@register_part('mixer')
class PatchMixer(nn.Module):
    """Split the batch into groups of G = 1/r images and compose each group patch-wise.

    Group i of a batch of B holds images i, i + B/G, ..., i + (G−1)·B/G: with
    mmengine's interleaving sampler these are the same groups however the
    global batch is split over ranks, and the mixing masks are drawn for the
    global batch's groups (``rank_share``), so a multi-process run mixes as
    one process with the global batch does.

    Each mixed sample takes exactly rL patches from every image of its group
    (symmetric mixing), at positions drawn uniformly at random (the mixing
    mask M). The encoder then sees every patch of a mixed sample: for each
    image, the patches of the others play the role of MAE's masked patches.

    Modes:

    - ``'compose'``: one mixed sample per group (encoder batch B·r).
    - ``'full'``: G mixed samples per group, M drawn independently for each
      (encoder batch B).

    Args:
        mix_ratio (float): r in (0, 0.5] with 1/r an integer. Defaults to 0.25.
        mode (str): ``'compose'`` or ``'full'``. Defaults to ``'compose'``.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MixedAE (Chen et al. 2023) Eq. 1-2'
    #: Values a config may give each enumerated argument (what the checks allow).
    choices = dict(mode=MODES)

    def __init__(self, mix_ratio: float = 0.25, mode: str = 'compose') -> None:
        super().__init__()
        valid = isinstance(mix_ratio, (int, float)) and 0 < mix_ratio <= 0.5
        require(valid and abs(1 / mix_ratio - round(1 / mix_ratio)) < 1e-6,
                'model.mixer.mix_ratio', mix_ratio,
                'r in (0, 0.5] with 1/r an integer (0.5, 0.25, 0.125, ...)')
        require(mode in MODES, 'model.mixer.mode', mode, f'one of {MODES}')
        self.mix_ratio = float(mix_ratio)
        self.group_size = round(1 / mix_ratio)
        self.mode = mode

    def draw_slots(self, num_groups: int, num_patches: int,
                   device: torch.device) -> torch.Tensor:
        """(B', L) long: a random mixing mask per mixed sample, L/G patches per slot.

        Args:
            num_groups (int): Groups of this rank (B / G).
            num_patches (int): L.
            device (torch.device): Where the masks live.
        """
        per_group = self.group_size if self.mode == 'full' else 1

        def draw(n: int) -> torch.Tensor:
            return torch.rand(n, per_group, num_patches).argsort(dim=-1).argsort(dim=-1)

        order = rank_share(draw, num_groups).flatten(0, 1)
        return (order // (num_patches // self.group_size)).to(device)

    def forward(self, inputs: torch.Tensor, grid: Tuple[int, int]) -> PatchMixInfo:
        """Mix a batch.

        Args:
            inputs (Tensor): (B, C, H, W) normalised images; B divisible by G.
            grid (tuple[int, int]): The encoder's patch grid (h, w); L = h·w
                must be divisible by G.

        Returns:
            PatchMixInfo: B/G (``'compose'``) or B (``'full'``) mixed samples.
        """
        batch, g = inputs.shape[0], self.group_size
        require(batch % g == 0, 'train_dataloader.batch_size (per GPU)', batch,
                f'a multiple of 1/model.mixer.mix_ratio = {g} (groups of {g} images)')
        num_patches = grid[0] * grid[1]
        require(num_patches % g == 0, 'model.mixer.mix_ratio', self.mix_ratio,
                f'a ratio whose 1/r = {g} divides the {num_patches} patches per image')
        groups = torch.arange(batch, device=inputs.device).view(g, -1).t()
        sources = groups.repeat_interleave(g, dim=0) if self.mode == 'full' else groups
        slots = self.draw_slots(groups.shape[0], num_patches, inputs.device)
        # one patch of one source image per position: index the batch's patches directly,
        # without copying each group member (B'·G images) first
        c, (h, w) = inputs.shape[1], grid
        ph, pw = inputs.shape[-2] // h, inputs.shape[-1] // w
        patches = inputs.reshape(batch, c, h, ph, w, pw).permute(0, 2, 4, 1, 3, 5)
        patches = patches.reshape(batch, num_patches, c, ph, pw)
        positions = torch.arange(num_patches, device=inputs.device)
        mixed = patches[sources.gather(1, slots), positions]  # (B', L, C, ph, pw)
        mixed = mixed.reshape(-1, h, w, c, ph, pw).permute(0, 3, 1, 4, 2, 5)
        mixed = mixed.reshape(-1, c, h * ph, w * pw)
        return PatchMixInfo(mixed=mixed, slots=slots, sources=sources)

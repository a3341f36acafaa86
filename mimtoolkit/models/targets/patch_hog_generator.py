"""HOG targets per patch, for any image and patch size."""
import torch
from mmpretrain.models.selfsup import HOGGenerator

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require


@register_part('target')
class PatchHOGGenerator(HOGGenerator):
    """mmpretrain's ``HOGGenerator`` with the patch grid taken from the input.

    mmpretrain's version assumes a 14×14 grid (224 px, patch 16); this one
    groups the HOG cells of each ``patch_size`` patch, so 32-px inputs with
    patch 4 work as well as 224 with patch 16.

    Args:
        patch_size (int): Encoder patch size; a multiple of ``pool``.
        nbins (int): Orientation bins. Defaults to 9.
        pool (int): HOG cell size in pixels. Defaults to 8.
        gaussian_window (int): Gaussian window; must divide the image size
            (0 disables it). Defaults to 16.

    Output: (B, L, 3 · nbins · (patch_size / pool)²) features.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MaskFeat (Wei et al. 2022) §3.2, HOG targets'

    def __init__(self, patch_size: int = 16, nbins: int = 9, pool: int = 8,
                 gaussian_window: int = 16) -> None:
        require(isinstance(pool, int) and pool > 0 and patch_size % pool == 0, 'target.pool',
                pool, f'a positive divisor of the patch size {patch_size}')
        super().__init__(nbins=nbins, pool=pool, gaussian_window=gaussian_window)
        self.patch_size = patch_size

    @property
    def out_channels(self) -> int:
        """int: Feature size per patch."""
        return 3 * self.nbins * (self.patch_size // self.pool)**2

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        """HOG features of (B, 3, H, W) images, in fp32 even under autocast (no grad).

        Returns:
            Tensor: (B, L, out_channels).
        """
        with torch.autocast(device_type=x.device.type, enabled=False):
            return super().forward(x.float())

    def _reshape(self, hog_feat: torch.Tensor) -> torch.Tensor:
        """(B, 3, nbins, H/pool, W/pool) -> (B, L, out_channels)."""
        hog_feat = hog_feat.flatten(1, 2).permute(0, 2, 3, 1)
        cells = self.patch_size // self.pool
        hog_feat = hog_feat.unfold(1, cells, cells).unfold(2, cells, cells)
        return hog_feat.flatten(1, 2).flatten(2)

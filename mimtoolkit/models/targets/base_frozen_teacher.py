"""What every frozen teacher shares: eval mode, no gradient, kept out of checkpoints,
inputs re-normalised to the teacher's statistics and resized to the student's grid."""
from typing import Dict, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from mmengine.model import BaseModule

from mimtoolkit.structures import TeacherFeatures
from mimtoolkit.utils import ConfigError, load_state_dict_file, require


class BaseFrozenTeacher(BaseModule):
    """A pretrained network whose features are targets, never trained.

    - Its weights come from a file (``load_weights``), at build time (so a
      missing or mismatched file fails before any data is loaded) and again
      in ``init_weights`` (after the pretrainer's own ``init_cfg`` touched
      every layer).
    - Parameters have ``requires_grad=False``; ``train()`` keeps it in eval mode.
    - It is left out of the pretrainer's ``state_dict`` (checkpoints stay the
      student's size) and loading a checkpoint keeps the weights from the file,
      whether or not the checkpoint holds teacher keys.
    - Inputs arrive normalised by the student's data preprocessor. With the
      teacher's own ``mean``/``std`` given, they are re-normalised to them
      (the pretrainer hands its preprocessor's statistics over with
      :meth:`adopt_input_normalization`).
    - :meth:`features` aligns the teacher's patch grid to the student's by
      **resizing the input** (bilinear) to the student's grid times the
      teacher's patch size; the teacher interpolates its position embedding.

    Subclasses build the network and implement :meth:`load_weights`,
    :attr:`patch_size` and :meth:`encode_clean`.

    Args:
        mean (Sequence[float], optional): The teacher's per-channel input
            mean, on the 0-255 scale of the data preprocessor. None: the
            teacher takes the student's inputs as they are.
        std (Sequence[float], optional): The teacher's per-channel std (0-255).
    """

    #: Where a config puts it (for the parts catalogue).
    slot = 'the `teacher` of a MimicHead or FeatureDistillHead'

    #: Whether ``forward(images, mask_info)`` encodes the visible patches alone.
    encodes_visible_only = False

    def __init__(self, mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None) -> None:
        super().__init__(init_cfg=None)
        require((mean is None) == (std is None), 'teacher.mean/std', (mean, std),
                'both given (the teacher\'s input statistics, 0-255 scale) or both None')
        self.mean = None if mean is None else torch.tensor(mean, dtype=torch.float).view(-1, 1, 1)
        self.std = None if std is None else torch.tensor(std, dtype=torch.float).view(-1, 1, 1)
        self._renorm: Optional[Tuple[torch.Tensor, torch.Tensor]] = None
        self._register_state_dict_hook(_drop_own_keys)
        self._register_load_state_dict_pre_hook(self._keep_own_weights)

    @property
    def patch_size(self) -> int:
        """int: The teacher's patch size."""
        raise NotImplementedError

    def adopt_input_normalization(self, mean: torch.Tensor, std: torch.Tensor) -> None:
        """Take the statistics the inputs are normalised with (the data preprocessor's).

        Args:
            mean (Tensor): (C, 1, 1) or (C,) per-channel mean, 0-255 scale.
            std (Tensor): Same shape, per-channel std.
        """
        if self.mean is None:
            return
        mean = torch.as_tensor(mean, dtype=torch.float).reshape(-1, 1, 1).cpu()
        std = torch.as_tensor(std, dtype=torch.float).reshape(-1, 1, 1).cpu()
        require(mean.shape[0] == self.mean.shape[0], 'teacher.mean', self.mean.flatten().tolist(),
                f'{mean.shape[0]} channels, like the data preprocessor')
        # x_teacher = (x * std_in + mean_in - mean_t) / std_t = x * scale + shift
        self._renorm = (std / self.std, (mean - self.mean) / self.std)

    def renormalize(self, images: torch.Tensor) -> torch.Tensor:
        """Re-normalise student inputs to the teacher's statistics.

        Args:
            images (Tensor): (B, C, H, W) normalised by the data preprocessor.

        Returns:
            Tensor: (B, C, H, W) normalised as the teacher was trained.
        """
        if self.mean is None:
            return images
        if self._renorm is None:
            raise ConfigError('teacher.mean/std are set but the input statistics are unknown: '
                              'build the teacher inside a pretrainer (it hands over its '
                              'data_preprocessor mean/std) or call adopt_input_normalization')
        scale, shift = (t.to(images) for t in self._renorm)
        return images * scale + shift

    @torch.no_grad()
    def features(self, images: torch.Tensor, grid: Sequence[int]) -> TeacherFeatures:
        """Patch features and [CLS] saliency of clean images on the student's grid.

        Args:
            images (Tensor): (B, C, H, W) normalised as the student's inputs.
            grid (Sequence[int]): The student's patch grid (h, w).

        Returns:
            TeacherFeatures: ``patch_tokens`` (B, h·w, C_teacher) and
            ``cls_attention`` (B, h·w).
        """
        return self.encode_clean(self.prepare(images, grid))

    def prepare(self, images: torch.Tensor, grid: Sequence[int]) -> torch.Tensor:
        """Student inputs as the teacher's: re-normalised, resized to ``grid`` x patch size.

        Args:
            images (Tensor): (B, C, H, W) normalised as the student's inputs.
            grid (Sequence[int]): The student's patch grid (h, w).

        Returns:
            Tensor: (B, C, h·p, w·p), p = :attr:`patch_size`.
        """
        images = self.renormalize(images)
        size = (grid[0] * self.patch_size, grid[1] * self.patch_size)
        if tuple(images.shape[-2:]) != size:
            images = F.interpolate(images, size=size, mode='bilinear', align_corners=False,
                                   antialias=images.shape[-1] > size[1])
        return images

    def encode_clean(self, images: torch.Tensor) -> TeacherFeatures:
        """Encode teacher-normalised images whose grid is already the student's.

        Args:
            images (Tensor): (B, C, h·p, w·p), p = :attr:`patch_size`.

        Returns:
            TeacherFeatures: Features and [CLS] attention of every patch.
        """
        raise NotImplementedError

    def freeze(self) -> None:
        """Stop gradients and switch to eval mode."""
        for param in self.parameters():
            param.requires_grad_(False)
        super().train(False)

    def load_weights(self) -> None:
        """Load the teacher's weights from its file."""
        raise NotImplementedError

    #: What the weights file must hold, for the missing-file error.
    expected_file = 'its weights'

    def read_weights_file(self, path: str, field: str) -> Dict[str, torch.Tensor]:
        """The state dict in ``path`` (``weights_only=True``), or an error saying what is expected.

        Args:
            path (str): Local ``.pth``/``.bin``/``.safetensors`` file.
            field (str): The config key of the path, e.g. ``'teacher.checkpoint'``.

        Returns:
            dict[str, Tensor]: The weights.
        """
        try:
            return load_state_dict_file(path, field=field)
        except ConfigError as err:
            raise ConfigError(f'{err} ({type(self).__name__} needs {self.expected_file} on '
                              'local disk; nothing is downloaded)') from None

    def init_weights(self) -> None:
        """Reload from the file (the pretrainer's init has overwritten the layers)."""
        self.load_weights()
        self.freeze()
        self._is_init = True

    def train(self, mode: bool = True) -> 'BaseFrozenTeacher':
        """Stay in eval mode whatever the pretrainer does."""
        return super().train(False)

    def _own_tensors(self) -> Dict[str, torch.Tensor]:
        tensors = dict(self.named_parameters())
        tensors.update((k, v) for k, v in self.named_buffers())
        return tensors

    def _keep_own_weights(self, state_dict, prefix, *args) -> None:
        for key in [k for k in state_dict if k.startswith(prefix)]:
            del state_dict[key]
        state_dict.update({prefix + k: v for k, v in self._own_tensors().items()})


def _drop_own_keys(module, state_dict, prefix, local_metadata) -> None:
    for key in [k for k in state_dict if k.startswith(prefix)]:
        del state_dict[key]

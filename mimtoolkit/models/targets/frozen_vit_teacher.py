"""A frozen MIMViT encoder as a feature teacher (i-MAE's MAE teacher, MR-MAE offline)."""
from typing import Optional, Sequence

import torch

from mimtoolkit.registry import MODELS, register_part
from mimtoolkit.functional import encode_with_cls_attention
from mimtoolkit.structures import EncoderOutput, MaskInfo, TeacherFeatures
from mimtoolkit.utils import (ConfigError, backbone_state_dict, load_matching_state_dict,
                              load_state_dict_file)
from .base_frozen_teacher import BaseFrozenTeacher


@register_part('target')
class FrozenViTTeacher(BaseFrozenTeacher):
    """A ``MIMViT`` loaded from a checkpoint and frozen.

    Reads, with ``weights_only=True``:

    - a pretraining checkpoint of this toolkit or of mmpretrain (``MAE``,
      keys ``backbone.*``; set ``prefix`` for another sub-module),
    - a bare ``MIMViT`` / mmpretrain ``VisionTransformer`` state dict,
    - an official MAE checkpoint (``{'model': ...}`` with timm-style names,
      renamed by :func:`~mimtoolkit.utils.timm_vit_to_mmpretrain`).

    Every encoder weight must be in the file with the encoder's shape
    (position embeddings are interpolated); otherwise a ``ConfigError`` names
    the file and what differs.

    Args:
        encoder (dict): The teacher's ``MIMViT`` config (arch, sizes).
        checkpoint (str): Path of the weights file.
        prefix (str): Key prefix of the encoder in the checkpoint.
            Defaults to ``'backbone.'``.
        mean (Sequence[float], optional): The teacher's input mean (0-255);
            None (default): the student's normalisation.
        std (Sequence[float], optional): The teacher's input std (0-255).
    """

    #: Where it comes from: the paper and section it implements.
    source = "i-MAE's frozen MAE teacher (§3.1); MR-MAE two-stage teacher"

    encodes_visible_only = True

    def __init__(self, encoder: dict, checkpoint: str, prefix: str = 'backbone.',
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None) -> None:
        super().__init__(mean=mean, std=std)
        self.encoder = MODELS.build(encoder)
        self.checkpoint = checkpoint
        self.prefix = prefix
        self.load_weights()
        self.freeze()

    @property
    def embed_dims(self) -> int:
        """int: Width of the teacher's features."""
        return self.encoder.embed_dims

    @property
    def patch_size(self) -> int:
        """int: The encoder's patch size."""
        return self.encoder.patch_size

    def load_weights(self) -> None:
        """Load the encoder from ``checkpoint`` (see the class docstring for formats)."""
        field = 'teacher.checkpoint'
        state = backbone_state_dict(load_state_dict_file(self.checkpoint, field=field), self.prefix)
        if not state:
            raise ConfigError(f'{field}={self.checkpoint!r} is invalid: no encoder weights in it')
        load_matching_state_dict(self.encoder, state, field=f'{field}={self.checkpoint!r}')

    @torch.no_grad()
    def forward(self, images: torch.Tensor, mask_info: Optional[MaskInfo] = None) -> EncoderOutput:
        """Encode without gradient.

        Args:
            images (Tensor): (B, C, H, W) normalised as the student's inputs,
                on the student's patch grid.
            mask_info (MaskInfo, optional): The student's mask (visible tokens
                only), or None for all patches.

        Returns:
            EncoderOutput: Final-normed tokens (B, 1 + N, C_teacher).
        """
        return self.encoder.encode(self.renormalize(images), mask_info)

    def encode_clean(self, images: torch.Tensor) -> TeacherFeatures:
        """Final-normed patch tokens and the last layer's [CLS] attention.

        Args:
            images (Tensor): (B, C, H, W) teacher-normalised, on the student's grid.

        Returns:
            TeacherFeatures: (B, L, C_teacher) tokens and (B, L) attention; an
            encoder without a [CLS] token (ConvViT) has no attention to give
            (None: a saliency-driven masker then says so).
        """
        if self.encoder.num_extra_tokens == 0:
            return TeacherFeatures(patch_tokens=self.encoder.encode(images).visible)
        encoded, attention = encode_with_cls_attention(self.encoder, images)
        return TeacherFeatures(patch_tokens=encoded.visible, cls_attention=attention)

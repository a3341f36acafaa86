"""BEiT's visual tokenizers (mmpretrain's DALL-E encoder and VQKD), frozen, from local files."""
from typing import Optional, Sequence

import torch
from mmpretrain.models.selfsup.beit import VQKD
from mmpretrain.models.selfsup.cae import DALLEEncoder

from mimtoolkit.registry import register_part
from mimtoolkit.utils import load_matching_state_dict, require
from .base_frozen_teacher import BaseFrozenTeacher


def vqkd_encoder_config(overrides: Optional[dict] = None) -> dict:
    """mmpretrain's BEiT v2 VQKD encoder (``BEiTViT``, ViT-B/16), with ``overrides``."""
    encoder = dict(arch='base', img_size=224, patch_size=16, out_indices=-1, final_norm=True,
                   out_type='featmap', with_cls_token=True, use_abs_pos_emb=True,
                   use_rel_pos_bias=False, use_shared_rel_pos_bias=False,
                   layer_scale_init_value=0.)
    encoder.update(overrides or {})
    return encoder


class BaseVisualTokenizer(BaseFrozenTeacher):
    """A frozen image tokenizer: one discrete token per student patch.

    Inputs are re-normalised to the tokenizer's statistics and resized so its
    grid is the student's (see :class:`BaseFrozenTeacher`); ``forward``
    returns (B, h·w) token ids in raster order. Weights come from a local
    file (``weights_only=True``) that must hold every tensor of the network.

    Args:
        checkpoint (str): Local weights file.
        prefix (str): Key prefix of the tokenizer in the file ('' for none).
        mean (Sequence[float]): The tokenizer's input mean (0-255 scale).
        std (Sequence[float]): The tokenizer's input std (0-255 scale).
    """

    #: Where a config puts it (for the parts catalogue).
    slot = "BEiT's `target_generator`"

    expected_file = 'the tokenizer weights'

    def __init__(self, checkpoint: str, prefix: str, mean: Sequence[float],
                 std: Sequence[float]) -> None:
        super().__init__(mean=mean, std=std)
        self.checkpoint = checkpoint
        self.prefix = prefix

    def load_weights(self) -> None:
        """Load ``checkpoint`` into the tokenizer."""
        field = 'target_generator.checkpoint'
        state = self.read_weights_file(self.checkpoint, field)
        if self.prefix:
            state = {k[len(self.prefix):]: v for k, v in state.items()
                     if k.startswith(self.prefix)}
        load_matching_state_dict(self.tokenizer, state, field=f'{field}={self.checkpoint!r}')

    @torch.no_grad()
    def forward(self, images: torch.Tensor, grid: Sequence[int]) -> torch.Tensor:
        """Token ids of every patch.

        Args:
            images (Tensor): (B, C, H, W) normalised as the student's inputs.
            grid (Sequence[int]): The student's patch grid (h, w).

        Returns:
            Tensor: (B, h·w) long ids in [0, ``vocab_size``).
        """
        return self.tokenize(self.prepare(images, grid).float())

    def tokenize(self, images: torch.Tensor) -> torch.Tensor:
        """(B, C, h·p, w·p) tokenizer-normalised images -> (B, h·w) ids."""
        raise NotImplementedError


@register_part('target')
class DALLETokenizer(BaseVisualTokenizer):
    """BEiT (v1)'s DALL-E dVAE encoder (mmpretrain's ``DALLEEncoder``): 8x down-sampling,
    8192 tokens, pixels mapped to [0.1, 0.9] (mmpretrain's ``second_mean/std``).

    Args:
        checkpoint (str): E.g. mmpretrain's ``dalle_encoder.pth``.
        prefix (str): Key prefix in the file. Defaults to ''.
        vocab_size (int): Defaults to 8192.
        n_hid (int): Hidden width. Defaults to 256 (smaller for tests).
        n_blk_per_group (int): Blocks per group. Defaults to 2.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'BEiT (Bao et al. 2022) §2.2, DALL-E dVAE tokenizer'

    expected_file = "the DALL-E encoder weights (e.g. mmpretrain's dalle_encoder.pth)"

    def __init__(self, checkpoint: str, prefix: str = '', vocab_size: int = 8192,
                 n_hid: int = 256, n_blk_per_group: int = 2,
                 mean: Sequence[float] = (-31.875, ) * 3,
                 std: Sequence[float] = (318.75, ) * 3) -> None:
        super().__init__(checkpoint, prefix, mean, std)
        self.vocab_size = vocab_size
        self.tokenizer = DALLEEncoder(n_hid=n_hid, n_blk_per_group=n_blk_per_group,
                                      vocab_size=vocab_size)
        self.load_weights()
        self.freeze()

    @property
    def patch_size(self) -> int:
        """int: Pixels per token side (three 2x poolings)."""
        return 8

    def tokenize(self, images: torch.Tensor) -> torch.Tensor:
        """Arg-max of the dVAE's logits per position."""
        return self.tokenizer(images).argmax(dim=1).flatten(1)


@register_part('target')
class VQKDTokenizer(BaseVisualTokenizer):
    """BEiT v2's vector-quantised knowledge-distillation tokenizer (mmpretrain's ``VQKD``).

    Args:
        checkpoint (str): E.g. mmpretrain's ``vqkd_encoder.pth``.
        encoder_config (dict, optional): Its ``BEiTViT`` encoder. Defaults to
            mmpretrain's BEiT v2 config (ViT-B/16).
        num_embed (int): Codebook size. Defaults to 8192.
        embed_dims (int): Code width. Defaults to 32.
        prefix (str): Key prefix in the file. Defaults to ''.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'BEiT v2 (Peng et al. 2022) VQ-KD tokenizer'

    expected_file = "the VQKD weights (e.g. mmpretrain's vqkd_encoder.pth)"

    def __init__(self, checkpoint: str, encoder_config: Optional[dict] = None,
                 num_embed: int = 8192, embed_dims: int = 32, prefix: str = '',
                 mean: Sequence[float] = (127.5, ) * 3,
                 std: Sequence[float] = (127.5, ) * 3) -> None:
        super().__init__(checkpoint, prefix, mean, std)
        encoder = vqkd_encoder_config(encoder_config)
        self.vocab_size = num_embed
        # quantize_kmeans_init=False: the codebook is used as loaded, never re-fitted to a batch
        self.tokenizer = VQKD(encoder_config=encoder, num_embed=num_embed, embed_dims=embed_dims,
                              quantize_kmeans_init=False)
        self.load_weights()
        self.freeze()

    def load_weights(self) -> None:
        """Load the file, then mark the codebook initialised (no k-means on the first batch)."""
        super().load_weights()
        self.tokenizer.quantize.embedding.initted.fill_(1)

    @property
    def patch_size(self) -> int:
        """int: The encoder's patch size."""
        return self.tokenizer.encoder.patch_embed.projection.kernel_size[0]

    def tokenize(self, images: torch.Tensor) -> torch.Tensor:
        """Nearest codebook entries of the encoder's patch features (square grids)."""
        require(images.shape[-1] == images.shape[-2], 'target_generator', 'VQKDTokenizer',
                f'square inputs (mmpretrain\'s VQKD assumes h = w); got {tuple(images.shape)}')
        return self.tokenizer.get_tokens(images)['token']

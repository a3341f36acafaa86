"""Frozen CLIP / DINO ViTs (timm architectures) as feature teachers (MR-MAE)."""
from typing import Optional, Sequence

import timm
import torch
from timm.models.vision_transformer import checkpoint_filter_fn

from mimtoolkit.functional import attention_probs
from mimtoolkit.registry import register_part
from mimtoolkit.structures import TeacherFeatures
from mimtoolkit.utils import hf_clip_to_openai, is_hf_clip, load_matching_state_dict, require
from .base_frozen_teacher import BaseFrozenTeacher

# The statistics the teachers were trained with, on the data preprocessor's 0-255 scale.
OPENAI_CLIP_MEAN = (122.770938, 116.7460125, 104.09373615)
OPENAI_CLIP_STD = (68.5005327, 66.6321579, 70.32316305)
IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


@register_part('target')
class TimmViTTeacher(BaseFrozenTeacher):
    """A timm ``VisionTransformer`` loaded from a local file and frozen.

    timm builds the architecture (``timm.create_model(model_name,
    pretrained=False)``, so nothing is downloaded) and its
    ``checkpoint_filter_fn`` reads timm/DINO names, OpenAI and open_clip CLIP
    checkpoints (``visual.*``); Hugging Face CLIP towers (``vision_model.*``)
    are renamed to OpenAI's names first. The position embedding is
    interpolated to the input's grid at run time (``dynamic_img_size``).

    Features are the final-normed patch tokens (for CLIP: ``ln_post``, before
    the image-text projection); saliency is the last block's [CLS]-to-patch
    attention averaged over heads.

    Args:
        model_name (str): A timm ViT name, e.g. ``'vit_base_patch16_clip_224'``.
        checkpoint (str): Local ``.pth``/``.bin``/``.safetensors`` file.
        model_kwargs (dict, optional): Extra ``timm.create_model`` arguments
            (e.g. a small ``embed_dim``/``depth`` for tests).
        mean (Sequence[float], optional): The teacher's input mean (0-255).
        std (Sequence[float], optional): The teacher's input std (0-255).
    """

    #: Where it comes from: the paper and section it implements.
    source = 'a frozen timm ViT teacher (local weights)'

    expected_file = 'a timm ViT state dict'

    def __init__(self, model_name: str, checkpoint: str, model_kwargs: Optional[dict] = None,
                 mean: Optional[Sequence[float]] = None,
                 std: Optional[Sequence[float]] = None) -> None:
        super().__init__(mean=mean, std=std)
        require(isinstance(model_name, str) and timm.is_model(model_name), 'teacher.model_name',
                model_name, "a timm model name, e.g. 'vit_base_patch16_clip_224'")
        self.model = timm.create_model(model_name, pretrained=False, num_classes=0,
                                       dynamic_img_size=True, **(model_kwargs or {}))
        require(hasattr(self.model, 'blocks') and hasattr(self.model, 'num_prefix_tokens'),
                'teacher.model_name', model_name, 'a timm VisionTransformer')
        self.checkpoint = checkpoint
        self.load_weights()
        self.freeze()

    @property
    def embed_dims(self) -> int:
        """int: Width of the teacher's features."""
        return self.model.embed_dim

    @property
    def patch_size(self) -> int:
        """int: The teacher's patch size."""
        return self.model.patch_embed.patch_size[0]

    def load_weights(self) -> None:
        """Load ``checkpoint`` (timm/DINO, OpenAI/open_clip or Hugging Face names)."""
        field = 'teacher.checkpoint'
        state = self.read_weights_file(self.checkpoint, field)
        if is_hf_clip(state):
            state = hf_clip_to_openai(state)
        state = checkpoint_filter_fn(state, self.model)
        state = {k: v for k, v in state.items() if not k.startswith('head.')}
        load_matching_state_dict(self.model, state, field=f'{field}={self.checkpoint!r}')

    def encode_clean(self, images: torch.Tensor) -> TeacherFeatures:
        """Final-normed patch tokens and the last block's [CLS] attention.

        Args:
            images (Tensor): (B, C, h·p, w·p) teacher-normalised.

        Returns:
            TeacherFeatures: (B, h·w, C_teacher) tokens and (B, h·w) attention.
        """
        attn = self.model.blocks[-1].attn
        seen = {}
        handle = attn.register_forward_pre_hook(lambda m, args: seen.update(x=args[0]))
        try:
            tokens = self.model.forward_features(images)
        finally:
            handle.remove()
        extra = self.model.num_prefix_tokens
        saliency = attention_probs(attn, seen['x']).mean(dim=1)[:, 0, extra:]
        return TeacherFeatures(patch_tokens=tokens[:, extra:], cls_attention=saliency)


@register_part('target')
class CLIPTeacher(TimmViTTeacher):
    """The CLIP ViT-B/16 image tower (MR-MAE's default teacher).

    Reads OpenAI's and open_clip's state dicts (``visual.*``, e.g. open_clip's
    ``open_clip_pytorch_model.bin``; OpenAI's TorchScript ``ViT-B-16.pt``
    must first be saved as a plain state dict) and Hugging Face's
    ``openai/clip-vit-base-patch16`` (``vision_model.*``). Inputs are
    re-normalised to OpenAI's CLIP statistics.

    Args:
        checkpoint (str): Local weights file.
        model_name (str): ``'vit_base_patch16_clip_quickgelu_224'`` (default:
            OpenAI's weights use QuickGELU) or ``'vit_base_patch16_clip_224'``
            (open_clip's LAION weights, GELU).
        **kwargs: See :class:`TimmViTTeacher`.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MR-MAE (Gao et al. 2023) §4.1: CLIP ViT-B/16 teacher'

    expected_file = ('the CLIP image tower weights (OpenAI / open_clip `visual.*` or '
                     'Hugging Face `vision_model.*` state dict)')

    def __init__(self, checkpoint: str, model_name: str = 'vit_base_patch16_clip_quickgelu_224',
                 mean: Sequence[float] = OPENAI_CLIP_MEAN, std: Sequence[float] = OPENAI_CLIP_STD,
                 **kwargs) -> None:
        super().__init__(model_name=model_name, checkpoint=checkpoint, mean=mean, std=std,
                         **kwargs)


@register_part('target')
class DINOTeacher(TimmViTTeacher):
    """A DINO ViT-B/16 (the official ``dino_vitbase16_pretrain.pth``, timm names).

    Args:
        checkpoint (str): Local weights file.
        model_name (str): Defaults to ``'vit_base_patch16_224'``.
        **kwargs: See :class:`TimmViTTeacher`.
    """

    #: Where it comes from: the paper and section it implements.
    source = 'MR-MAE (Gao et al. 2023) §4.1: DINO ViT-B/16 teacher'

    expected_file = 'the DINO ViT weights (e.g. dino_vitbase16_pretrain.pth, timm names)'

    def __init__(self, checkpoint: str, model_name: str = 'vit_base_patch16_224',
                 mean: Sequence[float] = IMAGENET_MEAN, std: Sequence[float] = IMAGENET_STD,
                 **kwargs) -> None:
        super().__init__(model_name=model_name, checkpoint=checkpoint, mean=mean, std=std,
                         **kwargs)

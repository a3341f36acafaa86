"""BEiT: replace masked patches by a mask token, classify their visual tokens."""
import torch

from mimtoolkit.registry import register_part
from mimtoolkit.utils import require
from .maskfeat import MaskFeat


@register_part('pretrainer')
class BEiT(MaskFeat):
    """BERT pre-training of image transformers (Bao et al., 2022), on a plain MIMViT.

    MaskFeat's wiring with a visual tokenizer as the target: ``masker ->
    backbone.encode (mask tokens) -> head (cross-entropy to the tokenizer's
    id of each masked patch)``. The tokenizer (mmpretrain's DALL-E encoder
    or VQKD) sees the clean image, re-normalised to its statistics and
    resized to the student's grid. The encoder is MIMViT (absolute position
    embeddings, no relative position bias), so every encoder switch —
    SemanticMIM proxies included — applies.

    Args:
        backbone (dict): ``MIMViT`` with ``use_mask_token=True``.
        head (dict): ``TokenClassificationHead`` with the tokenizer's vocabulary.
        target_generator (dict): ``DALLETokenizer`` or ``VQKDTokenizer``.
        masker (dict): Defaults to ``BlockwiseMasker(0.4)``.
        **kwargs: See :class:`MaskFeat`.
    """

    #: The heads (or their subclasses) the method's ``head`` slot calls as it expects.
    head_types = ('TokenClassificationHead', )
    #: Where it comes from: the paper and section it implements.
    source = 'BEiT (Bao et al. 2022)'

    def check_target(self) -> None:
        """The head classifies into the tokenizer's vocabulary."""
        require(self.head.num_tokens == self.target_generator.vocab_size,
                'model.head.num_tokens', self.head.num_tokens,
                f'{self.target_generator.vocab_size} (the tokenizer\'s vocabulary)')

    def targets(self, inputs: torch.Tensor) -> torch.Tensor:
        """(B, L) the tokenizer's id of every patch."""
        return self.target_generator(inputs, self.backbone.patch_grid(inputs.shape[-2:]))

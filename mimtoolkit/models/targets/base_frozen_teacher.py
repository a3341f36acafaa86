"""What every frozen teacher shares: eval mode, no gradient, kept out of checkpoints."""
from typing import Dict

import torch
from mmengine.model import BaseModule


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

    Subclasses build the network, implement :meth:`load_weights` and a
    ``forward`` under ``torch.no_grad()``.
    """

    def __init__(self) -> None:
        super().__init__(init_cfg=None)
        self._register_state_dict_hook(_drop_own_keys)
        self._register_load_state_dict_pre_hook(self._keep_own_weights)

    def freeze(self) -> None:
        """Stop gradients and switch to eval mode."""
        for param in self.parameters():
            param.requires_grad_(False)
        super().train(False)

    def load_weights(self) -> None:
        """Load the teacher's weights from its file."""
        raise NotImplementedError

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

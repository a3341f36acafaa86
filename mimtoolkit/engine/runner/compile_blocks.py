"""``compile=True``: compile a model block by block, not as one training step."""
from typing import Union

import torch
import torch.nn as nn

from mimtoolkit.utils import ConfigError


def compile_blocks(model: nn.Module, compile_cfg: Union[bool, dict]) -> int:
    """Compile, in place, every module held in an ``nn.ModuleList`` of ``model``.

    Those are the repeated units: the encoder's and decoder's transformer blocks,
    ConvMAE's conv stages, the frozen teachers' blocks. Compiling each block (as
    large-scale ViT codebases do) instead of mmengine's whole ``train_step``
    keeps the graphs small, lets blocks of one class share their compiled code,
    leaves the Python between blocks (masking, mixing, gathers) eager, and
    recompiles at most once more when a token count changes (the shape is then
    marked dynamic). Parameter names and checkpoints are unchanged.

    Args:
        model (nn.Module): The (unwrapped) model.
        compile_cfg (bool | dict): ``True`` or ``torch.compile`` arguments
            (``mode``, ``backend``, ``dynamic``, ``fullgraph``...).

    Returns:
        int: How many blocks were compiled.

    Raises:
        ConfigError: For a ``compile`` that is neither a bool nor a dict.
    """
    if not isinstance(compile_cfg, (bool, dict)):
        raise ConfigError(f'compile={compile_cfg!r} is invalid: expected True, False or a dict '
                          'of torch.compile arguments')
    if compile_cfg is False:
        return 0
    kwargs = {} if compile_cfg is True else dict(compile_cfg)
    blocks = [block for lst in model.modules() if isinstance(lst, nn.ModuleList)
              for block in lst if not isinstance(block, nn.ModuleList)]
    for block in blocks:
        block.compile(**kwargs)
    # blocks of one class share a code object, so their graphs count against one cache
    torch._dynamo.config.cache_size_limit = max(torch._dynamo.config.cache_size_limit, 64)
    return len(blocks)

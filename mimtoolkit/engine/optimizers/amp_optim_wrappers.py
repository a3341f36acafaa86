"""``--amp`` on any machine: CUDA AMP on a GPU, bf16 autocast on a CPU."""
from contextlib import contextmanager

import torch
import torch.nn as nn
from mmengine.logging import print_log
from mmengine.optim import OptimWrapper

from mimtoolkit.registry import OPTIM_WRAPPERS
from mimtoolkit.utils import require
from .guarded_optim_wrappers import GuardedAmpOptimWrapper, GuardedOptimWrapper


@OPTIM_WRAPPERS.register_module()
class CPUAutocastOptimWrapper(GuardedOptimWrapper):
    """Runs the forward pass under ``torch.autocast('cpu')`` (bf16 by default).

    mmengine's ``AmpOptimWrapper`` asserts a GPU; CPUs with AMX/AVX-512 bf16
    units train ViTs markedly faster in bf16. bf16 has fp32's exponent range,
    so no loss scaling is needed; parameters and optimizer state stay fp32.

    Args:
        dtype (str): ``'bfloat16'`` (or ``'float16'`` where the CPU supports it).
        **kwargs: ``OptimWrapper`` arguments (``optimizer``, ``clip_grad``...).
    """

    def __init__(self, dtype: str = 'bfloat16', **kwargs) -> None:
        require(dtype in ('bfloat16', 'float16'), 'optim_wrapper.dtype', dtype,
                "'bfloat16' or 'float16'")
        super().__init__(**kwargs)
        self.cast_dtype = getattr(torch, dtype)

    @contextmanager
    def optim_context(self, model: nn.Module):
        """Gradient-accumulation context plus CPU autocast."""
        with super().optim_context(model), torch.autocast('cpu', dtype=self.cast_dtype):
            yield


@OPTIM_WRAPPERS.register_module()
def AutoAmpOptimWrapper(loss_scale='dynamic', dtype=None, **kwargs) -> OptimWrapper:
    """The optimizer wrapper ``--amp`` selects.

    Args:
        loss_scale (str | float | dict): GPU loss scaling (``AmpOptimWrapper``).
        dtype (str, optional): Autocast dtype; defaults to fp16 on GPU
            (mmengine's default) and bf16 on CPU.
        **kwargs: ``OptimWrapper`` arguments.

    Returns:
        OptimWrapper: ``AmpOptimWrapper`` when CUDA is available, else
        :class:`CPUAutocastOptimWrapper`.
    """
    if torch.cuda.is_available():
        print_log(f'AutoAmpOptimWrapper: CUDA AMP ({dtype or "float16"}, loss_scale={loss_scale})',
                  logger='current')
        return GuardedAmpOptimWrapper(loss_scale=loss_scale, dtype=dtype, **kwargs)
    print_log(f'AutoAmpOptimWrapper: no CUDA, {dtype or "bfloat16"} autocast on the CPU',
              logger='current')
    return CPUAutocastOptimWrapper(dtype=dtype or 'bfloat16', **kwargs)

"""``--amp``: one autocast optimizer wrapper for CPU and CUDA (bf16 by default, fp16 if asked)."""
from contextlib import contextmanager
from typing import Optional, Union

import torch
import torch.nn as nn
from mmengine.logging import MessageHub, print_log

from mimtoolkit.registry import OPTIM_WRAPPERS
from mimtoolkit.utils import require
from .guarded_optim_wrappers import GuardedOptimWrapper

AMP_DTYPES = ('auto', 'bfloat16', 'float16')


def bf16_supported(device_type: str, index: Optional[int] = None) -> bool:
    """Whether the device computes in bf16 natively (not emulated).

    Args:
        device_type (str): ``'cuda'`` (compute capability >= 8.0: A100, H100, L40S...) or
            ``'cpu'`` (AVX512-BF16 or AMX units).
        index (int, optional): The CUDA device; the current one by default.

    Returns:
        bool
    """
    if device_type == 'cuda':
        return torch.cuda.get_device_capability(index) >= (8, 0)
    cpu = torch.cpu
    return any(getattr(cpu, check, lambda: False)()
               for check in ('_is_avx512_bf16_supported', '_is_amx_tile_supported'))


def amp_dtype(dtype: str, device_type: str, index: Optional[int] = None) -> torch.dtype:
    """The autocast dtype ``dtype`` names on ``device_type``.

    Args:
        dtype (str): One of :data:`AMP_DTYPES`; ``'auto'`` is bf16 where the device
            supports it (:func:`bf16_supported`), else fp16.
        device_type (str): ``'cuda'`` or ``'cpu'``.
        index (int, optional): The CUDA device; the current one by default.

    Returns:
        torch.dtype: ``torch.bfloat16`` or ``torch.float16``.
    """
    require(dtype in AMP_DTYPES, 'optim_wrapper.dtype', dtype, f'one of {AMP_DTYPES}')
    if dtype == 'auto':
        return torch.bfloat16 if bf16_supported(device_type, index) else torch.float16
    return getattr(torch, dtype)


def parameters_device(optimizer: torch.optim.Optimizer) -> torch.device:
    """Where the optimizer's parameters (the model's) are: the device autocast must cover.

    Args:
        optimizer (Optimizer): An optimizer built over the model (mmengine builds it after
            moving the model to its device).

    Returns:
        torch.device: The first parameter's device (CPU for an optimizer without any).
    """
    for group in optimizer.param_groups:
        for param in group['params']:
            return param.device
    return torch.device('cpu')


@OPTIM_WRAPPERS.register_module()
class AutoAmpOptimWrapper(GuardedOptimWrapper):
    """Mixed precision on whatever device the run has: the forward pass under
    ``torch.autocast``, parameters, gradients and optimizer state in fp32.

    bf16 has fp32's exponent range, so it trains without loss scaling; fp16
    needs a dynamic loss scaler (``torch.amp.GradScaler``), which skips an
    update whose gradients overflowed and lowers the scale. Such a scaler skip
    is not a non-finite loss: it is counted in the message hub
    (``'amp_skipped_steps'``, a 0-d tensor on the device, so that counting
    needs no host sync; reading it does) and the run goes on; a NaN/inf *loss* still goes
    to the :class:`NonFiniteGuard` policy (stop or skip). Everything the
    model runs (frozen teachers and tokenizers included) is under the same
    autocast; the losses and HOG targets compute in fp32. The device (autocast's
    and the scaler's) is the one the optimizer's parameters are on, not whether
    the host has a GPU: a model kept on the CPU of a GPU host autocasts on the CPU.

    Args:
        dtype (str): ``'auto'`` (default; bf16 where the device supports it,
            else fp16), ``'bfloat16'`` or ``'float16'``. ``None`` means ``'auto'``.
        loss_scale (str | float | dict): fp16 only: ``'dynamic'`` (default),
            an initial scale, or ``torch.amp.GradScaler`` arguments. Ignored
            (and logged as such) in bf16.
        **kwargs: ``GuardedOptimWrapper`` arguments (``optimizer``,
            ``clip_grad``, ``accumulative_counts``, ``nonfinite_loss``...).
    """

    def __init__(self, dtype: str = 'auto', loss_scale: Union[str, float, dict] = 'dynamic',
                 **kwargs) -> None:
        require(loss_scale == 'dynamic' or isinstance(loss_scale, dict) or (
            isinstance(loss_scale, (int, float)) and loss_scale > 0), 'optim_wrapper.loss_scale',
            loss_scale, "'dynamic', a positive number or GradScaler arguments (a dict)")
        super().__init__(**kwargs)
        device = parameters_device(self.optimizer)
        require(device.type in ('cuda', 'cpu'), 'optim_wrapper.type', 'AutoAmpOptimWrapper',
                f"a model on 'cuda' or 'cpu' (its parameters are on {device.type!r})")
        self.device_type = device.type
        self.cast_dtype = amp_dtype(dtype or 'auto', self.device_type, device.index)
        self.loss_scaler = None
        if self.cast_dtype == torch.float16:
            args = loss_scale if isinstance(loss_scale, dict) else (
                {} if loss_scale == 'dynamic' else dict(init_scale=float(loss_scale)))
            self.loss_scaler = torch.amp.GradScaler(self.device_type, **args)
        scaling = f'loss_scale={loss_scale}' if self.loss_scaler else 'no loss scaling'
        print_log(f'AutoAmpOptimWrapper: {str(self.cast_dtype)[6:]} autocast on '
                  f'{self.device_type}, {scaling}', logger='current')

    def backward(self, loss: torch.Tensor, **kwargs) -> None:
        """Back-propagate ``loss`` (scaled by the fp16 loss scale)."""
        (self.loss_scaler.scale(loss) if self.loss_scaler else loss).backward(**kwargs)
        self._inner_count += 1

    def step(self, **kwargs) -> None:
        """Clip and step; in fp16, unscale first and let the scaler skip overflowed updates."""
        if self.loss_scaler is None:
            return super().step(**kwargs)
        if self.clip_grad_kwargs:
            self.loss_scaler.unscale_(self.optimizer)
            self._clip_grad()
        scale = self.loss_scaler._scale.clone()  # on the device: comparing it needs no sync
        self.loss_scaler.step(self.optimizer, **kwargs)
        self.loss_scaler.update()
        skipped = (self.loss_scaler._scale < scale).sum()  # the gradients overflowed: no update
        hub = MessageHub.get_current_instance()
        count = hub.get_info('amp_skipped_steps')
        hub.update_info('amp_skipped_steps', skipped if count is None else count + skipped)

    def state_dict(self) -> dict:
        """The optimizer's state, plus the loss scaler's in fp16."""
        state = super().state_dict()
        if self.loss_scaler is not None:
            state['loss_scaler'] = self.loss_scaler.state_dict()
        return state

    def load_state_dict(self, state_dict: dict) -> None:
        """Load a state; a loss scale saved by an fp16 run is dropped in bf16."""
        state_dict = dict(state_dict)
        scaler = state_dict.pop('loss_scaler', None)
        if scaler is not None and self.loss_scaler is not None:
            self.loss_scaler.load_state_dict(scaler)
        super().load_state_dict(state_dict)

    @contextmanager
    def optim_context(self, model: nn.Module):
        """Gradient-accumulation context plus autocast on the run's device."""
        with super().optim_context(model), torch.autocast(self.device_type,
                                                          dtype=self.cast_dtype):
            yield

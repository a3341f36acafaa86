"""Optimizer wrappers that refuse to step on a non-finite loss."""
import torch
import torch.distributed as dist
from mmengine.logging import MessageHub, print_log
from mmengine.optim import OptimWrapper

from mimtoolkit.registry import OPTIM_WRAPPERS
from mimtoolkit.utils import NonFiniteLossError, require

POLICIES = ('stop', 'skip', 'off')


def nonfinite_loss_names(loss_finite) -> list:
    """The names of the non-finite losses of ``(names, finite)`` (``'loss_finite'`` in the
    message hub: the named losses and a bool tensor, one flag each), or [] without it."""
    if not loss_finite:
        return []
    names, finite = loss_finite
    return list(dict.fromkeys(name for name, ok in zip(names, finite.tolist()) if not ok))


class NonFiniteGuard:
    """Checks the loss before every update; on NaN/inf stops the run or skips the step.

    The check happens before ``backward``, so the weights, the optimizer
    state and every checkpoint on disk stay as they were. In a multi-process
    run the ranks agree (one all-reduce of a flag), so they all stop or all
    skip together. It costs one host sync a step (reading the flag, after
    the all-reduce); only on a non-finite step are the names of the bad
    losses read (``BasePretrainer.parse_losses`` leaves each named loss's
    finite flag, on the device, in the message hub as ``'loss_finite'``).

    Args:
        nonfinite_loss (str): ``'stop'`` (default): raise
            :class:`~mimtoolkit.utils.NonFiniteLossError` naming the iteration
            and the losses; ``tools/train.py`` reports it in one line.
            ``'skip'``: log a warning and skip the update (as AMP's loss
            scaling does for non-finite gradients), counted in the message
            hub as ``'skipped_nonfinite_steps'``.
            ``'off'``: no check and no host sync (mmengine's ``OptimWrapper``:
            a NaN loss reaches the weights).

    With gradient accumulation (``accumulative_counts = k``), a skipped
    micro-batch discards its whole window of k: the gradients accumulated
    before it are zeroed, the window's later micro-batches are not
    back-propagated, and the window ends without an update, so every update
    that does happen is the mean over k finite micro-batches. The window keeps
    its place (the iteration count advances), as without a skip.
    """

    def _init_guard(self, nonfinite_loss: str) -> None:
        require(nonfinite_loss in POLICIES, 'optim_wrapper.nonfinite_loss', nonfinite_loss,
                f'one of {POLICIES}')
        self.nonfinite_loss = nonfinite_loss
        self._window_skipped = False

    def update_params(self, loss: torch.Tensor, *args, **kwargs) -> None:
        """Update unless the loss is NaN/inf on any rank (then stop or skip)."""
        if self.nonfinite_loss == 'off':
            return super().update_params(loss, *args, **kwargs)
        flag = (~torch.isfinite(loss.detach()).all()).float().reshape(1)
        if dist.is_available() and dist.is_initialized():
            dist.all_reduce(flag, op=dist.ReduceOp.MAX)
        bad = flag.item() > 0  # the step's one host sync
        if not bad and not self._window_skipped:
            return super().update_params(loss, *args, **kwargs)
        if bad:
            self._report_nonfinite()
        self._window_skipped = True
        self._inner_count += 1  # the window keeps its place
        if self.should_update():  # the skipped window ends without an update
            self.zero_grad()
            self._window_skipped = False

    def _report_nonfinite(self) -> None:
        """Stop (raise) or count and log a skipped micro-batch, per ``nonfinite_loss``."""
        hub = MessageHub.get_current_instance()
        names = nonfinite_loss_names(hub.get_info('loss_finite')) or ['loss']
        message = (f'non-finite loss at iteration {hub.get_info("iter", -1) + 1}: '
                   + ', '.join(names))
        if self.nonfinite_loss == 'stop':
            raise NonFiniteLossError(
                f'{message}; stopped before updating the weights (the checkpoints in work_dir '
                'are intact: --resume continues from the last one). Lower the lr, clip '
                'gradients (optim_wrapper.clip_grad=dict(max_norm=...)), or skip such steps '
                "(optim_wrapper.nonfinite_loss='skip')")
        skipped = (hub.get_info('skipped_nonfinite_steps') or 0) + 1
        hub.update_info('skipped_nonfinite_steps', skipped)
        print_log(f'{message}; step skipped ({skipped} so far)', logger='current',
                  level=30)
        self.zero_grad()  # with accumulation: the window's gradients so far


@OPTIM_WRAPPERS.register_module()
class GuardedOptimWrapper(NonFiniteGuard, OptimWrapper):
    """mmengine's ``OptimWrapper`` with :class:`NonFiniteGuard`."""

    def __init__(self, nonfinite_loss: str = 'stop', **kwargs) -> None:
        self._init_guard(nonfinite_loss)
        super().__init__(**kwargs)

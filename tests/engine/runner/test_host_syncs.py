"""Host syncs of a training step: on a GPU every read of a tensor's value on the host
(``.item()``, ``bool()``, ``float()``, ``.tolist()``) waits for the device. The step (model,
NaN guard, AMP wrapper) reads at most once where the guard is on and never where it is off;
a hook reads nothing on iterations where it does nothing. Counted on the CPU by recording
those reads."""
import contextlib
import os
import sys
from types import SimpleNamespace

import pytest
import torch
from mmengine.logging import MessageHub
from mmpretrain.structures import DataSample

from mimtoolkit.engine.hooks import ReconstructionVisHook
from mimtoolkit.registry import MODELS, OPTIM_WRAPPERS
from ...conftest import tiny_mae_cfg

READS = ('item', 'tolist', '__bool__', '__float__', '__int__')


@contextlib.contextmanager
def counted_reads(monkeypatch):
    """Count the host reads of tensor values made inside the block, but torch.optim's reads of
    its step counts (CPU tensors even when training on a GPU: no sync there)."""
    reads = []
    for name in READS:
        original = getattr(torch.Tensor, name)

        def read(self, *args, _original=original, _name=name, **kwargs):
            caller = sys._getframe(1).f_code.co_filename
            if f'torch{os.sep}optim{os.sep}' not in caller:
                reads.append(f'{_name} in {caller}:{sys._getframe(1).f_lineno}')
            return _original(self, *args, **kwargs)
        monkeypatch.setattr(torch.Tensor, name, read)
    yield reads
    monkeypatch.undo()


def mae_step(wrapper_cfg, monkeypatch, fused=False):
    model = MODELS.build(tiny_mae_cfg())
    model.init_weights()
    optimizer = torch.optim.AdamW(model.parameters(), 1e-3, fused=fused or None)
    wrapper = OPTIM_WRAPPERS.build(dict(wrapper_cfg, optimizer=optimizer))
    MessageHub.get_instance('host-sync-test')
    data = dict(inputs=torch.rand(2, 3, 32, 32) * 255, data_samples=[DataSample()] * 2)
    model.train_step(data, wrapper)  # the first step (lazy state) is not counted
    before = [p.detach().clone() for p in model.parameters()]
    with counted_reads(monkeypatch) as reads:
        model.train_step(data, wrapper)
    assert any(not torch.equal(p, b) for p, b in zip(model.parameters(), before))  # it stepped
    return reads


@pytest.mark.parametrize('wrapper_cfg,fused', [
    (dict(type='GuardedOptimWrapper'), False),
    (dict(type='AutoAmpOptimWrapper', dtype='bfloat16'), False),
    # fp16: a fused optimizer takes the scaler's found-inf flag on the device; with another
    # optimizer GradScaler.step reads it on the host once more (torch's, not ours)
    (dict(type='AutoAmpOptimWrapper', dtype='float16'), True),
])
def test_a_guarded_step_reads_the_device_once(wrapper_cfg, fused, monkeypatch):
    assert len(mae_step(wrapper_cfg, monkeypatch, fused)) == 1


def test_a_step_without_the_guard_reads_nothing(monkeypatch):
    assert mae_step(dict(type='GuardedOptimWrapper', nonfinite_loss='off'), monkeypatch) == []


def test_the_reconstruction_hook_reads_only_when_it_draws(monkeypatch):
    hook = ReconstructionVisHook(interval=100)
    runner = SimpleNamespace(iter=4)  # not a drawing iteration (every 100th)
    with counted_reads(monkeypatch) as reads:
        hook.after_train_iter(runner, 4, data_batch={}, outputs=dict(loss=torch.tensor(2.5)))
    assert reads == []

"""Gradient accumulation keeps the batch of one update: k micro-batches of B = one batch of kB."""
import copy

import pytest
import torch
from mmengine.config import Config
from mmengine.optim import build_optim_wrapper

from mimtoolkit.engine.runner import MIMRunner
from mimtoolkit.registry import MODELS
from ...conftest import REPO, tiny_mae_cfg


def train(model, counts: int, batches: torch.Tensor, steps: int, **wrapper_cfg):
    """``steps`` updates over ``batches`` (kB images each), split into ``counts`` micro-batches.

    ``wrapper_cfg`` (e.g. ``type='AutoAmpOptimWrapper', dtype=...``) replaces the guarded fp32
    wrapper's settings; the trained model's ``optim_wrapper`` attribute is the wrapper.
    """
    wrapper = build_optim_wrapper(model, dict(dict(
        type='GuardedOptimWrapper', accumulative_counts=counts,
        # SGD: its update is linear in the gradient (Adam's first step, lr * g / |g|, turns
        # the rounding noise of near-zero gradients into full-size steps)
        optimizer=dict(type='SGD', lr=0.5, momentum=0.9, weight_decay=0.05)), **wrapper_cfg))
    model.optim_wrapper = wrapper
    torch.manual_seed(1)  # the masks: k draws of (B, L) are one draw of (kB, L)
    losses = []
    for _ in range(steps):
        for chunk in batches.chunk(counts):
            with wrapper.optim_context(model):
                loss, _ = model.parse_losses(model.loss(chunk, None))
            wrapper.update_params(loss)
            losses.append(loss.detach())
    return model, torch.stack(losses)


@pytest.mark.parametrize('counts', [2, 4])
def test_mae_micro_batches_update_as_one_batch(counts):
    base = MODELS.build(tiny_mae_cfg())
    base.init_weights()
    images = torch.randn(8, 3, 32, 32)
    for steps, tol in ((1, 1e-6), (3, 1e-5)):
        whole, whole_losses = train(copy.deepcopy(base), 1, images, steps)
        parts, part_losses = train(copy.deepcopy(base), counts, images, steps)
        # the curve of the kB run is the mean of each update's micro-batch losses
        assert torch.allclose(part_losses.reshape(steps, counts).mean(1), whole_losses,
                              rtol=1e-5)
        for (name, p), q in zip(whole.named_parameters(), parts.parameters()):
            assert torch.allclose(p, q, atol=tol), (steps, name)
        moved = max((p - q).abs().max() for p, q in zip(whole.parameters(), base.parameters()))
        assert moved > 100 * tol  # the update itself is far larger than the difference


@pytest.mark.parametrize('dtype', ['bfloat16', 'float16'])
def test_micro_batches_under_amp_update_as_one_batch_and_scale_once_per_update(dtype):
    base = MODELS.build(tiny_mae_cfg())
    base.init_weights()
    images = torch.randn(8, 3, 32, 32)
    amp = dict(type='AutoAmpOptimWrapper', dtype=dtype)
    whole, _ = train(copy.deepcopy(base), 1, images, 2, **amp)
    parts, _ = train(copy.deepcopy(base), 2, images, 2, **amp)
    fp32, _ = train(copy.deepcopy(base), 1, images, 2)
    # autocast rounds a batch of 4 and one of 8 alike up to its precision: after 2 updates the
    # accumulated run is the large-batch run within 1e-3 (1% of the distance moved; measured
    # 1.4e-4 in bf16, 1.8e-5 in fp16), and both are the fp32 run within that too
    for (name, p), q, r in zip(whole.named_parameters(), parts.parameters(),
                               fp32.parameters()):
        assert torch.allclose(p, q, atol=1e-3), name
        assert torch.allclose(p, r, atol=1e-3), name
    moved = max((p - q).abs().max() for p, q in zip(whole.parameters(), base.parameters()))
    assert moved > 0.1  # the updates are far larger than the tolerances
    scaler = parts.optim_wrapper.loss_scaler
    if dtype == 'float16':  # one scaler update per optimizer update, not per micro-batch
        assert scaler._growth_tracker.item() == 2 == whole.optim_wrapper.loss_scaler.\
            _growth_tracker.item()
    else:
        assert scaler is None


def test_auto_scale_lr_counts_the_accumulated_batch(tmp_path):
    cfg = Config.fromfile(f'{REPO}/configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py')
    cfg.work_dir = str(tmp_path)
    cfg.optim_wrapper.accumulative_counts = 4
    cfg.auto_scale_lr = dict(enable=True, base_batch_size=64)  # 16 per step x 4 = 64: ratio 1
    runner = MIMRunner.from_cfg(cfg)
    wrapper = runner.build_optim_wrapper(runner.optim_wrapper)
    lr = wrapper.param_groups[0]['lr']
    runner.scale_lr(wrapper, runner.auto_scale_lr)
    assert wrapper.param_groups[0]['lr'] == pytest.approx(lr)
    runner.scale_lr(wrapper, dict(enable=True, base_batch_size=16))  # 64 / 16
    assert wrapper.param_groups[0]['lr'] == pytest.approx(4 * lr)


def test_a_skipped_micro_batch_discards_its_window_and_the_next_window_updates_as_usual():
    from mmengine.logging import MessageHub
    base = MODELS.build(tiny_mae_cfg())
    base.init_weights()
    images = torch.randn(8, 3, 32, 32)
    poisoned = images.clone()
    poisoned[2, 0, 3, 3] = float('nan')  # micro-batch 2 of window 1 (micro-batches of 2)
    hub = MessageHub.get_current_instance()
    hub.update_info('skipped_nonfinite_steps', 0)
    wrapper_cfg = dict(type='GuardedOptimWrapper', nonfinite_loss='skip', accumulative_counts=2,
                       optimizer=dict(type='SGD', lr=0.5, momentum=0.9))

    def run(model, batch):
        wrapper = build_optim_wrapper(model, wrapper_cfg)
        torch.manual_seed(1)
        for chunk in batch.chunk(4):
            with wrapper.optim_context(model):
                loss, _ = model.parse_losses(model.loss(chunk, None))
            wrapper.update_params(loss)
        return model

    skipped = run(copy.deepcopy(base), poisoned)
    assert hub.get_info('skipped_nonfinite_steps') == 1
    clean = copy.deepcopy(base)  # the same masks, window 1 run without updating
    wrapper = build_optim_wrapper(clean, wrapper_cfg)
    torch.manual_seed(1)
    for i, chunk in enumerate(images.chunk(4)):
        loss, _ = clean.parse_losses(clean.loss(chunk, None))
        if i >= 2:  # window 2 only
            wrapper.update_params(loss)
    for (name, p), q in zip(skipped.named_parameters(), clean.parameters()):
        assert torch.allclose(p, q, atol=1e-6), name
    assert not torch.allclose(skipped.neck.decoder_pred.weight, base.neck.decoder_pred.weight)


def accumulate_once(cfg: dict, counts: int, images: torch.Tensor, hook_part: str):
    """One accumulated update; the outputs of ``model.<hook_part>`` at each micro-batch."""
    model = MODELS.build(cfg)
    model.init_weights()
    seen = []
    getattr(model, hook_part).register_forward_hook(lambda m, i, out: seen.append(out))
    wrapper = build_optim_wrapper(model, dict(
        type='GuardedOptimWrapper', accumulative_counts=counts,
        optimizer=dict(type='SGD', lr=0.1)))
    for chunk in images.chunk(counts):
        with wrapper.optim_context(model):
            loss, _ = model.parse_losses(model.loss(chunk, None))
        wrapper.update_params(loss)
    return seen


def test_imae_draws_alpha_and_partners_per_micro_batch():
    """The documented definition: one alpha per micro-batch, partners inside it."""
    from ...conftest import tiny_imae_cfg
    torch.manual_seed(0)
    mixes = accumulate_once(tiny_imae_cfg(), 4, torch.randn(16, 3, 32, 32), 'mixer')
    assert len(mixes) == 4  # k draws of alpha for one update (a 16-image step draws one)
    assert len({round(float(m.alpha), 6) for m in mixes}) == 4
    assert all(int(m.sources.max()) < 4 for m in mixes)  # partners from the 4 images only


def test_mixedae_groups_are_formed_inside_each_micro_batch():
    from ...conftest import tiny_mixedae_cfg
    torch.manual_seed(0)
    mixes = accumulate_once(tiny_mixedae_cfg(), 2, torch.randn(16, 3, 32, 32), 'mixer')
    assert len(mixes) == 2
    for mix in mixes:  # 8 images a micro-batch: 2 groups of G = 4, sources within 0..7
        assert mix.sources.shape == (2, 4) and int(mix.sources.max()) < 8
        assert sorted(mix.sources.flatten().tolist()) == list(range(8))

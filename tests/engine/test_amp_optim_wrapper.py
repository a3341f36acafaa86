"""--amp: bf16 autocast on a CPU through one optimizer-wrapper config."""
import pytest
import torch
import torch.nn as nn

from mimtoolkit.registry import OPTIM_WRAPPERS
from mimtoolkit.utils import ConfigError


@pytest.mark.skipif(torch.cuda.is_available(), reason='CPU behaviour')
def test_auto_amp_on_cpu_runs_forward_in_bf16_and_keeps_fp32_weights():
    model = nn.Linear(4, 4)
    wrapper = OPTIM_WRAPPERS.build(dict(type='AutoAmpOptimWrapper', loss_scale='dynamic',
                                        optimizer=torch.optim.SGD(model.parameters(), lr=0.1)))
    assert type(wrapper).__name__ == 'CPUAutocastOptimWrapper'
    before = model.weight.detach().clone()
    with wrapper.optim_context(model):
        out = model(torch.randn(2, 4))
    assert out.dtype == torch.bfloat16
    wrapper.update_params(out.float().pow(2).mean())
    assert model.weight.dtype == torch.float32 and not torch.equal(model.weight, before)


def test_bad_dtype_is_a_clear_error():
    with pytest.raises(ConfigError, match="optim_wrapper.dtype='int8'"):
        OPTIM_WRAPPERS.build(dict(type='CPUAutocastOptimWrapper', dtype='int8',
                                  optimizer=torch.optim.SGD(nn.Linear(1, 1).parameters(), 0.1)))

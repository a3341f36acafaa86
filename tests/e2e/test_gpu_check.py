"""tools/analysis_tools/gpu_check.sh writes the GPU table; here on the CPU with a tiny config."""
import pytest

from ..conftest import run_tool

pytestmark = pytest.mark.slow


def test_gpu_check_writes_the_method_and_attention_tables(tmp_path):
    out = tmp_path / 'gpu_check.md'
    proc = run_tool(['tools/analysis_tools/gpu_check.sh', str(out)], env_extra=dict(
        DEVICE='cpu', BATCH='2', ROUNDS='1', STEPS='1', WARMUP='0', PEAK_TFLOPS='1',
        CONFIGS='configs/mae/mae_vit-tiny-p8_1xb16-coslr-20e_skimage-64.py',
        ATTENTION_ARGS='--tokens 17 --embed-dims 32 --heads 2'))
    assert f'wrote {out}' in proc.stdout
    text = out.read_text()
    row = next(line for line in text.splitlines() if line.startswith('| mae_vit-tiny'))
    cells = [c.strip() for c in row.strip('|').split('|')]
    assert cells[1] == 'bfloat16 autocast' or cells[1] == 'float16 autocast'
    assert float(cells[5]) > 0 and cells[6].endswith('%')  # GFLOPs per step, MFU at 1 TFLOP/s
    assert '| attention:HomologousAttention |' in text and '| attention:DenseAttention |' in text
    assert 'ratio (LAYER / reference time):' in text

"""The GPU lane: nvJPEG batched decode and the device-side augmentation on CUDA against the
same preprocessor on the CPU (same boxes and flips), a file nvJPEG refuses (CMYK) decoded
apart, a bad file named."""
import pytest
import torch
from PIL import Image

from mimtoolkit.datasets.imagenet_like_jpegs import write_imagenet_like_jpegs
from mimtoolkit.utils import ConfigError
from ..models.data_preprocessors.test_device_augment_data_preprocessor import batch, preprocessor

pytestmark = pytest.mark.cuda


@pytest.fixture(scope='module')
def jpegs(tmp_path_factory):
    root = tmp_path_factory.mktemp('cuda-jpegs')
    paths = write_imagenet_like_jpegs(str(root), 8)
    cmyk = str(root / 'cmyk.jpg')
    Image.open(paths[0]).convert('CMYK').save(cmyk, quality=90)
    return paths, cmyk


def test_nvjpeg_and_cuda_augmentation_match_the_cpu_path(jpegs):
    paths, cmyk = jpegs
    files = paths + [cmyk]
    on_cpu = preprocessor()(batch(files, 'bytes', seed=4))['inputs']
    cuda = preprocessor().cuda()
    calls = []
    decode = cuda._decode_jpegs

    def recorded(images, indices):
        calls.append(list(indices))
        return decode(images, indices)
    cuda._decode_jpegs = recorded
    on_gpu = cuda(batch(files, 'bytes', seed=4))['inputs']
    assert on_gpu.is_cuda and on_gpu.shape == on_cpu.shape
    assert (on_gpu.cpu() - on_cpu).abs().mean() < 1.0  # decoders' IDCT/upsampling differ
    assert len(calls) <= 2 * len(files).bit_length() + 1  # halves, not one call per image


def test_a_bad_file_is_named_on_cuda(jpegs, tmp_path):
    paths, _ = jpegs
    truncated = tmp_path / 'truncated.jpg'
    truncated.write_bytes(open(paths[0], 'rb').read()[:2000])
    with pytest.raises(ConfigError, match=f"image file '{truncated}' is invalid"):
        preprocessor().cuda()(batch([paths[1], str(truncated)], 'bytes'))
    skipping = preprocessor(on_error='skip').cuda()
    out = skipping(batch([paths[1], str(truncated), paths[2]], 'bytes'))
    assert out['inputs'].shape[0] == 3 and skipping.skipped == 1
    assert torch.isfinite(out['inputs']).all()

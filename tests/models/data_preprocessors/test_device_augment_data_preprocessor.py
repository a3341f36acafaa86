"""DeviceAugmentDataPreprocessor (device='cpu' here): the boxes and flips the CPU pipeline
draws, pixels close to its crop-resize (exact where roi_align's sampling is exact), the
same result whatever else is in the batch, bytes decoded here equal to a worker's decode,
bad bytes named or skipped."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from mmengine.dataset import Compose, pseudo_collate
from mmpretrain.datasets.transforms import RandomResizedCrop
from mmpretrain.models import SelfSupDataPreprocessor

from mimtoolkit.datasets.imagenet_like_jpegs import write_imagenet_like_jpegs
from mimtoolkit.datasets.transforms import CheckedLoadImageFromFile, DeferredRandomResizedCrop
from mimtoolkit.models.data_preprocessors import DeviceAugmentDataPreprocessor
from mimtoolkit.utils import ConfigError

META = ('img_path', 'device_aug')


def deferred(backend='torchvision', scale=48):
    return Compose([dict(type='CheckedLoadImageFromFile', imdecode_backend=backend),
                    dict(type='DeferredRandomResizedCrop', scale=scale,
                         crop_ratio_range=(0.2, 1.0)),
                    dict(type='DeferredRandomFlip', prob=0.5),
                    dict(type='PackInputs', meta_keys=META)])


def preprocessor(**kwargs):
    return DeviceAugmentDataPreprocessor(mean=[0.] * 3, std=[1.] * 3, to_rgb=True, **kwargs)


@pytest.fixture(scope='module')
def jpegs(tmp_path_factory):
    return write_imagenet_like_jpegs(str(tmp_path_factory.mktemp('jpegs')), 6)


def batch(paths, backend='torchvision', seed=0, scale=48):
    np.random.seed(seed)
    pipeline = deferred(backend, scale)
    return pseudo_collate([pipeline(dict(img_path=p)) for p in paths])


def test_the_worker_draws_mmpretrain_s_boxes():
    ours = DeferredRandomResizedCrop(scale=224, crop_ratio_range=(0.2, 1.0))
    theirs = RandomResizedCrop(scale=224, crop_ratio_range=(0.2, 1.0))
    np.random.seed(5)
    boxes = [ours(dict(img_shape=(375, 500)))['device_aug'].crop_box for _ in range(500)]
    np.random.seed(5)
    assert boxes == [tuple(theirs.rand_crop_params(np.zeros((375, 500, 1), np.uint8)))
                     for _ in range(500)]


def test_a_box_at_output_size_is_cut_exactly_and_an_even_halving_averages(jpegs):
    data = batch(jpegs[:2])
    image = data['inputs'][0]  # BGR uint8 (3, 375, 500)
    for sample, (top, left, size) in zip(data['data_samples'], ((10, 20, 48), (100, 50, 96))):
        sample.device_aug.crop_box, sample.device_aug.flip = (top, left, size, size), False
    data['inputs'][1] = image
    out = preprocessor()(data)['inputs']
    rgb = image.flip(0).float()
    assert torch.equal(out[0], rgb[:, 10:58, 20:68])  # one sample at each pixel's centre
    assert torch.allclose(out[1], F.avg_pool2d(rgb[None, :, 100:196, 50:146], 2)[0].round(),
                          atol=1)  # 2 x 2 samples: the box average


def test_outputs_are_the_cpu_pipeline_s_within_interpolation_tolerance(jpegs):
    data = batch(jpegs)
    out = preprocessor()(data)['inputs']
    for image, sample, got in zip(data['inputs'], data['data_samples'], out):
        top, left, height, width = sample.device_aug.crop_box
        # the CPU pipeline's resize of the same box (TensorRandomResizedCrop)
        want = F.interpolate(image[None, :, top:top + height, left:left + width].float(),
                             size=(48, 48), mode='bicubic', antialias=True)[0]
        want = want.clamp(0, 255).round().flip(0)  # BGR -> RGB
        if sample.device_aug.flip:
            want = want.flip(-1)
        assert (got - want).abs().mean() < 4.0  # area average vs antialiased bicubic


def test_an_image_s_output_does_not_depend_on_the_rest_of_the_batch(jpegs):
    data = batch(jpegs)
    alone = [preprocessor()(dict(inputs=[i], data_samples=[s]))['inputs'][0]
             for i, s in zip(data['inputs'], data['data_samples'])]
    data['inputs'][2] = data['inputs'][2][:, :120, :90].contiguous()  # mixed sizes
    data['data_samples'][2].device_aug.crop_box = (0, 0, 120, 90)
    together = preprocessor()(data)['inputs']
    for i in (0, 1, 3, 4, 5):
        assert torch.equal(together[i], alone[i])


def test_bytes_decoded_here_equal_the_worker_s_decode(jpegs):
    decoded = preprocessor()(batch(jpegs, 'torchvision', seed=3))
    from_bytes = preprocessor()(batch(jpegs, 'bytes', seed=3))
    assert torch.equal(decoded['inputs'], from_bytes['inputs'])
    assert decoded['inputs'].shape == (6, 3, 48, 48)


def test_flips_are_drawn_at_the_probability_and_applied(jpegs):
    data = batch(jpegs * 20, seed=1)
    flips = [s.device_aug.flip for s in data['data_samples']]
    assert 0.35 < np.mean(flips) < 0.65
    out = preprocessor()(data)['inputs']
    for s in data['data_samples']:
        s.device_aug.flip = False
    unflipped = preprocessor()(data)['inputs']
    for i, flip in enumerate(flips):
        assert torch.equal(out[i], unflipped[i].flip(-1) if flip else unflipped[i])


def test_bad_bytes_name_the_file_or_are_skipped(jpegs, tmp_path):
    truncated = tmp_path / 'truncated.jpg'
    truncated.write_bytes(open(jpegs[0], 'rb').read()[:2000])
    data = batch([jpegs[1], str(truncated), jpegs[2]], 'bytes')
    with pytest.raises(ConfigError, match=rf"image file '{truncated}' is invalid: cannot be "
                       "decoded"):
        preprocessor()(data)
    skipping = preprocessor(on_error='skip')
    data = batch([jpegs[1], str(truncated), jpegs[2]], 'bytes')
    out = skipping(data)
    # the batch keeps its size (every rank's must match): the next image serves, mirrored
    assert out['inputs'].shape[0] == len(out['data_samples']) == 3 and skipping.skipped == 1
    assert torch.equal(out['inputs'][1], out['inputs'][2].flip(-1))
    served = out['data_samples'][1]
    assert served.img_path == jpegs[2]
    assert served.device_aug.flip != out['data_samples'][2].device_aug.flip
    assert served is not out['data_samples'][2]


def test_running_out_of_memory_while_decoding_is_not_a_bad_file(jpegs, monkeypatch):
    import mimtoolkit.models.data_preprocessors.device_augment_data_preprocessor as module

    def out_of_memory(*args, **kwargs):
        raise torch.OutOfMemoryError('CUDA out of memory. Tried to allocate 2.00 GiB')
    monkeypatch.setattr(module, 'decode_jpegs', out_of_memory)
    monkeypatch.setattr(module, 'decode_rgb', out_of_memory)
    with pytest.raises(torch.OutOfMemoryError):
        preprocessor(on_error='skip')(batch(jpegs[:3], 'bytes'))


def test_a_refused_file_is_decoded_apart_and_the_rest_in_batches(jpegs, tmp_path, monkeypatch):
    import mimtoolkit.models.data_preprocessors.device_augment_data_preprocessor as module
    truncated = tmp_path / 'truncated.jpg'
    truncated.write_bytes(open(jpegs[0], 'rb').read()[:2000])
    files = jpegs + [str(truncated)] + jpegs[:2]  # 9 files, the 7th refused
    calls = dict(batched=[], one_by_one=0)
    batched, one_by_one = module.decode_jpegs, module.decode_rgb

    def batched_call(data, *args, **kwargs):
        calls['batched'].append(len(data))
        return batched(data, *args, **kwargs)

    def single_call(*args, **kwargs):
        calls['one_by_one'] += 1
        return one_by_one(*args, **kwargs)
    monkeypatch.setattr(module, 'decode_jpegs', batched_call)
    monkeypatch.setattr(module, 'decode_rgb', single_call)
    out = preprocessor(on_error='skip')(batch(files, 'bytes'))
    assert out['inputs'].shape[0] == 9
    assert calls['one_by_one'] == 1  # only the refused file
    assert calls['batched'][0] == 9 and len(calls['batched']) <= 2 * 4 + 1  # halving: log2(9)
    assert sum(n for n in calls['batched'] if n > 1) >= 8  # the good ones in batches


def test_the_canvas_follows_the_boxes_not_the_largest_image(jpegs, monkeypatch):
    """One panorama (3 x 60 x 4000) in a batch of photos: the float canvases hold at most 4x
    the boxes' pixels (sum(H) x max(W) of whole images is 40x more), with the same result."""
    import mimtoolkit.models.data_preprocessors.device_augment_data_preprocessor as module
    data = batch(jpegs)
    data['inputs'][0] = torch.randint(0, 256, (3, 60, 4000), dtype=torch.uint8)
    data['data_samples'][0].device_aug.crop_box = (5, 3000, 50, 80)
    alone = preprocessor()(dict(inputs=data['inputs'][:1], data_samples=data['data_samples'][:1]))
    canvases = []
    resample = module.roi_align

    def recorded(canvas, *args, **kwargs):
        canvases.append(canvas.numel())
        return resample(canvas, *args, **kwargs)
    monkeypatch.setattr(module, 'roi_align', recorded)
    out = preprocessor()(data)['inputs']
    boxes = sum(3 * (d.crop_box[2] + 2) * (d.crop_box[3] + 2)
                for d in (s.device_aug for s in data['data_samples']))
    assert sum(canvases) <= 4 * boxes
    assert torch.equal(out[0], alone['inputs'][0])


def test_a_batch_without_deferred_boxes_is_self_sup_data_preprocessor_s(jpegs):
    pipeline = Compose([dict(type='CheckedLoadImageFromFile', imdecode_backend='torchvision'),
                        dict(type='TensorRandomResizedCrop', scale=32),
                        dict(type='PackInputs')])
    from mmengine.dataset import default_collate
    data = default_collate([pipeline(dict(img_path=p)) for p in jpegs[:3]])
    kwargs = dict(mean=[100., 110., 120.], std=[50., 60., 70.], to_rgb=True)
    got = DeviceAugmentDataPreprocessor(**kwargs)(data)['inputs']
    want = SelfSupDataPreprocessor(**kwargs)(data)['inputs']
    assert torch.equal(torch.as_tensor(got[0] if isinstance(got, list) else got),
                       torch.as_tensor(want[0] if isinstance(want, list) else want))


def test_bad_arguments_are_refused():
    with pytest.raises(ConfigError, match=r"on_error='ignore' is invalid"):
        DeviceAugmentDataPreprocessor(on_error='ignore')
    with pytest.raises(ConfigError, match=r"DeferredRandomFlip.direction='vertical'"):
        Compose([dict(type='DeferredRandomFlip', prob=0.5, direction='vertical')])


def test_an_exif_rotated_photo_comes_decoded_and_upright_from_the_bytes_loader(tmp_path):
    import skimage.data
    from PIL import Image

    from mimtoolkit.datasets.transforms import CheckedLoadImageFromFile
    path = str(tmp_path / 'rotated.jpg')
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    Image.fromarray(skimage.data.astronaut()[:200, :320]).save(path, exif=exif)
    as_bytes = CheckedLoadImageFromFile(imdecode_backend='bytes')(dict(img_path=path))
    decoded = CheckedLoadImageFromFile(imdecode_backend='torchvision')(dict(img_path=path))
    assert as_bytes['img_shape'] == (320, 200) and torch.equal(as_bytes['img'], decoded['img'])


def test_a_drawn_colour_jitter_is_applied_to_the_whole_image_before_the_crop(jpegs):
    from mimtoolkit.functional import jitter_chw
    for backend in ('torchvision', 'bytes'):
        data = batch(jpegs[:2], backend)
        draws = [([1, 0, 2, 3], (1.3, 0.7, 1.2)), ([2, 3, 1, 0], (None, 1.35, 0.6))]
        for sample, draw in zip(data['data_samples'], draws):
            sample.device_aug.color_jitter = draw
            sample.device_aug.crop_box, sample.device_aug.flip = (30, 40, 48, 48), False
        out = preprocessor()(data)['inputs']
        for path, draw, got in zip(jpegs, draws, out):
            rgb = CheckedLoadImageFromFile(imdecode_backend='torchvision',
                                           channel_order='rgb')(dict(img_path=path))['img']
            want = jitter_chw(rgb, *draw, rgb=True)[:, 30:78, 40:88].float()
            assert torch.equal(got, want)

"""FP32SingleRoIExtractor and FP32ProposalRPNHead: under bf16 autocast (what --amp picks on
A100/H100) mmdet's RoI extractor hands bf16 maps to mmcv's RoIAlign and its RPN bf16 boxes to
mmcv's NMS, neither of which has a bf16 kernel; ours compute those steps in fp32."""
import pytest
import torch

from mmengine.registry import DefaultScope
from mmdet.registry import MODELS as DETECTION_MODELS  # as the COCO configs build them

ROI = dict(out_channels=8, featmap_strides=[4, 8],
           roi_layer=dict(type='RoIAlign', output_size=7, sampling_ratio=0))


def inputs():
    generator = torch.Generator().manual_seed(0)
    feats = tuple(torch.randn(1, 8, s, s, generator=generator).bfloat16() for s in (32, 16))
    rois = torch.tensor([[0, 4., 4., 60., 60.], [0, 10., 20., 30., 50.], [0, 0, 0, 120, 90]])
    return feats, rois.bfloat16()


def test_mmdet_s_extractor_fails_on_bf16_maps():
    from mmdet.models.roi_heads.roi_extractors import SingleRoIExtractor
    feats, rois = inputs()
    with pytest.raises(RuntimeError), torch.autocast('cpu', dtype=torch.bfloat16):
        SingleRoIExtractor(**ROI)(feats, rois)


def test_ours_pools_bf16_maps_in_fp32_with_the_fp32_result():
    from mmdet.models.roi_heads.roi_extractors import SingleRoIExtractor
    feats, rois = inputs()
    exact = SingleRoIExtractor(**ROI)(tuple(f.float() for f in feats), rois.float())
    ours = DETECTION_MODELS.build(dict(type='mimtoolkit.FP32SingleRoIExtractor', **ROI))
    with torch.autocast('cpu', dtype=torch.bfloat16):
        pooled = ours(feats, rois)
    assert pooled.dtype == torch.float32 and torch.equal(pooled, exact)
    assert pooled.abs().sum() > 0


RPN = dict(
    in_channels=8, feat_channels=8,
    anchor_generator=dict(type='AnchorGenerator', scales=[8], ratios=[0.5, 1.0, 2.0],
                          strides=[4, 8]),
    bbox_coder=dict(type='DeltaXYWHBBoxCoder', target_means=[.0, .0, .0, .0],
                    target_stds=[1.0, 1.0, 1.0, 1.0]),
    loss_cls=dict(type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0),
    loss_bbox=dict(type='L1Loss', loss_weight=1.0))  # mmdet's rpn_head in its configs
RPN_TEST = dict(nms_pre=200, max_per_img=50, nms=dict(type='nms', iou_threshold=0.7),
                min_bbox_size=0)


def proposals(head, cls_scores, bbox_preds):
    from mmengine.config import ConfigDict
    meta = [dict(img_shape=(128, 128), scale_factor=(1.0, 1.0))]
    return head.predict_by_feat(cls_scores, bbox_preds, batch_img_metas=meta,
                                cfg=ConfigDict(RPN_TEST), rescale=False)[0]


def test_rpn_proposals_under_bf16_autocast_go_through_nms_in_fp32():
    from mmdet.models.dense_heads import RPNHead
    torch.manual_seed(0)
    with DefaultScope.overwrite_default_scope('mmdet'):  # the COCO configs' default_scope
        ours = DETECTION_MODELS.build(dict(type='mimtoolkit.FP32ProposalRPNHead', **RPN))
        theirs = RPNHead(**RPN)
    feats = tuple(torch.randn(1, 8, s, s) for s in (32, 16))
    with torch.autocast('cpu', dtype=torch.bfloat16):
        outputs = ours(feats)  # the convolutions in bf16, as under --amp
        with pytest.raises(RuntimeError):
            proposals(theirs, *outputs)  # mmcv's NMS: "expected scalar type Float"
        got = proposals(ours, *outputs)
    exact = proposals(theirs, *[[o.float() for o in level] for level in outputs])
    assert got.bboxes.dtype == torch.float32 and len(got) > 0
    assert torch.equal(got.bboxes, exact.bboxes) and torch.equal(got.scores, exact.scores)

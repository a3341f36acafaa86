"""The parts that subclass mmseg's and mmdet's (pyramid neck, probe head, fp32 RoI pooling and
proposals). mmseg and mmdet import mmcv's compiled ops, which pretraining never calls, so this
package is not imported with ``mimtoolkit``: the model registry loads it the first time a
config names one of its parts (``mimtoolkit.registry.TRANSFER_PARTS``), and says which command
builds the ops where they are missing."""
from .fp32_proposal_rpn_head import FP32ProposalRPNHead
from .fp32_roi_extractor import FP32SingleRoIExtractor
from .resized_loss_fcn_head import ResizedLossFCNHead
from .vit_pyramid_neck import ViTPyramidNeck

__all__ = ['ViTPyramidNeck', 'ResizedLossFCNHead', 'FP32SingleRoIExtractor', 'FP32ProposalRPNHead']

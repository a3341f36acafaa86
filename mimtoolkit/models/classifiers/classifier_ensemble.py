"""Several fine-tuned classifiers evaluated as one: their class probabilities averaged."""
from typing import List, Optional

import torch
from mmengine.model import BaseModel
from mmpretrain.structures import DataSample

from mimtoolkit.registry import MODELS
from mimtoolkit.utils import require


@MODELS.register_module()
class ClassifierEnsemble(BaseModel):
    """An ensemble of image classifiers for evaluation (MR-MAE Tab. 4, "CLIP/DINO (Sep.)":
    MR-MAE pretrained and fine-tuned once per teacher, then the two models ensembled).

    Each member classifies the same (preprocessed) images; the ensemble's score is the mean
    of the members' softmax scores, its label the argmax. Its state dict is the members', as
    ``members.<i>.<the member's keys>``: ``tools/model_converters/ensemble_checkpoint.py``
    joins fine-tuned checkpoints into one.

    Args:
        members (list[dict]): Classifier configs (e.g. ``ImageClassifier``), at least two;
            each is built without its data preprocessor and training augments (the
            ensemble's preprocessor prepares the images once for all).
        data_preprocessor (dict, optional): Applied once for every member.
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self, members: List[dict], data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        require(isinstance(members, (list, tuple)) and len(members) >= 2, 'model.members',
                members, 'a list of at least two classifier configs')
        super().__init__(data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.members = torch.nn.ModuleList(
            MODELS.build(dict(member, data_preprocessor=None, train_cfg=None))
            for member in members)

    def forward(self, inputs: torch.Tensor, data_samples: Optional[List[DataSample]] = None,
                mode: str = 'predict'):
        """``mode='predict'`` only: the ensemble is evaluated, not trained.

        Args:
            inputs (Tensor): (B, 3, H, W) preprocessed images.
            data_samples (list[DataSample], optional): Their samples.
            mode (str): ``'predict'``.

        Returns:
            list[DataSample]: ``pred_score`` (B rows of C) the mean of the members' softmax
            scores, ``pred_label`` its argmax.
        """
        require(mode == 'predict', 'mode', mode,
                "'predict' (an ensemble is evaluated with tools/test.py, not trained)")
        scores = torch.stack([
            torch.stack([s.pred_score for s in member.predict(inputs, None)])
            for member in self.members]).mean(0)
        data_samples = data_samples or [DataSample() for _ in range(len(inputs))]
        for sample, score in zip(data_samples, scores):
            sample.set_pred_score(score).set_pred_label(score.argmax(keepdim=True))
        return data_samples

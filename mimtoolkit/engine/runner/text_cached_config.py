"""An mmengine ``Config`` that formats its text once per content."""
from mmengine.config import Config


class TextCachedConfig(Config):
    """mmengine's ``Config`` whose ``pretty_text`` is formatted once for each content.

    mmengine formats the text with yapf on every ``pretty_text`` read (about 0.25 s for a
    pretraining config on a CPU core), and a Runner reads it when it starts (the log, the
    work dir's copy, each visualiser backend) and at every checkpoint it saves: a few seconds
    of each short run. The text is kept with the content it was made from (the config's
    ``repr``) and made again when the content changed.
    """

    @property
    def pretty_text(self) -> str:
        """str: As mmengine's, formatted again only when the content changed."""
        key = repr(self._cfg_dict)
        cached = self.__dict__.get('_pretty_text_cache')
        if cached is None or cached[0] != key:
            cached = (key, super().pretty_text)
            object.__setattr__(self, '_pretty_text_cache', cached)  # not a config key
        return cached[1]

    @classmethod
    def of(cls, cfg: Config) -> 'TextCachedConfig':
        """``cfg`` (its content shared, not copied) as a :class:`TextCachedConfig`."""
        other = cls.__new__(cls)
        other.__dict__.update(cfg.__dict__)
        return other

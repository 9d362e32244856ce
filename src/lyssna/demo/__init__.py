"""The demo scenario: a Swedish energy company that talked through a megaphone, ran a summer campaign,
then opened a long-term dialogue with its customers — generated, deterministically, in real platform
export formats. See :mod:`lyssna.demo.scenario` for the story and :mod:`lyssna.demo.generator` for the
files.
"""

from .generator import generate
from .manifest import DemoFile, DemoManifest, Period

__all__ = ["generate", "DemoManifest", "DemoFile", "Period"]

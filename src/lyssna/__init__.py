"""Lyssna: social listening and conversation analytics.

The public API is exactly ``__all__``; everything else may change without notice.
"""

from .errors import LyssnaError
from .models import Author, Post, Quarantined
from .pipeline import FileReport, ImportReport
from .project import DemoRun, Project, init, open_project, run_demo
from .store.base import Stats, StoredPost, ThreadNode

__version__ = "0.1.0"

__all__ = [
    "Author",
    "DemoRun",
    "FileReport",
    "ImportReport",
    "LyssnaError",
    "Post",
    "Project",
    "Quarantined",
    "Stats",
    "StoredPost",
    "ThreadNode",
    "init",
    "open_project",
    "run_demo",
]

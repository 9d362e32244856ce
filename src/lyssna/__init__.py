"""Lyssna: social listening and conversation analytics.

The public API is exactly ``__all__``; everything else may change without notice.
"""

from .campaigns import CampaignReport
from .errors import LyssnaError, QueryError
from .listening import SearchResult, TopicPreview
from .models import Author, Campaign, Post, Quarantined, Topic, TopicVersion
from .pipeline import FileReport, ImportReport
from .project import DemoRun, Project, init, open_project, run_demo
from .query.parser import ParsedQuery, QueryWarning, parse as parse_query
from .store.base import Stats, StoredPost, ThreadNode
from .themes import PeriodThemes, Theme

__version__ = "0.1.0"

__all__ = [
    "Author",
    "Campaign",
    "CampaignReport",
    "DemoRun",
    "FileReport",
    "ImportReport",
    "LyssnaError",
    "ParsedQuery",
    "PeriodThemes",
    "Post",
    "Project",
    "Quarantined",
    "QueryError",
    "QueryWarning",
    "SearchResult",
    "Stats",
    "StoredPost",
    "Theme",
    "ThreadNode",
    "Topic",
    "TopicPreview",
    "TopicVersion",
    "init",
    "open_project",
    "parse_query",
    "run_demo",
]

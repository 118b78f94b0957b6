"""Every table, imported so that `SQLModel.metadata` knows them all (migrations read it)."""

from sqlmodel import SQLModel

import storage.models  # noqa: F401  (the core tables)
from storage import calendar as _calendar  # noqa: F401
from storage import engagement as _engagement  # noqa: F401
from storage import roadmaps as _roadmaps  # noqa: F401
from storage.kinds.advent import models as _advent  # noqa: F401
from storage.kinds.bookclub import models as _bookclub  # noqa: F401
from storage.kinds.coffee import models as _coffee  # noqa: F401
from storage.kinds.discussion import models as _discussion  # noqa: F401
from storage.kinds.poll import models as _poll  # noqa: F401
from storage.kinds.talks import models as _talks  # noqa: F401

METADATA = SQLModel.metadata

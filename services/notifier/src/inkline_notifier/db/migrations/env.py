from inkline_notifier.db.models import Base
from inkline_platform.migrations import run_env
from inkline_platform.tables import platform_metadata

run_env([Base.metadata, platform_metadata])

from inkline_platform.migrations import run_env
from inkline_platform.tables import platform_metadata
from inkline_studio.db.models import Base

run_env([Base.metadata, platform_metadata])

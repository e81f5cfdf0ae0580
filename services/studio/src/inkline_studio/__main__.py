from inkline_platform.cli import main
from inkline_studio import SERVICE
from inkline_studio.app import create_app
from inkline_studio.db import MIGRATIONS_DIR
from inkline_studio.settings import StudioSettings

main(service=SERVICE, settings_factory=StudioSettings, app_factory=create_app, migrations_dir=MIGRATIONS_DIR)

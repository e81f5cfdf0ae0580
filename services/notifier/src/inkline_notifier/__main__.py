from inkline_notifier import SERVICE
from inkline_notifier.app import create_app
from inkline_notifier.db import MIGRATIONS_DIR
from inkline_notifier.settings import NotifierSettings
from inkline_platform.cli import main

main(
    service=SERVICE, settings_factory=NotifierSettings, app_factory=create_app, migrations_dir=MIGRATIONS_DIR
)

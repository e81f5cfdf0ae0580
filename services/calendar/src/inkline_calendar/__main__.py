from inkline_calendar import SERVICE
from inkline_calendar.app import create_app
from inkline_calendar.db import MIGRATIONS_DIR
from inkline_calendar.settings import CalendarSettings
from inkline_platform.cli import main

main(
    service=SERVICE, settings_factory=CalendarSettings, app_factory=create_app, migrations_dir=MIGRATIONS_DIR
)

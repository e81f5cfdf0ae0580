from inkline_payments import SERVICE
from inkline_payments.app import create_app
from inkline_payments.db import MIGRATIONS_DIR
from inkline_payments.settings import PaymentsSettings
from inkline_platform.cli import main

main(
    service=SERVICE, settings_factory=PaymentsSettings, app_factory=create_app, migrations_dir=MIGRATIONS_DIR
)

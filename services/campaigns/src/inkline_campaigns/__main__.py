from inkline_campaigns import SERVICE
from inkline_campaigns.app import create_app
from inkline_campaigns.db import MIGRATIONS_DIR
from inkline_campaigns.settings import CampaignsSettings
from inkline_platform.cli import main

main(
    service=SERVICE, settings_factory=CampaignsSettings, app_factory=create_app, migrations_dir=MIGRATIONS_DIR
)

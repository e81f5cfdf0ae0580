from inkline_conversation import SERVICE
from inkline_conversation.app import create_app
from inkline_conversation.db import MIGRATIONS_DIR
from inkline_conversation.settings import ConversationSettings
from inkline_platform.cli import main

main(
    service=SERVICE,
    settings_factory=ConversationSettings,
    app_factory=create_app,
    migrations_dir=MIGRATIONS_DIR,
)

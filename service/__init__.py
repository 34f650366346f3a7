"""The HTTP side: app factory, blueprints, problem+json errors, API docs and the CLI."""

"""The project's own Sphinx extensions and check tools, one concern per module."""

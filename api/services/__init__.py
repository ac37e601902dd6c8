"""What the API, the pages and the CLI share: intake, the command inbox, reads, the directory."""

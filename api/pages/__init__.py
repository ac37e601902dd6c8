"""Server-rendered pages (NHS.UK design system), one module per area."""

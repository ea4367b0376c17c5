"""Action plan and data exports: pure functions of the stored data."""

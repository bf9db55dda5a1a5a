"""The cadre pages: the roster (``roster``), and trainings, tests and the dashboard
(``knowledge``)."""

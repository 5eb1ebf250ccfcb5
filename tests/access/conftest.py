def pytest_terminal_summary(terminalreporter):
    from tests.access import matrix

    if matrix.CELLS_RUN["count"]:
        terminalreporter.write_line(
            f"access matrix: {matrix.CELLS_RUN['routes']} routes x {len(matrix.ROLES)} roles x "
            f"methods: {matrix.CELLS_RUN['count']} cells run, "
            f"{matrix.CELLS_RUN['failed']} not as declared"
        )

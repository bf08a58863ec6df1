// Integration tests build apps, train models and run the CLI: allow them time.
jest.setTimeout(300_000);

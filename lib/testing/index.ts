// passport-push/testing: simulators and test doubles for tests and demos. Never imported by lib/.
export {};

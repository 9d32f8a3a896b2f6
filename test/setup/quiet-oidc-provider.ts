// oidc-provider prints two start-up notices (Node 20 is not its preferred runtime; the in-memory
// adapter is for development). Both are expected in tests; everything else still reaches the console.
const warn = console.warn.bind(console);
console.warn = (...args: unknown[]) => {
  if (typeof args[0] === 'string' && args[0].startsWith('oidc-provider WARNING')) return;
  warn(...args);
};

// passport-push/testing: simulators and test doubles for tests and demos. Never imported by lib/.
export { ScriptedProvider } from './scripted-provider';
export type { ScriptedProviderOptions } from './scripted-provider';
export { startLoopbackServer } from './loopback-server';
export type { LoopbackAnswer, LoopbackHandler, LoopbackRequest, LoopbackServer } from './loopback-server';
export type { Fault, Faults, Phone, PhoneRequest, ProviderSimulator } from './simulator';

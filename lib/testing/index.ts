/**
 * Simulators of every provider on loopback, `ScriptedProvider` and `providerConformance`, for
 * tests and demos. Never imported by lib/.
 *
 * @packageDocumentation
 * @module passport-push/testing
 */
export { ScriptedProvider } from './scripted-provider';
export type { ScriptedChallenge, ScriptedExtra, ScriptedProviderOptions } from './scripted-provider';
export { startLoopbackServer } from './loopback-server';
export type { LoopbackAnswer, LoopbackHandler, LoopbackRequest, LoopbackServer } from './loopback-server';
export type { Fault, Faults, Phone, PhoneRequest, ProviderSimulator } from './simulator';
export { SecSignIdSimulator } from './secsign-id-simulator';
export type {
  SecSignIdSimulatorOptions,
  SecSignIdReceivedRequest,
  SecSignIdVariance,
} from './secsign-id-simulator';
export { startCibaOp, CIBA_OP_LOGIN_HINT_TOKEN_PREFIX } from './ciba-op';
export type {
  CibaOp,
  CibaOpOptions,
  CibaOpUser,
  CibaOpClient,
  CibaOpApproval,
  CibaPhone,
  CibaOpFapiOptions,
  CibaOpMtlsOptions,
  CibaOpIssuedToken,
} from './ciba-op';
export { Authentiq8Simulator } from './authentiq8-simulator';
export { Authentiq8WebhookSender } from './authentiq8-webhook';
export type { WebhookEvent, WebhookFaults } from './authentiq8-webhook';
export type {
  Authentiq8SimulatorOptions,
  Authentiq8SimulatorClient,
  Authentiq8Phone,
  Authentiq8ReceivedRequest,
  Authentiq8Variance,
} from './authentiq8-simulator';
export { providerConformance } from './conformance';
export type {
  ConformanceFactory,
  ConformanceFault,
  ForeignAnswer,
  ConformancePhone,
  ConformanceTarget,
} from './conformance';
export { DuoSimulator } from './duo-simulator';
export type {
  DuoFault,
  DuoPhone,
  DuoReceivedRequest,
  DuoSimulatorDevice,
  DuoSimulatorOptions,
  DuoSimulatorUser,
  DuoTamper,
} from './duo-simulator';
export { BankIdSimulator, bankIdErrorFault } from './bankid-simulator';
export type {
  BankIdSimulatorOptions,
  BankIdPerson,
  BankIdClientCertificate,
  BankIdReceivedRequest,
  BankIdPendingHint,
  BankIdSimulatedOrder,
  BankIdSignedTexts,
} from './bankid-simulator';
export { bankIdTestCertificates } from './bankid-test-ca';
export type { BankIdTestCertificates, PemPair } from './bankid-test-ca';

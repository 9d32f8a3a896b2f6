export { CibaProvider, CIBA_GRANT_TYPE } from './provider';
export { CIBA_HINT_PARAMETERS } from './options';
export type {
  CibaProviderOptions,
  CibaClientAuthMethod,
  CibaHintParameter,
  CibaRequestObjectOptions,
  CibaSigningAlgorithm,
} from './options';
export type { RequestObjectAlgorithm } from './request-object';
export type { CibaTlsOptions } from './tls-options';
export type { CibaPrivateKey } from './signing-key';
export {
  BINDING_MESSAGE_ALPHABET,
  DEFAULT_BINDING_MESSAGE_LENGTH,
  MAX_BINDING_MESSAGE_LENGTH,
  MIN_BINDING_MESSAGE_LENGTH,
  generateBindingMessage,
} from './binding-message';

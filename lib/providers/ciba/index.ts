export { CibaProvider, CIBA_GRANT_TYPE } from './provider';
export type { CibaProviderOptions, CibaClientAuthMethod } from './options';
export type { CibaPrivateKey } from './signing-key';
export {
  BINDING_MESSAGE_ALPHABET,
  DEFAULT_BINDING_MESSAGE_LENGTH,
  MAX_BINDING_MESSAGE_LENGTH,
  MIN_BINDING_MESSAGE_LENGTH,
  generateBindingMessage,
} from './binding-message';

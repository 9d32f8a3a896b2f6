// Types for the one vendor module the Duo signing test compares against (the package ships none).
declare module '@duosecurity/duo_api/lib/duo_sig' {
  type Params = Record<string, string | string[]>;
  export function sign(
    ikey: string,
    skey: string,
    method: string,
    host: string,
    path: string,
    params: Params,
    date: string,
  ): string;
  export function _canonicalize(
    method: string,
    host: string,
    path: string,
    params: Params,
    date: string,
  ): string;
  export function _canonParams(params: Params): string;
}
